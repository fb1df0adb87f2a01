"""GX's pandas test of a column pair against a set of pairs, row by row without a Series per row.

The code/name suite checks that (printed code, the code the name resolves to) is one of SCB's
pairs with GX's ``ExpectColumnPairValuesToBeInSet``. Its pandas metric
(``column_pair_values.in_set.condition``) walks the two columns with ``DataFrame.iterrows``,
which builds a Series for every row: 25–45 ms for the 2024 case's 664 rows, more than the rest
of that suite's metrics together. ``pairs_in_set`` asks the same question of the same values
(each missing value as None, the pair looked up in the same set) while walking the two
columns side by side, for columns of text or object dtype: their values are the objects
``iterrows`` gives too, since a row of such columns converts nothing. Columns of any other
dtype (a row of numbers would become floats) go to GX's own function.

It is put in GX's metric registry through GX's own decorator, as GX registers a custom metric,
and only on the GX code it was written against (``PATCHED_SOURCES``: the hashes of GX's
function and of the decorator); otherwise GX's own function stays.
``tests/test_gx_pair_set.py`` compares both on the code/name frames and on frames with missing
values, numbers and mixed columns.
"""

from __future__ import annotations

import inspect
from typing import Any

import pandas as pd
from great_expectations.execution_engine import PandasExecutionEngine
from great_expectations.expectations.metrics.column_pair_map_metrics import (
    column_pair_values_in_set as _module,
)
from great_expectations.expectations.metrics.map_metric_provider.column_pair_condition_partial import (  # noqa: E501
    column_pair_condition_partial,
)
from great_expectations.expectations.registry import _registered_metrics

from expectations.source_guard import source_hash

METRIC = "column_pair_values.in_set.condition"
ENGINE = PandasExecutionEngine.__name__
_PROVIDERS = _registered_metrics[METRIC]["providers"]
ORIGINAL_ENTRY = _PROVIDERS[ENGINE]  # (provider class, GX's decorated function)
ORIGINAL = inspect.unwrap(_module.ColumnPairValuesInSet._pandas)  # GX's function of the columns


def _text_or_object(dtype: Any) -> bool:
    return pd.api.types.is_object_dtype(dtype) or isinstance(dtype, pd.StringDtype)


def pairs_in_set(cls: Any, column_A: pd.Series, column_B: pd.Series, **kwargs: Any
                 ) -> pd.Series:
    """GX's ColumnPairValuesInSet._pandas: whether each row's (A, B), a missing value as None,
    is one of ``value_pairs_set``; columns walked side by side where they hold text or
    objects, else GX's own function."""
    value_pairs_set = kwargs.get("value_pairs_set")
    frame = pd.DataFrame({"A": column_A, "B": column_B})
    if value_pairs_set is None or not all(_text_or_object(t) for t in frame.dtypes):
        return ORIGINAL(cls, column_A, column_B, **kwargs)
    pairs = {(x, y) for x, y in value_pairs_set}
    isnull = pd.isnull
    results = [((None if isnull(a) else a), (None if isnull(b) else b)) in pairs
               for a, b in zip(frame["A"].tolist(), frame["B"].tolist(), strict=True)]
    return pd.Series(results, index=frame.index)


# The replacement as GX registers a metric function: through its decorator, with the function
# type the registry gives it.
_decorated = column_pair_condition_partial(engine=PandasExecutionEngine)(
    pairs_in_set)
_decorated.metric_fn_type = ORIGINAL_ENTRY[1].metric_fn_type
DIRECT_ENTRY = (ORIGINAL_ENTRY[0], _decorated)

# The code the replacement was written against, with the sha256 of its source
# (great-expectations 1.24.1).
PATCHED_SOURCES = {
    "ColumnPairValuesInSet._pandas": (ORIGINAL, "3beafb8932290d42"),
    "column_pair_condition_partial": (column_pair_condition_partial, "81bbe8cef6d8f38b"),
}


def direct_pair_sets(on: bool = True) -> bool:
    """Put the replacement in GX's registry (or, with on=False, GX's own function back); only
    when GX's code is the code it was written against. Returns whether it is in place."""
    if on and any(source_hash(thing) != digest for thing, digest in PATCHED_SOURCES.values()):
        on = False
    _PROVIDERS[ENGINE] = DIRECT_ENTRY if on else ORIGINAL_ENTRY
    return on
