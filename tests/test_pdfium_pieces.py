"""pdfium's characters read in one call per page (extractors/pdfium_pieces.py) against the
same characters asked one by one."""

from __future__ import annotations

from itertools import repeat
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw
import pytest
from reportlab.pdfgen import canvas

from extractors.pdfium_page import address, get_unicode
from extractors.pdfium_pieces import _codes
from tests.test_pdfium_glyphs import fixture_pdfs


def codes_both_ways(path: Path) -> list[tuple[list[int], list[int]]]:
    """Per page: the Unicode values from FPDFText_GetText (`_codes`) and from
    FPDFText_GetUnicode asked of each character."""
    pages = []
    document = pdfium.PdfDocument(str(path))
    try:
        for number in range(len(document)):
            page = document[number]
            text = page.get_textpage()
            at, count = address(text.raw), raw.FPDFText_CountChars(text.raw)
            pages.append((_codes(at, count).tolist(),
                          list(map(get_unicode, repeat(at, count), range(count)))))
            text.close()
            page.close()
    finally:
        document.close()
    return pages


@pytest.mark.parametrize("path", fixture_pdfs(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_text_of_a_page_is_its_characters(path: Path) -> None:
    for ours, each in codes_both_ways(path):
        assert ours == each


def test_word_break_hyphens(tmp_path: Path) -> None:
    # A hyphen ending a line before a word that goes on below is one pdfium lists as U+0002
    # and writes as U+FFFE in the page's text.
    path = tmp_path / "hyphen.pdf"
    c = canvas.Canvas(str(path))
    c.setFont("Helvetica", 10)
    c.drawString(50, 800, "Bidrag till kom-")
    c.drawString(50, 788, "munerna och regionerna")
    c.drawString(50, 770, "Verksamheter: 1 234 567")
    c.save()
    pages = codes_both_ways(path)
    ours, each = pages[0]
    assert ours == each
    assert 2 in each  # the word-break hyphen was seen as one: the case is exercised
