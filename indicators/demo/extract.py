"""How a simulated table becomes an extract: pseudonymous ids, dates, codes, text.

Simulations work in integer arrays (day numbers, category codes, -1 for
"not recorded"); these builders turn them into Arrow columns once, and
``as_text`` renders them exactly as the case management system would export
them. Also here: the spare rows from which deliberately broken rows are made.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

ID_DIGITS = 8


def id_column(prefix: str, numbers: np.ndarray) -> pa.Array:
    """Pseudonymous ids such as ``REQ-00000042``, vectorised in Arrow."""
    digits = pc.utf8_lpad(pc.cast(pa.array(numbers, pa.int64()), pa.string()), ID_DIGITS, "0")
    return pc.binary_join_element_wise(prefix, digits, "")


def date_column(days: np.ndarray) -> pa.Array:
    """Dates from day numbers; negative day numbers mean "not recorded"."""
    days = np.asarray(days)
    return pa.array(days.astype(np.int32), pa.date32(), mask=days < 0)


def category_column(codes: np.ndarray, names: Sequence[str]) -> pa.Array:
    """Dictionary-encoded text from integer codes; negative codes mean "not recorded"."""
    codes = np.asarray(codes)
    indices = pa.array(np.maximum(codes, 0).astype(np.int32), mask=codes < 0)
    return pa.DictionaryArray.from_arrays(indices, pa.array(list(names), pa.string()))


def optional_column(values: np.ndarray, recorded: np.ndarray, kind: pa.DataType) -> pa.Array:
    """Integers or booleans with a mask of rows where they were recorded."""
    return pa.array(np.asarray(values), kind, mask=~np.asarray(recorded, dtype=bool))


def as_text(table: pa.Table) -> pa.Table:
    """Every column as the extract writes it: ISO dates, ``true``/``false``, plain integers."""
    return pa.table({name: pc.cast(table.column(name), pa.string()) for name in table.column_names})


def code_column(codes: np.ndarray, recorded: np.ndarray | None = None) -> pa.Array:
    """GSS codes (already strings) with an optional mask of recorded rows."""
    mask = None if recorded is None else ~recorded
    return pa.array(codes, pa.string(), mask=mask)


SPARE_SHARE = 0.02  # spare rows per clean row, from which broken rows are made


@dataclass(frozen=True)
class Extract:
    """One extract file: its clean rows and a pool of spare rows for deliberate breakage.

    Spare rows look like clean rows but have keys that no clean row has and
    that no other table references, so a broken copy of one is quarantined on
    its own without taking other rows with it.
    """

    name: str
    clean: pa.Table
    spare: pa.Table


def spare_size(clean_rows: int) -> int:
    return max(100, int(clean_rows * SPARE_SHARE))


def copies_with_new_ids(
    table: pa.Table, key: str, prefix: str, rng: np.random.Generator
) -> pa.Table:
    """Spare rows for an id-keyed table: random clean rows renumbered after the last id."""
    count = spare_size(table.num_rows)
    copies = table.take(pa.array(rng.integers(0, table.num_rows, count)))
    new_ids = id_column(prefix, np.arange(table.num_rows + 1, table.num_rows + count + 1))
    return copies.set_column(copies.schema.get_field_index(key), key, new_ids)
