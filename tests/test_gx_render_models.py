"""expectations/render_models.py: GX's Data Docs renderer with each parameter model class made
once per name; the pages are the same as GX renders them with a new class every time.

Checked on every validation page of the 2024 annex with a defect (failed and passed rows of
every suite) and of a code/name table, rendered both ways and compared as text; the cached
class is the one GX's function makes for the name; other GX code is left as written.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_expectations_support import KUNSKAP, amount, reference_codes, set_amount, truth_frame
from test_gx_row_filter import CODES, code_name_frame

from expectations import docs, render_models
from expectations.runner import run_suites

Configuration = render_models._Configuration
# The one part of a page that differs between two renderings of one result: the time GX adds
# to its logo's URL (which the sanitiser replaces by the local logo).
RENDER_TIME = re.compile(r"\?d=\d{8}T\d{6}\.\d+Z")


def test_this_gx_is_the_one_the_cache_was_written_for() -> None:
    # The installed great-expectations hashes as recorded: the cache is in place once the Data
    # Docs' tools are made (else every case would render slower, silently).
    docs._page_tools()
    assert Configuration._get_renderer_value_base_model_type is render_models.param_model
    for thing, digest in render_models.PATCHED_SOURCES.values():
        assert render_models.source_hash(thing) == digest


def test_one_class_per_name_with_the_fields_gx_gives_it() -> None:
    made = render_models.ORIGINAL.__func__("min_value")  # GX's own, a new class each call
    cached = render_models.param_model("min_value")
    assert render_models.param_model("min_value") is cached
    assert render_models.param_model("max_value") is not cached
    assert cached.__name__ == made.__name__ == "min_value"
    assert cached.__bases__ == made.__bases__
    assert {n: (f.outer_type_, f.alias, f.required) for n, f in cached.__fields__.items()} == {
        n: (f.outer_type_, f.alias, f.required) for n, f in made.__fields__.items()}


@pytest.fixture
def compared(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every page the Data Docs render while the fixture is active, rendered with the cache and
    with GX's own function, compared as text; the list holds each suite's page."""
    seen = []
    render = docs.render_validation

    def both(result):
        assert render_models.cached_param_models(on=False) is False
        theirs = render(result)
        assert render_models.cached_param_models(on=True)
        ours = render(result)
        assert RENDER_TIME.sub("", ours) == RENDER_TIME.sub("", theirs)
        seen.append(ours)
        return ours

    monkeypatch.setattr(docs, "render_validation", both)
    return seen


def test_pages_are_the_same_with_and_without_the_cache(compared: list[str],
                                                       tmp_path: Path) -> None:
    # Upplands Väsby's (0114) kommun amount 1 000 kr above the printed 475 568: its row's
    # Totalt belopp, the column's Riket value and Stockholms län's region key break, so the
    # pages hold failed rows with their values as well as passed ones.
    frame = set_amount(truth_frame(), "kommun", "0114", KUNSKAP,
                       amount("kommun", "0114", KUNSKAP) + 1000)
    run = run_suites(frame, reference_codes(), data_docs_dir=tmp_path / "annex")
    small, pairs = code_name_frame()
    named = run_suites(small, CODES, code_pairs=pairs, data_docs_dir=tmp_path / "names")
    assert len(compared) == len(run.checks) + len(named.checks)
    assert any("0114" in page for page in compared)  # the failing row is on a page


def test_other_gx_code_is_left_as_written(monkeypatch: pytest.MonkeyPatch) -> None:
    # A GX whose function differs from the one the cache was written for (here: its recorded
    # hash changed, as an upgrade would) keeps its own function.
    name, (thing, _) = next(iter(render_models.PATCHED_SOURCES.items()))
    monkeypatch.setitem(render_models.PATCHED_SOURCES, name, (thing, "0" * 16))
    try:
        assert render_models.cached_param_models() is False
        assert Configuration.__dict__["_get_renderer_value_base_model_type"] is \
            render_models.ORIGINAL
    finally:
        monkeypatch.undo()
        assert render_models.cached_param_models()
