"""The selection every page shares (review period, comparator, area), kept in the URL.

The sidebar's answer is mirrored in the query parameters, so a link
reproduces the view.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from indicators.present.ward_words import WARD_SET_NAMES
from indicators.ward_vintages import CURRENT, WARDS_2011
from pages._app.cache import published, strategy

CITY = "city"


@dataclass(frozen=True)
class Selection:
    period: str
    comparator: str
    area_code: str
    area_name: str
    wards: str  # the set of wards areas are chosen from: an area_type of `ward_vintages`


def comparators() -> dict[str, str]:
    """The strategy's comparators in its order: role → the name the selector shows."""
    return {c.role: c.name if c.code else f"{c.name} (average)" for c in strategy().comparators}


def _choose(
    label: str, options: list[str], param: str, default: str, names: dict[str, str] | None = None
) -> str:
    current = st.query_params.get(param, default)
    if current not in options:
        current = default
    choice = st.sidebar.selectbox(
        label,
        options,
        index=options.index(current),
        format_func=(names or {}).get if names else str,
        key=f"select_{param}",
    )
    st.query_params[param] = choice
    return choice


def selection(ward_sets: bool = False) -> Selection:
    """The sidebar shared by every page; the answer is mirrored in the URL.

    With `ward_sets` (the ward pages and the landing page, whose tiles are published
    for both sets) the sidebar also asks which set of wards (`?wards=`, default the
    May 2023 wards) and offers that set's wards as areas; other pages offer the
    2011–2023 wards."""
    periods = published("periods", order_by=("period",))
    complete = periods.loc[periods["complete"], "period"]
    latest = complete.iloc[-1] if len(complete) else periods["period"].iloc[-1]
    period = _choose("Review period", periods["period"].tolist()[::-1], "period", latest)
    offered = comparators()
    comparator = _choose("Comparator", list(offered), "comparator", next(iter(offered)), offered)
    ward_set = (
        _choose("Wards", list(WARD_SET_NAMES), "wards", CURRENT.area_type, WARD_SET_NAMES)
        if ward_sets
        else WARDS_2011.area_type
    )
    areas = published("areas")
    areas = areas[areas["area_type"].isin(["la", ward_set])]
    city = areas["area_type"] == "la"
    names = {
        CITY: f"{strategy().area_name} (whole city)",
        **dict(zip(areas.loc[~city, "area_code"], areas.loc[~city, "area_name"], strict=True)),
    }
    area = _choose("Area", list(names), "area", CITY, names)
    code = strategy().area_code if area == CITY else area
    return Selection(period, comparator, code, names[area], ward_set)
