"""GX's row conditions on pandas, the equality of one column and a number computed directly.

The footing and coverage suites give each table's expectations a row condition (``group ==
3``: the table's rows of the cell frame), and GX filters the frame for every metric it computes
under one: 150 times for the 2024 case. Its pandas engine turns the condition into a query text
and calls ``DataFrame.query``, which parses that text and, without numexpr, evaluates it in
Python as ``frame[column] == value`` before selecting ``frame.loc[mask]``. Parsing was nine
tenths of each filter's time.

``apply_row_condition_filter`` computes that same selection for a condition that is one
column (of float64, int64, bool or object dtype) equal to an int, float or bool (every
condition the suites make), without the text; any other condition goes to GX's own method.
The metrics of one expectation, and the expectations of one table, ask for the same rows
again (150 selections, 29 different, for the 2024 case): the selections from the frame last
filtered are remembered, and each answer is a shallow copy (pandas copies on write, so a
change to one answer stays in it). It replaces GX's method only on the GX and pandas code it
was written against (``PATCHED_SOURCES``: the hashes of GX's method, the query text GX builds
and pandas' query) and only when numexpr is not installed (pandas would use it instead
of Python); otherwise GX filters as written. ``tests/test_gx_row_filter.py`` compares both
selections on every condition of the fixture cases.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from great_expectations.execution_engine import pandas_execution_engine as _pandas_engine
from great_expectations.expectations.row_conditions import (
    ComparisonCondition,
    Operator,
    deserialize_row_condition,
)
from pandas.core.computation.check import NUMEXPR_INSTALLED

from expectations.source_guard import source_hash

_Engine = _pandas_engine.PandasExecutionEngine
ORIGINAL = _Engine._apply_row_condition_filter
PLAIN_VALUES = (int, float, bool)
# Columns query compares as Python does: not float32 (query casts a float constant to float32
# for it) nor dates (query turns the constant into a timestamp).
PLAIN_DTYPES = (np.dtype("float64"), np.dtype("int64"), np.dtype("bool"), np.dtype("O"))


def plain_equality(condition: Any, data: pd.DataFrame) -> bool:
    """Whether condition is one column of data (named once, of a dtype in PLAIN_DTYPES) equal
    to an int, float or bool."""
    return (type(condition) is ComparisonCondition and condition.operator == Operator.EQUAL
            and type(condition.parameter) in PLAIN_VALUES
            and not data.columns.has_duplicates and condition.column.name in data.columns
            and data[condition.column.name].dtype in PLAIN_DTYPES)


def apply_row_condition_filter(self, data: pd.DataFrame, row_condition: Any,
                               domain_kwargs: dict) -> pd.DataFrame:
    """PandasExecutionEngine._apply_row_condition_filter, with a plain equality (see
    ``plain_equality``) selected as DataFrame.query selects it, without parsing a text."""
    condition = (deserialize_row_condition(row_condition) if isinstance(row_condition, dict)
                 else row_condition)
    if plain_equality(condition, data):
        column, value = condition.column.name, condition.parameter
        if _SELECTED[0] is not data:  # a new frame: what was selected from the last one goes
            _SELECTED[:] = [data, {}]
        key = (column, type(value), value)
        selected = _SELECTED[1].get(key)
        if selected is None:
            selected = _SELECTED[1][key] = data.loc[data[column] == value]
        return selected.copy(deep=False)  # copy on write: a change to it stays in it
    return ORIGINAL(self, data, condition, domain_kwargs)


# The frame rows were last selected from, and each selection made from it by (column, type of
# value, value): the metrics of one expectation, and the expectations of one table, ask for the
# same rows again (150 selections of 29 different ones for the 2024 case).
_SELECTED: list = [None, {}]


# The code the replacement was written against, with the sha256 of its source
# (great-expectations 1.24.1, pandas 3.1.1).
PATCHED_SOURCES = {
    "PandasExecutionEngine._apply_row_condition_filter": (ORIGINAL, "917e05df63a2a6af"),
    "PandasExecutionEngine._comparison_condition_to_filter_clause": (
        _Engine._comparison_condition_to_filter_clause, "919dbe2c750a2183"),
    "query_column_reference": (_pandas_engine.query_column_reference, "b20efd8b15ea7f63"),
    "DataFrame.query": (pd.DataFrame.query, "f315933477d8c9d7"),
}


def direct_row_filters(on: bool = True) -> bool:
    """Put the replacement in place of GX's method (or, with on=False, GX's own back); only
    when the code it relies on is the code it was written against and numexpr is absent.
    Returns whether the replacement is in place."""
    if on and (NUMEXPR_INSTALLED or any(source_hash(thing) != digest
                                        for thing, digest in PATCHED_SOURCES.values())):
        on = False
    _Engine._apply_row_condition_filter = apply_row_condition_filter if on else ORIGINAL
    return on
