"""A table found in a PDF's lines (extractors/layout.py): its title, header band, body lines
over pages, and what is known of it so far; and the marks by which a repeated header says the
table goes on from the previous page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractors.cells import Frame, Placed, table_frame
from extractors.column_finder import ColumnFinder
from extractors.columns import Columns
from extractors.lines import Line, Phrase, line_kind
from extractors.rows import collapse

# How a repeated header or title says the table goes on from the previous page.
CONTINUATION_MARKS = ("(forts.)", "(forts)", "forts.", "(fortsättning)", "fortsättning",
                      "(cont.)", "(continued)")
_MARKS_RE = re.compile("|".join(re.escape(m) for m in CONTINUATION_MARKS), re.IGNORECASE)


def without_continuation(text: str) -> str:
    """Text with every continuation mark removed, whitespace collapsed, case-folded."""
    return collapse(_MARKS_RE.sub(" ", text)).casefold()


@dataclass
class PdfTable:
    """A table found in the page lines: title, header band and body lines (over pages)."""

    title: str
    band: list[Line]
    body: list[Line] = field(default_factory=list)
    closed: bool = False
    stray_header: list[Phrase] = field(default_factory=list)  # header text over no column
    labels: set[str] = field(default_factory=set)  # codes (or names) of its rows so far
    named: bool = False  # its rows print names without codes
    repeats: list[list[Line]] = field(default_factory=list)  # its header repeated on later pages
    groups: list[list[Placed]] | None = None  # its body cut into rows (extractors/cells.py)
    _columns: tuple[tuple[int, float], Columns] | None = field(default=None, repr=False)
    _frame: tuple[tuple[int, float], Frame] | None = field(default=None, repr=False)
    _finder: ColumnFinder | None = field(default=None, repr=False)

    def columns(self, tol: float) -> Columns:
        """The amount columns of its body so far (`find_columns`), found again only when the
        body grew (lines are only ever added to it, or cut away by `forget_columns`), and
        then from the lines added (extractors/column_finder.py)."""
        if self._columns is None or self._columns[0] != (len(self.body), tol):
            if self._finder is None or self._finder.tol != tol:
                self._finder = ColumnFinder(tol)
            self._columns = ((len(self.body), tol), self._finder.columns(self.body))
        return self._columns[1]

    def frame(self, tol: float) -> Frame:
        """Where its labels and amount columns are, from its body so far."""
        if self._frame is None or self._frame[0] != (len(self.body), tol):
            columns = self.columns(tol)
            coded = self._finder.coded if self._finder is not None else None
            self._frame = ((len(self.body), tol), table_frame(self.body, columns, self.named,
                                                              tol, self.band, coded))
        return self._frame[1]

    def forget_columns(self) -> None:
        """Drop the columns and frame found, after lines were taken out of the body."""
        self._columns = self._frame = self._finder = None

    @property
    def row_kinds(self) -> tuple[str, ...]:
        """The line kinds that are rows of their own in this table (a table of codes takes a
        line by name for a piece of the row above)."""
        return ("named", "total", "subtotal") if self.named else ("data", "total", "subtotal")

    @property
    def rows(self) -> list[Line]:
        """Its body lines that are rows of their own (not wrapped or cut-off pieces)."""
        kinds = self.row_kinds
        return [ln for ln in self.body if line_kind(ln) in kinds]

    def last_row(self) -> Line:
        """`rows[-1]` without making the list (IndexError when it has none)."""
        kinds = self.row_kinds
        for line in reversed(self.body):
            if line_kind(line) in kinds:
                return line
        raise IndexError("a table without rows")

    @property
    def band_text(self) -> str:
        return " ".join(line.text for line in self.band)
