"""Plain text and Markdown reader: paragraphs as text blocks, pipe tables as allocation tables.

Paragraphs are separated by blank lines. Lines that start and end with ``|`` form a Markdown
pipe table: its ``| --- |`` separator line is skipped, every other line is a row of cells
(``page`` is the 1-based table number, as for HTML). Tables go through the same grid code as
the other readers (`extractors/tables.py`); rows of tables that are no allocation tables go
back to the text.
"""

from __future__ import annotations

import re
from pathlib import Path

from extractors.base import (
    Extraction,
    ExtractSettings,
    TextBlock,
    allocations_frame,
    attributes_frame,
)
from extractors.decoding import decode_text, fallback_problem
from extractors.errors import DocumentTooLargeError
from extractors.fixed_width import text_table_rows
from extractors.flat_cells import holds_flat_table
from extractors.grid_reading import grid_to_reading
from extractors.limits import check_file, check_text_file, refuse_count
from extractors.metadata import text_to_metadata
from extractors.tables import (
    Cell,
    FrameContext,
    GridRow,
    collapse,
)

FORMAT = "txt"
SUFFIXES = (".txt", ".md", ".markdown", ".text")
DEFAULT_SETTINGS = ExtractSettings()
_HEADING_RE = re.compile(r"^#{1,6}\s+")
_SEPARATOR_RE = re.compile(r"^\|?(\s*:?-{3,}:?\s*\|)+\s*:?-*:?\s*$")
# A list item starts a block of its own, as in Markdown ("- ", "* ", "+ ", "1. ", "1) ").
_LIST_ITEM_RE = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)])\s+\S")
_ESCAPE_RE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|])")


def detect(path: Path) -> bool:
    """True for a .txt/.md file that holds text: UTF-8, UTF-16 with its byte order mark, or a
    single-byte encoding (no NUL byte), which `decode_text` reads as windows-1252."""
    if Path(path).suffix.lower() not in SUFFIXES:
        return False
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    return head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" not in head


def unescape(text: str) -> str:
    """Markdown text without its backslash escapes ("\\*" -> "*")."""
    return _ESCAPE_RE.sub(r"\1", text)


def text_to_blocks(text: str) -> list[TextBlock]:
    """Paragraphs separated by blank lines, whitespace collapsed; Markdown headings marked."""
    blocks = []
    for chunk in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        lines = [ln for ln in chunk.split("\n") if ln.strip()]
        if not lines:
            continue
        if len(lines) == 1 and _HEADING_RE.match(lines[0]):
            blocks.append(TextBlock(collapse(_HEADING_RE.sub("", lines[0])), None, "heading"))
        else:
            blocks.append(TextBlock(collapse(" ".join(lines)), None, "paragraph"))
    return blocks


def _is_table_line(line: str) -> bool:
    stripped = line.strip()
    return len(stripped) > 1 and stripped.startswith("|") and stripped.endswith("|")


def split_pipe_row(line: str) -> list[str]:
    """The cells of one pipe-table line, escapes removed ("| a | b |" -> ["a", "b"])."""
    inner = line.strip()[1:-1]
    cells = re.split(r"(?<!\\)\|", inner)
    return [collapse(unescape(c)) for c in cells]


class TooManyCells(Exception):
    """A text's pipe tables hold more cells or rows than the limits; `setting` names which."""

    def __init__(self, setting: str, count: int) -> None:
        super().__init__(setting)
        self.setting, self.count = setting, count


def _check_counts(cells: int, table_rows: int, settings: ExtractSettings) -> None:
    if cells > settings.max_table_cells:
        raise TooManyCells("max_table_cells", cells)
    if table_rows > settings.max_table_rows:
        raise TooManyCells("max_table_rows", table_rows)


def text_to_grid(text: str, settings: ExtractSettings = DEFAULT_SETTINGS
                 ) -> tuple[list[GridRow], dict[int, str]]:
    """Paragraphs as one-cell rows and table lines (pipe tables; lines of tabs or aligned
    columns, extractors/fixed_width.py) as rows of cells, in document order,
    with the text kind ("heading" or "paragraph") of each paragraph row; raises TooManyCells
    beyond max_table_cells or max_table_rows."""
    rows: list[GridRow] = []
    kinds: dict[int, str] = {}
    cells = table_rows = 0
    table_no = 0
    in_table = False
    for chunk in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        lines = [ln for ln in chunk.split("\n") if ln.strip()]
        aligned = None if any(_is_table_line(ln) for ln in lines) else text_table_rows(
            lines, table_no + 1, table_no + 1)
        if aligned is not None:  # a table of tabs or aligned columns (fixed_width.py)
            table_no += 1
            cells, table_rows = cells + sum(len(r.cells) for r in aligned), table_rows + len(
                aligned)
            _check_counts(cells, table_rows, settings)
            rows.extend(aligned)
            continue
        if holds_flat_table(lines):  # one cell per line (extractors/flat_cells.py)
            for line in lines:
                _add_paragraph(rows, kinds, [line])
            continue
        paragraph: list[str] = []
        for line in lines + [""]:
            if line and _is_table_line(line):
                if paragraph:
                    _add_paragraph(rows, kinds, paragraph)
                    paragraph = []
                if not in_table:
                    table_no += 1
                    in_table = True
                if not _SEPARATOR_RE.match(line.strip()):
                    row = [Cell(c) for c in split_pipe_row(line)]
                    cells, table_rows = cells + len(row), table_rows + 1
                    _check_counts(cells, table_rows, settings)
                    rows.append(GridRow(row, page=table_no, table_id=table_no))
            elif line:
                in_table = False
                if paragraph and _LIST_ITEM_RE.match(line):
                    _add_paragraph(rows, kinds, paragraph)
                    paragraph = []
                paragraph.append(line)
        if paragraph:
            _add_paragraph(rows, kinds, paragraph)
        in_table = False
    return rows, kinds


def check_lines(path: Path, raw: bytes, settings: ExtractSettings) -> None:
    """Refuse a text with more lines than max_text_lines or a line longer than
    max_line_bytes (counted in the file's bytes)."""
    lines = raw.count(b"\n") + 1
    if lines > settings.max_text_lines:
        raise refuse_count(path, "the text has too many lines", lines, "max_text_lines",
                           settings.max_text_lines)
    start = 0
    for number in range(1, lines + 1):
        end = raw.find(b"\n", start)
        end = len(raw) if end < 0 else end
        if end - start > settings.max_line_bytes:
            raise DocumentTooLargeError(
                str(path), f"line {number} is {end - start} bytes long, above max_line_bytes="
                f"{settings.max_line_bytes}; a text line of a decision is far shorter: check "
                "the file or raise the limit")
        start = end + 1


def _add_paragraph(rows: list[GridRow], kinds: dict[int, str], lines: list[str]) -> None:
    heading = len(lines) == 1 and _HEADING_RE.match(lines[0])
    text = collapse(_HEADING_RE.sub("", lines[0]) if heading else unescape(" ".join(lines)))
    row = GridRow([Cell(text)], page=None, from_table=False)
    kinds[id(row)] = "heading" if heading else "paragraph"
    rows.append(row)


def extract(path: Path, settings: ExtractSettings = DEFAULT_SETTINGS) -> Extraction:
    """Text blocks, allocation rows and other numbers from pipe tables, metadata and problems."""
    path = Path(path)
    check_file(path, settings, "text")
    check_text_file(path, settings, "text")
    raw = path.read_bytes()
    check_lines(path, raw, settings)
    decoded = decode_text(raw)
    text = decoded.text
    try:
        rows, kinds = text_to_grid(text, settings)
    except TooManyCells as exc:
        what = "table cells" if exc.setting == "max_table_cells" else "table rows"
        raise refuse_count(path, f"the text's tables have too many {what}", exc.count,
                           exc.setting, getattr(settings, exc.setting)) from None
    read = grid_to_reading(rows, kinds, FrameContext(path.name, FORMAT, settings.max_amount_sek))
    tables = read.tables
    return Extraction(
        source_file=path.name, source_format=FORMAT, allocations=allocations_frame(tables.rows),
        text=read.text, metadata=text_to_metadata(read.text),
        problems=tables.problems + [p for p in [fallback_problem(decoded, path.name)] if p],
        attributes=attributes_frame(tables.attributes), tables=tables.tables,
        blocks=read.blocks, lists=read.lists)
