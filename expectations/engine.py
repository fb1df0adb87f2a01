"""great-expectations as the suites run it: imported once per process, and cheaper to import.

Its import loads ``scipy.stats`` and ``altair`` for expectations this tool never uses (the
distribution tests and their charts): about a third of the import's time and 80 MB of every
process that checks a case. Both are deferred (``defer``): a stand-in module that imports the
real one when something first reads from it, so they still work wherever GX needs them.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
import types
from typing import Any

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")

# Modules GX imports at start-up only for expectations this tool does not use.
DEFERRED_MODULES = ("scipy.stats", "altair")


class DeferredModule(types.ModuleType):
    """Stands in for a module in sys.modules until something reads from it; then the real
    module is imported and every read goes to it."""

    def __getattr__(self, name: str) -> Any:
        return getattr(load_deferred(self.__name__), name)


def load_deferred(name: str) -> types.ModuleType:
    """The real module behind a deferred one, imported now if it is not yet."""
    if isinstance(sys.modules.get(name), DeferredModule):
        del sys.modules[name]
    return importlib.import_module(name)  # sets the parent package's attribute as well


def defer(name: str) -> bool:
    """Put a stand-in for module `name` in sys.modules, unless it is imported already or not
    installed; True when a stand-in was put there."""
    if name in sys.modules:
        return False
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return False
    if spec is None:
        return False
    stand_in = DeferredModule(name)
    stand_in.__spec__ = spec  # what `import name` and find_spec look at, without loading
    stand_in.__package__ = spec.parent
    sys.modules[name] = stand_in
    parent, _, child = name.rpartition(".")
    if parent:
        setattr(sys.modules[parent], child, stand_in)  # `from scipy import stats`
    return True


for _name in DEFERRED_MODULES:
    defer(_name)

import great_expectations as gx  # noqa: E402  (imported once, here)
import great_expectations.expectations as gxe  # noqa: E402
from great_expectations.data_context.types.base import ProgressBarsConfig  # noqa: E402
from great_expectations.expectations.row_conditions import Column  # noqa: E402

__all__ = ["Column", "ProgressBarsConfig", "gx", "gxe"]
