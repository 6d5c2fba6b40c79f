"""Chart builders for the JSNA context page and the front-door flow.

Pure functions from frames to Plotly figures, in the house style of `charts`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from indicators.present.charts.aim_charts import PALETTE, TEXT, layout
from indicators.present.status_words import COMPARISON_WORDS
from indicators.statuses import Comparison

# The city's marker by the side of its comparator it lies on (+1 above, −1 below).
SIDE_SYMBOLS = {1: "triangle-up", -1: "triangle-down", 0: "circle"}

# How a single-area comparator is marked on the spine, by its role: (symbol, size, colour).
SPINE_MARKERS = {
    "england": ("line-ns-open", 22, TEXT),
    "region": ("diamond-open", 11, PALETTE[3]),
}


def spine_chart(
    latest: pd.DataFrame,
    comparisons: pd.Series,
    comparator_name: str,
    *,
    area_name: str,
    markers: dict[str, str],
    title: str,
    source: str,
) -> go.Figure:
    """Fingertips-style spine: each indicator's range of LAs, with the city and comparators.

    Values are placed on each indicator's own min–max scale across local
    authorities; the city's marker shape and label say how it compares.
    `markers` maps the role of each single-area comparator (a column of
    `latest`) to the name its marker shows.
    `comparisons` holds comparison codes (`methods.statuses.Comparison`): the
    marker points to the side of the comparator the city lies on, whatever
    the words say.
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
    for role, name in markers.items():
        symbol, size, colour = SPINE_MARKERS.get(role, ("square-open", 11, PALETTE[5]))
        fig.add_trace(
            go.Scatter(
                y=names,
                x=position(role),
                mode="markers",
                name=name,
                marker={"symbol": symbol, "size": size, "color": colour},
            )
        )
    sides = [
        Comparison(code).side(polarity)
        for code, polarity in zip(comparisons, latest["polarity"], strict=True)
    ]
    symbols = [SIDE_SYMBOLS[side] for side in sides]
    fig.add_trace(
        go.Scatter(
            y=names,
            x=position("value"),
            mode="markers+text",
            name=area_name,
            text=comparisons.map(COMPARISON_WORDS).fillna("") + f" {comparator_name}",
            textposition="top center",
            marker={"size": 13, "color": PALETTE[0], "symbol": symbols},
        )
    )
    fig.update_xaxes(
        range=[-0.05, 1.05],
        title="Position in the range of local authorities (0 = lowest, 1 = highest)",
    )
    return layout(fig, title, source, height=120 + 70 * len(latest))


def comparison_chart(
    rows: pd.DataFrame, *, area_code: str, title: str, unit: str, source: str
) -> go.Figure:
    """One line per area over the publisher's periods (the strategy's own area, `area_code`,
    solid; comparators dotted)."""
    fig = go.Figure()
    ordered = rows.sort_values("time_period_sort")
    for i, ((area, code), series) in enumerate(ordered.groupby(["area", "area_code"])):
        city = code == area_code
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
    return layout(fig, title, source)


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
    return layout(fig, title, source, height=560)


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
