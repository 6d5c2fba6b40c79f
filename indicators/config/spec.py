"""Read config/indicators.yaml into typed definitions, remembering every line.

`spec` only parses: it turns YAML into `Strategy`, `Aim`, `Indicator`,
`Comparator` and `JsnaSource` objects and records where each key stood, so
`check` can name the line of a mistake. It never judges a definition (that is
`check`) and never runs one (that is `compute`). Each object's fields declare
the YAML key they read (`keys.yaml_key`), which is also the list of keys
`check` accepts.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from indicators.config import context
from indicators.config.context import Comparator, JsnaSource
from indicators.config.keys import yaml_key
from indicators.disclosure.small_numbers import DEFAULT_MIN_COUNT
from indicators.measure_kinds import BenchmarkMethod, Interval, KindRule, MeasureKind, kind_of

MEASURE_TYPES = tuple(code.value for code in MeasureKind)
CI_METHODS = tuple(code.value for code in Interval)
BENCHMARK_METHODS = tuple(code.value for code in BenchmarkMethod)
REVIEW_CADENCES = ("half_year",)  # the only cadence the periods and pages know
TALLY_KINDS = ("count_distinct", "count", "sum", "population")
SECTIONS = ("strategy", "aims", "jsna", "indicators")  # the file's top-level keys
# Breakdowns every table can be cut by through the warehouse's derived keys.
DERIVED_BREAKDOWNS = {"ward": "analysis_ward_code", "deprivation_decile": "imd_decile"}


class LineDict(dict):
    """A YAML mapping that knows its own line and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int] = {}  # noqa: RUF012 (replaced per instance by the loader)


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """SafeLoader whose mappings are `LineDict`s; libyaml's parser where PyYAML has it
    (several times quicker: every page's first run reads the strategy)."""


def _construct_line_dict(loader: _LineLoader, node: yaml.MappingNode) -> Iterator[LineDict]:
    mapping = LineDict()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {str(k.value): k.start_mark.line + 1 for k, _ in node.value}
    yield mapping
    mapping.update(loader.construct_mapping(node))


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_line_dict)


class SpecError(Exception):
    """The file is not YAML at all; carries the line where parsing broke."""

    def __init__(self, path: Path, line: int, message: str) -> None:
        super().__init__(f"{path.name}:{line}: {message}")
        self.path, self.line, self.message = path, line, message


def read_yaml(path: Path) -> LineDict:
    """Parse with line numbers; a YAML syntax error becomes a `SpecError` with its line."""
    document = parse_yaml(path.read_text(encoding="utf-8"), path)
    if not isinstance(document, dict):
        raise SpecError(path, 1, "the file must be a mapping with strategy, aims and indicators")
    return document


def parse_yaml(text: str, path: Path) -> Any:
    """YAML text (a file's, or a definition pasted into the workbench) with line numbers;
    `path` names it in a `SpecError`."""
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 (_LineLoader subclasses yaml's SafeLoader: it constructs no objects)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        raise SpecError(path, (mark.line + 1) if mark else 0, str(err.problem)) from None


def line_of(mapping: Any, key: str | None = None) -> int:
    """The line of `key` in a mapping read by `read_yaml`, else of the mapping itself."""
    if isinstance(mapping, LineDict):
        return mapping.key_lines.get(key, mapping.line) if key else mapping.line
    return 0


@dataclass(frozen=True)
class Tally:
    """How a numerator or denominator counts rows: `count_distinct: col`, `count: '*'`,
    `sum: col`, or for rates `population: '0-17'` (an age band of the population table)."""

    kind: str
    column: str
    where: str | None = None


@dataclass(frozen=True)
class Measure:
    type: str = field(metadata=yaml_key(required=True))
    multiplier: float = field(default=1, metadata=yaml_key())
    numerator: Tally | None = field(default=None, metadata=yaml_key())
    denominator: Tally | None = field(default=None, metadata=yaml_key())
    value: str | None = field(default=None, metadata=yaml_key())
    category: str | None = field(default=None, metadata=yaml_key())

    @property
    def kind(self) -> KindRule:
        """What this measure type means to every stage (`indicators.measure_kinds`).

        Only for a definition that passed `check` (an unknown type raises).
        """
        return kind_of(self.type)


@dataclass(frozen=True)
class SpcOptions:
    """Making Data Count choices for a monthly indicator's XmR chart (`spc:` in YAML):
    screen moving-range outliers before the limits (NHSRplotthedots' default), and
    fix the limits after the first N points of each segment (none: use every point)."""

    screen_outliers: bool = field(default=True, metadata=yaml_key())
    fix_after_n_points: int | None = field(default=None, metadata=yaml_key())


@dataclass(frozen=True)
class Indicator:
    """One definition; `raw` keeps the YAML mapping (with its lines) for `check`."""

    id: str = field(metadata=yaml_key(required=True))
    aim: str = field(metadata=yaml_key(required=True))
    title: str = field(metadata=yaml_key(required=True))
    description: str = field(metadata=yaml_key(required=True))
    source: str = field(metadata=yaml_key(required=True))
    date: str = field(metadata=yaml_key(required=True))
    measure: Measure = field(metadata=yaml_key(required=True))
    unit: str = field(metadata=yaml_key(required=True))
    polarity: str = field(metadata=yaml_key(required=True))
    ci: str = field(metadata=yaml_key(required=True))
    breakdowns: tuple[str, ...] = field(metadata=yaml_key())
    where: str | None = field(metadata=yaml_key())
    baseline_period: str | None = field(metadata=yaml_key("baseline"))
    target_value: float | None = field(metadata=yaml_key("target"))
    target_period: str | None = field(metadata=yaml_key("target"))
    benchmark_method: str = field(metadata=yaml_key("benchmark"))
    min_count: int | None = field(metadata=yaml_key("disclosure"))
    owner: str = field(metadata=yaml_key(required=True))
    monthly: bool = field(metadata=yaml_key())
    spc: SpcOptions = field(metadata=yaml_key())
    raw: LineDict = field(repr=False, compare=False, default_factory=LineDict)


@dataclass(frozen=True)
class Aim:
    """One aim of the strategy: it gets a page on the dashboard and a board role to open it."""

    id: str = field(metadata=yaml_key(required=True))
    title: str = field(metadata=yaml_key(required=True))
    raw: LineDict = field(repr=False, compare=False, default_factory=LineDict)


@dataclass(frozen=True)
class Strategy:
    """The whole file: the `strategy:` settings (the fields with a YAML key), and the
    `aims:`, `indicators:` and `jsna:` lists.

    Every council-specific fact the product shows or uses (the council's name,
    its area and its code, whom it is compared with) comes from here, never
    from code.
    """

    title: str = field(metadata=yaml_key(required=True))
    council: str = field(metadata=yaml_key(required=True))  # the council's full name
    area_name: str = field(metadata=yaml_key(required=True))  # the area as charts name it
    area_code: str = field(metadata=yaml_key(required=True))  # its GSS code
    # DfE's old LA number: the statistical neighbour files key on it.
    dfe_la_number: str = field(metadata=yaml_key(required=True))
    started: str = field(metadata=yaml_key(required=True))
    baseline_period: str = field(metadata=yaml_key(required=True))
    end_period: str = field(metadata=yaml_key(required=True))
    review: str = field(metadata=yaml_key(required=True))
    comparators: tuple[Comparator, ...] = field(metadata=yaml_key(required=True))
    min_count: int = field(metadata=yaml_key("disclosure"))
    thrive_indicator: str | None = field(metadata=yaml_key())
    # The aim whose page links to the front door (where requests go), if any.
    front_door_aim: str | None = field(metadata=yaml_key())
    aims: tuple[Aim, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    jsna: tuple[JsnaSource, ...] = ()
    document: LineDict = field(repr=False, compare=False, default_factory=LineDict)

    def indicator(self, indicator_id: str) -> Indicator:
        return next(i for i in self.indicators if i.id == indicator_id)

    def comparator(self, role: str) -> Comparator | None:
        """The comparator with `role` (england, region, statistical_neighbours), if declared."""
        return next((c for c in self.comparators if c.role == role), None)

    def min_count_for(self, indicator: Indicator) -> int:
        return indicator.min_count if indicator.min_count is not None else self.min_count


def _tally(raw: Any) -> Tally | None:
    if not isinstance(raw, dict):
        return None
    for kind in TALLY_KINDS:
        if kind in raw:
            return Tally(kind, str(raw[kind]), raw.get("where"))
    return None


def _measure(raw: Any) -> Measure:
    raw = raw if isinstance(raw, dict) else {}
    multiplier = raw.get("multiplier", 1)
    return Measure(
        type=str(raw.get("type", "")),
        multiplier=multiplier if isinstance(multiplier, int | float) else 1,
        numerator=_tally(raw.get("numerator")),
        denominator=_tally(raw.get("denominator")),
        value=raw.get("value"),
        category=raw.get("category"),
    )


def _spc_options(raw: Any) -> SpcOptions:
    """Lenient: a value of the wrong type keeps the default, `check` reports it."""
    raw = raw if isinstance(raw, dict) else {}
    screen = raw.get("screen_outliers", True)
    fix = raw.get("fix_after_n_points")
    return SpcOptions(
        screen_outliers=screen if isinstance(screen, bool) else True,
        fix_after_n_points=fix if isinstance(fix, int) and not isinstance(fix, bool) else None,
    )


def indicator_from(raw: LineDict) -> Indicator:
    """Lenient construction: wrong types become empty values, `check` reports them."""

    def text(key: str, default: str = "") -> str:
        value = raw.get(key, default)
        return value if isinstance(value, str) else default

    def section(key: str) -> dict:
        value = raw.get(key)
        return value if isinstance(value, dict) else {}

    breakdowns = raw.get("breakdowns") or []
    target = section("target")
    min_count = section("disclosure").get("min_count")
    return Indicator(
        id=str(raw.get("id", "")),
        aim=text("aim"),
        title=text("title"),
        description=text("description"),
        source=text("source"),
        date=text("date"),
        measure=_measure(raw.get("measure")),
        unit=text("unit"),
        polarity=text("polarity"),
        ci=text("ci", "none"),
        breakdowns=tuple(str(b) for b in breakdowns) if isinstance(breakdowns, list) else (),
        where=raw.get("where") if isinstance(raw.get("where"), str) else None,
        baseline_period=str(section("baseline").get("period", "")) or None,
        target_value=target.get("value") if isinstance(target.get("value"), int | float) else None,
        target_period=str(target["period"]) if "period" in target else None,
        benchmark_method=str(section("benchmark").get("method", "ci_overlap_95")),
        min_count=min_count if isinstance(min_count, int) else None,
        owner=text("owner"),
        monthly=bool(raw.get("monthly", False)),
        spc=_spc_options(raw.get("spc")),
        raw=raw,
    )


def load_strategy(path: Path) -> Strategy:
    """Parse the whole file. Raises `SpecError` only when it is not YAML at all."""
    document = read_yaml(path)
    strategy = document.get("strategy") if isinstance(document.get("strategy"), dict) else {}
    disclosure = strategy.get("disclosure") if isinstance(strategy.get("disclosure"), dict) else {}
    min_count = disclosure.get("min_count", DEFAULT_MIN_COUNT)

    def setting(key: str) -> str:
        value = strategy.get(key, "")
        return "" if value is None or isinstance(value, dict | list) else str(value)

    def entries(section: str) -> list[LineDict]:
        listed = document.get(section)
        return [e for e in listed if isinstance(e, dict)] if isinstance(listed, list) else []

    return Strategy(
        title=setting("title"),
        council=setting("council"),
        area_name=setting("area_name"),
        area_code=setting("area_code"),
        dfe_la_number=setting("dfe_la_number"),
        started=setting("started"),
        baseline_period=setting("baseline_period"),
        end_period=setting("end_period"),
        review=setting("review"),
        comparators=context.comparators(strategy.get("comparators")),
        min_count=min_count if isinstance(min_count, int) and min_count >= 1 else DEFAULT_MIN_COUNT,
        thrive_indicator=setting("thrive_indicator") or None,
        front_door_aim=setting("front_door_aim") or None,
        aims=tuple(Aim(str(a.get("id", "")), str(a.get("title", "")), a) for a in entries("aims")),
        indicators=tuple(indicator_from(i) for i in entries("indicators")),
        jsna=tuple(context.jsna_source(j) for j in entries("jsna")),
        document=document,
    )
