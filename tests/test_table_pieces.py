"""Tables printed in pieces, as real exporters and authors print them, read as one table.

The documents are fixture cases drawn by fixtures/builder/exports_pieces.py with Chromium,
LibreOffice Writer and Calc and python-docx from the 2024 truth tables (committed bytes):

- 2024-kommuner-per-lan: the kommun table as one <table> per län (header row and "Summa X län"
  row each) and a "Hela riket" table with Riket alone, in HTML and Chromium's PDF;
- 2024-regioner-riket-forst: the region table with Riket printed first, HTML and PDF;
- 2024-kommuner-word-per-sida: one Word table per page, header repeated on some pieces only,
  page breaks and an empty paragraph between, Riket in the last; DOCX and Writer's PDF;
- 2024-calc-kolumner-over-sidor: the län and kommun sheets, columns too wide for the page,
  printed by Calc "down, then over" (the columns that do not fit on later pages, no labels).

Each must read cell for cell as the truth (recipients and Riket), as one table per document,
with no reading problem. The per-län subtotals are the truth's kommuner summed per län (the
first two digits of the kommun code are its län), computed here from the truth CSV.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from truth_tables import cell_diff, reading_problems, truth_table, with_cell

from extractors import pdf, web, word
from extractors.base import Extraction
from extractors.grid import TableBlock
from extractors.pieces import join_pieces
from extractors.rows import Cell, GridRow

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "fixtures" / "cases"
DEFECTS = ROOT / "fixtures" / "defects"
READERS = {".html": web, ".pdf": pdf, ".docx": word}
KOMMUN, REGION, LAN = truth_table("kommun"), truth_table("region"), truth_table("lan")
KUNSKAP = "Kunskapsbaserad och säker vård och omsorg"


def read(path: Path) -> Extraction:
    return READERS[path.suffix].extract(path)


def cells(extraction: Extraction, kinds=("recipient", "total")) -> dict:
    """(kind, code, measure) -> amount of the recipient rows and the total row (code "")."""
    frame = extraction.allocations.filter(pl.col("row_kind").is_in(kinds))
    return {(r["table"], r["code"] if r["row_kind"] == "recipient" else "", r["measure"]):
            r["amount_sek"] for r in frame.iter_rows(named=True)}


def names(extraction: Extraction) -> dict:
    frame = extraction.allocations.filter(pl.col("row_kind") == "recipient")
    return {(r["table"], r["code"]): r["name_raw"] for r in frame.iter_rows(named=True)}


def lan_sums(measure: str) -> dict[str, int]:
    """län code -> the sum of its kommuner's amounts in the truth."""
    col = KOMMUN.measures.index(measure)
    sums: dict[str, int] = {}
    for code, _, amounts in KOMMUN.rows:
        if code:
            sums[code[:2]] = sums.get(code[:2], 0) + amounts[col]
    return sums


PER_LAN = [CASES / "2024-kommuner-per-lan" / f for f in ("kommuner-per-lan.html",
                                                         "kommuner-per-lan.pdf")]
PER_PAGE = [CASES / "2024-kommuner-word-per-sida" / f for f in ("bilaga-kommuner.docx",
                                                               "bilaga-kommuner.pdf")]
RIKET_FIRST = [CASES / "2024-regioner-riket-forst" / f for f in ("regioner.html",
                                                                 "regioner.pdf")]


@pytest.mark.parametrize("path", PER_LAN + PER_PAGE, ids=lambda p: p.name)
def test_a_kommun_table_in_pieces_reads_as_one_table_cell_for_cell(path: Path) -> None:
    ex = read(path)
    assert cell_diff(KOMMUN.cells(), cells(ex)) == []
    assert names(ex) == {k: v for k, v in KOMMUN.names().items() if k[1]}
    assert [(t.kind, t.recipient_rows, t.has_total_row) for t in ex.tables] == [
        ("kommun", 290, True)]
    assert reading_problems(ex) == []


@pytest.mark.parametrize("path", PER_LAN, ids=lambda p: p.name)
def test_each_lans_summa_row_is_a_subtotal_of_its_own_kommuner(path: Path) -> None:
    ex = read(path)
    sub = ex.allocations.filter(pl.col("row_kind") == "subtotal")
    for measure in KOMMUN.measures:
        rows = sub.filter(pl.col("measure") == measure)
        # "Summa Stockholms län" -> the sum of the 26 kommuner 01xx, and so on for 21 län
        printed = dict(zip(rows["name_raw"], rows["amount_sek"], strict=True))
        assert len(printed) == 21
        assert printed["Summa Stockholms län"] == lan_sums(measure)["01"]
        assert printed["Summa Gotlands län"] == lan_sums(measure)["09"] == 578_659
        assert sorted(printed.values()) == sorted(lan_sums(measure).values())


def test_a_misprinted_cell_in_one_piece_is_named_with_its_group() -> None:
    """Malmö's (1280) Kunskapsbaserad printed 1 000 kr too high, Skåne's subtotal kept: the
    cells read as printed, and Skåne's subtotal (13 471 593 kr in the truth) misses its 33
    kommuner by exactly 1 000 kr under that measure alone."""
    ex = read(DEFECTS / "kommuner-per-lan-malmo-plus-1000" / "kommuner-per-lan.html")
    assert cell_diff(with_cell(KOMMUN, "1280", KUNSKAP, 1_000).cells(), cells(ex)) == []
    errors = [p for p in ex.problems if p.severity == "error"]
    assert [(p.check, p.measure) for p in errors] == [("subtotal", KUNSKAP)]
    assert "Summa Skåne län" in errors[0].message
    assert "13 471 593 kr" in errors[0].message and "1 000 kr apart" in errors[0].message


@pytest.mark.parametrize("path", RIKET_FIRST, ids=lambda p: p.name)
def test_a_total_row_printed_first_reads_as_the_tables_total(path: Path) -> None:
    ex = read(path)
    assert cell_diff(REGION.cells(), cells(ex)) == []
    assert [(t.kind, t.recipient_rows, t.has_total_row) for t in ex.tables] == [
        ("region", 21, True)]
    first = ex.allocations.row(0, named=True)
    assert (first["row_kind"], first["row_index"], first["amount_sek"]) == ("total", 0,
                                                                           553_000_000)


def test_calc_columns_printed_on_later_pages_join_their_rows() -> None:
    """Calc prints the län sheet's first amount column beside the labels on page 1 and the
    other four on pages 2 and 3; the kommun sheet's Kunskapsbaserad beside its labels and its
    Totalt belopp on the pages after. Every cell joins its row: the truth, cell for cell."""
    ex = read(CASES / "2024-calc-kolumner-over-sidor" / "bilaga-1.pdf")
    tables = [(t.kind, t.recipient_rows, t.has_total_row, len(t.amount_measures))
              for t in ex.tables]
    assert tables == [("lan", 21, True, 5), ("kommun", 290, True, 2)]
    # Calc clips a header wider than its cell ("Stärka samverkan för personer med samsjuk"):
    # the printed header is a beginning of the truth's, the others are printed whole.
    printed = [m for t in ex.tables for m in t.amount_measures]
    truth = [*LAN.measures, *KOMMUN.measures]
    assert all(t.startswith(p) for p, t in zip(printed, truth, strict=True))
    assert printed[1:] == truth[1:]
    rename = dict(zip(printed, truth, strict=True))
    got = {(k, c, rename[m]): v for (k, c, m), v in cells(ex).items()}
    assert cell_diff({**LAN.cells(), **KOMMUN.cells()}, got) == []
    assert reading_problems(ex) == []


# --- the rules, on small drawn blocks ---------------------------------------------------------

def block(rows: list[list[str]], header: list[str] | None = None, table: int = 1) -> TableBlock:
    grid = [GridRow([Cell(t) for t in r], page=table, table_id=table) for r in rows]
    return TableBlock("", header or ["Kod", "Region", "Belopp"], grid, closed=False)


def kr(value: int) -> str:
    return f"{value:,}".replace(",", " ")


STOCKHOLM, UPPSALA = 129_530_375, 22_943_849  # Barn och unga, truth region.csv


def test_pieces_whose_total_is_not_their_sum_stay_apart() -> None:
    """Two region pieces and a Riket-only piece whose amount (553 000 000, the whole country)
    is not the sum of the two rows (152 474 224): nothing proves them one table."""
    pieces = [block([["01", "Stockholm", kr(STOCKHOLM)]]),
              block([["03", "Uppsala", kr(UPPSALA)]], table=2),
              block([["", "Riket", kr(553_000_000)]], ["", "", "Belopp"], table=3)]
    assert [j.parts for j in join_pieces(pieces)] == [(0,), (1,), (2,)]


def test_pieces_that_sum_to_their_total_are_one_table() -> None:
    """The same pieces with a Riket of 152 474 224 kr, their sum: one table, Riket its total."""
    pieces = [block([["01", "Stockholm", kr(STOCKHOLM)]]),
              block([["03", "Uppsala", kr(UPPSALA)]], table=2),
              block([["", "Riket", kr(STOCKHOLM + UPPSALA)]], ["", "", "Belopp"], table=3)]
    joined = join_pieces(pieces)
    assert [j.parts for j in joined] == [(0, 1, 2)]
    assert joined[0].block.row_kinds == {2: "total"}


def test_pieces_listing_one_recipient_twice_stay_apart() -> None:
    """Two tables that both list Stockholm are two tables, whatever their totals say."""
    pieces = [block([["01", "Stockholm", kr(STOCKHOLM)]]),
              block([["01", "Stockholm", kr(STOCKHOLM)], ["", "Riket", kr(2 * STOCKHOLM)]],
                    table=2)]
    assert [j.parts for j in join_pieces(pieces)] == [(0,), (1,)]


def test_columns_on_a_later_page_that_fit_no_rows_are_an_error_naming_the_page(
        tmp_path: Path) -> None:
    """Page 1 prints three regions and Riket (truth Barn och unga); page 2 prints five lines
    of amounts alone at other heights: no page before it has as many rows at those heights,
    so they are not joined, and the error names page 2."""
    path = tmp_path / "wide.pdf"
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    rows = [("01", "Stockholm", STOCKHOLM), ("03", "Uppsala", UPPSALA),
            ("04", "Södermanland", 15_755_045), ("", "Riket", 168_229_269)]
    c.setFont("Helvetica", 9)
    c.drawString(60, 760, "Kod")
    c.drawString(110, 760, "Region")
    c.drawRightString(320, 760, "Barn och unga")
    for i, (code, name, amount) in enumerate(rows):
        c.drawString(60, 740 - 15 * i, code)
        c.drawString(110, 740 - 15 * i, name)
        c.drawRightString(320, 740 - 15 * i, kr(amount))
    c.showPage()
    c.setFont("Helvetica", 9)
    c.drawRightString(200, 692, "Traumavård")
    for i, amount in enumerate((11_630_934, 1_916_680, 1_431_706, 2_238_465, 1_748_495)):
        c.drawRightString(200, 680 - 20 * i, kr(amount))
    c.save()
    ex = pdf.extract(path)
    assert cell_diff({("region", "01", "Barn och unga"): STOCKHOLM,
                      ("region", "03", "Barn och unga"): UPPSALA,
                      ("region", "04", "Barn och unga"): 15_755_045,
                      ("region", "", "Barn och unga"): 168_229_269}, cells(ex)) == []
    unjoined = [p for p in ex.problems if p.check == "unjoined_columns"]
    assert [(p.page, p.severity) for p in unjoined] == [(2, "error")]
    assert "11 630 934" in unjoined[0].message and "'Traumavård'" in unjoined[0].message


def test_a_word_table_with_its_total_row_first_is_read_too(tmp_path: Path) -> None:
    """The region truth as one Word table (python-docx), Riket right under the header: Riket
    is the table's total and the 21 regions its rows, cell for cell."""
    from docx import Document

    document = Document()
    rows = [[REGION.code_header, REGION.name_header, *REGION.measures]]
    riket = next(r for r in REGION.rows if not r[0])
    rows += [[code, name, *(kr(a) for a in amounts)]
             for code, name, amounts in [riket, *(r for r in REGION.rows if r[0])]]
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for row, texts in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
    document.save(str(tmp_path / "riket-forst.docx"))
    ex = word.extract(tmp_path / "riket-forst.docx")
    assert cell_diff(REGION.cells(), cells(ex)) == []
    assert [(t.kind, t.recipient_rows, t.has_total_row) for t in ex.tables] == [
        ("region", 21, True)]


def test_columns_that_could_not_be_joined_leave_the_case_not_fully_read() -> None:
    """An unjoined_columns error is money not read, not a disagreement: incomplete, exit 1."""
    from model import Finding
    from pipeline.verdict import case_verdict

    found = Finding(check="unjoined_columns", severity="error", message="page 2")
    verdict = case_verdict([found], [], [], True)
    assert (verdict.status, verdict.exit_status) == ("incomplete", 1)
