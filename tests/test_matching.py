"""The control total's matching is a largest one-for-one matching, as scipy's was.

Checked against scipy's `maximum_bipartite_matching` (the implementation it replaced, still
installed for the diagnosis) on random graphs of every density, and on the shape that made a
greedy matching wrong: a number whose only item is also the first choice of another number.
"""

from __future__ import annotations

import random

import numpy as np
import pytest
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import maximum_bipartite_matching

from pipeline.matching import maximum_matching


def scipy_size(neighbours: list[list[int]], right: int) -> int:
    rows = [u for u, vs in enumerate(neighbours) for _ in vs]
    cols = [v for vs in neighbours for v in vs]
    if not rows:
        return 0
    graph = csr_matrix((np.ones(len(rows), dtype=np.int8), (rows, cols)),
                       shape=(len(neighbours), right))
    return int((maximum_bipartite_matching(graph, perm_type="column") >= 0).sum())


def assert_valid(neighbours: list[list[int]], match: list[int]) -> None:
    taken = [v for v in match if v >= 0]
    assert len(taken) == len(set(taken))  # one for one
    assert all(v == -1 or v in neighbours[u] for u, v in enumerate(match))  # along edges


@pytest.mark.parametrize("seed", range(200))
def test_as_large_as_scipys(seed: int) -> None:
    rng = random.Random(seed)
    left, right = rng.randint(0, 60), rng.randint(1, 60)
    density = rng.choice([0.02, 0.05, 0.1, 0.3])
    neighbours = [sorted(v for v in range(right) if rng.random() < density)
                  for _ in range(left)]
    match = maximum_matching(neighbours, right)
    assert_valid(neighbours, match)
    assert sum(v >= 0 for v in match) == scipy_size(neighbours, right)


def test_a_greedy_first_choice_is_given_up() -> None:
    # Number 0 may take item 0 or 1, number 1 only item 0: both are matched only if number 0
    # takes item 1, which a greedy pass in order would not do.
    assert maximum_matching([[0, 1], [0]], 2) == [1, 0]


def test_a_long_alternating_path_needs_no_recursion() -> None:
    # A chain: number i may take item i or i + 1; numbers taken greedily from the end would
    # leave one over. 20 000 of them: a recursive search would pass Python's recursion limit.
    count = 20_000
    neighbours = [[i + 1, i] for i in range(count)]
    match = maximum_matching(neighbours, count + 1)
    assert_valid(neighbours, match)
    assert sum(v >= 0 for v in match) == count
