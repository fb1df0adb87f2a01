"""The amount columns of a growing table, found line by line (extractors/column_finder.py),
are `find_columns`'s of the same lines, to the bit: on the tables of real exports grown line
by line and in batches, and on made-up lines whose amounts wander around a few column edges
(clusters that merge, bridge and split, names that reach further right as lines come)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.column_finder import ColumnFinder
from extractors.columns import find_columns
from extractors.layout import lines_to_tables
from extractors.lines import Line, Phrase
from extractors.pdf import DEFAULT_SETTINGS, pdf_to_pages
from extractors.side_by_side import split_side_by_side

CASES = Path(__file__).resolve().parent.parent / "fixtures" / "cases"
TOL = DEFAULT_SETTINGS.layout.anchor_tolerance_pt


def _tables(path: Path):
    lines = split_side_by_side(pdf_to_pages(path)[0], DEFAULT_SETTINGS.layout)
    return lines_to_tables(lines, DEFAULT_SETTINGS.layout)[0]


def test_the_2024_decision_grown_line_by_line() -> None:
    # The 2024 decision's region table prints four amount columns (Barn och unga,
    # Traumavård, Kunskapsbaserad och säker vård och omsorg, Totalt belopp: the measures of
    # truth/2024/region.csv) right-aligned, its kommun table two; grown a line at a time the
    # finder gives what clustering the whole table at each step gives.
    tables = _tables(CASES / "2024-psykisk-halsa" / "regeringsbeslut-2024-I6.pdf")
    region, kommun = tables[0], tables[1]
    assert len(region.columns(TOL)) == 4 and region.columns(TOL).align == "right"
    assert len(kommun.columns(TOL)) == 2
    for table in tables:
        finder = ColumnFinder(TOL)
        for k in range(len(table.body) + 1):
            assert finder.columns(table.body[:k]) == find_columns(table.body[:k], TOL)


def test_word_export_grown_in_batches_and_reordered() -> None:
    # Word's export packs rows tightly (the table finder asks for the columns at every row);
    # batches of lines, and a body taken in another order, give the same columns too.
    tables = _tables(CASES / "2024-psykisk-halsa-word-export" / "regeringsbeslut-2024-I6.pdf")
    for table in tables:
        finder = ColumnFinder(TOL)
        for k in range(0, len(table.body) + 1, 7):
            assert finder.columns(table.body[:k]) == find_columns(table.body[:k], TOL)
        backwards = table.body[::-1]
        assert finder.columns(backwards) == find_columns(backwards, TOL)


def _word(text: str, x0: float, x1: float, top: float) -> dict:
    return {"text": text, "x0": x0, "x1": x1, "top": top, "bottom": top + 8}


_AMOUNT = st.tuples(st.sampled_from([200.0, 260.0, 320.0]), st.floats(-6, 6),
                   st.floats(8, 50))  # an amount: its column's right edge, offset, width
# A line: a name of some width first, or an amount first (a wrapped cell on a line of its
# own, counted only while it starts right of every name), or nothing; then amounts.
_LINE = st.tuples(st.sampled_from(["name", "number", "none"]), st.floats(15, 260), _AMOUNT,
                  st.lists(_AMOUNT, max_size=4))


def _line(index: int, spec) -> Line:
    first, width, (column, offset, span), amounts = spec
    top = 10.0 * index
    phrases = []
    if first == "name":
        phrases.append(Phrase([_word("Gotland", 10.0, 10.0 + width, top)]))
    elif first == "number":
        phrases.append(Phrase([_word("12 345", column + offset - span, column + offset, top)]))
    for column, offset, span in amounts:
        right = column + offset
        phrases.append(Phrase([_word("1 234", right - span, right, top)]))
    return Line(1, [w for p in phrases for w in p.words], phrases)


@settings(max_examples=150, deadline=None)
@given(st.lists(_LINE, max_size=30), st.sampled_from([0.5, 1.5, 4.0]),
       st.lists(st.integers(1, 4), min_size=1))
def test_made_up_lines_grown_in_steps(specs, tol: float, steps: list[int]) -> None:
    lines = [_line(i, spec) for i, spec in enumerate(specs)]
    finder = ColumnFinder(tol)
    k, step = 0, 0
    while k <= len(lines):
        assert finder.columns(lines[:k]) == find_columns(lines[:k], tol)
        k += steps[step % len(steps)]
        step += 1


def test_a_longer_name_uncounts_an_amount_printed_first() -> None:
    # An amount first on its line ("12 345" ending at x=200) is a cell of its own while every
    # name ends left of it, and so is the amount after it: two amounts end at 200, a column.
    # A name reaching x=210 below makes that first amount a label's place: one amount is
    # left at 200, and among three lines one amount is no column (support 2).
    lines = [_line(0, ("name", 15, (200.0, 0, 20), [])),
             _line(1, ("number", 15, (200.0, 0, 20), [(200.0, 0, 20)])),
             _line(2, ("name", 200, (200.0, 0, 20), []))]
    finder = ColumnFinder(1.5)
    assert finder.columns(lines[:2]).anchors == (200.0,)
    assert finder.columns(lines).anchors == ()
    assert find_columns(lines, 1.5).anchors == ()
