"""Amounts of neighbouring cells printed with no gap between them, cut apart again.

A table printed without cell padding (HTML with ``cellpadding=0`` through LibreOffice
Writer/Web, a PDF library's table with no padding) sets a right-aligned amount flush against the
next cell's amount: "23 261 868164 423 176" is one phrase whose digit group "868164" no grouped
number prints. Such a phrase is cut inside that group when the numbers and the page agree:

- the group follows groups of the same phrase, so its first three digits end the left amount
  (a grouped number's inner groups have three digits), and both parts are well grouped
  ("23 261 868" and "164 423 176");
- the cut lines up with a column edge that at least `DEFAULT_MIN_EDGE_LINES` other lines of the
  page print (the right edge of a right-aligned amount, or the left edge of the next one), or
  with the same cut on those lines when every row of the table touches.

A well-grouped number is never cut; a phrase that is not digits and spaces is left alone.
"""

from __future__ import annotations

import re

from extractors.lines import Line, Phrase

GROUPED_RE = re.compile(r"^\d{1,3}(?: \d{3})*$")
DEFAULT_MIN_EDGE_LINES = 2  # other lines that must print an edge where the cut falls
_DIGITS_RE = re.compile(r"^\d+$")


def lines_to_untouched(lines: list[Line]) -> list[Line]:
    """The page's lines with each touching amount phrase cut into its cells' amounts."""
    cuts = {id(line): [(p, _cut(p)) for p in line.phrases] for line in lines}
    edges: list[tuple[int, float]] = []
    for k, line in enumerate(lines):
        for phrase, cut in cuts[id(line)]:
            if cut is not None:
                edges.extend((k, x) for x in cut[2])
            elif GROUPED_RE.match(phrase.text):
                edges.extend((k, x) for x in (phrase.bbox[0], phrase.bbox[2]))
    for k, line in enumerate(lines):
        if not any(cut for _, cut in cuts[id(line)]):
            continue
        phrases: list[Phrase] = []
        for phrase, cut in cuts[id(line)]:
            if cut is not None and _lines_up(cut, k, edges):
                phrases.extend(cut[:2])
            else:
                phrases.append(phrase)
        line.phrases = phrases
    return lines


def _lines_up(cut: tuple[Phrase, Phrase, tuple[float, float]], k: int,
              edges: list[tuple[int, float]]) -> bool:
    left, right, (x1, x0) = cut
    tol = (left.bbox[2] - left.bbox[0]) / max(1, len(left.text))  # about one character
    lines = {j for j, x in edges if j != k and (abs(x - x1) <= tol or abs(x - x0) <= tol)}
    return len(lines) >= DEFAULT_MIN_EDGE_LINES


def _cut(phrase: Phrase) -> tuple[Phrase, Phrase, tuple[float, float]] | None:
    """The phrase's two amounts and the cut's x (left part's end, right part's start), when
    one over-long digit group after other groups is where two amounts touch."""
    words = phrase.words
    if len(words) < 2 or not all(_DIGITS_RE.match(w["text"]) for w in words):
        return None
    if GROUPED_RE.match(phrase.text):
        return None
    for k in range(1, len(words)):
        text = words[k]["text"]
        if not 4 <= len(text) <= 6:
            continue
        head, tail = _split_word(words[k], 3)
        left = Phrase([*words[:k], head])
        right = Phrase([tail, *words[k + 1:]])
        if GROUPED_RE.match(left.text) and GROUPED_RE.match(right.text):
            return left, right, (head["x1"], tail["x0"])
        return None
    return None


def _split_word(word: dict, at: int) -> tuple[dict, dict]:
    """The word cut after its first ``at`` characters, x shared out evenly (digits are
    printed at one width in the fonts tables use)."""
    width = (word["x1"] - word["x0"]) / len(word["text"])
    x = word["x0"] + at * width
    return ({**word, "text": word["text"][:at], "x1": x},
            {**word, "text": word["text"][at:], "x0": x})
