"""Amount columns of a PDF table whatever the alignment of its amounts.

Amounts may be right-aligned (Excel), left-aligned (Word's and HTML's default) or centred.
As camelot's stream parser and pdfplumber's text strategy do, each of the three edges is tried:
the amounts' right edges, left edges and centres are clustered over every line of the table,
and the edge that explains the amounts with the fewest columns (a misplaced cell counts
double) is the table's alignment. Each column then owns a stretch of the page between its
neighbours, so header words of any alignment find the column they sit over.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from extractors.amounts import looks_like_amount
from extractors.lines import BBox, Line, Phrase, amount_phrases, word_kind

ALIGNMENTS = ("right", "left", "centre")


def edge(bbox: BBox, align: str) -> float:
    """The x coordinate of a box that lines up in a column of the given alignment."""
    if align == "right":
        return bbox[2]
    if align == "left":
        return bbox[0]
    return (bbox[0] + bbox[2]) / 2


@dataclass(frozen=True)
class Columns:
    """A table's amount columns: alignment, one anchor per column, each column's extent."""

    align: str
    anchors: tuple[float, ...]
    extents: tuple[tuple[float, float], ...]  # (min x0, max x1) of the column's amounts
    ranges: tuple[tuple[float, float], ...]  # (min, max) of the aligned edge of its amounts
    tol: float
    certain: bool = True  # no other alignment explains the amounts as well

    def __len__(self) -> int:
        return len(self.anchors)

    def of(self, bbox: BBox) -> int | None:
        """The column a printed amount lines up with, or None."""
        x = edge(bbox, self.align)
        inside = [i for i, (lo, hi) in enumerate(self.ranges)
                  if lo - self.tol <= x <= hi + self.tol]
        return min(inside, key=lambda i: abs(self.anchors[i] - x), default=None)

    def bounds(self, label_right: float) -> list[tuple[float, float]]:
        """The stretch of page each column owns: from the label column (or the previous
        column) to the next, cut where the alignment says the cells meet; the last column
        reaches as far right as the columns are apart."""
        pitches = sorted(b - a for a, b in zip(self.anchors, self.anchors[1:], strict=False))
        pitch = pitches[len(pitches) // 2] if pitches else 0.0
        align = self.align if self.certain else "centre"
        out = []
        for i, (x0, x1) in enumerate(self.extents):
            lo = label_right if i == 0 else out[-1][1]
            if i + 1 < len(self.extents):
                nx0 = self.extents[i + 1][0]
                hi = {"right": x1 + self.tol, "left": nx0 - self.tol}.get(
                    align, (x1 + nx0) / 2)
            elif align == "right":
                hi = x1 + self.tol
            else:
                cell = pitch or 2 * (x1 - x0)
                hi = (x0 + cell - self.tol) if align == "left" else (
                    (x0 + x1) / 2 + cell / 2)
                hi = max(hi, x1 + self.tol)
            out.append((lo, max(hi, lo)))
        return out

    def split(self, phrase: Phrase) -> list[Phrase]:
        """A phrase that runs over two columns cut where the first column's edge is."""
        words = phrase.words
        if self.align == "centre" or len(words) < 2 or not self._cuts(words):
            return [phrase]
        parts, current = [], []
        for i, word in enumerate(words):
            current.append(word)
            nxt = words[i + 1] if i + 1 < len(words) else None
            if nxt is None or word_kind(nxt["text"]) == "unit":
                continue  # a unit after a number is that number's
            if len(current) == 1 and word_kind(word["text"]) == "unit":
                continue  # so is a unit before it ("SEK 129,530,375")
            x = word["x1"] if self.align == "right" else nxt["x0"]
            if any(lo - self.tol <= x <= hi + self.tol for lo, hi in self.ranges):
                parts.append(Phrase(current))
                current = []
        if not parts:
            return [phrase]  # not cut: the phrase itself (its text and box already known)
        if current:
            parts.append(Phrase(current))
        return parts

    def _cuts(self, words: list[dict]) -> bool:
        """Whether a column's edge lies where a phrase could be cut (after a word, right
        aligned; before one, left aligned): the cheap test before `split` looks word by word."""
        xs = [w["x1"] for w in words[:-1]] if self.align == "right" else [
            w["x0"] for w in words[1:]]
        tol = self.tol
        return any(lo - tol <= x <= hi + tol for x in xs for lo, hi in self.ranges)


def _clusters(boxes: list[BBox], align: str, tol: float, support: int
              ) -> list[list[BBox]]:
    clusters: list[list[BBox]] = []
    last = None
    for box in sorted(boxes, key=lambda b: edge(b, align)):
        x = edge(box, align)
        if clusters and last is not None and x - last <= tol:
            clusters[-1].append(box)
        else:
            clusters.append([box])
        last = x
    return [c for c in clusters if len(c) >= support]


def _anchor(cluster: list[BBox], align: str) -> float:
    xs = [edge(b, align) for b in cluster]
    return {"right": max(xs), "left": min(xs)}.get(align, (min(xs) + max(xs)) / 2)


def amount_boxes(lines: list[Line], labelled: bool = True) -> list[BBox]:
    """The boxes of the lines' amounts: every phrase after a line's first, and the first one too
    where it starts right of every name (a cell wrapped onto a line of its own, "145 811"), or
    every phrase unless ``labelled`` (lines of amounts alone)."""
    if not labelled:
        return [p.bbox for ln in lines for p in ln.phrases]
    names = [p.bbox[2] for ln in lines for p in ln.phrases[:2]
             if not all(word_kind(w) in ("digit", "unit") for w in p.text.split())]
    edge = max(names, default=None)
    boxes = [p.bbox for ln in lines for p in amount_phrases(ln)]
    if edge is not None:
        boxes += [ln.phrases[0].bbox for ln in lines if ln.phrases
                  and ln.phrases[0].bbox[0] > edge and looks_like_amount(ln.phrases[0].text)]
    return boxes


def find_columns(lines: list[Line], tol: float, labelled: bool = True) -> Columns:
    """The amount columns of a table's body lines, in the alignment that fits them best; a
    line's first phrase is its label unless ``labelled`` is False (lines of amounts alone)."""
    boxes = amount_boxes(lines, labelled)
    support = 2 if len(lines) >= 3 else 1  # a lone misprinted cell makes no column
    scored: list[tuple[int, float, int, Columns]] = []
    for rank, align in enumerate(ALIGNMENTS):
        clusters = _clusters(boxes, align, tol, support)
        explained = sum(len(c) for c in clusters)
        ranges = tuple((min(edge(b, align) for b in c), max(edge(b, align) for b in c))
                       for c in clusters)
        columns = Columns(
            align, tuple(_anchor(c, align) for c in clusters),
            tuple((min(b[0] for b in c), max(b[2] for b in c)) for c in clusters), ranges, tol)
        spread = sum(hi - lo for lo, hi in ranges)
        scored.append((len(clusters) + 2 * (len(boxes) - explained), spread, rank, columns))
    scored.sort(key=lambda item: item[:3])
    best, second = scored[0], scored[1]
    # Amounts all of one width line up on every edge: the alignment is then not known.
    certain = second[0] > best[0] or second[1] > best[1] + tol
    return replace(best[3], certain=certain)


def header_spans(band: list[Line], columns: Columns, limit: float
                  ) -> tuple[tuple[float, float] | None, ...]:
    """The x span of the header words over each amount column (by the stretch it owns)."""
    bounds = columns.bounds(limit)
    spans: list[tuple[float, float] | None] = [None] * len(bounds)
    for phrase in (p for line in band for p in line.phrases):
        centre = (phrase.bbox[0] + phrase.bbox[2]) / 2
        for i, (lo, hi) in enumerate(bounds):
            if lo <= centre <= hi:
                old = spans[i]
                spans[i] = (phrase.bbox[0], phrase.bbox[2]) if old is None else (
                    min(old[0], phrase.bbox[0]), max(old[1], phrase.bbox[2]))
    return tuple(spans)


def centred_under(bbox: BBox, heads: tuple[tuple[float, float] | None, ...], tol: float
                  ) -> int | None:
    """The column whose header a cell is centred under, when it lines up with no column's
    amounts: a row printed in another cell style than the body (an HTML total row of <th>
    cells, centred, under right-aligned amounts) still prints each amount under its header."""
    centre = (bbox[0] + bbox[2]) / 2
    for i, span in enumerate(heads):
        if span is not None and abs((span[0] + span[1]) / 2 - centre) <= tol and \
                span[0] - tol <= bbox[0] and bbox[2] <= span[1] + tol:
            return i
    return None
