"""The words of allocation tables, read once from tables.toml: total and subtotal row labels,
row-total column headers, marks printed instead of numbers, footnote marks and the words that
tell a table of recipients that are no SCB unit.

`table_words()` gives them as a frozen `TableWords`; the matching helpers compare labels the
way the file says (case-folded, whitespace collapsed, a trailing ":" left out).
`statement_words()` gives the words of words.toml that name no column of a table (function,
money and recipient words), left out of the words a money statement is paired by.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

VOCABULARY_FILE = Path(__file__).with_name("tables.toml")


@dataclass(frozen=True)
class TableWords:
    """The vocabulary of tables.toml, each list normalised with `label_key`."""

    total_labels: frozenset[str]
    subtotal_prefixes: frozenset[str]
    total_headers: frozenset[str]
    no_number: frozenset[str]
    no_number_prefixes: tuple[str, ...]
    footnotes: tuple[str, ...]  # longest first, so "**" is found before "*"
    other_label_headers: frozenset[str] = frozenset()  # name-column headers of "other" tables
    other_name_words: frozenset[str] = frozenset()  # words in the names of "other" recipients
    part_prefixes: tuple[str, ...] = ()  # first words of a row printing a part of the row above


def label_key(text: str) -> str:
    """A label as the vocabulary compares it: case-folded, whitespace collapsed, no ":"."""
    return " ".join(text.split()).casefold().rstrip(":").strip()


@cache
def table_words(path: Path = VOCABULARY_FILE) -> TableWords:
    """The vocabulary in path (tables.toml beside this module), read once."""
    with open(path, "rb") as handle:
        data = tomllib.load(handle)
    marks = data["marks"]
    return TableWords(
        total_labels=frozenset(label_key(w) for w in data["total_row"]["labels"]),
        subtotal_prefixes=frozenset(label_key(w) for w in data["subtotal_row"]["prefixes"]),
        total_headers=frozenset(label_key(w) for w in data["total_column"]["headers"]),
        no_number=frozenset(label_key(w) for w in marks["no_number"]),
        no_number_prefixes=tuple(marks["no_number_prefixes"]),
        footnotes=tuple(sorted(marks["footnote"], key=len, reverse=True)),
        other_label_headers=frozenset(label_key(w) for w in data["other_recipients"][
            "label_headers"]),
        other_name_words=frozenset(label_key(w) for w in data["other_recipients"][
            "name_words"]),
        part_prefixes=tuple(label_key(w) for w in data["part_row"]["prefixes"]),
    )


WORDS_FILE = Path(__file__).with_name("words.toml")


@dataclass(frozen=True)
class StatementWords:
    """The words of words.toml that say nothing about which column a statement names."""

    stop: frozenset[str]
    stems: tuple[str, ...]

    def says_nothing(self, word: str) -> bool:
        """Whether a folded word is a function, money or recipient word."""
        return word in self.stop or word.startswith(self.stems)


@cache
def statement_words(path: Path = WORDS_FILE) -> StatementWords:
    """The vocabulary in path (words.toml beside this module), read once."""
    with open(path, "rb") as handle:
        data = tomllib.load(handle)["statement_words"]
    return StatementWords(frozenset(data["stop"]), tuple(data["stems"]))
