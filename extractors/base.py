"""The small interface every format module shares, and the normalized table schema.

A format module (``extractors/pdf.py``, ``extractors/word.py``, ...) exposes two functions:

    detect(path: Path) -> bool
    extract(path: Path, settings: ExtractSettings = ExtractSettings()) -> Extraction

``extract`` raises :class:`extractors.errors.UnreadableDocumentError` when the file cannot be read
at all; anything smaller (a cell that does not parse, a row cut off at a page break) is a
:class:`Problem` in the result, never a silently dropped value.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Protocol

import polars as pl

from extractors.errors import SettingsError
from model import Problem

# One row per amount printed in an allocation table (long form). The contract's
# allocations.csv adds scb_code and scb_name, which the pipeline resolves.
ALLOCATION_SCHEMA: dict[str, pl.DataType] = {
    "source_file": pl.String,
    "source_format": pl.String,  # "pdf", "docx", "html", "txt"
    "page": pl.Int64,  # 1-based PDF page; for DOCX the 1-based table number
    "table": pl.String,  # "region", "kommun" or "lan"
    "table_index": pl.Int64,  # 0-based table in the document, in reading order (a table
    # stitched over pages is one); tells apart two tables of the same kind
    "row_kind": pl.String,  # "recipient", "total" or "subtotal" (extractors/roles.py)
    "row_index": pl.Int64,  # 0-based row within the stitched table (header rows excluded)
    "code": pl.String,  # as printed, "" when none
    "name_raw": pl.String,  # as printed, whitespace collapsed
    "measure": pl.String,  # column header as printed, whitespace collapsed
    "unit": pl.String,  # printed unit of the amount: "kr", "tkr", "Mkr"
    "amount_sek": pl.Int64,  # whole kronor
    "x0": pl.Float64,  # PDF cell bounding box in points (null for other formats)
    "top": pl.Float64,
    "x1": pl.Float64,
    "bottom": pl.Float64,
    "unit_step": pl.Int64,  # kronor per last printed digit: 1 000 000 for "2 111" Mkr, 100 000
    # for "145,8" Mkr; bounds are half of it (null: the unit's own size)
    "column_role": pl.String,  # "row_total" for the column that is each row's total (found by
    # its sums or its header, extractors/roles.py), "part" for the other money columns; null
    # when a frame was built without the readers
    "mark": pl.String,  # a footnote mark printed after the amount ("*", "¹"), else null
}

# One row per printed number that is not money (population, share in %, count), with the same
# provenance columns as the allocation rows; ``decimals`` is the printed precision.
ATTRIBUTE_SCHEMA: dict[str, pl.DataType] = {
    "source_file": pl.String,
    "source_format": pl.String,
    "page": pl.Int64,
    "table": pl.String,
    "table_index": pl.Int64,
    "row_kind": pl.String,
    "row_index": pl.Int64,
    "code": pl.String,
    "name_raw": pl.String,
    "measure": pl.String,
    "kind": pl.String,  # "population", "share_percent" or "count"
    "value": pl.Float64,
    "decimals": pl.Int64,
    "mark": pl.String,  # a footnote mark printed after the number, else null
}
ATTRIBUTE_KINDS = ("population", "share_percent", "count")

TABLE_KINDS = ("region", "kommun", "lan")
TOTAL_MEASURE = "Totalt belopp"

# The page a reader is reading (1-based; None between pages and for formats without pages), so
# that what a library warns while it reads can be reported for that page.
READING_PAGE: ContextVar[int | None] = ContextVar("reading_page", default=None)

DEFAULT_MAX_PAGES = 2000
DEFAULT_MAX_PAGE_SIDE_PT = 14_400.0  # PDF's own limit for a page side (200 inches)
DEFAULT_MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # DOCX/XLSX zip members, all together
DEFAULT_MAX_FILE_BYTES = 100 * 1024 * 1024
DEFAULT_MAX_ZIP_MEMBERS = 1000  # a DOCX holds a few dozen parts
# A Word table of a decision has a row per recipient (290 kommuner) and a dozen columns at most:
# 4 000 rows or 60 000 grid cells is more than ten times that. The whole document body holds at
# most 200 000 cells. Counted on the XML as it streams by, so a larger table is refused before
# it is built (a 5 000 x 50 table took 1.3 GB to read).
DEFAULT_MAX_DOCX_TABLE_ROWS = 4_000
DEFAULT_MAX_DOCX_TABLE_CELLS = 60_000
DEFAULT_MAX_DOCX_CELLS = 200_000
# Reading one document takes seconds (the 290-row kommun annex ~5 s on one core); beyond this it
# is refused as stuck (a PDF whose references form a loop). 0 turns the watchdog off.
DEFAULT_MAX_SECONDS_PER_DOCUMENT = 120.0
# What the HTML and text readers take, far beyond any real decision page (the 2024 annex as
# HTML is ~0.1 MB with ~1 000 table cells and ~2 000 elements) and low enough that reading a
# page within them stays well under 1 GB of memory (tests/test_hostile_text_limits.py).
DEFAULT_MAX_TEXT_BYTES = 16 * 1024 * 1024  # an HTML, TXT or MD file
DEFAULT_MAX_DOM_NODES = 200_000  # elements of one HTML page
DEFAULT_MAX_TABLE_CELLS = 50_000  # table cells of one HTML page or text file, all tables
DEFAULT_MAX_TABLE_ROWS = 10_000  # table rows of one document (290 kommuner is the most)
DEFAULT_MAX_TEXT_LINES = 200_000  # lines of a TXT or MD file
DEFAULT_MAX_LINE_BYTES = 1024 * 1024  # characters of one line of a TXT or MD file
# The largest amount a cell may print, in kronor: 10^15 kr is several hundred times the
# Swedish state budget (~1.3 * 10^12 kr), so a cell beyond it is a misprint or a hostile file;
# it is an `implausible_amount` error, not a number the sums take in.
DEFAULT_MAX_AMOUNT_SEK = 10**15
# What a document's amounts may add up to (in absolute value), so no sum of them, nor a
# difference of two such sums, leaves the signed 64-bit integers the frames hold (2^63 - 1).
MAX_AMOUNTS_TOTAL_SEK = 2**61
# Who reads a PDF page's glyphs: "pdfminer" (through pdfplumber, the reference) or "pdfium"
# (pypdfium2, the same char dicts several times faster; extractors/pdfium_chars.py).
GLYPH_SOURCES = ("pdfminer", "pdfium")
DEFAULT_GLYPH_SOURCE = "pdfium"

# Tolerances of the PDF table reconstruction (extractors/layout.py), in font sizes or points.
DEFAULT_PHRASE_GAP_EM = 0.75  # a gap wider than this many font sizes separates two cells
# (a monospaced font's space is 0.6 of its size)
DEFAULT_HEADER_GAP_EM = 0.6  # header lines closer than this (white space, in font sizes) join
DEFAULT_ANCHOR_TOLERANCE_PT = 2.5  # edges within this distance form one amount column
DEFAULT_LINE_TOLERANCE_EM = 0.5  # words whose middles differ by less than this share a line
DEFAULT_FURNITURE_TOLERANCE_PT = 2.0  # a line repeated this close on other pages is furniture
DEFAULT_WRAP_GAP_EM = 0.6  # a cell's next line starts within this white space below its last
DEFAULT_CELL_GAP_SPACES = 1.6  # a header gap this many times the page's word space (between
# words with letters, when the page shows enough of them) separates two cells, however narrow


@dataclass(frozen=True)
class LayoutSettings:
    """Tolerances of the PDF table reconstruction; every field has a DEFAULT_* constant and
    is set for a run through ``ExtractSettings.layout``."""

    phrase_gap_em: float = DEFAULT_PHRASE_GAP_EM
    header_gap_em: float = DEFAULT_HEADER_GAP_EM
    anchor_tolerance_pt: float = DEFAULT_ANCHOR_TOLERANCE_PT
    line_tolerance_em: float = DEFAULT_LINE_TOLERANCE_EM
    furniture_tolerance_pt: float = DEFAULT_FURNITURE_TOLERANCE_PT
    wrap_gap_em: float = DEFAULT_WRAP_GAP_EM
    cell_gap_spaces: float = DEFAULT_CELL_GAP_SPACES

    def __post_init__(self) -> None:
        for name in ("phrase_gap_em", "header_gap_em", "anchor_tolerance_pt",
                     "line_tolerance_em", "furniture_tolerance_pt", "wrap_gap_em",
                     "cell_gap_spaces"):
            value = getattr(self, name)
            if not isinstance(value, int | float) or not 0 < value < 100:
                raise SettingsError(f"{name} must be a positive number below 100, got {value!r}")


@dataclass(frozen=True)
class ExtractSettings:
    """Limits and tolerances of the readers; every field has a DEFAULT_* constant."""

    max_pages: int = DEFAULT_MAX_PAGES
    max_page_side_pt: float = DEFAULT_MAX_PAGE_SIDE_PT
    max_unpacked_bytes: int = DEFAULT_MAX_UNPACKED_BYTES
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    max_zip_members: int = DEFAULT_MAX_ZIP_MEMBERS
    max_docx_table_rows: int = DEFAULT_MAX_DOCX_TABLE_ROWS
    max_docx_table_cells: int = DEFAULT_MAX_DOCX_TABLE_CELLS
    max_docx_cells: int = DEFAULT_MAX_DOCX_CELLS
    max_seconds_per_document: float = DEFAULT_MAX_SECONDS_PER_DOCUMENT
    max_amount_sek: int = DEFAULT_MAX_AMOUNT_SEK
    max_text_bytes: int = DEFAULT_MAX_TEXT_BYTES
    max_dom_nodes: int = DEFAULT_MAX_DOM_NODES
    max_table_cells: int = DEFAULT_MAX_TABLE_CELLS
    max_table_rows: int = DEFAULT_MAX_TABLE_ROWS
    max_text_lines: int = DEFAULT_MAX_TEXT_LINES
    max_line_bytes: int = DEFAULT_MAX_LINE_BYTES
    glyph_source: str = DEFAULT_GLYPH_SOURCE
    layout: LayoutSettings = field(default_factory=LayoutSettings)

    def __post_init__(self) -> None:
        if not isinstance(self.layout, LayoutSettings):
            raise SettingsError(f"layout must be a LayoutSettings, got {self.layout!r}")
        for name in ("max_pages", "max_page_side_pt", "max_unpacked_bytes", "max_file_bytes",
                     "max_zip_members", "max_docx_table_rows", "max_docx_table_cells",
                     "max_docx_cells", "max_text_bytes", "max_dom_nodes", "max_table_cells",
                     "max_table_rows", "max_text_lines", "max_line_bytes"):
            if getattr(self, name) <= 0:
                raise SettingsError(f"{name} must be positive, got {getattr(self, name)!r}")
        if not isinstance(self.max_amount_sek, int) or not (
                0 < self.max_amount_sek <= MAX_AMOUNTS_TOTAL_SEK):
            raise SettingsError(f"max_amount_sek must be a whole number of kronor from 1 to "
                                f"{MAX_AMOUNTS_TOTAL_SEK}, got {self.max_amount_sek!r}")
        if self.max_seconds_per_document < 0:
            raise SettingsError("max_seconds_per_document must be 0 (off) or positive, got "
                                f"{self.max_seconds_per_document!r}")
        if self.glyph_source not in GLYPH_SOURCES:
            raise SettingsError(f"glyph_source must be one of {', '.join(GLYPH_SOURCES)}, "
                                f"got {self.glyph_source!r}")


@dataclass(frozen=True)
class TextBlock:
    """A paragraph, table row or sentence of running text, with where it was printed."""

    text: str
    page: int | None  # PDF page (1-based); None for formats without pages
    kind: str = "paragraph"  # "paragraph", "table_row", "heading"


@dataclass(frozen=True)
class TableInfo:
    """One table a reader found: what it is, how many rows and columns, and whether its
    amounts are reconciled ("reconciled") or it holds no money ("not_reconciled")."""

    source_file: str
    page: int | None
    kind: str | None  # "region", "kommun", "lan", or None when no recipient kind was found
    title: str
    status: str  # "reconciled" or "not_reconciled"
    reason: str  # one sentence: why it is not reconciled, or what it covers
    recipient_rows: int = 0
    has_total_row: bool = False
    amount_measures: tuple[str, ...] = ()
    other_measures: tuple[str, ...] = ()  # "Andel (share_percent)", ...
    table_index: int | None = None  # the table_index of its rows (0-based, in reading order)
    row_total: str | None = None  # the measure of its row-total column, if it has one

    def to_dict(self) -> dict:
        return asdict(self)


BLOCK_FATES = ("table", "statements", "text", "unread")


@dataclass(frozen=True)
class BlockInfo:
    """One table-like block that prints money (a PDF table band, a DOCX/HTML/Markdown table, a
    list of name–amount lines) and its fate: "table" (read as allocation table
    ``table_index``), "text" (handed to the text readers; the pipeline settles it as
    "statements" when its amounts were reconciled as stated amounts, else "unread"), or
    "unread"; ``reason`` says why in one sentence."""

    source_file: str
    page: int | None  # PDF page; the 1-based table number for DOCX, HTML and Markdown tables
    shape: str  # "pdf_table", "table", "list"
    fate: str  # one of BLOCK_FATES
    reason: str
    table_index: int | None = None  # the allocation table it was read as (0-based)
    first_rows: tuple[str, ...] = ()  # its first rows as printed, cells joined by " | "
    amounts: tuple[str, ...] = ()  # every amount it prints, as printed
    amount_sum_sek: int = 0  # the sum of those amounts in kronor
    rows: int = 0
    title: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Extraction:
    """What one document yields: allocation rows, running text, metadata and problems."""

    source_file: str
    source_format: str
    allocations: pl.DataFrame = field(default_factory=lambda: empty_allocations())
    text: list[TextBlock] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    pages: int = 0
    attributes: pl.DataFrame = field(default_factory=lambda: empty_attributes())
    tables: list[TableInfo] = field(default_factory=list)
    blocks: list[BlockInfo] = field(default_factory=list)  # every block with money, its fate
    # every money-shaped number printed, read the plain way (extractors/tally.py)
    tally: list = field(default_factory=list)
    pictures: list = field(default_factory=list)  # pictures drawn, extractors/tally.Picture
    # name–amount lists whose names tell no kind by their form (extractors/name_lists.NameList):
    # read as tables by the pipeline where the names resolve (pipeline/name_lists.py)
    lists: list = field(default_factory=list)


class Extractor(Protocol):
    """The interface of a format module."""

    FORMAT: str

    def detect(self, path: Path) -> bool: ...

    def extract(self, path: Path, settings: ExtractSettings = ...) -> Extraction: ...


def empty_allocations() -> pl.DataFrame:
    """An allocation frame with the schema and no rows."""
    return pl.DataFrame(schema=ALLOCATION_SCHEMA)


def allocations_frame(rows: list[dict]) -> pl.DataFrame:
    """Build an allocation frame from row dicts, filling missing optional columns with null."""
    return _frame(rows, ALLOCATION_SCHEMA)


def empty_attributes() -> pl.DataFrame:
    """An attribute frame (numbers that are not money) with the schema and no rows."""
    return pl.DataFrame(schema=ATTRIBUTE_SCHEMA)


def attributes_frame(rows: list[dict]) -> pl.DataFrame:
    """Build an attribute frame from row dicts, filling missing columns with null."""
    return _frame(rows, ATTRIBUTE_SCHEMA)


def _frame(rows: list[dict], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    if not rows:
        return pl.DataFrame(schema=schema)
    return pl.DataFrame(
        [{name: row.get(name) for name in schema} for row in rows], schema=schema, orient="row"
    )
