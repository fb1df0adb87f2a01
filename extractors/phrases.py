"""The words of a money statement (issue 7): amounts with their unit and precision, recipient
words, the content words it can be paired with a column by, and the "Mottagare" cell of a
table row.

``extractors.statements`` scans documents with these and re-exports the public names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

from extractors.base import DEFAULT_MAX_AMOUNT_SEK
from extractors.notation import COMMA_GROUPS, POINT_GROUPS, SWEDISH
from extractors.number_words import find_word_amounts, fold, is_number_word
from extractors.vocabulary import count_nouns, statement_words

__all__ = ["AMOUNT_RE", "MONEY_WORDS", "MOTTAGARE_RE", "RECIPIENT_WORDS", "SEP",
           "content_words", "fold", "parse_amount_phrase", "recipients_in", "scope_of",
           "text_notation"]

SEP = "[ \u00a0\u202f\u2009]"
# A number in Swedish notation ("1 527 000 000", "6 199 701, 00"), or in another one where it
# cannot be mistaken (extractors/notation.py): two or more comma groups with a decimal point
# ("1,200,000,000", "6,199,701.00"), two or more point groups with a decimal comma
# ("1.200.000.000"), apostrophe groups ("1'200'000"). One comma or point group ("12,000")
# is read as thousands only in a document whose other numbers show that notation
# (`text_notation`); else it stays Swedish (a decimal comma) and is not read as thousands.


def _num(comma_groups: int, point_groups: int) -> str:
    return (
        rf"(?<![\d,.:/\-–])(?:"
        rf"(?P<int_comma>\d{{1,3}}(?:,\d{{3}}){{{comma_groups},}})(?:\.(?P<dec_comma>\d{{1,2}}))?"
        r"(?![\d:/]|[.,]\d)"
        rf"|(?P<int_point>\d{{1,3}}(?:\.\d{{3}}){{{point_groups},}})(?:,(?P<dec_point>\d{{1,2}}))?"
        r"(?![\d:/]|[.,]\d)"
        rf"|(?P<int_apostrophe>\d{{1,3}}(?:['’]\d{{3}})+)(?:[,.](?P<dec_apostrophe>\d{{1,2}}))?"
        r"(?![\d:/]|[.,]\d)"
        rf"|(?P<int>\d{{1,3}}(?:{SEP}\d{{3}})+|\d+)(?:,{SEP}?(?P<dec>\d{{1,2}}))?"
        r"(?![\d:/'’]|,\d))"
    )


_NUM = _num(2, 2)
_GROUP_MARKS = re.compile(rf"{SEP}|[,.'’]")
_UNIT = (
    r"(?P<unit>miljard(?:er)?|miljon(?:er)?|mdkr|mnkr|mkr|msek|tkr|tsek|tusen\s+kronor"
    r"|kronor|kr|sek)\b(?:\s+(?:kronor|kr)\b)?"
)
AMOUNT_RE = re.compile(rf"{_NUM}(?:\s*{_UNIT})?", re.I)
# The same in a document whose numbers show commas or points grouping thousands.
_AMOUNT_RES = {SWEDISH: AMOUNT_RE,
               COMMA_GROUPS: re.compile(rf"{_num(1, 2)}(?:\s*{_UNIT})?", re.I),
               POINT_GROUPS: re.compile(rf"{_num(2, 1)}(?:\s*{_UNIT})?", re.I)}
_KRONOR_END = re.compile(r"\bkr(onor)?$", re.I)  # "5 miljoner kronor" is money, whatever follows
# Words that make a sentence a money sentence: a bare grouped number in one ("avsätts
# 1 200 000 000 utifrån befolkningsmängd") is an amount in kronor.
MONEY_WORDS = re.compile(
    r"(?<!\w)(avsätt|fördela|fördelning|betala|utbetal|medel|medlen|bidrag|belopp|kronor"
    r"|anslag|tilldela|statsbidrag|satsning|budget|ersättning)", re.I)
_SENTENCE_STOP = re.compile(r"[.!?](?=\s|$)|\n\s*\n")
_SCALE = {"milj": (10**6, "miljoner"), "mdkr": (10**9, "miljarder"), "mnkr": (10**6, "Mkr"),
          "mkr": (10**6, "Mkr"), "msek": (10**6, "Mkr"), "tkr": (1000, "tkr"),
          "tsek": (1000, "tkr"), "tuse": (1000, "tkr"), "kron": (1, "kr"), "kr": (1, "kr"),
          "sek": (1, "kr")}
_SKR_NAME = re.compile(r"Sveriges Kommuner och (Regioner|Landsting)(\s*\((SKR|SKL)\))?"
                       r"|(staten|regeringen) och (SKR|SKL)|via\s+(SKR|SKL|KamK)", re.I)
_RECIPIENT_WORD = (r"(?:region(?:er|erna|en)?|landsting(?:en|et)?|kommun(?:er|erna|en)?"
                   r"|län(?:en|et)?|länsgemensamma(?:\s+medel)?|SKR|SKL)")
# The "Mottagare" cell right after a table amount: "Regioner via KamK", "Till länen via SKR".
# What follows it on the same line is the rest of a wrapped row label (PDF text).
MOTTAGARE_RE = re.compile(
    rf"^[\s|]*(?:till\s+)?(?P<who>{_RECIPIENT_WORD}(?:\s*(?:,|och|eller|/|samt)\s*"
    rf"{_RECIPIENT_WORD})*)(?:\s*\(?\s*via\s+\w+\s*\)?)?\*?(?=\W|$)", re.I)
_JOINT = re.compile(r"(kommuner(?:na)? och region(?:er|erna)|region(?:er|erna) och "
                    r"kommuner(?:na)?)\s+gemensamt", re.I)
RECIPIENT_WORDS: dict[str, re.Pattern[str]] = {
    "skr": re.compile(r"\b(SKR|SKL)\b"),
    # the län, their joint money, or the county administrative boards that receive it
    "lan": re.compile(r"\blän(en|et)?\b|länsgemensam|\blänsstyrelse(n|r|rna)?\b|\bLAN_JOINT\b",
                      re.I),
    "region": re.compile(r"\b(region(er|erna|en)?|landsting(en|et)?)\b", re.I),
    "kommun": re.compile(r"\bkommun(er|erna|en)?\b", re.I),
}
_HYPHEN_CUT = re.compile(r"(?<=[^\W\d_])-\s+(?!(?:och|eller|samt)\b)(?=[^\W\d_])")
_LETTERS = re.compile(r"[a-z]+")


def content_words(text: str) -> tuple[str, ...]:
    """The folded words of a clause that can name a column ("traumavard", "samsjuklighet"),
    in order, each once: function, money and recipient words (extractors/vocabulary/
    words.toml) and words under three letters left out; a word cut at a line's end is joined."""
    vocabulary = statement_words()
    words = _LETTERS.findall(fold(_HYPHEN_CUT.sub("", text)))
    return tuple(dict.fromkeys(w for w in words if len(w) >= 3
                               and not vocabulary.says_nothing(w) and not is_number_word(w)))


def _in_money_sentence(text: str, start: int, end: int) -> bool:
    """Whether the sentence around text[start:end] holds a money word (MONEY_WORDS)."""
    stops = [m.end() for m in _SENTENCE_STOP.finditer(text, 0, start)]
    after = _SENTENCE_STOP.search(text, end)
    sentence = text[(stops[-1] if stops else 0):(after.start() if after else len(text))]
    return bool(MONEY_WORDS.search(sentence))


def number_parts(m: re.Match) -> tuple[str, int, str | None]:
    """The digits of a matched number's whole part, its count of digit groups, and its
    decimals (None when none are printed), whichever notation it is printed in."""
    for notation in ("", "_comma", "_point", "_apostrophe"):
        whole = m.group("int" + notation)
        if whole is not None:
            groups = _GROUP_MARKS.split(whole)
            return "".join(groups), len(groups), m.group("dec" + notation)
    raise ValueError("no number in the match")


def _counts_something(text: str, end: int) -> bool:
    """Whether the words after a number name what it counts ("2,4 miljoner nya böcker"):
    the count nouns of extractors/vocabulary/words.toml, within the same sentence."""
    return count_nouns().counts_after(text[end:])


def _bare_amount(text: str, m: re.Match) -> bool:
    """A number without a unit that is still money: at least a million, grouped in thousands,
    not followed by a noun that counts something else, in a money sentence."""
    _, groups, dec = number_parts(m)
    return (groups >= 3 and dec is None
            and not _counts_something(text, m.end())
            and _in_money_sentence(text, m.start(), m.end()))


def text_notation(texts: Iterable[str]) -> str:
    """The notation a document's running text prints its numbers in: commas (points) grouping
    thousands when some number shows it by itself ("1,200,000,000") and none shows the other;
    else Swedish."""
    shown = set()
    for text in texts:
        for m in AMOUNT_RE.finditer(text):
            if m.group("int_comma"):
                shown.add(COMMA_GROUPS)
            elif m.group("int_point"):
                shown.add(POINT_GROUPS)
    return shown.pop() if len(shown) == 1 else SWEDISH


def parse_amount_phrase(text: str, table_unit: str | None = None, notation: str = SWEDISH
                        ) -> list[tuple[int, int, dict]]:
    """Every money amount in a text as (start, end, fields) with value, unit, precision, text.

    Numbers without a unit count under a table header (``table_unit``: "kr", "tkr", "Mkr"), in
    the "6 199 701, 00" kronor-and-öre form, or as kronor when grouped in thousands from a
    million up in a money sentence ("avsätts 1 200 000 000 utifrån befolkningsmängd"); years,
    dates, codes and counts have no unit. In a document whose numbers show commas or points
    grouping thousands (``notation``, `text_notation`), one group ("12,000 kronor") is read so.
    Amounts in number words ("sjuhundratretton miljoner kronor", "en miljard femhundra
    miljoner kronor") and in digits over several scale words ("1 miljard 500 miljoner kronor")
    are read by extractors/number_words.py.
    """
    found = _word_amounts(text)
    for m in _AMOUNT_RES[notation].finditer(text):
        digits, groups, dec = number_parts(m)
        unit_word, grouped = m.group("unit"), groups > 1
        if unit_word is None:
            if not grouped or not (table_unit or (dec is not None and len(dec) == 2)
                                   or _bare_amount(text, m)):
                continue
            if m.group(0).count("\n"):
                continue
            unit_word = {"tkr": "tkr", "Mkr": "mkr"}.get(table_unit or "kr", "kr")
        elif (unit_word.lower().startswith("milj") and not _KRONOR_END.search(m.group(0))
              and _counts_something(text, m.end())):
            continue
        scale, unit = _SCALE[unit_word.lower()[:4] if unit_word.lower()[:4] in _SCALE
                             else unit_word.lower()]
        if unit_word.lower().startswith("miljard"):
            scale, unit = 10**9, "miljarder"
        number = Decimal(digits + ("." + dec if dec else ""))
        value = number * scale
        precision = float(Decimal(scale) / 2 / Decimal(10) ** len(dec or ""))
        val: int | float = int(value) if value == int(value) else float(value)
        if any(a < m.end() and m.start() < b for a, b, _ in found):
            continue  # a part of an amount written over several scale words
        if val > DEFAULT_MAX_AMOUNT_SEK:
            continue  # cells of a table joined into one number ("23 262 164 423 164 423"): no
            # amount is that large; the control total reports the printed digits unread
        found.append((m.start(), m.end(), {"value": val, "unit": unit, "precision": precision,
                                            "text": " ".join(m.group(0).split())}))
    return sorted(found, key=lambda f: f[0])


def _word_amounts(text: str) -> list[tuple[int, int, dict]]:
    """The amounts written in number words, as parse_amount_phrase gives amounts; a number of
    people or things ("fem miljoner invånare") is no money."""
    return [(a.start, a.end, {"value": a.value, "unit": a.unit, "precision": a.precision,
                              "text": a.text})
            for a in find_word_amounts(text)
            if _KRONOR_END.search(a.text) or not _counts_something(text, a.end)]


def recipients_in(text: str) -> tuple[str, ...]:
    """Recipient words in a clause: "region", "kommun", "lan", "skr" (SKR's own name excluded)."""
    text = _JOINT.sub("LAN_JOINT", _SKR_NAME.sub(" ", text))
    return tuple(k for k, rx in RECIPIENT_WORDS.items() if rx.search(text))


def scope_of(recipients: Sequence[str]) -> str | None:
    """The recipient level a set of recipient words names: one table, "combined" or "skr"."""
    r = set(recipients)
    if not r:
        return None
    if r == {"skr"}:
        return "skr"
    r.discard("skr")
    if len(r) == 1:
        return r.pop()
    return "combined"
