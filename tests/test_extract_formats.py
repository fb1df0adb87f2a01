"""Format detection, the HTML/TXT readers, text blocks of the agreements, and unreadable files."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from docx import Document
from reportlab.lib.pagesizes import A4
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfgen import canvas

from extractors import pdf, plaintext, web, word
from extractors.base import ExtractSettings
from extractors.errors import DocumentTooLargeError, UnreadableDocumentError
from extractors.registry import FORMATS, detect_format

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "fixtures" / "cases"
SEEDS = ROOT / "fixtures" / "sources" / "seeds"
TRUTH = ROOT / "fixtures" / "sources" / "truth" / "2024"


def test_registry_order_and_detection(tmp_path: Path) -> None:
    assert [m.FORMAT for m in FORMATS] == ["pdf", "docx", "html", "txt"]
    assert detect_format(CASES / "2024-psykisk-halsa" / "regeringsbeslut-2024-I6.pdf") is pdf
    assert detect_format(CASES / "2024-psykisk-halsa" / "overenskommelse-2024.docx") is word
    assert detect_format(CASES / "2020-psykisk-halsa" / "skr-overenskommelse-2020.html") is web
    note = tmp_path / "note.md"
    note.write_text("# Rubrik\n\nText.\n", encoding="utf-8")
    assert detect_format(note) is plaintext
    unknown = tmp_path / "data.bin"
    unknown.write_bytes(b"\x00\x01\x02")
    assert detect_format(unknown) is None
    assert detect_format(tmp_path / "missing.pdf") is None


def test_html_page_blocks_keep_the_itemised_mkr() -> None:
    # Seed 000: SKR's page on the 2020 agreement states its totals in Mkr.
    ex = web.extract(CASES / "2020-psykisk-halsa" / "skr-overenskommelse-2020.html")
    assert ex.source_format == "html" and ex.allocations.height == 0
    texts = " ".join(b.text for b in ex.text)
    assert "Mkr" in texts or "miljoner kronor" in texts


def test_html_allocation_table(tmp_path: Path) -> None:
    with open(TRUTH / "region.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    cells = "".join(
        "<tr>" + "".join(f"<td>{c if i < 2 else f'{int(c):,} kr'.replace(',', ' ')}</td>"
                         for i, c in enumerate(r)) + "</tr>"
        for r in rows[1:])
    head = "<tr><th>Länskod</th><th>Region</th>" + "".join(f"<th>{m}</th>" for m in rows[0][2:])
    page = tmp_path / "bilaga.html"
    page.write_text(f"<html><body><h2>Region</h2><p>Fördelning 2024.</p><table>{head}</tr>"
                    f"{cells}</table></body></html>", encoding="utf-8")
    ex = web.extract(page)
    assert ex.allocations.height == 22 * 4
    riket = ex.allocations.filter(row_kind="total", measure="Totalt belopp")
    assert riket["amount_sek"].to_list() == [703_000_000]
    assert set(ex.allocations["table"]) == {"region"}
    assert [b.text for b in ex.text] == ["Region", "Fördelning 2024."]


def test_plaintext_paragraphs(tmp_path: Path) -> None:
    (seed,) = SEEDS.glob("004_*.txt")
    copy = tmp_path / "skl-2017.txt"
    shutil.copy(seed, copy)
    ex = plaintext.extract(copy)
    assert ex.source_format == "txt" and ex.text
    assert any("885" in b.text for b in ex.text)


def test_agreement_tkr_table_and_totals_are_text() -> None:
    ex = word.extract(CASES / "2024-psykisk-halsa" / "overenskommelse-2024.docx")
    assert ex.allocations.height == 0
    assert ex.metadata["document_kind"] == "överenskommelse"
    assert any(b.kind == "table_row" and "tkr" in b.text for b in ex.text)
    assert any("1 527 000 000 kronor" in b.text for b in ex.text)


def test_agreement_section_5_totals_read_once_per_row() -> None:
    # Seed 002, the agreement as DOCX (section 5): a "Totalt" heading row, then one row per total.
    ex = word.extract(CASES / "2024-psykisk-halsa" / "overenskommelse-2024.docx")
    rows = [b.text for b in ex.text if b.kind == "table_row"]
    start = rows.index("Totalt")
    assert rows[start:start + 6] == [
        "Totalt", "Totalt regioner | 703 000", "Totalt kommuner | 100 000", "Totalt län | 724 000",
        "Totalt SKR | 33 000", "Totalt överenskommelsen | 1 560 000"]


def test_merged_cells_of_a_text_table_are_read_once(tmp_path: Path) -> None:
    # The section 5 totals (seed 002) with "Totalt" spanning the row and "via KamK" merged down.
    doc = Document()
    table = doc.add_table(rows=4, cols=3)
    for row, (label, amount) in zip(table.rows[1:], [("Totalt regioner", "703 000"),
                                                     ("Totalt kommuner", "100 000"),
                                                     ("Totalt län", "724 000")], strict=True):
        row.cells[0].text, row.cells[1].text = label, amount
    table.cell(0, 0).merge(table.cell(0, 2)).text = "Totalt"
    table.cell(1, 2).merge(table.cell(3, 2)).text = "via KamK"
    path = tmp_path / "totals.docx"
    doc.save(str(path))
    ex = word.extract(path)
    assert [b.text for b in ex.text] == [
        "Totalt", "Totalt regioner | 703 000 | via KamK", "Totalt kommuner | 100 000",
        "Totalt län | 724 000"]
    assert ex.allocations.height == 0


def test_regional_paper_total_line_is_text_not_dropped() -> None:
    # Seed 003: Jämtland's TOTALT 11 522 848, 00 (the four purposes sum to 11 522 284).
    path = CASES / "2021-psykisk-halsa" / "jamtland-harjedalen-2021-lansgemensamma-medel.pdf"
    ex = pdf.extract(path)
    assert any("11 522 848, 00" in b.text and b.page is not None for b in ex.text)
    assert ex.allocations.height == 0


def _pdf(path: Path, draw, encrypt=None) -> Path:
    c = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt)
    draw(c)
    c.showPage()
    c.save()
    return path


def test_scan_without_text_layer(tmp_path: Path) -> None:
    path = _pdf(tmp_path / "scan.pdf", lambda c: c.rect(50, 50, 400, 600, fill=1))
    with pytest.raises(UnreadableDocumentError, match="scan"):
        pdf.extract(path)


def test_encrypted_pdf(tmp_path: Path) -> None:
    def text(c):
        c.drawString(72, 700, "Riket 703 000 000 kr")

    locked = _pdf(tmp_path / "locked.pdf", text, StandardEncryption("secret", canPrint=0))
    with pytest.raises(UnreadableDocumentError, match="password"):
        pdf.extract(locked)
    open_pw = _pdf(tmp_path / "open.pdf", text, StandardEncryption("", ownerPassword="owner"))
    assert any("703 000 000" in b.text for b in pdf.extract(open_pw).text)


def test_pdf_limits(tmp_path: Path) -> None:
    path = _pdf(tmp_path / "one.pdf", lambda c: c.drawString(72, 700, "Bilaga 1"))
    with pytest.raises(DocumentTooLargeError, match="max_file_bytes"):
        pdf.extract(path, ExtractSettings(max_file_bytes=10))
    big = CASES / "2024-psykisk-halsa" / "regeringsbeslut-2024-I6.pdf"
    with pytest.raises(DocumentTooLargeError, match="max_pages"):
        pdf.extract(big, ExtractSettings(max_pages=3))
    with pytest.raises(DocumentTooLargeError, match="max_page_side_pt"):
        pdf.extract(path, ExtractSettings(max_page_side_pt=500))


def test_docx_unpacked_size_checked_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "small.docx"
    doc = Document()
    doc.add_paragraph("Bilaga 1")
    doc.save(str(path))
    with pytest.raises(DocumentTooLargeError, match="max_unpacked_bytes"):
        word.extract(path, ExtractSettings(max_unpacked_bytes=1000))


def test_corrupt_files(tmp_path: Path) -> None:
    fake_pdf = tmp_path / "broken.pdf"
    fake_pdf.write_bytes(b"%PDF-1.4\nthis is not a pdf body")
    with pytest.raises(UnreadableDocumentError):
        pdf.extract(fake_pdf)
    fake_docx = tmp_path / "broken.docx"
    fake_docx.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(UnreadableDocumentError):
        word.extract(fake_docx)
