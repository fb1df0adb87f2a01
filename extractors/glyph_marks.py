"""Raised footnote marks (extractors/marks.py) on a page's glyphs as columns.

`raised_marks` goes through a page's single digits one by one, each against the glyphs a mark
may follow. Most pages have no mark: where no single digit has, by the rule's own test and
reach, any glyph it could be a mark after, it makes none (a mark's first base is one of the
glyphs as they are, since nothing changed before it), and the glyphs stay columns. Otherwise
the rule runs on the glyphs as dicts, and the marks it makes replace their glyphs.
"""

from __future__ import annotations

import numpy as np

from extractors.glyphs import Glyphs
from extractors.marks import (
    DEFAULT_MARK_GAP_EM,
    DEFAULT_MARK_SIZE_RATIO,
    drawn_smaller,
    is_base_text,
    is_digit_text,
    mark_after,
    raised_marks,
)


def raised_glyphs(glyphs: Glyphs) -> Glyphs:
    """`raised_marks` on columns (glyphs.exact() holds)."""
    small = np.flatnonzero(glyphs.text_flags(is_digit_text))
    if not len(small):
        return glyphs
    sizes = glyphs.size[small]
    if not drawn_smaller(sizes.min(), sizes.max()):
        return glyphs  # every digit of one size: no mark drawn smaller
    if not _any_base(glyphs, small):
        return glyphs
    chars = glyphs.to_dicts()
    marked = raised_marks(chars)
    return glyphs.replaced({i: new for i, (old, new) in enumerate(zip(chars, marked,
                                                                      strict=True))
                            if new is not old})


def _any_base(glyphs: Glyphs, small: np.ndarray) -> bool:
    """Whether a single digit (indexes small) is a raised mark after some glyph a mark may
    follow, among those `raised_marks` looks at for it (the right edge, in whole points,
    within its reach of the digit's left edge): `marks.mark_after` itself, on columns
    (tests/test_glyph_columns.py compares the two paths on random pages with marks)."""
    bases = np.flatnonzero(glyphs.text_flags(is_base_text))
    if not len(bases):
        return False
    size, top, bottom = glyphs.size, glyphs.top, glyphs.bottom
    x0, x1 = glyphs.x0, glyphs.x1
    right = x1[bases].astype(np.int64)  # int(): toward zero
    order = np.argsort(right, kind="stable")
    bases, right = bases[order], right[order]
    left = x0[small].astype(np.int64)
    reach = (DEFAULT_MARK_GAP_EM * size[small] / DEFAULT_MARK_SIZE_RATIO).astype(np.int64) + 1
    low = np.searchsorted(right, left - reach, side="left")
    counts = np.searchsorted(right, left + reach, side="right") - low
    char = np.repeat(small, counts)
    base = bases[np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
                 + np.repeat(low, counts)]
    return bool(((base != char) & mark_after(size[char], top[char], bottom[char], x0[char],
                                             size[base], top[base], bottom[base], x1[base])
                 ).any())
