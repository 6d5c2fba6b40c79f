"""Chart builders: pure functions from a frame to a Plotly figure.

One template for every chart (readable type, units on axes, the source
under the chart) and the Okabe-Ito palette, which stays distinct for the
common kinds of colour blindness. Colour never carries meaning alone: status
is also in words and marker shapes, and every chart has a table beside it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from indicators.present.charts.palette import PALETTE

TEXT = "#1f2933"
GRID = "#d9dde3"
FONT = "Source Sans Pro, Arial, sans-serif"


def layout(fig: go.Figure, title: str, source: str, *, height: int = 400) -> go.Figure:
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
    fig = layout(fig, title, source)
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
    return layout(fig, title, source)


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
    return layout(fig, title, source)


def _spc_lines(fig: go.Figure, spc: pd.DataFrame) -> None:
    """Mean, process limits and the two-thirds (near limit) lines; limits resting on
    fewer than 12 points are drawn apart and named trial limits."""
    trial = spc["trial_limits"].astype(bool)
    lines = [("mean", "Mean", "solid", None)]
    for mask, label in ((~trial, "Process limits"), (trial, "Trial limits (under 12 points)")):
        if mask.any():
            dash = "dash" if label == "Process limits" else "longdashdot"
            lines += [(c, label, dash, mask) for c in ("upper_limit", "lower_limit")]
    lines += [
        (c, "Two-thirds (near limit) lines", "dot", None) for c in ("near_upper", "near_lower")
    ]
    shown: set[str] = set()
    for column, name, dash, mask in lines:
        y = spc[column] if mask is None else spc[column].where(mask)
        fig.add_trace(
            go.Scatter(
                x=spc["period"],
                y=y,
                mode="lines",
                name=name,
                legendgroup=name,
                showlegend=name not in shown,
                line={"color": TEXT if dash != "dot" else "#7f8c99", "dash": dash, "width": 1},
                hovertemplate=f"%{{x}}: %{{y:,.1f}} ({name.lower()})<extra></extra>",
            )
        )
        shown.add(name)


def spc_chart(
    spc: pd.DataFrame, *, title: str, unit: str, source: str, target: float | None = None
) -> go.Figure:
    """XmR chart: mean, process and near-limit lines per segment, special-cause points by
    shape and colour.

    Improvement is blue with an upward triangle, concern orange with a
    downward one, as in NHS "Making Data Count" charts, so shape alone tells them
    apart; with no direction judged a special cause is purple, pointing up when high
    and down when low (the neutral icons).
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
    _spc_lines(fig, spc)
    styles = {
        "improvement": (PALETTE[0], "triangle-up", "Special cause: improvement"),
        "concern": (PALETTE[1], "triangle-down", "Special cause: concern"),
        "neutral_high": (PALETTE[3], "triangle-up", "Special cause: high (no direction judged)"),
        "neutral_low": (PALETTE[3], "triangle-down", "Special cause: low (no direction judged)"),
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
    _target_line(fig, target)
    fig.update_yaxes(title=unit)
    fig.update_xaxes(title="Month")
    return layout(fig, title, source, height=420)
