"""expectations/pair_set.py: GX's pandas test of a column pair against a set of pairs, the
same answer as GX's row-by-row ``iterrows`` gives.

Checked on frames by hand (text columns with missing values, object columns of numbers,
strings and None, mixed and misaligned columns, numeric columns that go to GX), and on the
code/name suite's own frame: its results with and without the replacement. Other GX code
keeps GX's own function.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from test_gx_row_filter import CODES, code_name_frame

from expectations import pair_set
from expectations.runner import run_suites

PAIRS = [("0114", "0114"), ("0305", "0305"), (None, "x"), (1, 2), (1.5, "a")]


def both(column_a: pd.Series, column_b: pd.Series, pairs=PAIRS) -> tuple:
    theirs = pair_set.ORIGINAL(None, column_a, column_b, value_pairs_set=pairs)
    ours = pair_set.pairs_in_set(None, column_a, column_b, value_pairs_set=pairs)
    return theirs, ours


def assert_same(theirs: pd.Series, ours: pd.Series) -> None:
    pd.testing.assert_series_equal(ours, theirs, check_exact=True)


def test_text_object_and_mixed_columns_by_hand() -> None:
    # (0114, 0114) and (0305, 0305) are pairs; a missing code is None, so (None, "x") is one
    # whether the code is None or NaN; (0114, 0305) is none.
    text = pd.Series(["0114", "0305", None, "0114", math.nan], dtype="str")
    other = pd.Series(["0114", "0305", "x", "0305", "x"], dtype="str")
    theirs, ours = both(text, other)
    assert_same(theirs, ours)
    assert list(ours) == [True, True, True, False, True]
    # object columns keep their objects: 1 and 2 as numbers, 1.5 beside "a"
    objects_a = pd.Series([1, "0114", None, 1.5, 2], dtype=object)
    objects_b = pd.Series([2, "0114", "x", "a", 1], dtype=object)
    theirs, ours = both(objects_a, objects_b)
    assert_same(theirs, ours)
    assert list(ours) == [True, True, True, True, False]
    # a text column beside an object column, and columns whose indexes differ (aligned)
    assert_same(*both(text, objects_b))
    shifted = pd.Series(["0114", "0305", "x"], index=[3, 4, 9], dtype="str")
    assert_same(*both(text, shifted))
    # no set: every row passes (GX's own answer, an array)
    theirs, ours = both(text, other, None)
    assert type(ours) is type(theirs) and list(ours) == list(theirs) == [True] * 5


def test_numeric_columns_go_to_gx(monkeypatch: pytest.MonkeyPatch) -> None:
    # a row of a number and a float becomes floats in iterrows: GX's own function decides
    called = []
    original = pair_set.ORIGINAL

    def spy(*args, **kwargs):
        called.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(pair_set, "ORIGINAL", spy)
    numbers = pd.Series([1, 2, 3], dtype="int64")
    floats = pd.Series([2.0, np.nan, 1.0])
    answer = pair_set.pairs_in_set(None, numbers, floats, value_pairs_set=PAIRS)
    assert called == [1] and list(answer) == [True, False, False]


def test_this_gx_is_the_one_it_was_written_for() -> None:
    assert pair_set.direct_pair_sets()
    assert pair_set._PROVIDERS[pair_set.ENGINE] is pair_set.DIRECT_ENTRY
    for thing, digest in pair_set.PATCHED_SOURCES.values():
        assert pair_set.source_hash(thing) == digest


def test_the_code_name_suite_says_the_same_with_and_without_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Håbo 0305 right, 0643 beside Håbo's name, 0114 beside a name that resolves to nothing,
    # 9999 no code (see code_name_frame): the pair suite fails on 0643 and counts the rest.
    small, pairs = code_name_frame()
    try:
        assert pair_set.direct_pair_sets(on=False) is False
        as_written = run_suites(small, CODES, code_pairs=pairs)
    finally:
        assert pair_set.direct_pair_sets()
    direct = run_suites(small, CODES, code_pairs=pairs)
    assert (direct.findings, direct.checks) == (as_written.findings, as_written.checks)
    code_name = next(c for c in direct.checks if c.suite == "code_name")
    assert code_name.failed >= 1
    # a changed recorded hash (as an upgrade would) keeps GX's own function
    name, (thing, _) = next(iter(pair_set.PATCHED_SOURCES.items()))
    monkeypatch.setitem(pair_set.PATCHED_SOURCES, name, (thing, "0" * 16))
    try:
        assert pair_set.direct_pair_sets() is False
        assert pair_set._PROVIDERS[pair_set.ENGINE] is pair_set.ORIGINAL_ENTRY
    finally:
        monkeypatch.undo()
        assert pair_set.direct_pair_sets()
