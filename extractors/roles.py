"""Roles in a table decided by its numbers: which money column is the row total, which rows
are the table's total and its subtotals, and whether each subtotal sums the rows it closes.

`block_to_tables` (extractors/tables.py) reads every money cell once into a `MoneyGrid`; the
decisions here rest on sums within rounding (half a printed unit per term), with the words of
extractors/vocabulary as the evidence where the numbers cannot tell (two equal columns).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractors.amounts import UNIT_PHRASES, normalize_spaces
from extractors.vocabulary import label_key, table_words

ROW_TOTAL = "row_total"  # the column_role of the column that is each row's total
PART = "part"  # the column_role of every other money column
ALMOST_EVERY_ROW = 0.9  # share of the complete rows a row-total column must add up in
_UNIT_WORDS_RE = re.compile(
    r"(?<![\w])(?:" + "|".join(re.escape(p) for p, _ in UNIT_PHRASES) + r"|i)(?![\w])")


@dataclass
class MoneyGrid:
    """The money cells of one table: per body row, column -> (kronor, kronor per last digit)."""

    columns: list[int]
    cells: list[dict[int, tuple[int, int]]] = field(default_factory=list)

    def complete(self, index: int) -> bool:
        return all(c in self.cells[index] for c in self.columns)


def adds_up(values: list[tuple[int, int]], total: tuple[int, int]) -> bool:
    """Whether the values add up to total within half a printed unit per rounded term."""
    bound = 0.5 * (sum(step for _, step in values) + total[1])
    return abs(sum(v for v, _ in values) - total[0]) <= bound


def header_says_total(header: str) -> bool:
    """True for a row-total header ("Totalt belopp", "Totalt (kr)", "Summa, kr", "Totalt,
    tkr"): its words without unit and punctuation are a total header of the vocabulary."""
    text = normalize_spaces(header).casefold()
    text = _UNIT_WORDS_RE.sub(" ", re.sub(r"[(),:;./\-]", " ", text))
    return label_key(text) in table_words().total_headers


def sums_the_others(grid: MoneyGrid, col: int, rows: list[int]) -> bool:
    """Whether col equals the sum of the other money columns in almost every complete row."""
    others = [c for c in grid.columns if c != col]
    complete = [i for i in rows if grid.complete(i)]
    if not others or len(complete) < 2:
        return False
    held = sum(adds_up([grid.cells[i][c] for c in others], grid.cells[i][col]) for i in complete)
    return held >= ALMOST_EVERY_ROW * len(complete)


def row_total_column(grid: MoneyGrid, headers: dict[int, str], rows: list[int]) -> int | None:
    """The money column that is each row's total, or None.

    By numbers first: the one column that equals the sum of the others in almost every row,
    whatever its header. Where several do (two equal columns) or none is tested (too few
    rows), the last of them whose header says total ("Totalt (kr)"), as in the vocabulary.
    """
    by_numbers = [c for c in grid.columns if sums_the_others(grid, c, rows)]
    if len(by_numbers) == 1 and len(grid.columns) >= 3:
        return by_numbers[0]
    candidates = by_numbers if len(by_numbers) > 1 else grid.columns
    by_header = [c for c in candidates if header_says_total(headers.get(c, ""))
                 and not totals_more_than_printed(grid, c, rows)]
    return by_header[-1] if by_header else None


def totals_more_than_printed(grid: MoneyGrid, col: int, rows: list[int]) -> bool:
    """Whether col is more than the sum of the other money columns in every complete row
    (at least two): a total of purposes the table does not print ("Barn och unga | Totalt
    belopp" cut out of a wider table), no sum of the columns beside it."""
    others = [c for c in grid.columns if c != col]
    complete = [i for i in rows if grid.complete(i)]
    if not others or len(complete) < 2:
        return False
    return all(grid.cells[i][col][0] > sum(grid.cells[i][c][0] for c in others)
               and not adds_up([grid.cells[i][c] for c in others], grid.cells[i][col])
               for i in complete)


def is_sum_row(grid: MoneyGrid, index: int, parts: list[int]) -> bool:
    """Whether row index prints, in every money column, the sum of the rows parts."""
    if not parts or not grid.complete(index) or not all(grid.complete(i) for i in parts):
        return False
    return all(adds_up([grid.cells[i][c] for i in parts], grid.cells[index][c])
               for c in grid.columns)


@dataclass(frozen=True)
class SubtotalCheck:
    """A subtotal row against the recipient rows it closes (those since the previous one)."""

    index: int
    parts: tuple[int, ...]
    holds: bool


def check_subtotals(grid: MoneyGrid, kinds: list[str]) -> list[SubtotalCheck]:
    """Each subtotal row checked against the recipient rows since the previous subtotal."""
    checks, since = [], []
    for index, kind in enumerate(kinds):
        if kind == "recipient":
            since.append(index)
        elif kind == "subtotal":
            checks.append(SubtotalCheck(index, tuple(since), is_sum_row(grid, index, since)))
            since = []
    return checks
