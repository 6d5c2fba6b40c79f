"""The dry run (`profile`): what a load would keep and quarantine, with no warehouse written."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from conftest import GOOD_EXTRACTS, DemoLoad, write_extracts

from indicators import cli
from indicators.demo.generate import MANIFEST
from indicators.load.profile import Profile, profile_extracts, profile_file

BAD_SOURCE = "R9,F9,C9,2022-06-01,pigeon,E05008728,,,,"


def planted_by_reason(extracts: Path) -> pd.Series:
    """file, reason → rows the demo broke on purpose (its manifest)."""
    planted = pd.DataFrame(json.loads((extracts / MANIFEST).read_text())["broken_rows"])
    return planted.groupby(["file", "kind"]).size().rename_axis(["file", "reason"]).sort_index()


def reported_by_reason(profile: Profile) -> pd.Series:
    frames = [f.quarantined.assign(file=f.file) for f in profile.files]
    found = pd.concat(frames).groupby(["file", "reason"])["rows"].sum()
    return found[found > 0].sort_index()


def test_profile_reports_exactly_the_planted_broken_rows_by_reason(demo_load: DemoLoad) -> None:
    profile = profile_extracts(demo_load.extracts)
    assert reported_by_reason(profile).to_dict() == planted_by_reason(demo_load.extracts).to_dict()
    for f in profile.files:
        assert f.rows_read == f.rows_kept + f.rows_quarantined
    requests = profile.files[0]
    codes = set(
        zip(requests.unmapped_codes["column"], requests.unmapped_codes["code"], strict=True)
    )
    assert ("source", "carrier_pigeon") in codes
    assert requests.dates["column"].tolist() == ["received_date", "decision_date"]
    assert requests.dates["first"].iloc[0] >= "2019-04-01"


def test_the_profile_command_writes_no_warehouse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = write_extracts(tmp_path / "x", {"requests": [*GOOD_EXTRACTS["requests"], BAD_SOURCE]})
    monkeypatch.chdir(tmp_path)
    before = sorted(tmp_path.rglob("*"))
    assert cli.main(["profile", str(folder)]) == 0
    assert sorted(tmp_path.rglob("*")) == before
    out = capsys.readouterr().out
    assert "requests.csv -> requests: 5 rows read, 4 would be kept, 1 quarantined" in out
    assert "unmapped code  source 'pigeon': 1" in out
    assert "no warehouse was written" in out


def test_one_uploaded_file_is_profiled_without_the_others(tmp_path: Path) -> None:
    folder = write_extracts(tmp_path / "x")
    profile = profile_file(folder / "episodes.csv", "episodes")
    (only,) = profile.files
    assert (only.rows_read, only.rows_kept, only.rows_quarantined) == (2, 2, 0)
