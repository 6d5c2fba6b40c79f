"""Chart builders for the ward views: the map, the funnel plot and every ward's trend.

Pure functions from frames to Plotly figures, in the house style of `charts`.
"""

from __future__ import annotations

import json
import textwrap
from itertools import pairwise

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from indicators.present.charts.aim_charts import FONT, GRID, PALETTE, TEXT, layout
from indicators.present.status_words import FUNNEL_WORDS
from indicators.statuses import FunnelPosition


def _ward_code(properties: dict) -> str:
    """The ward code of an official (December 2013, `WD13CD`) or approximate outline."""
    return properties.get("WD13CD") or properties["ward_code"]


def ward_map(
    wards: pd.DataFrame, geojson: list[str], *, title: str, unit: str, source: str
) -> go.Figure:
    """A choropleth of the city's wards (December 2013 boundaries, or the May 2023 wards'
    approximate outlines from LSOA boundaries) as plain SVG shapes.

    Drawn as filled polygons on ordinary axes rather than a geo or tile map:
    those need map data from the internet or WebGL, which a council's
    locked-down network or an old browser may not give. Longitudes are
    scaled by cos(latitude) so the city keeps its shape.
    """
    values = wards.set_index("area_code")
    low, high = np.nanmin(wards["value"]), np.nanmax(wards["value"])
    fig = go.Figure()
    for feature in (json.loads(g) for g in geojson):
        code = _ward_code(feature["properties"])
        value = values["value"].get(code, np.nan)
        name = values["area_name"].get(code, feature["properties"].get("WD13NM", code))
        label = "suppressed (c)" if np.isnan(value) else f"{value:,.1f}"
        for ring in _outer_rings(feature["geometry"]):
            lon, lat = np.array(ring).T
            fig.add_trace(
                go.Scatter(
                    x=lon * np.cos(np.radians(53.0)),
                    y=lat,
                    mode="lines",
                    fill="toself",
                    fillcolor=_shade(value, low, high),
                    line={"color": "white", "width": 1},
                    name=name,
                    showlegend=False,
                    hoveron="fills",
                    text=f"{name}: {label}",
                    hoverinfo="text",
                )
            )
    fig.add_trace(
        go.Scatter(
            x=[None],
            y=[None],
            mode="markers",
            showlegend=False,
            hoverinfo="skip",
            marker={
                "colorscale": [[t, _rgb(c)] for t, c in MAP_STOPS],
                "cmin": low,
                "cmax": high,
                "color": [low],
                "colorbar": {"title": {"text": unit}},
                "showscale": True,
            },
        )
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x")
    return layout(fig, title, source, height=560)


# Light to dark blue; suppressed wards are grey and say "suppressed (c)" on hover and in the table.
MAP_STOPS = ((0.0, (241, 246, 251)), (0.5, (107, 174, 214)), (1.0, (8, 48, 107)))


def _rgb(colour: tuple[int, int, int]) -> str:
    return "rgb({},{},{})".format(*colour)


def _shade(value: float, low: float, high: float) -> str:
    if np.isnan(value):
        return "#d9d9d9"
    t = 0.5 if high == low else (value - low) / (high - low)
    for (t0, c0), (t1, c1) in pairwise(MAP_STOPS):
        if t <= t1:
            f = (t - t0) / (t1 - t0)
            return _rgb(tuple(round(a + (b - a) * f) for a, b in zip(c0, c1, strict=True)))
    return _rgb(MAP_STOPS[-1][1])


def _outer_rings(geometry: dict) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"][0]]
    return [polygon[0] for polygon in geometry["coordinates"]]


def funnel_chart(
    points: pd.DataFrame,
    limits: pd.DataFrame,
    *,
    title: str,
    unit: str,
    denominator_label: str,
    source: str,
) -> go.Figure:
    """Wards against funnel limits around the city average; outliers get their own markers."""
    fig = go.Figure()
    for label, dash in (("95", "dash"), ("99.8", "dot")):
        for side in ("lower", "upper"):
            fig.add_trace(
                go.Scatter(
                    x=limits["denominator"],
                    y=limits[f"{side}_{label}"],
                    mode="lines",
                    line={"color": "#4a5560", "dash": dash, "width": 1},
                    name=f"{label}% limits",
                    showlegend=side == "lower",
                )
            )
    fig.add_trace(
        go.Scatter(
            x=limits["denominator"],
            y=limits["average"],
            mode="lines",
            line={"color": TEXT, "width": 1},
            name="City average",
        )
    )
    symbols = {
        FunnelPosition.NOT_SIGNIFICANT: "circle",
        FunnelPosition.HIGH_0_025: "triangle-up",
        FunnelPosition.LOW_0_025: "triangle-down",
        FunnelPosition.HIGH_0_001: "triangle-up-open",
        FunnelPosition.LOW_0_001: "triangle-down-open",
    }
    for i, (status, group) in enumerate(points.groupby("funnel")):
        fig.add_trace(
            go.Scatter(
                x=group["denominator"],
                y=group["value"],
                mode="markers",
                text=group["area_name"],
                name=FUNNEL_WORDS.get(status, status),
                marker={
                    "size": 10,
                    "symbol": symbols.get(status, "circle"),
                    "color": PALETTE[i % len(PALETTE)],
                },
                hovertemplate="%{text}: %{y:,.1f}<extra></extra>",
            )
        )
    fig.update_xaxes(title=denominator_label)
    fig.update_yaxes(title=unit)
    return layout(fig, title, source, height=460)


def small_multiples(rows: pd.DataFrame, *, title: str, unit: str, source: str) -> go.Figure:
    """Every ward's trend in its own small panel, on a shared scale."""
    wards = sorted(rows["area_name"].unique())
    columns = 6
    grid_rows = int(np.ceil(len(wards) / columns))
    fig = make_subplots(
        rows=grid_rows,
        cols=columns,
        shared_yaxes=True,
        subplot_titles=[textwrap.fill(w, 20).replace("\n", "<br>") for w in wards],
        horizontal_spacing=0.02,
        vertical_spacing=0.5 / grid_rows,
    )
    for i, ward in enumerate(wards):
        series = rows[rows["area_name"] == ward].sort_values("period")
        fig.add_trace(
            go.Scatter(
                x=series["period"],
                y=series["value"],
                mode="lines",
                line={"color": PALETTE[0], "width": 2},
                name=ward,
                showlegend=False,
                hovertemplate=ward + " %{x}: %{y:,.1f}<extra></extra>",
            ),
            row=i // columns + 1,
            col=i % columns + 1,
        )
    fig.update_xaxes(showticklabels=False, gridcolor=GRID)
    fig.update_yaxes(gridcolor=GRID)
    fig.update_annotations(font_size=11)
    fig.update_layout(
        title={"text": f"{title} ({unit})", "x": 0},
        height=150 * grid_rows + 90,
        font={"family": FONT, "color": TEXT},
        plot_bgcolor="white",
        paper_bgcolor="white",
        margin={"l": 40, "r": 10, "t": 80, "b": 40},
    )
    fig.add_annotation(
        text=f"Source: {source}",
        showarrow=False,
        xref="paper",
        yref="paper",
        x=0,
        y=-0.02,
        xanchor="left",
        yanchor="top",
        font={"size": 12},
    )
    return fig
