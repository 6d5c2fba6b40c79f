"""Chart builders for the JSNA context page and the front-door flow.

Pure functions from frames to Plotly figures, in the house style of `charts`.
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from indicators.present.charts.aim_charts import PALETTE, TEXT, layout
from indicators.present.jsna_views import spine_positions
from indicators.present.status_words import COMPARISON_WORDS
from indicators.statuses import Comparison

# The city's marker by the side of its comparator it lies on (+1 above, −1 below).
SIDE_SYMBOLS = {1: "triangle-up", -1: "triangle-down", 0: "circle"}

# The city's dot by its comparison, as Fingertips colours it (better green, similar
# yellow, worse red; higher and lower in blues where no direction is good), in
# Okabe–Ito colours; the words and the marker's shape say the same.
COMPARISON_COLOURS = {
    Comparison.BETTER: PALETTE[2],
    Comparison.MUCH_BETTER: PALETTE[2],
    Comparison.SIMILAR: PALETTE[6],
    Comparison.WORSE: PALETTE[5],
    Comparison.MUCH_WORSE: PALETTE[5],
    Comparison.HIGHER: PALETTE[0],
    Comparison.MUCH_HIGHER: PALETTE[0],
    Comparison.LOWER: PALETTE[4],
    Comparison.MUCH_LOWER: PALETTE[4],
    Comparison.NOT_COMPARED: "#ffffff",
}
RANGE_COLOUR = "#d4dae1"  # worst to best
MIDDLE_COLOUR = "#8f9ba8"  # 25th to 75th percentile

# How a comparator other than England is marked on the spine, by its role.
SPINE_MARKERS = {
    "region": ("diamond", 11, PALETTE[3]),
    "statistical_neighbours": ("square", 10, PALETTE[1]),
}
LABEL_WIDTH = 42  # characters per line of a wrapped indicator name


def wrapped(label: str, width: int = LABEL_WIDTH) -> str:
    """An indicator's full name over several lines (Plotly breaks lines at `<br>`)."""
    return "<br>".join(textwrap.wrap(label, width)) or label


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
    """The Fingertips spine: England at the centre, worst to best with the middle half shaded.

    `latest` is `publish.jsna.jsna_spine`'s frame (one row per indicator, with
    `england`, `worst`, `best`, `la_p25`, `la_p75`); positions come from
    `jsna_views.spine_positions`, so the left end is always the worst (or the
    lowest, with no judgement). `markers` maps the role of each comparator to
    mark (a column of `latest`, England excepted: it is the centre line) to
    its name. `comparisons` holds comparison codes (`methods.statuses`): the
    city's dot takes their colour, its shape points to the side of the
    comparator it lies on, and its label says it in words.
    """
    roles = [role for role in markers if role in latest.columns]
    at = spine_positions(latest, ["worst", "best", "la_p25", "la_p75", "value", *roles])
    names = [wrapped(name) for name in latest["indicator"]]
    counts = latest["la_count"].astype(int)
    fig = go.Figure()
    for label, low, high, colour in (
        (f"Worst to best of {counts.max()} English authorities", "worst", "best", RANGE_COLOUR),
        ("25th to 75th percentile", "la_p25", "la_p75", MIDDLE_COLOUR),
    ):
        left = np.fmin(at[low], at[high])
        fig.add_trace(
            go.Bar(
                y=names,
                x=(at[low] - at[high]).abs(),
                base=left,
                orientation="h",
                marker={"color": colour},
                name=label,
                width=0.5,
                hoverinfo="skip",
            )
        )
    fig.add_trace(
        go.Scatter(
            y=names,
            x=[0.5] * len(latest),
            mode="markers",
            name="England",
            marker={"symbol": "line-ns-open", "size": 28, "color": TEXT, "line": {"width": 2}},
            customdata=latest["england"],
            hovertemplate="England %{customdata:,.1f}<extra></extra>",
        )
    )
    for role in roles:
        symbol, size, colour = SPINE_MARKERS.get(role, ("square-open", 10, PALETTE[7]))
        fig.add_trace(
            go.Scatter(
                y=names,
                x=at[role],
                mode="markers",
                name=markers[role],
                marker={"symbol": symbol, "size": size, "color": colour},
                customdata=latest[role],
                hovertemplate=markers[role] + " %{customdata:,.1f}<extra></extra>",
            )
        )
    sides = [
        Comparison(code).side(polarity)
        for code, polarity in zip(comparisons, latest["polarity"], strict=True)
    ]
    fig.add_trace(
        go.Scatter(
            y=names,
            x=at["value"],
            mode="markers+text",
            name=area_name,
            text=comparisons.map(COMPARISON_WORDS).fillna("") + f" {comparator_name}",
            # Words lean inwards near either end, so none is cut at the plot's edge.
            textposition=[
                "top right" if x < 0.3 else "top left" if x > 0.7 else "top center"
                for x in at["value"].fillna(0.5)
            ],
            cliponaxis=False,
            marker={
                "size": 15,
                "color": [COMPARISON_COLOURS.get(code, "#ffffff") for code in comparisons],
                "symbol": [SIDE_SYMBOLS[side] for side in sides],
                "line": {"color": TEXT, "width": 1.5},
            },
            customdata=latest[["value", "period"]],
            hovertemplate=area_name + " %{customdata[0]:,.1f} (%{customdata[1]})<extra></extra>",
        )
    )
    fig.add_vline(x=0.5, line={"color": TEXT, "width": 1})
    fig.update_layout(barmode="overlay", bargap=0.5)
    fig.update_yaxes(autorange="reversed", automargin=True, tickfont={"size": 13})
    fig.update_xaxes(
        range=[-0.03, 1.03],
        tickvals=[0, 0.5, 1],
        ticktext=["Worst / lowest", "England", "Best / highest"],
        showgrid=False,
    )
    height = 310 + 84 * len(latest)  # title, legend and source, then a band per row
    layout(fig, title, source, height=height)
    # The legend under the title from the figure's left edge, one wide entry a line; a
    # horizontal legend takes no width from the plot (a vertical one would).
    fig.update_layout(
        margin={"t": 180, "l": 20, "r": 60},
        legend={
            "orientation": "h",
            "entrywidth": 290,
            "entrywidthmode": "pixels",
            "xref": "container",
            "yref": "container",
            "x": 0.01,
            "y": 1 - 48 / height,
            "yanchor": "top",
            "font": {"size": 13},
        },
    )
    return fig


def comparison_chart(
    rows: pd.DataFrame,
    *,
    area_code: str,
    title: str,
    unit: str,
    source: str,
    period_title: str = "Period",
) -> go.Figure:
    """One line per area over the publisher's periods (the strategy's own area, `area_code`,
    solid; comparators dotted); `period_title` says what a period counts (academic year, ...)."""
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
    fig.update_xaxes(title=period_title, type="category")
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
