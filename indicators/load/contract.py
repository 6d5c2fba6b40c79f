"""The data contract for the council's early help extracts, as data.

`../shared/design/data-contract.md` section 3 in a form the loader can
compile into SQL checks. Changing what an extract may hold is an edit here,
not in the checking code. Tables are listed parents first, because a child's
references are checked against the rows its parent kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ColumnKind = Literal[
    "id", "text", "date", "integer", "boolean", "enum", "enum_list", "ward_code", "lsoa_code"
]

SOURCES = (
    "school",
    "early_years",
    "health",
    "police",
    "self_or_family",
    "la_service",
    "voluntary_community_faith",
    "housing",
    "other",
)
DECISIONS = ("early_help", "advice_signposting", "social_care", "no_further_action")
THRIVE_LEVELS = ("getting_advice", "getting_help", "getting_more_help", "getting_risk_support")
LEAD_AGENCIES = ("council", "school", "health", "voluntary_community_faith", "police", "other")
CLOSURE_REASONS = (
    "needs_met",
    "stepped_up_to_social_care",
    "disengaged",
    "moved_away",
    "transferred",
    "other",
)
NEEDS = (
    "education",
    "early_years",
    "health",
    "substance_use",
    "family_relationships",
    "child_safety",
    "crime",
    "domestic_abuse",
    "housing",
    "financial_stability",
)
EVIDENCE_LEVELS = ("2", "3", "4", "not_rated")
HUB_SERVICES = ("advice", "drop_in", "group", "programme_session")

# Earliest date an extract row may carry: older dates are typing mistakes.
EARLIEST_DATE = "2000-01-01"


@dataclass(frozen=True)
class Column:
    """One contract column; `values` for enums, `minimum`/`maximum` for integers."""

    name: str
    kind: ColumnKind
    required: bool = True
    values: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None


@dataclass(frozen=True)
class Reference:
    """`column` must hold a value of `parent_table.parent_column` (when not empty)."""

    column: str
    parent_table: str
    parent_column: str


@dataclass(frozen=True)
class Table:
    """One extract: its columns, key and the rules that span columns or tables.

    `date_order` pairs are (earlier, later): the later date may not precede
    the earlier one. `together` pairs must be both empty or both filled
    (a decision and its date; an end date and its closure reason).
    `period_date` is the date that places a row in a review period.
    `has_lsoa` tables get their ward and deprivation decile through their own
    `lsoa_code`; `via_episode` tables through their episode's.
    """

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    period_date: str
    references: tuple[Reference, ...] = ()
    date_order: tuple[tuple[str, str], ...] = ()
    together: tuple[tuple[str, str], ...] = ()
    has_lsoa: bool = False
    via_episode: bool = False

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _enum(name: str, values: tuple[str, ...], required: bool = True) -> Column:
    return Column(name, "enum", required, values)


TABLES: tuple[Table, ...] = (
    Table(
        name="requests",
        columns=(
            Column("request_id", "id"),
            Column("family_id", "id"),
            Column("child_id", "id"),
            Column("received_date", "date"),
            _enum("source", SOURCES),
            Column("ward_code", "ward_code"),
            Column("lsoa_code", "lsoa_code", required=False),
            _enum("decision", DECISIONS, required=False),
            Column("decision_date", "date", required=False),
            _enum("thrive_level", THRIVE_LEVELS, required=False),
        ),
        key=("request_id",),
        period_date="received_date",
        date_order=(("received_date", "decision_date"),),
        together=(("decision", "decision_date"),),
        has_lsoa=True,
    ),
    Table(
        name="episodes",
        columns=(
            Column("episode_id", "id"),
            Column("family_id", "id"),
            Column("request_id", "id"),
            Column("start_date", "date"),
            Column("end_date", "date", required=False),
            Column("ward_code", "ward_code"),
            Column("lsoa_code", "lsoa_code", required=False),
            _enum("lead_agency", LEAD_AGENCIES),
            _enum("thrive_level", THRIVE_LEVELS),
            Column("stepped_down_from_social_care", "boolean"),
            _enum("closure_reason", CLOSURE_REASONS, required=False),
            Column("needs", "enum_list", required=False, values=NEEDS),
            Column("children_in_family", "integer", minimum=1, maximum=20),
        ),
        key=("episode_id",),
        period_date="start_date",
        references=(Reference("request_id", "requests", "request_id"),),
        date_order=(("start_date", "end_date"),),
        together=(("end_date", "closure_reason"),),
        has_lsoa=True,
    ),
    Table(
        name="assessments",
        columns=(
            Column("assessment_id", "id"),
            Column("episode_id", "id"),
            Column("started_date", "date"),
            Column("completed_date", "date", required=False),
            Column("child_voice_recorded", "boolean", required=False),
        ),
        key=("assessment_id",),
        period_date="started_date",
        references=(Reference("episode_id", "episodes", "episode_id"),),
        date_order=(("started_date", "completed_date"),),
        via_episode=True,
    ),
    Table(
        name="outcomes",
        columns=(
            Column("episode_id", "id"),
            Column("measure", "text"),
            Column("domain", "text"),
            Column("score_start", "integer", minimum=1, maximum=10),
            Column("score_end", "integer", required=False, minimum=1, maximum=10),
            Column("recorded_date", "date"),
        ),
        key=("episode_id", "measure", "domain"),
        period_date="recorded_date",
        references=(Reference("episode_id", "episodes", "episode_id"),),
        via_episode=True,
    ),
    Table(
        name="programmes",
        columns=(
            Column("enrolment_id", "id"),
            Column("family_id", "id"),
            Column("episode_id", "id", required=False),
            Column("programme", "text"),
            _enum("evidence_level", EVIDENCE_LEVELS),
            Column("start_date", "date"),
            Column("end_date", "date", required=False),
            Column("completed", "boolean", required=False),
            Column("outcome_improved", "boolean", required=False),
            Column("ward_code", "ward_code"),
        ),
        key=("enrolment_id",),
        period_date="start_date",
        references=(Reference("episode_id", "episodes", "episode_id"),),
        date_order=(("start_date", "end_date"),),
        via_episode=True,
    ),
    Table(
        name="hub_contacts",
        columns=(
            Column("contact_date", "date"),
            Column("site", "text"),
            Column("ward_code", "ward_code"),
            _enum("service", HUB_SERVICES),
            Column("children", "integer", minimum=0, maximum=100_000),
            Column("adults", "integer", minimum=0, maximum=100_000),
        ),
        key=("contact_date", "site", "service"),
        period_date="contact_date",
    ),
    Table(
        name="feedback",
        columns=(
            Column("episode_id", "id"),
            Column("response_date", "date"),
            Column("satisfaction", "integer", minimum=1, maximum=5),
            Column("would_recommend", "boolean", required=False),
        ),
        key=("episode_id",),
        period_date="response_date",
        references=(Reference("episode_id", "episodes", "episode_id"),),
        via_episode=True,
    ),
)

TABLES_BY_NAME = {t.name: t for t in TABLES}
