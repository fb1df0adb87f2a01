"""From the readers' extractions to one case frame, and the readers' problems to findings."""

from __future__ import annotations

import polars as pl

from expectations.frames import REPORTED_SCHEMA
from extractors.base import Extraction, empty_allocations, empty_attributes
from pipeline.findings import Finding

# A reader's findings about one printed cell it could not read as an amount: that cell is
# reported by what went wrong with it, never again as an empty cell.
CELL_READING_CHECKS = frozenset({"unparsed_amount", "implausible_amount"})


def extractions_to_frame(extractions: list[Extraction]) -> pl.DataFrame:
    """All allocation rows of a case in one long frame, in document order."""
    frames = [e.allocations for e in extractions if len(e.allocations)]
    if not frames:
        return empty_allocations()
    return pl.concat(frames, how="vertical_relaxed")


def extractions_to_attributes(extractions: list[Extraction]) -> pl.DataFrame:
    """The numbers printed beside the amounts that are not money (shares, population, counts)."""
    frames = [e.attributes for e in extractions if len(e.attributes)]
    if not frames:
        return empty_attributes()
    return pl.concat(frames, how="vertical_relaxed")


def problems_to_findings(extractions: list[Extraction]) -> list[Finding]:
    """Every problem a reader reported, as a finding pointing at its place."""
    findings = []
    for extraction in extractions:
        for p in extraction.problems:
            findings.append(
                Finding(
                    check=p.check,
                    severity=p.severity,
                    message=p.message,
                    table=p.table,
                    measure=p.measure,
                    source_file=p.source_file,
                    page=p.page,
                    row=p.row,
                    code=p.code,
                )
            )
    return findings


def reported_cells(extractions: list[Extraction]) -> pl.DataFrame:
    """Where each table cell is printed that a reader reported it could not read as an
    amount (source_file, table, row_index, measure, page)."""
    rows = [{"source_file": p.source_file, "table": p.table, "row_index": p.row,
             "measure": p.measure, "page": p.page}
            for e in extractions for p in e.problems
            if p.check in CELL_READING_CHECKS and p.row is not None and p.measure]
    return pl.DataFrame(rows, schema=REPORTED_SCHEMA)


def riket_totals(frame: pl.DataFrame) -> dict[tuple[str, str], int]:
    """(table, measure) -> the printed Riket amount, from the first document that prints it."""
    if frame.is_empty():
        return {}
    totals = frame.filter(pl.col("row_kind") == "total")
    riket: dict[tuple[str, str], int] = {}
    for row in totals.iter_rows(named=True):
        riket.setdefault((row["table"], row["measure"]), row["amount_sek"])
    return riket
