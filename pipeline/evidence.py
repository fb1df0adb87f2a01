"""Evidence for a finding: the PDF's header band and the row it concerns (or the line of text
that states an amount), cropped, the named cells outlined, labelled, embedded as PNG.

An outline is drawn around the ink of the printed cell text, not only around the box the PDF's
font metrics give: a renderer that substitutes a font whose glyphs are wider (a PDF that does
not embed Helvetica) draws "2 248 465 kr" past that box, and an outline stopping inside "kr"
would not show what is printed."""

from __future__ import annotations

import base64
import io
import math
import re
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from model import Finding
from pipeline.evidence_pages import PdfPages

if TYPE_CHECKING:
    from model import CaseResult

MARGIN_PT = 4.0
HEADER_MAX_PT = 80.0  # the header band is looked for this far above the table's first row
HEADER_GAP_PT = 10.0  # a wider blank above a header line ends the band
# Checks about a row's code or name: the picture outlines the name, not the amounts.
NAME_CHECKS = {"code_name", "unresolved_name", "override_used", "coverage", "unparsed_row"}
HIT = {"fill": (255, 220, 0, 90), "stroke": (200, 0, 0), "stroke_width": 2}
RELATED = {"fill": (0, 0, 0, 0), "stroke": (230, 120, 0), "stroke_width": 2}
OTHER = {"fill": (0, 0, 0, 0), "stroke": (150, 150, 150), "stroke_width": 1}
INK_LEVEL = 128  # a pixel darker than this (grey, 0-255) is ink; lighter is shading or a rule
# A blank wider than this (× the text's height) ends what an outline covers: a cell's text
# takes in its spaces ("2 248 465 kr"; a space is ~0.28), an amount in running text only its
# own glyphs (the words beside it are a space away).
CELL_GAP_EM = 0.45
WORD_GAP_EM = 0.12
RULE_SHARE = 0.95  # a pixel column inked over this much of the text's height is a rule line
PAD_PT = 1.0
# Findings about a whole table (no cell, no column): its first row on the finding's page.
WHOLE_TABLE_CHECKS = frozenset({"truncated_table", "unchecked_amounts"})
LABEL_PT = 7.0  # the size of the document-and-page label drawn above a picture


def finding_rows(frame: pl.DataFrame, finding: Finding) -> pl.DataFrame:
    """The PDF cells a finding concerns: its row, or the total row for a column finding."""
    if frame.is_empty() or "x0" not in frame.columns or finding.table is None:
        return frame.clear()
    rows = frame.filter(
        (pl.col("table") == finding.table)
        & (pl.col("source_format") == "pdf")
        & pl.col("x0").is_not_null()
    )
    if finding.scb_code:
        rows = rows.filter(pl.col("scb_code") == finding.scb_code)
    elif finding.check in WHOLE_TABLE_CHECKS and finding.page is not None:
        # the table on the finding's page, shown by its first row: not another table's total
        rows = first_rows(rows.filter(pl.col("source_file") == finding.source_file)
                          .filter(pl.col("page") == finding.page), finding.page)
    elif (rows["row_kind"] == "total").any():
        rows = rows.filter(pl.col("row_kind") == "total")
    else:  # a column finding in a table without total row: its first row shows the column
        rows = first_rows(rows, finding.page)
    if finding.source_file and finding.source_file in rows["source_file"].to_list():
        return rows.filter(pl.col("source_file") == finding.source_file)
    if rows.is_empty() or (finding.source_file and finding.check != "formats_agree"):
        return rows.clear()  # the row is not in the finding's own document: no picture
    return rows.filter(pl.col("source_file") == rows["source_file"][0])


def first_rows(rows: pl.DataFrame, page: int | None) -> pl.DataFrame:
    """Per document, the first printed row of the table (on the given page, if it has one)."""
    if page is not None and (rows["page"] == page).any():
        rows = rows.filter(pl.col("page") == page)
    first = rows.group_by("source_file").agg(pl.col("page").min(), pl.col("row_index").min())
    return rows.join(first, on=["source_file", "page", "row_index"])


def preceding_row(frame: pl.DataFrame, finding: Finding) -> pl.DataFrame:
    """For a recipient missing from a PDF table: the printed row after which its code would
    come, so the picture shows where the row is not."""
    if frame.is_empty() or "x0" not in frame.columns or not finding.scb_code:
        return frame.clear()
    rows = frame.filter(
        (pl.col("table") == finding.table) & (pl.col("source_format") == "pdf")
        & (pl.col("row_kind") == "recipient") & pl.col("x0").is_not_null()
        & (pl.col("scb_code") < finding.scb_code))
    if finding.source_file:
        rows = rows.filter(pl.col("source_file") == finding.source_file)
    if rows.is_empty():
        return rows
    return rows.filter(pl.col("scb_code") == rows["scb_code"].max())


def first_row(rows: pl.DataFrame) -> pl.DataFrame:
    first = rows.row(0, named=True)
    return rows.filter(
        (pl.col("page") == first["page"]) & (pl.col("row_index") == first["row_index"])
        & (pl.col("table_index") == first["table_index"])
    )


def header_band(words: list[dict], table_top: float) -> tuple[float, float] | None:
    """(top, bottom) of the lines printed just above a table's first row on a page (its
    words): its header (or the header repeated on a continued page), up to a blank wider than
    a line gap; None when nothing is printed there."""
    words = [w for w in words
             if w["bottom"] <= table_top + 0.5 and w["top"] >= table_top - HEADER_MAX_PT]
    top, bottom = table_top, None
    for w in sorted(words, key=lambda w: -w["bottom"]):
        if bottom is not None and top - w["bottom"] > HEADER_GAP_PT:
            break  # the nearest line above starts the band, whatever the gap
        top = min(top, w["top"])
        bottom = max(bottom or w["bottom"], w["bottom"])
    return None if bottom is None else (top, bottom)


def name_boxes(words: list[dict], row: pl.DataFrame) -> list[tuple[float, float, float, float]]:
    """The code and name words of a printed row (among its page's words): left of its first
    amount cell."""
    top, bottom, left = row["top"].min(), row["bottom"].max(), row["x0"].min()
    return [(w["x0"], w["top"], w["x1"], w["bottom"]) for w in words
            if w["x1"] <= left - 1 and w["top"] < bottom and w["bottom"] > top]


def related_measures(finding: Finding) -> set[str]:
    return {c.get("measure") for c in finding.related or []
            if c.get("scb_code") == finding.scb_code and c.get("table") == finding.table}


def row_boxes(words: list[dict], row: pl.DataFrame, finding: Finding
              ) -> list[tuple[tuple, dict]]:
    """Each box to draw on the row with its style: the named cells outlined in red."""
    names_it = finding.measure is None and finding.check in NAME_CHECKS
    related = related_measures(finding)
    boxes = [(box, HIT) for box in name_boxes(words, row)] if names_it else []
    for cell in row.iter_rows(named=True):
        hit = not names_it and (finding.measure is None or cell["measure"] == finding.measure)
        style = HIT if hit else RELATED if cell["measure"] in related else OTHER
        boxes.append(((cell["x0"], cell["top"], cell["x1"], cell["bottom"]), style))
    return boxes


def ink_columns(image, top: float, bottom: float):
    """Per pixel column of the strip, whether glyph ink lies between top and bottom (PDF
    points): dark pixels, leaving out columns inked almost all the way down (rule lines)."""
    import numpy as np

    scale, origin = image.scale, image.bbox[1]
    grey = np.asarray(image.original.convert("L"))
    r0 = max(int((top - origin) * scale), 0)
    r1 = min(math.ceil((bottom - origin) * scale), grey.shape[0])
    band = grey[r0:r1] < INK_LEVEL
    if band.size == 0:
        return None
    return band.any(axis=0) & (band.mean(axis=0) < RULE_SHARE)


def _reach(cols, edge: int, step: int, gap: int) -> int:
    """The last inked column from edge in direction step, crossing blanks up to gap wide."""
    j = edge + step
    while 0 <= j < len(cols) and abs(j - edge) <= gap + 1:
        if cols[j]:
            edge = j
        j += step
    return edge


def ink_box(image, box: tuple[float, float, float, float],
            gap_em: float = CELL_GAP_EM) -> tuple[float, float, float, float]:
    """The box's left and right moved to the ink of the text it holds: in to the first and
    last inked column, out over glyphs drawn past it up to a blank gap_em × its height wide."""
    x0, top, x1, bottom = box
    cols = ink_columns(image, top, bottom)
    if cols is None:
        return box
    scale, origin = image.scale, image.bbox[0]
    c0, c1 = max(int((x0 - origin) * scale), 0), min(math.ceil((x1 - origin) * scale), len(cols))
    inside = [c for c in range(c0, c1) if cols[c]]
    if not inside:
        return box  # a blank cell: nothing printed to snap to
    gap = max(int(gap_em * (bottom - top) * scale), 1)
    left, right = _reach(cols, inside[0], -1, gap), _reach(cols, inside[-1], 1, gap)
    return (origin + left / scale, top, origin + (right + 1) / scale, bottom)


def strip(pages: PdfPages, page, top: float, bottom: float, boxes, dpi: int,
          gap_em: float = CELL_GAP_EM):
    """A full-width strip of the page as a PIL image, boxes drawn around the ink they hold."""
    image = pages.crop_image(page, (0, max(top, 0), page.width, min(bottom, page.height)), dpi)
    for box, style in boxes:
        x0, _, x1, _ = ink_box(image, box, gap_em)
        image.draw_rect((x0 - PAD_PT, box[1] - PAD_PT, x1 + PAD_PT, box[3] + PAD_PT), **style)
    return image.annotated.convert("RGB")


def label_band(text: str, width: int, dpi: int):
    """A white band naming the document and page, so a saved picture still says its source."""
    from PIL import Image, ImageDraw, ImageFont

    size = max(round(LABEL_PT * dpi / 72), 8)
    band = Image.new("RGB", (width, round(size * 1.6)), (255, 255, 255))
    ImageDraw.Draw(band).text((round(size * 0.5), round(size * 0.3)), text, fill=(60, 66, 80),
                              font=ImageFont.load_default(size=size))
    return band


def stacked_png(images, label: str | None = None, dpi: int = 144) -> str:
    """The images one above the other, a thin rule between, under a band with the label, as
    a data: URI."""
    from PIL import Image

    width = max(i.width for i in images)
    if label:
        images = [label_band(label, width, dpi), *images]
    height = sum(i.height for i in images) + 3 * (len(images) - 1)
    out = Image.new("RGB", (width, height), (170, 170, 170))
    y = 0
    for i in images:
        out.paste(i, (0, y))
        y += i.height + 3
    buffer = io.BytesIO()
    out.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def row_picture(pages: PdfPages, rows: pl.DataFrame, finding: Finding, dpi: int,
                frame: pl.DataFrame | None) -> str | None:
    """The table's header band and the finding's row, stacked (one strip when adjacent)."""
    row = first_row(rows)
    first = row.row(0, named=True)
    source, number = first["source_file"], first["page"]
    page, words = pages.page(source, number), pages.words(source, number)
    top, bottom = row["top"].min() - MARGIN_PT, row["bottom"].max() + MARGIN_PT
    boxes = row_boxes(words, row, finding)
    band = header_band(words, table_top(frame, first)) if frame is not None else None
    label = f"{source}, page {number}"
    if band and top - band[1] <= 2 * MARGIN_PT:
        return stacked_png([strip(pages, page, band[0] - MARGIN_PT, bottom, boxes, dpi)],
                           label, dpi)
    images = [strip(pages, page, band[0] - MARGIN_PT, band[1] + MARGIN_PT, [], dpi)
              ] if band else []
    return stacked_png([*images, strip(pages, page, top, bottom, boxes, dpi)], label, dpi)


def table_top(frame: pl.DataFrame, first: dict) -> float:
    """The top of the first row, on the row's page, of the table the row belongs to."""
    table = frame.filter(
        (pl.col("source_file") == first["source_file"]) & (pl.col("page") == first["page"])
        & (pl.col("table_index") == first["table_index"]) & pl.col("top").is_not_null())
    return table["top"].min() if len(table) else first["top"]


def row_image(case_dir: Path, rows: pl.DataFrame, finding: Finding, dpi: int,
              frame: pl.DataFrame | None = None, pages: PdfPages | None = None) -> str | None:
    """A data: URI of the finding's row, with the header band of its table above it when the
    case's frame is given; None if no PDF row. `pages`: the report's pages of case_dir's PDFs
    (else they are opened for this picture alone)."""
    if rows.is_empty():
        return None
    if pages is None:
        with PdfPages(case_dir) as own:
            return row_image(case_dir, rows, finding, dpi, frame, own)
    try:
        return row_picture(pages, rows, finding, dpi, frame)
    except Exception:  # evidence is a help, never a reason to fail the report
        return None


def amount_pattern(value: float) -> str | None:
    """A regex for a whole amount as printed, its digit groups apart by a space or not."""
    if value is None or value != int(value) or abs(value) < 1000:
        return None
    digits = str(abs(int(value)))
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)]
    space = r"[ \u00a0\u202f]"
    # the öre and unit printed with it ("11 522 848, 00", "1 527 000 000 kronor") are part of
    # the printed amount the outline covers
    tail = rf"(?:,{space}?\d{{1,2}}(?!\d))?(?:{space}?(?:kronor|kr|tkr|Mkr)\b)?"
    return r"(?<!\d)" + rf"{space}?".join(groups) + r"(?![\d])" + tail


def whole_lines(words: list[dict], top: float, bottom: float) -> tuple[float, float]:
    """The band widened so that no line of text it touches (among a page's words) is cut in
    half."""
    for w in words:
        if w["top"] < bottom and w["bottom"] > top:
            top, bottom = min(top, w["top"]), max(bottom, w["bottom"])
    return top, bottom


def text_image(pages: PdfPages, finding: Finding, dpi: int) -> str | None:
    """The line of a PDF page that prints the finding's amount (a stated total), outlined."""
    patterns = [p for v in (finding.observed, (finding.observed or 0) / 1000)
                if (p := amount_pattern(v))]
    try:
        page = pages.page(finding.source_file, finding.page)
        for pattern in patterns:
            hits = pages.search(finding.source_file, finding.page, re.compile(pattern))
            if hits:
                hit = hits[0]
                box = (hit["x0"], hit["top"], hit["x1"], hit["bottom"])
                top, bottom = whole_lines(pages.words(finding.source_file, finding.page),
                                          hit["top"] - 3 * MARGIN_PT,
                                          hit["bottom"] + 3 * MARGIN_PT)
                return stacked_png([strip(pages, page, top - MARGIN_PT, bottom + MARGIN_PT,
                                          [(box, HIT)], dpi, WORD_GAP_EM)],
                                   f"{finding.source_file}, page {finding.page}", dpi)
    except Exception:  # evidence is a help, never a reason to fail the report
        return None
    return None


def caption(finding: Finding, source_file: str, page: int, what: str) -> str:
    text = f"As printed in {source_file}, page {page}: {what}"
    if finding.source_file and finding.source_file != source_file:
        text += f" (this finding is about {finding.source_file}; the PDF shows the same row)"
    return text + "."


def finding_evidence(result: CaseResult, finding: Finding, dpi: int,
                     pages: PdfPages | None = None) -> str:
    """A labelled figure of what a PDF prints for a finding, or '' when there is nothing.
    `pages`: the report's pages of the case's PDFs (else opened for this figure alone)."""
    if pages is None:
        with PdfPages(result.case.path) as own:
            return finding_evidence(result, finding, dpi, own)
    rows = finding_rows(result.frame, finding)
    before = preceding_row(result.frame, finding) if rows.is_empty() and \
        finding.check == "coverage" else rows.clear()
    if not before.is_empty():
        probe = Finding(check="coverage", severity=finding.severity, message="",
                        table=finding.table, scb_code=before["scb_code"][0])
        uri = row_image(result.case.path, before, probe, dpi, result.frame, pages)
        first = before.row(0, named=True)
        label = caption(finding, first["source_file"], first["page"],
                        f"the table's header and the row of {first['name_raw']}, after which "
                        f"code {finding.scb_code} would be printed: its row is missing")
    elif not rows.is_empty():
        uri = row_image(result.case.path, rows, finding, dpi, result.frame, pages)
        first = rows.row(0, named=True)
        named = ("the code and name" if finding.measure is None and finding.check in NAME_CHECKS
                 else f"“{finding.measure}”" if finding.measure else "the row's amounts")
        what = (f"the table's header and the row of {first['name_raw']}, {named} outlined")
        label = caption(finding, first["source_file"], first["page"], what)
    elif (finding.source_file or "").lower().endswith(".pdf") and finding.page:
        uri = text_image(pages, finding, dpi)
        label = caption(finding, finding.source_file, finding.page,
                        "the line that states this amount, outlined")
    else:
        return ""
    if not uri:
        return ""
    return (f'<figure><img alt="{escape(label)}" src="{uri}">'
            f"<figcaption>{escape(label)}</figcaption></figure>")
