"""The meeting pack as an A4 PDF (reportlab): vector charts, numbered pages, one KPI a page."""

import io
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from svglib.svglib import svg2rlg

from dashboard.components import STATUS_STYLE
from dashboard.report.appendix import Block
from dashboard.report.content import Fact
from dashboard.report.pack import Pack
from dashboard.report.text import rt
from dashboard.text import t
from imvo.errors import ImvoError

WIDTH = A4[0] - 4 * cm
GRID = TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#BBBBBB")),
                   ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#0B3C5D")),
                   ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
                   ("VALIGN", (0, 0), (-1, -1), "TOP")])
_BASE = getSampleStyleSheet()
STYLES = {
    "cover": ParagraphStyle("cover", _BASE["Title"], fontSize=24, leading=30, alignment=0),
    "h1": ParagraphStyle("h1", _BASE["Heading1"], fontSize=17, leading=21),
    "h2": ParagraphStyle("h2", _BASE["Heading2"], fontSize=12.5, leading=16),
    "body": ParagraphStyle("body", _BASE["BodyText"], fontSize=10, leading=13.5),
    "cell": ParagraphStyle("cell", _BASE["BodyText"], fontSize=9, leading=11.5),
    "label": ParagraphStyle("label", _BASE["BodyText"], fontSize=9, leading=11.5,
                            fontName="Helvetica-Bold"),
    "head": ParagraphStyle("head", _BASE["BodyText"], fontSize=9, leading=11.5,
                           textColor=colors.white, fontName="Helvetica-Bold"),
    "small": ParagraphStyle("small", _BASE["BodyText"], fontSize=8.5, leading=11,
                            textColor=colors.HexColor("#555555")),
    "note": ParagraphStyle("note", _BASE["BodyText"], fontSize=10, leading=13.5,
                           borderColor=colors.HexColor("#0B3C5D"), borderWidth=1,
                           borderPadding=8, backColor=colors.HexColor("#F4F5F7")),
}


def _p(text: str, style: str = "body") -> Paragraph:
    return Paragraph(escape(text), STYLES[style])


def _table(head: list[str], rows: list[list[str]], widths: list[float],
           extra: list[tuple[Any, ...]] | None = None) -> Table:
    cells = [[_p(h, "head") for h in head]] + [[_p(c, "cell") for c in row] for row in rows]
    table = Table(cells, colWidths=widths, repeatRows=1)
    table.setStyle(GRID)
    table.setStyle(TableStyle(extra or []))
    return table


def _facts(facts: list[Fact], label_width: float = 4.2 * cm) -> Table:
    rows = [[_p(label, "label"), _p(text, "cell")] for label, text in facts]
    table = Table(rows, colWidths=[label_width, WIDTH - label_width])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#DDDDDD"))]))
    return table


def chart_drawing(svg: bytes, width: float = WIDTH) -> Drawing:
    """Return an SVG chart as a vector drawing scaled to a width; it never splits over pages."""
    drawing = svg2rlg(io.BytesIO(svg))
    if drawing is None:
        raise ImvoError("a chart of the meeting pack could not be read as SVG",
                        hint="run again with --debug and report the error")
    factor = width / drawing.width
    drawing.scale(factor, factor)
    drawing.width, drawing.height = width, drawing.height * factor
    return drawing


def _cover(pack: Pack) -> list[Flowable]:
    page = pack.cover
    return [Spacer(1, 3 * cm), _p(rt("pack", pack.lang), "h2"), _p(page.title, "cover"),
            _p(page.subtitle, "h2"), Spacer(1, 1 * cm), _facts(page.facts),
            Spacer(1, 1 * cm), _p(page.edition, "note")]


def _status(pack: Pack) -> list[Flowable]:
    lang = pack.lang
    head = [rt("kpi", lang), t("latest", lang), t("target", lang), rt("status", lang),
            rt("coverage", lang)]
    rows = [[s.name, s.latest, s.target, s.status_text, s.coverage + (" (!)" * s.low_coverage)]
            for s in pack.status]
    colours = [("BACKGROUND", (3, row), (3, row), colors.HexColor(STATUS_STYLE[s.status][1]))
               for row, s in enumerate(pack.status, start=1) if s.status in STATUS_STYLE]
    widths = [5.6 * cm, 3.4 * cm, 2.6 * cm, 2.8 * cm, 2.6 * cm]
    return [PageBreak(), _p(rt("status_title", lang), "h1"),
            _p(rt("status_intro", lang, year=pack.year)), Spacer(1, 0.3 * cm),
            _table(head, rows, widths, colours)]


def _kpi_pages(pack: Pack, charts: list[bytes]) -> list[Flowable]:
    story: list[Flowable] = []
    for page, svg in zip(pack.kpis, charts, strict=True):
        story += [PageBreak(), KeepTogether([_p(page.title, "h1"), _p(page.description, "small"),
                                             Spacer(1, 0.2 * cm), chart_drawing(svg)]),
                  Spacer(1, 0.3 * cm), _facts(page.facts)]
        story += [_p(note, "small") for note in page.notes]
    return story


def _coverage(pack: Pack) -> list[Flowable]:
    lang = pack.lang
    threshold = f"{round(pack.coverage_threshold * 100)}%"
    rows = [[str(c.year), str(c.bound), str(c.submitted),
             c.coverage + (f" ({rt('low', lang)})" if c.low else "")] for c in pack.coverage]
    years = _table([t("year", lang), rt("members_bound", lang), rt("members_submitted", lang),
                    rt("coverage", lang)], rows, [3 * cm, 4.5 * cm, 4.5 * cm, 5 * cm])
    fresh = _table([rt("kpi", lang), rt("latest_year", lang)],
                   [[name, year] for name, year in pack.freshness], [11 * cm, 6 * cm])
    ingest = next(text for label, text in pack.cover.facts if label == t("last_ingest", lang))
    return [PageBreak(), _p(rt("coverage_title", lang), "h1"),
            _p(rt("coverage_intro", lang, share=threshold)), Spacer(1, 0.3 * cm), years,
            Spacer(1, 0.6 * cm), _p(f"{t('last_ingest', lang)}: {ingest}"),
            Spacer(1, 0.3 * cm), fresh]


def _blocks(title: str, intro: str | None, blocks: list[Block]) -> list[Flowable]:
    story: list[Flowable] = [PageBreak(), _p(title, "h1")] + ([_p(intro)] if intro else [])
    for block in blocks:
        parts = [_p(block.title, "h2")] + ([_p(block.intro, "small")] if block.intro else [])
        story.append(KeepTogether(parts + ([_facts(block.lines)] if block.lines else [])))
    return story


def _story(pack: Pack, charts: list[bytes]) -> list[Flowable]:
    lang = pack.lang
    return [*_cover(pack), *_status(pack), *_kpi_pages(pack, charts), *_coverage(pack),
            *_blocks(t("outcome_goals", lang), rt("goals_intro", lang), pack.goals),
            *_blocks(rt("appendix_title", lang), None, pack.definitions)]


def _render(pack: Pack, charts: list[bytes], total: int | None) -> tuple[bytes, int]:
    buffer = io.BytesIO()
    footer = f"{pack.cover.title} · {pack.year}"
    mark = rt("confidential_mark", pack.lang)

    def decorate(canvas: Any, doc: Any) -> None:
        """Draw the footer with the page number, and the confidential mark when it applies."""
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(2 * cm, 1.2 * cm, footer)
        number = rt("page", pack.lang, n=doc.page, total=total or doc.page)
        canvas.drawRightString(A4[0] - 2 * cm, 1.2 * cm, number)
        if pack.cover.confidential:
            canvas.setFillColor(colors.HexColor("#B00020"))
            canvas.drawRightString(A4[0] - 2 * cm, A4[1] - 1.2 * cm, mark)
        canvas.restoreState()

    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=2 * cm, rightMargin=2 * cm,
                            topMargin=2 * cm, bottomMargin=2 * cm, title=footer,
                            author="IMVO Monitor", subject=rt("pack", pack.lang))
    doc.build(_story(pack, charts), onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue(), int(doc.page)


def pdf_bytes(pack: Pack, charts: list[bytes]) -> bytes:
    """Return the pack as a PDF; `charts` are the KPI pages' SVG charts, in order."""
    _, pages = _render(pack, charts, None)  # a first pass counts the pages for 'page n of N'
    content, _ = _render(pack, charts, pages)
    return content
