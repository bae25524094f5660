"""The meeting pack as a 16:9 PowerPoint deck (python-pptx); charts are high-resolution PNGs."""

import io
from collections.abc import Sequence

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import PP_ALIGN
from pptx.presentation import Presentation as Deck
from pptx.slide import Slide
from pptx.table import Table
from pptx.util import Emu, Inches, Pt

from dashboard.components import STATUS_STYLE
from dashboard.report.appendix import Block
from dashboard.report.content import Fact
from dashboard.report.pack import Pack
from dashboard.report.text import rt
from dashboard.text import t

TITLE_ONLY = 5  # the default template's "Title Only" layout: the title stays in the outline
SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)


def rgb(colour: str) -> RGBColor:
    """Return a colour written '#RRGGBB' as python-pptx's colour."""
    value: RGBColor = RGBColor.from_string(colour.lstrip("#"))  # type: ignore[no-untyped-call]
    return value


NAVY, GREY, RED, BLACK = rgb("#0B3C5D"), rgb("#555555"), rgb("#B00020"), rgb("#000000")


def _slide(deck: Deck, title: str) -> Slide:
    slide: Slide = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY])
    shape = slide.shapes.title
    assert shape is not None  # the Title Only layout always has a title placeholder
    shape.left, shape.top, shape.width, shape.height = (Inches(0.5), Inches(0.3),
                                                        Inches(12.3), Inches(0.9))
    shape.text = title
    size = Pt(26 if len(title) <= 60 else 20)  # a long KPI name still fits on one or two lines
    for paragraph in shape.text_frame.paragraphs:
        paragraph.alignment = PP_ALIGN.LEFT
        for run in paragraph.runs:
            run.font.size, run.font.bold, run.font.color.rgb = size, True, NAVY
    return slide


def _text(slide: Slide, box: tuple[float, float, float, float], lines: Sequence[Fact | str], *,
          size: int = 14, colour: RGBColor | None = None) -> None:
    """Add a text box at (left, top, width, height) inches; a fact's label is set in bold."""
    left, top, width, height = (Inches(v) for v in box)
    frame = slide.shapes.add_textbox(left, top, width, height).text_frame
    frame.word_wrap = True
    for number, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if number == 0 else frame.add_paragraph()
        label, text = line if isinstance(line, tuple) else ("", line)
        for part, bold in ((f"{label}: " if label and text else label, True), (text, False)):
            if part:
                run = paragraph.add_run()
                run.text, run.font.size, run.font.bold = part, Pt(size), bold
                if colour is not None:
                    run.font.color.rgb = colour
        paragraph.space_after = Pt(size * 0.4)


def _table(slide: Slide, head: list[str], rows: list[list[str]], widths: list[float], *,
           left: float = 0.5, top: float = 1.6, size: int = 12) -> Table:
    shape = slide.shapes.add_table(len(rows) + 1, len(head), Inches(left), Inches(top),
                                   Inches(sum(widths)), Inches(size / 30 * (len(rows) + 1)))
    table = shape.table
    for column, width in enumerate(widths):
        table.columns[column].width = Emu(Inches(width))
    for r, row in enumerate([head, *rows]):
        for c, text in enumerate(row):
            cell = table.cell(r, c)
            cell.text = text
            for run in (run for p in cell.text_frame.paragraphs for run in p.runs):
                run.font.size, run.font.bold = Pt(size), r == 0
    return table


def _cover(deck: Deck, pack: Pack) -> None:
    page = pack.cover
    slide = _slide(deck, page.title)
    _text(slide, (0.5, 1.3, 12.3, 0.6), [f"{rt('pack', pack.lang)} · {page.subtitle}"], size=20)
    _text(slide, (0.5, 2.2, 8.0, 3.2), page.facts, size=16)
    _text(slide, (0.5, 5.6, 12.3, 1.2), [page.edition], size=14,
          colour=RED if page.confidential else GREY)


def _status(deck: Deck, pack: Pack) -> None:
    lang = pack.lang
    slide = _slide(deck, rt("status_title", lang))
    _text(slide, (0.5, 1.1, 12.3, 0.4), [rt("status_intro", lang, year=pack.year)], size=12)
    rows = [[s.name, s.latest, s.target, s.status_text, s.coverage + (" (!)" * s.low_coverage)]
            for s in pack.status]
    head = [rt("kpi", lang), t("latest", lang), t("target", lang), rt("status", lang),
            rt("coverage", lang)]
    table = _table(slide, head, rows, [4.6, 2.6, 1.9, 2.0, 1.2], size=11)
    for row, line in enumerate(pack.status, start=1):
        if line.status in STATUS_STYLE:
            cell = table.cell(row, 3)
            cell.fill.solid()  # type: ignore[no-untyped-call]
            cell.fill.fore_color.rgb = rgb(STATUS_STYLE[line.status][1])
            for run in (r for p in cell.text_frame.paragraphs for r in p.runs):
                run.font.color.rgb = BLACK


def _kpi_slides(deck: Deck, pack: Pack, charts: list[bytes]) -> None:
    for page, png in zip(pack.kpis, charts, strict=True):
        slide = _slide(deck, page.title)
        _text(slide, (0.5, 1.05, 12.3, 0.5), [page.description], size=11, colour=GREY)
        # 960 × 420 px chart: 8.4 inches wide keeps its proportions at 3.675 inches high
        slide.shapes.add_picture(io.BytesIO(png), Inches(0.4), Inches(1.7), width=Inches(8.4))
        _text(slide, (9.0, 1.7, 4.0, 4.6), page.facts, size=12)
        if page.notes:
            _text(slide, (0.5, 5.6, 8.3, 1.2), page.notes, size=11, colour=GREY)


def _coverage(deck: Deck, pack: Pack) -> None:
    lang = pack.lang
    slide = _slide(deck, rt("coverage_title", lang))
    share = f"{round(pack.coverage_threshold * 100)}%"
    _text(slide, (0.5, 1.1, 12.3, 0.5), [rt("coverage_intro", lang, share=share)], size=12)
    rows = [[str(c.year), str(c.bound), str(c.submitted),
             c.coverage + (f" ({rt('low', lang)})" if c.low else "")] for c in pack.coverage]
    _table(slide, [t("year", lang), rt("members_bound", lang), rt("members_submitted", lang),
                   rt("coverage", lang)], rows, [1.0, 1.7, 1.4, 1.6], top=1.8)
    _table(slide, [rt("kpi", lang), rt("latest_year", lang)],
           [[name, year] for name, year in pack.freshness], [4.6, 1.6], left=6.6, top=1.8,
           size=10)


def _block_slides(deck: Deck, title: str, blocks: list[Block], per_slide: int) -> None:
    for start in range(0, len(blocks), per_slide):
        slide = _slide(deck, title)
        column = 12.3 / per_slide
        for offset, block in enumerate(blocks[start:start + per_slide]):
            intro = [block.intro] if block.intro else []
            _text(slide, (0.5 + offset * column, 1.3, column - 0.2, 5.6),
                  [(block.title, ""), *intro, *block.lines], size=11)


def _number(deck: Deck, pack: Pack) -> None:
    total = len(deck.slides)
    footer = f"{pack.cover.title} · {pack.year}"
    for number, slide in enumerate(deck.slides, start=1):
        _text(slide, (0.5, 7.0, 9.0, 0.4), [footer], size=9, colour=GREY)
        _text(slide, (10.3, 7.0, 2.6, 0.4), [rt("page", pack.lang, n=number, total=total)],
              size=9, colour=GREY)
        if pack.cover.confidential:
            _text(slide, (10.3, 0.05, 2.6, 0.3), [rt("confidential_mark", pack.lang)], size=10,
                  colour=RED)


def pptx_bytes(pack: Pack, charts: list[bytes]) -> bytes:
    """Return the pack as a PPTX deck; `charts` are the KPI slides' PNG charts, in order."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = SLIDE_W, SLIDE_H
    _cover(deck, pack)
    _status(deck, pack)
    _kpi_slides(deck, pack, charts)
    _coverage(deck, pack)
    _block_slides(deck, t("outcome_goals", pack.lang), pack.goals, per_slide=3)
    _block_slides(deck, rt("appendix_title", pack.lang), pack.definitions, per_slide=2)
    _number(deck, pack)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()
