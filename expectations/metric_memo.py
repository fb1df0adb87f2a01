"""Three of GX's pure functions remembered by content while it plans a validation's metrics.

For every metric an expectation needs (six for a column map expectation), and again when it
checks the results, GX builds the metric's keyword arguments (``get_metric_kwargs``: a new
Expectation from the configuration, validated by pydantic, then its whole configuration
rebuilt) and names them by hashing their JSON (``IDDict.to_id``); it also rebuilds an
expectation's configuration (``Expectation.configuration``: a pydantic ``dict()`` of every
field) each time it passes one on. An expectation with a value set of 290 codes walks those
codes a few dozen times per metric; the 2024 case made 330 argument sets, 2 900 names and 590
configurations per run, of which fewer than one in six were new.

Each output depends on the content it is made from alone. ``memo_key`` writes that content
exactly as bytes (pickled: each value with its type, floats bit for bit, dict keys in order;
a pydantic model as its class and field values) or gives up (None) on anything but the plain
data pickle writes itself (dicts, lists, tuples, sets, strings, numbers, booleans, None), enum
members and, for configurations, pydantic models: then GX computes as written. A remembered
argument set or configuration is kept pickled and each answer is unpickled from it, new
objects all through, as GX's own answers are; a name is a string. At most ``MEMO_SIZE``
entries are kept per memo (the oldest go first).

Applied only to the GX and pydantic code it was written against (``PATCHED_SOURCES``: hashes
of the three functions and of what their outputs are computed from, great-expectations 1.24.1,
pydantic 2.14.4's v1); other code runs as written. ``tests/test_gx_metric_memo.py`` compares
the three outputs with GX's on every call of the fixture suites, and the suites' results both
ways.
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
from great_expectations.expectations import row_conditions as _row_conditions
from great_expectations.util import convert_to_json_serializable
from pydantic.v1 import BaseModel as _BaseModel

from expectations.source_guard import source_hash

MEMO_SIZE = 1024  # entries per memo: a case makes about 150; at most ~2 KB each (~5 MB in all)
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


class _ModelPickler(_PlainPickler):
    """Also pydantic (v1) models: each by its class (pickled by name) and its fields' values."""

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, _BaseModel):
            return type(obj), (), (obj.__dict__, sorted(obj.__fields_set__))
        if isinstance(obj, type) and issubclass(obj, _BaseModel):
            return NotImplemented
        return super().reducer_override(obj)


def memo_key(*parts: Any, models: bool = False) -> bytes | None:
    """The parts' content as bytes (pickled: every value with its type, floats bit for bit,
    dict keys in order), or None when a part holds anything but plain data and enum members
    (and, with ``models``, pydantic models). Equal bytes are equal content; the pickling runs
    in C, a walk in Python took longer."""
    buffer = io.BytesIO()
    pickler = (_ModelPickler if models else _PlainPickler)(buffer,
                                                          protocol=pickle.HIGHEST_PROTOCOL)
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
        _keep(_KWARGS, key, found)
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


_CONFIGURATIONS: dict[bytes, bytes] = {}
ORIGINAL_CONFIGURATION = _expectation.Expectation.configuration


def configuration(self) -> Any:
    """Expectation.configuration, remembered by the expectation's class and field values (its
    pydantic ``dict()``, which the configuration is made from, depends on nothing else)."""
    key = memo_key(type(self), self.__dict__, models=True)
    if key is None:
        return ORIGINAL_CONFIGURATION.fget(self)
    found = _CONFIGURATIONS.get(key)
    if found is None:
        made = ORIGINAL_CONFIGURATION.fget(self)
        _keep(_CONFIGURATIONS, key, made)
        return made
    return pickle.loads(found)


def _keep(memo: dict, key: bytes, answer: Any) -> None:
    """Remember an answer pickled: each answer unpickled from it is made of new objects."""
    try:
        _remember(memo, key, pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))
    except (pickle.PicklingError, TypeError, AttributeError):
        pass  # an answer pickle cannot keep is computed again next time


# The code the memos rely on, with the sha256 of its source (great-expectations 1.24.1).
PATCHED_SOURCES = {
    "registry.get_metric_kwargs": (ORIGINAL_KWARGS, "1c6cab93be71d128"),
    "ExpectationConfiguration.to_domain_obj": (
        _configuration.ExpectationConfiguration.to_domain_obj, "24e276873831375b"),
    "Expectation.configuration": (ORIGINAL_CONFIGURATION.fget, "017b2b788132d570"),
    "Condition.dict": (_row_conditions.Condition.dict, "1e68fd50387292dd"),
    "BaseModel.dict": (_BaseModel.dict, "9a27d45c6c23d238"),
    "BaseModel._iter": (_BaseModel._iter, "36347786d8086d4b"),
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
    _CONFIGURATIONS.clear()
    _expectation.get_metric_kwargs = get_metric_kwargs if on else ORIGINAL_KWARGS
    _id_dict.IDDict.to_id = to_id if on else ORIGINAL_TO_ID
    _expectation.Expectation.configuration = (property(configuration) if on
                                              else ORIGINAL_CONFIGURATION)
    return on
