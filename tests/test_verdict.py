"""Verdicts that match the evidence: pass only when something was checked, and honest counts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from model import count_items
from pipeline.cli import main
from pipeline.findings import Finding
from pipeline.nightly import compare, shrunk_reads
from pipeline.verdict import case_verdict, unchecked_findings

ROOT = Path(__file__).resolve().parent.parent
COUNTS = ROOT / "fixtures" / "defects" / "not-an-allocation-table"


def _check(evaluated: int, failed: int = 0):
    return count_items("footing", "columns foot", evaluated, ["error"] * failed, expectations=3)


def _error(check: str) -> Finding:
    return Finding(check=check, severity="error", message="x")


def test_a_check_counts_what_it_evaluated_not_its_expectations():
    # 4 columns, one failing (error), one only off by rounding (info): 2 passed, 1 failed, 1 noted.
    summary = count_items("footing", "d", 4, ["error", "info"], expectations=3)
    assert (summary.evaluated, summary.passed, summary.failed, summary.noted) == (4, 2, 1, 1)
    assert summary.unit == "columns" and summary.applicable
    # An empty check frame: GX's expectations pass vacuously, but nothing was evaluated.
    assert not count_items("formats_agree", "d", 0, [], expectations=4).applicable


def test_pass_needs_a_check_that_evaluated_something():
    assert case_verdict([], [], [_check(3)], True).status == "pass"
    # Every check had nothing to evaluate and no money was printed: nothing to reconcile.
    empty = case_verdict([], [], [_check(0), _check(0)], False)
    assert (empty.status, empty.exit_status) == ("empty", 0)


def test_unread_money_is_incomplete_and_a_disagreement_is_fail():
    unread = case_verdict([_error("unread_table")], [], [_check(3)], True)
    assert (unread.status, unread.exit_status) == ("incomplete", 1)
    both = case_verdict([_error("unread_table"), _error("footing")], [], [_check(3, 1)], True)
    assert (both.status, both.exit_status) == ("fail", 1)
    assert "also not fully read" in both.reason
    unreadable = case_verdict([_error("unreadable_document")], ["x.pdf: damaged"], [], False)
    assert (unreadable.status, unreadable.exit_status) == ("incomplete", 2)


def test_money_read_but_never_checked_is_an_error():
    stated = [{"text": "12 345 678 kronor", "source_file": "a.html"}]
    (finding,) = unchecked_findings(0, stated, [_check(0)])
    assert (finding.check, finding.severity) == ("unchecked_amounts", "error")
    assert "12 345 678 kronor (a.html)" in finding.message
    assert unchecked_findings(0, stated, [_check(1)]) == []  # a stated total was compared
    assert unchecked_findings(0, [], [_check(0)]) == []  # no money at all: empty, no finding


def test_nightly_fails_a_case_whose_reading_shrank():
    want = {"region": [21, 21], "kommun": [290, 290]}
    assert shrunk_reads({"region": [21, 21], "kommun": [290, 290], "lan": [21]}, want) == []
    assert shrunk_reads({"region": [21], "kommun": [290, 289]}, want) == [
        "kommun table 2 (by size) read 289 recipient rows, expected 290",
        "read 1 region tables, expected 2",
    ]
    summary = {"status": "pass", "exit_status": 0, "error_keys": [], "reads": {}}
    assert compare(summary, {"status": "pass", "exit_status": 0, "errors": [],
                             "reads": {"region": [21]}}) == ["read 0 region tables, expected 1"]
    assert compare(summary, {"status": "empty", "exit_status": 0, "errors": []}) == [
        "status pass, expected empty"]


@pytest.fixture(scope="module")
def counts_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    status = main([str(COUNTS), "--out", str(out), "--no-data-docs", "--workers", "1"])
    return status, out


def test_a_page_of_counts_is_empty_everywhere_with_a_grey_banner(counts_run):
    """Antal kommuner per län (26 for Stockholm, ...): no money, so nothing to reconcile."""
    status, out = counts_run
    assert status == 0
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))["cases"][0]
    findings = json.loads((out / COUNTS.name / "findings.json").read_text(encoding="utf-8"))
    assert summary["status"] == findings["status"] == "empty"
    html = (out / COUNTS.name / "report.html").read_text(encoding="utf-8")
    assert '<div class="verdict empty">Nothing to reconcile' in html
    assert "Reconciles" not in html and "passed</div>" in html
    # No check evaluated anything: none is counted as run or passed.
    assert '<div class="stat"><b>0</b>checks run</div>' in html
    assert "not applicable: nothing to evaluate" in html
