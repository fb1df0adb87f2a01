"""The workbook as a spreadsheet program opens it: sheets, typed and formatted numbers, filled
and commented cells, print setup; and rendered by LibreOffice when it is installed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from pipeline.orchestrate import reconcile_case
from pipeline.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
DEFECT = ROOT / "fixtures" / "defects" / "region-cell-changed-total-kept"
MKR = ROOT / "fixtures" / "cases" / "2024-lansgemensamma-mkr"
KRONOR = '[$-41D]#,##0 "kr";-#,##0 "kr";0 "kr"'


@pytest.fixture(scope="module")
def defect_book(tmp_path_factory):
    out = tmp_path_factory.mktemp("book")
    result = reconcile_case(DEFECT, out, Settings(data_docs=False, evidence_images=False))
    path = out / DEFECT.name / "allocations.xlsx"
    return result, path, openpyxl.load_workbook(path)


def test_summary_comes_first_with_the_verdict(defect_book):
    result, _, book = defect_book
    assert book.sheetnames[:2] == ["Summary", "Findings"]
    summary = book["Summary"]
    labels = {summary.cell(r, 1).value: summary.cell(r, 2).value for r in range(3, 12)}
    assert labels["verdict"] == "FAIL"
    assert labels["exit status"] == 1
    # The defect's three errors (expected.json): key, row sum and column sum of Östergötland.
    assert labels["error findings"] == sum(f.severity == "error" for f in result.findings) >= 3


def test_findings_are_typed_formatted_named_and_filterable(defect_book):
    result, _, book = defect_book
    sheet = book["Findings"]
    assert [c.value for c in sheet[1]][:8] == [
        "severity", "check", "check id", "table", "SCB code", "recipient", "column", "unit"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:P{len(result.findings) + 1}"
    row = next(r for r in sheet.iter_rows(min_row=2)
               if r[2].value == "cross_footing" and r[4].value == "05" and r[0].value == "error")
    assert row[5].value == "Östergötland" and row[7].value == "kr"
    # Östergötland's parts: 25 431 721 + 2 248 465 (Traumavård +10 000) + 4 476 930
    # = 32 157 116 kr against the printed 32 147 116 kr.
    assert (row[8].value, row[9].value) == (32_157_116, 32_147_116)
    assert row[8].data_type == "n" and row[8].number_format == KRONOR
    assert row[10].fill.fgColor.rgb.endswith("F8D0D0")  # the difference, filled as an error


def test_table_sheet_marks_the_cells_of_the_findings_and_prints_well(defect_book):
    _, _, book = defect_book
    # PDF and DOCX print the same amounts here, so each table is one sheet.
    assert book.sheetnames[2:] == ["Region", "Kommun", "Länsgemensamma medel", "Stated totals"]
    region = book["Region"]
    assert [c.value for c in region[3]] == [
        "Kod", "Namn (som tryckt)", "SCB-kod", "Barn och unga", "Traumavård",
        "Kunskapsbaserad och säker vård och omsorg", "Totalt belopp",
    ]
    # Östergötland is the 4th region (01, 03, 04, 05): sheet row 3 + 4 = 7.
    assert [c.value for c in region[7]] == [
        "05", "Östergötland", "05", 25431721, 2248465, 4476930, 32147116]
    traumavard, total, riket_traumavard = region["E7"], region["G7"], region["E25"]
    assert region["A25"].value == "" and region["B25"].value == "Riket"
    for cell in (traumavard, total, riket_traumavard):
        assert cell.fill.fgColor.rgb.endswith("F8D0D0"), cell.coordinate
        assert cell.comment is not None and cell.comment.text.startswith("error: ")
    assert region["D7"].fill.fgColor.rgb in (None, "00000000")  # Barn och unga is fine
    assert region["D7"].comment is None
    assert traumavard.number_format == KRONOR
    assert region.page_setup.orientation == "landscape"
    # Fit to one page wide (1 is OOXML's default, so left out), as many pages tall as needed.
    assert region.sheet_properties.pageSetUpPr.fitToPage
    assert region.page_setup.fitToWidth in (None, 1) and region.page_setup.fitToHeight == 0
    assert region.print_title_rows == "$1:$3"
    assert region.freeze_panes == "C4"


def test_an_mkr_table_is_shown_as_printed_with_kronor_beside(tmp_path):
    reconcile_case(MKR, tmp_path, Settings(data_docs=False, evidence_images=False))
    sheet = openpyxl.load_workbook(tmp_path / MKR.name / "allocations.xlsx")[
        "Länsgemensamma medel"]
    headers = [c.value for c in sheet[3]]
    at = headers.index("Stärka samverkan för personer med samsjuklighet (Mkr)")
    assert headers[at + 1] == "Stärka samverkan för personer med samsjuklighet (kr)"
    stockholm = sheet[4]
    # The page prints Stockholm's samsjuklighet as 38,7 (Mkr, one decimal): 38 700 000 kr.
    assert stockholm[1].value == "Stockholm"
    assert stockholm[at].value == pytest.approx(38.7)
    assert stockholm[at].number_format == '[$-41D]#,##0.0 "Mkr";-#,##0.0 "Mkr"'
    assert stockholm[at + 1].value == 38_700_000


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_renders_the_workbook_with_swedish_numbers(defect_book, tmp_path):
    import pdfplumber

    _, path, _ = defect_book
    profile = tmp_path / "profile"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
         "pdf", "--outdir", str(tmp_path), str(path)],
        check=True, capture_output=True, timeout=240,
    )
    with pdfplumber.open(tmp_path / "allocations.pdf") as pdf:
        first = pdf.pages[0].extract_text()
        text = "\n".join(p.extract_text() or "" for p in pdf.pages[:12])
    assert "Reconciliation: region-cell-changed-total-kept" in first and "FAIL" in first
    # Östergötland's printed row total, with the Swedish thousands separator, not 3.2E+07.
    assert "32 147 116 kr" in text.replace("\u00a0", " ")
    assert "E+0" not in text


def test_stated_totals_show_the_amount_as_printed_with_kronor_beside(tmp_path):
    # The 2017 SKL page: "totalt 885 miljoner kronor varav 780 miljoner kronor …", its list
    # then prints "250 Mkr kronor", "150 Mkr" and "130 Mkr" (530 Mkr, not 780: the case's error).
    case = ROOT / "fixtures" / "cases" / "2017-psykisk-halsa"
    reconcile_case(case, tmp_path, Settings(data_docs=False, evidence_images=False))
    sheet = openpyxl.load_workbook(tmp_path / case.name / "allocations.xlsx")["Stated totals"]
    headers = [c.value for c in sheet[1]]
    assert headers[3:6] == ["amount as printed", "printed in", "amount in kronor"]
    rows = {r[3].value: r for r in sheet.iter_rows(min_row=2)}
    total, part = rows["780 miljoner kronor"], rows["150 Mkr"]
    assert (total[4].value, total[5].value) == ("miljoner", 780_000_000)
    assert (part[4].value, part[5].value) == ("Mkr", 150_000_000)
    assert total[5].number_format == KRONOR and total[7].value == "contradicts"


def test_summary_counts_the_checks_as_the_report_does(defect_book):
    _, _, book = defect_book
    summary = book["Summary"]
    rows = {r[0].value: [c.value for c in r[1:6]] for r in summary.iter_rows() if r[0].value}
    assert rows["check"] == ["evaluated", "of", "passed", "failed", "noted"]
    # Each document prints 22 region, 291 kommun and 22 län rows (Riket rows included): 335,
    # twice; Östergötland's row breaks in the PDF and in the DOCX.
    evaluated, unit, passed, failed, noted = rows["Row sums"]
    assert (evaluated, unit, failed) == (670, "rows", 2) and passed + noted == 668
    # Nothing in the defect's text states a total to compare.
    assert rows["Totals stated in the text"][0] == "not applicable: nothing to evaluate"


def test_summary_of_a_case_not_fully_read_says_where_and_how_much(tmp_path):
    # 2024-larosaten: six universities' amounts, 32 212 256 kr (the six Traumavård amounts of
    # regions 01, 03, 05, 12, 14, 24; see tests/test_outputs.py), checked by nothing.
    case = ROOT / "fixtures" / "cases" / "2024-larosaten"
    reconcile_case(case, tmp_path, Settings(data_docs=False, evidence_images=False))
    book = openpyxl.load_workbook(tmp_path / case.name / "allocations.xlsx")
    column = [c.value for c in book["Summary"]["A"] if c.value]
    at = column.index("Not read or not checked: 32\u00a0212\u00a0256\u00a0kr as read")
    assert column[at + 1] == ("larosatenas-medel.html, table 1: Money not checked — 1 finding, "
                              "32\u00a0212\u00a0256\u00a0kr")
    # The Findings sheet prints the message with its digit groups and unit held together.
    messages = [c.value for c in book["Findings"]["P"]][1:]
    assert any("32\u00a0212\u00a0256\u00a0kr in all" in m for m in messages)
