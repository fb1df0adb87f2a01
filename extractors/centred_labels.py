"""Row labels printed on the lines above and below their amounts, joined to them.

A label too long for its cell wraps onto two lines; where the row's cells are centred on its
height (a spreadsheet's or a word processor's vertical alignment), the label's first line is
printed above the amounts' baseline and its second below: "varav" / "92 540 434 … 340 488 716"
/ "storstadslänen". Read line by line, that row has no label and two lines of text float
around it, so the row (and the total row above it) could not be read. Here a line of amounts
alone takes the lines right above and below it as its label where they lie within its height
(they overlap it vertically), print no amount and end left of its first amount: the label's
words, in reading order, become the line's first cell. A line with a code or a name of its own
is never touched, nor one whose label pieces print a code; only a row without any label is.
"""

from __future__ import annotations

from extractors.amounts import looks_like_amount
from extractors.base import LayoutSettings
from extractors.lines import Line, line_to_phrases, words_box


def join_centred_labels(lines: list[Line], layout: LayoutSettings) -> list[Line]:
    """The lines (in reading order) with each row of amounts alone joined to the label lines
    printed above and below it within its height."""
    out: list[Line] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if _amounts_only(line):
            above = out[-1] if out and _label_for(out[-1], line, layout) else None
            nxt = lines[i + 1] if i + 1 < len(lines) else None
            below = nxt if nxt is not None and _label_for(nxt, line, layout) else None
            labels = [ln for ln in (above, below) if ln is not None]
            if labels and not any(_has_digits(ln) for ln in labels):
                if above is not None:
                    out.pop()
                out.append(_joined(labels, line, layout))
                i += 2 if below is not None else 1
                continue
        out.append(line)
        i += 1
    return out


def _amounts_only(line: Line) -> bool:
    return len(line.phrases) >= 2 and all(looks_like_amount(p.text) for p in line.phrases)


def _label_for(candidate: Line, line: Line, layout: LayoutSettings) -> bool:
    """Whether a line is printed beside a line of amounts alone, as a piece of its label:
    same page and side, within its height, ending left of its first amount."""
    if candidate.page != line.page or candidate.side != line.side or not candidate.phrases:
        return False
    first_amount = line.phrases[0].words[0]["x0"]
    return (candidate.top < line.bottom and candidate.bottom > line.top
            and max(w["x1"] for w in candidate.words) < first_amount
            - layout.anchor_tolerance_pt)


def _has_digits(line: Line) -> bool:
    """A label piece with digits ("0114 Upplands" or "04" above, "Väsby" below) is a coded
    row's wrapped cell, or an amount: the table layout places those by their code or column,
    so no piece of such a row is joined here."""
    return any(c.isdigit() for w in line.words for c in w["text"])


def _joined(labels: list[Line], line: Line, layout: LayoutSettings) -> Line:
    """The line of amounts with the label lines' words (in reading order) as one first word."""
    words = [w for ln in labels for w in ln.words]
    x0, top, x1, bottom = words_box(words)
    label = {**words[0], "text": " ".join(w["text"] for w in words), "x0": x0, "x1": x1,
             "top": top, "bottom": bottom, "doctop": words[0]["doctop"] - words[0]["top"] + top,
             "width": x1 - x0, "height": bottom - top}
    joined = Line(line.page, [label, *line.words], side=line.side)
    joined.phrases = line_to_phrases(joined, layout)
    joined.space = line.space
    return joined
