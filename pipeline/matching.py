"""A largest one-for-one matching in a bipartite graph (Hopcroft and Karp), in plain Python.

The control total matches the numbers a document prints to what its readers accounted for.
scipy's `maximum_bipartite_matching` did it, but importing `scipy.sparse` costs every process
about 0.3 s and 28 MB (a tenth of a case's memory) for graphs of a few thousand edges, which
this does in milliseconds. The result is a maximum matching, as scipy's; where several exist,
the lowest-numbered free item is tried first.
"""

from __future__ import annotations

from collections.abc import Sequence


def maximum_matching(neighbours: Sequence[Sequence[int]], right_count: int) -> list[int]:
    """For each left vertex, the right vertex it is matched to, or -1; `neighbours[u]` lists
    the right vertices (0 … right_count − 1) that left vertex u may take."""
    match_left = [-1] * len(neighbours)
    match_right = [-1] * right_count
    while True:
        layer = _layers(neighbours, match_left, match_right)
        if layer is None:
            return match_left
        _augment_all(neighbours, match_left, match_right, layer)


def _layers(neighbours, match_left, match_right) -> list[int] | None:
    """Breadth-first layers of left vertices from the free ones along alternating paths, or
    None when no path reaches a free right vertex (the matching is then maximum)."""
    layer = [-1] * len(neighbours)
    queue = [u for u, v in enumerate(match_left) if v == -1]
    for u in queue:
        layer[u] = 0
    reaches_free = False
    for u in queue:  # the queue grows while it is walked
        for v in neighbours[u]:
            w = match_right[v]
            if w == -1:
                reaches_free = True
            elif layer[w] == -1:
                layer[w] = layer[u] + 1
                queue.append(w)
    return layer if reaches_free else None


def _augment_all(neighbours, match_left, match_right, layer) -> None:
    """Augment along vertex-disjoint paths that follow the layers, from every free left vertex
    (depth first, without recursion: a hostile document may make paths long)."""
    next_edge = [0] * len(neighbours)
    for root, matched in enumerate(match_left):
        if matched != -1:
            continue
        path, via = [root], []
        while path:
            u = path[-1]
            if next_edge[u] == len(neighbours[u]):
                layer[u] = -2  # a dead end for the rest of this phase
                path.pop()
                if via:
                    via.pop()
                continue
            v = neighbours[u][next_edge[u]]
            next_edge[u] += 1
            w = match_right[v]
            if w == -1:
                for left, right in zip(path, [*via, v], strict=True):
                    match_left[left], match_right[right] = right, left
                break
            if layer[w] == layer[u] + 1:
                path.append(w)
                via.append(v)
