"""The words of allocation tables, read once from tables.toml: total and subtotal row labels,
row-total column headers, marks printed instead of numbers, footnote marks and the words that
tell a table of recipients that are no SCB unit.

`table_words()` gives them as a frozen `TableWords`; the matching helpers compare labels the
way the file says (case-folded, whitespace collapsed, a trailing ":" left out).
`statement_words()` gives the words of words.toml that name no column of a table (function,
money and recipient words), left out of the words a money statement is paired by;
`count_nouns()` the nouns that make a number a count ("2,4 miljoner böcker"), not money;
`level_words()` the words that say which level (region, län, kommun) a list's names are;
`rate_words()` the words that tell a per-recipient rate's group, its others and its rest.
`unit_words()` gives the money units of units.toml: the suffixes printed after an amount, the
phrases that state a unit in a header, title or note, and how short a note line is.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

VOCABULARY_FILE = Path(__file__).with_name("tables.toml")
# SCB's kommun and län lists (codes and the name forms documents print); the readers tell a
# code column by them (extractors/codes.py), the pipeline resolves names with them.
SCB_DIR = Path(__file__).with_name("scb")


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


_WORD = re.compile(r"[^\W\d_]+|%")
_SENTENCE_END = re.compile(r"[.!?;:](?=\s|$)|\n\s*\n")


def _folded(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class CountNouns:
    """The nouns of words.toml that make a number a count, not money ("2,4 miljoner böcker")."""

    stems: tuple[str, ...]
    links: frozenset[str]
    reach: int
    scales: frozenset[str] = frozenset()

    def counts(self, folded_words: list[str]) -> bool:
        """Whether the folded words after a number name what it counts: past a scale word, a
        count noun within `reach` words, before any link word ("till", "för")."""
        if folded_words and folded_words[0] in self.scales:
            folded_words = folded_words[1:]
        for word in folded_words[: self.reach]:
            if word in self.links:
                return False
            if word.startswith(self.stems):
                return True
        return False

    def counts_after(self, text: str) -> bool:
        """Whether the text right after a number (to the end of its sentence) says that the
        number counts something ("nya böcker", "miljoner invånare")."""
        end = _SENTENCE_END.search(text)
        words = _WORD.findall(text[: end.start() if end else len(text)])
        return self.counts([_folded(w) for w in words[: self.reach + 1]])


@cache
def count_nouns(path: Path = WORDS_FILE) -> CountNouns:
    """The count nouns in path (words.toml beside this module), read once."""
    with open(path, "rb") as handle:
        data = tomllib.load(handle)["count_nouns"]
    return CountNouns(tuple(data["stems"]), frozenset(data["links"]), int(data["reach"]),
                      frozenset(data.get("scales", ())))


@dataclass(frozen=True)
class LevelWords:
    """The words of words.toml that name a level of recipients in the text above a list."""

    stems: tuple[tuple[str, tuple[str, ...]], ...]  # (level, its stems), in the file's order
    not_stems: tuple[str, ...]

    def named(self, text: str) -> list[str]:
        """The levels the words of text name, in the file's order."""
        words = [w.casefold() for w in _WORD.findall(text)]
        words = [w for w in words if not w.startswith(self.not_stems)]
        return [level for level, stems in self.stems
                if any(w.startswith(stems) for w in words)]


@cache
def level_words(path: Path = WORDS_FILE) -> LevelWords:
    """The level words in path (words.toml beside this module), read once."""
    with open(path, "rb") as handle:
        data = dict(tomllib.load(handle)["level_words"])
    not_stems = tuple(w.casefold() for w in data.pop("not_stems", ()))
    return LevelWords(tuple((level, tuple(w.casefold() for w in stems))
                            for level, stems in data.items()), not_stems)


@cache
def statement_words(path: Path = WORDS_FILE) -> StatementWords:
    """The vocabulary in path (words.toml beside this module), read once."""
    with open(path, "rb") as handle:
        data = tomllib.load(handle)["statement_words"]
    return StatementWords(frozenset(data["stop"]), tuple(data["stems"]))


@dataclass(frozen=True)
class RateWords:
    """The words of words.toml that tell a per-recipient rate's parts (extractors/rates.py)."""

    others: tuple[str, ...]
    rest: tuple[str, ...]
    totals: tuple[str, ...]
    groups: tuple[tuple[str, tuple[str, ...]], ...]  # (group name, its stems)

    def folded_words(self, text: str) -> list[str]:
        return [_folded(w) for w in _WORD.findall(text)]

    def group_named(self, text: str) -> str | None:
        """The group a word of text names ("de tre storstadslänen"), or None."""
        words = self.folded_words(text)
        return next((name for name, stems in self.groups
                     if any(w.startswith(stems) for w in words)), None)

    def says(self, kind: tuple[str, ...], text: str) -> bool:
        """Whether a word of text starts with one of kind's words (others, rest or totals)."""
        return any(w.startswith(kind) for w in self.folded_words(text))


@cache
def rate_words(path: Path = WORDS_FILE) -> RateWords:
    """The rate words in path (words.toml beside this module), read once."""
    with open(path, "rb") as handle:
        data = tomllib.load(handle)["rate_words"]
    groups = tuple((name, tuple(_folded(w) for w in stems))
                   for name, stems in data["groups"].items())
    return RateWords(tuple(data["others"]), tuple(data["rest"]), tuple(data["totals"]), groups)


UNITS_FILE = Path(__file__).with_name("units.toml")
UNITS = ("kr", "tkr", "Mkr")


@dataclass(frozen=True)
class UnitWords:
    """The money units of units.toml: cell suffixes, unit phrases and the note-line bounds."""

    cell_units: dict[str, str]  # a suffix printed after an amount (lower-case) -> its unit
    phrases: tuple[tuple[str, str], ...]  # (phrase, unit), longest phrase first
    note_max_words: int
    note_max_lines_between: int
    note_max_scaled_sek: int  # the most one cell may give when a title or note scales it


@cache
def unit_words(path: Path = UNITS_FILE) -> UnitWords:
    """The vocabulary in path (units.toml beside this module), read once."""
    with open(path, "rb") as handle:
        data = tomllib.load(handle)
    cells = {spelling.casefold(): unit for unit in UNITS
             for spelling in data["cell_units"].get(unit, [])}
    phrases = sorted(((" ".join(p.casefold().split()), unit) for unit in UNITS
                      for p in data["unit_phrases"].get(unit, [])),
                     key=lambda pair: (-len(pair[0]), pair[0]))
    note = data["unit_note"]
    return UnitWords(cells, tuple(phrases), int(note["max_words"]),
                     int(note["max_lines_between"]), int(note["max_scaled_amount_sek"]))
