"""extractors/char_words.py against pdfplumber's `extract_words`, the reference it restates:
the same word dicts (text, every coordinate exactly, key order) on every fixture page, read
with both glyph sources, and on drawn cases its general code handles (rotated glyphs, blank
and empty chars, ligatures, lines that chain within the tolerance, glyphs out of order)."""

from __future__ import annotations

import random
from pathlib import Path

import pdfplumber
import pytest
from pdfplumber.utils import extract_words

from extractors import pdf
from extractors.char_words import chars_to_words
from extractors.clipped import drop_clipped
from extractors.marks import raised_marks
from extractors.pdfium_chars import PdfiumGlyphs
from tests.test_pdfium_glyphs import fixture_pdfs

X_TOL, Y_TOL = pdf.DEFAULT_WORD_X_TOLERANCE_PT, pdf.DEFAULT_WORD_Y_TOLERANCE_PT


def reference(chars: list[dict]) -> list[dict]:
    return extract_words(chars, x_tolerance=X_TOL, y_tolerance=Y_TOL, keep_blank_chars=False)


def assert_identical(chars: list[dict]) -> None:
    expected, got = reference(chars), chars_to_words(chars, X_TOL, Y_TOL)
    assert [list(w.items()) for w in got] == [list(w.items()) for w in expected]


@pytest.mark.parametrize("path", fixture_pdfs(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture_pages_give_pdfplumbers_words(path: Path) -> None:
    with pdfplumber.open(path) as document, PdfiumGlyphs(path, pdf.page_to_chars) as glyphs:
        for page in document.pages:
            for chars in (pdf.page_to_chars(page)[0], glyphs(page)[0]):
                # the chars as pdf_to_words hands them over, and before any step
                assert_identical(chars)
                assert_identical(drop_clipped(pdf.dedupe_chars(raised_marks(chars))))
            page.flush_cache()


def _char(text: str, x0: float, top: float, upright: bool = True, width: float = 5.0,
          size: float = 9.0) -> dict:
    return {"text": text, "fontname": "F", "size": size, "x0": x0, "x1": x0 + width,
            "top": top, "bottom": top + size, "doctop": 1000.0 + top, "upright": upright}


def test_drawn_edge_cases_give_pdfplumbers_words() -> None:
    chars = [
        _char("A", 10, 100), _char("b", 15, 100), _char(" ", 20, 100), _char("c", 25, 100),
        _char("\ufb01", 30, 100), _char("", 35, 100), _char("d", 40, 100.5),  # ligature, empty
        _char("e", 46.4, 102.9), _char("f", 52.0, 106.0),  # 1.4 pt gap; a top chaining down
        _char("g", 20, 101), _char("h", 12, 100),  # drawn out of order, back over the line
        _char("R", 300, 50, upright=False), _char("o", 300.5, 59, upright=False),
        _char("t", 302, 68, upright=False), _char("\u00a0", 300, 77, upright=False),
        _char("x", 300, 86, upright=False), _char("Z", 10, 200), _char("z", 16.5, 200),
    ]
    assert_identical(chars)
    # "Ab" and "c" are split by the blank, the ligature reads "fi", the empty char is a word
    # of its own; the rotated run reads top to bottom and the NBSP ends its word; "z" starts
    # 1.5 pt after "Z" ends, exactly the tolerance, so they make one word
    texts = [w["text"] for w in chars_to_words(chars, X_TOL, Y_TOL)]
    assert "Rot" in texts and "x" in texts and "" in texts and "Zz" in texts


def test_random_pages_give_pdfplumbers_words() -> None:
    rng = random.Random(19)
    for _ in range(200):
        chars = [_char(rng.choice("ab 1\u00a0\ufb02"), round(rng.uniform(0, 60), 1),
                       round(rng.choice([10, 11.5, 13, 20, 22.9]) + rng.uniform(0, 2), 2),
                       upright=rng.random() < 0.8, width=rng.uniform(0, 6))
                 for _ in range(rng.randint(0, 40))]
        assert_identical(chars)
