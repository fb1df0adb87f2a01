"""Which printed column a money statement speaks of: by the words it shares with the column
headers and the table's caption, and by value; and what each printed column adds up to.

A statement brings its words folded (``MoneyStatement.words`` of the extractors: function,
money and recipient words already left out); headers and captions are folded the same way
here. Two words are one when they are equal, when the shorter (four letters or more) begins
the longer ("brukar" / "brukarmedverkan"), or when they share their first six letters
("suicidpreventivt" / "suicidprevention", "traumavarden" / "traumavard"). No column's name is
written in the code: the headers are whatever the documents print.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import polars as pl

from expectations.frames import is_total_measure
from expectations.messages import plural, table_name

MIN_PREFIX = 4  # a shorter word of this length or more that begins a longer one is the same
MIN_SHARED = 6  # two words sharing their first letters this far are the same
# Kronor per printed unit, for amounts whose printed step is not in the frame.
DEFAULT_UNIT_STEPS: dict[str, int] = {"kr": 1, "tkr": 1_000, "mkr": 1_000_000}
# Recipient words in a table's kind or column header ("medel till kommunerna per län").
LEVEL_WORDS: dict[str, re.Pattern[str]] = {
    "region": re.compile(r"\bregion(er|erna|en)?\b|\blandsting", re.I),
    "kommun": re.compile(r"\bkommun(er|erna|en)?\b", re.I),
    "lan": re.compile(r"\blän(en|et)?\b", re.I),
}
_LETTERS = re.compile(r"[a-z]+")
KIND_NAMES = {"lan": "län"}


def fold_words(text: str) -> tuple[str, ...]:
    """The words of a header or caption, case-folded with the marks off their letters."""
    decomposed = unicodedata.normalize("NFKD", (text or "").casefold())
    return tuple(_LETTERS.findall("".join(c for c in decomposed if not unicodedata.combining(c))))


def same_word(a: str, b: str) -> bool:
    """Whether two folded words are one word as a heading and a sentence print it."""
    short, long = sorted((a, b), key=len)
    if short == long or (len(short) >= MIN_PREFIX and long.startswith(short)):
        return True
    return len(short) >= MIN_SHARED and long[:MIN_SHARED] == short[:MIN_SHARED]


def shared_words(words: Iterable[str], text: str) -> int:
    """How many of a statement's words the text (a header or a caption) prints too."""
    printed = fold_words(text)
    return sum(any(same_word(w, p) for p in printed) for w in words)


@dataclass(frozen=True)
class Column:
    """A printed column a statement may speak of: what it prints or adds up to."""

    measure: str
    amount: float
    bound: float  # its rounding: half a printed step per amount in it
    row_total: bool  # the readers' column_role: the column that is each row's total


def pick_column(words: Sequence[str], columns: Sequence[Column], value: float,
                precision: float) -> Column | None:
    """The column whose header shares the most of the statement's words; where two or more
    share as many, the one whose amount agrees with the statement's value. None when no
    header shares a word, or the words and the values cannot tell the columns apart."""
    scores = [shared_words(words, c.measure) for c in columns]
    best = max(scores, default=0)
    if best == 0:
        return None
    top = [c for c, score in zip(columns, scores, strict=True) if score == best]
    if len(top) == 1:
        return top[0]
    agree = [c for c in top if abs(value - c.amount) <= precision + c.bound + 1e-9]
    return agree[0] if agree else None


def total_column(columns: Sequence[Column]) -> Column | None:
    """The row-total column of a table (by the readers' column roles), or its only column."""
    totals = [c for c in columns if c.row_total]
    return totals[0] if totals else columns[0] if len(columns) == 1 else None


@dataclass(frozen=True)
class TableTotal:
    """What one column of a printed table adds up to: its total row, or the sum of its rows."""

    source_file: str
    table: str  # "region", "kommun", "lan" or "other"
    measure: str
    amount: int  # kronor
    bound: float  # half a printed step per rounded amount in it
    rows: int  # recipient rows
    printed: bool  # a total row prints it; False: the recipients' sum (no total row)
    page: int | None = None
    table_index: int = 0
    row_total: bool = False  # the readers' column_role says it is each row's total
    label: str = ""  # the total row's label as printed ("Riket", "Summa", "Totalt")
    caption: str = ""  # the table's title or caption as printed

    def levels(self) -> set[str]:
        """The recipient levels the table names: its kind and the words in its header."""
        return {self.table} | {k for k, rx in LEVEL_WORDS.items() if rx.search(self.measure)}

    def column(self) -> Column:
        return Column(self.measure, self.amount, self.bound, self.row_total)

    def describe(self) -> str:
        what = f"the {self.label or 'total'} row" if self.printed else (
            "the one row" if self.rows == 1 else f"the sum of the {plural(self.rows, 'row')}")
        return f"{what} of the {table_name(self.table)}'s {self.measure} ({self.source_file})"


def row_total_flags(frame: pl.DataFrame) -> pl.Expr:
    """The readers' column_role where they give one; a frame built without roles (by hand, in
    tests) falls back on whether the header reads as a total."""
    by_header = pl.col("measure").map_elements(is_total_measure, return_dtype=pl.Boolean)
    if "column_role" not in frame.columns:
        return by_header
    role = pl.col("column_role")
    return pl.when(role.is_not_null()).then(role == "row_total").otherwise(by_header)


def frame_to_table_totals(frame: pl.DataFrame | None,
                          captions: Mapping[tuple[str, int], str] | None = None
                          ) -> list[TableTotal]:
    """Per document, table and column of an allocation frame: its printed total row, or, when
    it prints none, the sum of its recipient rows with half a printed step per row as bound.
    ``captions`` gives each (source_file, table_index) its title as printed."""
    if frame is None or frame.is_empty():
        return []
    captions = captions or {}
    steps = pl.col("unit").fill_null("kr").str.to_lowercase().replace_strict(
        DEFAULT_UNIT_STEPS, default=1, return_dtype=pl.Int64)
    if "unit_step" in frame.columns:
        steps = pl.coalesce(pl.col("unit_step"), steps)
    cells = frame.with_columns(steps.cast(pl.Float64).alias("step"),
                               row_total_flags(frame).fill_null(False).alias("is_row_total"))
    if "table_index" not in cells.columns:
        cells = cells.with_columns(pl.lit(0, dtype=pl.Int64).alias("table_index"))
    out = []
    # Two tables of one kind in a document are totalled apart (table_index).
    for (source, table, index, measure), g in cells.group_by(
            ["source_file", "table", "table_index", "measure"], maintain_order=True):
        rows, total = (g.filter(pl.col("row_kind") == k) for k in ("recipient", "total"))
        index = int(index or 0)
        where = dict(page=g["page"].min(), table_index=index,
                     row_total=bool(g["is_row_total"].any()),
                     caption=captions.get((source, index), ""))
        if total.height:
            out.append(TableTotal(source, table, measure, int(total["amount_sek"][0]),
                                  0.5 * total["step"][0], rows.height, True,
                                  label=str(total["name_raw"][0] or ""), **where))
        elif rows.height and rows["amount_sek"].null_count() == 0:
            out.append(TableTotal(source, table, measure, int(rows["amount_sek"].sum()),
                                  0.5 * float(rows["step"].sum()), rows.height, False, **where))
    return out
