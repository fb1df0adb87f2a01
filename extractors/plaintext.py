"""Plain text and Markdown reader: paragraphs (separated by blank lines) as text blocks."""

from __future__ import annotations

import re
from pathlib import Path

from extractors.base import Extraction, ExtractSettings, TextBlock
from extractors.errors import DocumentTooLargeError, UnreadableDocumentError
from extractors.metadata import text_to_metadata
from extractors.tables import collapse

FORMAT = "txt"
SUFFIXES = (".txt", ".md", ".markdown", ".text")
DEFAULT_SETTINGS = ExtractSettings()
_HEADING_RE = re.compile(r"^#{1,6}\s+")


def detect(path: Path) -> bool:
    """True for a .txt/.md file whose start decodes as UTF-8."""
    if Path(path).suffix.lower() not in SUFFIXES:
        return False
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
        head.decode("utf-8", errors="strict")
    except UnicodeDecodeError as exc:
        return exc.start > len(head) - 4  # a character cut at the 4096-byte boundary
    except OSError:
        return False
    return True


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


def extract(path: Path, settings: ExtractSettings = DEFAULT_SETTINGS) -> Extraction:
    """Text blocks and metadata of a text file (it holds no allocation tables)."""
    path = Path(path)
    size = path.stat().st_size
    if size > settings.max_file_bytes:
        raise DocumentTooLargeError(
            str(path), f"file is {size} bytes, above max_file_bytes={settings.max_file_bytes}; "
            "split the file or raise the limit")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableDocumentError(
            str(path), f"not UTF-8 text ({exc}); re-save it as UTF-8") from exc
    blocks = text_to_blocks(text)
    return Extraction(source_file=path.name, source_format=FORMAT, text=blocks,
                      metadata=text_to_metadata(blocks))
