"""Synthetic early help extracts, so the dashboard can be shown and tested without real data.

The files follow data contract section 3 column for column, sit on
Stoke-on-Trent's real geography, and tell the strategy's story (see
``demo_cases`` and ``demo_support``). They describe no real child or
family. About 0.5% of each file is deliberately broken, one defect per row,
and ``demo_manifest.json`` lists every broken row's line, column and kind so
the loader's quarantine can be checked against it.

The same seed and scale always give byte-identical files. ``scale`` K
multiplies every table's volume by K (K times the hub sites), which is how
the loader and engine are load-tested.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from indicators.demo.breakage import BrokenRows, break_extract
from indicators.demo.case_tables import simulate_cases
from indicators.demo.extract import Extract, as_text, copies_with_new_ids
from indicators.demo.hubs import simulate_hub_contacts
from indicators.demo.setting import Geography, load_geography
from indicators.demo.support import (
    simulate_assessments,
    simulate_feedback,
    simulate_outcomes,
    simulate_programmes,
)

EXTRACT_COLUMNS: dict[str, tuple[str, ...]] = {
    "requests.csv": (
        "request_id",
        "family_id",
        "child_id",
        "received_date",
        "source",
        "ward_code",
        "lsoa_code",
        "decision",
        "decision_date",
        "thrive_level",
    ),
    "episodes.csv": (
        "episode_id",
        "family_id",
        "request_id",
        "start_date",
        "end_date",
        "ward_code",
        "lsoa_code",
        "lead_agency",
        "thrive_level",
        "stepped_down_from_social_care",
        "closure_reason",
        "needs",
        "children_in_family",
    ),
    "assessments.csv": (
        "assessment_id",
        "episode_id",
        "started_date",
        "completed_date",
        "child_voice_recorded",
    ),
    "outcomes.csv": (
        "episode_id",
        "measure",
        "domain",
        "score_start",
        "score_end",
        "recorded_date",
    ),
    "programmes.csv": (
        "enrolment_id",
        "family_id",
        "episode_id",
        "programme",
        "evidence_level",
        "start_date",
        "end_date",
        "completed",
        "outcome_improved",
        "ward_code",
    ),
    "hub_contacts.csv": ("contact_date", "site", "ward_code", "service", "children", "adults"),
    "feedback.csv": ("episode_id", "response_date", "satisfaction", "would_recommend"),
}
MANIFEST = "demo_manifest.json"
DESCRIPTION = (
    "Synthetic demo extracts for the Early Help and Prevention Strategy dashboard. "
    "Every row is generated at random: these are synthetic records, not real children "
    "or families. Only the geography is real (Stoke-on-Trent LSOAs 2011, wards 2019, "
    "IMD 2019 deciles, ONS mid-2019 population; Open Government Licence v3.0). About "
    "0.5% of each file's rows are deliberately broken, one defect each, listed in "
    "broken_rows with their physical line (header = line 1)."
)
CHUNK_ROWS = 250_000
# The header is written by hand: Arrow's writer quotes column names, and the option
# that stops it (``quoting_header``) is missing from older pyarrow releases.
WRITE_OPTIONS = pacsv.WriteOptions(include_header=False, quoting_style="none")


@dataclass(frozen=True)
class DemoSummary:
    """What ``generate_demo`` wrote: data rows per file (broken rows included)."""

    out_dir: Path
    files: dict[str, int]
    broken_rows: int

    @property
    def total_rows(self) -> int:
        return sum(self.files.values())


def generate_demo(out_dir: Path, *, seed: int = 2020, scale: int = 1) -> DemoSummary:
    """Write the seven synthetic extracts and ``demo_manifest.json`` into ``out_dir``.

    Scale 1 is about 6,000 requests a year for 2019/20-2024/25 (~190,000
    rows in all, under a second); scale 100 is several million rows per
    table (~19 million in all, measured at ~12 s and under 2 GB of memory).

    Example: ``generate_demo(Path("data/demo")).files["requests.csv"]  # ~39,000``
    """
    if isinstance(scale, bool) or not isinstance(scale, int) or scale < 1:
        raise ValueError(f"scale must be a positive whole number, not {scale!r}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    geography = load_geography()
    files: dict[str, int] = {}
    broken_rows: list[dict[str, object]] = []
    for extract in simulate_extracts(geography, rng, scale):
        clean = extract.clean.select(list(EXTRACT_COLUMNS[extract.name]))
        broken = break_extract(Extract(extract.name, clean, extract.spare), rng)
        files[extract.name] = write_extract(out_dir / extract.name, clean, broken)
        broken_rows.extend(manifest_entries(extract.name, broken))
    write_manifest(out_dir / MANIFEST, seed=seed, scale=scale, files=files, broken_rows=broken_rows)
    return DemoSummary(out_dir=out_dir, files=files, broken_rows=len(broken_rows))


def simulate_extracts(
    geography: Geography, rng: np.random.Generator, scale: int
) -> Iterator[Extract]:
    """The extracts in contract order, one at a time so each can be written and freed."""
    cases = simulate_cases(geography, rng, scale)
    episodes = cases.episode_facts
    yield Extract(
        "requests.csv",
        cases.requests,
        copies_with_new_ids(cases.requests, "request_id", "REQ-", rng),
    )
    yield Extract(
        "episodes.csv",
        cases.episodes,
        copies_with_new_ids(cases.episodes, "episode_id", "EP-", rng),
    )
    assessments, assessed = simulate_assessments(episodes, rng)
    yield assessments
    yield simulate_outcomes(episodes, assessed, rng)
    yield simulate_programmes(episodes, cases.families, geography, rng, scale)
    yield simulate_hub_contacts(geography, rng, scale)
    yield simulate_feedback(episodes, rng)


def write_extract(path: Path, clean: pa.Table, broken: BrokenRows) -> int:
    """Stream the clean rows as CSV text with the broken rows slotted in; returns data rows.

    Works in chunks so a scale-100 table is never held as text all at once.
    """
    schema = pa.schema([(name, pa.string()) for name in clean.column_names])
    total = clean.num_rows
    with (
        path.open("wb") as sink,
        pacsv.CSVWriter(sink, schema, write_options=WRITE_OPTIONS) as writer,
    ):
        sink.write((",".join(clean.column_names) + "\n").encode("utf-8"))
        for start in range(0, max(total, 1), CHUNK_ROWS):
            stop = min(start + CHUNK_ROWS, total)
            first = np.searchsorted(broken.after, start, side="left")
            last = (
                broken.after.size
                if stop == total
                else np.searchsorted(broken.after, stop, side="left")
            )
            text = as_text(clean.slice(start, stop - start)).cast(schema)
            inserted = broken.rows.slice(first, last - first).cast(schema)
            # Broken row with ``after == k`` sits just before clean row k.
            position = np.concatenate(
                [2 * np.arange(start, stop) + 1, 2 * broken.after[first:last]]
            )
            order = np.argsort(position, kind="stable")
            writer.write_table(pa.concat_tables([text, inserted]).take(pa.array(order)))
    return total + broken.rows.num_rows


def manifest_entries(name: str, broken: BrokenRows) -> list[dict[str, object]]:
    return [
        {"file": name, "line": int(line), "column": defect.column, "kind": defect.kind}
        for line, defect in zip(broken.lines(), broken.defects, strict=True)
    ]


def write_manifest(
    path: Path,
    *,
    seed: int,
    scale: int,
    files: dict[str, int],
    broken_rows: list[dict[str, object]],
) -> None:
    manifest = {
        "synthetic": True,
        "seed": seed,
        "scale": scale,
        "generated_by": "indicators.demo.generate",
        "description": DESCRIPTION,
        "period": {"from": "2019-04-01", "to": "2025-03-31"},
        "files": files,
        "broken_rows": broken_rows,
    }
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        json.dump(manifest, handle, indent=1)
        handle.write("\n")
