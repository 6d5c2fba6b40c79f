"""The slope chart of inequality: deciles at their deprivation rank with the fitted line.

As PHE's inequality tools draw the slope index of inequality: each decile's
value and 95% interval at the mid-point of its share of the population (0 the
most deprived end, 1 the least), and the regression line whose two ends the
SII joins. Deciles are named on the points, so the x-axis needs no legend.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from indicators.present.charts.aim_charts import PALETTE, TEXT, layout


def inequality_chart(
    points: pd.DataFrame, line: pd.DataFrame, *, title: str, unit: str, source: str
) -> go.Figure:
    """Decile points with error bars at their relative rank, and the fitted line."""
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=points["rank"],
            y=points["value"],
            mode="markers+text",
            name="Deprivation decile (1 = most deprived)",
            text=points["decile"].astype(str),
            textposition="top right",
            textfont={"size": 11, "color": TEXT},
            marker={"color": PALETTE[0], "size": 9, "symbol": "circle"},
            error_y={
                "type": "data",
                "symmetric": False,
                "array": points["upper_ci"] - points["value"],
                "arrayminus": points["value"] - points["lower_ci"],
                "color": PALETTE[0],
                "thickness": 1,
            },
            hovertemplate="Decile %{text}: %{y:,.1f} (rank %{x:.2f})<extra></extra>",
        )
    )
    if len(line):
        fig.add_trace(
            go.Scatter(
                x=line["rank"],
                y=line["fitted"],
                mode="lines",
                name="Fitted line (slope index of inequality)",
                line={"color": PALETTE[5], "width": 2},
                hovertemplate="Rank %{x:.2f}: fitted %{y:,.1f}<extra></extra>",
            )
        )
    fig.update_xaxes(
        title="Relative deprivation rank (0 = most deprived, 1 = least deprived)",
        range=[-0.02, 1.05],
        tickvals=[0, 0.25, 0.5, 0.75, 1],
    )
    fig.update_yaxes(title=unit)
    return layout(fig, title, source, height=440)
