"""Totals stated in words: from every document's text to claims, reconciled with the tables."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import polars as pl

from expectations.stated_totals import reconcile_and_table
from extractors.base import Extraction
from extractors.statements import statements_to_claims, text_to_statements
from pipeline.findings import Finding


def extractions_to_stated_findings(
    extractions: list[Extraction], riket: Mapping[tuple[str, str], int],
    frame: pl.DataFrame | None = None,
) -> tuple[list[Finding], list[dict]]:
    """Findings for every stated amount, and the rows of the report's stated-totals table.

    With the case's allocation frame, statements are also compared with the printed tables
    (their total rows, or their column sums where they print none), paired with a column by
    the words they share with its header and its table's title."""
    statements = [
        s for e in extractions for s in text_to_statements(e.text, e.source_file)
    ]
    claims = statements_to_claims(statements)
    captions = {(e.source_file, t.table_index or 0): t.title or "" for e in extractions
                for t in e.tables}
    found, rows = reconcile_and_table(claims, riket, frame, captions)
    return [Finding(**d) for d in found], rows


def stated_check_summary(findings: list[Finding]):
    """The stated-totals comparisons as one line of the report's checks (a CheckSummary): each
    statement compared with its parts or a table counts once; a contradiction fails, an
    unverified one is noted. No statement compared: not applicable."""
    from expectations.runner import count_items  # imports great-expectations: not at start-up

    compared = [f for f in findings if f.check == "stated_total"]
    return count_items(
        "stated_total",
        "Every total written in the text agrees with its parts and with the tables, within the "
        "precision it is printed to.",
        len(compared), [f.severity for f in compared if f.severity != "info"],
    )


UNCHECKED_ROLES = ("amount", "whole")  # rates and approximate amounts are no totals to check
SHOWN_AMOUNTS = 4  # amounts quoted in an unchecked_amounts message


def _digits(text: str | None) -> str:
    return re.sub(r"\D", "", text or "")


def unchecked_statement_findings(extractions: Sequence[Extraction],
                                 rows: Sequence[dict]) -> list[Finding]:
    """One `unchecked_amounts` error per document for the money its text states that no
    check evaluated (no total, part, table or restatement matched it): printed money left
    unchecked is never a pass. Amounts of a block already reported unread (`unread_table`)
    are left to that finding; rates ("per län") and approximate amounts ("drygt") are no
    totals and stay notes."""
    unread = {(e.source_file, _digits(a)) for e in extractions for b in e.blocks
              if b.fate == "unread" for a in b.amounts}
    by_document: dict[str, list[dict]] = {}
    for row in rows:
        if (row.get("result") == "unplaced" and row.get("role", "amount") in UNCHECKED_ROLES
                and (row.get("source_file"), _digits(row.get("text"))) not in unread):
            by_document.setdefault(row.get("source_file"), []).append(row)
    findings = []
    for source_file, left in by_document.items():
        shown = "; ".join(f"{r.get('text')}" + (f" (page {r['page']})" if r.get("page") else "")
                          for r in left[:SHOWN_AMOUNTS])
        more = f" and {len(left) - SHOWN_AMOUNTS} more" if len(left) > SHOWN_AMOUNTS else ""
        n = len(left)
        findings.append(Finding(
            check="unchecked_amounts", severity="error", source_file=source_file,
            page=left[0].get("page"), unit="kr", observed=left[0].get("value") if n == 1 else None,
            message=f"{n} amount{'s' * (n != 1)} of money in the text of {source_file} "
            f"{'were' if n != 1 else 'was'} read but no check evaluated "
            f"{'them' if n != 1 else 'it'}: no total, part or table it names agrees or "
            f"disagrees with {'them' if n != 1 else 'it'} ({shown}{more})."))
    return findings
