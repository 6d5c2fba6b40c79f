"""Which tests are `slow`: kept out of the quick subset (`pytest -m "not slow"`).

One table, by test path, so the choice is in one place and a test module needs no edit to
move in or out of the quick subset. Measured with `pytest --durations=0` on this 2-core
machine: the quick subset keeps the unit tests of every package and leaves out whatever
runs the dashboard in AppTest, prints a PDF, builds a demo load, starts a subprocess or
solves many random cases. A module or test named here that no longer exists stops the run.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

# Every test of these modules.
SLOW_MODULES = {
    "tests/app/test_aim_from_config.py": "AppTest runs the dashboard on a copied strategy",
    "tests/app/test_page_imports.py": "AppTest runs every page in a fresh process",
    "tests/app/test_pages.py": "AppTest runs the whole dashboard for every test",
    "tests/app/test_workbench.py": "AppTest checks, previews and saves a definition on a demo",
    "tests/config/test_access.py": "AppTest runs the dashboard per role",
    "tests/config/test_check.py": "binds every definition against a freshly built warehouse",
    "tests/demo/test_demo_load.py": "generates and loads a demo",
    "tests/load/test_other_system.py": "writes and loads the demo as a 190,000-row workbook",
    "tests/disclosure/test_publication.py": "every figure of the demo, then integer programmes",
    "tests/disclosure/test_ward_vintages.py": "its own demo load, then integer programmes",
    "tests/engine/test_compute.py": "computes the catalogue on the demo, twice with new YAML",
    "tests/engine/test_flow.py": "its own demo load and publication",
    "tests/engine/test_ward_2023.py": "computes the catalogue on the demo",
    "tests/load/test_load_files.py": "builds a warehouse from extracts in every test",
    "tests/load/test_load_identifying.py": "builds a warehouse from extracts in every test",
    "tests/load/test_load_injection.py": "builds a warehouse from extracts in every test",
    "tests/load/test_mapped.py": "builds a warehouse from extracts in every test",
    "tests/load/test_load_killed.py": "kills a loading subprocess",
    "tests/load/test_load_lock.py": "runs loads side by side",
    "tests/load/test_shrink_guard.py": "builds a serving warehouse, then loads over it",
    "tests/load/test_warehouse.py": "builds a warehouse from extracts in every test",
    "tests/publish/test_publication_tables.py": "computes the demo's publication afresh; loads",
    "tests/report/test_report.py": "board packs and ward reports as PDF",
    "tests/load/test_jsna_sources.py": "reads the shared demo load",
    "tests/present/test_jsna_spine.py": "reads the shared demo load",
    "tests/store/test_store.py": "builds a warehouse, then reads it from sixteen threads",
    "tests/app/test_review_pages.py": "AppTest runs an aim page and the Actions page",
    "tests/app/test_since_review.py": "AppTest runs the review page; one test loads the demo again",
    "tests/review/test_review_postgres.py": "starts a PostgreSQL server",
}

# Single tests in otherwise quick modules (any parameters of them).
SLOW_TESTS = {
    "tests/disclosure/test_disclosure.py::test_nothing_small_is_published_and_nothing_suppressed_can_be_worked_out",
    "tests/disclosure/test_quality_counts.py::test_a_scrutiny_member_sees_no_small_quarantine_count_on_the_page",
    "tests/test_cli.py::test_compute_and_report_refuse_a_definition_that_fails_check",
    "tests/test_cli.py::test_ensure_loads_extracts_once_and_then_leaves_the_warehouse_alone",
    "tests/test_cli.py::test_report_and_compute_before_any_warehouse_say_what_to_run",
    "tests/test_cli.py::test_a_bad_or_unknown_period_and_an_unknown_ward_are_refused",
    "tests/review/test_review_store.py::test_a_reload_of_the_warehouse_leaves_every_note_and_action",
    "tests/review/test_review_store.py::test_two_processes_writing_at_once_keep_every_action",
}


def is_slow(nodeid: str) -> bool:
    """Whether the test with this pytest node id (``tests/x.py::test_y[param]``) is slow."""
    test = nodeid.split("[", 1)[0]
    return test.split("::", 1)[0] in SLOW_MODULES or test in SLOW_TESTS


def unknown(root: Path, modules: dict[str, ModuleType]) -> list[str]:
    """Entries naming no test: a module not under `root`, or a test its collected module
    (`modules`, by path) does not define. A renamed test must not silently join the quick
    subset's budget."""
    stale = [m for m in SLOW_MODULES if not (root / m).is_file()]
    for entry in SLOW_TESTS:
        path, name = entry.split("::", 1)
        if path in modules and not hasattr(modules[path], name):
            stale.append(entry)
    return stale
