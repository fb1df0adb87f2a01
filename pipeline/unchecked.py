"""Printed money that no check evaluated, as `unchecked_amounts` errors: a case is never green
beside money nothing reconciles (issue 15).

Two kinds: amounts stated in running text that no total, part, table or restatement speaks
of (one finding per page of a document, so each is found where it is printed), and allocation
tables whose amounts no reconciling check touches (one finding per table): no total row to
foot, no row-total column to cross-foot, no allocation key tying a column, and no statement
compared with what it adds up to. That a cell is a whole, non-negative amount is checked for
every table, but it reconciles nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import polars as pl

from expectations.messages import fmt_kr, plural, table_name
from extractors.base import Extraction
from model import Finding

UNCHECKED_ROLES = ("amount", "whole")  # rates and approximate amounts are no totals to check
SHOWN_AMOUNTS = 4  # amounts quoted in a message
TABLE_KEYS = ["source_file", "table", "table_index"]


def _digits(text: str | None) -> str:
    return re.sub(r"\D", "", text or "")


def unchecked_statement_findings(extractions: Sequence[Extraction],
                                 rows: Sequence[dict]) -> list[Finding]:
    """One error per page of a document for the money its text states that no check evaluated (no
    total, part, table or restatement matched it). Amounts of a block already reported unread
    (`unread_table`) are left to that finding; rates ("per län") and approximate amounts
    ("drygt") are no totals and stay notes."""
    unread = {(e.source_file, _digits(a)) for e in extractions for b in e.blocks
              if b.fate == "unread" for a in b.amounts}
    by_page: dict[tuple, list[dict]] = {}
    for row in rows:
        if (row.get("result") == "unplaced" and row.get("role", "amount") in UNCHECKED_ROLES
                and (row.get("source_file"), _digits(row.get("text"))) not in unread):
            by_page.setdefault((row.get("source_file"), row.get("page")), []).append(row)
    findings = []
    for (source_file, page), left in by_page.items():
        n = len(left)
        shown = "; ".join(str(r.get("text")) for r in left[:SHOWN_AMOUNTS])
        more = f" and {n - SHOWN_AMOUNTS} more" if n > SHOWN_AMOUNTS else ""
        them = "them" if n != 1 else "it"
        where = f"page {page} of {source_file}" if page else source_file
        findings.append(Finding(
            check="unchecked_amounts", severity="error", source_file=source_file,
            page=page, unit="kr", observed=_sum_kr(left),
            message=f"{plural(n, 'amount')} of money in the text of {where} "
            f"{'were' if n != 1 else 'was'} read but no check evaluated {them}: no total, part "
            f"or table it names agrees or disagrees with {them} ({shown}{more})."))
    return findings


def _sum_kr(rows: Sequence[dict]) -> int | float:
    """What the amounts add up to in kronor: the money the finding leaves unchecked."""
    total = sum(float(r.get("value") or 0) for r in rows)
    return int(total) if total == int(total) else round(total, 2)


def _checked_tables(frame: pl.DataFrame, keys: Iterable, rows: Sequence[dict]) -> set[tuple]:
    """The tables some reconciling check evaluates: those with a total row or a row-total
    column beside other money columns, those a found key ties, and those a statement was
    compared with."""
    checked = set()
    for key, g in frame.group_by(TABLE_KEYS, maintain_order=True):
        roles = g["column_role"] if "column_role" in g.columns else pl.Series([], dtype=pl.String)
        if (g["row_kind"] == "total").any() or (
                (roles == "row_total").any() and g["measure"].n_unique() > 1):
            checked.add(tuple(key))
    for k in keys:
        for column in (k.dependent, k.independent):
            if column is not None:
                checked.add((column.source_file, column.table, column.table_index))
    checked |= {tuple(r["compared_table"]) for r in rows if r.get("compared_table")}
    return checked


def unchecked_table_findings(frame: pl.DataFrame, keys: Iterable,
                             rows: Sequence[dict]) -> list[Finding]:
    """One error per allocation table whose amounts no reconciling check evaluated."""
    if frame.is_empty():
        return []
    frame = frame.with_columns(pl.col("table_index").fill_null(0))
    checked = _checked_tables(frame, keys, rows)
    findings = []
    for (source_file, table, index), g in frame.group_by(TABLE_KEYS, maintain_order=True):
        if (source_file, table, index) in checked:
            continue
        total = int(g["amount_sek"].fill_null(0).sum())
        findings.append(Finding(
            check="unchecked_amounts", severity="error", table=table, source_file=source_file,
            page=g["page"].min(), unit="kr", observed=total,
            message=f"The {table_name(table)} in {source_file} prints "
            f"{plural(g.height, 'amount')}, {fmt_kr(total)} in all, that no check could "
            "evaluate: it "
            "prints no total row and no row-total column, no allocation key ties its columns "
            "and no statement in the documents gives what it adds up to."))
    return findings
