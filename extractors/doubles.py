"""Glyphs drawn twice (Word's fake bold draws each glyph again ~0.2 pt to the side), removed.

`dedupe_chars` keeps a char unless a char kept before it prints the same text in the same
font and size within the tolerance in x and in y. Most glyphs of a page have no other glyph
of their text anywhere near: those are found for the whole page at once, by sorting columns
of numbers (`_with_neighbour`), and only the rest go through the rule one by one, in the
page's order. A glyph with no such neighbour is never dropped and never the reason another
is (being near is symmetric), so the answer is the rule's own.
"""

from __future__ import annotations

import numpy as np

from extractors.glyphs import Glyphs

DEFAULT_DEDUPE_TOLERANCE_PT = 1.0  # Word's fake bold draws each glyph twice, ~0.2 pt apart
_CELL_MARGIN = 1.25  # the grids' half columns this much wider than the tolerance: no
# rounding can put two glyphs within the tolerance in no common column


def dedupe_chars(chars: list[dict], tolerance: float = DEFAULT_DEDUPE_TOLERANCE_PT
                 ) -> list[dict]:
    """Chars without the doubles of Word's fake bold: same glyph and font, within tolerance."""
    near = _with_neighbour(chars, tolerance)
    if not near:
        return chars
    dropped = _doubles([chars[i] for i in near], tolerance)
    if not dropped:
        return chars
    gone = {near[i] for i in dropped}
    return [char for i, char in enumerate(chars) if i not in gone]


def _with_neighbour(chars: list[dict], tolerance: float) -> list[int]:
    """Indexes of the chars with another char of the same text near them, in the page's
    order (`near_same_text`)."""
    if len(chars) < 2:
        return []
    ids: dict[str, int] = {}
    text = np.array([ids.setdefault(c["text"], len(ids)) for c in chars], dtype=np.int64)
    x = np.array([c["x0"] for c in chars], dtype=np.float64)
    top = np.array([c["top"] for c in chars], dtype=np.float64)
    return near_same_text(text, x, top, tolerance)


def near_same_text(text: np.ndarray, x: np.ndarray, top: np.ndarray, tolerance: float
                   ) -> list[int]:
    """Indexes of the glyphs (text ids, x0, top) with another of the same text near them, in
    the page's order: for one of two grids of columns twice as wide as the tolerance, shifted
    by half a column, in the same column and, sorted by top, next to it within the
    tolerance. Two glyphs less than half a column apart in x share a column in one of the
    two grids."""
    if len(text) < 2:
        return []
    if not (np.isfinite(x).all() and np.isfinite(top).all()):
        return list(range(len(text)))  # coordinates no grid holds: every char by the rule
    reach = tolerance * _CELL_MARGIN
    near = np.zeros(len(text), dtype=bool)
    for shift in (0.0, reach):
        column = np.floor((x + shift) / (2 * reach))
        order = np.lexsort((top, column, text))
        t, col, y = text[order], column[order], top[order]
        pair = (t[1:] == t[:-1]) & (col[1:] == col[:-1]) & (y[1:] - y[:-1] <= reach)
        near[order[1:][pair]] = True
        near[order[:-1][pair]] = True
    return np.flatnonzero(near).tolist()


def dedupe_glyphs(glyphs: Glyphs, tolerance: float = DEFAULT_DEDUPE_TOLERANCE_PT) -> Glyphs:
    """`dedupe_chars` on columns: the glyphs near another of their text go through the rule
    as dicts, the rest stay columns."""
    ids, _ = glyphs.text_ids()
    near = near_same_text(ids, glyphs.x0, glyphs.top, tolerance)
    if not near:
        return glyphs
    texts, fonts, names = glyphs.texts, glyphs.fonts, glyphs.fontnames
    x0, top, size = glyphs.x0, glyphs.top, glyphs.size
    dropped = _doubles([{"text": texts[i], "fontname": names[fonts[i]], "size": float(size[i]),
                         "x0": float(x0[i]), "top": float(top[i])} for i in near], tolerance)
    if not dropped:
        return glyphs
    keep = np.ones(len(glyphs), dtype=bool)
    keep[[near[i] for i in dropped]] = False
    return glyphs.take(np.flatnonzero(keep))


def _doubles(chars: list[dict], tolerance: float) -> list[int]:
    """Indexes of the chars a kept char before them doubles (same text, font and size
    within tolerance in x and y): one pass over a hashed grid of cells as wide as the
    tolerance, per glyph and font."""
    grids: dict[tuple, dict[int, dict[int, list[tuple[float, float]]]]] = {}
    dropped = []
    for index, char in enumerate(chars):
        x0, top = char["x0"], char["top"]
        gx, gy = int(x0 // tolerance), int(top // tolerance)
        ident = (char["text"], char["fontname"], round(char["size"], 2))
        rows = grids.get(ident)
        if rows is None:
            rows = grids[ident] = {}
        elif _near(rows, gx, gy, x0, top, tolerance):
            dropped.append(index)
            continue
        row = rows.get(gy)
        if row is None:
            row = rows[gy] = {}
        cell = row.get(gx)
        if cell is None:
            row[gx] = [(x0, top)]
        else:
            cell.append((x0, top))
    return dropped


def _near(rows: dict, gx: int, gy: int, x0: float, top: float, tolerance: float) -> bool:
    """Whether a kept char in the cells around (gx, gy) lies within tolerance of (x0, top)."""
    for y in (gy, gy - 1, gy + 1):
        row = rows.get(y)
        if row is None:
            continue
        for x in (gx, gx - 1, gx + 1):
            for ox, otop in row.get(x, ()):
                if abs(ox - x0) <= tolerance and abs(otop - top) <= tolerance:
                    return True
    return False
