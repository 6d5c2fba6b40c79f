"""Chart builders: pure functions from a frame to a Plotly figure.

One template for every chart (readable type, units on axes, the source
under the chart) and the Okabe-Ito palette, which stays distinct for the
common kinds of colour blindness. Colour never carries meaning alone: status
is also in words and marker shapes, and every chart has a table beside it.
"""

from __future__ import annotations

import json
import textwrap
from itertools import pairwise

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

# Okabe & Ito (2008), "Color Universal Design".
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
TEXT = "#1f2933"
GRID = "#d9dde3"
FONT = "Source Sans Pro, Arial, sans-serif"


def _layout(fig: go.Figure, title: str, source: str, *, height: int = 400) -> go.Figure:
    """The house style: title top left, legend under the title, source under the axis."""
    fig.update_layout(
        title={
            "text": title,
            "x": 0,
            "xanchor": "left",
            "y": 0.98,
            "yanchor": "top",
            "font": {"size": 17, "color": TEXT},
        },
        font={"family": FONT, "size": 14, "color": TEXT},
        colorway=PALETTE,
        height=height,
        margin={"l": 60, "r": 20, "t": 100, "b": 120},
        plot_bgcolor="white",
        paper_bgcolor="white",
        legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0, "xanchor": "left"},
        annotations=[
            {
                "text": f"Source: {source}",
                "showarrow": False,
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": 0,
                "yshift": -80,
                "xanchor": "left",
                "yanchor": "top",
                "font": {"size": 12, "color": "#4a5560"},
            }
        ],
    )
    fig.update_xaxes(gridcolor=GRID, linecolor=GRID)
    fig.update_yaxes(gridcolor=GRID, linecolor=GRID, zerolinecolor=GRID)
    return fig


def sparkline_svg(periods: list[str], values: list[float], *, label: str) -> str:
    """A tiny inline SVG trend line for a tile: cheap to draw 20 of, and labelled for
    screen readers with the first and last values."""
    points = [(i, v) for i, v in enumerate(values) if v == v]  # drop NaN (suppressed)
    if len(points) < 2:
        return ""
    width, height = 160, 40
    low = min(v for _, v in points)
    high = max(v for _, v in points)
    span = (high - low) or 1.0
    steps = max(len(values) - 1, 1)
    coords = " ".join(
        f"{2 + i * (width - 4) / steps:.1f},{height - 4 - (v - low) / span * (height - 8):.1f}"
        for i, v in points
    )
    first, last = points[0], points[-1]
    text = f"{label}: {periods[first[0]]} {first[1]:,.1f}, {periods[last[0]]} {last[1]:,.1f}"
    return (
        f'<svg role="img" aria-label="{text}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}"><title>{text}</title>'
        f'<polyline fill="none" stroke="{PALETTE[0]}" stroke-width="2" points="{coords}"/>'
        "</svg>"
    )


def _target_line(fig: go.Figure, target: float | None) -> None:
    if target is not None:
        fig.add_hline(
            y=target,
            line={"dash": "dashdot", "color": PALETTE[2]},
            annotation_text="Target",
            annotation_position="top right",
        )


def trend_chart(
    series: pd.DataFrame,
    *,
    title: str,
    unit: str,
    source: str,
    baseline: float | None = None,
    target: float | None = None,
    comparators: dict[str, pd.DataFrame] | None = None,
    notes: list[tuple[str, str]] | None = None,
) -> go.Figure:
    """Value over the review periods with its 95% band, baseline and target lines."""
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=list(series["period"]) + list(series["period"][::-1]),
            y=list(series["upper_ci"]) + list(series["lower_ci"][::-1]),
            fill="toself",
            fillcolor="rgba(0,114,178,0.15)",
            line={"width": 0},
            name="95% confidence interval",
            hoverinfo="skip",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=series["period"],
            y=series["value"],
            mode="lines+markers",
            name="Value",
            line={"color": PALETTE[0], "width": 3},
            marker={"size": 7},
            hovertemplate="%{x}: %{y:,.1f}<extra></extra>",
        )
    )
    for name, frame in (comparators or {}).items():
        fig.add_trace(
            go.Scatter(
                x=frame["period"],
                y=frame["value"],
                mode="lines",
                name=name,
                line={"dash": "dot", "width": 2},
            )
        )
    if baseline is not None and not np.isnan(baseline):
        fig.add_hline(
            y=baseline,
            line={"dash": "dash", "color": "#4a5560"},
            annotation_text="Baseline",
            annotation_position="top left",
        )
    _target_line(fig, target)
    fig.update_yaxes(title=unit)
    fig.update_xaxes(title="Review period")
    fig = _layout(fig, title, source)
    for period, text in notes or []:  # people's commentary, from config/commentary.yaml
        fig.add_annotation(
            x=period,
            y=1,
            yref="paper",
            text=text,
            showarrow=True,
            arrowhead=2,
            ax=0,
            ay=-30,
            font={"size": 12},
            bgcolor="white",
            bordercolor=PALETTE[0],
        )
    return fig


def thrive_chart(mix: pd.DataFrame, *, title: str, source: str) -> go.Figure:
    """Share of requests at each THRIVE level over time, as stacked bars."""
    order = ["getting_advice", "getting_help", "getting_more_help", "getting_risk_support"]
    fig = go.Figure()
    for i, level in enumerate(order):
        rows = mix[mix["thrive_level"] == level]
        fig.add_trace(
            go.Bar(
                x=rows["period"],
                y=rows["value"],
                name=level.replace("_", " ").capitalize(),
                marker={"color": PALETTE[i], "pattern": {"shape": ["", "/", ".", "x"][i]}},
            )
        )
    fig.update_layout(barmode="stack")
    fig.update_yaxes(title="% of requests", range=[0, 100])
    fig.update_xaxes(title="Review period")
    return _layout(fig, title, source)


def breakdown_chart(rows: pd.DataFrame, *, title: str, unit: str, source: str) -> go.Figure:
    """A figure by category with 95% error bars (suppressed categories show as gaps)."""
    fig = go.Figure(
        go.Bar(
            x=rows["category"].astype(str).str.replace("_", " "),
            y=rows["value"],
            marker={"color": PALETTE[0]},
            error_y={
                "type": "data",
                "symmetric": False,
                "array": rows["upper_ci"] - rows["value"],
                "arrayminus": rows["value"] - rows["lower_ci"],
            },
            hovertemplate="%{x}: %{y:,.1f}<extra></extra>",
        )
    )
    fig.update_yaxes(title=unit)
    fig.update_xaxes(type="category")
    return _layout(fig, title, source)


def ward_map(
    wards: pd.DataFrame, geojson: list[str], *, title: str, unit: str, source: str
) -> go.Figure:
    """A choropleth of the city's wards (December 2013 boundaries) as plain SVG shapes.

    Drawn as filled polygons on ordinary axes rather than a geo or tile map:
    those need map data from the internet or WebGL, which a council's
    locked-down network or an old browser may not give. Longitudes are
    scaled by cos(latitude) so the city keeps its shape.
    """
    values = wards.set_index("area_code")
    low, high = np.nanmin(wards["value"]), np.nanmax(wards["value"])
    fig = go.Figure()
    for feature in (json.loads(g) for g in geojson):
        code = feature["properties"]["WD13CD"]
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
    return _layout(fig, title, source, height=560)


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
        "not_significant": "circle",
        "high_0.025": "triangle-up",
        "low_0.025": "triangle-down",
        "high_0.001": "triangle-up-open",
        "low_0.001": "triangle-down-open",
    }
    words = {
        "not_significant": "Within the limits",
        "high_0.025": "High (outside 95%)",
        "low_0.025": "Low (outside 95%)",
        "high_0.001": "High (outside 99.8%)",
        "low_0.001": "Low (outside 99.8%)",
    }
    for i, (status, group) in enumerate(points.groupby("funnel")):
        fig.add_trace(
            go.Scatter(
                x=group["denominator"],
                y=group["value"],
                mode="markers",
                text=group["area_name"],
                name=words.get(status, status),
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
    return _layout(fig, title, source, height=460)


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


def spine_chart(
    latest: pd.DataFrame, comparisons: pd.Series, comparator_name: str, *, title: str, source: str
) -> go.Figure:
    """Fingertips-style spine: each indicator's range of LAs, with the city and comparators.

    Values are placed on each indicator's own min–max scale across local
    authorities; the city's marker shape and label say how it compares.
    """
    span = (latest["la_max"] - latest["la_min"]).replace(0, np.nan)

    def position(column: str) -> pd.Series:
        return (latest[column] - latest["la_min"]) / span

    names = latest["indicator"].str.slice(0, 60)
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            y=names,
            x=[1] * len(latest),
            orientation="h",
            marker={"color": "#e8ecf1"},
            name="Range of local authorities",
            hoverinfo="skip",
        )
    )
    fig.add_trace(
        go.Scatter(
            y=names,
            x=position("England"),
            mode="markers",
            name="England",
            marker={"symbol": "line-ns-open", "size": 22, "color": TEXT},
        )
    )
    fig.add_trace(
        go.Scatter(
            y=names,
            x=position("West Midlands"),
            mode="markers",
            name="West Midlands",
            marker={"symbol": "diamond-open", "size": 11, "color": PALETTE[3]},
        )
    )
    symbols = comparisons.map(
        lambda w: (
            "triangle-up"
            if str(w).startswith(("Higher", "Worse"))
            else "triangle-down"
            if str(w).startswith(("Lower", "Better"))
            else "circle"
        )
    )
    fig.add_trace(
        go.Scatter(
            y=names,
            x=position("value"),
            mode="markers+text",
            name="Stoke-on-Trent",
            text=comparisons.fillna("") + f" {comparator_name}",
            textposition="top center",
            marker={"size": 13, "color": PALETTE[0], "symbol": symbols},
        )
    )
    fig.update_xaxes(
        range=[-0.05, 1.05],
        title="Position in the range of local authorities (0 = lowest, 1 = highest)",
    )
    return _layout(fig, title, source, height=120 + 70 * len(latest))


def comparison_chart(rows: pd.DataFrame, *, title: str, unit: str, source: str) -> go.Figure:
    """One line per area over the publisher's periods (Stoke solid, comparators dotted)."""
    fig = go.Figure()
    for i, (area, series) in enumerate(rows.sort_values("time_period_sort").groupby("area")):
        city = area == "Stoke-on-Trent"
        fig.add_trace(
            go.Scatter(
                x=series["time_period"],
                y=series["value"],
                mode="lines+markers",
                name=area,
                line={
                    "width": 3 if city else 2,
                    "dash": "solid" if city else "dot",
                    "color": PALETTE[0] if city else PALETTE[(i % 6) + 1],
                },
                hovertemplate=area + " %{x}: %{y:,.1f}<extra></extra>",
            )
        )
    fig.update_yaxes(title=unit)
    fig.update_xaxes(title="Period", type="category")
    return _layout(fig, title, source)


def spc_chart(
    spc: pd.DataFrame, *, title: str, unit: str, source: str, target: float | None = None
) -> go.Figure:
    """XmR chart: mean and process limits per segment, special-cause points by shape and colour.

    Improvement is blue with an upward triangle, concern orange with a
    downward one, as in NHS "Making Data Count" charts, so shape alone tells them apart.
    """
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=spc["period"],
            y=spc["value"],
            mode="lines+markers",
            name="Monthly value",
            line={"color": "#7f8c99", "width": 1.5},
            marker={"size": 5, "color": "#7f8c99"},
        )
    )
    for column, name, dash in (
        ("mean", "Mean", "solid"),
        ("upper_limit", "Process limits", "dash"),
        ("lower_limit", None, "dash"),
    ):
        fig.add_trace(
            go.Scatter(
                x=spc["period"],
                y=spc[column],
                mode="lines",
                name=name or "",
                showlegend=name is not None,
                line={"color": TEXT, "dash": dash, "width": 1},
            )
        )
    styles = {
        "improvement": (PALETTE[0], "triangle-up", "Special cause: improvement"),
        "concern": (PALETTE[1], "triangle-down", "Special cause: concern"),
    }
    for cause, (colour, symbol, label) in styles.items():
        points = spc[spc["special_cause"] == cause]
        if len(points):
            fig.add_trace(
                go.Scatter(
                    x=points["period"],
                    y=points["value"],
                    mode="markers",
                    name=label,
                    text=points["rule"],
                    marker={"color": colour, "symbol": symbol, "size": 11},
                    hovertemplate="%{x}: %{y:,.1f} (%{text})<extra></extra>",
                )
            )
    neutral = spc[(spc["special_cause"] == "neither") & (spc["rule"] != "")]
    if len(neutral):
        fig.add_trace(
            go.Scatter(
                x=neutral["period"],
                y=neutral["value"],
                mode="markers",
                name="Special cause (no direction judged)",
                text=neutral["rule"],
                marker={"color": PALETTE[3], "symbol": "diamond", "size": 10},
                hovertemplate="%{x}: %{y:,.1f} (%{text})<extra></extra>",
            )
        )
    _target_line(fig, target)
    fig.update_yaxes(title=unit)
    fig.update_xaxes(title="Month")
    return _layout(fig, title, source, height=420)


def flow_chart(links: pd.DataFrame, *, title: str, source: str) -> go.Figure:
    """A Sankey of the front door, one column per step; suppressed links are left out
    (the table beside it shows them as c)."""
    shown = links[~links["suppressed"]]
    labels = sorted(set(shown["source"]) | set(shown["target"]), key=_flow_step)
    index = {label: i for i, label in enumerate(labels)}
    steps = [_flow_step(label) for label in labels]
    x = [(0.01, 0.2, 0.4, 0.6, 0.99)[step] for step in steps]
    y = []
    for label, step in zip(labels, steps, strict=True):
        column = [other for other in labels if _flow_step(other) == step]
        y.append(0.05 + 0.9 * (column.index(label) + 0.5) / len(column))
    fig = go.Figure(
        go.Sankey(
            arrangement="snap",
            node={
                "label": [label.replace("_", " ") for label in labels],
                "pad": 18,
                "x": x,
                "y": y,
                "color": PALETTE[0],
                "line": {"color": "white", "width": 0.5},
            },
            link={
                "source": shown["source"].map(index),
                "target": shown["target"].map(index),
                "value": shown["families"],
                "color": "rgba(86,180,233,0.35)",
            },
        )
    )
    return _layout(fig, title, source, height=560)


def _flow_step(label: str) -> int:
    """Which column of the front-door flow a node belongs to."""
    if label == "Requests received":
        return 0
    if label.startswith("Decision"):
        return 1
    if label in ("Episode started", "No episode yet"):
        return 2
    if label.startswith("Closed"):
        return 3
    return 4
