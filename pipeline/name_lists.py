"""Name–amount lists whose names tell their kind only once resolved, read as tables.

A reader reads a list of name–amount lines as a table when the names carry a form the table
kinds know ("Region Stockholm", "Skåne län"); a list of bare names ("Stockholm: 164 423 176 kr",
"Södermanland: …") is handed here (``Extraction.lists``, extractors/name_lists.py). Its names
are resolved at each level: the list is a table of the one level at which every name resolves
exactly or by a known form (no fuzzy match), or, where regions and län both take them (they
share names), of the level the text right above the list names ("till regionerna", "länen").
Anything else stays text, and the fates report its money when nothing reconciles it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

import polars as pl

from extractors.base import (
    Extraction,
    TextBlock,
    allocations_frame,
    attributes_frame,
)
from extractors.fates import row_text
from extractors.name_lists import NameList
from extractors.tables import FrameContext, block_to_tables
from extractors.vocabulary import level_words
from pipeline.cascade import Resolver

LEVELS = ("region", "lan", "kommun")
NOT_CONFIDENT = ("unresolved", "fuzzy")  # methods that do not tell a list's kind


def list_level(names: Sequence[str], context: str, resolver: Resolver) -> str | None:
    """The level every name resolves at (see the module's docstring), or None."""
    levels = [level for level in LEVELS
              if names and all(resolver.resolve(n, level).method not in NOT_CONFIDENT
                               for n in names)]
    if len(levels) == 1:
        return levels[0]
    # The words of the text above that name a level (extractors/vocabulary/words.toml).
    named = [level for level in level_words().named(context) if level in levels]
    return named[0] if len(named) == 1 else None


def _without_lines(text: list[TextBlock], lines: list[str]) -> list[TextBlock]:
    """The text blocks with one block of each list line taken out (it is a table row now)."""
    left = list(lines)
    out = []
    for block in text:
        if block.text in left:
            left.remove(block.text)
            continue
        out.append(block)
    return out


def _read(extraction: Extraction, found: NameList, level: str) -> None:
    ctx = FrameContext(extraction.source_file, extraction.source_format)
    read = block_to_tables(found.block, ctx, kind_hint=level,
                           table_index=len(extraction.tables))
    extraction.allocations = pl.concat([extraction.allocations, allocations_frame(read.rows)],
                                       how="vertical_relaxed")
    extraction.attributes = pl.concat([extraction.attributes,
                                       attributes_frame(read.attributes)], how="vertical_relaxed")
    extraction.problems = extraction.problems + read.problems
    extraction.tables = extraction.tables + read.tables
    lines = [row_text(r) for r in found.rows]
    extraction.text = _without_lines(extraction.text, lines)
    amounts = tuple(collapse_amount(r.cells[1].text) for r in found.block.rows)
    extraction.blocks = [
        replace(b, fate="table", reason=f"read as allocation table {len(extraction.tables)} "
                f"(a list of {level} names, every name resolved)",
                table_index=len(extraction.tables) - 1)
        if b.shape == "list" and b.fate == "text" and tuple(map(collapse_amount, b.amounts))
        == amounts else b for b in extraction.blocks]


def collapse_amount(text: str) -> str:
    return re.sub(r"\D", "", text)


def lists_to_tables(extractions: Sequence[Extraction], resolver: Resolver) -> None:
    """Read, in place, every list an extraction hands over whose names resolve at one level
    (its rows join the allocations, its lines leave the text, its fate becomes "table")."""
    for extraction in extractions:
        for found in extraction.lists:
            names = [r.cells[0].text for r in found.block.rows]
            level = list_level(names, found.block.title, resolver)
            if level is not None:
                _read(extraction, found, level)
        extraction.lists = []
