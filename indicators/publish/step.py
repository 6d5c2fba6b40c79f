"""The load's publication step: read the new warehouse, build the publication, write it in.

Runs after the contract checks, on the closed build file, before the swap
(`indicators.load.warehouse`). The figures are computed through the store's
sandboxed reader, like every other computation; its hold on the file is
released before the file is opened again to write the tables. Any failure
stops the load: a warehouse without its publication is never swapped in.
"""

from __future__ import annotations

import time
from pathlib import Path

import duckdb

from indicators.config.spec import Strategy
from indicators.load.errors import LoadError
from indicators.publish.build import build_publication_frames
from indicators.publish.tables import write_publication
from indicators.store import readers


def publish(build: Path, strategy: Strategy, config_path: Path, load_id: str) -> str:
    """Build and store the publication in `build`; returns a line for the load's progress."""
    started = time.perf_counter()
    try:
        frames = build_publication_frames(build, strategy, config_path)
    except LoadError:
        raise
    except Exception as err:  # any failure here must stop the swap, and say why
        raise LoadError(
            f"{config_path}: the publication could not be built ({type(err).__name__}: {err}); "
            "nothing was swapped in, the serving warehouse is unchanged"
        ) from err
    finally:
        readers.release(build)
    seconds = time.perf_counter() - started
    con = duckdb.connect(str(build), config={"enable_external_access": False})
    try:
        write_publication(con, frames, load_id=load_id, config_path=config_path, seconds=seconds)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    rows = sum(len(frame) for frame in frames.values())
    return (
        f"publication: {len(frames)} tables, {rows:,} rows "
        f"({seconds:.1f} s to compute, {time.perf_counter() - started - seconds:.1f} s to store)"
    )
