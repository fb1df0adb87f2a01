"""Two tables of the same kind in one document are read and checked apart (issue 10).

Each document prints two region tables of the 2024 annex (truth CSV), each with its Riket row:
Barn och unga (Riket 553 000 000 kr) and then Traumavård (Riket 50 000 000 kr). They are drawn
as an HTML page, a PDF (reportlab, both tables on one page) and a DOCX, once with the measure as
column header and once with the same header "Belopp" over both tables (the measure in the
title above), the harder case: only the table's place tells the two apart. Without Riket rows,
the same header under a new title is another table too, not the first one continued.
"""

from __future__ import annotations

import csv
from html import escape
from pathlib import Path

import polars as pl
import pytest
from docx import Document
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from test_expectations_support import reference_codes

from expectations.runner import run_suites
from extractors import pdf, plaintext, web, word
from extractors.base import Extraction

ROOT = Path(__file__).resolve().parent.parent
ANNEX_PDF = ROOT / "fixtures" / "cases" / "2024-psykisk-halsa" / "regeringsbeslut-2024-I6.pdf"
TRUTH = ROOT / "fixtures" / "sources" / "truth" / "2024" / "region.csv"
MEASURES = ("Barn och unga", "Traumavård")

with open(TRUTH, encoding="utf-8", newline="") as _handle:
    _ROWS = list(csv.DictReader(_handle))
# measure -> {code: amount}; the Riket row has code "".
VALUES = {m: {r["lan_code"]: int(r[m]) for r in _ROWS} for m in MEASURES}
NAMES = {r["lan_code"]: r["name"] for r in _ROWS}
RIKET = {m: VALUES[m][""] for m in MEASURES}
# What the 21 rows add up to: within 2 kr of Riket, which is rounding (domain.md).
SUMS = {m: sum(v for code, v in VALUES[m].items() if code) for m in MEASURES}
CHANGE = 1_000_000  # a digit misprinted in Stockholm's Traumavård: 11 630 934 -> 12 630 934


def kr(value: int) -> str:
    return f"{value:,} kr".replace(",", " ")


def tables(same_header: bool, changed: bool = False, total: bool = True
           ) -> list[tuple[str, tuple, list]]:
    """(title, header, body rows) of both tables; ``changed`` misprints Stockholm's (01) amount
    in the second table by CHANGE, keeping its Riket row; ``total`` False leaves Riket out."""
    out = []
    for number, measure in enumerate(MEASURES):
        body = []
        for code, value in VALUES[measure].items():
            if not (code or total):
                continue
            value += CHANGE if (number == 1 and code == "01" and changed) else 0
            body.append((code, NAMES[code], kr(value)))
        header = ("Kod", "Region", "Belopp" if same_header else measure)
        out.append((f"{measure}, fördelning till regionerna", header, body))
    return out


def draw_html(path: Path, same_header: bool, changed: bool = False, total: bool = True) -> Path:
    parts = ["<html><body><h1>Utbetalning till regionerna</h1>"]
    for title, header, body in tables(same_header, changed, total):
        parts.append(f"<h2>{escape(title)}</h2><table><tr>")
        parts += [f"<th>{escape(h)}</th>" for h in header]
        parts.append("</tr>")
        for row in body:
            parts.append("<tr>" + "".join(f"<td>{escape(t)}</td>" for t in row) + "</tr>")
        parts.append("</table>")
    path.write_text("".join(parts) + "</body></html>", encoding="utf-8")
    return path


def draw_pdf(path: Path, same_header: bool, changed: bool = False, total: bool = True) -> Path:
    c = canvas.Canvas(str(path), pagesize=A4)
    y = 800
    for title, header, body in tables(same_header, changed, total):
        c.setFont("Helvetica", 11)
        c.drawString(60, y, title)
        y -= 20
        c.setFont("Helvetica-Bold", 9)
        c.drawString(60, y, header[0])
        c.drawString(100, y, header[1])
        c.drawRightString(400, y, header[2])
        c.setFont("Helvetica", 9)
        for code, name, amount in body:
            y -= 12
            if code:
                c.drawString(60, y, code)
            c.drawString(100, y, name)
            c.drawRightString(400, y, amount)
        y -= 40
    c.save()
    return path


def draw_docx(path: Path, same_header: bool, changed: bool = False, total: bool = True) -> Path:
    document = Document()
    for title, header, body in tables(same_header, changed, total):
        document.add_paragraph(title)
        table = document.add_table(rows=len(body) + 1, cols=len(header))
        for row, texts in zip(table.rows, [header, *body], strict=True):
            for cell, text in zip(row.cells, texts, strict=True):
                cell.text = text
    document.save(str(path))
    return path


def draw_md(path: Path, same_header: bool, changed: bool = False, total: bool = True) -> Path:
    lines = ["# Utbetalning till regionerna", ""]
    for title, header, body in tables(same_header, changed, total):
        lines += [f"## {title}", "", "| " + " | ".join(header) + " |", "|---|---|---:|"]
        lines += ["| " + " | ".join(row) + " |" for row in body] + [""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


DRAW = {"html": (draw_html, web), "pdf": (draw_pdf, pdf), "docx": (draw_docx, word),
        "md": (draw_md, plaintext)}


def read(tmp_path: Path, fmt: str, same_header: bool, changed: bool = False,
         total: bool = True) -> Extraction:
    draw, reader = DRAW[fmt]
    return reader.extract(draw(tmp_path / f"tabeller.{fmt}", same_header, changed, total))


def resolved(*extractions: Extraction) -> pl.DataFrame:
    """The documents' allocation rows with the printed codes as scb_code (they are official)."""
    frame = pl.concat([e.allocations for e in extractions])
    recipient = pl.col("row_kind") == "recipient"
    return frame.with_columns(
        pl.when(recipient).then(pl.col("code")).alias("scb_code"),
        pl.when(recipient).then(pl.col("name_raw")).alias("scb_name"),
    )


def findings(run, check: str | None = None, severity: str | None = None) -> list[dict]:
    return [f for f in run.findings if (check is None or f["check"] == check)
            and (severity is None or f["severity"] == severity)]


@pytest.mark.parametrize("same_header", [False, True], ids=["measure-header", "same-header"])
@pytest.mark.parametrize("fmt", ["html", "pdf", "docx", "md"])
def test_two_region_tables_are_read_as_two_tables(tmp_path: Path, fmt: str,
                                                  same_header: bool) -> None:
    extraction = read(tmp_path, fmt, same_header)
    rows = extraction.allocations
    assert [(t.kind, t.table_index, t.recipient_rows, t.has_total_row)
            for t in extraction.tables] == [("region", 0, 21, True), ("region", 1, 21, True)]
    assert not [p for p in extraction.problems if p.severity == "error"]
    for index, measure in enumerate(MEASURES):
        table = rows.filter(pl.col("table_index") == index)
        assert set(table["table"]) == {"region"}
        assert table["row_index"].to_list() == list(range(22))
        printed = dict(zip(table["code"], table["amount_sek"], strict=True))
        assert printed == VALUES[measure]
    attributes = extraction.attributes
    assert "table_index" in attributes.columns


@pytest.mark.parametrize("same_header", [False, True], ids=["measure-header", "same-header"])
@pytest.mark.parametrize("fmt", ["html", "pdf", "docx", "md"])
def test_suites_check_each_table_on_its_own(tmp_path: Path, fmt: str, same_header: bool) -> None:
    run = run_suites(resolved(read(tmp_path, fmt, same_header)), reference_codes())
    assert findings(run, severity="error") == []
    assert findings(run, "coverage") == []  # no code is "duplicated" across the two tables
    footing = run.footing.sort("riket", descending=True)
    assert footing["riket"].to_list() == [RIKET["Barn och unga"], RIKET["Traumavård"]]
    assert footing["recipients_sum"].to_list() == [SUMS["Barn och unga"], SUMS["Traumavård"]]


@pytest.mark.parametrize("same_header", [False, True], ids=["measure-header", "same-header"])
@pytest.mark.parametrize("fmt", ["html", "pdf", "docx", "md"])
def test_a_changed_cell_in_table_two_fails_footing_of_table_two_only(
        tmp_path: Path, fmt: str, same_header: bool) -> None:
    run = run_suites(resolved(read(tmp_path, fmt, same_header, changed=True)),
                     reference_codes())
    errors = findings(run, "footing", "error")
    # observed = the printed Riket, expected = what the rows add up to.
    assert [(f["table"], f["observed"], f["expected"]) for f in errors] == [
        ("region", RIKET["Traumavård"], SUMS["Traumavård"] + CHANGE)]
    assert errors[0]["measure"] == ("Belopp" if same_header else "Traumavård")
    first = run.footing.filter(pl.col("riket") == RIKET["Barn och unga"])
    assert first["recipients_sum"].to_list() == [SUMS["Barn och unga"]]
    assert findings(run, "coverage") == []


@pytest.mark.parametrize("same_header", [False, True], ids=["measure-header", "same-header"])
def test_pdf_and_docx_versions_agree_table_by_table(tmp_path: Path, same_header: bool) -> None:
    both = resolved(read(tmp_path, "pdf", same_header), read(tmp_path, "docx", same_header))
    run = run_suites(both, reference_codes())
    assert findings(run, "formats_agree") == []
    assert findings(run, severity="error") == []
    assert run.footing.height == 4  # two tables in each document


def test_a_cell_the_docx_prints_otherwise_in_table_two_is_found(tmp_path: Path) -> None:
    both = resolved(read(tmp_path, "pdf", True), read(tmp_path, "docx", True, changed=True))
    run = run_suites(both, reference_codes())
    disagree = findings(run, "formats_agree")
    stockholm = VALUES["Traumavård"]["01"]
    assert [(f["scb_code"], f["expected"], f["observed"], f["source_file"]) for f in disagree] == [
        ("01", stockholm, stockholm + CHANGE, "tabeller.docx")]


@pytest.mark.parametrize("fmt", ["html", "pdf", "docx", "md"])
def test_same_header_under_a_new_title_without_riket_is_another_table(tmp_path: Path,
                                                                      fmt: str) -> None:
    extraction = read(tmp_path, fmt, same_header=True, total=False)
    assert [(t.kind, t.table_index, t.recipient_rows, t.has_total_row)
            for t in extraction.tables] == [("region", 0, 21, False), ("region", 1, 21, False)]
    run = run_suites(resolved(extraction), reference_codes())
    assert findings(run, severity="error") == []
    assert findings(run, "coverage") == []  # 21 codes once in each table, none duplicated
    notes = findings(run, "footing", "info")  # no Riket row: each table's sum is told
    assert [n["message"].rsplit("Belopp: ", 1)[1] for n in notes] == [
        kr(SUMS["Barn och unga"]) + ".", kr(SUMS["Traumavård"]) + "."]


def test_a_table_stitched_over_pdf_pages_stays_one_table() -> None:
    extraction = pdf.extract(ANNEX_PDF)
    kommun = extraction.allocations.filter(pl.col("table") == "kommun")
    assert set(kommun["table_index"]) == {1}
    assert kommun["page"].n_unique() > 1
    assert kommun.filter(pl.col("row_kind") == "recipient")["row_index"].n_unique() == 290
    assert [(t.kind, t.table_index) for t in extraction.tables] == [
        ("region", 0), ("kommun", 1), ("lan", 2)]


def test_each_table_of_a_kind_gets_its_own_sheet_and_csv_index(tmp_path: Path) -> None:
    """End to end: the workbook shows both region tables as printed; the CSV tells them apart."""
    import csv

    import openpyxl

    from pipeline.orchestrate import reconcile_case
    from pipeline.settings import Settings

    case = tmp_path / "two-tables"
    case.mkdir()
    draw_html(case / "pressmeddelande.html", same_header=True)
    result = reconcile_case(case, tmp_path / "out", Settings(data_docs=False))
    assert not [f for f in result.findings if f.severity == "error"]
    book = openpyxl.load_workbook(tmp_path / "out" / "two-tables" / "allocations.xlsx")
    assert book.sheetnames[2:4] == ["Region", "Region 2"]  # after Summary and Findings
    for sheet, measure in zip(book.sheetnames[2:4], MEASURES, strict=True):
        rows = {r[0].value or r[1].value: r[3].value for r in book[sheet].iter_rows(min_row=4)}
        assert rows["01"] == VALUES[measure]["01"]
        assert rows["Riket"] == RIKET[measure]
    with (tmp_path / "out" / "two-tables" / "allocations.csv").open(encoding="utf-8") as f:
        indexes = {(r["table_index"], r["row_kind"]) for r in csv.DictReader(f)}
    assert indexes == {("0", "recipient"), ("0", "total"), ("1", "recipient"), ("1", "total")}


def test_tables_without_totals_are_summed_apart_for_stated_totals(tmp_path: Path) -> None:
    """A statement is compared with each table's own sum, never with two tables added up."""
    from expectations.stated_totals import frame_to_table_totals

    extraction = web.extract(draw_html(tmp_path / "page.html", same_header=True, total=False))
    totals = [(t.table, t.amount, t.rows, t.printed)
              for t in frame_to_table_totals(extraction.allocations)]
    assert totals == [("region", SUMS[m], 21, False) for m in MEASURES]
