"""Indicator catalogue, for analysts: every definition, its SQL, sources and check result."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from indicators import paths
from indicators.config.history import changes_since
from indicators.present import views
from indicators.store import inventory
from pages._app import cache, layout
from pages._app.opening import open_page

summary = open_page("catalogue").summary
strategy = cache.strategy()

st.title("Indicator catalogue")
issues = cache.published("check", order_by=("position",))["finding"].tolist()
if issues:
    st.error(
        f"`python -m indicators check` found {len(issues)} problem(s) in "
        "config/indicators.yaml at this load:\n\n" + "\n".join(f"- {i}" for i in issues)
    )
else:
    st.success(
        "`python -m indicators check` found no problems in config/indicators.yaml at this load."
    )
if cache.config_changed():
    st.info(
        "config/indicators.yaml has changed since this load: the figures, findings and SQL "
        "here follow the definitions as they were; the next load publishes the file as it is."
    )
quarantined = cache.stored(inventory.quarantined_by_table)
st.markdown(f"Last load {summary.finished:%d %B %Y %H:%M} (load {summary.load_id}).")

aims = {a.id: a.title for a in strategy.aims}
st.header("Every indicator")
layout.table(
    pd.DataFrame(
        [
            {
                "aim": aims.get(i.aim, i.aim),
                "id": i.id,
                "indicator": i.title,
                "measure": i.measure.type.replace("_", " "),
                "source table": i.source,
                "rows of the source quarantined": quarantined.get(i.source, 0),
                "owner": i.owner,
            }
            for i in strategy.indicators
        ]
    ),
    "catalogue",
)

st.header("One indicator in full")
titles = {i.id: f"{i.title} ({i.id})" for i in strategy.indicators}
chosen = st.selectbox("Indicator", list(titles), format_func=titles.get, key="catalogue_id")
indicator = strategy.indicator(chosen)
st.table(views.definition(indicator))
names = {"duckdb": "DuckDB", "postgres": "PostgreSQL", "spark": "Spark SQL"}
queries = cache.published("sql", indicator_id=indicator.id).set_index("engine")["sql"]
engine = st.radio(
    "Show the SQL for",
    list(queries.index),
    format_func=names.get,
    horizontal=True,
    key="catalogue_engine",
)
st.markdown(
    f"**SQL it compiles to** ({names[engine]}; one query, transpiled by SQLGlot for "
    "engines other than DuckDB)"
)
st.code(queries[engine], language="sql", wrap_lines=True)

st.header("Changed in the workbench")
since = st.date_input(
    "Since", dt.date.today() - dt.timedelta(days=183), key="catalogue_changed_since"
)
changes = changes_since(paths.config_path(), since)
if changes.empty:
    st.markdown(f"No definition was saved from the workbench since {since:%d %B %Y}.")
else:
    st.dataframe(changes, hide_index=True)
layout.footer(summary)
