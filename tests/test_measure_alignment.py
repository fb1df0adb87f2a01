"""Two documents of one annex whose headers differ in wrapping or wording (issue 14, class 12).

The DOCX of the 2024 decision is read once; a PDF-like copy of its region table is made by
renaming one column as a PDF's wrapping or another wording would print it. Expected numbers
are from the truth: the region table has 21 regions and Riket, so one column is 22 cells.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from test_expectations_support import reference_codes

from expectations.runner import run_suites
from extractors import word
from pipeline.measures import align_measures, squash

ROOT = Path(__file__).resolve().parent.parent
DOCX = ROOT / "fixtures" / "cases" / "2024-psykisk-halsa" / "regeringsbeslut-2024-I6.docx"
CELLS_PER_COLUMN = 22  # 21 regions and Riket


@pytest.fixture(scope="module")
def docx_frame() -> pl.DataFrame:
    frame = word.extract(DOCX).allocations
    recipient = pl.col("row_kind") == "recipient"
    return frame.with_columns(pl.when(recipient).then(pl.col("code")).alias("scb_code"),
                              pl.when(recipient).then(pl.col("name_raw")).alias("scb_name"))


def as_pdf(frame: pl.DataFrame, old: str, new: str, delta: int = 0) -> pl.DataFrame:
    """The frame as a second document (a PDF) printing column old under the header new."""
    region_old = (pl.col("table") == "region") & (pl.col("measure") == old)
    return frame.with_columns(
        pl.lit("bilaga.pdf").alias("source_file"), pl.lit("pdf").alias("source_format"),
        pl.when(region_old).then(pl.lit(new)).otherwise(pl.col("measure")).alias("measure"),
        pl.when(region_old & (pl.col("code") == "01")).then(pl.col("amount_sek") + delta)
        .otherwise(pl.col("amount_sek")).alias("amount_sek"))


def formats_errors(frame: pl.DataFrame) -> list[dict]:
    run = run_suites(frame, reference_codes())
    return [f for f in run.findings if f["check"] == "formats_agree" and f["severity"] == "error"]


def test_squash_drops_what_wrapping_changes() -> None:
    assert squash("Trauma- vård") == squash("Traumavård") == squash("TRAUMAVÅRD")
    assert squash("Brukarmed verkan") == "brukarmedverkan"
    assert squash("Barn och unga") != squash("Barn och ungdom")


def test_headers_that_differ_in_wrapping_only_are_one_column(docx_frame) -> None:
    pdf = as_pdf(docx_frame, "Traumavård", "Trauma- vård")
    both = pl.concat([docx_frame, pdf])
    assert len(formats_errors(both)) == 2 * CELLS_PER_COLUMN  # each cell missing on one side
    aligned, findings = align_measures(both)
    assert findings == []  # a wrapping difference is no finding
    assert set(aligned.filter(source_file="bilaga.pdf", table="region")["measure"]) == set(
        docx_frame.filter(table="region")["measure"])
    assert formats_errors(aligned) == []


def test_really_different_headers_over_the_same_amounts_are_one_warning(docx_frame) -> None:
    pdf = as_pdf(docx_frame, "Barn och unga", "Medel till barn och unga")
    aligned, findings = align_measures(pl.concat([docx_frame, pdf]))
    assert [(f.check, f.severity, f.table, f.measure, f.source_file) for f in findings] == [
        ("measure_names_differ", "warning", "region", "Barn och unga", "bilaga.pdf")]
    assert "'Medel till barn och unga'" in findings[0].message
    assert formats_errors(aligned) == []


def test_a_different_header_over_different_amounts_stays_apart(docx_frame) -> None:
    # Only Stockholm (01) differs, by 1 000 000 kr: 21 of 22 rows (95 %) still agree, so the
    # columns are one and the differing cell is the one formats_agree error.
    pdf = as_pdf(docx_frame, "Barn och unga", "Medel till barn och unga", delta=1_000_000)
    aligned, findings = align_measures(pl.concat([docx_frame, pdf]))
    assert len(findings) == 1
    [error] = formats_errors(aligned)
    # formats_agree takes the PDF as its reference (expected) and the DOCX as observed
    assert (error["scb_code"], error["measure"], error["expected"] - error["observed"]) == (
        "01", "Barn och unga", 1_000_000)
    # When most rows differ the columns are not taken for one: nothing is renamed.
    other = as_pdf(docx_frame, "Barn och unga", "Något annat").with_columns(
        (pl.col("amount_sek") + 7).alias("amount_sek"))
    aligned, findings = align_measures(pl.concat([docx_frame, other]))
    assert findings == []
    assert "Något annat" in set(aligned["measure"])
