"""Files that are not what they claim: each stops the load quickly, naming the file.

Workbooks spread over sheets, huge fields, folders, pipes, devices and
links named like extracts, a read-only or full warehouse folder, a header
repeated by case. Every case asserts the exact message, that it came within
a bound of time, and that the serving warehouse did not change.
"""

from __future__ import annotations

import contextlib
import io
import os
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from conftest import GOOD_EXTRACTS, quiet, write_extracts
from test_load_injection import SECRET, warehouse_text
from test_warehouse import fingerprint

from indicators.load import inputs
from indicators.load.mapped import ExtractSource
from indicators.load.staging import LoadError
from indicators.load.warehouse import build_warehouse
from indicators.paths import PROJECT_ROOT

# Every refusal here comes before any extract is checked; a few seconds is generous.
BOUND_SECONDS = 15


@pytest.fixture(scope="module")
def serving(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One serving warehouse for the module: every load here must fail without touching it."""
    root = tmp_path_factory.mktemp("serving")
    path = root / "serving" / "warehouse.duckdb"
    build_warehouse(write_extracts(root / "good"), path, progress=quiet)
    return path


@contextlib.contextmanager
def deadline(seconds: int) -> Iterator[None]:
    """Fail (rather than hang the suite) if the block runs longer than `seconds`."""

    def _expired(_signum, _frame):
        raise TimeoutError(f"the load did not stop within {seconds} s")

    previous = signal.signal(signal.SIGALRM, _expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def refused(folder: Path, serving: Path) -> str:
    """Load `folder` over `serving`, expecting a stop; the message, checked for no side effects."""
    before = fingerprint(serving)
    started = time.monotonic()
    with deadline(BOUND_SECONDS), pytest.raises(LoadError) as err:
        build_warehouse(folder, serving, progress=quiet)
    assert time.monotonic() - started < BOUND_SECONDS
    assert fingerprint(serving) == before
    assert not list(serving.parent.glob(".build-*"))
    return str(err.value)


def requests_frame() -> pd.DataFrame:
    text = "\n".join(GOOD_EXTRACTS["requests"])
    return pd.read_csv(io.StringIO(text), dtype=str).fillna("")


def test_workbook_over_sheets_with_one_header_is_read_whole(tmp_path: Path) -> None:
    folder = write_extracts(tmp_path / "x")
    (folder / "requests.csv").unlink()
    frame = requests_frame()
    with pd.ExcelWriter(folder / "requests.xlsx") as book:
        frame.iloc[:1].to_excel(book, sheet_name="2019", index=False)
        pd.DataFrame().to_excel(book, sheet_name="notes", index=False)  # empty: ignored
        frame.iloc[1:].to_excel(book, sheet_name="2020-24", index=False)
    report = build_warehouse(folder, tmp_path / "w.duckdb", progress=quiet)
    requests = next(f for f in report.files if f.table_name == "requests")
    assert (requests.rows_read, requests.rows_kept) == (4, 4)


def test_workbook_over_sheets_with_different_headers_is_refused(
    tmp_path: Path, serving: Path
) -> None:
    folder = write_extracts(tmp_path / "x")
    (folder / "requests.csv").unlink()
    frame = requests_frame()
    with pd.ExcelWriter(folder / "requests.xlsx") as book:
        frame.to_excel(book, sheet_name="Data", index=False)
        frame[["request_id", "source"]].to_excel(book, sheet_name="Summary", index=False)
    message = refused(folder, serving)
    assert message == (
        "requests.xlsx: the table is spread over sheets with different headers (sheet 'Data': "
        + ", ".join(repr(c) for c in frame.columns)
        + "; sheet 'Summary': 'request_id', 'source'); put it on one sheet, or give every "
        "sheet the same header"
    )


@pytest.mark.parametrize("multiline", [False, True], ids=["one line", "spanning lines"])
def test_field_over_128_kib_is_refused(tmp_path: Path, serving: Path, multiline: bool) -> None:
    folder = write_extracts(tmp_path / "x")
    big = "x" * (200 * 1024)
    field = f'"{big}\nmore"' if multiline else big
    lines = [*GOOD_EXTRACTS["hub_contacts"], f"2021-03-02,{field},E05008715,group,3,2"]
    (folder / "hub_contacts.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert refused(folder, serving) == (
        "hub_contacts.csv: line 4: longer than 128 KiB (1 such line(s)); no extract field "
        "needs that much, check the export"
    )


def test_header_over_128_kib_is_refused(tmp_path: Path, serving: Path) -> None:
    folder = write_extracts(tmp_path / "x")
    text = (folder / "feedback.csv").read_text()
    (folder / "feedback.csv").write_text('"' + "h" * (200 * 1024) + '",' + text)
    assert refused(folder, serving) == (
        "feedback.csv: line 1: cannot read the header: field larger than field limit (131072)"
    )


def test_folder_named_like_an_extract(tmp_path: Path, serving: Path) -> None:
    folder = write_extracts(tmp_path / "x")
    (folder / "requests.csv").unlink()
    (folder / "requests.csv").mkdir()
    assert refused(folder, serving) == ("requests.csv: refused: it is a folder, not a regular file")


def test_fifo_named_like_an_extract_does_not_hang(tmp_path: Path, serving: Path) -> None:
    folder = write_extracts(tmp_path / "x")
    (folder / "episodes.csv").unlink()
    os.mkfifo(folder / "episodes.csv")
    assert refused(folder, serving) == (
        "episodes.csv: refused: it is a named pipe (FIFO), not a regular file"
    )


def test_fifo_beside_the_extracts_does_not_hang(tmp_path: Path, serving: Path) -> None:
    """Every .csv is looked at for a Fingertips header: a pipe among them must not block."""
    folder = write_extracts(tmp_path / "x")
    os.mkfifo(folder / "notes.csv")
    assert refused(folder, serving) == (
        "notes.csv: refused: it is a named pipe (FIFO), not a regular file"
    )


@pytest.mark.skipif(os.geteuid() != 0, reason="creating a device node needs root")
def test_device_named_like_an_extract(tmp_path: Path, serving: Path) -> None:
    folder = write_extracts(tmp_path / "x")
    (folder / "feedback.csv").unlink()
    os.mknod(folder / "feedback.csv", 0o600 | 0o020000, os.makedev(1, 5))  # /dev/zero
    assert refused(folder, serving) == ("feedback.csv: refused: it is a device, not a regular file")


def test_link_to_a_device_outside_the_folder(tmp_path: Path, serving: Path) -> None:
    folder = write_extracts(tmp_path / "x")
    (folder / "feedback.csv").unlink()
    (folder / "feedback.csv").symlink_to("/dev/zero")
    assert refused(folder, serving) == (
        "feedback.csv: refused: a link to /dev/zero, outside the folder "
        f"{folder}; copy the file into the folder instead"
    )


def test_link_to_a_folder(tmp_path: Path, serving: Path) -> None:
    folder = write_extracts(tmp_path / "x")
    (folder / "archive").mkdir()
    (folder / "outcomes.csv").unlink()
    (folder / "outcomes.csv").symlink_to(folder / "archive")
    assert refused(folder, serving) == (
        "outcomes.csv: refused: a link to something that is not a file (a folder)"
    )


def test_link_to_a_file_outside_the_folder_is_not_read(tmp_path: Path, serving: Path) -> None:
    outside = tmp_path / "outside.csv"
    outside.write_text(
        "\n".join(GOOD_EXTRACTS["feedback"]) + f"\nE2,2021-06-02,5,{SECRET}\n", encoding="utf-8"
    )
    folder = write_extracts(tmp_path / "x")
    (folder / "feedback.csv").unlink()
    (folder / "feedback.csv").symlink_to(outside)
    assert refused(folder, serving) == (
        f"feedback.csv: refused: a link to {outside.resolve()}, outside the folder {folder}; "
        "copy the file into the folder instead"
    )
    assert SECRET not in warehouse_text(serving)


def test_link_to_a_file_inside_the_folder_is_read(tmp_path: Path) -> None:
    folder = write_extracts(tmp_path / "x")
    (folder / "archive").mkdir()
    (folder / "feedback.csv").rename(folder / "archive" / "feedback-2024-11.csv")
    (folder / "feedback.csv").symlink_to(folder / "archive" / "feedback-2024-11.csv")
    report = build_warehouse(folder, tmp_path / "w.duckdb", progress=quiet)
    assert [f.rows_kept for f in report.files if f.table_name == "feedback"] == [1]


def test_header_repeated_by_case(tmp_path: Path, serving: Path) -> None:
    folder = write_extracts(tmp_path / "x")
    lines = GOOD_EXTRACTS["requests"]
    changed = [lines[0] + ",Child_ID"] + [line + ",C9" for line in lines[1:]]
    (folder / "requests.csv").write_text("\n".join(changed) + "\n", encoding="utf-8")
    assert refused(folder, serving) == (
        "requests.csv: columns 'child_id' and 'Child_ID' differ only in case, and SQL column "
        "names ignore case; keep one"
    )


@contextlib.contextmanager
def mounted_tmpfs(where: Path, size: str) -> Iterator[Path]:
    where.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(  # noqa: S603 (a fixed argument list, no shell: the project's own commands)
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],  # noqa: S607 (a system tool on PATH, in a test)
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)  # noqa: S603, S607 (a fixed argument list, no shell: the project's own commands) (a system tool on PATH, in a test)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root (the RLIMIT_FSIZE test runs instead)")
    with mounted_tmpfs(tmp_path / "disk", "24m") as disk:
        yield disk


def test_read_only_warehouse_folder(tmp_path: Path, small_disk: Path) -> None:
    """Root ignores file modes, so the folder is a tmpfs remounted read-only."""
    warehouse = small_disk / "warehouse.duckdb"
    build_warehouse(write_extracts(tmp_path / "good"), warehouse, progress=quiet)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)  # noqa: S603, S607 (a fixed argument list, no shell: the project's own commands) (a system tool on PATH, in a test)
    folder = write_extracts(tmp_path / "x")
    message = refused(folder, warehouse)
    assert message == (
        f"{small_disk}: cannot create the load lock .warehouse.duckdb.lock "
        "(Read-only file system); the warehouse folder must be writable"
    )


def test_full_disk(tmp_path: Path, small_disk: Path) -> None:
    """ENOSPC for real: a 24 MiB tmpfs, the serving warehouse on it, the rest filled up."""
    warehouse = small_disk / "warehouse.duckdb"
    build_warehouse(write_extracts(tmp_path / "good"), warehouse, progress=quiet)
    with (small_disk / "filler").open("wb") as filler:
        with contextlib.suppress(OSError):
            while True:
                filler.write(b"\0" * (1 << 20))
                filler.flush()
        os.ftruncate(filler.fileno(), filler.tell() - (64 << 10) if filler.tell() > 0 else 0)
    folder = write_extracts(tmp_path / "x")
    message = refused(folder, warehouse)
    assert message.startswith(
        f"{warehouse}: cannot write the new warehouse in {small_disk}: the disk (or the file "
        "size limit) is full; free space and load again ("
    )
    assert message.endswith("); nothing was swapped in, the serving warehouse is unchanged")


def test_file_size_limit_in_a_subprocess(tmp_path: Path, serving: Path) -> None:
    """A full disk as any user sees it: RLIMIT_FSIZE makes the new file's writes fail (EFBIG).

    Runs everywhere (no root needed); `test_full_disk` shows real ENOSPC where a
    tmpfs can be mounted.
    """
    before = fingerprint(serving)
    folder = write_extracts(tmp_path / "x")
    limit = 256 << 10  # the serving file is ~9 MiB, so the new one cannot be written

    def limited() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    done = subprocess.run(  # noqa: S603 (a fixed argument list, no shell: the project's own commands)
        [sys.executable, "-m", "indicators", "load", str(folder), "--warehouse", str(serving)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=limited,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert (
        f"{serving}: cannot write the new warehouse in {serving.parent}: the disk (or the file "
        "size limit) is full; free space and load again (" in done.stderr
    )
    assert fingerprint(serving) == before
    assert not list(serving.parent.glob(".build-*"))


def test_warehouse_folder_that_refuses_new_files(tmp_path: Path, serving: Path) -> None:
    """The lock file exists and opens, but no new file may be made (root: `chattr +i`)."""
    if os.geteuid() != 0:
        serving.parent.chmod(0o555)
    elif subprocess.run(["chattr", "+i", str(serving.parent)], check=False).returncode != 0:  # noqa: S603, S607 (a fixed argument list, no shell: the project's own commands) (a system tool on PATH, in a test)
        pytest.skip("chattr +i is not supported on this file system")
    try:
        message = refused(write_extracts(tmp_path / "x"), serving)
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(serving.parent)], check=True)  # noqa: S603, S607 (a fixed argument list, no shell: the project's own commands) (a system tool on PATH, in a test)
        serving.parent.chmod(0o755)
    assert message.startswith(
        f"{serving}: cannot write the new warehouse in {serving.parent}: the warehouse folder "
        "is not writable by this user (IO Error: Cannot open file "
    )
    assert message.endswith("); nothing was swapped in, the serving warehouse is unchanged")


@pytest.mark.parametrize("swap", ["link out of the folder", "named pipe"])
def test_a_file_swapped_after_the_folder_was_checked(
    tmp_path: Path, serving: Path, monkeypatch: pytest.MonkeyPatch, swap: str
) -> None:
    """A race: the extract is replaced between the folder check and the read."""
    outside = tmp_path / "outside.csv"
    outside.write_text(
        "\n".join(GOOD_EXTRACTS["feedback"]) + f"\nE2,2021-06-02,5,{SECRET}\n", encoding="utf-8"
    )
    folder = write_extracts(tmp_path / "x")
    find_extracts = inputs.find_extracts

    def find_then_swap(extract_dir: Path, mapping: None = None) -> dict[str, ExtractSource]:
        found = find_extracts(extract_dir, mapping)
        (folder / "feedback.csv").unlink()
        if swap == "named pipe":
            os.mkfifo(folder / "feedback.csv")
        else:
            (folder / "feedback.csv").symlink_to(outside)
        return found

    monkeypatch.setattr(inputs, "find_extracts", find_then_swap)
    expected = {
        "link out of the folder": f"feedback.csv: refused: it now leads to {outside.resolve()}, "
        f"outside the folder {folder}",
        "named pipe": "feedback.csv: refused: it is a named pipe (FIFO), not a regular file",
    }
    assert refused(folder, serving) == expected[swap]
    assert SECRET not in warehouse_text(serving)
