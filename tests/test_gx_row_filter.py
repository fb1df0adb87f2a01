"""expectations/row_filter.py: GX's row conditions of one column equal to a number selected
directly, the same rows as GX's DataFrame.query gives.

Checked three ways: every filter the suites ask for, on the 2024 annex with a defect and on a
code/name table, is computed both ways and compared frame for frame; frames with missing
values, bool and text columns by hand; and the suites' findings with and without the
replacement. Conditions of another shape, and other GX or pandas code, go to GX as written.
"""

from __future__ import annotations

import math

import pandas as pd
import polars as pl
import pytest
from great_expectations.expectations.row_conditions import Column
from test_expectations_support import KUNSKAP, amount, reference_codes, set_amount, truth_frame

from expectations import engine, row_filter
from expectations.runner import run_suites
from pipeline.resolver import Resolver, printed_code_pairs

Engine = row_filter._Engine
GX_FILTER = row_filter.ORIGINAL  # GX's own method


def both(data: pd.DataFrame, condition) -> tuple[pd.DataFrame, pd.DataFrame]:
    """GX's selection and the replacement's, for the condition as GX hands it (a dict)."""
    serialized = condition.dict()
    engine = Engine()
    return (row_filter.ORIGINAL(engine, data, serialized, {}),
            row_filter.apply_row_condition_filter(engine, data, serialized, {}))


def assert_same(theirs: pd.DataFrame, ours: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(ours, theirs, check_exact=True)
    assert list(ours.index) == list(theirs.index)


@pytest.fixture
def compared(monkeypatch: pytest.MonkeyPatch) -> list:
    """Every filter GX asks for while the fixture is active, computed both ways and compared;
    the list holds each condition seen, the rows selected and whether it is a plain equality.
    (GX turns an exception in a filter into a failed expectation: the tests check the counts.)"""
    seen = []

    def spy(self, data, row_condition, domain_kwargs):
        theirs = row_filter.ORIGINAL(self, data, row_condition, domain_kwargs)
        ours = row_filter.apply_row_condition_filter(self, data, row_condition, domain_kwargs)
        assert_same(theirs, ours)
        condition = row_filter.deserialize_row_condition(row_condition)
        seen.append((str(row_condition), len(ours), row_filter.plain_equality(condition, data)))
        return ours

    monkeypatch.setattr(Engine, "_apply_row_condition_filter", spy)
    return seen


def code_name_frame() -> tuple[pl.DataFrame, pl.DataFrame]:
    """A kommun table of four rows (Håbo 0305 right, 0643 beside Håbo's name, 0114 beside a
    name that resolves to nothing, 9999 no code): the code/name suite's condition
    code_valid == True selects the rows whose code is a code (0305, 0643, 0114 of CODES)."""
    rows = [("0305", "Håbo"), ("0643", "Håbo"), ("0114", "Xyzzy"), ("9999", "Håbo")]
    frame = pl.DataFrame({
        "source_file": "a.pdf", "source_format": "pdf", "page": 1, "table": "kommun",
        "table_index": 0, "row_kind": "recipient", "row_index": list(range(len(rows))),
        "code": [c for c, _ in rows], "name_raw": [n for _, n in rows], "measure": "Belopp",
        "unit": "kr", "amount_sek": 100, "scb_code": pl.Series([None] * 4, dtype=pl.String),
    })
    return frame, printed_code_pairs(frame, Resolver())


CODES = {"kommun": frozenset({"0305", "0643", "0114"}), "region": frozenset({"01"}),
         "lan": frozenset({"01"})}


def test_every_filter_of_the_suites_selects_what_query_selects(compared: list) -> None:
    # The 2024 annex with Upplands Väsby's (0114) kommun amount 1 000 kr over: the footing
    # suite's column sums (group == k for each checked column) and the coverage suite's code
    # sets (group == k for each table) filter the cell frames; the code/name suite filters on
    # code_valid == True.
    frame = set_amount(truth_frame(), "kommun", "0114", KUNSKAP,
                       amount("kommun", "0114", KUNSKAP) + 1000)
    run = run_suites(frame, reference_codes())
    # only the kommun KUNSKAP column's sum is off (by the 1 000 kr); all 332 codes are fine
    failed = {c.suite: c.failed for c in run.checks}
    assert (failed["footing"], failed["coverage"]) == (1, 0)
    small, pairs = code_name_frame()
    run_suites(small, CODES, code_pairs=pairs)
    conditions = {text for text, _, _ in compared}
    assert any("'group'" in text for text in conditions)
    # 0305, 0643 and 0114 are codes of CODES, 9999 is none: three rows have a valid code
    assert any("'code_valid'" in text and rows == 3 for text, rows, _ in compared)
    assert len(compared) > 80
    assert all(plain for _, _, plain in compared)  # each one selected directly


def test_missing_values_bools_and_text_by_hand() -> None:
    # A float column with NaN (a missing group is in no group), a bool column with a missing
    # value (object dtype), an int column, a text column; a value no row has selects none.
    data = pd.DataFrame({
        "group": [1.0, 2.0, math.nan, 1.0],
        "flag": [True, None, False, True],
        "n": [3, 1, 3, 2],
        "text": ["a", "b", None, "a"],
    }, index=[10, 11, 12, 13])
    cases = [(Column("group") == 1, [10, 13]), (Column("group") == 1.0, [10, 13]),
             (Column("flag") == True, [10, 13]), (Column("n") == 3, [10, 12]),  # noqa: E712
             (Column("group") == 7, [])]
    for condition, rows in cases:
        assert row_filter.plain_equality(
            row_filter.deserialize_row_condition(condition.dict()), data)
        theirs, ours = both(data, condition)
        assert_same(theirs, ours)
        assert list(ours.index) == rows


def test_a_selection_asked_again_is_the_same_and_its_own() -> None:
    # The same condition on the same frame gives the same rows again (remembered), each time in
    # a frame of its own: a column changed in one answer is not in the next, nor in the data.
    # Another frame (even with the same contents, changed after) is selected anew.
    data = pd.DataFrame({"group": [1.0, 2.0, 1.0], "amount": [5.0, 6.0, 7.0]})
    condition = (Column("group") == 1).dict()
    first = row_filter.apply_row_condition_filter(None, data, condition, {})
    first["amount"] = 0.0
    again = row_filter.apply_row_condition_filter(None, data, condition, {})
    assert again is not first
    assert list(again["amount"]) == [5.0, 7.0] and list(data["amount"]) == [5.0, 6.0, 7.0]
    assert list(again.index) == [0, 2]
    other = data.copy()
    other.loc[1, "group"] = 1.0
    assert list(row_filter.apply_row_condition_filter(None, other, condition, {}).index) == [
        0, 1, 2]
    # 1, 1.0 and True select alike here, but are remembered apart (as values of three types)
    flags = pd.DataFrame({"flag": [True, False, True]}, dtype=object)
    for value in (1, 1.0, True):
        theirs, ours = both(flags, Column("flag") == value)
        assert_same(theirs, ours)


def test_other_conditions_go_to_gx(monkeypatch: pytest.MonkeyPatch) -> None:
    # Texts, other operators, nullity and compound conditions are GX's to filter, and so are
    # columns query compares otherwise than Python: float32 (query makes 0.1 a float32, which
    # equals the column's float32 0.1; Python's 0.1 does not) and dates.
    data = pd.DataFrame({"n": [3, 1, 3, 2], "text": ["a", "b", None, "a"],
                         "f32": pd.Series([0.1, 0.2, 0.1, 0.3], dtype="float32"),
                         "day": pd.to_datetime(["2024-01-01"] * 4)})
    called = []

    def original(self, data, row_condition, domain_kwargs):
        called.append(row_condition)
        return data

    monkeypatch.setattr(row_filter, "ORIGINAL", original)
    for condition in (Column("text") == "a", Column("n") > 1, Column("n").is_null(),
                      (Column("n") == 3) & (Column("text") == "a"), Column("f32") == 0.1,
                      Column("day") == 0):
        row_filter.apply_row_condition_filter(None, data, condition.dict(), {})
    assert len(called) == 6
    # the float32 case, as GX filters it: rows 0 and 2 (Python's == would select none)
    assert list(GX_FILTER(Engine(), data, (Column("f32") == 0.1).dict(), {}).index) == [0, 2]


def test_this_gx_and_pandas_are_those_it_was_written_against() -> None:
    assert engine.DIRECT_ROW_FILTERS
    assert Engine._apply_row_condition_filter is row_filter.apply_row_condition_filter
    for thing, digest in row_filter.PATCHED_SOURCES.values():
        assert row_filter.source_hash(thing) == digest


def test_the_suites_say_the_same_with_and_without_it(monkeypatch: pytest.MonkeyPatch) -> None:
    frame = set_amount(truth_frame(), "kommun", "0114", KUNSKAP,
                       amount("kommun", "0114", KUNSKAP) + 1000)
    try:
        assert row_filter.direct_row_filters(on=False) is False
        as_written = run_suites(frame, reference_codes())
    finally:
        assert row_filter.direct_row_filters(on=True)
    direct = run_suites(frame, reference_codes())
    assert (direct.findings, direct.checks) == (as_written.findings, as_written.checks)
    # the footing error of the 1 000 kr is found both ways
    assert ("footing", KUNSKAP) in {(f["check"], f["measure"]) for f in direct.findings
                                    if f["severity"] == "error"}
    # a changed recorded hash (as an upgrade would) keeps GX's own method
    name, (thing, _) = next(iter(row_filter.PATCHED_SOURCES.items()))
    monkeypatch.setitem(row_filter.PATCHED_SOURCES, name, (thing, "0" * 16))
    try:
        assert row_filter.direct_row_filters(on=True) is False
        assert Engine._apply_row_condition_filter is row_filter.ORIGINAL
    finally:
        monkeypatch.undo()
        assert row_filter.direct_row_filters(on=True)
