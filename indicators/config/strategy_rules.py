"""Rules about the `strategy:` settings and the `aims:` list.

The council's name, area, code and comparators are read from here by the load,
the pages and the board pack, so a mistake here is caught by `check` with its
line rather than by a page that shows the wrong place. Each rule yields `Issue`s
for one concern; `check.RULES` composes them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from indicators import access
from indicators.config.context import COMPARATOR_ROLES, SINGLE_AREA_ROLES, Comparator
from indicators.config.definition_rules import ID_PATTERN
from indicators.config.issue import WARNING, Context, Issue, key_issues
from indicators.config.spec import REVIEW_CADENCES, Aim, LineDict, Strategy, line_of
from indicators.load.reference import NEIGHBOUR_GROUPINGS

# A GSS code: a country letter, a two-digit entity code and six digits.
GSS_CODE = re.compile(r"[EWSN]\d{8}")
STRATEGY = "strategy"


def _settings(ctx: Context) -> LineDict | None:
    settings = ctx.strategy.document.get(STRATEGY)
    return settings if isinstance(settings, LineDict) else None


def _issue(kind: str, field: str, mapping: LineDict, key: str, message: str) -> Issue:
    return Issue(kind, STRATEGY, field, line_of(mapping, key), message)


def strategy_keys(ctx: Context) -> Iterator[Issue]:
    """The `strategy:` mapping is there and holds exactly the keys `Strategy` reads."""
    settings = _settings(ctx)
    if settings is None:
        yield Issue(
            "missing_key",
            STRATEGY,
            "-",
            line_of(ctx.strategy.document, STRATEGY) or 1,
            "the file needs a 'strategy:' mapping (title, council, area, comparators, ...)",
        )
        return
    yield from key_issues(settings, Strategy, STRATEGY)


def strategy_values(ctx: Context) -> Iterator[Issue]:
    """The area's code, DfE number, review cadence and threshold have the right form."""
    settings, strategy = _settings(ctx), ctx.strategy
    if settings is None:
        return
    if "area_code" in settings and not GSS_CODE.fullmatch(strategy.area_code):
        yield _issue(
            "invalid_code",
            "area_code",
            settings,
            "area_code",
            f"{strategy.area_code!r} is not a GSS code (a letter and eight digits)",
        )
    if "dfe_la_number" in settings and not strategy.dfe_la_number.isdigit():
        yield _issue(
            "invalid_code",
            "dfe_la_number",
            settings,
            "dfe_la_number",
            f"{strategy.dfe_la_number!r} is not DfE's three-digit LA number",
        )
    if "review" in settings and strategy.review not in REVIEW_CADENCES:
        yield _issue(
            "unknown_review_cadence",
            "review",
            settings,
            "review",
            f"{strategy.review!r} is not one of {', '.join(REVIEW_CADENCES)}",
        )
    disclosure = settings.get("disclosure")
    value = disclosure.get("min_count") if isinstance(disclosure, dict) else None
    if "disclosure" in settings and not (
        isinstance(value, int) and not isinstance(value, bool) and value >= 1
    ):
        yield _issue(
            "invalid_min_count",
            "disclosure.min_count",
            settings,
            "disclosure",
            f"{value!r} must be a whole number of at least 1",
        )


def comparators(ctx: Context) -> Iterator[Issue]:
    """Each comparator is a known role with a name and either a GSS code or a grouping."""
    settings = _settings(ctx)
    raw = settings.get("comparators") if settings is not None else None
    if raw is None:
        return
    if not isinstance(raw, LineDict):
        yield _issue(
            "wrong_type",
            "comparators",
            settings,
            "comparators",
            "must be a mapping of role (england, region, statistical_neighbours) to its area",
        )
        return
    for comparator in ctx.strategy.comparators:
        yield from _comparator(comparator, raw, NEIGHBOUR_GROUPINGS)
    for role in COMPARATOR_ROLES:
        if ctx.strategy.comparator(role) is None:
            yield Issue(
                "missing_comparator",
                STRATEGY,
                f"comparators.{role}",
                raw.line,
                f"no {role!r} comparator: the dashboard will not offer it",
                WARNING,
            )


def _comparator(comparator: Comparator, raw: LineDict, groupings: dict) -> Iterator[Issue]:
    field = f"comparators.{comparator.role}"
    if comparator.role not in COMPARATOR_ROLES:
        yield _issue(
            "unknown_comparator",
            field,
            raw,
            comparator.role,
            f"{comparator.role!r} is not one of {', '.join(COMPARATOR_ROLES)}",
        )
        return
    entry = comparator.raw
    if not isinstance(entry, LineDict):
        yield _issue("wrong_type", field, raw, comparator.role, "must be a mapping with a name")
        return
    yield from key_issues(entry, Comparator, STRATEGY, f"{field}.")
    if comparator.role in SINGLE_AREA_ROLES:
        if not GSS_CODE.fullmatch(comparator.code or ""):
            yield _issue(
                "invalid_code",
                f"{field}.code",
                entry,
                "code",
                f"{comparator.code!r} is not a GSS code: an area comparator needs its code",
            )
    elif comparator.grouping not in groupings:
        yield _issue(
            "unknown_grouping",
            f"{field}.grouping",
            entry,
            "grouping",
            f"{comparator.grouping!r} is not a shipped grouping ({', '.join(groupings)})",
        )


def thrive_indicator(ctx: Context) -> Iterator[Issue]:
    """The THRIVE indicator the landing page shows is a share-by-category indicator."""
    settings, wanted = _settings(ctx), ctx.strategy.thrive_indicator
    if settings is None or wanted is None:
        return
    found = [i for i in ctx.strategy.indicators if i.id == wanted]
    if not found or found[0].measure.type != "share_by_category":
        yield _issue(
            "unknown_indicator",
            "thrive_indicator",
            settings,
            "thrive_indicator",
            f"{wanted!r} is not an indicator whose measure is a share_by_category",
        )


def front_door_aim(ctx: Context) -> Iterator[Issue]:
    """The aim whose page links to the front door is one of the aims."""
    settings, wanted = _settings(ctx), ctx.strategy.front_door_aim
    if settings is None or wanted is None:
        return
    if wanted not in {a.id for a in ctx.strategy.aims}:
        yield _issue(
            "unknown_aim",
            "front_door_aim",
            settings,
            "front_door_aim",
            f"{wanted!r} is not the id of an aim in 'aims:'",
        )


def aims(ctx: Context) -> Iterator[Issue]:
    """Each aim has an id and a title, a unique id that is no fixed page's name."""
    listed = ctx.strategy.document.get("aims")
    if not isinstance(listed, list) or not listed:
        yield Issue(
            "missing_key",
            "-",
            "aims",
            line_of(ctx.strategy.document, "aims") or 1,
            "the file needs an 'aims:' list, each with an id and a title",
        )
        return
    counts = Counter(a.id for a in ctx.strategy.aims)
    for aim in ctx.strategy.aims:
        item = f"aims.{aim.id or '?'}"
        yield from key_issues(aim.raw, Aim, item)
        if "id" in aim.raw and not ID_PATTERN.fullmatch(aim.id):
            yield Issue(
                "invalid_id",
                item,
                "id",
                line_of(aim.raw, "id"),
                f"{aim.id!r} must be lower_snake_case (letters, digits, _)",
            )
        if aim.id in access.FIXED_PAGES:
            yield Issue(
                "invalid_id",
                item,
                "id",
                line_of(aim.raw, "id"),
                f"{aim.id!r} is the name of a dashboard page; choose another id",
            )
        if counts[aim.id] > 1 and aim is not next(a for a in ctx.strategy.aims if a.id == aim.id):
            yield Issue(
                "duplicate_id",
                item,
                "id",
                line_of(aim.raw, "id"),
                f"aim id {aim.id!r} is used more than once",
            )
