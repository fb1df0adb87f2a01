"""The steps from glyphs to words on columns (extractors/glyphs.py and the column forms in
marks, doubles, clipped and char_words) against the same steps on char dicts: the same glyphs
after each step and the same words, key for key, on every fixture page pdfium reads and on
drawn and random pages that make each step act (raised marks, fake bold, clipped letters,
ligatures, blank and empty glyphs, rotated pages)."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pdfplumber
import pytest

from extractors import pdf
from extractors.char_words import chars_to_words, glyphs_to_words
from extractors.clipped import drop_clipped, drop_clipped_glyphs
from extractors.doubles import dedupe_chars, dedupe_glyphs
from extractors.glyph_marks import raised_glyphs
from extractors.glyphs import Glyphs
from extractors.marks import raised_marks
from extractors.pdfium_chars import PdfiumGlyphs
from tests.test_pdfium_glyphs import fixture_pdfs

X_TOL, Y_TOL = pdf.DEFAULT_WORD_X_TOLERANCE_PT, pdf.DEFAULT_WORD_Y_TOLERANCE_PT
COLUMNS = ("size", "x0", "x1", "top", "bottom", "doctop")


def glyphs_of(chars: list[dict], upright: bool = True) -> Glyphs:
    """Char dicts (of one upright) as columns."""
    names = sorted({c["fontname"] for c in chars})
    return Glyphs([c["text"] for c in chars],
                  np.array([names.index(c["fontname"]) for c in chars], dtype=np.int64), names,
                  *(np.array([c[k] for c in chars], dtype=np.float64) for k in COLUMNS),
                  upright)


def items(rows: list[dict]) -> list[list[tuple]]:
    return [list(row.items()) for row in rows]


def assert_steps_agree(glyphs: Glyphs) -> None:
    """Each step on columns gives what it gives on dicts, and so do the words."""
    chars = glyphs.to_dicts()
    marked = raised_glyphs(glyphs)
    assert items(marked.to_dicts()) == items(raised_marks(chars))
    deduped = dedupe_glyphs(marked)
    assert items(deduped.to_dicts()) == items(dedupe_chars(marked.to_dicts()))
    clipped = drop_clipped_glyphs(deduped)
    assert items(clipped.to_dicts()) == items(drop_clipped(deduped.to_dicts()))
    assert items(glyphs_to_words(clipped, X_TOL, Y_TOL)) == items(
        chars_to_words(clipped.to_dicts(), X_TOL, Y_TOL))
    assert items(pdf.pdf_to_words(glyphs)) == items(pdf.pdf_to_words(chars))


@pytest.mark.parametrize("path", fixture_pdfs(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture_pages_read_the_same_as_columns(path: Path) -> None:
    with pdfplumber.open(path) as document, PdfiumGlyphs(path, pdf.page_to_chars) as reader:
        for page in document.pages:
            glyphs, _ = reader.glyphs(page)
            if isinstance(glyphs, Glyphs):
                assert_steps_agree(glyphs)
            page.flush_cache()


def _char(text: str, x0: float, top: float, width: float = 5.0, size: float = 9.0,
          font: str = "F") -> dict:
    return {"text": text, "fontname": font, "size": size, "x0": x0, "x1": x0 + width,
            "top": top, "bottom": top + size, "doctop": 1000.0 + top, "upright": True}


def test_each_step_acts_the_same_on_drawn_glyphs() -> None:
    chars = [
        # "2 000 000" and a raised, smaller "2" touching it: the mark "²" (marks.py)
        _char("2", 10, 100), _char("0", 20, 100), _char("0", 25, 100), _char("0", 30, 100),
        _char("2", 35.5, 97, width=3, size=6),
        # Word's fake bold: "R" drawn again 0.2 pt to the right (doubles.py)
        _char("R", 10, 120, font="B"), _char("R", 10.2, 120, font="B"),
        # "o" cut off at its cell's edge under "T" of the next cell (clipped.py)
        _char("d", 50, 140), _char("o", 55, 140), _char("T", 56, 140), _char("o", 61, 140),
        # a ligature, an empty glyph, a blank, lines chaining within the tolerance
        _char("\ufb01", 10, 160), _char("", 15, 160), _char(" ", 20, 160),
        _char("x", 25, 161.5), _char("y", 30, 163.4), _char("z", 36.5, 165),
    ]
    glyphs = glyphs_of(chars)
    assert_steps_agree(glyphs)
    texts = [w["text"] for w in pdf.pdf_to_words(glyphs)]
    # the mark ends its number, the double is gone, the clipped "o" dropped, the ligature
    # read apart and the empty glyph a word of its own
    assert {"2", "000²", "R", "dTo", "fi", ""} <= set(texts)
    rotated = glyphs_of([{**c, "upright": False} for c in chars], upright=False)
    assert_steps_agree(rotated)


def test_random_pages_agree() -> None:
    rng = random.Random(19)
    for _ in range(300):
        chars = [_char(rng.choice("ab 12\u00a0\ufb02"), round(rng.uniform(0, 60), 1),
                       round(rng.choice([10, 11.5, 13, 20, 22.9]) + rng.uniform(0, 2), 2),
                       width=rng.uniform(0, 6), size=rng.choice([9.0, 9.0, 6.0]),
                       font=rng.choice("FG"))
                 for _ in range(rng.randint(0, 40))]
        assert_steps_agree(glyphs_of(chars, upright=rng.random() < 0.8))


def test_values_numpy_orders_otherwise_go_the_dict_way() -> None:
    # min(0.0, -0.0) is 0.0 in Python, and numpy may pick either: such a page is read as dicts
    glyphs = glyphs_of([_char("a", 0.0, 10), _char("b", -0.0, 10, width=0.0)])
    assert not glyphs.exact()
    assert items(pdf.pdf_to_words(glyphs)) == items(pdf.pdf_to_words(glyphs.to_dicts()))
