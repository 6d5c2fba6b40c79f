"""The catalogue's findings and SQL, worked out at load for the definitions it published.

`check` over the whole file (bound to the new warehouse) and every
indicator's SQL per engine (SQLGlot): both are costly to import and run, and
both describe the publication, so the catalogue page reads them rather than
recomputing them on a visit.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from indicators.config.check import check_file
from indicators.config.spec import Strategy
from indicators.engine.compile import compile_indicator
from indicators.engine.dialects import ENGINES, transpile


def check_findings(config_path: Path, warehouse: Path) -> pd.DataFrame:
    """Every finding of `check` on the config the load read, in order, as printed."""
    found = [i.format(config_path) for i in check_file(config_path, warehouse)]
    return pd.DataFrame({"position": range(len(found)), "finding": found})


def indicator_sql(strategy: Strategy) -> pd.DataFrame:
    """Every published indicator's query, for each engine (`indicator_id, engine, sql`)."""
    rows = [
        {"indicator_id": i.id, "engine": engine, "sql": transpile(compile_indicator(i), engine)}
        for i in strategy.indicators
        for engine in ENGINES
    ]
    return pd.DataFrame(rows, columns=["indicator_id", "engine", "sql"])
