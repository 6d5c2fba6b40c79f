"""The six-monthly board pack: a PDF and the same content as self-contained HTML.

Built from the engine's results for one review period: a cover, a one-page
summary of all six aims, a page per aim (generated sentence, chart, and the
narrative and actions people recorded in the review store) and a data
note. The same warehouse, period and commentary always give the same bytes
apart from the generated-on line; the pack names the load it was built from.

Blocks hold plain text (titles, names and commentary come from people and
files, and are not trusted): each renderer escapes it for its own format,
`html.escape` for HTML and `xml.sax.saxutils.escape` for reportlab's
Paragraph markup, so a title like `<a href="javascript:...">` shows as
written and never becomes a link or breaks the PDF.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
from dataclasses import dataclass, field, replace
from pathlib import Path
from xml.sax.saxutils import escape as paragraph_escape

import pandas as pd
from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import (
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
)

from indicators.config.spec import Indicator, Strategy
from indicators.disclosure.small_numbers import FOOTNOTE
from indicators.present import commentary, status_words, views
from indicators.report import choices, context_page, printed
from indicators.report.inequality_section import inequality_section
from indicators.review.commentary import recorded_commentary
from indicators.review.store import ReviewStore
from indicators.statuses import Progress
from indicators.store import inventory, publication

BLUE = "#0072B2"


@dataclass
class Block:
    """One piece of pack content, rendered the same way into PDF and HTML."""

    kind: str  # title | heading | subheading | text | image | page_break
    text: str = ""
    image: bytes = b""
    lead: str = ""  # shown in bold before the text


@dataclass
class Pack:
    title: str
    blocks: list[Block] = field(default_factory=list)

    def add(self, kind: str, text: str = "", image: bytes = b"", lead: str = "") -> None:
        self.blocks.append(Block(kind, text, image, lead))

    @property
    def text(self) -> str:
        """All the words in the pack (for tests and search)."""
        return "\n".join(
            " ".join(filter(None, (b.lead, b.text))) for b in self.blocks if b.text or b.lead
        )


def chart_png(
    series: pd.DataFrame, indicator: Indicator, baseline: float | None, title: str
) -> bytes:
    """A static trend chart (value, 95% band, baseline and target) for print."""
    fig, ax = printed.subplots(figsize=(7.0, 2.6), dpi=110)
    x = range(len(series))
    ax.fill_between(
        x,
        series["lower_ci"],
        series["upper_ci"],
        color=BLUE,
        alpha=0.15,
        linewidth=0,
        label="95% confidence interval",
    )
    ax.plot(x, series["value"], color=BLUE, marker="o", markersize=3, label="Value")
    if baseline is not None and baseline == baseline:
        ax.axhline(baseline, color="#4a5560", linestyle="--", linewidth=1, label="Baseline")
    if indicator.target_value is not None:
        ax.axhline(
            indicator.target_value, color="#009E73", linestyle="-.", linewidth=1, label="Target"
        )
    ax.set_xticks(list(x), series["period"], rotation=45, fontsize=7)
    ax.set_ylabel(indicator.unit, fontsize=8)
    printed.titled(ax, title)
    ax.tick_params(axis="y", labelsize=7)
    ax.legend(fontsize=6, loc="upper left", frameon=False, ncols=4)
    return printed.png(fig, ax)


def _direction(indicator: Indicator, word: str) -> str | None:
    if word not in ("rose", "fell") or indicator.polarity == "no_judgement":
        return None
    good = (word == "rose") == (indicator.polarity == "high_is_good")
    return "improved" if good else "worsened"


def board_pack(
    warehouse: Path,
    strategy: Strategy,
    period: str,
    *,
    generated_on: dt.datetime | None = None,
    review_store: ReviewStore | None = None,
) -> Pack:
    """The content of the board pack for `period` (render with `to_pdf` / `to_html`).

    Reads the load's publication: the figures, judgements and sentences are the
    ones the dashboard shows. Definitions the load left out are named. Raises
    `choices.ReportRefused` for a period the publication has no figures for.
    """
    choices.require_period(publication.read(warehouse, "periods"), period)
    results = publication.read(warehouse, "results", area_code=strategy.area_code)
    load = inventory.load_summary(warehouse)
    city = publication.read(
        warehouse, "summary", period=period, area_code=strategy.area_code, breakdown="all"
    ).set_index("indicator_id")
    left_out = publication.read(warehouse, "left_out", order_by=("indicator_id", "position"))
    published = set(publication.read(warehouse, "indicators")["indicator_id"])
    strategy = replace(
        strategy, indicators=tuple(i for i in strategy.indicators if i.id in published)
    )
    notes = recorded_commentary(review_store)
    pack = Pack(f"{strategy.title}: review {period}")
    shown = [i for i in strategy.indicators if i.measure.kind.tile]

    pack.add("title", strategy.title)
    pack.add("heading", f"Six-monthly review, {period}")
    pack.add(
        "text",
        f"{strategy.council}. Built from load {load.load_id} "
        f"(finished {load.finished:%d %B %Y %H:%M}).",
    )
    if load.is_demo:
        pack.add(
            "text",
            "SYNTHETIC DEMO DATA: the early help figures in this pack are "
            "generated, not real children or families.",
        )
    when = generated_on or dt.datetime.now()
    pack.add("text", f"Generated on {when:%d %B %Y %H:%M}.")
    for indicator_id, problems in left_out.groupby("indicator_id", sort=False)["problem"]:
        pack.add(
            "text",
            f"{indicator_id} is not in this pack: its definition fails check ({problems.iloc[0]}).",
            lead="Left out:",
        )
    pack.add("page_break")

    pack.add("heading", "Summary of all six aims")
    progress = city.loc[[i.id for i in shown if i.id in city.index], "progress"]
    counts = progress.value_counts()
    pack.add(
        "text",
        "Progress against baseline and targets: "
        + "; ".join(f"{status_words.progress_words(k)}: {v}" for k, v in counts.items())
        + ".",
    )
    moved = {"improved": [], "worsened": []}
    for indicator in shown:
        if indicator.id in city.index:
            direction = _direction(indicator, commentary.change_word(city.loc[indicator.id]))
            if direction:
                moved[direction].append(indicator.title)
    off_track = [
        i.title
        for i in shown
        if i.id in city.index
        and i.target_value is not None
        and city.loc[i.id, "progress"] in (Progress.LIMITED_PROGRESS, Progress.MOVING_AWAY)
    ]
    for label, titles in (
        ("What improved significantly", moved["improved"]),
        ("What worsened significantly", moved["worsened"]),
        ("Off track for target", off_track),
    ):
        pack.add("subheading", label)
        pack.add("text", "; ".join(titles) + "." if titles else "None.")
    pack.add("subheading", "By aim")
    for aim in strategy.aims:
        ids = [i.id for i in shown if i.aim == aim.id and i.id in city.index]
        statuses = (
            city.loc[ids, "progress"]
            .map(lambda p: status_words.progress_words(p).lower())
            .value_counts()
        )
        pack.add(
            "text",
            f"{len(ids)} indicators ("
            + ", ".join(f"{n} {word}" for word, n in statuses.items())
            + ").",
            lead=f"{aim.title}:",
        )
    pack.add("page_break")

    for aim in strategy.aims:
        pack.add("heading", aim.title)
        for indicator in (i for i in shown if i.aim == aim.id):
            pack.add("subheading", indicator.title)
            if indicator.id in city.index:
                pack.add("text", city.loc[indicator.id, "sentence"])
            series = views.indicator_series(results, indicator.id, strategy.area_code)
            series = series[series["period"] <= period]
            baseline = views.baseline_line(
                results, indicator, strategy.area_code, strategy.baseline_period
            )
            pack.add(
                "image",
                image=chart_png(
                    series, indicator, baseline, f"{indicator.title} ({indicator.unit})"
                ),
            )
            inequality = inequality_section(warehouse, strategy, indicator.id, period)
            if inequality is not None:
                pack.add("text", inequality.words, lead="Across deprivation:")
                if inequality.image:
                    pack.add("image", image=inequality.image)
            for _, note in notes[
                (notes["indicator"] == indicator.id) & (notes["period"] == period)
            ].iterrows():
                if note["narrative"]:
                    lead = f"Commentary ({note['author']}):"
                    pack.add("text", str(note["narrative"]), lead=lead)
                for action in note["actions"] or []:
                    pack.add("text", f"Action: {action}")
        pack.add("page_break")

    context_page.add_context_page(pack, warehouse, strategy)
    pack.add("heading", "Data note")
    pack.add(
        "text",
        "Sources: the council's early help case management extracts "
        "(pseudonymised), ONS population estimates, IMD 2019 (MHCLG), DfE and "
        "OHID public statistics. " + inventory.ATTRIBUTION,
    )
    pack.add(
        "text",
        "Methods: Wilson intervals for proportions, exact Poisson/Byar for rates, "
        "Student t for means; changes are called significant only when the 95% "
        "intervals of the baseline and the latest period do not overlap; trends "
        "use the Fingertips recent-trend test; progress uses compound growth "
        "towards the target; the gap across deprivation is the slope index of "
        "inequality (PHEindicatormethods phe_sii, log or logit fit).",
    )
    pack.add("text", FOOTNOTE.format(min_count=strategy.min_count))
    if load.is_demo:
        pack.add(
            "text",
            "Demo data: the early help extracts behind this pack are synthetic "
            "(generated by the dashboard's demo command); the public data are real.",
        )
    return pack


def ward_report(
    warehouse: Path,
    strategy: Strategy,
    period: str,
    ward_code: str,
    *,
    generated_on: dt.datetime | None = None,
) -> Pack:
    """Every indicator for one ward against the city, with the ward's trend and rank.

    Raises `choices.ReportRefused` for an unknown period or a code that is no ward of the area.
    """
    choices.require_period(publication.read(warehouse, "periods"), period)
    choices.require_ward(publication.read(warehouse, "areas"), ward_code, strategy.area_name)
    load = inventory.load_summary(warehouse)
    profile = publication.read(
        warehouse, "ward_profiles", period=period, area_code=ward_code, order_by=("position",)
    )
    ward = publication.read(
        warehouse, "summary", period=period, area_code=ward_code, breakdown="all"
    )
    name = ward["area_name"].iloc[0] if len(ward) else ward_code
    pack = Pack(f"Ward report: {name}, {period}")
    pack.add("title", f"Ward report: {name}")
    pack.add("heading", f"Early Help and Prevention Strategy, review period {period}")
    pack.add(
        "text",
        f"Ward {ward_code} (2011-2023 wards). Built from load {load.load_id}. "
        f"Generated on {(generated_on or dt.datetime.now()):%d %B %Y %H:%M}.",
    )
    if load.is_demo:
        pack.add(
            "text",
            "SYNTHETIC DEMO DATA: the early help figures in this report are "
            "generated, not real children or families.",
        )
    ward = ward.set_index("indicator_id")
    for _, row in profile.iterrows():
        indicator = next(i for i in strategy.indicators if i.title == row["Indicator"])
        pack.add("subheading", indicator.title)
        if indicator.id in ward.index:
            pack.add("text", ward.loc[indicator.id, "sentence"])
        pack.add(
            "text",
            f"Ward {row['Ward']} {row['95% interval']}; city {row['City']}; "
            f"{row['Compared with city'] or 'not compared'} city; rank "
            f"{row['Rank (1 = highest or best)'] or 'not ranked'}; trend: "
            f"{row['Trend'] or 'not calculated'}.",
        )
    pack.add("heading", "Data note")
    pack.add(
        "text",
        inventory.ward_vintage_note(strategy.area_name)
        + " "
        + FOOTNOTE.format(min_count=strategy.min_count),
    )
    return pack


def _paragraph_markup(block: Block) -> str:
    """A block as reportlab Paragraph markup: its text escaped, its lead in bold."""
    lead = f"<b>{paragraph_escape(block.lead)}</b> " if block.lead else ""
    return lead + paragraph_escape(block.text)


def to_pdf(pack: Pack) -> bytes:
    """A4 PDF; reportlab's invariant mode keeps the bytes the same for the same content."""
    rl_config.invariant = 1
    styles = getSampleStyleSheet()
    style = {
        "title": styles["Title"],
        "heading": styles["Heading1"],
        "subheading": styles["Heading3"],
        "text": styles["BodyText"],
    }
    story: list = []
    group: list = []  # a heading with what follows it stays on one page
    for block in pack.blocks:
        if block.kind in ("page_break", "heading", "subheading", "title") and group:
            story.append(KeepTogether(group))
            group = []
        if block.kind == "page_break":
            story.append(PageBreak())
        elif block.kind == "image":
            group += [
                Image(io.BytesIO(block.image), width=17 * cm, height=6.3 * cm),
                Spacer(1, 0.2 * cm),
            ]
        else:
            group.append(Paragraph(_paragraph_markup(block), style[block.kind]))
    story += [KeepTogether(group)] if group else []
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=pack.title,
        author="Early help dashboard",
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=1.8 * cm,
        bottomMargin=1.8 * cm,
    ).build(story)
    return buffer.getvalue()


def to_html(pack: Pack) -> str:
    """The same content as one self-contained HTML file (charts embedded)."""
    tags = {"title": "h1", "heading": "h2", "subheading": "h3", "text": "p"}
    body = []
    for block in pack.blocks:
        if block.kind == "page_break":
            body.append('<hr class="page">')
        elif block.kind == "image":
            data = base64.b64encode(block.image).decode("ascii")
            body.append(f'<img alt="chart" src="data:image/png;base64,{data}">')
        else:
            lead = f"<b>{html.escape(block.lead)}</b> " if block.lead else ""
            tag = tags[block.kind]
            body.append(f"<{tag}>{lead}{html.escape(block.text)}</{tag}>")
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(pack.title)}</title><style>body{{font-family:Arial,sans-serif;"
        "max-width:52rem;margin:2rem auto;color:#1f2933}img{max-width:100%}"
        "hr.page{page-break-after:always;border:0}</style></head><body>"
        + "\n".join(body)
        + "</body></html>"
    )
