"""Bilaga 1 as real exporters print it (fixtures/exports, built by fixtures/builder/exports.py
with LibreOffice and Chromium; committed bytes, so no exporter is needed here).

Each PDF must read cell for cell as the 2024 truth tables, with the truth's names and headers,
no reading problem and no error finding. What each one shows (issue 14):
- writer-docx.pdf (LibreOffice Writer, the decision's DOCX): the running header "Bilaga 1 till
  beslut …" and the letterhead footer on every page (class 1), tables continued under their
  repeated title and header, header words cut inside a word ("Kunskapsbase|rad",
  "Brukarmed|verkan", class 2), amounts and names wrapped onto a second line of their cell and
  rows broken across pages;
- calc-borders.pdf / calc-plain.pdf (LibreOffice Calc, XLSX with and without cell borders):
  title and header rows repeated on every page, "Sida N" footers, wrapped header cells;
- chromium-html.pdf (Chromium print-to-PDF of an HTML table): amounts left-aligned (class 4),
  <thead> repeated on every page.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from truth_tables import (
    KINDS,
    cell_diff,
    error_findings,
    read_cells,
    read_names,
    reading_problems,
    truth_table,
)

from extractors import pdf, word

ROOT = Path(__file__).resolve().parent.parent
EXPORTS = ROOT / "fixtures" / "exports"
DECISION_DOCX = ROOT / "fixtures" / "cases" / "2024-psykisk-halsa" / "regeringsbeslut-2024-I6.docx"
PDFS = ("writer-docx.pdf", "calc-borders.pdf", "calc-plain.pdf", "chromium-html.pdf")

TRUTH = [truth_table(kind) for kind in KINDS]
CELLS = {k: v for t in TRUTH for k, v in t.cells().items()}
NAMES = {k: v for t in TRUTH for k, v in t.names().items()}


@pytest.fixture(scope="module", params=PDFS)
def export(request):
    return request.param, pdf.extract(EXPORTS / request.param)


def test_each_export_reads_cell_for_cell(export) -> None:
    name, extraction = export
    assert cell_diff(CELLS, read_cells(extraction)) == []
    assert reading_problems(extraction) == []


def test_each_export_reads_names_and_one_table_per_kind(export) -> None:
    name, extraction = export
    assert read_names(extraction) == NAMES
    # region 21 + Riket, kommun 290 + Riket, län 21 + Riket: each one table over its pages
    assert [(t.kind, t.recipient_rows, t.has_total_row, t.amount_measures)
            for t in extraction.tables] == [
        (t.kind, len(t.rows) - 1, True, t.measures) for t in TRUTH]


def test_each_export_passes_every_check(export) -> None:
    name, extraction = export
    assert error_findings(extraction) == []


def test_writer_pdf_and_its_docx_agree_cell_for_cell() -> None:
    exported = pdf.extract(EXPORTS / "writer-docx.pdf")
    docx = word.extract(DECISION_DOCX)
    assert cell_diff(read_cells(docx), read_cells(exported)) == []
    assert error_findings(exported, docx) == []


# --- cells wrapped onto several lines (fixtures/builder/exports_wrapped.py) ---------------
# Each PDF prints the 2024 truth with cells wrapped as its exporter wraps narrow columns:
# - 2024-word-standardbredd: python-docx "Table Grid" with default equal widths, rendered by
#   LibreOffice Writer: " kr" on a cell's second line, names cut inside a word
#   ("Södermanlan|d", "Västernorrla|nd"), code and name in one cell ("01|Stockholm"), header
#   words cut without a hyphen ("Kunskapsbas|erad"), a row's "kr" line carried to the next page;
# - 2024-lan-writer-webb: Writer/Web, tall bordered rows with every cell centred on its row,
#   the row total first, amounts wrapped inside the number ("145 811|479 kr", "724 000|000 kr"),
#   header cells a few points apart ("Brukarmedverkan Suicidprevention");
# - 2024-kommuner-chromium-smal: Chromium, DejaVu Sans, code and name in one narrow cell
#   ("0114 Upplands|Väsby", "0139 Upplands-|Bro") with the amounts centred between its lines.
CASES = ROOT / "fixtures" / "cases"
WRAPPED = {
    "2024-word-standardbredd/bilaga-regioner-lan.pdf": ("region", "lan"),
    "2024-lan-writer-webb/lansgemensamma.pdf": ("lan",),
    "2024-kommuner-chromium-smal/bilaga-kommuner.pdf": ("region", "kommun"),
}
TABLES = {t.kind: t for t in TRUTH}


@pytest.fixture(scope="module", params=sorted(WRAPPED))
def wrapped(request):
    return request.param, pdf.extract(CASES / request.param)


def test_wrapped_cells_read_cell_for_cell_with_their_names(wrapped) -> None:
    name, extraction = wrapped
    kinds = WRAPPED[name]
    # The truth's cells of the tables printed, every one, and each recipient's name as the
    # truth spells it (a name cut inside a word joined again, "Upplands-|Bro" kept hyphenated).
    assert cell_diff({k: v for kind in kinds for k, v in TABLES[kind].cells().items()},
                     read_cells(extraction)) == []
    assert read_names(extraction) == {k: v for kind in kinds
                                      for k, v in TABLES[kind].names().items()}
    assert [(t.kind, t.recipient_rows, t.has_total_row) for t in extraction.tables] == [
        (kind, len(TABLES[kind].rows) - 1, True) for kind in kinds]
    assert reading_problems(extraction) == []
    assert error_findings(extraction) == []


def test_writer_web_headers_are_cut_between_cells_not_inside_them() -> None:
    # The län table prints its row total first; "Brukarmedverkan" and "Suicidprevention" stand
    # 4 pt apart (under a word space and a half of 2.2 pt is one cell's words).
    extraction = pdf.extract(CASES / "2024-lan-writer-webb" / "lansgemensamma.pdf")
    lan = TABLES["lan"]
    assert extraction.tables[0].amount_measures == (lan.measures[-1], *lan.measures[:-1])
    assert extraction.tables[0].row_total == "Totalt belopp"


def test_word_default_widths_pdf_and_its_docx_agree_cell_for_cell() -> None:
    folder = CASES / "2024-word-standardbredd"
    exported = pdf.extract(folder / "bilaga-regioner-lan.pdf")
    docx = word.extract(folder / "bilaga-regioner-lan.docx")
    assert cell_diff(read_cells(docx), read_cells(exported)) == []
    assert error_findings(exported, docx) == []


def test_a_changed_wrapped_cell_is_read_and_named() -> None:
    # defects/word-standardbredd-cell-andrad: 04 Södermanland's Traumavård is 1 431 706 kr in
    # the truth, printed +10 000 kr (its name cut "Södermanlan|d", its " kr" wrapped); nothing
    # else changed, so only that cell differs from the truth and the findings name it.
    path = ROOT / "fixtures" / "defects" / "word-standardbredd-cell-andrad" / (
        "bilaga-regioner-lan.pdf")
    extraction = pdf.extract(path)
    expected = {k: v for kind in ("region", "lan") for k, v in TABLES[kind].cells().items()}
    assert expected[("region", "04", "Traumavård")] == 1_431_706
    assert cell_diff(expected, read_cells(extraction)) == [
        (("region", "04", "Traumavård"), 1_431_706, 1_441_706)]
    assert read_names(extraction)[("region", "04")] == "Södermanland"
    found = {(f["check"], f["table"], f["scb_code"], f["measure"])
             for f in error_findings(extraction)}
    assert found == {("cross_footing", "region", "04", "Totalt belopp"),
                     ("footing", "region", None, "Traumavård"),
                     ("allocation_key", "region", "04", "Traumavård")}
