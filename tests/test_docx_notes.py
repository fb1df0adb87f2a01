"""DOCX footnotes, endnotes and page headers and footers are running text: their amounts are
stated amounts, and the control total counts them (extractors/word_parts.py)."""

from __future__ import annotations

import json
from pathlib import Path

import docx

from extractors.tally import docx_to_tallied
from extractors.word import extract
from pipeline.orchestrate import reconcile_case
from pipeline.settings import Settings

DEFECT = Path(__file__).resolve().parent.parent / "fixtures" / "defects" / "docx-fotnot-713"
FOOTNOTE = "Totalt betalas 713 000 000 kronor ut till regionerna 2024."


def test_the_footnote_is_text_and_tallied():
    texts = [b.text for b in extract(DEFECT / "beslut.docx").text]
    assert FOOTNOTE in texts
    # the footnote's amount is counted by the control total, beside the table's 88 amounts
    tallied = [t.digits for t in docx_to_tallied(DEFECT / "beslut.docx")]
    assert "713000000" in tallied and "703000000" in tallied


def test_even_page_header_and_first_page_footer_are_read(tmp_path):
    document = docx.Document()
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    section.different_first_page_header_footer = True
    section.even_page_header.paragraphs[0].text = "Bilaga 1: 703 000 000 kronor till regionerna"
    section.first_page_footer.paragraphs[0].text = "Totalt 1 560 000 000 kronor"
    document.add_paragraph("Beslut")
    path = tmp_path / "beslut.docx"
    document.save(path)
    texts = [b.text for b in extract(path).text]
    assert "Bilaga 1: 703 000 000 kronor till regionerna" in texts
    assert "Totalt 1 560 000 000 kronor" in texts
    assert {"703000000", "1560000000"} <= {t.digits for t in docx_to_tallied(path)}


def test_a_footnote_total_that_disagrees_fails(tmp_path):
    reconcile_case(DEFECT, tmp_path, Settings(data_docs=False, evidence_images=False))
    doc = json.loads((tmp_path / DEFECT.name / "findings.json").read_text("utf-8"))
    errors = [(f["check"], f["observed"], f["expected"]) for f in doc["findings"]
              if f["severity"] == "error"]
    # 713 000 000 kr stated against the region table's Riket Totalt belopp, 703 000 000 kr
    assert errors == [("stated_total", 713_000_000, 703_000_000)]
    assert doc["status"] == "fail"
