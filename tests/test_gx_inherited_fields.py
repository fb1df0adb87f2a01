"""expectations/inherited_fields.py: the fields a pydantic v1 model inherits, copied while GX is
imported without copy.deepcopy's generic machinery, and with the same result.

Three ways: the copy is compared with deepcopy's object for object on every model GX defines;
the models GX builds are described in two fresh interpreters, one importing GX with the cheaper
copy and one without it, and the descriptions must be equal; and the copy is used only on the
pydantic code it was written against, and only during the import.
"""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
import types
import typing
from pathlib import Path

import pydantic.v1.main as pydantic_main
from pydantic.v1 import BaseModel
from pydantic.v1.fields import FieldInfo, ModelField

from expectations import engine, inherited_fields
from expectations.inherited_fields import ATOMIC, SLOTTED, copy_fields

ROOT = Path(__file__).resolve().parent.parent


def all_models() -> list[type]:
    """Every pydantic v1 model class in this process (GX's and their dynamic subclasses)."""
    out, todo = [], [BaseModel]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            out.append(sub)
            todo.append(sub)
    return out


def immutable(value) -> bool:
    """What may be shared between a copy and its original: what deepcopy itself shares."""
    return type(value) in ATOMIC or isinstance(value, type) or (
        isinstance(value, (typing._GenericAlias, types.GenericAlias, types.UnionType))
        and inherited_fields._immutable_alias(value))


def same_graph(ours, theirs, original, pairs: dict) -> None:
    """ours (copy_fields) and theirs (deepcopy) are the same object graph: the same types and
    values, shared where the other shares (pairs: id in ours -> id in theirs), and ours holds
    no object of the original but immutable ones and those deepcopy keeps as well."""
    if id(ours) in pairs:
        assert pairs[id(ours)] == id(theirs), "sharing differs"
        return
    pairs[id(ours)] = id(theirs)
    assert type(ours) is type(theirs)
    if immutable(ours):
        assert ours == theirs or ours is theirs
        return
    if ours is original:  # shared: only where deepcopy shares it too (Undefined, enums)
        assert theirs is original, f"a {type(ours).__name__} shared with the original"
        return
    if type(ours) in SLOTTED:
        for slot in SLOTTED[type(ours)]:
            assert hasattr(ours, slot) == hasattr(theirs, slot), slot
            if hasattr(ours, slot):
                same_graph(getattr(ours, slot), getattr(theirs, slot), getattr(original, slot),
                           pairs)
    elif isinstance(ours, dict):
        assert list(ours) == list(theirs)
        for key in ours:
            same_graph(ours[key], theirs[key], original[key], pairs)
    elif isinstance(ours, (list, tuple)):
        assert len(ours) == len(theirs)
        for a, b, o in zip(ours, theirs, original, strict=True):
            same_graph(a, b, o, pairs)
    else:  # anything else was copied by deepcopy itself, in both
        assert describe(ours) == describe(theirs)


def test_the_copy_is_deepcopys_on_every_model_gx_defines() -> None:
    # Over 300 model classes with inherited fields (Expectations, data sources, configs): each
    # one's fields copied both ways give the same graph, and the copy shares nothing mutable
    # with the fields it was copied from (so a subclass setting its config or validators on
    # its copy cannot reach its base's).
    models = [m for m in all_models() if m.__fields__]
    assert len(models) > 300
    kinds = set()
    for model in models:
        fields = model.__fields__
        ours, theirs = copy_fields(fields), copy.deepcopy(fields)
        same_graph(ours, theirs, fields, {})
        kinds |= {type(f.field_info).__name__ for f in ours.values()}
        assert all(ours[name] is not fields[name] for name in fields)
    assert kinds == {"FieldInfo"}


def test_a_copied_field_changed_leaves_its_original_alone() -> None:
    # What ModelMetaclass does to an inherited field (set_config, extra class validators,
    # populate_validators) done to the copy: the base model's field keeps its own values.
    from great_expectations.expectations import ExpectColumnValuesToBeBetween as Model

    field = Model.__fields__["column"]
    before = (field.model_config, dict(field.class_validators), list(field.validators),
              field.field_info.extra.copy())
    copied = copy_fields(Model.__fields__)["column"]

    class Other(Model.__config__):
        pass

    copied.set_config(Other)
    copied.class_validators["extra"] = next(iter(field.class_validators.values()), None)
    copied.validators.append(len)
    copied.field_info.extra["marker"] = 1
    assert (field.model_config, dict(field.class_validators), list(field.validators),
            field.field_info.extra) == before
    assert isinstance(copied, ModelField) and isinstance(copied.field_info, FieldInfo)


def describe(value, depth: int = 0):
    """A model's field as plain data: every slot, recursively; names for classes and
    functions; reprs without addresses for the rest."""
    if depth > 12:
        return "..."
    if type(value) in SLOTTED:
        return {slot: describe(getattr(value, slot), depth + 1)
                for slot in SLOTTED[type(value)] if hasattr(value, slot)}
    if isinstance(value, dict):
        return [[str(k), describe(v, depth + 1)] for k, v in value.items()]
    if isinstance(value, (list, tuple)):
        return [describe(v, depth + 1) for v in value]
    if isinstance(value, type) or callable(value) and hasattr(value, "__qualname__"):
        return f"{getattr(value, '__module__', '')}.{value.__qualname__}"
    return re.sub(r" at 0x[0-9a-f]+", "", repr(value))


DESCRIBE_MODELS = """
import json, sys
{setup}
import expectations.engine as engine
sys.path.insert(0, "tests")
from test_gx_inherited_fields import all_models, describe
print(json.dumps([engine.CHEAPER_COPIES, sorted(json.dumps(
    [m.__module__, m.__qualname__, [[n, describe(f)] for n, f in m.__fields__.items()]])
    for m in all_models())]))
"""
WITHOUT = ("import expectations.inherited_fields as f\n"
           "f.PATCHED_SOURCES['Validator'] = (f.PATCHED_SOURCES['Validator'][0], '0' * 16)\n")


def models_described(setup: str) -> tuple[bool, list[str]]:
    out = subprocess.run([sys.executable, "-c", DESCRIBE_MODELS.format(setup=setup)], cwd=ROOT,
                         capture_output=True, text=True, check=True, timeout=300)
    on, models = json.loads(out.stdout.strip().splitlines()[-1])
    return on, models


def test_gx_builds_the_same_models_with_and_without_the_cheaper_copy() -> None:
    # Two fresh interpreters import GX: one as engine.py does, one with a recorded hash
    # changed (as a pydantic upgrade would), which keeps pydantic's deepcopy. Every model
    # class GX defines, every field with every slot (types, defaults, validators, sub-fields,
    # config) is described the same in both.
    on, cheaper = models_described("")
    off, as_written = models_described(WITHOUT)
    assert (on, off) == (True, False)
    assert len(cheaper) > 300
    assert cheaper == as_written


def test_the_copy_is_used_only_on_this_pydantic_and_only_while_gx_is_imported() -> None:
    # The installed pydantic is the one it was written against (else GX's import would be
    # slower, silently); after the import pydantic's own function is back in place.
    assert engine.CHEAPER_COPIES
    for thing, digest in inherited_fields.PATCHED_SOURCES.values():
        assert inherited_fields.source_hash(thing) == digest
    assert pydantic_main.smart_deepcopy is inherited_fields._original_smart_deepcopy
    with inherited_fields.cheaper_copies() as on:
        assert on and pydantic_main.smart_deepcopy is inherited_fields.smart_deepcopy
    assert pydantic_main.smart_deepcopy is inherited_fields._original_smart_deepcopy
