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
    "tests/app/test_pages.py": "AppTest runs the whole dashboard for every test",
    "tests/config/test_access.py": "AppTest runs the dashboard per role",
    "tests/demo/test_demo_load.py": "generates and loads a demo",
    "tests/disclosure/test_publication.py": "every figure of the demo, then integer programmes",
    "tests/engine/test_compute.py": "computes the catalogue on the demo, twice with new YAML",
    "tests/engine/test_flow.py": "its own demo load and publication",
    "tests/load/test_load_killed.py": "kills a loading subprocess",
    "tests/report/test_report.py": "board packs and ward reports as PDF",
}

# Single tests in otherwise quick modules (any parameters of them).
SLOW_TESTS = {
    "tests/config/test_check.py::test_command_exits_non_zero_on_mistakes_and_zero_on_the_shipped_file",
    "tests/config/test_check.py::test_compute_command_writes_every_indicator",
    "tests/disclosure/test_disclosure.py::test_nothing_small_is_published_and_nothing_suppressed_can_be_worked_out",
    "tests/disclosure/test_quality_counts.py::test_a_scrutiny_member_sees_no_small_quarantine_count_on_the_page",
    "tests/load/test_load_files.py::test_device_named_like_an_extract",
    "tests/load/test_load_files.py::test_field_over_128_kib_is_refused",
    "tests/load/test_load_files.py::test_fifo_beside_the_extracts_does_not_hang",
    "tests/load/test_load_files.py::test_file_size_limit_in_a_subprocess",
    "tests/load/test_load_files.py::test_full_disk",
    "tests/load/test_load_files.py::test_link_to_a_file_inside_the_folder_is_read",
    "tests/load/test_load_files.py::test_read_only_warehouse_folder",
    "tests/load/test_load_files.py::test_workbook_over_sheets_with_different_headers_is_refused",
    "tests/load/test_load_files.py::test_workbook_over_sheets_with_one_header_is_read_whole",
    "tests/load/test_load_lock.py::test_waiting_load_goes_ahead_when_the_holder_finishes",
    "tests/load/test_shrink_guard.py::test_cli_names_the_override_and_accepts_it",
    "tests/load/test_shrink_guard.py::test_the_share_is_configurable",
    "tests/load/test_warehouse.py::test_loading_twice_gives_the_same_content",
    "tests/load/test_warehouse.py::test_same_extracts_in_xlsx_and_parquet_load_the_same",
    "tests/test_cli.py::test_compute_and_report_refuse_a_definition_that_fails_check",
    "tests/test_cli.py::test_ensure_loads_extracts_once_and_then_leaves_the_warehouse_alone",
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
