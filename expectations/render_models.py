"""GX's Data Docs renderer with its parameter models made once per name, not once per use.

Rendering an expectation's line of a validation page, GX's ``RendererConfiguration`` makes a
pydantic model class for every parameter it shows (``_get_renderer_value_base_model_type``:
``create_model(name, ...)`` on the same base and fields every time, so a class depends on its
name alone), and again for each value whose type it tries: about seventy classes for the 2024
case, a third of its Data Docs' time. ``cached_param_models`` keeps the class GX makes for each
name and hands the same class out again; GX's own function makes every one of them.

It is applied only to the GX code it was written against (``PATCHED_SOURCES``: the hash of
the function's source in great-expectations 1.24.1); any other version is left as written.
``tests/test_gx_render_models.py`` renders the pages of a failing 2024 annex and of a
code/name table both ways.
"""

from __future__ import annotations

from functools import cache

from great_expectations.render import renderer_configuration as _renderer_configuration

from expectations.source_guard import source_hash

_Configuration = _renderer_configuration.RendererConfiguration
ORIGINAL = _Configuration.__dict__["_get_renderer_value_base_model_type"]  # the staticmethod
PATCHED_SOURCES = {
    "RendererConfiguration._get_renderer_value_base_model_type": (ORIGINAL.__func__,
                                                                  "566f127be83ec3f0"),
}


@cache
def param_model(name: str) -> type:
    """GX's parameter model class for a parameter name, made by GX once per name."""
    return ORIGINAL.__func__(name)


def cached_param_models(on: bool = True) -> bool:
    """Put the cached maker in place of GX's (or, with on=False, GX's own back); only when
    GX's function is the code this was written against. Returns whether it is in place."""
    if on and any(source_hash(thing) != digest for thing, digest in PATCHED_SOURCES.values()):
        on = False
    made = staticmethod(param_model) if on else ORIGINAL
    _Configuration._get_renderer_value_base_model_type = made
    return on
