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

from model import count_by_severity
from pipeline.settings import Settings
from pipeline.tally import unaccounted_by_document

if TYPE_CHECKING:
    from model import CaseResult

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


# A CSV field starting with one of these is a formula to a spreadsheet (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame for CSV: a text field starting like a formula gets a leading single quote, as
    OWASP recommends; number columns (amounts, also negative ones) stay numbers."""
    pattern = "^[" + "".join("\\" + c if c in "-+" else c for c in FORMULA_STARTS) + "]"
    return frame.with_columns(
        pl.when(pl.col(name).str.contains(pattern)).then(pl.lit("'") + pl.col(name))
        .otherwise(pl.col(name)).alias(name)
        for name, dtype in frame.schema.items() if dtype == pl.String)


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
    neutralised(table).write_csv(folder / "allocations.csv")
    table.write_parquet(folder / "allocations.parquet")
    if result.attributes is not None and len(result.attributes):
        neutralised(result.attributes).write_csv(folder / "attributes.csv")
    (folder / "findings.json").write_text(dumps(findings_document(result)), encoding="utf-8")
    (folder / "documents.json").write_text(dumps(documents_document(result)), encoding="utf-8")
    write_workbook(result, folder / "allocations.xlsx")
    write_report(result, folder / "report.html", settings)


def documents_document(result: CaseResult) -> dict:
    """What was read: each document's format, pages, rows and decision metadata."""
    docs = []
    left = unaccounted_by_document(result.findings)
    for e in result.extractions:
        docs.append({
            "source_file": e.source_file,
            "source_format": e.source_format,
            "pages": e.pages,
            "allocation_rows": len(e.allocations),
            "other_values": len(e.attributes),
            # the control total: numbers printed as money, and those no reader took
            "money_printed": len(e.tally),
            "money_unaccounted": left.get(e.source_file, 0),
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


def published_summary(folder: Path, since: float) -> dict | None:
    """The summary entry of a case folder published after `since` (a Unix time), rebuilt from
    its findings.json and documents.json; None when there is none (used when a batch is
    interrupted between a worker's publishing and its report)."""
    try:
        if folder.stat().st_mtime < since:
            return None
        findings = json.loads((folder / "findings.json").read_text(encoding="utf-8"))
        documents = json.loads((folder / "documents.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    counts = {"error": 0, "warning": 0, "info": 0}
    for f in findings.get("findings", []):
        counts[f.get("severity")] = counts.get(f.get("severity"), 0) + 1
    errors = list(documents.get("read_errors", []))
    status = 2 if errors else (1 if counts["error"] else 0)
    reasons = {2: "a document could not be read", 1: "error findings", 0: "all checks passed"}
    return {
        "case": folder.name, "status": findings.get("status"), "exit_status": status,
        "exit_reason": reasons[status], "findings": counts,
        "documents": len(documents.get("documents", [])),
        "allocation_rows": sum(d.get("allocation_rows", 0) for d in documents.get("documents", [])),
        "errors": errors, "error_keys": [],
    }


INTERNAL_KEYS = ("error_keys", "reads")  # for the nightly batch, not written to summary.json


def summary_document(summaries: list[dict]) -> dict:
    """summary.json's content: the cases sorted by name, without internal keys."""
    entries = sorted(summaries, key=lambda s: s["case"])
    return {"cases": [{k: v for k, v in s.items() if k not in INTERNAL_KEYS} for s in entries]}


def write_summary(summaries: list[dict], out_dir: Path) -> Path:
    """summary.json across cases, sorted by case name, written atomically."""
    out_dir.mkdir(parents=True, exist_ok=True)
    return write_atomic(out_dir / "summary.json", dumps(summary_document(summaries)))


def current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def follow_umask(path: Path, directory: bool) -> Path:
    """Give a file or folder made by mkstemp/mkdtemp (0600/0700) the mode the user's umask
    asks for, as open() and mkdir() would, so colleagues can read the outputs."""
    os.chmod(path, (0o777 if directory else 0o666) & ~current_umask())
    return path


def write_atomic(path: Path, text: str) -> Path:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    follow_umask(Path(tmp), directory=False)
    os.replace(tmp, path)
    return path
