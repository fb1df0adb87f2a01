"""Glyphs from pdfium: a page's characters as the same char dicts `pdf.page_to_chars` builds.

pdfminer interprets content streams in pure Python; pdfium (pypdfium2, installed with
pdfplumber) does it in C. This module reads each character's origin, advance and text from
pdfium's text page and rebuilds pdfminer's box from them: x from pdfium's loose box (origin
to origin plus advance), y from the baseline with pdfminer's own descent of the font (its
font objects, shared with pdfplumber, so the name and the descent are the ones pdfminer
would use), and pdfminer's page rotation. pdfium computes in single precision, so a
coordinate can differ from pdfminer's by a few 1e-4 pt; nothing in the layout is that fine.

A page pdfium cannot describe the same way (text drawn rotated or mirrored, vertical or
Type 3 fonts, characters without a Unicode mapping, a font pdfminer does not know by name)
is read by the fallback, pdfminer, as before: the glyphs are pdfium's only where they are
pdfminer's too.
"""

from __future__ import annotations

import ctypes
from collections import deque
from collections.abc import Callable
from itertools import repeat
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as raw

from extractors.pdfium_page import (
    address,
    base_font_name,
    char_origin,
    font_size,
    get_matrix,
    get_unicode,
    glyph_width,
    has_map_error,
    is_generated,
    merge_widths,
    object_font,
    page_ctm,
    page_fonts,
    stream_order,
    text_object_address,
    unlike_pdfium,
    widths_by_text,
)

Chars = tuple[list[dict], int]
_EPSILON_PT = 0.01  # pdfium's single precision, with room to spare
_GENERATED_CANDIDATES = frozenset(" \r\n")  # what pdfium inserts itself
# What pdfium may print for a glyph pdfminer reads as one of these: U+0002 for a hyphen it
# takes for a word break, a minus sign for an en dash between numbers.
_PDFIUM_ALIASES = {"\x02": ("-", "\xad", "\u2010"), "\u2212": ("\u2212", "\u2013", "-")}


class Unsupported(Exception):
    """A page whose glyphs pdfium cannot give as pdfminer would: read it with the fallback."""


# Not a watchdog's interrupt or a limit: those must stop the reading, not change its reader.
_FALL_BACK = (Unsupported, pdfium.PdfiumError, LookupError, ValueError, TypeError,
              AttributeError, OSError)


class PdfiumGlyphs:
    """Reads page after page of one PDF with pdfium; `reader(page)` takes a pdfplumber page
    (for its size, rotation and fonts) and returns (chars, pictures) like `page_to_chars`."""

    def __init__(self, path: Path, fallback: Callable[[object], Chars]) -> None:
        self.path = path
        self.document = None  # opened at the first page, after the limits were checked
        self.fallback = fallback
        self.fallback_pages: list[int] = []
        self.shared: dict = {}  # what the pages of the document share: pdfminer's font tables

    def close(self) -> None:
        if self.document is not None:
            self.document.close()

    def __enter__(self) -> PdfiumGlyphs:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __call__(self, page) -> Chars:
        try:
            return self.read(page)
        except _FALL_BACK:  # pdfminer then reads the page, or reports what is wrong with it
            self.fallback_pages.append(page.page_number)
            return self.fallback(page)

    def read(self, page) -> Chars:
        """The page's chars from pdfium; raises Unsupported where they would not be pdfminer's."""
        fonts = page_fonts(page)
        if self.document is None:
            self.document = pdfium.PdfDocument(str(self.path))
        handle = self.document[page.page_number - 1]
        try:
            order, images = stream_order(handle.raw)
            text = handle.get_textpage()
            try:
                chars = _chars(text.raw, page, fonts, order, self.shared)
            finally:
                text.close()
        finally:
            handle.close()
        return chars, images


class _Objects:
    """Per text object: matrix, font size, pdfminer font and its widths by text, looked up
    once per object (and per font)."""

    def __init__(self, fonts: dict[str, list], shared: dict) -> None:
        self.fonts = fonts
        self.cache: dict[int, tuple] = {}
        self.names: dict[int, str] = {}
        self.by_handle: dict[int, tuple] = {}  # `_font` by pdfium's font handle, on this page
        # what pdfium writes a text object's matrix and font size into
        self.matrix, self.size = raw.FS_MATRIX(), ctypes.c_float()
        self.at_matrix, self.at_size = ctypes.addressof(self.matrix), ctypes.addressof(self.size)
        # kept for the document, keyed by pdfminer's fonts (pdfium's may be freed per page),
        # which are kept alive with them so that their ids stay theirs
        self.widths: dict[tuple, dict[str, tuple[tuple[str, float], ...]]] = shared.setdefault(
            "widths", {})
        self.checked: dict[int, str | None] = shared.setdefault("checked", {})
        self.alive: dict[int, object] = shared.setdefault("alive", {})
        # By a font's glyph key (`_describe`): pdfium's advance by text, and by widths table
        # then text, (pdfminer's text, width, pdfium's advance) of a glyph with one reading.
        # A key of pdfium's font handle holds for the page only; a key of the one pdfminer
        # font of its name on the page (same font dict, so pdfium's same widths) for the
        # document: asking pdfium a glyph's width costs more than reading a glyph.
        self.advances: dict[tuple, float] = {}
        self.glyphs: dict[tuple, dict[str, tuple[str, float, float]]] = {}
        self.document_advances: dict[tuple, float] = shared.setdefault("advances", {})
        self.document_glyphs: dict[tuple, dict] = shared.setdefault("glyphs", {})

    def get(self, page: int, index: int) -> tuple:
        """The description of the text object of the character at index (page: the text
        page's address)."""
        key = text_object_address(page, index) or 0
        found = self.cache.get(key)
        if found is None:
            found = self.cache[key] = (key, *self._describe(page, index, key))
        return found

    def _describe(self, page: int, index: int, obj: int) -> tuple:
        matrix = self.matrix
        get_matrix(page, index, self.at_matrix)
        if matrix.b != 0 or matrix.c != 0 or matrix.a <= 0 or matrix.d <= 0:
            raise Unsupported("rotated, skewed or mirrored text")
        font_size(obj, self.at_size)
        size = self.size.value
        handle = object_font(obj) or 0
        font = self.by_handle.get(handle)
        if font is None:
            font = self.by_handle[handle] = self._font(handle)
        fontname, descent, widths, glyph_key = font
        return (matrix.a, matrix.d, size, descent * size, fontname, widths,
                (handle, glyph_key))

    def _font(self, handle: int) -> tuple:
        """pdfminer's font name, descent and widths by text for pdfium's font handle, and the
        key its glyphs are kept by; raises Unsupported where pdfium would place them
        otherwise."""
        name = self._name(handle)
        fonts = self.fonts.get(name, ())
        for font in fonts:
            if id(font) not in self.checked:
                self.checked[id(font)] = unlike_pdfium(font)
                self.alive[id(font)] = font
            if self.checked[id(font)]:
                raise Unsupported(self.checked[id(font)])
        if len({(font.fontname, font.get_descent()) for font in fonts}) != 1:
            raise Unsupported(f"no one pdfminer font named {name!r}")
        key = (name, *sorted(id(font) for font in fonts))
        if key not in self.widths:  # the fonts of one name together: pdfium tells them apart
            self.widths[key] = merge_widths(widths_by_text(font) for font in fonts)
        glyph_key = ("document", id(fonts[0])) if len(fonts) == 1 else ("page", handle)
        return fonts[0].fontname, fonts[0].get_descent(), self.widths[key], glyph_key

    def glyphs_of(self, widths: dict, font: tuple) -> dict[str, tuple[str, float, float]]:
        """The glyphs of one reading known for a widths table and font (`_chars` adds)."""
        store = self.document_glyphs if font[1][0] == "document" else self.glyphs
        return store.setdefault((id(widths), font[1]), {})

    def pdfium_width(self, font: tuple, text: str, width: float) -> float:
        """pdfium's advance (text space) for a glyph pdfminer advances by width: pdfium places
        the glyphs after it by its own widths, which may differ (a standard font's nbspace).
        font is pdfium's font handle and its glyph key."""
        if len(text) != 1:  # a ligature: pdfium has no width by text for it
            return width
        store = self.document_advances if font[1][0] == "document" else self.advances
        key = (font[1], text)
        found = store.get(key)
        if found is not None:
            return found
        width_1000 = ctypes.c_float()
        if not glyph_width(font[0], ord(text), 1000.0, ctypes.addressof(width_1000)):
            raise Unsupported(f"pdfium gives no width for {text!r}")
        found = store[key] = width_1000.value / 1000
        return found

    def _name(self, font: int) -> str:
        if font not in self.names:
            length = base_font_name(font, None, 0)
            buffer = ctypes.create_string_buffer(length)
            base_font_name(font, ctypes.addressof(buffer), length)
            self.names[font] = buffer.value.decode("utf-8", "replace")
        return self.names[font]


def _advance(text_page, index: int, x: float, scale_x: float, size: float,
             widths: set[float]) -> float:
    """Of several widths a text may have, the one pdfium drew. Its loose box holds the
    advance, so a wider width is ruled out; of the rest, the one that ends where the box ends
    (a glyph inside its advance, or a space), when only one is left or only one ends there."""
    loose = raw.FS_RECTF()
    raw.FPDFText_GetLooseCharBox(text_page, index, loose)
    ends = [(x + scale_x * width * size, width) for width in widths]
    possible = [(end, width) for end, width in ends if end <= loose.right + _EPSILON_PT]
    exact = [width for end, width in possible if abs(end - loose.right) <= _EPSILON_PT]
    if len(possible) == 1:
        return possible[0][1]
    if len(exact) == 1:
        return exact[0]
    raise Unsupported("glyphs of different widths print the same text")


def _glyph(text_page, index: int, x: float, scale_x: float, size: float,
           candidates: tuple[tuple[str, float], ...], text: str) -> tuple[str, float]:
    """pdfminer's text and advance width for what pdfium read."""
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise Unsupported(f"{text!r} is no text pdfminer reads in this font")
    width = _advance(text_page, index, x, scale_x, size, {w for _, w in candidates})
    texts = {t for t, w in candidates if w == width}
    if len(texts) != 1:
        raise Unsupported(f"{text!r} is printed by glyphs pdfminer reads differently")
    return texts.pop(), width


def _may_continue(last: tuple, x: float, y: float, em: float) -> bool:
    """Whether a text object starting at (x, y) may be drawn on from where pdfium ended the
    last one (a Tj after a Tj), rather than placed on its own (Td, Tm): same baseline, and
    starting at that end or up to two font sizes (character spacing) after it."""
    return abs(y - last[2]) <= _EPSILON_PT and last[1] - _EPSILON_PT <= x <= last[1] + 2 * em


def _pieces(text_page, objects: _Objects) -> tuple[list, list, list, list, list]:
    """(texts, origin xs, origin ys, objects, char indexes) of the glyphs, side by side, in
    pdfium's order: its generated spaces and line breaks left out, the characters of one
    glyph (a ligature) joined. Side by side rather than a list per glyph: fewer objects.

    pdfium is asked the same question of every character in one `map` over the page (the
    loop runs in C; origins are written into one buffer), not a Python loop of calls."""
    count = max(raw.FPDFText_CountChars(text_page), 0)
    page = address(text_page)
    indexes = range(count)
    chars = list(map(chr, map(get_unicode, repeat(page, count), indexes)))
    at = ctypes.create_string_buffer(16 * count)
    start = ctypes.addressof(at)
    deque(map(char_origin, repeat(page, count), indexes, range(start, start + 16 * count, 16),
              range(start + 8, start + 16 * count, 16)), maxlen=0)  # run, answers dropped
    # pdfium's single precision turns 590 into 590.000002: a position given to a tenth of a
    # millipoint, as content streams give them, is pdfminer's again. A float's value times
    # 1e4 is exact in a double, so rint (half to even) and the division are Python's
    # round(v, 4) to the bit.
    origins = (np.rint(np.frombuffer(at, dtype=np.float64) * 1e4) / 1e4).tolist()
    generated = [i for i in indexes if chars[i] in _GENERATED_CANDIDATES
                 and is_generated(page, i) == 1]
    skipped = set(generated)
    kept = [i for i in indexes if i not in skipped] if skipped else indexes
    if 1 in map(has_map_error, repeat(page, len(kept)), kept):
        raise Unsupported("a character without a Unicode mapping")
    keys = list(map(text_object_address, repeat(page, count), indexes))
    cache, get = objects.cache, objects.get
    texts: list[str] = []
    xs: list[float] = []
    ys: list[float] = []
    objs: list[tuple] = []
    at_index: list[int] = []
    last_x = last_y = last_key = None
    for index in kept:
        text, key = chars[index], keys[index] or 0
        x, y = origins[2 * index], origins[2 * index + 1]
        if key == last_key and last_x == x and last_y == y:
            texts[-1] += text
            continue
        described = cache.get(key)
        if described is None:
            described = get(page, index)
        texts.append(text)
        xs.append(x)
        ys.append(y)
        objs.append(described)
        at_index.append(index)
        last_x, last_y, last_key = x, y, key
    return texts, xs, ys, objs, at_index


def _glyph_of(objects: _Objects, text_page, index: int, x: float, scale_x: float, size: float,
              widths: dict, font: tuple, text: str) -> tuple[str, float, float, str]:
    """pdfminer's text and width, and pdfium's advance, of what pdfium read as text; and text
    again when that holds wherever the glyph stands (one candidate), else ""."""
    candidates = (widths.get(text, ()) if text not in _PDFIUM_ALIASES else tuple(
        {entry for alias in _PDFIUM_ALIASES[text] for entry in widths.get(alias, ())}))
    read, width = _glyph(text_page, index, x, scale_x, size, candidates, text)
    return read, width, objects.pdfium_width(font, read, width), (
        text if len(candidates) == 1 else "")


def _chars(text_page, page, fonts: dict[str, list], order: dict[int, int],
           shared: dict) -> list[dict]:
    """Every glyph of the text page as a pdfplumber char dict with pdfminer's box, in the
    content stream's order."""
    objects = _Objects(fonts, shared)
    texts, xs, ys, objs, indexes = _pieces(text_page, objects)
    try:  # stable: the glyphs of one object keep their order
        ranks = [order[described[0]] for described in objs]
    except KeyError as exc:
        raise Unsupported("a text object outside the page's objects") from exc
    placed = sorted(range(len(ranks)), key=ranks.__getitem__)
    read, starts, widths = _placed(objects, text_page, placed, texts, xs, ys, objs, indexes)
    return _boxes(page, read, starts, [ys[i] for i in placed], widths,
                  [objs[i] for i in placed])


def _placed(objects: _Objects, text_page, placed: list[int], texts: list[str],
            xs: list[float], ys: list[float], objs: list[tuple], indexes: list[int]
            ) -> tuple[list[str], list[float], list[float]]:
    """pdfminer's text, origin x and advance width of each glyph in stream order: pdfminer
    places a glyph after the one before by its own widths, pdfium by its own, so within a
    text object pdfminer's x runs ahead of pdfium's by what the widths differ."""
    read: list[str] = []
    starts: list[float] = []
    widths: list[float] = []
    shift, last = 0.0, None  # pdfminer's x minus pdfium's; (object, pdfium's end, baseline)
    known_here: dict = {}
    for i in placed:
        text, x, y, described = texts[i], xs[i], ys[i], objs[i]
        key, scale_x, _, size, _, _, glyph_widths, font = described
        if last is None or key != last[0]:
            if last is not None and shift and _may_continue(last, x, y, scale_x * size):
                raise Unsupported("text that may go on from a glyph pdfium advances differently")
            shift = 0.0
            # the glyphs of one reading whatever their position, by widths table and font
            known_here = objects.glyphs_of(glyph_widths, font)
        if "\ud800" <= text[-1] <= "\udfff":
            text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
        found = known_here.get(text)
        if found is None:
            text, width, advance, only = _glyph_of(objects, text_page, indexes[i], x, scale_x,
                                                   size, glyph_widths, font, text)
            if only:  # one reading whatever the position: the same for the next such glyph
                known_here[only] = (text, width, advance)
        else:
            text, width, advance = found
        last = (key, x + scale_x * advance * size, y)
        if shift:
            x += shift
        if width != advance:
            shift += scale_x * (width - advance) * size
        read.append(text)
        starts.append(x)
        widths.append(width)
    return read, starts, widths


def _boxes(page, texts: list[str], xs: list[float], ys: list[float], widths: list[float],
           objs: list[tuple]) -> list[dict]:
    """pdfminer's box of each glyph, (0, descent) to (advance, descent + size) in text space,
    through the page matrix, as char dicts: the arithmetic of pdfminer's LTChar and
    pdfplumber's char, operation for operation in the same order (so to the bit), done on
    whole columns."""
    a, b, c, d, e, f = page_ctm(page)
    mb_x0, mb_top = page.mediabox[0], page.mediabox[1]
    height, doctop = page.height, page.initial_doctop
    upright = a * d > 0 and b * c <= 0
    if not texts:
        return []
    x = np.array(xs, dtype=np.float64)
    y = np.array(ys, dtype=np.float64)
    width = np.array(widths, dtype=np.float64)
    scale_x, scale_y, size, descent = (np.array([o[k] for o in objs], dtype=np.float64)
                                       for k in (1, 2, 3, 4))
    ux1 = x + scale_x * width * size
    uy0, uy1 = y + scale_y * descent, y + scale_y * (descent + size)
    px0, py0 = a * x + c * uy0 + e, b * x + d * uy0 + f
    px1, py1 = a * ux1 + c * uy1 + e, b * ux1 + d * uy1 + f
    # min() and max() of two, as the builtins pick them (the first of equals)
    y0, y1 = np.where(py1 < py0, py1, py0), np.where(py1 > py0, py1, py0)
    top = height - y1 + mb_top
    columns = (
        (y1 - y0).tolist(), (np.where(px1 < px0, px1, px0) + mb_x0).tolist(),
        (np.where(px1 > px0, px1, px0) + mb_x0).tolist(), top.tolist(),
        (height - y0 + mb_top).tolist(), (doctop + top).tolist())
    return [{"text": text, "fontname": o[5], "size": s, "x0": x0, "x1": x1, "top": t,
             "bottom": bottom, "doctop": dt, "upright": upright}
            for text, o, s, x0, x1, t, bottom, dt in zip(texts, objs, *columns, strict=True)]
