"""expectations/engine.py: great-expectations imported once, with what it does not need deferred
and the garbage collector paused meanwhile, and its kwarg lookups building an expectation's
configuration once per call.

The deferral is checked in a fresh interpreter, since this test process may have imported the
deferred modules already (through other tests). The replaced lookups are checked both ways:
against GX's own methods, and GX's own methods kept when its code is not the code they were
written from.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest
from test_expectations_support import (
    KUNSKAP,
    amount,
    reference_codes,
    set_amount,
    truth_frame,
)

from expectations import engine
from expectations.runner import run_suites
from expectations.suites import code_name_suite, code_set_rules, column_sum_rules

ROOT = Path(__file__).resolve().parent.parent


def fresh(code: str) -> str:
    """stdout of `code` run in a new interpreter at the repository's root."""
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True, timeout=300)
    return out.stdout.strip()


def test_scipy_stats_and_altair_are_loaded_only_when_read() -> None:
    # After GX's import the two are stand-ins; reading from them imports the real modules,
    # so GX (or anything else) still gets working ones: norm.cdf(0) is 0.5 by symmetry, and a
    # submodule import goes through the real package's path.
    out = fresh(
        "import sys\n"
        "import expectations.engine\n"
        "print(type(sys.modules['scipy.stats']).__name__, type(sys.modules['altair']).__name__)\n"
        "from scipy import stats\n"
        "print(stats.norm.cdf(0.0))\n"
        "import scipy.stats.distributions\n"
        "print(type(sys.modules['scipy.stats']).__name__, "
        "sys.modules['scipy.stats'].distributions.norm is stats.norm)\n"
        "import altair\n"
        "print(altair.Chart.__name__)\n")
    assert out.splitlines() == ["DeferredModule DeferredModule", "0.5", "module True", "Chart"]


def test_jsonschema_mistune_and_smtplib_are_loaded_only_when_read() -> None:
    # Stand-ins after GX's import, the real modules once read from: a schema asking for an
    # object accepts {} (validate returns None) and refuses a number; markdown's *x* is
    # emphasis; SMTP's well-known port is 25.
    out = fresh(
        "import sys\n"
        "import expectations.engine\n"
        "print(*(type(sys.modules[m]).__name__ for m in ('jsonschema', 'mistune', 'smtplib')))\n"
        "import jsonschema, mistune, smtplib\n"
        "print(jsonschema.validate({}, {'type': 'object'}))\n"
        "try:\n"
        "    jsonschema.validate(1, {'type': 'object'})\n"
        "except jsonschema.ValidationError:\n"
        "    print('refused')\n"
        "print(mistune.html('*x*').strip(), smtplib.SMTP_PORT)\n")
    assert out.splitlines() == ["DeferredModule DeferredModule DeferredModule", "None",
                                "refused", "<p><em>x</em></p> 25"]


def test_a_module_imported_before_is_not_deferred() -> None:
    # defer() leaves a real module in place (it would otherwise replace it with a stand-in),
    # and says so; a name that is not installed gets no stand-in either.
    out = fresh(
        "import sys, scipy.stats\n"
        "from expectations.engine import defer\n"
        "print(defer('scipy.stats'), type(sys.modules['scipy.stats']).__name__)\n"
        "print(defer('no_such_module_here'), 'no_such_module_here' in sys.modules)\n")
    assert out.splitlines() == ["False module", "False False"]


def test_the_import_leaves_the_collector_as_it_found_it_with_gx_frozen() -> None:
    # The garbage collector is off while GX is imported and GX's objects are frozen after it:
    # afterwards it is on again when it was on (and stays off when it was off), and what the
    # import made is out of its walks: GX, pandas and pydantic's classes and modules are well
    # over 100 000 objects (a bare interpreter freezes none: the count starts at 0).
    out = fresh(
        "import gc\n"
        "print(gc.get_freeze_count())\n"
        "import expectations.engine\n"
        "print(gc.isenabled(), gc.get_freeze_count() > 100_000)\n")
    assert out.splitlines() == ["0", "True True"]
    out = fresh(
        "import gc\n"
        "gc.disable()\n"
        "import expectations.engine\n"
        "print(gc.isenabled())\n")
    assert out == "False"


# --- fewer_configurations: GX's kwarg lookups with the configuration built once per call ---

@pytest.fixture
def gx_as_written():
    """GX's own methods for the test, the replacements back afterwards."""
    engine.fewer_configurations(on=False)
    yield
    assert engine.fewer_configurations(on=True)


def expectations_of_every_shape() -> list:
    """Expectations as the suites make them: a sum with a row condition, code sets of 290 codes
    with and without the contain-set one, a column pair set, plain column rules."""
    codes = sorted(reference_codes()["kommun"])
    footing = {"row_id": 7, "observed": 100.0, "expected": 99.0, "tolerance": 0.5,
               "table": "kommun", "measure": KUNSKAP}
    coverage = [{"group": 3, "row_key": c, "known": True, "must_list_all": True} for c in codes]
    out = [e for _, _, e in column_sum_rules(footing) + code_set_rules(coverage)]
    out += [rule.make() for rule in code_name_suite(frozenset(codes)).rules]
    return out


def test_this_gx_is_the_one_the_replacements_were_written_from() -> None:
    # The installed great-expectations is the pinned one: every method hashes as recorded,
    # so the replacements are in place (else every case would run slower, silently).
    assert engine.FEWER_CONFIGURATIONS
    for name, (replacement, digest) in engine.PATCHED_SOURCES.items():
        assert engine.source_hash(engine.ORIGINALS[name]) == digest
        assert getattr(engine._Expectation, name) is replacement


def test_the_replacements_give_what_gx_gives(caplog: pytest.LogCaptureFixture) -> None:
    # Every lookup, by GX's method and by its replacement, on the same expectations: the same
    # values in the same key order, the same warning for a key no expectation knows.
    for expectation in expectations_of_every_shape():
        keys = [*expectation.domain_keys, *expectation.success_keys, *expectation.runtime_keys,
                "not_a_kwarg"]
        for name, args in (("_get_domain_kwargs", ()), ("_get_success_kwargs", ()),
                           ("_get_runtime_kwargs", ()),
                           ("_get_runtime_kwargs", ({"result_format": "COMPLETE"},)),
                           *[("_get_success_kwarg", (key, "fallback")) for key in keys]):
            replacement = engine.PATCHED_SOURCES[name][0]
            with caplog.at_level(logging.WARNING):
                caplog.clear()
                theirs = engine.ORIGINALS[name](expectation, *args)
                warned = [r.getMessage() for r in caplog.records]
                caplog.clear()
                ours = replacement(expectation, *args)
                assert [r.getMessage() for r in caplog.records] == warned
            assert ours == theirs, (type(expectation).__name__, name, args)
            if isinstance(ours, dict):
                assert list(ours) == list(theirs)


def defect_frame():
    """The 2024 truth frame with Upplands Väsby's (0114) kommun amount 1 000 kr higher than
    printed (475 568 in kommun.csv): its row no longer adds up to its Totalt belopp, the column
    no longer adds up to its Riket value (1 000 kr is far beyond the 145,50 kr bound), and
    Stockholms län's (01) region amount is no longer the sum of its kommuner's."""
    frame = truth_frame()
    return set_amount(frame, "kommun", "0114", KUNSKAP, amount("kommun", "0114", KUNSKAP) + 1000)


def run_of(frame) -> tuple:
    run = run_suites(frame, reference_codes())
    return run.findings, run.checks, run.footing.to_dicts()


def test_suites_say_the_same_with_and_without_the_replacements(gx_as_written) -> None:
    frame = defect_frame()
    as_written = run_of(frame)
    assert engine.fewer_configurations(on=True)
    replaced = run_of(frame)
    assert replaced == as_written
    # and the defect is seen both ways, by the three checks it breaks (see defect_frame)
    errors = {(f["check"], f["scb_code"], f["measure"]) for f in replaced[0]
              if f["severity"] == "error"}
    assert errors == {("cross_footing", "0114", "Totalt belopp"), ("footing", None, KUNSKAP),
                      ("allocation_key", "01", KUNSKAP)}


def test_other_gx_code_is_left_as_written(monkeypatch: pytest.MonkeyPatch) -> None:
    # A GX whose methods differ from those the replacements were written from (here: one
    # recorded hash changed, as an upgrade would) keeps all four of its own methods.
    name, (replacement, _) = next(iter(engine.PATCHED_SOURCES.items()))
    monkeypatch.setitem(engine.PATCHED_SOURCES, name, (replacement, "0" * 16))
    try:
        assert engine.fewer_configurations(on=True) is False
        for method in engine.PATCHED_SOURCES:
            assert getattr(engine._Expectation, method) is engine.ORIGINALS[method]
    finally:
        monkeypatch.undo()
        assert engine.fewer_configurations(on=True)
