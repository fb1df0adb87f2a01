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
