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
from extractors.fates import grid_fates
from extractors.limits import check_file
from extractors.metadata import text_to_metadata
from extractors.tables import (
    Cell,
    FrameContext,
    GridRow,
    blocks_to_tables,
    collapse,
    grid_to_blocks,
    keep_allocation_blocks,
    rows_to_text,
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


def text_to_grid(text: str) -> tuple[list[GridRow], dict[int, str]]:
    """Paragraphs as one-cell rows and pipe-table lines as rows of cells, in document order,
    with the text kind ("heading" or "paragraph") of each paragraph row."""
    rows: list[GridRow] = []
    kinds: dict[int, str] = {}
    table_no = 0
    in_table = False
    for chunk in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        lines = [ln for ln in chunk.split("\n") if ln.strip()]
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
                    rows.append(GridRow([Cell(c) for c in split_pipe_row(line)], page=table_no,
                                        table_id=table_no))
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
    decoded = decode_text(path.read_bytes())
    text = decoded.text
    rows, kinds = text_to_grid(text)
    blocks, others = keep_allocation_blocks(*grid_to_blocks(rows))
    tables = blocks_to_tables(blocks, FrameContext(path.name, FORMAT, settings.max_amount_sek))
    text_blocks = rows_to_text(rows, others, kinds)
    return Extraction(
        source_file=path.name, source_format=FORMAT, allocations=allocations_frame(tables.rows),
        text=text_blocks, metadata=text_to_metadata(text_blocks),
        problems=tables.problems + [p for p in [fallback_problem(decoded, path.name)] if p],
        attributes=attributes_frame(tables.attributes), tables=tables.tables,
        blocks=grid_fates(rows, blocks, others, path.name))
