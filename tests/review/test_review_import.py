"""config/commentary.yaml imports once, all-or-nothing; everything exports to CSV."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from review_helpers import INDICATOR, PERIOD, STRATEGY

from indicators.cli import main
from indicators.review import reading
from indicators.review.importing import import_commentary
from indicators.review.rules import ReviewRefused
from indicators.review.settings import StoreSettings
from indicators.review.store import ReviewStore

YAML = f"""
- indicator: {INDICATOR}
  period: {PERIOD}
  author: Service manager
  narrative: "=HYPERLINK(\\"http://x\\") two posts vacant"
  actions:
    - Recruit to both posts
    - {{action: Review rota, owner: Team lead, due_date: 2025-03-31}}
"""


@pytest.fixture
def store(tmp_path: Path) -> ReviewStore:
    return ReviewStore(StoreSettings(tmp_path / "review.sqlite"))


def test_the_yaml_imports_once_and_says_so_the_second_time(store, tmp_path: Path) -> None:
    path = tmp_path / "commentary.yaml"
    path.write_text(YAML, encoding="utf-8")
    first = import_commentary(store, STRATEGY, path)
    again = import_commentary(store, STRATEGY, path)
    assert (first.narratives, first.actions, first.already) == (1, 2, None)
    assert (again.narratives, again.actions) == (0, 0) and again.already
    assert len(reading.narratives(store)) == 1
    assert list(reading.actions(store)["owner"].fillna("")) == ["", "Team lead"]
    assert set(reading.narratives(store)["written_by"]) == {"Service manager"}


def test_a_file_with_bad_entries_imports_nothing_and_names_every_one(store, tmp_path) -> None:
    path = tmp_path / "commentary.yaml"
    path.write_text(
        YAML + "- {indicator: nope, period: 2024 H2, narrative: x}\n"
        f"- {{indicator: {INDICATOR}, period: 2024 H2, "
        "actions: [{action: a, due_date: soon}]}\n",
        encoding="utf-8",
    )
    with pytest.raises(ReviewRefused) as refused:
        import_commentary(store, STRATEGY, path)
    assert str(refused.value).splitlines() == [
        "config/commentary.yaml: entry 2: indicator: 'nope' is not an indicator of the strategy "
        "(see config/indicators.yaml)",
        "config/commentary.yaml: entry 3: due date: 'soon' is not a date; write it as "
        "YYYY-MM-DD, e.g. 2025-03-31",
        "nothing was imported",
    ]
    assert (reading.narratives(store).empty and not store.settings.path.exists()) or (
        reading.narratives(store).empty
    )


def test_the_commands_import_and_export_to_csv(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.setenv("EARLY_HELP_REVIEW_STORE", str(tmp_path / "review.sqlite"))
    path = tmp_path / "commentary.yaml"
    path.write_text(YAML, encoding="utf-8")
    assert main(["review", "import", str(path)]) == 0
    assert main(["review", "import", str(path)]) == 0
    assert main(["review", "export", "--out", str(tmp_path / "out")]) == 0
    printed = capsys.readouterr().out
    assert "1 narrative(s) and 2 action(s) imported" in printed and "nothing to do" in printed
    narratives = pd.read_csv(tmp_path / "out" / "narratives.csv")
    assert narratives["narrative"].iloc[0].startswith("'=HYPERLINK")  # inert in a spreadsheet
    assert len(pd.read_csv(tmp_path / "out" / "action_revisions.csv")) == 2
    assert len(pd.read_csv(tmp_path / "out" / "imports.csv")) == 1
    bad = tmp_path / "bad.yaml"
    bad.write_text("- {indicator: nope, period: 2024 H2}\n", encoding="utf-8")
    assert main(["review", "import", str(bad)]) == 1
    assert "entry 1: indicator: 'nope'" in capsys.readouterr().err
