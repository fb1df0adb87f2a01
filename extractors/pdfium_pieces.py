"""The glyphs of a pdfium text page as columns (extractors/pdfium_chars.py): each glyph's
text, origin and text object, in pdfium's order, its generated spaces and line breaks left
out and the characters of one glyph (a ligature) joined.

pdfium is asked the same question of every character in one `map` over the page (the loop
runs in C), and its answers are kept in numpy arrays: no Python object per character but the
glyph's text.
"""

from __future__ import annotations

import ctypes
from collections import deque
from dataclasses import dataclass
from itertools import repeat

import numpy as np
import pypdfium2.raw as raw

from extractors.pdfium_objects import TextObjects, Unsupported
from extractors.pdfium_page import (
    address,
    char_origin,
    each_map_error,
    get_text,
    get_unicode,
    is_generated,
    text_object_number,
)

_GENERATED_CANDIDATES = np.array([ord(c) for c in " \r\n"], dtype=np.uint32)  # what pdfium
# inserts itself


@dataclass
class Pieces:
    """The glyphs side by side, in pdfium's order; `objects` holds each text object's
    description (`TextObjects.get`) once, in the order the page first shows them, and `object`
    the glyph's place in it."""

    texts: list[str]
    xs: np.ndarray
    ys: np.ndarray
    object: np.ndarray
    indexes: np.ndarray
    objects: list[tuple]


def _codes(page: int, count: int) -> np.ndarray:
    """Every character's Unicode value (FPDFText_GetUnicode), from one FPDFText_GetText call
    where its text is the characters one for one. pdfium writes the page's text as it lists
    each character, with the character's value but where it writes U+FFFE (a hyphen it took
    for a word break, which it lists as U+0002; a glyph without text); it leaves control
    characters out (the text is then shorter), and a value beyond 16 bits comes as two UTF-16
    units (so none may be a surrogate). The U+FFFE characters, and a page whose text is not
    one for one, are asked one by one (tests/test_pdfium_glyphs.py compares the two)."""
    buffer = np.zeros(2 * count + 2, dtype=np.uint16)  # room for every unit as a pair
    written = get_text(page, 0, count, buffer.ctypes.data)
    units = buffer[:count]
    if written != count + 1 or ((units >= 0xD800) & (units <= 0xDFFF)).any():
        return np.fromiter(map(get_unicode, repeat(page, count), range(count)),
                           dtype=np.uint32, count=count)
    codes = units.astype(np.uint32)
    for index in np.flatnonzero(units == 0xFFFE).tolist():
        codes[index] = get_unicode(page, index)
    return codes


def _origins(page: int, count: int) -> tuple[np.ndarray, np.ndarray]:
    """Every character's origin (x, y), rounded to a tenth of a millipoint."""
    at = np.zeros(2 * count, dtype=np.float64)
    start = at.ctypes.data
    deque(map(char_origin, repeat(page, count), range(count),
              range(start, start + 16 * count, 16), range(start + 8, start + 16 * count, 16)),
          maxlen=0)  # run, answers dropped
    # pdfium's single precision turns 590 into 590.000002: a position given to a tenth of a
    # millipoint, as content streams give them, is pdfminer's again. A float's value times
    # 1e4 is exact in a double, so rint (half to even) and the division are Python's
    # round(v, 4) to the bit.
    origins = np.rint(at * 1e4) / 1e4
    return origins[0::2], origins[1::2]


def pieces(text_page, objects: TextObjects) -> Pieces:
    """The page's glyphs; raises Unsupported for a character without a Unicode mapping."""
    count = max(raw.FPDFText_CountChars(text_page), 0)
    page = address(text_page)
    codes = _codes(page, count)
    xs, ys = _origins(page, count)
    kept = np.ones(count, dtype=bool)
    for index in np.flatnonzero(np.isin(codes, _GENERATED_CANDIDATES)).tolist():
        if is_generated(page, index) == 1:
            kept[index] = False
    kept_at = np.flatnonzero(kept)
    kept_list = kept_at.tolist()
    pointer = ctypes.c_void_p(page)  # for the untyped functions
    if 1 in map(each_map_error, repeat(pointer, len(kept_list)), kept_list):
        raise Unsupported("a character without a Unicode mapping")
    keys = np.fromiter(map(text_object_number, repeat(pointer, len(kept_list)), kept_list),
                       dtype=np.uint64, count=len(kept_list))
    xs, ys, codes = xs[kept_at], ys[kept_at], codes[kept_at]
    # a character at the origin of the one before, of the same object, is the same glyph
    new = np.ones(len(kept_list), dtype=bool)
    new[1:] = (keys[1:] != keys[:-1]) | (xs[1:] != xs[:-1]) | (ys[1:] != ys[:-1])
    starts = np.flatnonzero(new)
    chars = "".join(map(chr, codes.tolist()))
    if len(starts) == len(chars):
        texts = list(chars)
    else:
        ends = [*starts[1:].tolist(), len(chars)]
        texts = [chars[a:b] for a, b in zip(starts.tolist(), ends, strict=True)]
    keys = keys[starts]
    unique, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    seen = np.argsort(first, kind="stable")  # objects in the order the page shows them
    place = np.empty(len(seen), dtype=np.int64)
    place[seen] = np.arange(len(seen))
    indexes = kept_at[starts]
    described = [objects.get(page, index, key) for index, key in zip(
        indexes[first[seen]].tolist(), unique[seen].tolist(), strict=True)]
    return Pieces(texts, xs[starts], ys[starts], place[inverse].reshape(-1), indexes,
                  described)
