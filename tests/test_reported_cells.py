"""A printed cell a reader cannot read is reported once, by what went wrong with it: the
reader's unparsed_amount (not fully read), never also the amounts suite's "empty" error (a
disagreement). Fixture: Chromium's print of the region table with Uppsala's Traumavård typed
"1 916 68O" (fixtures/builder/exports_checks.py)."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
from test_expectations_support import truth_frame

from expectations.frames import REPORTED_SCHEMA, amounts_frame, cell_grid, prepare
from expectations.settings import SuiteSettings
from pipeline.orchestrate import reconcile_case
from pipeline.settings import Settings

DEFECT = Path(__file__).resolve().parent.parent / "fixtures" / "defects" / (
    "chromium-uppsala-trauma-bokstav-o")


def without(frame: pl.DataFrame, code: str, measure: str) -> pl.DataFrame:
    return frame.filter(~((pl.col("scb_code") == code) & (pl.col("measure") == measure))
                        .fill_null(False))


def test_a_reported_cell_is_not_also_empty():
    frame = without(truth_frame(), "03", "Traumavård")
    grid = cell_grid(prepare(frame, SuiteSettings()))
    row = frame.filter((pl.col("scb_code") == "03") & (pl.col("table") == "region")).row(
        0, named=True)
    reported = pl.DataFrame([{"source_file": row["source_file"], "table": "region",
                              "row_index": row["row_index"], "measure": "Traumavård",
                              "page": row["page"]}], schema=REPORTED_SCHEMA)
    empty = amounts_frame(grid).filter(pl.col("observed").is_null())
    # Uppsala's Traumavård is the one absent cell of the three tables
    assert empty.select("scb_code", "measure").rows() == [("03", "Traumavård")]
    assert amounts_frame(grid, reported).filter(pl.col("observed").is_null()).height == 0


def test_the_typo_is_one_reading_error_and_the_case_is_not_fully_read(tmp_path):
    reconcile_case(DEFECT, tmp_path, Settings(data_docs=False, evidence_images=False))
    doc = json.loads((tmp_path / DEFECT.name / "findings.json").read_text("utf-8"))
    errors = [(f["check"], f["table"], f["measure"]) for f in doc["findings"]
              if f["severity"] == "error"]
    assert errors == [("unparsed_amount", "region", "Traumavård")]
    assert doc["status"] == "incomplete"
    [finding] = [f for f in doc["findings"] if f["check"] == "unparsed_amount"]
    assert "'1 916 68O'" in finding["message"] and "Uppsala" in finding["message"]
