"""What the checks read besides the tables: each document's running text and table titles
(coverage reads whether a table claims the whole country and why it leaves codes out) and
the name forms of every official code."""

from __future__ import annotations

from collections.abc import Iterable

from expectations.coverage import DocumentText, TableText
from extractors.base import Extraction
from pipeline.reference import LEVELS, places


def documents_text(extractions: Iterable[Extraction]) -> list[DocumentText]:
    """Each document's paragraphs and headings (not its table rows) and its tables' titles."""
    return [DocumentText(
        e.source_file,
        tuple((b.text, b.page) for b in e.text if b.kind != "table_row"),
        tuple(TableText(t.table_index or 0, t.title or "", t.page) for t in e.tables),
    ) for e in extractions]


def name_forms() -> dict[str, dict[str, tuple[str, ...]]]:
    """Per level, each code's short name, full names and genitive stems."""
    return {level: {p.code: (p.name, *p.forms, *p.stems) for p in places(level)}
            for level in LEVELS}
