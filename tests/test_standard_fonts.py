"""The no-break space of pdfminer's standard fonts (extractors/standard_fonts.py), and the
2024 decision re-distilled by Ghostscript (fixtures/builder/exports_ghostscript.py)."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium

from extractors import pdf
from extractors.standard_fonts import add_missing_widths

CASES = Path(__file__).resolve().parent.parent / "fixtures" / "cases"
ORIGINAL = CASES / "2024-psykisk-halsa" / "regeringsbeslut-2024-I6.pdf"
DISTILLED = CASES / "2024-beslut-ghostscript" / "regeringsbeslut-2024-I6.pdf"


def test_a_missing_no_break_space_gets_the_spaces_width_and_nothing_else_changes() -> None:
    # Helvetica's space is 278/1000 em (its AFM): the no-break space prints the same glyph.
    metrics = {"Helvetica": ({}, {" ": 278, "1": 556}), "Odd": ({}, {"\xa0": 300, " ": 250}),
               "NoSpace": ({}, {"a": 500})}
    assert add_missing_widths(metrics) == 1
    assert metrics["Helvetica"][1] == {" ": 278, "1": 556, "\xa0": 278}
    assert metrics["Odd"][1]["\xa0"] == 300  # a width the table has is kept
    assert "\xa0" not in metrics["NoSpace"][1]
    assert add_missing_widths(metrics) == 0


def row_cells(path: Path, page: int, first: str) -> list[tuple[str, float, float]]:
    lines, _, _ = pdf.pdf_to_pages(path)
    [row] = [ln for ln in lines if ln.page == page and ln.phrases[0].text == first]
    return [(p.text, round(p.words[0]["x0"], 1), round(p.words[-1]["x1"], 1))
            for p in row.phrases]


def test_a_row_distilled_by_ghostscript_is_read_where_it_is_printed() -> None:
    # Stockholm's row of the region table (page 5): Ghostscript writes the row as one text
    # object, "164\xa0" then a kern, so each no-break space given no width moved the later
    # columns 2,2 pt further left (13,3 pt by Totalt belopp). Read with the space's width,
    # every cell starts and ends where it does in the original, and where pdfium (a renderer)
    # draws it: the Totalt belopp's last glyph ends at 554,4 pt.
    assert row_cells(DISTILLED, 5, "01") == row_cells(ORIGINAL, 5, "01")
    cells = row_cells(DISTILLED, 5, "01")
    assert [c[0] for c in cells] == ["01", "Stockholm", "129 530 375 kr", "11 630 934 kr",
                                     "23 261 868 kr", "164 423 176 kr"]
    document = pdfium.PdfDocument(str(DISTILLED))
    try:
        text = document[4].get_textpage()
        at = text.get_text_range().index("176 kr") + len("176 kr") - 1
        assert round(text.get_charbox(at, loose=True)[2], 1) == cells[-1][2] == 554.4
    finally:
        document.close()


def test_the_distilled_decision_reads_the_headers_of_the_original() -> None:
    measures = {t.kind: t.amount_measures for t in pdf.extract(DISTILLED).tables}
    assert measures == {t.kind: t.amount_measures for t in pdf.extract(ORIGINAL).tables}
    # before, the region table's fourth column was "column 5" and "belopp" stood over none
    assert measures["region"] == ("Barn och unga", "Traumavård",
                                  "Kunskapsbaserad och säker vård och omsorg", "Totalt belopp")
