"""Which paths the loader may open: regular files inside the folder they were found in.

A folder of extracts is hostile input. A named pipe named `requests.csv`
would hang the load while it holds the lock, a device would be read
forever, and a link could point at any file the loader's user can read. So
every input is judged by `lstat` before it is opened, and a link is
followed only when it ends at a regular file inside the same folder.
`indicators.staging` checks again on the open descriptor (`fstat`), so a
file swapped after this check is still refused.
"""

from __future__ import annotations

import stat
from pathlib import Path

from indicators.staging import LoadError, describe_mode


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
                f"({describe_mode(mode).removeprefix('it is ')})"
            )
    elif not stat.S_ISREG(mode):
        raise LoadError(f"{path.name}: refused: {describe_mode(mode)}, not a regular file")
    return path
