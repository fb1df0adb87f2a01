"""Broken table layouts in a PDF: a row cut off at a page break, header text over no column, a
cell printed off its column. Readable cells are kept; the rest are Problems with page and
position, never silently dropped (issue 9). The tables are the 2024 region table (truth CSV).
"""

from __future__ import annotations

import csv
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from extractors import pdf

ROOT = Path(__file__).resolve().parent.parent
TRUTH = ROOT / "fixtures" / "sources" / "truth" / "2024" / "region.csv"
X_CODE, X_NAME = 60, 90
RIGHT_EDGES = (250, 330, 450, 540)  # right edge of each amount column

with open(TRUTH, encoding="utf-8", newline="") as _handle:
    _rows = list(csv.reader(_handle))
MEASURES, BODY = _rows[0][2:], _rows[1:]  # BODY ends with the Riket row
FIRST_PAGE_ROWS = 10  # 01 Stockholm ... 12 Skåne


def kr(value: str) -> str:
    return f"{int(value):,} kr".replace(",", " ")


def draw_header(c: canvas.Canvas, y: float, columns=range(4), extra: str = "") -> float:
    c.setFont("Helvetica-Bold", 8)
    c.drawString(X_CODE, y, "Länskod")
    c.drawString(X_NAME + 10, y, "Region")
    for i in columns:
        words = MEASURES[i].split()
        c.drawRightString(RIGHT_EDGES[i], y, " ".join(words[:2]))
        if len(words) > 2:
            c.drawRightString(RIGHT_EDGES[i], y - 10, " ".join(words[2:]))
    if extra:
        c.drawRightString(590, y, extra)
    c.setFont("Helvetica", 9)
    return y - 24


def draw_row(c: canvas.Canvas, y: float, row: list[str], columns=range(4),
             shift: dict[int, float] | None = None) -> None:
    if row[0]:
        c.drawString(X_CODE, y, row[0])
    if row[1]:
        c.drawString(X_NAME, y, row[1])
    for i in columns:
        c.drawRightString(RIGHT_EDGES[i] + (shift or {}).get(i, 0), y, kr(row[2 + i]))


def region_pdf(path: Path, cut_row: bool = False, columns=range(4), extra_header: str = "",
               shift: dict[tuple[int, int], float] | None = None,
               whole_cut_row: bool = False) -> Path:
    """The region table over two pages with a repeated header; the options break it
    (whole_cut_row: the cut row prints all its amounts on page 1 and its rest anyway)."""
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 11)
    c.drawString(X_CODE, 780, "Region")
    y = draw_header(c, 760, columns, extra_header)
    for k, row in enumerate(BODY[:FIRST_PAGE_ROWS]):
        cut = cut_row and not whole_cut_row and k == FIRST_PAGE_ROWS - 1
        row_shift = {i: dx for (r, i), dx in (shift or {}).items() if r == k}
        draw_row(c, y, row, [i for i in columns if not cut or i < 2], row_shift)
        y -= 14
    c.showPage()
    y = draw_header(c, 780, columns, extra_header)
    if cut_row:  # the rest of the cut row, under the repeated header
        draw_row(c, y, ["", ""] + BODY[FIRST_PAGE_ROWS - 1][2:], [i for i in columns if i >= 2])
        y -= 14
    for row in BODY[FIRST_PAGE_ROWS:]:
        draw_row(c, y, row, columns)
        y -= 14
    c.save()
    return path


def truth_cells(columns=range(4)) -> set[tuple[str, str, int]]:
    return {(row[0], MEASURES[i], int(row[2 + i])) for row in BODY for i in columns}


def read_cells(frame) -> set[tuple[str, str, int]]:
    return set(frame.select("code", "measure", "amount_sek").iter_rows())


def test_well_aligned_table_reads_every_truth_cell(tmp_path: Path) -> None:
    ex = pdf.extract(region_pdf(tmp_path / "bilaga.pdf"))
    assert read_cells(ex.allocations) == truth_cells()
    assert ex.problems == []


def test_row_cut_at_a_page_break_is_completed_by_its_rest_on_the_next_page(
        tmp_path: Path) -> None:
    # Word and LibreOffice let a row break across pages: 12 Skåne prints its first two amounts
    # on page 1 and the other two at the top of page 2, under the repeated header. The two
    # pieces fill exactly the row's two empty columns, so the row reads whole (issue 14).
    ex = pdf.extract(region_pdf(tmp_path / "bilaga.pdf", cut_row=True))
    skane = BODY[FIRST_PAGE_ROWS - 1]
    assert skane[:2] == ["12", "Skåne"]
    assert read_cells(ex.allocations) == truth_cells()
    assert ex.problems == []
    assert [(t.kind, t.recipient_rows, t.has_total_row) for t in ex.tables] == [
        ("region", 21, True)]


def test_cut_off_piece_that_completes_no_cell_is_reported(tmp_path: Path) -> None:
    # The same pieces under a row that already prints all four amounts cannot be its rest:
    # they stay an unparsed row with their page, never dropped nor passed off as text.
    ex = pdf.extract(region_pdf(tmp_path / "bilaga.pdf", cut_row=True, columns=range(4),
                                extra_header="", shift=None, whole_cut_row=True))
    skane = BODY[FIRST_PAGE_ROWS - 1]
    assert read_cells(ex.allocations) == truth_cells()
    [carried] = [p for p in ex.problems if p.check == "unparsed_row"]
    assert carried.page == 2 and carried.table == "region"
    assert carried.observed_text == f"{kr(skane[4])} | {kr(skane[5])}"
    assert len(ex.problems) == 1
    assert not any(kr(skane[5]) in block.text for block in ex.text)


def test_header_over_no_column_is_a_problem_not_part_of_a_measure(tmp_path: Path) -> None:
    ex = pdf.extract(region_pdf(tmp_path / "bilaga.pdf", extra_header="Summa"))
    assert read_cells(ex.allocations) == truth_cells()
    [problem] = ex.problems
    assert (problem.check, problem.page, problem.table, problem.observed_text) == (
        "unplaced_header", 1, "region", "Summa")
    assert problem.bbox is not None and problem.bbox[2] == 590


def test_column_left_empty_does_not_lend_its_header_to_the_next(tmp_path: Path) -> None:
    printed = (0, 2, 3)  # Traumavård is not printed at all, header nor amounts...
    ex = pdf.extract(region_pdf(tmp_path / "bilaga.pdf", columns=printed))
    assert read_cells(ex.allocations) == truth_cells(printed)
    # Totalt belopp still counts Traumavård (every region gets some), so it is more than the
    # printed Barn och unga + Kunskapsbaserad in every row: no row sum, and said so.
    assert [(p.check, p.measure) for p in ex.problems] == [("row_total_partial", MEASURES[3])]
    # ...but a header whose column holds no amount is reported, not glued to its neighbour
    path = tmp_path / "tom-kolumn.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 11)
    c.drawString(X_CODE, 780, "Region")
    y = draw_header(c, 760)
    for row in BODY:
        draw_row(c, y, row, printed)
        y -= 14
    c.save()
    ex = pdf.extract(path)
    assert read_cells(ex.allocations) == truth_cells(printed)
    assert [(p.check, p.page, p.observed_text) for p in ex.problems] == [
        ("unplaced_header", 1, MEASURES[1]), ("row_total_partial", 1, None)]


def test_cell_printed_off_its_column_is_kept_or_reported(tmp_path: Path) -> None:
    ex = pdf.extract(region_pdf(tmp_path / "bilaga.pdf", shift={(3, 1): -15.0}))
    ostergotland = BODY[3]
    assert ostergotland[:2] == ["05", "Östergötland"]
    moved = ("05", MEASURES[1], int(ostergotland[3]))
    assert read_cells(ex.allocations) >= truth_cells() - {moved}
    kept = int(ostergotland[3]) in ex.allocations.filter(code="05")["amount_sek"].to_list()
    reported = any(kr(ostergotland[3]) in (p.observed_text or "") for p in ex.problems)
    assert kept or reported
    assert ("missing_amount", 1, "05", MEASURES[1]) in {
        (p.check, p.page, p.code, p.measure) for p in ex.problems}
