"""Which paths the loader may open (regular files in their folder), and one pass over the bytes.

A folder of extracts is hostile input. A named pipe named `requests.csv`
would hang the load while it holds the lock, a device would be read
forever, and a link could point at any file the loader's user can read. So
every input is judged by `lstat` before it is opened, and a link is
followed only when it ends at a regular file inside the same folder.
`open_regular` checks again on the open descriptor (`fstat`) and opens
without blocking, and `pinned` then reads through that one descriptor
(`/proc/self/fd/N` on Linux), having checked where it really leads: a file
swapped for a pipe or a link after the first check is still refused, and
every reader sees the same file.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from indicators.load.errors import LoadError

_CHUNK = 1 << 22


@dataclass(frozen=True)
class Scan:
    """What one pass over a file's bytes found."""

    checksum: str
    newlines: int
    ends_with_newline: bool


def regular_file_in(path: Path, folder: Path) -> Path:
    """`path` if it is a regular file inside `folder` (directly or through a link), else refuse.

    Example: `regular_file_in(Path("x/requests.csv"), Path("x"))`.
    """
    try:
        mode = path.lstat().st_mode
    except OSError as err:
        raise LoadError(f"{path.name}: cannot look at the file: {err.strerror}") from None
    if stat.S_ISLNK(mode):
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError):
            raise LoadError(f"{path.name}: refused: a link that leads nowhere") from None
        if not target.is_relative_to(folder.resolve()):
            raise LoadError(
                f"{path.name}: refused: a link to {target}, outside the folder {folder}; "
                "copy the file into the folder instead"
            )
        mode = target.stat().st_mode
        if not stat.S_ISREG(mode):
            raise LoadError(
                f"{path.name}: refused: a link to something that is not a file "
                f"({_describe_mode(mode).removeprefix('it is ')})"
            )
    elif not stat.S_ISREG(mode):
        raise LoadError(f"{path.name}: refused: {_describe_mode(mode)}, not a regular file")
    return path


def open_regular(path: Path, name: str | None = None) -> int:
    """A descriptor of `path`, refusing anything but a regular file before reading a byte.

    Opened non-blocking, so a named pipe cannot hang the load while it holds
    the lock. `name` is the file's name in messages (default `path.name`).
    """
    name = name or path.name
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as err:
        raise LoadError(f"{name}: cannot open the file: {err.strerror}") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise LoadError(f"{name}: refused: {_describe_mode(mode)}, not a regular file")
    os.set_blocking(fd, True)
    return fd


@contextmanager
def pinned(path: Path) -> Iterator[Path]:
    """A path to the regular file `path` leads to now, that keeps leading there.

    On Linux, `/proc/self/fd/N` of a descriptor opened once; the file it
    really is must lie in `path`'s folder. Elsewhere `path` itself.
    Example: `with pinned(p) as source: pd.read_excel(source)`.
    """
    fd = open_regular(path)
    try:
        source = Path(f"/proc/self/fd/{fd}")
        if not source.exists():
            yield path
            return
        real = Path(os.readlink(source))
        if not real.is_relative_to(path.parent.resolve()):
            raise LoadError(
                f"{path.name}: refused: it now leads to {real}, outside the folder {path.parent}"
            )
        yield source
    finally:
        os.close(fd)


def _describe_mode(mode: int) -> str:
    """What a non-regular file is, in words."""
    if stat.S_ISDIR(mode):
        return "it is a folder"
    if stat.S_ISFIFO(mode):
        return "it is a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "it is a device"
    if stat.S_ISSOCK(mode):
        return "it is a socket"
    return "it is a special file"


def scan(path: Path, *, text: bool, name: str | None = None) -> Scan:
    """One pass over the bytes: checksum, and for text files UTF-8 and line counts.

    Checked here rather than left to the CSV reader so the message can say
    which line holds the bad byte. `name` is the file's name in messages.
    """
    name = name or path.name
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    newlines = 0
    last = b""
    with os.fdopen(open_regular(path, name), "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            if text:
                if b"\x00" in chunk:
                    raise LoadError(f"{name}: not a text file (it contains NUL bytes)")
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as err:
                    line = newlines + chunk[: err.start].count(b"\n") + 1
                    raise LoadError(
                        f"{name}: line {line}: not UTF-8 text "
                        f"(byte 0x{chunk[err.start]:02x}); save the extract as UTF-8"
                    ) from None
                newlines += chunk.count(b"\n")
            last = chunk
    if text:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise LoadError(f"{name}: not UTF-8 text (it ends inside a character)") from None
    if not last:
        raise LoadError(f"{name}: the file is empty")
    return Scan(digest.hexdigest(), newlines, last.endswith(b"\n"))


def checksum(path: Path, name: str | None = None) -> str:
    """SHA-256 of the file's bytes, for the load log."""
    return scan(path, text=False, name=name).checksum


def magic(path: Path, length: int, name: str | None = None) -> bytes:
    """The first `length` bytes of a regular file (its format's magic number)."""
    with os.fdopen(open_regular(path, name), "rb") as handle:
        return handle.read(length)
