"""The indicator workbench: try a definition on the serving warehouse before it is saved.

An analyst pastes one definition (the YAML of one entry of
`config/indicators.yaml`). `try_definition` runs `check` on the strategy
with it added (or, for an id that exists, in place of the old one) and
returns the issues that name it, each with its line in the pasted text.
`preview` computes it the way the dashboard publishes: in the process's
sandboxed reader (read-only, no file access, bounded in memory), its own
query first within the workbench's time limit (a runaway cross join stops
with a message, not a hung page), then the whole publication with it, so
disclosure control treats it exactly as it would treat it once saved.
Saving is `indicators.config.saving`.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from indicators.config import spec
from indicators.config.check import check_strategy
from indicators.config.issue import ERROR, Issue
from indicators.config.spec import Indicator, LineDict, SpecError, Strategy
from indicators.disclosure.publication import build_served_publication
from indicators.engine.compile import compile_indicator
from indicators.engine.compute import run_analyst_sql
from indicators.engine.dialects import ENGINES, transpile
from indicators.engine.summary import summarise
from indicators.present.ward_words import labelled_ward_table
from indicators.publish.wards import ward_tables
from indicators.store import readers
from indicators.store.limits import QueryLimits, QueryStopped, query_limits

PASTED = Path("definition")  # how messages name the pasted text
# One preview query's wall time (EARLY_HELP_WORKBENCH_SECONDS), under the process's limit.
DEFAULT_WORKBENCH_SECONDS = 30.0


@dataclass(frozen=True)
class Trial:
    """A pasted definition checked in place: `issues` name it, lines are the paste's.

    `candidate` is the strategy with it (None when the text is no definition at all).
    """

    indicator: Indicator | None
    issues: list[Issue]
    candidate: Strategy | None
    replaces: bool = False

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == ERROR]


@dataclass(frozen=True)
class Preview:
    """The definition's published figures (tidy rows, after disclosure control), its SQL per
    engine, and `stopped` when its query did not finish (then there are no figures)."""

    results: pd.DataFrame
    sql: dict[str, str] = field(default_factory=dict)
    stopped: str | None = None

    @property
    def half_years(self) -> list[str]:
        periods = self.results.loc[self.results["period_type"] == "half_year", "period"]
        return sorted(periods.unique())

    def ward_table(
        self, strategy: Strategy, indicator_id: str, period: str, ward_set: str
    ) -> pd.DataFrame:
        """The wards of `ward_set` (an area_type) ranked, with significance against the city,
        as the Wards page would show them once published (`indicators.publish.wards`)."""
        ranked = ward_tables(summarise(self.results, strategy, period), strategy)
        mine = (ranked["indicator_id"] == indicator_id) & (ranked["area_type"] == ward_set)
        return labelled_ward_table(ranked[mine].reset_index(drop=True))


def workbench_limits() -> QueryLimits:
    """The process's query limits with the workbench's shorter time limit."""
    limits = query_limits()
    seconds = float(os.environ.get("EARLY_HELP_WORKBENCH_SECONDS", DEFAULT_WORKBENCH_SECONDS))
    return dataclasses.replace(limits, seconds=min(limits.seconds, seconds))


def parse_definition(text: str) -> LineDict:
    """The pasted text as one definition's mapping (a leading `- ` list item is accepted).

    Raises `SpecError` with the line when it is not YAML or not one mapping.
    """
    document = spec.parse_yaml(text, PASTED)
    if isinstance(document, list) and len(document) == 1:
        document = document[0]
    if not isinstance(document, dict):
        raise SpecError(PASTED, 1, "paste one definition: a mapping with id, aim, title, ...")
    return document


def with_definition(strategy: Strategy, indicator: Indicator) -> tuple[Strategy, bool]:
    """`strategy` with `indicator` in place of the one with its id, else added at the end."""
    ids = [i.id for i in strategy.indicators]
    if indicator.id in ids:
        kept = tuple(indicator if i.id == indicator.id else i for i in strategy.indicators)
        return dataclasses.replace(strategy, indicators=kept), True
    return dataclasses.replace(strategy, indicators=(*strategy.indicators, indicator)), False


def try_definition(text: str, config_path: Path, warehouse: Path | None) -> Trial:
    """`check`'s findings on the pasted definition, as part of the strategy in `config_path`.

    The warehouse's rules (tables, columns, SQL that binds) run when it exists.
    Example: `try_definition(Path("def.yaml").read_text(), CONFIG_PATH, WAREHOUSE).errors`.
    """
    try:
        raw = parse_definition(text)
    except SpecError as err:
        return Trial(None, [Issue("yaml_syntax", "-", "-", err.line, err.message)], None)
    indicator = spec.indicator_from(raw)
    candidate, replaces = with_definition(spec.load_strategy(config_path), indicator)
    mine = indicator.id or "?"
    issues = [i for i in check_strategy(candidate, warehouse) if i.indicator_id == mine]
    return Trial(indicator, issues, candidate, replaces)


def sql_per_engine(indicator: Indicator) -> dict[str, str]:
    """The one query the definition compiles to, for DuckDB and transpiled for the others."""
    sql = compile_indicator(indicator)
    return {engine: transpile(sql, engine) for engine in ENGINES}


def preview(trial: Trial, warehouse: Path) -> Preview:
    """The definition's figures as the dashboard would publish them (only for a trial
    without errors). Its own query runs first within `workbench_limits`."""
    if trial.indicator is None or trial.candidate is None or trial.errors:
        raise ValueError("only a definition that passes check can be previewed")
    indicator, limits = trial.indicator, workbench_limits()
    sql = sql_per_engine(indicator)
    empty = pd.DataFrame(columns=["indicator_id", "period", "period_type"])
    try:
        with readers.connect(warehouse) as cur:
            run_analyst_sql(cur, indicator, sql["duckdb"], limits)
    except QueryStopped as err:
        return Preview(empty, sql, str(err))
    served = build_served_publication(warehouse, trial.candidate)
    if indicator.id in served.left_out:
        return Preview(empty, sql, "; ".join(served.left_out[indicator.id]))
    rows = served.results[served.results["indicator_id"] == indicator.id]
    return Preview(rows.reset_index(drop=True), sql)
