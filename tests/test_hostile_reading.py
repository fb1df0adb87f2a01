"""Issue 18 item 4: a table that stops short of its total row, in a document whose other tables
close with one, is not fully read; and a decoder warning names the page it came from.
"""

from __future__ import annotations

import zlib
from pathlib import Path

from extractors import plaintext
from extractors.base import ExtractSettings
from model import Finding
from pipeline.fates import short_table_findings
from pipeline.reading import read_document
from pipeline.verdict import case_verdict
from tests.test_hostile_faults import pdf_bytes

ROOT = Path(__file__).resolve().parent.parent
# 21 regions and a "Summa" row of 553 000 000 kr (the sum of the 21 amounts).
REGIONS_MD = ROOT / "fixtures" / "cases" / "2024-regioner-organisationsnamn" / \
    "regionernas-barn-och-unga-medel-2024.md"
# (4 000 000, not 3 000 000: a last row printing the sum of the rows above is a total row)
KOMMUNER = """

Belopp i kronor per kommun:

| Kommun | Belopp |
| --- | ---: |
| Upplands Väsby | 1 000 000 |
| Vallentuna | 2 000 000 |
| Österåker | 4 000 000 |
"""


def test_a_table_short_of_its_total_beside_tables_with_one_is_not_fully_read(tmp_path):
    path = tmp_path / "medel.md"
    path.write_text(REGIONS_MD.read_text(encoding="utf-8") + KOMMUNER, encoding="utf-8")
    extraction = plaintext.extract(path)
    # the region table closes with Summa; the kommun table stops after 3 of 290 kommuner
    assert sorted((t.kind, t.recipient_rows, t.has_total_row) for t in extraction.tables) == [
        ("kommun", 3, False), ("region", 21, True)]
    [finding] = short_table_findings([extraction])
    assert (finding.check, finding.severity, finding.table) == (
        "truncated_table", "error", "kommun")
    assert "(3 recipient rows) ends without a total row" in finding.message
    # such a finding means "not fully read", never a pass nor a disagreement
    verdict = case_verdict([finding], [], [], True)
    assert (verdict.status, verdict.exit_status) == ("incomplete", 1)


def test_a_table_of_every_recipient_needs_no_total_row(tmp_path):
    # The 2023 press release closes its region table with a total but lists all 21 län in a
    # second table without one: complete, so nothing is cut.
    case = ROOT / "fixtures" / "cases" / "2023-12-tidiga-besked" / "2023-12-tidiga-besked.md"
    extraction = plaintext.extract(case)
    assert sorted((t.kind, t.recipient_rows, t.has_total_row) for t in extraction.tables
                  if t.amount_measures) == [("lan", 21, False), ("region", 21, True)]
    assert short_table_findings([extraction]) == []
    alone = tmp_path / "kommuner.md"  # a short table alone: no other table sets the style
    alone.write_text(KOMMUNER, encoding="utf-8")
    assert short_table_findings([plaintext.extract(alone)]) == []


def test_a_decoder_warning_names_the_page_it_came_from(tmp_path, capfd):
    """Two pages of text; page 2's stream has its checksum damaged (pdfminer and the bounded
    inflate warn, pdfium recovers): one decoder warning, for page 2."""
    def content(text: bytes, damaged: bool) -> bytes:
        data = zlib.compress(b"BT /F1 12 Tf 72 700 Td (" + text + b") Tj ET\n")
        if damaged:
            data = data[:-2] + bytes(b ^ 0x5A for b in data[-2:])
        return b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + \
            b"\nendstream"

    page = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>")
    path = tmp_path / "tva.pdf"
    path.write_bytes(pdf_bytes([
        (1, b"<< /Type /Catalog /Pages 2 0 R >>"),
        (2, b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>"),
        (3, page % 6), (4, page % 7),
        (5, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"),
        (6, content(b"Riket 100 kr", False)), (7, content(b"Summa 5 kr", True)),
    ]))
    for source in ("pdfium", "pdfminer"):
        outcome = read_document(path, "extractors.pdf", ExtractSettings(glyph_source=source),
                                False)
        warned = [p for p in outcome.extraction.problems if p.check == "decoder_warning"]
        assert [(p.page, p.severity) for p in warned] == [(2, "error")], source
        assert warned[0].message.startswith("tva.pdf, page 2: the decoder reported")
    assert capfd.readouterr().err == ""


def test_findings_of_a_decoder_warning_are_not_a_disagreement():
    warned = Finding(check="decoder_warning", severity="error", message="m",
                     source_file="a.pdf", page=2)
    assert case_verdict([warned], [], [], True).status == "incomplete"
