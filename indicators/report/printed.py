"""How every chart in the pack is printed: matplotlib off-screen, the same finish, PNG bytes.

One place for what the board pack's charts share (the Agg backend, a title
that is never read as mathtext, no top or right frame, a tight layout, and
PNG bytes that carry no software stamp, so the same pack gives the same bytes).
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure


def subplots(**kwargs) -> tuple[Figure, Axes]:
    """A new figure and its axes (`matplotlib.pyplot.subplots`), off-screen."""
    return plt.subplots(**kwargs)


def titled(ax: Axes, title: str) -> None:
    """The chart's title at the left, with `$` shown as written (no mathtext)."""
    ax.set_title(title.replace("$", r"\$"), fontsize=9, loc="left")


def png(fig: Figure, ax: Axes) -> bytes:
    """The finished figure as PNG bytes (the figure is closed)."""
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    plt.close(fig)
    return buffer.getvalue()
