"""formats_agree and per-document checks: a case holding the annex as PDF and as DOCX."""

from __future__ import annotations

import polars as pl
from test_expectations_support import (
    KUNSKAP,
    amount,
    reference_codes,
    set_amount,
    truth_frame,
)

from expectations.runner import run_suites

PDF, DOCX = "beslut.pdf", "bilaga1.docx"


def case(docx: pl.DataFrame | None = None) -> pl.DataFrame:
    """The decision PDF and its annex as DOCX (the same cells; DOCX pages are table numbers)."""
    other = truth_frame(DOCX, "docx") if docx is None else docx
    return pl.concat([truth_frame(PDF, "pdf"), other])


def test_identical_documents_agree_and_each_is_checked_on_its_own() -> None:
    run = run_suites(case(), reference_codes())
    assert not [f for f in run.findings if f["severity"] != "info"]
    assert not [f for f in run.findings if f["check"] == "formats_agree"]
    # Rounding notes come once per document: 5 region and 7 län rows off by 1 kr.
    per_file = {}
    for f in run.findings:
        per_file.setdefault(f["source_file"], []).append(f["check"])
    assert {k: sorted(v).count("cross_footing") for k, v in per_file.items()} == {
        PDF: 12, DOCX: 12}
    assert run.footing.height == 2 * 11
    formats = next(c for c in run.checks if c.suite == "formats_agree")
    assert formats.rows_checked == 22 * 4 + 291 * 2 + 22 * 5


def test_a_cell_that_differs_between_pdf_and_docx() -> None:
    docx = set_amount(truth_frame(DOCX, "docx"), "region", "01", "Traumavård", 11_630_943)
    run = run_suites(case(docx), reference_codes())
    errors = [f for f in run.findings if f["severity"] == "error"]
    hits = [f for f in errors if f["check"] == "formats_agree"]
    assert [(f["table"], f["scb_code"], f["measure"], f["source_file"]) for f in hits] == [
        ("region", "01", "Traumavård", DOCX)
    ]
    hit = hits[0]
    assert hit["expected"] == amount("region", "01", "Traumavård") == 11_630_934
    assert (hit["observed"], hit["difference"]) == (11_630_943, 9)
    assert "11 630 934 kr" in hit["message"] and DOCX in hit["message"]
    # The DOCX's own row no longer foots; the PDF is clean.
    assert {(f["check"], f["source_file"]) for f in errors} >= {("cross_footing", DOCX)}
    assert not [f for f in errors if f["source_file"] == PDF]


def test_a_cell_missing_in_one_document() -> None:
    docx = truth_frame(DOCX, "docx").filter(
        ~((pl.col("scb_code").fill_null("") == "0180") & (pl.col("measure") == KUNSKAP)))
    run = run_suites(case(docx), reference_codes())
    hits = [f for f in run.findings if f["check"] == "formats_agree"]
    assert [(f["severity"], f["table"], f["scb_code"], f["measure"]) for f in hits] == [
        ("error", "kommun", "0180", KUNSKAP)
    ]
    assert hits[0]["expected"] == amount("kommun", "0180", KUNSKAP)
    assert hits[0]["observed"] is None
    assert "no such cell" in hits[0]["message"]


def test_a_table_only_one_document_prints_is_not_compared() -> None:
    docx = truth_frame(DOCX, "docx").filter(pl.col("table") == "region")
    run = run_suites(case(docx), reference_codes())
    assert not [f for f in run.findings if f["check"] == "formats_agree"]
    formats = next(c for c in run.checks if c.suite == "formats_agree")
    assert formats.rows_checked == 22 * 4
