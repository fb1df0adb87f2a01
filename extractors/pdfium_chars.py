"""Glyphs from pdfium: a page's characters as `pdf.page_to_chars` reads them, as columns.

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

from collections.abc import Callable
from operator import eq
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as raw

from extractors.glyphs import Glyphs
from extractors.pdfium_objects import TextObjects, Unsupported
from extractors.pdfium_page import page_ctm, page_fonts, stream_order
from extractors.pdfium_pieces import Pieces, pieces

Chars = tuple[list[dict], int]
_EPSILON_PT = 0.01  # pdfium's single precision, with room to spare
# What pdfium may print for a glyph pdfminer reads as one of these: U+0002 for a hyphen it
# takes for a word break, a minus sign for an en dash between numbers.
_PDFIUM_ALIASES = {"\x02": ("-", "\xad", "\u2010"), "\u2212": ("\u2212", "\u2013", "-")}


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
        """The page's chars as dicts (`page_to_chars`' form)."""
        glyphs, images = self.glyphs(page)
        return (glyphs.to_dicts() if isinstance(glyphs, Glyphs) else glyphs), images

    def glyphs(self, page) -> tuple[Glyphs | list[dict], int]:
        """The page's glyphs as columns, or the fallback's char dicts."""
        try:
            return self.read(page)
        except _FALL_BACK:  # pdfminer then reads the page, or reports what is wrong with it
            self.fallback_pages.append(page.page_number)
            return self.fallback(page)

    def read(self, page) -> tuple[Glyphs, int]:
        """The page's glyphs from pdfium; raises Unsupported where they would not be
        pdfminer's."""
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


def _glyph_of(objects: TextObjects, text_page, index: int, x: float, scale_x: float, size: float,
              widths: dict, font: tuple, text: str) -> tuple[str, float, float, str]:
    """pdfminer's text and width, and pdfium's advance, of what pdfium read as text; and text
    again when that holds wherever the glyph stands (one candidate), else ""."""
    candidates = (widths.get(text, ()) if text not in _PDFIUM_ALIASES else tuple(
        {entry for alias in _PDFIUM_ALIASES[text] for entry in widths.get(alias, ())}))
    read, width = _glyph(text_page, index, x, scale_x, size, candidates, text)
    return read, width, objects.pdfium_width(font, read, width), (
        text if len(candidates) == 1 else "")


def _chars(text_page, page, fonts: dict[str, list], order: dict[int, int],
           shared: dict) -> Glyphs:
    """Every glyph of the text page with pdfminer's box, in the content stream's order."""
    objects = TextObjects(fonts, shared)
    found = pieces(text_page, objects)
    try:  # stable: the glyphs of one object keep their order
        ranks = np.array([order[described[0]] for described in found.objects], dtype=np.int64)
    except KeyError as exc:
        raise Unsupported("a text object outside the page's objects") from exc
    placed = np.argsort(ranks[found.object], kind="stable")
    read, starts, widths = _placed(objects, text_page, found, placed)
    return _boxes(page, read, starts, found.ys[placed], widths, found.objects,
                  found.object[placed])


def _runs(objs: np.ndarray) -> list[tuple[int, int, int]]:
    """(start, end, object) of each run of glyphs of one object."""
    if not len(objs):
        return []
    cuts = np.flatnonzero(objs[1:] != objs[:-1]) + 1
    begins = [0, *cuts.tolist()]
    ends = [*cuts.tolist(), len(objs)]
    return list(zip(begins, ends, objs[begins].tolist(), strict=True))


def _placed(objects: TextObjects, text_page, found: Pieces, placed: np.ndarray
            ) -> tuple[list[str], list[float], list[float]]:
    """pdfminer's text, origin x and advance width of each glyph in stream order: pdfminer
    places a glyph after the one before by its own widths, pdfium by its own, so within a
    text object pdfminer's x runs ahead of pdfium's by what the widths differ."""
    texts = [found.texts[i] for i in placed.tolist()]
    xs, ys = found.xs[placed].tolist(), found.ys[placed].tolist()
    indexes = found.indexes[placed].tolist()
    read: list[str] = []
    starts: list[float] = []
    widths: list[float] = []
    last = None  # (object, pdfium's end, baseline) of the glyph before
    shift = 0.0  # pdfminer's x minus pdfium's
    for begin, end, obj in _runs(found.object[placed]):
        key, scale_x, _, size, _, _, glyph_widths, font = found.objects[obj]
        x, y = xs[begin], ys[begin]
        if last is not None and shift and _may_continue(last, x, y, scale_x * size):
            raise Unsupported("text that may go on from a glyph pdfium advances differently")
        # the glyphs of one reading whatever their position, by widths table and font
        known_here = objects.glyphs_of(glyph_widths, font)
        entries = list(map(known_here.get, texts[begin:end]))
        run_widths = [entry[1] for entry in entries] if None not in entries else None
        if run_widths is not None and all(map(eq, run_widths, [e[2] for e in entries])):
            # every glyph known and advanced alike by both: pdfium's places are pdfminer's
            read += [entry[0] for entry in entries]
            widths += run_widths
            starts += xs[begin:end]
            shift, advance = 0.0, entries[-1][2]
        else:
            shift, advance = _run(objects, text_page, known_here, found.objects[obj],
                                  texts[begin:end], xs[begin:end], indexes[begin:end],
                                  (read, starts, widths))
        last = (key, xs[end - 1] + scale_x * advance * size, ys[end - 1])
    return read, starts, widths


def _run(objects: TextObjects, text_page, known_here: dict, described: tuple,
         texts: list[str], xs: list[float], indexes: list[int], out: tuple[list, list, list]
         ) -> tuple[float, float]:
    """`_placed` for the glyphs of one run of a text object, glyph by glyph: each glyph's
    text, x and width added to out; the shift at its end and the last glyph's advance."""
    read, starts, widths = out
    _, scale_x, _, size, _, _, glyph_widths, font = described
    shift = 0.0
    for text, x, index in zip(texts, xs, indexes, strict=True):
        if "\ud800" <= text[-1] <= "\udfff":
            text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
        entry = known_here.get(text)
        if entry is None:
            text, width, advance, only = _glyph_of(objects, text_page, index, x, scale_x,
                                                   size, glyph_widths, font, text)
            if only:  # one reading whatever the position: the same for the next such glyph
                known_here[only] = (text, width, advance)
        else:
            text, width, advance = entry
        read.append(text)
        widths.append(width)
        if shift:
            starts.append(x + shift)
        else:
            starts.append(x)
        if width != advance:
            shift += scale_x * (width - advance) * size
    return shift, advance


def _boxes(page, texts: list[str], xs: list[float], ys: np.ndarray, widths: list[float],
           described: list[tuple], objs: np.ndarray) -> Glyphs:
    """pdfminer's box of each glyph, (0, descent) to (advance, descent + size) in text space,
    through the page matrix: the arithmetic of pdfminer's LTChar and pdfplumber's char,
    operation for operation in the same order (so to the bit), done on whole columns."""
    a, b, c, d, e, f = page_ctm(page)
    mb_x0, mb_top = page.mediabox[0], page.mediabox[1]
    height, doctop = page.height, page.initial_doctop
    upright = a * d > 0 and b * c <= 0
    x = np.array(xs, dtype=np.float64)
    y = ys
    width = np.array(widths, dtype=np.float64)
    scale_x, scale_y, size, descent = (
        np.array([o[k] for o in described], dtype=np.float64).reshape(-1)[objs]
        for k in (1, 2, 3, 4))
    ux1 = x + scale_x * width * size
    uy0, uy1 = y + scale_y * descent, y + scale_y * (descent + size)
    px0, py0 = a * x + c * uy0 + e, b * x + d * uy0 + f
    px1, py1 = a * ux1 + c * uy1 + e, b * ux1 + d * uy1 + f
    # min() and max() of two, as the builtins pick them (the first of equals)
    y0, y1 = np.where(py1 < py0, py1, py0), np.where(py1 > py0, py1, py0)
    top = height - y1 + mb_top
    return Glyphs(texts, objs, [o[5] for o in described], y1 - y0,
                  np.where(px1 < px0, px1, px0) + mb_x0, np.where(px1 > px0, px1, px0) + mb_x0,
                  top, height - y0 + mb_top, doctop + top, upright)
