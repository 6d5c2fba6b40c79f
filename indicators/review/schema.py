"""The review store's tables: append-only, the same on SQLite and PostgreSQL.

A narrative or an action is never updated: each save adds a revision, and
the current text is the latest revision. `based_on` records the revision the
writer had in front of them, so a save that crossed another is visible in the
history (both are kept). Triggers refuse UPDATE and DELETE on every table,
whoever asks.

A review sign-off is two tables: `signoffs` (which period was reported to the
board on which day, by whom, from which load) and `signoff_figures`, the
landing page's rows as they stood then, so a later load's revisions can be
shown beside them. Later stages add tables the same way: `VERSION` goes up
and `TABLES` gains them (CREATE ... IF NOT EXISTS adds them to older stores).
"""

from __future__ import annotations

VERSION = 2
ID = "{id}"  # an auto-numbered primary key, spelt per dialect
ID_TYPES = {
    "sqlite": "INTEGER PRIMARY KEY AUTOINCREMENT",
    "postgres": "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
}

TABLES = {
    "narrative_revisions": f"""
        revision_id {ID},
        indicator_id TEXT NOT NULL,
        period TEXT NOT NULL,
        narrative TEXT NOT NULL,
        based_on BIGINT,
        written_by TEXT NOT NULL,
        written_at TEXT NOT NULL,
        source TEXT NOT NULL""",
    "actions": f"""
        action_id {ID},
        indicator_id TEXT NOT NULL,
        period TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL""",
    "action_revisions": f"""
        revision_id {ID},
        action_id BIGINT NOT NULL REFERENCES actions (action_id),
        action TEXT NOT NULL,
        owner TEXT,
        due_date TEXT,
        status TEXT NOT NULL CHECK (status IN ('open', 'done')),
        closed_date TEXT,
        based_on BIGINT,
        written_by TEXT NOT NULL,
        written_at TEXT NOT NULL,
        source TEXT NOT NULL""",
    "imports": """
        source TEXT PRIMARY KEY,
        sha256 TEXT NOT NULL,
        imported_by TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        narratives BIGINT NOT NULL,
        actions BIGINT NOT NULL""",
    "signoffs": f"""
        signoff_id {ID},
        period TEXT NOT NULL,
        reported_on TEXT NOT NULL,
        load_id TEXT NOT NULL,
        signed_by TEXT NOT NULL,
        signed_at TEXT NOT NULL""",
    "signoff_figures": """
        signoff_id BIGINT NOT NULL REFERENCES signoffs (signoff_id),
        indicator_id TEXT NOT NULL,
        area_code TEXT NOT NULL,
        title TEXT NOT NULL,
        unit TEXT NOT NULL,
        value DOUBLE PRECISION,
        lower_ci DOUBLE PRECISION,
        upper_ci DOUBLE PRECISION,
        progress TEXT NOT NULL,
        trend TEXT NOT NULL,
        variation TEXT NOT NULL,
        assurance TEXT NOT NULL""",
    "store_info": """
        version BIGINT NOT NULL,
        created_at TEXT NOT NULL""",
}
INDEXES = (
    "CREATE INDEX IF NOT EXISTS narrative_revisions_key "
    "ON narrative_revisions (indicator_id, period, revision_id)",
    "CREATE INDEX IF NOT EXISTS action_revisions_key ON action_revisions (action_id, revision_id)",
    "CREATE INDEX IF NOT EXISTS signoff_figures_key ON signoff_figures (signoff_id)",
)
REFUSAL = "the review store is append-only: a change is a new revision"
POSTGRES_REFUSE = f"""
CREATE OR REPLACE FUNCTION review_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION '{REFUSAL}'; END $$"""


def statements(dialect: str) -> list[str]:
    """The DDL that creates the store (idempotent), in order."""
    made = [
        f"CREATE TABLE IF NOT EXISTS {name} ({columns.replace(ID, ID_TYPES[dialect])})"
        for name, columns in TABLES.items()
    ]
    made += INDEXES
    if dialect == "postgres":
        made.append(POSTGRES_REFUSE)
    for name in TABLES:
        if dialect == "sqlite":
            made += [
                f"CREATE TRIGGER IF NOT EXISTS {name}_no_{verb.lower()} BEFORE {verb} ON {name} "
                f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
                for verb in ("UPDATE", "DELETE")
            ]
        else:
            made.append(
                f"CREATE OR REPLACE TRIGGER {name}_append_only BEFORE UPDATE OR DELETE "
                f"ON {name} FOR EACH ROW EXECUTE FUNCTION review_append_only()"
            )
    return made
