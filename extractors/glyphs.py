"""A page's glyphs as columns: one numpy array per attribute rather than one dict per glyph.

pdfium's reader (extractors/pdfium_chars.py) gives them so, and the steps from glyphs to
words (raised marks, doubles, clipped letters, words: extractors/pdf.py `pdf_to_words`) work
on the columns; `to_dicts` gives the same glyphs as the char dicts `pdf.page_to_chars`
builds, for the steps' dict forms (tests/test_glyph_columns.py compares the two).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

_COLUMNS = ("size", "x0", "x1", "top", "bottom", "doctop")


@dataclass
class Glyphs:
    """Glyphs in the content stream's order: text, font (an index into fontnames), size and
    box (pdfplumber's char keys), and the page's one upright."""

    texts: list[str]
    fonts: np.ndarray
    fontnames: list[str]
    size: np.ndarray
    x0: np.ndarray
    x1: np.ndarray
    top: np.ndarray
    bottom: np.ndarray
    doctop: np.ndarray
    upright: bool
    _ids: tuple | None = field(default=None, repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.texts)

    def to_dicts(self) -> list[dict]:
        """The glyphs as pdfplumber char dicts, keys in `page_to_chars`' order."""
        names, upright = self.fontnames, self.upright
        return [{"text": text, "fontname": names[font], "size": s, "x0": x0, "x1": x1,
                 "top": t, "bottom": bottom, "doctop": dt, "upright": upright}
                for text, font, s, x0, x1, t, bottom, dt in zip(
                    self.texts, self.fonts.tolist(), *(getattr(self, c).tolist()
                                                        for c in _COLUMNS), strict=True)]

    def take(self, keep: np.ndarray) -> Glyphs:
        """The glyphs at the indexes keep (increasing), in their order."""
        indexes = keep.tolist()
        texts = self.texts
        ids = None if self._ids is None else (self._ids[0][keep], self._ids[1])
        return Glyphs([texts[i] for i in indexes], self.fonts[keep], self.fontnames,
                      *(getattr(self, c)[keep] for c in _COLUMNS), self.upright, ids)

    def replaced(self, chars: dict[int, dict]) -> Glyphs:
        """The glyphs with those at the indexes given replaced by these char dicts (of the
        same font)."""
        if not chars:
            return self
        texts = list(self.texts)
        columns = {c: getattr(self, c).copy() for c in _COLUMNS}
        for index, char in chars.items():
            texts[index] = char["text"]
            for name, column in columns.items():
                column[index] = char[name]
        return Glyphs(texts, self.fonts, self.fontnames, *columns.values(), self.upright)

    def text_ids(self) -> tuple[np.ndarray, list[str]]:
        """Each glyph's text as an index into the page's distinct texts, and those texts."""
        if self._ids is None:
            index: dict[str, int] = {}
            ids = np.fromiter((index.setdefault(t, len(index)) for t in self.texts),
                              dtype=np.int64, count=len(self.texts))
            self._ids = (ids, list(index))
        return self._ids

    def text_flags(self, test) -> np.ndarray:
        """test(text) of each glyph, asked once per distinct text."""
        ids, distinct = self.text_ids()
        flags = np.fromiter(map(test, distinct), dtype=bool, count=len(distinct))
        return flags[ids]

    def exact(self) -> bool:
        """Whether numpy's min and max pick what Python's do on these columns: every value
        finite and no negative zero (min(0.0, -0.0) is the first of the two in Python)."""
        for column in (self.x0, self.x1, self.top, self.bottom, self.doctop, self.size):
            if not np.isfinite(column).all() or (np.signbit(column) & (column == 0)).any():
                return False
        return True
