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

import numpy as np
from pdfplumber.utils.text import LIGATURES

from extractors.glyphs import Glyphs

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


def glyphs_to_words(glyphs: Glyphs, x_tolerance: float, y_tolerance: float) -> list[dict]:
    """`chars_to_words` on columns (glyphs.exact() holds; one upright for the page): lines
    clustered, sorted and cut into words by whole columns, a dict made per word only."""
    if not len(glyphs):
        return []
    if glyphs.upright:
        along, end, across = glyphs.x0, glyphs.x1, glyphs.top
        step, drift, direction, keys = x_tolerance, y_tolerance, "ltr", (glyphs.x0,)
    else:
        along, end, across = glyphs.top, glyphs.bottom, glyphs.x0
        step, drift, direction = y_tolerance, x_tolerance, "ttb"
        keys = (glyphs.bottom, glyphs.top)
    values, at = np.unique(across, return_inverse=True)
    # `_clusters`: a new line where a distinct value is not within tolerance of the last
    cluster = np.zeros(len(values), dtype=np.int64)
    cluster[1:] = np.cumsum(~(values[1:] <= values[:-1] + drift))
    line = cluster[at.reshape(-1)]
    order = np.lexsort((np.arange(len(glyphs)), *keys, line))  # stable within a line
    line, along, end, across = line[order], along[order], end[order], across[order]
    blank = glyphs.text_flags(str.isspace)[order]
    empty = glyphs.text_flags(lambda text: text == "")[order]
    # a word starts at a glyph after a line's start, a blank or an empty glyph (a word of
    # its own), or one out of step with the glyph before
    start = np.ones(len(order), dtype=bool)
    start[1:] = ((line[1:] != line[:-1]) | blank[:-1] | empty[:-1] | (along[1:] < along[:-1])
                 | (along[1:] > end[:-1] + step)
                 | (np.abs(across[1:] - across[:-1]) > drift))
    start |= empty
    kept = ~blank
    if not kept.any():
        return []
    start, kept_at = start[kept], order[kept]
    first = np.flatnonzero(start)
    x0 = np.minimum.reduceat(glyphs.x0[kept_at], first)
    top = np.minimum.reduceat(glyphs.top[kept_at], first)
    x1 = np.maximum.reduceat(glyphs.x1[kept_at], first)
    bottom = np.maximum.reduceat(glyphs.bottom[kept_at], first)
    lead = kept_at[first]
    doctop = top + (glyphs.doctop[lead] - glyphs.top[lead])
    texts = [glyphs.texts[i] for i in kept_at.tolist()]
    if not LIGATURES.keys().isdisjoint(texts):
        get = LIGATURES.get
        texts = [get(t, t) for t in texts]
    bounds = [*first.tolist(), len(texts)]
    upright = glyphs.upright
    return [{"text": "".join(texts[a:b]), "x0": left, "x1": right, "top": t, "doctop": dt,
             "bottom": low, "upright": upright, "height": h, "width": w,
             "direction": direction}
            for a, b, left, right, t, dt, low, h, w in zip(
                bounds, bounds[1:], x0.tolist(), x1.tolist(), top.tolist(), doctop.tolist(),
                bottom.tolist(), (bottom - top).tolist(), (x1 - x0).tolist(), strict=False)]
