"""Ordinary Word and HTML renderings of an allocation table are read cell-exact (issue 14,
classes 6 and 9): two printed tables are two tables, merged header cells (colspan, rowspan,
w:gridSpan, w:vMerge) leave every column its own header, and content controls (w:sdt) and
nested tables are read.

Every document is drawn here in a few lines from the 2024 region truth (truth CSV): the four
amounts of 01 Stockholm are 129 530 375 (Barn och unga), 11 630 934 (Traumavård),
23 261 868 (Kunskapsbaserad och säker vård och omsorg) and 164 423 176 kr (Totalt belopp),
Riket 553 000 000, 50 000 000, 100 000 000 and 703 000 000 kr.
"""

from __future__ import annotations

import copy
import csv
from html import escape
from pathlib import Path

import polars as pl
from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from extractors import web, word

TRUTH = Path(__file__).resolve().parent.parent / "fixtures" / "sources" / "truth" / "2024"
MEASURES = ("Barn och unga", "Traumavård", "Kunskapsbaserad och säker vård och omsorg",
            "Totalt belopp")
with open(TRUTH / "region.csv", encoding="utf-8", newline="") as _handle:
    REGION = list(csv.DictReader(_handle))
RECIPIENTS = [r for r in REGION if r["lan_code"]]  # 21 regions; the last truth row is Riket
STOCKHOLM = {m: int(REGION[0][m]) for m in MEASURES}
RIKET = {m: int(REGION[-1][m]) for m in MEASURES}


def kr(value: int | str) -> str:
    return f"{int(value):,}".replace(",", " ")


def body(rows: list[dict], measures=MEASURES) -> list[list[str]]:
    return [[r["lan_code"], r["name"], *(kr(r[m]) for m in measures)] for r in rows]


def cells(frame: pl.DataFrame, code: str = "01") -> dict[str, int]:
    """measure -> amount of one recipient row (code) or of the total row (code "")."""
    kind = "total" if not code else "recipient"
    one = frame.filter((pl.col("row_kind") == kind) & (pl.col("code") == code))
    return dict(zip(one["measure"], one["amount_sek"], strict=True))


def errors(extraction) -> list:
    return [p for p in extraction.problems if p.severity == "error"]


# --- class 6: two printed tables are two tables ------------------------------------------

def two_tables_docx(path: Path) -> Path:
    """Two Word tables of region rows under one header "Kod | Region | Barn och unga", no
    total row, apart by an empty paragraph only: the first six truth rows (01 Stockholm to
    07 Kronoberg) and the other fifteen (08 Kalmar to 25 Norrbotten)."""
    document = Document()
    for part in (RECIPIENTS[:6], RECIPIENTS[6:]):
        rows = [["Kod", "Region", "Barn och unga"], *body(part, ("Barn och unga",))]
        table = document.add_table(rows=len(rows), cols=3)
        for row, texts in zip(table.rows, rows, strict=True):
            for cell, text in zip(row.cells, texts, strict=True):
                cell.text = text
        document.add_paragraph("")
    document.save(str(path))
    return path


def two_tables_html(path: Path) -> Path:
    parts = ["<html><body>"]
    for part in (RECIPIENTS[:6], RECIPIENTS[6:]):
        parts.append("<table><tr><th>Kod</th><th>Region</th><th>Barn och unga</th></tr>")
        parts += ["<tr>" + "".join(f"<td>{escape(t)}</td>" for t in row) + "</tr>"
                  for row in body(part, ("Barn och unga",))]
        parts.append("</table><p></p>")
    path.write_text("".join(parts) + "</body></html>", encoding="utf-8")
    return path


def test_two_word_tables_apart_by_an_empty_paragraph_are_two_tables(tmp_path: Path) -> None:
    ex = word.extract(two_tables_docx(tmp_path / "two.docx"))
    assert [(t.kind, t.table_index, t.recipient_rows) for t in ex.tables] == [
        ("region", 0, 6), ("region", 1, 15)]
    second = ex.allocations.filter(pl.col("table_index") == 1)
    assert second["code"][0] == "08" and second["amount_sek"][0] == 12_000_868  # Kalmar
    assert second["page"].unique().to_list() == [2]  # the DOCX "page" is the Word table


def test_two_html_tables_apart_by_an_empty_paragraph_are_two_tables(tmp_path: Path) -> None:
    ex = web.extract(two_tables_html(tmp_path / "two.html"))
    assert [(t.kind, t.table_index, t.recipient_rows) for t in ex.tables] == [
        ("region", 0, 6), ("region", 1, 15)]


def test_a_word_table_over_a_page_break_is_still_one_table(tmp_path: Path) -> None:
    # One w:tbl whose header row repeats on every page (w:tblHeader) and a hard page break
    # inside a cell: one table of 21 regions and its Riket row.
    document = Document()
    rows = [["Kod", "Region", "Barn och unga"], *body(REGION, ("Barn och unga",))]
    table = document.add_table(rows=len(rows), cols=3)
    for row, texts in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
    header_pr = table.rows[0]._tr.get_or_add_trPr()
    header_pr.append(OxmlElement("w:tblHeader"))
    run = table.rows[11].cells[1].paragraphs[0].add_run()
    run.add_break(WD_BREAK.PAGE)
    document.save(str(tmp_path / "one.docx"))
    ex = word.extract(tmp_path / "one.docx")
    assert [(t.recipient_rows, t.has_total_row) for t in ex.tables] == [(21, True)]
    assert cells(ex.allocations, "") == {"Barn och unga": RIKET["Barn och unga"]}


# --- class 9: merged header cells, content controls, nested tables ------------------------

GROUPED_HTML = """<table>
<tr><th rowspan="2">Kod</th><th rowspan="2">Region</th><th colspan="3">Medel, kronor</th>
<th rowspan="2">Totalt belopp</th></tr>
<tr><th>Barn och unga</th><th>Traumavård</th><th>Kunskapsbaserad och säker vård och omsorg</th>
</tr>{rows}</table>"""


def test_html_colspan_and_rowspan_headers_give_each_column_its_header(tmp_path: Path) -> None:
    rows = "".join("<tr>" + "".join(f"<td>{t}</td>" for t in r) + "</tr>"
                   for r in body(REGION))
    path = tmp_path / "grouped.html"
    path.write_text(GROUPED_HTML.format(rows=rows), encoding="utf-8")
    ex = web.extract(path)
    assert not errors(ex) and not [p for p in ex.problems if p.check == "missing_header"]
    assert cells(ex.allocations) == STOCKHOLM
    assert cells(ex.allocations, "") == RIKET
    assert set(ex.allocations["unit"]) == {"kr"}
    assert ex.tables[0].recipient_rows == 21


def grouped_docx(path: Path) -> Document:
    """The grouped header in Word: "Medel, kronor" merged over three columns (w:gridSpan), Kod,
    Region and Totalt belopp merged over both header rows (w:vMerge)."""
    document = Document()
    data = body(REGION)
    table = document.add_table(rows=len(data) + 2, cols=6)
    top, low = table.rows[0].cells, table.rows[1].cells
    for col, text in ((0, "Kod"), (1, "Region"), (5, "Totalt belopp")):
        top[col].merge(low[col]).text = text
    top[2].merge(top[4]).text = "Medel, kronor"
    for col, text in enumerate(MEASURES[:3], start=2):
        table.rows[1].cells[col].text = text
    for row, texts in zip(table.rows[2:], data, strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
    return document


def test_word_merged_header_cells_give_each_column_its_header(tmp_path: Path) -> None:
    grouped_docx(tmp_path).save(str(tmp_path / "grouped.docx"))
    ex = word.extract(tmp_path / "grouped.docx")
    assert not errors(ex) and not [p for p in ex.problems if p.check == "missing_header"]
    assert cells(ex.allocations) == STOCKHOLM
    assert cells(ex.allocations, "") == RIKET


def _wrap_in_sdt(element) -> None:
    """Put element inside a content control (w:sdt/w:sdtContent) where it stands."""
    sdt, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
    sdt.append(OxmlElement("w:sdtPr"))
    sdt.append(content)
    element.addprevious(sdt)
    content.append(element)


def test_word_content_controls_are_read(tmp_path: Path) -> None:
    # The whole table in a block-level content control, Stockholm's Traumavård cell in a
    # cell-level one and its Barn och unga text in an inline one (runs inside w:sdt).
    document = grouped_docx(tmp_path)
    table = document.tables[0]
    stockholm = table.rows[2]
    paragraph = stockholm.cells[2].paragraphs[0]._p
    for run in list(paragraph.iterchildren(qn("w:r"))):
        _wrap_in_sdt(run)
    _wrap_in_sdt(stockholm._tr.findall(qn("w:tc"))[3])
    _wrap_in_sdt(table._tbl)
    document.save(str(tmp_path / "sdt.docx"))
    ex = word.extract(tmp_path / "sdt.docx")
    assert not errors(ex)
    assert cells(ex.allocations) == STOCKHOLM
    assert ex.tables[0].recipient_rows == 21


def test_a_table_nested_in_a_layout_table_is_read(tmp_path: Path) -> None:
    # Word layout: a one-cell table holding the title paragraph and the allocation table.
    document = grouped_docx(tmp_path)
    inner = document.tables[0]._tbl
    outer = document.add_table(rows=1, cols=1)
    cell = outer.rows[0].cells[0]
    cell.paragraphs[0].text = "Fördelning till regionerna"
    cell._tc.append(copy.deepcopy(inner))
    cell._tc.append(OxmlElement("w:p"))  # Word ends a cell with a paragraph
    inner.getparent().remove(inner)
    document.save(str(tmp_path / "nested.docx"))
    ex = word.extract(tmp_path / "nested.docx")
    assert not errors(ex)
    assert [(t.kind, t.title, t.recipient_rows) for t in ex.tables] == [
        ("region", "Fördelning till regionerna", 21)]
    assert cells(ex.allocations) == STOCKHOLM
    assert cells(ex.allocations, "") == RIKET


SHAPES = Path(__file__).resolve().parent.parent / "fixtures" / "cases" / (
    "2024-regioner-word-html-shapes")


def test_the_shapes_fixture_reads_the_truth_alike_in_docx_and_html() -> None:
    # Every money cell is the truth's; the row-total column is "Totalt (kr)" (by its sums),
    # Gotland's "2 858 727*" is read as 2 858 727 with its mark, its count "–" is no number.
    truth = {(r["lan_code"], m if m != "Totalt belopp" else "Totalt (kr)"): int(r[m])
             for r in REGION for m in MEASURES}
    for ex in (word.extract(SHAPES / "regioner-2024.docx"),
               web.extract(SHAPES / "regioner-2024.html")):
        frame = ex.allocations
        assert dict(zip(zip(frame["code"], frame["measure"], strict=True),
                        frame["amount_sek"], strict=True)) == truth
        assert ex.tables[0].row_total == "Totalt (kr)" and ex.tables[0].recipient_rows == 21
        marked = frame.filter(pl.col("mark").is_not_null())
        assert marked.select("code", "measure", "mark").rows() == [("09", "Barn och unga", "*")]
        assert [p.observed_text for p in ex.problems if p.check == "no_number"] == ["–"]
        assert not [p for p in ex.problems if p.severity != "info"]
