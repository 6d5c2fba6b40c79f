"""Indicator workbench, for analysts: try a definition on the serving warehouse, then save it;
and a dry run of an extract before it is loaded."""

from __future__ import annotations

import streamlit as st

from indicators import paths
from indicators.config.saving import DefinitionRefused, save_definition
from indicators.engine.dialects import ENGINES
from indicators.engine.workbench import PASTED
from indicators.load.contract import TABLES
from indicators.load.errors import LoadError
from indicators.present import views
from indicators.present.charts import aim_charts
from indicators.present.ward_words import WARD_SET_NAMES, WARD_TABLE_PINNED
from indicators.ward_vintages import CURRENT
from pages._app import layout
from pages._app import workbench as bench
from pages._app.loaded import warehouse
from pages._app.opening import open_page

SOURCE = "Preview on the serving warehouse, not yet published"
ENGINE_NAMES = {"duckdb": "DuckDB", "postgres": "PostgreSQL", "spark": "Spark SQL"}
TEMPLATE = """id: requests_from_schools
aim: access
title: Requests for help from schools
description: Share of requests received in the period that came from schools.
source: requests
date: received_date
measure:
  type: proportion
  numerator: {count_distinct: request_id, where: "source = 'school'"}
  denominator: {count_distinct: request_id}
  multiplier: 100
unit: "%"
polarity: no_judgement
ci: wilson
breakdowns: [ward, deprivation_decile]
owner: Early Help and Prevention Board
"""

opened = open_page("workbench")
st.title("Indicator workbench")
st.markdown(
    "Write or paste one definition, as in `config/indicators.yaml`. It is checked as you "
    "go (press Ctrl+Enter or click outside the box), previewed on the serving warehouse "
    "with disclosure control as published, and saved into the file only when it passes "
    "`check`. An id that exists replaces that definition."
)
text = st.text_area("Definition (YAML)", value=TEMPLATE, height=420, key="workbench_yaml")
trial = bench.trial(text)
for found in trial.issues:
    message = f"Line {found.line}: {found.field}: {found.message} [{found.kind}]"
    (st.error if found in trial.errors else st.warning)(message)
if not trial.issues:
    st.success("`check`: no problems in this definition.")

left, right = st.columns(2)
if left.button("Preview", disabled=bool(trial.errors), type="primary"):
    st.session_state["workbench_previewed"] = text
if right.button("Save into config/indicators.yaml", disabled=bool(trial.errors)):
    who = st.user.get("email") if st.user.is_logged_in else "open access (no sign-in)"
    try:
        saved = save_definition(
            text, trial.indicator.id, paths.config_path(), warehouse(), str(who)
        )
        verb = "replaced" if saved.replaced else "added"
        st.success(
            f"{saved.indicator_id} {verb} in {saved.config.name}; the previous file is kept "
            f"as history/{saved.history.name}."
        )
    except DefinitionRefused as refused:
        st.error(str(refused))

if st.session_state.get("workbench_previewed") == text and not trial.errors:
    indicator, strategy = trial.indicator, trial.candidate
    preview = bench.preview(text)
    st.header(f"Preview: {indicator.title}")
    if preview.stopped:
        st.error(f"The preview stopped: {preview.stopped}")
    else:
        periods = preview.half_years
        period = st.selectbox("Review period", periods, index=len(periods) - 1, key="wb_period")
        series = views.indicator_series(preview.results, indicator.id, strategy.area_code)
        layout.chart(
            aim_charts.trend_chart(
                series,
                title=f"{indicator.title} ({indicator.unit}), {strategy.area_name}",
                unit=indicator.unit,
                source=SOURCE,
            ),
            series,
            "workbench_series",
        )
        st.subheader(f"{WARD_SET_NAMES[CURRENT.area_type]}, {period}")
        wards = preview.ward_table(strategy, indicator.id, period, CURRENT.area_type)
        layout.table(wards, "workbench_wards", pinned=WARD_TABLE_PINNED)
        deciles = views.breakdown(preview.results, indicator.id, "deprivation_decile", period)
        if len(deciles):
            layout.chart(
                aim_charts.breakdown_chart(
                    deciles,
                    title=f"{indicator.title} by deprivation decile, {period}",
                    unit=indicator.unit,
                    source=SOURCE,
                ),
                deciles,
                "workbench_deciles",
            )
    engine = st.radio(
        "SQL for", ENGINES, format_func=ENGINE_NAMES.get, horizontal=True, key="wb_engine"
    )
    st.code(preview.sql[engine], language="sql", wrap_lines=True)

st.header("Dry run of an extract")
st.markdown(
    "What a load would do with one file: rows kept and quarantined by reason, columns and "
    "codes nothing maps, date ranges. The file is read in a temporary folder and not kept; "
    "references to other extracts are not checked."
)
upload = st.file_uploader(
    f"Extract (up to {bench.MAX_UPLOAD_BYTES // 2**20} MB)",
    type=["csv", "xlsx", "parquet"],
    key="wb_upload",
)
table = st.selectbox("Contract table", [t.name for t in TABLES], key="wb_table")
mapping = st.selectbox(
    "Source mapping", ["(contract layout)", *bench.mapping_names()], key="wb_mapping"
)
if upload is not None:
    try:
        profile = bench.profile_upload(
            upload.name, upload.getvalue(), table, None if mapping.startswith("(") else mapping
        )
    except (LoadError, ValueError) as err:
        st.error(str(err))
    else:
        (found,) = profile.files
        st.markdown(
            f"**{found.rows_read:,}** rows read: **{found.rows_kept:,}** would be kept, "
            f"**{found.rows_quarantined:,}** quarantined."
        )
        if found.unmapped_columns:
            st.warning("Columns nothing maps (ignored): " + ", ".join(found.unmapped_columns))
        for caption, frame in (
            ("Would be quarantined, by column and reason", found.quarantined),
            ("Codes no mapping or contract list knows", found.unmapped_codes),
            ("Dates of the rows that would be kept", found.dates),
        ):
            st.markdown(f"**{caption}**")
            st.dataframe(frame, hide_index=True)
st.caption(f"Messages name the pasted text as `{PASTED}`; lines count from its first line.")
layout.footer(opened.summary)
