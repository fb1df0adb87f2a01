"""expectations/metric_memo.py: GX's metric keyword arguments, metric names and expectation
configurations remembered by content, the same values GX computes.

Checked three ways: every call the suites make on the 2024 annex with a defect and on a
code/name table, computed by GX and by the memo and compared (types, key order, values, fresh
containers); the content key by hand (what must differ does); and the suites' findings with
and without the memo. Other GX code is left as written.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from great_expectations.core.id_dict import IDDict
from great_expectations.expectations.metadata_types import FailureSeverity
from great_expectations.expectations.row_conditions import Column
from test_expectations_support import KUNSKAP, amount, reference_codes, set_amount, truth_frame
from test_gx_row_filter import CODES, code_name_frame

from expectations import metric_memo
from expectations.runner import run_suites


def defect_runs() -> list:
    """Findings, summaries and footing of the 2024 annex with Upplands Väsby's (0114) kommun
    amount 1 000 kr above the printed 475 568 (its row, the column's Riket value and
    Stockholms län's region key break), and of a four-row code/name table."""
    frame = set_amount(truth_frame(), "kommun", "0114", KUNSKAP,
                       amount("kommun", "0114", KUNSKAP) + 1000)
    run = run_suites(frame, reference_codes())
    small, pairs = code_name_frame()
    named = run_suites(small, CODES, code_pairs=pairs)
    return [(r.findings, r.checks, r.footing.to_dicts()) for r in (run, named)]


def assert_same_shape(ours, theirs) -> None:
    """Equal, of the same types all the way down, dicts with keys in the same order."""
    assert type(ours) is type(theirs)
    assert ours == theirs
    if isinstance(ours, dict):
        assert list(ours) == list(theirs)
        for key in ours:
            assert_same_shape(ours[key], theirs[key])
    elif isinstance(ours, list | tuple):
        for a, b in zip(ours, theirs, strict=True):
            assert_same_shape(a, b)


def containers(value) -> list:
    """Every dict and list inside value (value included)."""
    found = [value] if isinstance(value, dict | list) else []
    for item in value.values() if isinstance(value, dict) else (
            value if isinstance(value, list | tuple) else ()):
        found += containers(item)
    return found


def test_this_gx_is_the_one_the_memo_was_written_for() -> None:
    assert metric_memo.remembered_metrics()
    for thing, digest in metric_memo.PATCHED_SOURCES.values():
        assert metric_memo.source_hash(thing) == digest
    assert metric_memo._expectation.get_metric_kwargs is metric_memo.get_metric_kwargs
    assert IDDict.to_id is metric_memo.to_id
    assert metric_memo._expectation.Expectation.configuration.fget is metric_memo.configuration


def test_every_call_gives_what_gx_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    # Each call of the suites goes to GX and to the memo: the same arguments (each answer in
    # containers of its own) and the same names.
    # The suites run twice, so the second time every answer comes from the memo.
    assert metric_memo.remembered_metrics()
    kwargs_calls, id_calls = [], []

    def kwargs_spy(metric_name, configuration=None, runtime_configuration=None):
        theirs = metric_memo.ORIGINAL_KWARGS(metric_name, configuration, runtime_configuration)
        ours = metric_memo.get_metric_kwargs(metric_name, configuration, runtime_configuration)
        assert_same_shape(ours, theirs)
        again = metric_memo.get_metric_kwargs(metric_name, configuration, runtime_configuration)
        assert_same_shape(again, theirs)  # remembered now, and no container handed out twice
        assert not {id(c) for c in containers(again)} & {id(c) for c in containers(ours)}
        kwargs_calls.append(metric_name)
        return ours

    def id_spy(self, id_keys=None, id_ignore_keys=None):
        theirs = metric_memo.ORIGINAL_TO_ID(self, id_keys, id_ignore_keys)
        ours = metric_memo.to_id(self, id_keys, id_ignore_keys)
        assert ours == theirs
        id_calls.append(ours)
        return ours

    def configuration_spy(self):
        theirs = metric_memo.ORIGINAL_CONFIGURATION.fget(self)
        ours = metric_memo.configuration(self)
        again = metric_memo.configuration(self)  # remembered now
        for answer in (ours, again):
            assert type(answer) is type(theirs) and vars(answer).keys() == vars(theirs).keys()
            assert answer.to_json_dict() == theirs.to_json_dict()
            assert_same_shape(answer.kwargs, theirs.kwargs)
            assert_same_shape(answer.meta, theirs.meta)
        assert not {id(c) for c in containers(again.kwargs)} & {
            id(c) for c in containers(ours.kwargs)}
        configurations.append(type(self).__name__)
        return ours

    configurations = []
    monkeypatch.setattr(metric_memo._expectation, "get_metric_kwargs", kwargs_spy)
    monkeypatch.setattr(IDDict, "to_id", id_spy)
    monkeypatch.setattr(metric_memo._expectation.Expectation, "configuration",
                        property(configuration_spy))
    first = defect_runs()
    assert defect_runs() == first
    # a column map expectation alone asks for six metrics, and the suites hold dozens
    assert len(kwargs_calls) > 300 and len(id_calls) > 2000 and len(configurations) > 500
    assert "ExpectColumnPairValuesToBeInSet" in configurations
    assert any(name.startswith("column_pair_values.in_set") for name in kwargs_calls)


def test_suites_say_the_same_with_and_without_the_memo() -> None:
    assert metric_memo.remembered_metrics(on=False) is False
    try:
        as_written = defect_runs()
    finally:
        assert metric_memo.remembered_metrics()
    assert defect_runs() == as_written
    errors = {(f["check"], f["scb_code"], f["measure"]) for f in as_written[0][0]
              if f["severity"] == "error"}
    assert errors == {("cross_footing", "0114", "Totalt belopp"), ("footing", None, KUNSKAP),
                      ("allocation_key", "01", KUNSKAP)}


def test_the_key_tells_apart_what_gx_tells_apart() -> None:
    key = metric_memo.memo_key
    # GX writes -0.0 and 0.0 apart, and 1, 1.0 and True are three values to it
    assert key(0.0) != key(-0.0)
    assert len({key(1), key(1.0), key(True)}) == 3
    assert len({key([1, 2]), key((1, 2)), key([1.0, 2]), key([True, 2])}) == 4
    # key order is kept (GX's dicts keep theirs), nesting counts
    assert key({"a": 1, "b": 2}) != key({"b": 2, "a": 1})
    assert key([["a"], "b"]) != key(["a", ["b"]])
    assert key({"value_set": ["0114", "0180"]}) == key({"value_set": ["0114", "0180"]})
    # an enum member is itself alone (GX's severities are str enums)
    assert key(FailureSeverity.CRITICAL) == key(FailureSeverity.CRITICAL)
    assert key(FailureSeverity.CRITICAL) not in (key("critical"), key(FailureSeverity.WARNING))
    # anything but plain data: no key, GX computes as written
    assert key({"x": object()}) is None and key([Path("a.pdf")]) is None


def test_an_answer_changed_by_its_caller_is_not_remembered_changed() -> None:
    assert metric_memo.remembered_metrics()
    configuration = code_name_suite_rules()[1].configuration  # name_code not null
    first = metric_memo.get_metric_kwargs("column_values.nonnull.unexpected_count",
                                          configuration, {"result_format": "COMPLETE"})
    second = metric_memo.get_metric_kwargs("column_values.nonnull.unexpected_count",
                                           configuration, {"result_format": "COMPLETE"})
    assert second == first
    second["metric_domain_kwargs"]["column"] = "changed"
    third = metric_memo.get_metric_kwargs("column_values.nonnull.unexpected_count",
                                          configuration, {"result_format": "COMPLETE"})
    assert third == first and third["metric_domain_kwargs"]["column"] == "name_code"


def test_an_expectation_changed_gets_its_new_configuration() -> None:
    # The memo is keyed by the fields' values: an expectation whose meta or row condition is
    # set anew (as the suites set meta) gets the configuration of what it holds now.
    assert metric_memo.remembered_metrics()
    expectation = code_name_suite_rules()[1]  # name_code not null, where code_valid == True
    before = expectation.configuration
    expectation.meta = {"rule": "name_known"}
    after = expectation.configuration
    assert before.meta == {} and after.meta == {"rule": "name_known"}
    expectation.row_condition = Column("code_valid") == False  # noqa: E712
    changed = expectation.configuration.kwargs["row_condition"]
    assert changed == metric_memo.ORIGINAL_CONFIGURATION.fget(expectation).kwargs["row_condition"]
    assert changed["parameter"] is False and before.kwargs["row_condition"]["parameter"] is True


def code_name_suite_rules() -> list:
    from expectations.suites import code_name_suite

    return [rule.make() for rule in code_name_suite(frozenset({"0114"})).rules]


def test_the_memos_keep_at_most_memo_size_entries(monkeypatch: pytest.MonkeyPatch) -> None:
    assert metric_memo.remembered_metrics()
    monkeypatch.setattr(metric_memo, "MEMO_SIZE", 3)
    names = [IDDict({"column": f"c{i}", "group": i}).to_id() for i in range(5)]
    assert len(set(names)) == 5 and len(metric_memo._IDS) == 3
    assert names[4] == IDDict({"column": "c4", "group": 4}).to_id()


def test_other_gx_code_is_left_as_written(monkeypatch: pytest.MonkeyPatch) -> None:
    name, (thing, _) = next(iter(metric_memo.PATCHED_SOURCES.items()))
    monkeypatch.setitem(metric_memo.PATCHED_SOURCES, name, (thing, "0" * 16))
    try:
        assert metric_memo.remembered_metrics() is False
        assert metric_memo._expectation.get_metric_kwargs is metric_memo.ORIGINAL_KWARGS
        assert IDDict.to_id is metric_memo.ORIGINAL_TO_ID
        assert metric_memo._expectation.Expectation.configuration is \
            metric_memo.ORIGINAL_CONFIGURATION
    finally:
        monkeypatch.undo()
        assert metric_memo.remembered_metrics()
