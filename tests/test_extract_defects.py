"""Defect fixtures read exactly as printed, and printed defects that must become problems.

The expected cells are the 2024 truth plus each defect's documented change
(fixtures/builder/defects.py), written out here independently of the builder.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from extractors import pdf, word

ROOT = Path(__file__).resolve().parent.parent
DEFECTS = ROOT / "fixtures" / "defects"
TRUTH = ROOT / "fixtures" / "sources" / "truth" / "2024"
KUNSKAP = "Kunskapsbaserad och säker vård och omsorg"
TOTAL = "Totalt belopp"
KEY = ("table", "code", "name_raw", "measure", "amount_sek")


def truth() -> dict[tuple[str, str, str], tuple[str, int]]:
    """(table, code, measure) -> (name, amount) for every verified cell; code "" is Riket."""
    cells = {}
    for kind in ("region", "kommun", "lan"):
        with open(TRUTH / f"{kind}.csv", encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        for row in rows[1:]:
            for measure, value in zip(rows[0][2:], row[2:], strict=True):
                cells[(kind, row[0], measure)] = (row[1], int(value))
    return cells


def add(cells: dict, key: tuple[str, str, str], delta: int) -> None:
    name, amount = cells[key]
    cells[key] = (name, amount + delta)


def expected_cells(defect: str, fmt: str) -> set[tuple]:
    cells = truth()
    if defect == "region-cell-changed-total-kept":
        add(cells, ("region", "05", "Traumavård"), 10_000)
    elif defect == "kommun-cell-and-total-changed":
        add(cells, ("kommun", "0180", KUNSKAP), 50_000)
        add(cells, ("kommun", "0180", TOTAL), 50_000)
    elif defect == "lan-cells-swapped-totals-adjusted":
        a = cells[("lan", "03", "Suicidprevention")][1]
        b = cells[("lan", "04", "Suicidprevention")][1]
        add(cells, ("lan", "03", "Suicidprevention"), b - a)
        add(cells, ("lan", "04", "Suicidprevention"), a - b)
        add(cells, ("lan", "03", TOTAL), b - a)
        add(cells, ("lan", "04", TOTAL), a - b)
    elif defect == "kommun-row-missing":
        cells = {k: v for k, v in cells.items() if k[:2] != ("kommun", "2584")}
    elif defect == "kommun-row-duplicated":
        pass  # every cell as printed once; Kiruna's row is read a second time (see below)
    elif defect == "name-of-another-code":
        cells = {k: ("Håbo" if k[:2] == ("kommun", "0643") else v[0], v[1])
                 for k, v in cells.items()}
    elif defect == "riket-value-changed":
        cells[("region", "", "Barn och unga")] = ("Riket", 553_100_000)
    elif defect == "pdf-docx-disagree":
        if fmt == "docx":
            add(cells, ("region", "12", "Traumavård"), 1_000)
    else:
        raise KeyError(f"no documented change for defect {defect}; add it to this test")
    return {(k[0], k[1], v[0], k[2], v[1]) for k, v in cells.items()}


DEFECT_NAMES = [
    "region-cell-changed-total-kept", "kommun-cell-and-total-changed",
    "lan-cells-swapped-totals-adjusted", "kommun-row-missing", "name-of-another-code",
    "riket-value-changed", "pdf-docx-disagree", "kommun-row-duplicated",
]


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
@pytest.mark.parametrize("defect", DEFECT_NAMES)
def test_defect_fixture_reads_as_printed(defect: str, fmt: str) -> None:
    path = DEFECTS / defect / f"bilaga1.{fmt}"
    if not path.exists():
        pytest.fail(f"{path} missing; run make fixtures")
    ex = (pdf if fmt == "pdf" else word).extract(path)
    got = list(ex.allocations.select(KEY).iter_rows())
    twice = {c for c in expected_cells(defect, fmt) if c[:2] == ("kommun", "2584")} \
        if defect == "kommun-row-duplicated" else set()
    assert Counter(got) == Counter(expected_cells(defect, fmt)) + Counter(twice)
    assert ex.problems == []


def test_every_bilaga1_defect_folder_is_covered() -> None:
    """Every defect made from the 2024 annex (a bilaga1.pdf) is checked cell by cell above."""
    folders = sorted(p.name for p in DEFECTS.iterdir() if (p / "bilaga1.pdf").is_file())
    assert folders == sorted(DEFECT_NAMES)


# A hand-drawn region table (rows of truth/2024/region.csv) with printing defects of its own.
ROWS = [
    ("01", "Stockholm", "129 530 375 kr", "11 630 934 kr"),
    ("03", "Uppsala", "22 943 849 kr", "1 916 68O kr"),  # letter O printed for a zero
    ("04", "Södermanland", "15 755 045 kr", ""),  # Traumavård left blank
    ("", "Östergötland", "25 431 721 kr", "2 238 465 kr"),  # code missing
    ("06", "Jönköping", "20 010 915 kr", "1 748 495 kr"),
]


def _draw_table(path: Path, rows, headers=("Barn och unga", "Traumavård"), codes_as=str):
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 10)
    c.drawString(42, 780, "Region")
    c.setFont("Helvetica", 8)
    y = 750
    c.drawString(42, y, "Länskod")
    c.drawString(80, y, "Region")
    for text, right in zip(headers, (300, 420), strict=True):
        c.drawRightString(right, y, text)
    for code, name, *amounts in rows:
        y -= 19.5
        if code:
            c.drawString(42, y, codes_as(code))
        c.drawString(80, y, name)
        for text, right in zip(amounts, (300, 420), strict=True):
            if text:
                c.drawRightString(right, y, text.replace(" ", "\u00a0"))
    c.showPage()
    c.save()
    return path


def test_printed_defects_become_problems(tmp_path: Path) -> None:
    ex = pdf.extract(_draw_table(tmp_path / "defects.pdf", ROWS))
    frame = ex.allocations
    assert set(frame.filter(code="01")["amount_sek"]) == {129_530_375, 11_630_934}
    by_check = {}
    for problem in ex.problems:
        by_check.setdefault(problem.check, []).append(problem)
    (unparsed,) = by_check["unparsed_amount"]
    assert unparsed.observed_text.replace("\u00a0", " ") == "1 916 68O kr"
    assert unparsed.code == "03" and unparsed.measure == "Traumavård" and unparsed.page == 1
    assert unparsed.bbox is not None and unparsed.bbox[2] == pytest.approx(420, abs=0.5)
    (missing,) = by_check["missing_amount"]
    assert missing.code == "04" and missing.measure == "Traumavård"
    (row,) = by_check["unparsed_row"]
    assert "Östergötland" in row.observed_text and "25 431 721 kr" in row.observed_text
    # Every printed amount is in the frame or in a problem: 10 printed, 1 blank.
    in_frame = frame.height
    assert in_frame == 2 + 1 + 1 + 2  # 01 both, 03 one, 04 one, 06 both
    assert in_frame + len(by_check["unparsed_amount"]) + 2 == 9  # + the unparsed row's two


def test_other_years_codes_without_leading_zero_and_other_columns(tmp_path: Path) -> None:
    rows = [("01", "Stockholm", "58 558 036 kr", "2 000 000 kr"),
            ("03", "Uppsala", "10 372 445 kr", "1 000 000 kr"),
            ("", "Riket", "250 000 000 kr", "24 000 000 kr")]
    path = _draw_table(tmp_path / "other.pdf", rows, headers=("Barn och unga", "Brukarmedverkan"),
                       codes_as=lambda c: str(int(c)))
    ex = pdf.extract(path)
    frame = ex.allocations
    assert ex.problems == []
    assert list(frame.filter(row_index=0)["measure"]) == ["Barn och unga", "Brukarmedverkan"]
    assert set(frame["code"]) == {"1", "3", ""}
    assert frame.filter(row_kind="total", measure="Brukarmedverkan")["amount_sek"][0] == 24_000_000
    assert set(frame["table"]) == {"region"}
