"""The selection every page shares (review period, comparator, area), kept in the URL.

The sidebar's answer is mirrored in the query parameters, so a link
reproduces the view.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from indicators.present.ward_words import WARD_SET_NAMES, ward_label
from indicators.ward_vintages import CURRENT, is_ward
from pages._app.cache import published, strategy

CITY = "city"


@dataclass(frozen=True)
class Selection:
    period: str
    comparator: str
    area_code: str
    area_name: str  # a ward's name says its set: "Meir North (May 2023 ward)"
    wards: str  # the set of wards areas are chosen from: an area_type of `ward_vintages`
    is_ward: bool  # the area is one ward of `wards`, not the whole city


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


def _ward_set_of_link(areas: pd.DataFrame) -> str:
    """The set of wards the link's `?area=` belongs to, or the current wards."""
    linked = areas.loc[areas["area_code"] == st.query_params.get("area"), "area_type"]
    return linked.iloc[0] if len(linked) and is_ward(linked.iloc[0]) else CURRENT.area_type


def selection() -> Selection:
    """The sidebar shared by every page; the answer is mirrored in the URL.

    Which set of wards (`?wards=`) comes before the area, whose list holds that set's
    wards. Its default is the May 2023 wards, unless the link names an area that is a
    ward of the other set (a link made before the wards changed keeps its ward)."""
    periods = published("periods", order_by=("period",))
    complete = periods.loc[periods["complete"], "period"]
    latest = complete.iloc[-1] if len(complete) else periods["period"].iloc[-1]
    period = _choose("Review period", periods["period"].tolist()[::-1], "period", latest)
    offered = comparators()
    comparator = _choose("Comparator", list(offered), "comparator", next(iter(offered)), offered)
    areas = published("areas")
    ward_set = _choose(
        "Wards", list(WARD_SET_NAMES), "wards", _ward_set_of_link(areas), WARD_SET_NAMES
    )
    areas = areas[areas["area_type"].isin(["la", ward_set])]
    city = areas["area_type"] == "la"
    names = {
        CITY: f"{strategy().area_name} (whole city)",
        **dict(zip(areas.loc[~city, "area_code"], areas.loc[~city, "area_name"], strict=True)),
    }
    area = _choose("Area", list(names), "area", CITY, names)
    if area == CITY:
        return Selection(period, comparator, strategy().area_code, names[area], ward_set, False)
    return Selection(period, comparator, area, ward_label(names[area], ward_set), ward_set, True)
