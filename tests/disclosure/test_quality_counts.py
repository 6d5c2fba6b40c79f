"""Quarantine counts shown to non-analysts: nothing small shown or derivable."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from disclosure_attack import integer_ranges
from signed_in import CLERK, run_page

from indicators.disclosure.quality_counts import protected_counts

LOG = pd.DataFrame(
    {
        "file": ["requests.csv", "episodes.csv", "wards.csv"],
        "kind": ["extract", "extract", "reference"],
        "rows_read": [1000, 800, 37],
        "rows_kept": [997, 780, 37],
        "rows_quarantined": [3, 20, 0],
    }
)
REASONS = pd.DataFrame(
    {
        "file": ["requests.csv", "requests.csv", "episodes.csv", "episodes.csv", "episodes.csv"],
        "column": ["ward_code", "received_date", "end_date", "lead_agency", "start_date"],
        "reason": ["unknown_code", "not_a_date", "date_out_of_order", "not_in_enumeration",
                   "not_a_date"],
        "rows": [2, 1, 12, 6, 2],
    }
)  # fmt: skip


def test_small_quarantine_counts_and_what_gives_them_away_are_withheld() -> None:
    log, reasons = protected_counts(LOG, REASONS, 5)
    # requests.csv: 3 quarantined (small), so read - kept would give it away.
    assert log.loc[0, ["rows_quarantined"]].isna().all()
    assert log.loc[0, ["rows_read", "rows_kept"]].isna().sum() == 1
    assert reasons.loc[[0, 1], "rows"].isna().all()
    # episodes.csv: 20 quarantined; the 2 and the next smallest reason go, totals stay.
    assert reasons.loc[4, "rows"] is pd.NA and reasons.loc[3, "rows"] is pd.NA
    assert log.loc[1, "rows_quarantined"] == 20 and reasons.loc[2, "rows"] == 12
    # A reference file with nothing quarantined is untouched.
    assert log.loc[2, ["rows_read", "rows_kept", "rows_quarantined"]].tolist() == [37, 37, 0]


def test_nothing_withheld_can_be_worked_out() -> None:
    """Solve read = kept + quarantined and quarantined = sum of reasons for each small count."""
    log, reasons = protected_counts(LOG, REASONS, 5)
    columns = ["rows_read", "rows_kept", "rows_quarantined"]
    truth = [*LOG[columns].to_numpy().ravel(), *REASONS["rows"]]
    published = [*log[columns].to_numpy().ravel(), *reasons["rows"]]
    reason_of = {
        f: [3 * len(LOG) + i for i in REASONS.index[REASONS["file"] == f]] for f in LOG.file
    }
    relations = []
    for i, file in enumerate(LOG["file"]):
        relations.append({3 * i: 1.0, 3 * i + 1: -1.0, 3 * i + 2: -1.0})
        if reason_of[file]:
            relations.append({3 * i + 2: 1.0, **{r: -1.0 for r in reason_of[file]}})
    shown = {v: float(x) for v, x in enumerate(published) if x is not pd.NA}
    small = [v for v, x in enumerate(truth) if 0 < x < 5]
    assert small and not set(small) & set(shown)
    ranges = integer_ranges(len(truth), relations, shown, [{v: 1.0} for v in small])
    assert all(high - low >= 1 for low, high in ranges), ranges


def test_a_scrutiny_member_sees_no_small_quarantine_count_on_the_page(
    broken_warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One quarantined request: the page shows neither the 1 nor read and kept together."""
    clerk = run_page(broken_warehouse, monkeypatch, "pages/data_quality.py", CLERK)
    assert not clerk.exception
    tables = {tuple(d.value.columns): d.value for d in clerk.dataframe}
    log = next(t for columns, t in tables.items() if "rows_quarantined" in columns)
    requests = log[log["file"] == "requests.csv"].iloc[0]
    assert pd.isna(requests["rows_quarantined"])
    assert pd.isna(requests["rows_read"]) or pd.isna(requests["rows_kept"])
    reasons = next(t for columns, t in tables.items() if "reason" in columns)
    assert reasons["rows"].isna().all()
    assert any("withheld" in c.value for c in clerk.caption)
