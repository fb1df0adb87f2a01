"""A grid reader's rows (DOCX, HTML, text) read into tables, running text and block fates.

Every grid reader turns its document into rows of cells first; what follows is the same for
all of them and lives here, once: tables printed one cell per paragraph are folded back
(extractors/flat_cells.py), lists printed side by side are unfolded, the rows are cut
into table blocks, unit notes are set on each printed piece before pieces of one table are
joined, blocks that are no allocation table are handed back as text, name–amount lists are
read as tables where their names tell the kind, and the blocks become allocation tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from extractors.base import BlockInfo, TextBlock
from extractors.fates import grid_fates
from extractors.flat_cells import fold_flat_cells
from extractors.name_lists import NameList, read_lists
from extractors.pieces import joined_blocks
from extractors.side_by_side import unfold_side_by_side
from extractors.tables import (
    FrameContext,
    GridRow,
    TablesResult,
    blocks_to_tables,
    grid_to_blocks,
    keep_allocation_blocks,
    rows_to_text,
)
from extractors.unit_notes import grid_unit_notes


@dataclass
class GridReading:
    """What a grid reader's rows hold: its tables, its running text, the fate of every block
    with money, the lists of names left for the pipeline to resolve, and the rows read (lists
    side by side unfolded)."""

    tables: TablesResult
    text: list[TextBlock]
    blocks: list[BlockInfo]
    lists: list[NameList]
    rows: list[GridRow]


def grid_to_reading(rows: Sequence[GridRow], kinds: dict[int, str], ctx: FrameContext
                    ) -> GridReading:
    """The rows of one document (as its reader found them, with their kinds) read."""
    rows = unfold_side_by_side(fold_flat_cells(list(rows), kinds))
    blocks, others = grid_to_blocks(rows)
    grid_unit_notes(rows, blocks)  # before joining: each piece's own neighbours
    blocks, others = keep_allocation_blocks(joined_blocks(blocks), others)
    lists = read_lists(rows, blocks, others)
    blocks, others = lists.blocks, lists.others
    return GridReading(tables=blocks_to_tables(blocks, ctx),
                       text=rows_to_text(rows, others, kinds),
                       blocks=grid_fates(rows, blocks, others, ctx.source_file),
                       lists=lists.unresolved, rows=rows)
