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
