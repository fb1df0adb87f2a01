"""Writers of a case's outputs (CSV, Parquet, JSON, workbook, report) and the batch summary.

Everything written here is deterministic: the same inputs give byte-identical CSV and JSON.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from pipeline.findings import count_by_severity
from pipeline.settings import Settings

if TYPE_CHECKING:
    from pipeline.orchestrate import CaseResult

# The contract's columns first, then provenance the report and auditors use.
CSV_COLUMNS = [
    "source_file", "source_format", "page", "table", "row_kind", "code", "name_raw",
    "scb_code", "scb_name", "measure", "amount_sek",
    "table_index", "row_index", "unit", "unit_step", "column_role", "mark", "match_method", "x0",
    "top", "x1", "bottom",
]


def allocations_for_output(frame: pl.DataFrame) -> pl.DataFrame:
    """The case frame with the contract's columns in order (missing optional ones as null)."""
    columns = [
        pl.col(c) if c in frame.columns else pl.lit(None, dtype=pl.String).alias(c)
        for c in CSV_COLUMNS
    ]
    return frame.select(columns)


def dumps(data) -> str:
    """JSON as written to disk: sorted keys off (field order is meaningful), UTF-8, indented."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def findings_document(result: CaseResult) -> dict:
    return {
        "case": result.case.name,
        "status": result.status,
        "findings": [f.to_dict() for f in result.findings],
        "diagnosis": result.diagnosis,
    }


def write_case(result: CaseResult, folder: Path, settings: Settings) -> None:
    """Write every output of one case into folder (a staging folder renamed when complete)."""
    from pipeline.report import write_report
    from pipeline.workbook import write_workbook

    table = allocations_for_output(result.frame)
    table.write_csv(folder / "allocations.csv")
    table.write_parquet(folder / "allocations.parquet")
    if result.attributes is not None and len(result.attributes):
        result.attributes.write_csv(folder / "attributes.csv")
    (folder / "findings.json").write_text(dumps(findings_document(result)), encoding="utf-8")
    (folder / "documents.json").write_text(dumps(documents_document(result)), encoding="utf-8")
    write_workbook(result, folder / "allocations.xlsx")
    write_report(result, folder / "report.html", settings)


def documents_document(result: CaseResult) -> dict:
    """What was read: each document's format, pages, rows and decision metadata."""
    docs = []
    for e in result.extractions:
        docs.append({
            "source_file": e.source_file,
            "source_format": e.source_format,
            "pages": e.pages,
            "allocation_rows": len(e.allocations),
            "other_values": len(e.attributes),
            "metadata": dict(sorted(e.metadata.items())),
            "tables": [t.to_dict() for t in e.tables],
            "blocks": [b.to_dict() for b in e.blocks],
        })
    return {
        "case": result.case.name,
        "documents": docs,
        "unrecognised_files": list(result.case.unrecognised),
        "read_errors": list(result.read_errors),
    }


def case_summary(result: CaseResult) -> dict:
    """The case's entry in summary.json."""
    verdict = result.verdict
    return {
        "case": result.case.name,
        "status": verdict.status,
        "exit_status": verdict.exit_status,
        "exit_reason": verdict.reason,
        "findings": count_by_severity(result.findings),
        "documents": len(result.extractions),
        "allocation_rows": len(result.frame),
        "errors": list(result.read_errors),
        "error_keys": sorted(
            {(f.check, f.table, f.scb_code, f.measure) for f in result.findings
             if f.severity == "error"},
            key=lambda k: tuple(x or "" for x in k),
        ),
        "reads": tables_read(result),
    }


def tables_read(result: CaseResult) -> dict[str, list[int]]:
    """Per table kind, the recipient rows of every money table read, largest first (what the
    nightly batch compares with expected.json's "reads")."""
    reads: dict[str, list[int]] = {}
    for e in result.extractions:
        for t in e.tables:
            if t.status == "reconciled":
                reads.setdefault(t.kind or "other", []).append(t.recipient_rows)
    return {kind: sorted(rows, reverse=True) for kind, rows in sorted(reads.items())}


def failed_summary(name: str, line: str) -> dict:
    """The summary entry of a case that could not be reconciled at all; line names the problem."""
    return {
        "case": name,
        "status": "incomplete",
        "exit_status": 2,
        "exit_reason": "the case could not be read",
        "findings": count_by_severity([]),
        "documents": 0,
        "allocation_rows": 0,
        "errors": [line],
        "error_keys": [],
        "reads": {},
    }


INTERNAL_KEYS = ("error_keys", "reads")  # for the nightly batch, not written to summary.json


def write_summary(summaries: list[dict], out_dir: Path) -> Path:
    """summary.json across cases, sorted by case name, written atomically."""
    out_dir.mkdir(parents=True, exist_ok=True)
    entries = sorted(summaries, key=lambda s: s["case"])
    public = [{k: v for k, v in s.items() if k not in INTERNAL_KEYS} for s in entries]
    return write_atomic(out_dir / "summary.json", dumps({"cases": public}))


def write_atomic(path: Path, text: str) -> Path:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)
    return path
