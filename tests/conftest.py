"""Shared fixtures: a small, valid, hand-made set of extracts and a warehouse built from it,
and the one demo load every test that only reads a realistic warehouse shares.

Bad-input tests copy the good set and change one thing, so each test shows
exactly which defect leads to which outcome.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import slow_tests

from indicators.demo.generate import generate_demo
from indicators.load.warehouse import build_warehouse

# Real Stoke codes: LSOA E01014274 is in Fenton East (E05008728),
# E01014331 in Baddeley, Milton and Norton (E05008715).
GOOD_EXTRACTS: dict[str, list[str]] = {
    "requests": [
        "request_id,family_id,child_id,received_date,source,ward_code,lsoa_code,decision,"
        "decision_date,thrive_level",
        "R1,F1,C1,2019-05-02,school,E05008728,E01014274,early_help,2019-05-03,getting_help",
        "R2,F2,C2,2020-11-10,self_or_family,E05008715,E01014331,advice_signposting,2020-11-10,"
        "getting_advice",
        "R3,F3,C3,2021-01-04,health,E05008715,,early_help,2021-01-06,getting_more_help",
        "R4,F4,C4,2024-03-01,police,E05008728,E01014274,,,",
    ],
    "episodes": [
        "episode_id,family_id,request_id,start_date,end_date,ward_code,lsoa_code,lead_agency,"
        "thrive_level,stepped_down_from_social_care,closure_reason,needs,children_in_family",
        "E1,F1,R1,2019-05-10,2019-11-30,E05008728,E01014274,council,getting_help,false,"
        "needs_met,education;health,2",
        "E2,F3,R3,2021-01-11,,E05008715,,school,getting_more_help,true,,domestic_abuse,3",
    ],
    "assessments": [
        "assessment_id,episode_id,started_date,completed_date,child_voice_recorded",
        "A1,E1,2019-05-12,2019-06-20,true",
        "A2,E2,2021-01-12,,",
    ],
    "outcomes": [
        "episode_id,measure,domain,score_start,score_end,recorded_date",
        "E1,family_star_plus,education,4,7,2019-11-30",
        "E1,family_star_plus,health,5,6,2019-11-30",
    ],
    "programmes": [
        "enrolment_id,family_id,episode_id,programme,evidence_level,start_date,end_date,"
        "completed,outcome_improved,ward_code",
        "P1,F1,E1,Group parenting 0-5,3,2019-06-01,2019-08-01,true,true,E05008728",
        "P2,F9,,Peer support group,not_rated,2022-02-01,,,,E05008715",
    ],
    "hub_contacts": [
        "contact_date,site,ward_code,service,children,adults",
        "2021-03-01,Family hub North,E05008715,drop_in,12,9",
        "2021-03-01,Family hub North,E05008715,advice,0,3",
    ],
    "feedback": [
        "episode_id,response_date,satisfaction,would_recommend",
        "E1,2019-12-05,5,true",
    ],
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark `slow` what `slow_tests` lists, and every browser and engine-parity test: they
    start servers, so the quick subset (`-m "not slow"`) never waits for Chromium,
    PostgreSQL or Spark."""
    modules = {i.nodeid.split("::", 1)[0]: i.module for i in items if getattr(i, "module", None)}
    stale = slow_tests.unknown(Path(str(config.rootpath)), modules)
    if stale:
        raise pytest.UsageError(f"tests/slow_tests.py names tests that do not exist: {stale}")
    for item in items:
        server = item.get_closest_marker("browser") or item.get_closest_marker("engines")
        if server or slow_tests.is_slow(item.nodeid):
            item.add_marker(pytest.mark.slow)


def write_extracts(folder: Path, changes: dict[str, list[str]] | None = None) -> Path:
    """Write the good extract set to `folder`, with whole files replaced by `changes`."""
    folder.mkdir(parents=True, exist_ok=True)
    for table, lines in {**GOOD_EXTRACTS, **(changes or {})}.items():
        (folder / f"{table}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def quiet(_message: str) -> None:
    """Progress sink for tests."""


@pytest.fixture
def good_extracts(tmp_path: Path) -> Path:
    return write_extracts(tmp_path / "extracts")


@pytest.fixture
def serving_warehouse(tmp_path: Path, good_extracts: Path) -> Path:
    """A warehouse built from the good extracts, as if it had been serving for a while."""
    path = tmp_path / "serving" / "warehouse.duckdb"
    build_warehouse(good_extracts, path, progress=quiet)
    return path


@pytest.fixture
def copy_of(tmp_path: Path):
    def _copy(folder: Path, name: str) -> Path:
        return Path(shutil.copytree(folder, tmp_path / name))

    return _copy


# A request whose ward code is malformed: quarantined with its raw record.
BAD_WARD = "R5,F5,C5,2021-02-02,school,E0500,E01014274,early_help,2021-02-03,getting_help"


@pytest.fixture(scope="module")
def broken_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse whose quarantine holds one raw record (a malformed ward code)."""
    folder = tmp_path_factory.mktemp("broken")
    extracts = write_extracts(folder / "x", {"requests": [*GOOD_EXTRACTS["requests"], BAD_WARD]})
    path = folder / "w.duckdb"
    build_warehouse(extracts, path, progress=quiet)
    return path


# The seed the browser tests always used, so their pages show the data they were written for.
DEMO_SEED = 5


@dataclass(frozen=True)
class DemoLoad:
    """The shared demo: its extracts (with the manifest of deliberately broken rows) and the
    warehouse loaded from them."""

    extracts: Path
    warehouse: Path


def fingerprint(folder: Path) -> dict[str, str]:
    """Every file under `folder` with a hash of its bytes: a write, a new file (a DuckDB WAL,
    a swapped-in load) or a removed one all change it."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="session")
def demo_load(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoLoad]:
    """One demo generated and loaded once per session (seconds each time on two cores) for
    every test that only reads it. A test that writes, swaps or needs another seed or scale
    builds its own: the session fails at its end if anything here changed."""
    folder = tmp_path_factory.mktemp("shared-demo")
    extracts = generate_demo(folder / "extracts", seed=DEMO_SEED).out_dir
    warehouse = folder / "warehouse" / "warehouse.duckdb"
    build_warehouse(extracts, warehouse, progress=quiet)
    before = fingerprint(folder)
    yield DemoLoad(extracts, warehouse)
    after = fingerprint(folder)
    changed = sorted(
        name for name in before.keys() | after.keys() if before.get(name) != after.get(name)
    )
    assert not changed, f"a test wrote into the shared demo load (give it its own): {changed}"


@pytest.fixture(scope="session")
def demo_warehouse(demo_load: DemoLoad) -> Path:
    """The shared demo warehouse, read only (see `demo_load`)."""
    return demo_load.warehouse


@dataclass(frozen=True)
class LeftOutLoad:
    """The shared demo loaded under a strategy file with two broken definitions: the first
    indicator reads `quarantine`, the THRIVE mix reads `load_log` (neither may be read)."""

    config: Path
    warehouse: Path
    refused: str  # the first indicator's id
    thrive: str


@pytest.fixture(scope="session")
def left_out_load(demo_load: DemoLoad, tmp_path_factory: pytest.TempPathFactory) -> LeftOutLoad:
    import yaml

    from indicators.paths import CONFIG_PATH

    folder = tmp_path_factory.mktemp("left-out")
    document = yaml.safe_load(CONFIG_PATH.read_text(encoding="utf-8"))
    refused = document["indicators"][0]
    refused["source"] = "quarantine"
    thrive = next(i for i in document["indicators"] if i["id"] == "thrive_mix_of_requests")
    thrive["source"] = "load_log"
    config = folder / "indicators.yaml"
    config.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    warehouse = folder / "warehouse.duckdb"
    build_warehouse(demo_load.extracts, warehouse, config_path=config, progress=quiet)
    return LeftOutLoad(config, warehouse, refused["id"], thrive["id"])
