"""A cheaper copy of the fields a pydantic v1 model inherits, used while great-expectations is
imported.

Every pydantic v1 model class copies the fields of its bases (``ModelMetaclass.__new__``:
``fields.update(smart_deepcopy(base.__fields__))``) so that the class can set its own config
and validators on them without touching its base's. GX defines some 360 such classes whose
bases hold many fields, and ``copy.deepcopy`` walks each field generically (``__reduce_ex__``,
a state dict per object, typing aliases rebuilt): about half of GX's import.

``copy_fields`` makes the same copy faster: every object deepcopy would copy is copied here too
(fields, their ``FieldInfo`` and ``Validator`` objects as fresh objects with the same slots;
dicts and lists as fresh containers; anything else by ``copy.deepcopy`` itself, with the same
memo, so objects shared within the fields stay shared within the copy). Only what deepcopy
would not copy, or cannot be changed, is taken as it is: what ``copy`` treats as atomic
(``None``, numbers, strings, classes, functions), and typing aliases other than ``Annotated``
without a forward reference inside (immutable, hashed by their arguments; deepcopy rebuilds
them through typing's cache, mostly getting the same object back). A ``ForwardRef`` is
mutable (evaluating it caches its value) and always goes to deepcopy.
``tests/test_gx_inherited_fields.py`` compares this copy with deepcopy's, object for object,
on every model GX defines, and the models GX builds with it against those it builds without.

It is used only on the pydantic code it was written against (``PATCHED_SOURCES``: the hashes
of the call site's and the replaced function's source, and of what deepcopy reads of the three
slotted classes it copies: their slots and copy hooks), and only while GX is imported
(``cheaper_copies``); other pydantic code keeps its own deepcopy.
"""

from __future__ import annotations

import copy
import copyreg
import hashlib
import types
import typing
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pydantic.v1.class_validators as _validators
import pydantic.v1.fields as _fields
import pydantic.v1.main as _main
import pydantic.v1.utils as _utils

from expectations.source_guard import source_hash as function_hash

# What copy.deepcopy returns as it is (its atomic types); classes of every metaclass too.
ATOMIC = frozenset(t for t, f in copy._deepcopy_dispatch.items() if f is copy._deepcopy_atomic)
# Objects with slots only (no __dict__, no copy hooks of their own): copied slot by slot.
SLOTTED = {cls: tuple(copyreg._slotnames(cls))
           for cls in (_fields.ModelField, _fields.FieldInfo, _validators.Validator)}
ALIASES = (typing._GenericAlias, types.GenericAlias, types.UnionType)  # typing's subscripted types

_deepcopy = copy.deepcopy
_original_smart_deepcopy = _main.smart_deepcopy


def _immutable_alias(value: Any) -> bool:
    """A typing alias (List[int], Optional[X], Literal[...], list[int], int | None) with no
    forward reference anywhere in its arguments."""
    if not isinstance(value, ALIASES) or isinstance(value, typing._AnnotatedAlias):
        return False  # Annotated's metadata may be anything (a FieldInfo: mutable)
    for arg in getattr(value, "__args__", ()):
        if isinstance(arg, typing.ForwardRef):
            return False
        if isinstance(arg, ALIASES) and not _immutable_alias(arg):
            return False
    return True


def _copy(value: Any, memo: dict) -> Any:
    cls = type(value)
    if cls in ATOMIC or issubclass(cls, type):
        return value
    found = memo.get(id(value))
    if found is not None:
        return found
    slots = SLOTTED.get(cls)
    if slots is not None:
        new = object.__new__(cls)
        memo[id(value)] = new  # before the slots, as deepcopy does: cycles meet the copy
        for slot in slots:
            try:
                item = getattr(value, slot)
            except AttributeError:  # a slot never set stays unset
                continue
            setattr(new, slot, item if type(item) in ATOMIC else _copy(item, memo))
        return new
    if cls is dict:
        new = {}
        memo[id(value)] = new
        for key, item in value.items():
            new[_copy(key, memo)] = _copy(item, memo)
        return new
    if cls is list:
        new = []
        memo[id(value)] = new
        new.extend(item if type(item) in ATOMIC else _copy(item, memo) for item in value)
        return new
    if _immutable_alias(value):
        return value
    return _deepcopy(value, memo)


def copy_fields(fields: dict) -> dict:
    """A model's fields (name -> ModelField) copied: fresh fields sharing nothing mutable with
    these, as ``copy.deepcopy`` gives them."""
    return _copy(fields, {})


def smart_deepcopy(obj: Any) -> Any:
    """pydantic's smart_deepcopy as ModelMetaclass calls it (on a base's ``__fields__``), with
    a non-empty dict of fields copied by ``copy_fields``; anything else goes to pydantic's."""
    if type(obj) is dict and obj and all(
            type(f) is _fields.ModelField for f in obj.values()):
        return copy_fields(obj)
    return _original_smart_deepcopy(obj)


# The hooks through which a class changes how copy.deepcopy makes its objects.
COPY_HOOKS = ("__new__", "__copy__", "__deepcopy__", "__reduce__", "__reduce_ex__",
              "__getstate__", "__setstate__", "__getnewargs__", "__getnewargs_ex__")


def copy_shape(cls: type) -> str:
    """What copy.deepcopy reads of a class: its objects' slots, whether they have a __dict__
    as well, and the copy hooks the class or its bases (but object) define."""
    bases = cls.__mro__[:-1]
    hooks = sorted({name for base in bases for name in COPY_HOOKS if name in vars(base)})
    has_dict = not all("__slots__" in vars(base) for base in bases)
    return f"{copyreg._slotnames(cls)} dict={has_dict} hooks={hooks}"


def source_hash(thing: Any) -> str | None:
    """sha256 of a function's source, or of a class's copy shape (``copy_shape``: cheaper
    than its source, which inspect finds by parsing the whole module)."""
    if not isinstance(thing, type):
        return function_hash(thing)
    return hashlib.sha256(copy_shape(thing).encode()).hexdigest()[:16]


# What the copy relies on, with the sha256 of its source (of its copy shape for the classes)
# in pydantic 2.14.4's pydantic.v1.
PATCHED_SOURCES = {
    "ModelMetaclass.__new__": (_main.ModelMetaclass.__new__, "7d6953549e6875ed"),
    "smart_deepcopy": (_utils.smart_deepcopy, "4dd86edff8905f21"),
    "ModelField": (_fields.ModelField, "2fefc0d330071647"),
    "FieldInfo": (_fields.FieldInfo, "4cfbdb7f72764259"),
    "Validator": (_validators.Validator, "60a63e1befcedcec"),
}


def pydantic_as_written_for() -> bool:
    """Whether pydantic's code is the code ``copy_fields`` was written against."""
    return _main.smart_deepcopy is _original_smart_deepcopy is _utils.smart_deepcopy and all(
        source_hash(thing) == digest for thing, digest in PATCHED_SOURCES.values())


@contextmanager
def cheaper_copies() -> Iterator[bool]:
    """Within the block, model classes copy their inherited fields with ``copy_fields`` (when
    pydantic is the code it was written against; yields whether it is); pydantic's own
    smart_deepcopy is back afterwards."""
    on = pydantic_as_written_for()
    if on:
        _main.smart_deepcopy = smart_deepcopy
    try:
        yield on
    finally:
        _main.smart_deepcopy = _original_smart_deepcopy
