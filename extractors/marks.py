"""Footnote marks a PDF prints as raised, smaller digits right after a number.

A browser prints "2 000 000<sup>2</sup>" as the glyphs of 2 000 000 and a "2" drawn smaller with
its foot above theirs, touching the last zero: read as text, that is "2 000 0002", and a cell of
20 000 002 kr. By its size and baseline the "2" is a footnote mark, not a digit of the amount: it
is read as the superscript "²" on the number's own line, so the cell is 2 000 000 with the mark
"²" (extractors/rows.split_footnote, the `mark` column). A name's mark ("Stockholm¹") is read
the same way; the resolver leaves marks out of a name (pipeline/reference.py).
"""

from __future__ import annotations

from collections import defaultdict

SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_SUPERSCRIPTS = frozenset("⁰¹²³⁴⁵⁶⁷⁸⁹")
DEFAULT_MARK_SIZE_RATIO = 0.9  # a mark is drawn at most this share of its number's size
DEFAULT_MARK_RAISE_EM = 0.2  # its foot at least this share of the number's size above theirs
DEFAULT_MARK_GAP_EM = 0.3  # and it starts within this share of that size after the number


def is_base_text(text: str) -> bool:
    """A glyph a mark may follow: a digit, a letter (a name's mark, "Stockholm¹") or a mark."""
    return len(text) == 1 and (text.isalnum() or text in _SUPERSCRIPTS)


def is_digit_text(text: str) -> bool:
    """A glyph that may be a mark: a single digit."""
    return len(text) == 1 and text.isdigit()


def drawn_smaller(smallest: float, largest: float) -> bool:
    """Whether a page's digits, from smallest to largest size, can hold a mark at all (one
    drawn smaller than another digit)."""
    return smallest <= DEFAULT_MARK_SIZE_RATIO * largest


def mark_after(size, top, bottom, x0, base_size, base_top, base_bottom, base_x1):
    """Whether a glyph (size, top, bottom, x0) is a raised, smaller digit printed right after a
    base glyph (its size, top, bottom, x1): on numbers, or element-wise on numpy columns
    (extractors/glyph_marks.py asks it of every pair at once)."""
    return ((size <= DEFAULT_MARK_SIZE_RATIO * base_size)
            & (base_bottom - bottom >= DEFAULT_MARK_RAISE_EM * base_size)
            & (bottom > base_top)  # beside it: a line above is no mark
            & (top >= base_top - base_size)
            & (abs(x0 - base_x1) <= DEFAULT_MARK_GAP_EM * base_size))


def _mark_after(char: dict, base: dict) -> bool:
    return mark_after(char["size"], char["top"], char["bottom"], char["x0"], base["size"],
                      base["top"], base["bottom"], base["x1"])


def raised_marks(chars: list[dict]) -> list[dict]:
    """The page's chars, each raised smaller digit right after a digit, a letter or a mark made
    so turned into its superscript on the number's line: same top, bottom and size as the digit
    before it, so it ends the number's word ("000²")."""
    small = [c for c in chars if is_digit_text(c["text"])]
    if not small or not drawn_smaller(min(c["size"] for c in small),
                                      max(c["size"] for c in small)):
        return chars  # every digit of one size: no mark drawn smaller
    by_right: dict[int, list[dict]] = defaultdict(list)
    for c in chars:
        if is_base_text(c["text"]):
            by_right[int(c["x1"])].append(c)
    out = {id(c): c for c in chars}
    for char in sorted(small, key=lambda c: c["x0"]):
        reach = int(DEFAULT_MARK_GAP_EM * char["size"] / DEFAULT_MARK_SIZE_RATIO) + 1
        near = (b for x in range(int(char["x0"]) - reach, int(char["x0"]) + reach + 1)
                for b in by_right.get(x, ()))
        base = next((out[id(b)] for b in near if b is not char and _mark_after(char, out[id(b)])),
                    None)
        if base is None:
            continue
        shift = base["top"] - char["top"]
        mark = {**char, "text": char["text"].translate(SUPERSCRIPT), "size": base["size"],
                "top": base["top"], "bottom": base["bottom"],
                "doctop": char.get("doctop", char["top"]) + shift}
        out[id(char)] = mark  # by_right keeps the original: out gives its current form
    return [out[id(c)] for c in chars]
