"""Rules about the `jsna:` list: which public file and rows make each context indicator.

`check` runs them with the other rules, each issue with its line; the load runs
them too (`JSNA_RULES`) and stops on an error before reading a file.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from indicators.config.context import JSNA_LAYOUTS, JSNA_THEMES, PERIOD_TYPES, JsnaSource
from indicators.config.definition_rules import ID_PATTERN
from indicators.config.issue import Context, Issue, key_issues
from indicators.config.spec import line_of
from indicators.methods.benchmark import POLARITIES


def _item(source: JsnaSource) -> str:
    return f"jsna.{source.id or '?'}"


def _issue(kind: str, source: JsnaSource, key: str, message: str) -> Issue:
    return Issue(kind, _item(source), key, line_of(source.raw, key), message)


def jsna_keys(ctx: Context) -> Iterator[Issue]:
    """Each entry holds exactly the keys `JsnaSource` reads, with a well-formed unique id."""
    counts = Counter(s.id for s in ctx.strategy.jsna)
    for source in ctx.strategy.jsna:
        yield from key_issues(source.raw, JsnaSource, _item(source))
        if "id" in source.raw and not ID_PATTERN.fullmatch(source.id):
            message = f"{source.id!r} must be lower_snake_case (letters, digits, _)"
            yield _issue("invalid_id", source, "id", message)
        first = next(s for s in ctx.strategy.jsna if s.id == source.id)
        if counts[source.id] > 1 and source is not first:
            message = f"jsna id {source.id!r} is used more than once"
            yield _issue("duplicate_id", source, "id", message)


def jsna_values(ctx: Context) -> Iterator[Issue]:
    """The layout is known and has what it needs; the polarity is one the profiles use;
    the theme and period type are ones the page knows."""
    for source in ctx.strategy.jsna:
        if "layout" in source.raw and source.layout not in JSNA_LAYOUTS:
            yield _issue(
                "unknown_layout",
                source,
                "layout",
                f"{source.layout!r} is not one of {', '.join(JSNA_LAYOUTS)}",
            )
        if source.layout == "dfe" and not source.file:
            yield _issue("incomplete_source", source, "layout", "a dfe source needs 'file'")
        share = source.count and source.denominator and source.unit == "%"
        if source.layout == "dfe" and not (
            source.value or (source.count and source.rate_per) or share
        ):
            yield _issue(
                "incomplete_source",
                source,
                "layout",
                "a dfe source needs 'value', 'count' with 'rate_per', "
                "or 'count' and 'denominator' with unit '%'",
            )
        if source.layout == "fingertips" and not source.fingertips_id:
            yield _issue(
                "incomplete_source", source, "layout", "a fingertips source needs 'fingertips_id'"
            )
        if "polarity" in source.raw and source.polarity not in POLARITIES:
            yield _issue(
                "invalid_polarity",
                source,
                "polarity",
                f"{source.raw['polarity']!r} is not one of {', '.join(POLARITIES)}",
            )
        for key, allowed in (("theme", JSNA_THEMES), ("period_type", PERIOD_TYPES)):
            if key in source.raw and source.raw[key] not in allowed:
                message = f"{source.raw[key]!r} is not one of {', '.join(allowed)}"
                yield _issue("invalid_value", source, key, message)
        if "filters" in source.raw and not isinstance(source.raw["filters"], dict):
            yield _issue("wrong_type", source, "filters", "must be a mapping of column to value")
        rate_per = source.raw.get("rate_per")
        if ("rate_per" in source.raw and source.rate_per is None) or (
            rate_per is not None and source.rate_per is not None and source.rate_per <= 0
        ):
            yield _issue("wrong_type", source, "rate_per", "must be a positive number")


JSNA_RULES = (jsna_keys, jsna_values)
