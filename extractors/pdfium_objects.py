"""What one text object of a pdfium text page tells (extractors/pdfium_chars.py): its matrix,
font size and pdfminer's font, looked up once per object and per font, and pdfium's advance
of a glyph, once per font and text."""

from __future__ import annotations

import ctypes

import pypdfium2.raw as raw

from extractors.pdfium_page import (
    base_font_name,
    font_size,
    get_matrix,
    glyph_width,
    merge_widths,
    object_font,
    text_object_address,
    unlike_pdfium,
    widths_by_text,
)


class Unsupported(Exception):
    """A page whose glyphs pdfium cannot give as pdfminer would: read it with the fallback."""




class TextObjects:
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

    def get(self, page: int, index: int, key: int | None = None) -> tuple:
        """The description of the text object of the character at index (page: the text
        page's address; key: the object's address, where known)."""
        if key is None:
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


