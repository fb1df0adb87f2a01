"""The Data Docs of a case that reconciles show no failed expectation (issue 15, item 6).

The 2024 annex prints whole kronor, so some rows and columns are off their printed totals by
1–2 kr, within half a krona per rounded amount (domain.md): rounding, said as info notes in
findings.json, never as a failure. Here the whole case is reconciled with Data Docs on, and
each GX validation page is parsed: its statistics say 0 unsuccessful expectations and no
expectation row carries GX's failure mark (the red cross, ``fa-times``), while the rounding
notes are there in the findings.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_data_docs_hostile import Page

from pipeline.orchestrate import CaseResult, reconcile_case
from pipeline.settings import Settings

CASE = Path(__file__).resolve().parent.parent / "fixtures" / "cases" / "2024-psykisk-halsa"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[CaseResult, Path]:
    out = tmp_path_factory.mktemp("passing-docs")
    result = reconcile_case(CASE, out, Settings(workers=1, evidence_images=False))
    return result, out / CASE.name / "data_docs"


def _statistic(page: Page, label: str) -> str:
    texts = [t.strip() for t in page.text if t.strip()]
    return texts[texts.index(label) + 1]


def test_no_validation_page_shows_a_failure(built: tuple[CaseResult, Path]) -> None:
    result, docs = built
    assert not [f for f in result.findings if f.severity == "error"]
    pages = sorted((docs / "validations").glob("*.html"))
    gx_suites = {c.suite for c in result.checks if c.expectations}
    assert {p.stem for p in pages} == gx_suites and len(pages) >= 6
    for path in pages:
        page = Page(path.read_text(encoding="utf-8"))
        assert _statistic(page, "Unsuccessful Expectations") == "0", path.name
        evaluated = int(_statistic(page, "Evaluated Expectations"))
        assert evaluated > 0 and _statistic(page, "Successful Expectations") == str(evaluated)
        marks = [a.get("class") or "" for tag, a in page.tags if tag == "i"]
        assert not [m for m in marks if "fa-times" in m], path.name
        assert len([m for m in marks if "fa-check-circle" in m]) >= evaluated


def test_rounding_is_said_as_notes_not_failures(built: tuple[CaseResult, Path]) -> None:
    result, _ = built
    rounding = [f for f in result.findings if f.check in ("cross_footing", "footing")]
    assert rounding and {f.severity for f in rounding} == {"info"}
    assert all(abs(f.difference) <= f.tolerance for f in rounding)
    summaries = {c.suite: c for c in result.checks}
    assert summaries["footing"].failed == 0 and summaries["footing"].noted > 0
