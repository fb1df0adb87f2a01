"""Amounts written in Swedish number words: "sjuhundratretton miljoner kronor" (713 000 000 kr),
"en miljard femhundra miljoner kronor" (1 500 000 000 kr), "tvåhundratusen kronor", and
digits and scale words in one amount ("1 miljard 500 miljoner kronor").

A compound is written as one word and read by its parts (sju|hundra|tretton); the words and
their values are data (extractors/vocabulary/numbers.toml). An amount in words is money only
when a scale word (miljon, miljard) or a currency word (kronor) ends it, so "en kommun" and
"tre län" are no amounts. Its precision is half its smallest scale ("sjuhundratretton
miljoner" stands for 712,5–713,5 miljoner), as for "713 miljoner" in digits.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path
from typing import NamedTuple

NUMBERS_FILE = Path(__file__).with_name("vocabulary") / "numbers.toml"
_TOKEN_RE = re.compile(r"\d+(?:[ \u00a0\u202f\u2009]\d{3})*(?:,\d+)?|[^\W\d_]+")
_SPACES = re.compile(r"[ \u00a0\u202f\u2009]")
SCALE_UNITS = {10**6: "miljoner", 10**9: "miljarder"}


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _unmarked(m: re.Match) -> str:
    return "" if unicodedata.combining(m.group()) else m.group()


def fold(text: str) -> str:
    """Text case-folded with its letters' marks taken off (å, ä → a; ö → o; é → e).

    Only the characters outside ASCII are looked at one by one: no ASCII character is a mark,
    and a text's words pass here once per amount phrase."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    if decomposed.isascii():
        return decomposed
    return _NON_ASCII.sub(_unmarked, decomposed)


_fold = fold


@dataclass(frozen=True)
class NumberWords:
    """The vocabulary of numbers.toml, folded."""

    units: dict[str, int]
    multipliers: dict[str, int]
    scales: dict[str, int]
    joiners: frozenset[str]
    currency: frozenset[str]

    @property
    def parts(self) -> dict[str, int]:
        return {**self.units, **self.multipliers}


@cache
def number_words(path: Path = NUMBERS_FILE) -> NumberWords:
    """The number words in path (numbers.toml in extractors/vocabulary), read once."""
    with open(path, "rb") as handle:
        data = tomllib.load(handle)

    def folded(table: dict) -> dict[str, int]:
        return {_fold(k): int(v) for k, v in table.items()}
    return NumberWords(folded(data["units"]), folded(data["multipliers"]),
                       folded(data["scales"]), frozenset(_fold(w) for w in data["joiners"][
                           "words"]), frozenset(_fold(w) for w in data["currency"]["words"]))


@lru_cache(maxsize=1 << 16)  # every word of every text passes here: bounded
def _split(word: str) -> tuple[str, ...] | None:
    """A folded word cut into number-word parts (fewest parts), or None."""
    if not word:
        return ()
    parts = number_words().parts
    best = None
    for size in range(min(len(word), max(map(len, parts))), 0, -1):
        head = word[:size]
        if head in parts:
            rest = _split(word[size:])
            if rest is not None and (best is None or len(rest) + 1 < len(best)):
                best = (head, *rest)
    return best


def word_value(word: str) -> int | None:
    """The number one word writes ("sjuhundratretton" -> 713, "etthundra" -> 100,
    "tvåhundrafemtiotusen" -> 250 000), or None when it is no number word or its parts do
    not make one number ("trefem")."""
    pieces = _split(_fold(word))
    if not pieces:
        return None
    vocabulary = number_words()
    total, current, last = 0, 0, None  # last: the unit word just read, if any
    for piece in pieces:
        if piece in vocabulary.units:
            value = vocabulary.units[piece]
            if last is not None and not (last % 10 == 0 and last >= 20 and value < 10):
                return None  # two units in a row: only a ten and a digit ("femtiotre")
            current, last = current + value, value
        elif vocabulary.multipliers[piece] == 100:
            if current >= 100:
                return None
            current, last = (current or 1) * 100, None
        else:
            if current >= 1000:
                return None
            total, current, last = total + (current or 1) * vocabulary.multipliers[piece], 0, None
    return total + current


def is_number_word(folded_word: str) -> bool:
    """Whether a folded word is a number or scale word ("sjuhundratretton", "miljarder")."""
    return folded_word in number_words().scales or bool(_split(folded_word))


@dataclass(frozen=True)
class WordAmount:
    """An amount written (partly) in words, found in a text."""

    start: int
    end: int
    value: int
    unit: str  # "miljoner", "miljarder" or "kr"
    precision: float  # half its smallest scale, in kronor
    text: str


class _Token(NamedTuple):
    start: int
    end: int
    word: str  # folded
    digits: bool


def _tokens(text: str) -> list[_Token]:
    """The text's numbers and words, each word folded (an ASCII word only lower-cased: that is
    all folding does to it)."""
    out = []
    for m in _TOKEN_RE.finditer(text):
        word = m.group()
        out.append(_Token(m.start(), m.end(),
                          word.lower() if word.isascii() else _fold(word), word[0].isdigit()))
    return out


class _Reader:
    """Reads the amounts of one text's tokens: groups of a number and a scale word, then an
    optional number under the smallest scale, then an optional currency word."""

    def __init__(self, text: str) -> None:
        self.text, self.tokens, self.words = text, _tokens(text), number_words()

    def adjacent(self, i: int) -> bool:
        """Whether token i follows token i - 1 with only spaces between."""
        return i > 0 and not self.text[self.tokens[i - 1].end:self.tokens[i].start].strip()

    def number(self, i: int) -> tuple[Decimal, int, bool, int] | None:
        """The number starting at token i: (value, decimals, in words, next token)."""
        if i >= len(self.tokens):
            return None
        token = self.tokens[i]
        if token.digits:
            whole, _, frac = _SPACES.sub("", token.word).partition(",")
            return Decimal(f"{whole}.{frac}" if frac else whole), len(frac), False, i + 1
        pieces, j = "", i
        while j < len(self.tokens) and (j == i or self.adjacent(j)) \
                and not self.tokens[j].digits and _split(pieces + self.tokens[j].word):
            pieces += self.tokens[j].word
            j += 1
        value = word_value(pieces) if pieces else None
        return None if value is None else (Decimal(value), 0, True, j)

    def kind(self, i: int, words: frozenset[str] | dict) -> bool:
        return i < len(self.tokens) and self.adjacent(i) and self.tokens[i].word in words

    def amount_at(self, i: int) -> tuple[WordAmount, int] | None:
        groups: list[tuple[Decimal, int, int, bool]] = []  # value, decimals, scale, in words
        pos, trailing = i, None
        while (read := self.number(pos)) is not None and (pos == i or self.adjacent(pos)):
            value, decimals, in_words, nxt = read
            if self.kind(nxt, self.words.scales):
                scale = self.words.scales[self.tokens[nxt].word]
                if groups and scale >= groups[-1][2]:
                    break
                groups.append((value, decimals, scale, in_words))
                pos = nxt + 1
                if self.kind(pos, self.words.joiners) and self.number(pos + 1):
                    pos += 1
                continue
            trailing = (value, in_words, nxt)
            break
        if pos > i and self.tokens[pos - 1].word in self.words.joiners:
            pos -= 1
        end_token = pos - 1
        value = sum(v * s for v, _, s, _ in groups)
        unit_scale = groups[-1][2] if groups else 1
        if trailing and self.kind(trailing[2], self.words.currency) and (
                not groups or trailing[0] < unit_scale) and (groups or trailing[1]):
            if not groups and _split(self.tokens[pos].word) in (("hundra",), ("tusen",)):
                return None  # "tusen kronor": a unit, not an amount
            value += trailing[0]
            unit_scale, end_token = 1, trailing[2]
        elif not groups:
            return None
        elif self.kind(pos, self.words.currency):
            end_token = pos
        if len(groups) == 1 and not groups[0][3] and unit_scale != 1:
            return None  # "713 miljoner": digits and one scale, read as printed digits
        if value != int(value):
            return None
        decimals = max((d for _, d, s, _ in groups if s == unit_scale), default=0)
        precision = float(Decimal(unit_scale) / 2 / Decimal(10) ** decimals)
        start, end = self.tokens[i].start, self.tokens[end_token].end
        unit = SCALE_UNITS.get(unit_scale, "kr")
        return WordAmount(start, end, int(value), unit, precision,
                          " ".join(self.text[start:end].split())), end_token + 1


def find_word_amounts(text: str) -> list[WordAmount]:
    """Every amount a text writes in number words, or in digits over several scale words."""
    folded = _fold(text)
    if not any(w in folded for w in ("milj", "kr", "tusen", "hundra")):
        return []
    reader, out, i = _Reader(text), [], 0
    # only a number or a number word can start an amount: the other tokens are passed over
    starts = [k for k, t in enumerate(reader.tokens) if t.digits or _split(t.word)]
    for k in starts:
        if k < i:
            continue  # inside the amount found last
        found = reader.amount_at(k)
        if found is not None:
            out.append(found[0])
            i = found[1]
    return out
