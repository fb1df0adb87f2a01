"""Glyphs of a cell's text cut off at the cell's edge, dropped before words are made.

A spreadsheet prints a header too long for its cell up to the cell's edge (LibreOffice Calc:
"Kunskapsbaserad o" under "Totalt belopp" to its right): the last glyph shown is partly hidden
under the next cell's text, and the text layer keeps it, so the next header reads "oTotalt".
Such a glyph is the last of its run (the glyph drawn after it does not follow at its right
edge) and a glyph of other text starts well inside it (`DEFAULT_CLIP_OVERLAP` of its width;
kerning and ligatures overlap far less). Only letters are dropped: a digit is never taken out
of an amount.
"""

from __future__ import annotations

import numpy as np

from extractors.glyphs import Glyphs

DEFAULT_CLIP_OVERLAP = 0.4  # share of a glyph's width another glyph must start inside it
_SAME_LINE_PT = 1.0
_ADJACENT_PT = 0.5


def drop_clipped(chars: list[dict]) -> list[dict]:
    """The chars without letters cut off at a cell's edge under the next cell's text."""
    if not chars:
        return chars
    ends = [char for char, following in zip(chars, [*chars[1:], None], strict=True)
            if char["text"].isalpha() and char["x1"] > char["x0"]
            and not _runs_on(char, following)]
    if not ends:  # every letter runs on into the glyph drawn after it
        return chars
    grid: dict[tuple[int, int], list[dict]] = {}
    for char in chars:
        if char["text"].strip():  # only printed text can hide a glyph
            grid.setdefault((round(char["top"]), int(char["x0"] // 8)), []).append(char)
    dropped: set[int] = set()
    for char in ends:
        limit = char["x1"] - DEFAULT_CLIP_OVERLAP * (char["x1"] - char["x0"])
        if any(other is not char and other["text"].strip() and other["text"] != char["text"]
               and char["x0"] < other["x0"] <= limit
               and abs(other["top"] - char["top"]) <= _SAME_LINE_PT
               for key in _keys(char) for other in grid.get(key, ())):
            dropped.add(id(char))
    return [c for c in chars if id(c) not in dropped] if dropped else chars


def _runs_on(char: dict, following: dict | None) -> bool:
    """Whether the glyph drawn next continues the same text right after this one."""
    return following is not None and abs(following["top"] - char["top"]) <= _SAME_LINE_PT \
        and abs(following["x0"] - char["x1"]) <= _ADJACENT_PT


def _keys(char: dict) -> list[tuple[int, int]]:
    top = round(char["top"])
    cells = range(int(char["x0"] // 8), int(char["x1"] // 8) + 1)
    return [(t, x) for t in (top - 1, top, top + 1) for x in cells]


def drop_clipped_glyphs(glyphs: Glyphs) -> Glyphs:
    """`drop_clipped` on columns (glyphs.exact() holds): the same ends, and for each the
    glyphs starting inside it found by sorting rather than by a grid of dicts. The grid's
    cells ask of another glyph what the rule asks, and that its rounded top is within one of
    the end's (its column follows from starting inside the end)."""
    if not len(glyphs):
        return glyphs
    x0, x1, top = glyphs.x0, glyphs.x1, glyphs.top
    following = np.zeros(len(glyphs), dtype=bool)  # the glyph drawn next continues it
    following[:-1] = (np.abs(top[1:] - top[:-1]) <= _SAME_LINE_PT) & (
        np.abs(x0[1:] - x1[:-1]) <= _ADJACENT_PT)
    ends = np.flatnonzero(glyphs.text_flags(str.isalpha) & (x1 > x0) & ~following)
    if not len(ends):  # every letter runs on into the glyph drawn after it
        return glyphs
    # only printed text can hide a glyph
    printed = np.flatnonzero(glyphs.text_flags(lambda text: bool(text.strip())))
    order = printed[np.argsort(x0[printed], kind="stable")]
    starts = x0[order]
    limit = x1[ends] - DEFAULT_CLIP_OVERLAP * (x1[ends] - x0[ends])
    low = np.searchsorted(starts, x0[ends], side="right")  # x0 < other's x0 <= limit
    counts = np.maximum(np.searchsorted(starts, limit, side="right") - low, 0)
    end = np.repeat(ends, counts)
    other = order[np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
                  + np.repeat(low, counts)]
    ids, _ = glyphs.text_ids()
    rows = np.round(top)
    hides = ((ids[other] != ids[end]) & (np.abs(top[other] - top[end]) <= _SAME_LINE_PT)
             & (np.abs(rows[other] - rows[end]) <= 1))
    dropped = np.unique(end[hides])
    if not len(dropped):
        return glyphs
    keep = np.ones(len(glyphs), dtype=bool)
    keep[dropped] = False
    return glyphs.take(np.flatnonzero(keep))
