"""The amount columns of a table that grows line by line, each line looked at once.

`find_columns` (extractors/columns.py) clusters the amounts of all a table's lines. The table
finder (extractors/layout.py) asks for the columns again every time its open table took a
line, which made a table of tightly packed rows (Word's, Calc's and Chromium's exports) cost
time in the square of its rows. `ColumnFinder` keeps each alignment's clusters, all of them
(those too small to count yet too), and grows them as boxes come: a box joins the cluster its
edge reaches (inside it, or within the tolerance of its first or last edge), bridges two, or
starts one. The clusters are then exactly the chains `find_columns` cuts from the sorted
edges, and `columns` builds its result from them step for step, to the bit. Only when the
names reach further right (the boxes of first phrases counted as amounts change) are the
clusters made again from the boxes kept.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, replace
from operator import is_

from extractors.amounts import looks_like_amount
from extractors.columns import ALIGNMENTS, Columns, edge
from extractors.lines import BBox, Line, amount_phrases, line_kind, word_kind
from extractors.rows import CODE_RE


@dataclass
class _Cluster:
    """A chain of amount edges no further apart than the tolerance: its first and last edge,
    how many boxes, and the leftmost x0 and rightmost x1 of those boxes."""

    lo: float
    hi: float
    count: int
    x0: float
    x1: float


class ColumnFinder:
    """`find_columns(lines, tol)` of the lines given so far (see the module's docstring)."""

    def __init__(self, tol: float) -> None:
        self.tol = tol
        self.seen: list[Line] = []  # the lines taken, in order
        self.edge: float | None = None  # right edge of the rightmost name
        self.boxes: list[BBox] = []  # every phrase after a line's first
        self.firsts: list[BBox] = []  # first phrases that read as amounts
        self.clusters: dict[str, list[_Cluster]] = {align: [] for align in ALIGNMENTS}
        self.coded: list[tuple[float, float]] = []  # x0, x1 of the codes of data rows

    def columns(self, lines: list[Line]) -> Columns:
        """The columns of ``lines``: the lines given before, and more after them (a table's
        body only grows; when it is cut or reordered, its owner starts a new finder)."""
        if len(lines) < len(self.seen) or not all(map(is_, lines, self.seen)):
            self.__init__(self.tol)  # other lines than before: start again
        self._take(lines[len(self.seen):])
        return self._result(len(lines))

    def _take(self, lines: list[Line]) -> None:
        names: list[float] = []
        boxes: list[BBox] = []
        firsts: list[BBox] = []
        for line in lines:
            names += [p.bbox[2] for p in line.phrases[:2]
                      if not all(word_kind(w) in ("digit", "unit") for w in p.text.split())]
            boxes += [p.bbox for p in amount_phrases(line)]
            first = line.phrases[0] if line.phrases else None
            if first is not None and looks_like_amount(first.text):
                firsts.append(first.bbox)
            if first is not None and line_kind(line) == "data" and CODE_RE.match(first.text):
                self.coded.append((first.bbox[0], first.bbox[2]))
        fresh, before, old = not self.seen, self.firsts, self.edge
        self.seen.extend(lines)
        self.boxes.extend(boxes)
        self.firsts = before + firsts
        self.edge = max([*names, old] if old is not None else names, default=None)
        new = self.edge
        if fresh or (old is not None and new != old and any(old < b[0] <= new for b in before)):
            self._cluster_again()  # a first phrase counted before starts left of a name now
            return
        counted = self._counted(before + firsts if old is None else firsts)
        for box in boxes + counted:
            for align in ALIGNMENTS:
                _grow(self.clusters[align], box, align, self.tol)

    def _counted(self, firsts: list[BBox]) -> list[BBox]:
        """The first phrases that start right of every name: cells of their own."""
        edge_now = self.edge
        return [] if edge_now is None else [b for b in firsts if b[0] > edge_now]

    def _cluster_again(self) -> None:
        boxes = self.boxes + self._counted(self.firsts)
        for align in ALIGNMENTS:
            clusters: list[_Cluster] = []
            for box in sorted(boxes, key=lambda b: edge(b, align)):
                x = edge(box, align)
                if clusters and x - clusters[-1].hi <= self.tol:
                    last = clusters[-1]
                    last.hi, last.count = x, last.count + 1
                    last.x0, last.x1 = min(last.x0, box[0]), max(last.x1, box[2])
                else:
                    clusters.append(_Cluster(x, x, 1, box[0], box[2]))
            self.clusters[align] = clusters

    def _result(self, lines: int) -> Columns:
        """`find_columns`'s scoring of the clusters, in its order of operations."""
        tol = self.tol
        support = 2 if lines >= 3 else 1
        boxes = len(self.boxes) + len(self._counted(self.firsts))
        scored: list[tuple[int, float, int, Columns]] = []
        for rank, align in enumerate(ALIGNMENTS):
            kept = [c for c in self.clusters[align] if c.count >= support]
            explained = sum(c.count for c in kept)
            ranges = tuple((c.lo, c.hi) for c in kept)
            anchors = tuple(c.hi if align == "right" else c.lo if align == "left"
                            else (c.lo + c.hi) / 2 for c in kept)
            columns = Columns(align, anchors, tuple((c.x0, c.x1) for c in kept), ranges, tol)
            spread = sum(hi - lo for lo, hi in ranges)
            scored.append((len(kept) + 2 * (boxes - explained), spread, rank, columns))
        scored.sort(key=lambda item: item[:3])
        best, second = scored[0], scored[1]
        certain = second[0] > best[0] or second[1] > best[1] + tol
        return replace(best[3], certain=certain)


def _grow(clusters: list[_Cluster], box: BBox, align: str, tol: float) -> None:
    """Add a box to an alignment's clusters (sorted, apart by more than tol), as sorting its
    edge in among the others would chain it."""
    x = edge(box, align)
    at = bisect_right(clusters, x, key=lambda c: c.lo)  # the first cluster starting right of x
    left = clusters[at - 1] if at > 0 else None
    right = clusters[at] if at < len(clusters) else None
    joins_left = left is not None and (x <= left.hi or x - left.hi <= tol)
    joins_right = right is not None and right.lo - x <= tol
    if joins_left and joins_right:  # the box bridges the gap: one cluster
        assert left is not None and right is not None
        del clusters[at]
        left.hi, left.count = right.hi, left.count + right.count + 1
        left.x0, left.x1 = min(left.x0, right.x0, box[0]), max(left.x1, right.x1, box[2])
    elif joins_left:
        assert left is not None
        left.hi, left.count = max(left.hi, x), left.count + 1
        left.x0, left.x1 = min(left.x0, box[0]), max(left.x1, box[2])
    elif joins_right:
        assert right is not None
        right.lo, right.count = x, right.count + 1
        right.x0, right.x1 = min(right.x0, box[0]), max(right.x1, box[2])
    else:
        clusters.insert(at, _Cluster(x, x, 1, box[0], box[2]))
