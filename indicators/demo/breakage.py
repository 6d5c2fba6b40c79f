"""Deliberately broken rows, so the loader's quarantine has something to show.

About 0.5% of each demo file is extra rows, each with exactly one defect of a
named kind. A broken row is a spare row (a key no clean row has, referenced
by nothing) with one value spoiled, so quarantining it takes nothing else
with it; a ``duplicate_key`` row is instead a copy of a clean row placed
after it, so the later occurrence is the one to quarantine. The manifest
records each broken row's physical line, column and kind, so a test can
check the loader found exactly these.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pyarrow as pa

from indicators.demo.extract import Extract, as_text

BROKEN_SHARE = 0.005
FUTURE = date(2099, 1, 1)  # a real date, but after any extract this product will read
UNKNOWN_ID_FROM = 90_000_000  # ids from here on are never issued by the demo


@dataclass(frozen=True)
class Defect:
    """One way to break a row.

    ``requires``: columns that must be recorded in the row before it is broken
    (a missing end date cannot be made out of order). ``other``: the column a
    ``date_out_of_order`` value must precede, or the column an ``inconsistent``
    row has emptied.
    """

    kind: str
    column: str
    requires: tuple[str, ...] = ()
    other: str | None = None


def _d(kind: str, column: str, *requires: str, other: str | None = None) -> Defect:
    return Defect(kind, column, requires, other)


DEFECTS: dict[str, tuple[Defect, ...]] = {
    "requests.csv": (
        _d("missing_value", "received_date"),
        _d("missing_value", "family_id"),
        _d("missing_value", "child_id"),
        _d("missing_value", "ward_code"),
        _d("not_a_date", "received_date"),
        _d("not_a_date", "decision_date", "decision_date"),
        _d("not_in_enumeration", "source"),
        _d("not_in_enumeration", "decision", "decision"),
        _d("not_in_enumeration", "thrive_level"),
        _d("malformed_code", "ward_code"),
        _d("malformed_code", "lsoa_code", "lsoa_code"),
        _d("unknown_code", "ward_code"),
        _d("unknown_code", "lsoa_code"),
        _d("date_out_of_order", "decision_date", "decision_date", other="received_date"),
        _d("date_in_future", "decision_date", "decision_date"),
        _d("duplicate_key", "request_id"),
        _d("inconsistent", "decision_date", "decision", other="decision"),
    ),
    "episodes.csv": (
        _d("missing_value", "start_date"),
        _d("missing_value", "family_id"),
        _d("missing_value", "ward_code"),
        _d("not_a_date", "start_date"),
        _d("not_a_date", "end_date", "end_date"),
        _d("not_an_integer", "children_in_family"),
        _d("not_a_boolean", "stepped_down_from_social_care"),
        _d("not_in_enumeration", "lead_agency"),
        _d("not_in_enumeration", "closure_reason", "end_date"),
        _d("not_in_enumeration", "needs"),
        _d("out_of_range", "children_in_family"),
        _d("malformed_code", "ward_code"),
        _d("malformed_code", "lsoa_code", "lsoa_code"),
        _d("unknown_code", "ward_code"),
        _d("unknown_code", "lsoa_code"),
        _d("date_out_of_order", "end_date", "end_date", other="start_date"),
        _d("date_in_future", "end_date", "end_date"),
        _d("duplicate_key", "episode_id"),
        _d("unknown_reference", "request_id"),
        _d("inconsistent", "closure_reason", "end_date", other="end_date"),
    ),
    "assessments.csv": (
        _d("missing_value", "started_date"),
        _d("not_a_date", "started_date"),
        _d("not_a_date", "completed_date", "completed_date"),
        _d("not_a_boolean", "child_voice_recorded", "completed_date"),
        _d("date_out_of_order", "completed_date", "completed_date", other="started_date"),
        _d("date_in_future", "completed_date", "completed_date"),
        _d("duplicate_key", "assessment_id"),
        _d("unknown_reference", "episode_id"),
    ),
    "outcomes.csv": (
        _d("missing_value", "score_start"),
        _d("missing_value", "recorded_date"),
        _d("not_a_date", "recorded_date"),
        _d("not_an_integer", "score_start"),
        _d("not_an_integer", "score_end", "score_end"),
        _d("out_of_range", "score_start"),
        _d("out_of_range", "score_end", "score_end"),
        _d("date_in_future", "recorded_date"),
        _d("duplicate_key", "episode_id"),
        _d("unknown_reference", "episode_id"),
    ),
    "programmes.csv": (
        _d("missing_value", "family_id"),
        _d("missing_value", "programme"),
        _d("missing_value", "start_date"),
        _d("missing_value", "ward_code"),
        _d("not_a_date", "start_date"),
        _d("not_a_date", "end_date", "end_date"),
        _d("not_a_boolean", "completed", "completed"),
        _d("not_a_boolean", "outcome_improved", "outcome_improved"),
        _d("not_in_enumeration", "evidence_level"),
        _d("malformed_code", "ward_code"),
        _d("unknown_code", "ward_code"),
        _d("date_out_of_order", "end_date", "end_date", other="start_date"),
        _d("date_in_future", "end_date", "end_date"),
        _d("duplicate_key", "enrolment_id"),
        _d("unknown_reference", "episode_id"),
    ),
    "hub_contacts.csv": (
        _d("missing_value", "ward_code"),
        _d("not_a_date", "contact_date"),
        _d("not_an_integer", "children"),
        _d("not_an_integer", "adults"),
        _d("out_of_range", "children"),
        _d("out_of_range", "adults"),
        _d("malformed_code", "ward_code"),
        _d("unknown_code", "ward_code"),
        _d("date_in_future", "contact_date"),
        _d("duplicate_key", "contact_date"),
    ),
    "feedback.csv": (
        _d("missing_value", "response_date"),
        _d("not_a_date", "response_date"),
        _d("not_an_integer", "satisfaction"),
        _d("not_a_boolean", "would_recommend"),
        _d("out_of_range", "satisfaction"),
        _d("date_in_future", "response_date"),
        _d("duplicate_key", "episode_id"),
        _d("unknown_reference", "episode_id"),
    ),
}

KEYS = {
    "requests.csv": ("request_id",),
    "episodes.csv": ("episode_id",),
    "assessments.csv": ("assessment_id",),
    "outcomes.csv": ("episode_id", "measure", "domain"),
    "programmes.csv": ("enrolment_id",),
    "hub_contacts.csv": ("contact_date", "site", "service"),
    "feedback.csv": ("episode_id",),
}
UNKNOWN_ID_PREFIX = {"request_id": "REQ-", "episode_id": "EP-"}

IMPOSSIBLE_DATES = ("2021-13-45", "31/02/2021", "2020-02-30", "2022-04-31")
NOT_INTEGERS = ("two", "3.5", "four", "2.5")
NOT_BOOLEANS = ("maybe", "perhaps", "tru", "unsure")
NOT_LISTED = {
    "source": ("carrier_pigeon", "fortune_teller"),
    "decision": ("maybe_later", "lost_in_post"),
    "thrive_level": ("getting_by", "thriving"),
    "lead_agency": ("private_detective", "neighbour"),
    "closure_reason": ("case_lost", "unknown_reason"),
    "evidence_level": ("gold_standard", "level_5"),
}
NOT_LISTED_NEED = "weather"
OUT_OF_RANGE = {
    "children_in_family": ("0", "25", "40", "-1"),
    "score_start": ("0", "11", "15"),
    "score_end": ("0", "11", "15"),
    "satisfaction": ("0", "6", "7"),
    "children": ("-1", "-3"),
    "adults": ("-1", "-3"),
}
CODE_PREFIX = {"ward_code": "E05", "lsoa_code": "E01"}


@dataclass(frozen=True)
class BrokenRows:
    """Broken rows of one file, as text, in the order they appear in the file.

    ``after[i]`` is how many clean rows come before broken row ``i``.
    """

    rows: pa.Table
    after: np.ndarray
    defects: tuple[Defect, ...]

    def lines(self) -> np.ndarray:
        """1-based physical line of each broken row (the header is line 1)."""
        return 2 + self.after + np.arange(self.after.size)


def break_extract(extract: Extract, rng: np.random.Generator) -> BrokenRows:
    """About 0.5% extra rows for one file, every defect kind of the file at least once."""
    recipes = DEFECTS[extract.name]
    clean_rows = extract.clean.num_rows
    count = max(len(recipes), round(BROKEN_SHARE * clean_rows))
    chosen = np.concatenate(
        [np.arange(len(recipes)), rng.integers(0, len(recipes), count - len(recipes))]
    )
    spare = as_text(extract.spare)
    unused = np.ones(spare.num_rows, dtype=bool)
    parts: list[tuple[pa.Table, np.ndarray, Defect]] = []
    for index, times in sorted(Counter(chosen.tolist()).items()):
        defect = recipes[index]
        if defect.kind == "duplicate_key":
            parts.append(duplicates(extract.clean, times, defect, rng))
        else:
            parts.append(spoiled(spare, unused, times, defect, rng, clean_rows))
    rows = pa.concat_tables([part[0] for part in parts])
    after = np.concatenate([part[1] for part in parts])
    defects = tuple(part[2] for part in parts for _ in range(part[0].num_rows))
    order = np.argsort(after, kind="stable")
    broken = BrokenRows(rows.take(pa.array(order)), after[order], tuple(defects[i] for i in order))
    check_unique_keys(extract.name, broken)
    return broken


def duplicates(
    clean: pa.Table, times: int, defect: Defect, rng: np.random.Generator
) -> tuple[pa.Table, np.ndarray, Defect]:
    """Exact copies of clean rows, each placed somewhere after its original."""
    source = np.sort(rng.choice(clean.num_rows, size=times, replace=False))
    after = rng.integers(source + 1, clean.num_rows + 1)
    return as_text(clean.take(pa.array(source))), after, defect


def spoiled(
    spare: pa.Table,
    unused: np.ndarray,
    times: int,
    defect: Defect,
    rng: np.random.Generator,
    clean_rows: int,
) -> tuple[pa.Table, np.ndarray, Defect]:
    """Spare rows that meet the defect's preconditions, each with one value spoiled."""
    eligible = unused.copy()
    for column in defect.requires:
        eligible &= spare.column(column).is_valid().to_numpy(zero_copy_only=False)
    candidates = np.flatnonzero(eligible)
    if candidates.size < times:
        raise RuntimeError(f"not enough spare rows to make {times} {defect.kind} rows")
    picked = np.sort(rng.choice(candidates, size=times, replace=False))
    unused[picked] = False
    rows = spare.take(pa.array(picked)).to_pylist()
    for serial, row in enumerate(rows):
        spoil(row, defect, serial)
    after = rng.integers(0, clean_rows + 1, times)
    return pa.Table.from_pylist(rows, schema=spare.schema), after, defect


def spoil(row: dict[str, str | None], defect: Defect, serial: int) -> None:
    """Give ``row`` the one defect; ``serial`` varies the bad value and keeps keys unique."""
    column, kind = defect.column, defect.kind
    value = row[column]
    if kind == "inconsistent":
        row[defect.other] = None
        return
    if kind == "missing_value":
        row[column] = None
    elif kind == "not_a_date":
        row[column] = not_a_date(serial)
    elif kind == "not_an_integer":
        row[column] = NOT_INTEGERS[serial % len(NOT_INTEGERS)]
    elif kind == "not_a_boolean":
        row[column] = NOT_BOOLEANS[serial % len(NOT_BOOLEANS)]
    elif kind == "not_in_enumeration":
        row[column] = unlisted(column, value, serial)
    elif kind == "out_of_range":
        row[column] = OUT_OF_RANGE[column][serial % len(OUT_OF_RANGE[column])]
    elif kind == "malformed_code":
        row[column] = malformed_code(value, serial)
    elif kind == "unknown_code":
        row[column] = f"{CODE_PREFIX[column]}{999_999 - serial % 1000:06d}"
    elif kind == "date_out_of_order":
        earlier = date.fromisoformat(row[defect.other]) - timedelta(days=1 + serial % 30)
        row[column] = earlier.isoformat()
    elif kind == "date_in_future":
        row[column] = (FUTURE + timedelta(days=serial)).isoformat()
    elif kind == "unknown_reference":
        row[column] = f"{UNKNOWN_ID_PREFIX[column]}{UNKNOWN_ID_FROM + serial}"
    else:
        raise ValueError(f"no way to make a {kind} row")


def not_a_date(serial: int) -> str:
    """Date-like text no calendar has, distinct for every serial (below ~16,000).

    Distinct values matter where the date is part of a key (hub contacts).
    """
    if serial < len(IMPOSSIBLE_DATES):
        return IMPOSSIBLE_DATES[serial]
    month = 13 + (serial // 6) % 87
    return f"{2019 + serial % 6}-{month}-{1 + (serial // 522) % 31:02d}"


def unlisted(column: str, value: str | None, serial: int) -> str:
    """A value outside the column's list; for ``needs``, one need replaced by an unlisted one."""
    if column == "needs":
        return ";".join([NOT_LISTED_NEED, *(value or "").split(";")[1:]])
    return NOT_LISTED[column][serial % len(NOT_LISTED[column])]


def malformed_code(code: str | None, serial: int) -> str:
    """A typo of a real code: truncated, too long, letter dropped or a stray hyphen."""
    code = code or "E05008728"
    shapes = (code[:5], code + "1", code[1:], f"{code[:3]}-{code[3:]}")
    return shapes[serial % len(shapes)]


def check_unique_keys(name: str, broken: BrokenRows) -> None:
    """Spoiled rows must not collide with each other, or a row would carry two defects."""
    keys = [
        tuple(row[column] for column in KEYS[name])
        for row, defect in zip(
            broken.rows.select(list(KEYS[name])).to_pylist(), broken.defects, strict=True
        )
        if defect.kind != "duplicate_key"
    ]
    if len(set(keys)) != len(keys):
        raise RuntimeError(f"broken rows of {name} share a key")
