"""great-expectations as the suites run it: imported once per process, and cheaper to run.

Five costs of GX that buy nothing here are cut, without changing what it validates or says:

- Its import (with pandas and pydantic's models) makes some 250 000 objects the garbage
  collector tracks, all living as long as the process; the collector walked them all three
  times while they were made: a sixth of the import's CPU time. It is off during the import,
  and what the import made is frozen (``gc.freeze``: out of the collector's walks, as
  pipeline.orchestrate does once per process).
- Its import loads ``scipy.stats`` and ``altair`` for expectations this tool never uses (the
  distribution tests and their charts): about a third of the import's time and 80 MB of every
  process that checks a case. Both are deferred (``defer``): a stand-in module that imports the
  real one when something first reads from it, so they still work wherever GX needs them.
  So are ``jsonschema`` (the JSON-schema expectation), ``mistune`` (markdown in its notes) and
  ``smtplib`` (its e-mail action): 2.6 MB of the 2024 case's peak, none of them used.
- Each of GX's pydantic models deep-copies the fields it inherits, through ``copy.deepcopy``'s
  generic machinery: about half of its import. While GX is imported, those copies are made by
  ``expectations/inherited_fields.py``: the same fresh objects, made directly.
- GX rebuilds an expectation's whole configuration (a pydantic ``dict()`` of every kwarg) for
  each key it looks up while planning a validation (4 260 times for the 2024 case's 50
  expectations; 920 with the change below), which for
  the coverage and code/name suites' value sets of 290 codes was most of their time.
  ``fewer_configurations`` makes those lookups build it once per call instead; the values looked
  up are the same. It is applied only to the GX code it was written against (``PATCHED_SOURCES``
  holds that code's hashes); any other version of it is left alone and runs as GX wrote it.
- GX filters the frame by a row condition (``group == 3``) through ``DataFrame.query``, parsing
  the condition's text for each of the 150 metrics the 2024 case computes under one.
  ``expectations/row_filter.py`` selects the same rows without the text, on the same terms.

Also made cheaper after the import, each in its own module and on the same terms:
``expectations/metric_memo.py`` (metric arguments, metric names and configurations remembered
by content), ``expectations/pair_set.py`` (the column pair set test without a Series per row)
and, when Data Docs are built, ``expectations/render_models.py``.
"""

from __future__ import annotations

import gc
import importlib
import importlib.util
import logging
import os
import sys
import types
from typing import Any

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")

# Modules GX imports at start-up only for expectations this tool does not use.
DEFERRED_MODULES = ("scipy.stats", "altair", "jsonschema", "mistune", "smtplib")


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

# The imports below make some 250 000 objects that live as long as the process: the garbage
# collector is off until they are in, then they are frozen, and it is back as it was.
_GC_WAS_ON = gc.isenabled()
gc.disable()
try:
    import pandas as pd  # noqa: E402  (GX's pandas engine; imported here, under the pause)

    from expectations.inherited_fields import cheaper_copies  # noqa: E402

    with cheaper_copies() as CHEAPER_COPIES:  # GX's models copy their inherited fields faster
        import great_expectations as gx  # noqa: E402  (imported once, here)
        import great_expectations.expectations as gxe  # noqa: E402
        from great_expectations.data_context.types.base import ProgressBarsConfig  # noqa: E402
        from great_expectations.expectations import expectation as _gx_expectation  # noqa: E402
        from great_expectations.expectations.row_conditions import Column  # noqa: E402
        from great_expectations.validator.v1_validator import (  # noqa: E402
            Validator as V1Validator,
        )
finally:
    gc.freeze()
    if _GC_WAS_ON:
        gc.enable()

from expectations.source_guard import source_hash  # noqa: E402

__all__ = ["Column", "ProgressBarsConfig", "V1Validator", "gx", "gxe", "pd"]

_Expectation = _gx_expectation.Expectation
_logger = logging.getLogger(_gx_expectation.__name__)


def _one_kwarg(self, key: str, kwargs: dict, default: Any = None) -> Any:
    if key in kwargs:
        return kwargs[key]
    field = self.__fields__.get(key)
    if field is not None:
        return field.default if not field.required else default
    _logger.warning(f'_get_success_kwarg called with key "{key}", '
                    f"but it is not a known field of {type(self).__name__}")
    return default


def _domain_kwargs(self, kwargs: dict) -> dict:
    return {key: kwargs.get(key, self._get_default_value(key)) for key in self.domain_keys}


def _success_kwargs(self, kwargs: dict) -> dict:
    domain = _domain_kwargs(self, kwargs)
    success = {key: kwargs.get(key, self._get_default_value(key)) for key in self.success_keys}
    success.update(domain)
    return success


def get_domain_kwargs(self) -> dict:
    """Expectation._get_domain_kwargs, with the configuration built once."""
    return _domain_kwargs(self, self.configuration.kwargs)


def get_success_kwargs(self) -> dict:
    """Expectation._get_success_kwargs, with the configuration built once."""
    return _success_kwargs(self, self.configuration.kwargs)


def get_success_kwarg(self, key: str, default: Any = None) -> Any:
    """Expectation._get_success_kwarg, with the configuration built once."""
    return _one_kwarg(self, key, self.configuration.kwargs, default)


def get_runtime_kwargs(self, runtime_configuration: dict | None = None) -> dict:
    """Expectation._get_runtime_kwargs, with the configuration built once."""
    runtime_configuration = runtime_configuration or {}
    kwargs = self.configuration.kwargs
    success = _success_kwargs(self, kwargs)
    runtime = {key: runtime_configuration.get(key, _one_kwarg(self, key, kwargs))
               for key in self.runtime_keys}
    runtime.update(success)
    runtime["result_format"] = _gx_expectation.parse_result_format(runtime["result_format"])
    return runtime


# GX's methods replaced, each with the sha256 of its source in great-expectations 1.24.1.
PATCHED_SOURCES = {
    "_get_domain_kwargs": (get_domain_kwargs, "91ad2a0670ff463a"),
    "_get_success_kwargs": (get_success_kwargs, "fe376905e18bc525"),
    "_get_success_kwarg": (get_success_kwarg, "baef37a186b40871"),
    "_get_runtime_kwargs": (get_runtime_kwargs, "4196ca2a2cdb5bbf"),
}
ORIGINALS = {name: getattr(_Expectation, name) for name in PATCHED_SOURCES}


def fewer_configurations(on: bool = True) -> bool:
    """Make GX's kwarg lookups build an expectation's configuration once per call (or, with
    on=False, put GX's own methods back). Only when all four methods are the code the
    replacements were written from; returns whether the replacements are in place."""
    if on and any(source_hash(ORIGINALS[name]) != digest
                  for name, (_, digest) in PATCHED_SOURCES.items()):
        on = False
    for name, (replacement, _) in PATCHED_SOURCES.items():
        setattr(_Expectation, name, replacement if on else ORIGINALS[name])
    return on


FEWER_CONFIGURATIONS = fewer_configurations()

from expectations.row_filter import direct_row_filters  # noqa: E402

DIRECT_ROW_FILTERS = direct_row_filters()

from expectations.metric_memo import remembered_metrics  # noqa: E402

REMEMBERED_METRICS = remembered_metrics()

from expectations.pair_set import direct_pair_sets  # noqa: E402

DIRECT_PAIR_SETS = direct_pair_sets()
