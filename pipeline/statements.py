"""Totals stated in words: from every document's text to claims, reconciled with the tables."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polars as pl

from expectations.stated_totals import reconcile_and_table
from extractors.base import Extraction
from extractors.statements import statements_to_claims, text_to_statements
from model import Finding, count_items


def extractions_to_stated_findings(
    extractions: list[Extraction], riket: Mapping[tuple[str, str], int],
    frame: pl.DataFrame | None = None, keys: Sequence = (),
) -> tuple[list[Finding], list[dict]]:
    """Findings for every stated amount, and the rows of the report's stated-totals table.

    With the case's allocation frame, statements are also compared with the printed tables
    (their total rows, or their column sums where they print none), paired with a column by
    the words they share with its header and its table's title. With the allocation keys the
    suites found in the numbers (``keys``), per-recipient rates are checked against them."""
    statements = [
        s for e in extractions for s in text_to_statements(e.text, e.source_file)
    ]
    claims = statements_to_claims(statements)
    captions = {(e.source_file, t.table_index or 0): t.title or "" for e in extractions
                for t in e.tables}
    found, rows = reconcile_and_table(claims, riket, frame, captions, keys)
    return [Finding(**d) for d in found], rows


def _summary(check: str, verifies: str, findings: list[Finding]):
    """One line of the report's checks (a CheckSummary) for one kind of stated comparison: each
    statement compared counts once; a contradiction fails, an unverified one is noted; none
    compared: not applicable."""
    compared = [f for f in findings if f.check == check]
    return count_items(check, verifies, len(compared),
                       [f.severity for f in compared if f.severity != "info"])


def stated_check_summary(findings: list[Finding]):
    """The stated-totals comparisons (each statement compared with its parts or a table)."""
    return _summary("stated_total", "Every total written in the text agrees with its parts and "
                    "with the tables, within the precision it is printed to.", findings)


def rate_check_summary(findings: list[Finding]):
    """The per-recipient rates compared with a key found in the numbers."""
    return _summary("stated_rate", "Every per-recipient rate written in the text (\"1 000 000 "
                    "kronor per län\") is what the column of the table that holds it gives each "
                    "recipient.", findings)
