"""Two of GX's pure functions remembered by content while it plans a validation's metrics.

For every metric an expectation needs (six for a column map expectation), and again when it
checks the results, GX builds the metric's keyword arguments (``get_metric_kwargs``: a new
Expectation from the configuration, validated by pydantic, then its whole configuration
rebuilt) and names them by hashing their JSON (``IDDict.to_id``). An expectation with a value
set of 290 codes walks those codes a few dozen times per metric; the 2024 case made 330 such
argument sets and 2 900 names, of which fewer than one in six were new.

Both outputs depend on the content they are given alone. ``memo_key`` writes that content
exactly as bytes (pickled: each value with its type, floats bit for bit, dict keys in order) or
gives up (None) on anything but the plain data pickle writes itself (dicts, lists, tuples,
sets, strings, numbers, booleans, None) and enum members: then GX computes as written. A
remembered argument set is kept pickled and each answer is unpickled from it, new objects all
through, as GX's own answers are; a name is a string. At most ``MEMO_SIZE`` entries are kept
(the oldest go first).

Applied only to the GX code it was written against (``PATCHED_SOURCES``: hashes of the two
functions and of what their outputs are computed from, great-expectations 1.24.1); other GX
code runs as written. ``tests/test_gx_metric_memo.py`` compares both functions' outputs with
GX's on every call of the fixture suites, and the suites' results both ways.
"""

from __future__ import annotations

import io
import pickle
from enum import Enum
from typing import Any

from great_expectations.core import id_dict as _id_dict
from great_expectations.expectations import expectation as _expectation
from great_expectations.expectations import expectation_configuration as _configuration
from great_expectations.expectations import registry as _registry
from great_expectations.util import convert_to_json_serializable

from expectations.source_guard import source_hash

MEMO_SIZE = 4096  # entries per memo: every distinct expectation of a nightly batch, and more
ORIGINAL_KWARGS = _registry.get_metric_kwargs
ORIGINAL_TO_ID = _id_dict.IDDict.to_id
_GIVE_UP = object()


class _NotPlain(Exception):
    pass


class _PlainPickler(pickle.Pickler):
    """Pickles plain data (the types pickle writes itself) and enum members (by name); any
    other object stops it."""

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, Enum) or (isinstance(obj, type) and issubclass(obj, Enum)):
            return NotImplemented  # a member: its class (pickled by name) and its value
        raise _NotPlain


def memo_key(*parts: Any) -> bytes | None:
    """The parts' content as bytes (pickled: every value with its type, floats bit for bit,
    dict keys in order), or None when a part holds anything but plain data and enum members.
    Equal bytes are equal content; the pickling runs in C, a walk in Python took longer."""
    buffer = io.BytesIO()
    pickler = _PlainPickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True  # no references between parts: the same content, the same bytes
    try:
        pickler.dump(parts)
    except (_NotPlain, pickle.PicklingError, TypeError, ValueError, RecursionError):
        return None
    return buffer.getvalue()


def _remember(memo: dict, key: Any, value: Any) -> None:
    if len(memo) >= MEMO_SIZE:
        del memo[next(iter(memo))]
    memo[key] = value


_KWARGS: dict[bytes, bytes] = {}


def get_metric_kwargs(metric_name: str, configuration: Any = None,
                      runtime_configuration: dict | None = None) -> dict:
    """registry.get_metric_kwargs, remembered by the metric's name, the configuration's
    content and the runtime configuration."""
    key = None if configuration is None else memo_key(
        metric_name, configuration.type, configuration.kwargs, configuration.meta,
        configuration.notes, configuration.description, configuration.severity,
        configuration.id, configuration.rendered_content, runtime_configuration)
    if key is None:
        return ORIGINAL_KWARGS(metric_name, configuration, runtime_configuration)
    found = _KWARGS.get(key)
    if found is None:
        found = ORIGINAL_KWARGS(metric_name, configuration, runtime_configuration)
        try:  # kept pickled: each answer unpickled from it is made of new objects
            _remember(_KWARGS, key, pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL))
        except (pickle.PicklingError, TypeError, AttributeError):
            pass  # an answer pickle cannot keep is computed again next time
        return found
    return pickle.loads(found)


_IDS: dict[tuple, Any] = {}  # (class, content) -> name


def to_id(self, id_keys=None, id_ignore_keys=None):
    """IDDict.to_id, remembered by the dict's class and content (for the default keys)."""
    content = None
    if id_keys is None and id_ignore_keys is None:
        content = memo_key(sorted(self._id_ignore_keys), tuple(self.items()))
    if content is None:
        return ORIGINAL_TO_ID(self, id_keys, id_ignore_keys)
    key = (type(self), content)
    found = _IDS.get(key, _GIVE_UP)
    if found is _GIVE_UP:
        found = ORIGINAL_TO_ID(self)
        _remember(_IDS, key, found)
    return found


# The code the memos rely on, with the sha256 of its source (great-expectations 1.24.1).
PATCHED_SOURCES = {
    "registry.get_metric_kwargs": (ORIGINAL_KWARGS, "1c6cab93be71d128"),
    "ExpectationConfiguration.to_domain_obj": (
        _configuration.ExpectationConfiguration.to_domain_obj, "24e276873831375b"),
    "Expectation.configuration": (_expectation.Expectation.configuration.fget,
                                  "017b2b788132d570"),
    "IDDict.to_id": (ORIGINAL_TO_ID, "3820fd313f5a0f69"),
    "convert_to_json_serializable": (convert_to_json_serializable, "a282e2e272fc0dd2"),
}


def remembered_metrics(on: bool = True) -> bool:
    """Put the remembering functions in place of GX's (or, with on=False, GX's own back), only
    when GX's code is the code they were written against; returns whether they are in place.
    The memos start empty either way."""
    if on and any(source_hash(thing) != digest for thing, digest in PATCHED_SOURCES.values()):
        on = False
    _KWARGS.clear()
    _IDS.clear()
    _expectation.get_metric_kwargs = get_metric_kwargs if on else ORIGINAL_KWARGS
    _id_dict.IDDict.to_id = to_id if on else ORIGINAL_TO_ID
    return on
