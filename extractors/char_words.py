"""Words from a page's chars: pdfplumber's `extract_words`, done in one pass.

pdfplumber's `WordExtractor` is general (text flow, reading directions, punctuation splits,
extra attributes, ratios of the font size) and pays for it per glyph: generators, keyword
arguments and look-ups of its settings. The reader uses one setting of it (`chars_to_words`
below: fixed tolerances, blank chars ending words, ligatures expanded, left to right within
lines clustered top to bottom, rotated glyphs top to bottom within columns), and this is that
setting written out, step for step the same: the same clustering, the same stable sorts, the
same tests, the same word dicts in the same order. tests/test_char_words.py compares the two
on every fixture page and on drawn edge cases.
"""

from __future__ import annotations

from itertools import groupby
from operator import itemgetter

from pdfplumber.utils.text import LIGATURES

_UPRIGHT = itemgetter("upright")
_X0, _TOP = itemgetter("x0"), itemgetter("top")


def _sort_ltr(char: dict) -> float:
    return char["x0"]  # pdfplumber's key (x0, x0) orders as x0 alone


def _sort_ttb(char: dict) -> tuple[float, float]:
    return (char["top"], char["bottom"])


def _clusters(chars: list[dict], key: str, tolerance: float) -> list[list[dict]]:
    """pdfplumber's `cluster_objects` (tolerance above 0): the distinct values chained where
    each is within tolerance of the one before, the chars in the order of their cluster
    (stable: filled in the page's order)."""
    get = itemgetter(key)
    values = sorted(set(map(get, chars)))
    index: dict[float, int] = {}
    if not values:
        return []
    cluster, last = 0, values[0]
    for value in values:
        if not value <= last + tolerance:  # as pdfplumber's test is written
            cluster += 1
        index[value] = cluster
        last = value
    lines: list[list[dict]] = [[] for _ in range(cluster + 1)]
    for char in chars:
        lines[index[get(char)]].append(char)
    return lines


def _merge(chars: list[dict], direction: str) -> dict:
    """pdfplumber's `merge_chars`: the word's text (ligatures expanded) and box."""
    first = chars[0]
    if len(chars) == 1:
        x0, top, x1, bottom = first["x0"], first["top"], first["x1"], first["bottom"]
        text = first["text"]
        text = LIGATURES.get(text, text or "")
    else:
        x0 = min([c["x0"] for c in chars])
        top = min([c["top"] for c in chars])
        x1 = max([c["x1"] for c in chars])
        bottom = max([c["bottom"] for c in chars])
        get = LIGATURES.get
        text = "".join([get(t, t or "") for t in [c["text"] for c in chars]])
    return {
        "text": text,
        "x0": x0, "x1": x1, "top": top, "doctop": top + (first["doctop"] - first["top"]),
        "bottom": bottom, "upright": first["upright"], "height": bottom - top,
        "width": x1 - x0, "direction": direction,
    }


def _line_words(line: list[dict], upright: bool, x_tolerance: float, y_tolerance: float,
                out: list[dict]) -> None:
    """The words of one sorted line: a blank char ends a word, an empty one is a word of its
    own (pdfplumber's punctuation test), a char out of step starts a new one."""
    if upright:
        along, end, across, step, drift, direction = "x0", "x1", "top", x_tolerance, \
            y_tolerance, "ltr"
    else:
        along, end, across, step, drift, direction = "top", "bottom", "x0", y_tolerance, \
            x_tolerance, "ttb"
    word: list[dict] = []
    add = out.append
    for char in line:
        text = char["text"]
        if text.isspace():
            if word:
                add(_merge(word, direction))
            word = []
        elif text == "":  # `"" in ""`: pdfplumber's split at punctuation ("" by default)
            if word:
                add(_merge(word, direction))
            add(_merge([char], direction))
            word = []
        elif word:
            prev = word[-1]
            start = char[along]
            if (start < prev[along] or start > prev[end] + step
                    or abs(char[across] - prev[across]) > drift):
                add(_merge(word, direction))
                word = [char]
            else:
                word.append(char)
        else:
            word = [char]
    if word:
        add(_merge(word, direction))


def chars_to_words(chars: list[dict], x_tolerance: float, y_tolerance: float) -> list[dict]:
    """What `pdfplumber.utils.extract_words(chars, x_tolerance=..., y_tolerance=...,
    keep_blank_chars=False)` returns, with its other settings at their defaults."""
    words: list[dict] = []
    for upright, group in groupby(chars, _UPRIGHT):
        run = list(group)
        if upright:
            lines = _clusters(run, "top", y_tolerance)
            sort_key = _sort_ltr
        else:
            lines = _clusters(run, "x0", x_tolerance)
            sort_key = _sort_ttb
        for line in lines:
            _line_words(sorted(line, key=sort_key), bool(upright), x_tolerance, y_tolerance,
                        words)
    return words
