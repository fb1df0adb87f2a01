"""Rows that print a part of the row above them ("varav storstadslänen" under Riket).

A table may follow a row with the share of it that goes to some of its recipients: "varav
storstadslänen" under the Riket row (the sum of Stockholm, Skåne and Västra Götaland), "därav
Stockholms stad" under a region. Such a row is no recipient and no total: its money is kept in
the frame with row_kind "varav" (so footing, coverage and the resolver pass it by, as they pass
a subtotal), and the numbers are asked what they can tell: a part is at most its whole, so in
every money column it must not exceed the row it belongs to (the nearest row above that is no
part row) beyond rounding. The words that start such a row are vocabulary
(extractors/vocabulary/tables.toml, [part_row]).
"""

from __future__ import annotations

from extractors.amounts import looks_like_amount
from extractors.roles import MoneyGrid
from extractors.rows import collapse
from extractors.vocabulary import label_key, table_words

VARAV = "varav"  # the row_kind of a row printing a part of the row above


def is_part_label(text: str) -> bool:
    """True for a label that starts with a part word ("varav storstadslänen", "Därav:")."""
    key = label_key(collapse(text))
    return any(key == p or key.startswith(p + " ") for p in table_words().part_prefixes)


def is_part_row(texts: list[str]) -> bool:
    """True for a table row whose first filled cell is a part label and that prints an
    amount after it."""
    filled = [collapse(t) for t in texts if collapse(t)]
    return len(filled) >= 2 and is_part_label(filled[0]) and any(
        looks_like_amount(t) for t in filled[1:])


def part_excesses(grid: MoneyGrid, kinds: list[str | None]
                  ) -> list[tuple[int, int, int]]:
    """(part row, the row it is part of, column) for every money cell of a part row that
    exceeds the same column of its row beyond half a printed unit of each."""
    found = []
    for index, kind in enumerate(kinds):
        if kind != VARAV:
            continue
        parent = next((i for i in range(index - 1, -1, -1)
                       if kinds[i] not in (VARAV, None)), None)
        if parent is None:
            continue
        for col in grid.columns:
            part, whole = grid.cells[index].get(col), grid.cells[parent].get(col)
            if part and whole and part[0] - whole[0] > 0.5 * (part[1] + whole[1]):
                found.append((index, parent, col))
    return found
