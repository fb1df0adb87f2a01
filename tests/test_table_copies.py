"""Which tables of a case are copies of one table (expectations/copies.py): the annexes of two
years are two tables, each checked on its own; the PDF and DOCX of one annex are compared cell
for cell however many cells differ when their titles say they are one table."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
from test_expectations_support import reference_codes, truth_frame

from expectations.copies import table_copies
from expectations.coverage import DocumentText, TableText
from expectations.frames import cell_grid, prepare
from expectations.runner import run_suites
from expectations.settings import SuiteSettings
from pipeline.orchestrate import reconcile_case
from pipeline.settings import Settings

ROOT = Path(__file__).resolve().parent.parent / "fixtures"


def two_documents(factor: float = 1.0) -> pl.DataFrame:
    """The truth as a PDF, and as a DOCX whose every amount is × factor (rounded)."""
    docx = truth_frame("beslut.docx", "docx").with_columns(
        (pl.col("amount_sek") * factor).round().cast(pl.Int64))
    return pl.concat([truth_frame(), docx])


def titled(*titles: str) -> list[DocumentText]:
    """Each document's three tables (region, kommun, län) under the titles given in order."""
    return [DocumentText(name, (), tuple(TableText(i, title) for i in range(3)))
            for name, title in zip(("beslut.pdf", "beslut.docx"), titles, strict=True)]


def formats_errors(frame: pl.DataFrame, documents=()) -> list[dict]:
    run = run_suites(frame, reference_codes(), documents=documents)
    return [f for f in run.findings if f["check"] == "formats_agree" and f["severity"] == "error"]


def test_the_same_annex_in_two_documents_is_one_table():
    grid = cell_grid(prepare(two_documents(), SuiteSettings()))
    copies, notes = table_copies(grid, SuiteSettings())
    # region, kommun and län: each DOCX table is a copy of the PDF's
    assert sorted((c.table, c.reference_file, c.other_file) for c in copies) == [
        (t, "beslut.pdf", "beslut.docx") for t in ("kommun", "lan", "region")]
    assert notes == []


def test_tables_whose_titles_name_other_years_are_not_compared():
    # The DOCX is 2024 × 1,1: every cell differs, and the titles say 2024 and 2025.
    frame = two_documents(1.1)
    assert formats_errors(frame, titled("Fördelning 2024", "Fördelning 2025")) == []
    run = run_suites(frame, reference_codes(), documents=titled("Fördelning 2024",
                                                                "Fördelning 2025"))
    notes = [f for f in run.findings if f["check"] == "formats_agree"]
    assert len(notes) == 3 and {f["severity"] for f in notes} == {"info"}
    assert "different years (2024; 2025)" in notes[0]["message"]


def test_tables_with_one_title_are_compared_however_many_cells_differ():
    # Same title, every cell 10 % higher in the DOCX: a stale or wrong copy, not another table.
    errors = formats_errors(two_documents(1.1), titled("Bilaga 1 2024", "Bilaga 1 2024"))
    # every cell of the three tables: (21 + 1) × 4 + (290 + 1) × 2 + (21 + 1) × 5
    assert len(errors) == 88 + 582 + 110


def test_without_titles_most_cells_must_agree():
    errors = formats_errors(two_documents(1.1))
    assert errors == []
    run = run_suites(two_documents(1.1), reference_codes())
    [region] = [f for f in run.findings if f["check"] == "formats_agree" and f["table"] ==
                "region"]
    # nothing says they are one table: a warning names both documents, no cell is compared
    assert region["severity"] == "warning" and "beslut.pdf and beslut.docx" in region["message"]


def test_two_years_printed_by_chromium_pass(tmp_path):
    reconcile_case(ROOT / "cases" / "2024-2025-bilagor-chromium", tmp_path,
                   Settings(data_docs=False, evidence_images=False))
    doc = json.loads((tmp_path / "2024-2025-bilagor-chromium" / "findings.json").read_text(
        "utf-8"))
    assert doc["status"] == "pass"
    [note] = [f for f in doc["findings"] if f["check"] == "formats_agree"]
    assert note["severity"] == "info" and "(2024; 2025)" in note["message"]
