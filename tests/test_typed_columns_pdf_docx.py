"""The PDF and DOCX readers keep typed columns: a share printed beside an amount lands in
`Extraction.attributes`, the amount in `Extraction.allocations`, and the table is described in
`Extraction.tables` (as the HTML and text readers already do).

The table is the 2024 region table reduced to Totalt belopp (truth CSV) with each region's
share of the 703 000 000 kr Riket total, rounded to two decimals, as a newspaper would print it.
"""

from __future__ import annotations

import csv
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from docx import Document
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from extractors import pdf, word
from extractors.base import Extraction

ROOT = Path(__file__).resolve().parent.parent
TRUTH = ROOT / "fixtures" / "sources" / "truth" / "2024" / "region.csv"
HEADER = ("Kod", "Region", "Andel (%)", "Belopp")

with open(TRUTH, encoding="utf-8", newline="") as _handle:
    _rows = list(csv.DictReader(_handle))
RIKET = int(next(r for r in _rows if r["name"] == "Riket")["Totalt belopp"])
# code -> (name, Totalt belopp, share of Riket in % to two decimals); the Riket row has code "".
TABLE = {r["lan_code"]: (r["name"], int(r["Totalt belopp"]),
                         (Decimal(r["Totalt belopp"]) * 100 / RIKET).quantize(
                             Decimal("0.01"), rounding=ROUND_HALF_UP))
         for r in _rows}


def printed_rows() -> list[tuple[str, str, str, str]]:
    """The table's body as printed: Swedish decimal comma, space-grouped kronor."""
    return [(code, name, f"{share}".replace(".", ","), f"{total:,} kr".replace(",", " "))
            for code, (name, total, share) in TABLE.items()]


def region_pdf(path: Path) -> Path:
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 11)
    c.drawString(60, 790, "Fördelning till regionerna 2024")
    c.setFont("Helvetica-Bold", 9)
    c.drawString(60, 770, HEADER[0])
    c.drawString(100, 770, HEADER[1])
    c.drawRightString(330, 770, HEADER[2])
    c.drawRightString(480, 770, HEADER[3])
    c.setFont("Helvetica", 9)
    y = 754
    for code, name, share, amount in printed_rows():
        if code:
            c.drawString(60, y, code)
        c.drawString(100, y, name)
        c.drawRightString(330, y, share)
        c.drawRightString(480, y, amount)
        y -= 14
    c.save()
    return path


def region_docx(path: Path) -> Path:
    document = Document()
    document.add_paragraph("Fördelning till regionerna 2024")
    rows = printed_rows()
    table = document.add_table(rows=len(rows) + 1, cols=len(HEADER))
    for cell, text in zip(table.rows[0].cells, HEADER, strict=True):
        cell.text = text
    for row, texts in zip(table.rows[1:], rows, strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
    document.save(str(path))
    return path


@pytest.fixture(params=["pdf", "docx"])
def extraction(request, tmp_path: Path) -> Extraction:
    if request.param == "pdf":
        return pdf.extract(region_pdf(tmp_path / "andelar.pdf"))
    return word.extract(region_docx(tmp_path / "andelar.docx"))


def test_amounts_land_in_allocations(extraction: Extraction) -> None:
    rows = extraction.allocations.to_dicts()
    assert {r["measure"] for r in rows} == {"Belopp"}
    assert {r["table"] for r in rows} == {"region"}
    got = {r["code"]: (r["row_kind"], r["amount_sek"]) for r in rows}
    assert got == {code: ("total" if not code else "recipient", total)
                   for code, (_, total, _) in TABLE.items()}
    assert got["01"] == ("recipient", 164_423_176) and got[""] == ("total", 703_000_000)


def test_shares_land_in_attributes(extraction: Extraction) -> None:
    rows = extraction.attributes.to_dicts()
    assert {(r["measure"], r["kind"], r["decimals"], r["table"]) for r in rows} == {
        ("Andel (%)", "share_percent", 2, "region")}
    got = {r["code"]: (r["name_raw"], r["value"]) for r in rows}
    assert got == {code: (name, float(share)) for code, (name, _, share) in TABLE.items()}
    assert got["01"] == ("Stockholm", 23.39) and got[""] == ("Riket", 100.0)
    assert len(rows) == 22


def test_table_is_described_and_nothing_is_dropped(extraction: Extraction) -> None:
    [table] = extraction.tables
    assert (table.kind, table.status, table.recipient_rows, table.has_total_row) == (
        "region", "reconciled", 21, True)
    assert table.amount_measures == ("Belopp",)
    assert table.other_measures == ("Andel (%) (share_percent)",)
    assert [p.check for p in extraction.problems] == []
