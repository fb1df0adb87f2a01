"""The fate of every block with money, settled once the stated amounts are reconciled.

A reader marks each block (extractors/fates.py) as read as a table, handed to the text, or
unread. A block handed to the text counts as read as "statements" only when every amount it
prints was reconciled as a stated amount (it agrees with, or contradicts, its parts or a table);
otherwise its money went unchecked and it is "unread". Every unread block is an `unread_table`
error finding with its file, page or table number, first rows and the sum of its amounts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from expectations.messages import fmt_kr, plural, table_name
from extractors.base import TABLE_KINDS, BlockInfo, Extraction
from model import count_items
from pipeline.findings import Finding
from pipeline.reference import reference_codes

RECONCILED_RESULTS = ("agrees", "contradicts")  # a stated amount compared with something
SHOWN_ROWS = 3  # rows quoted in the finding's message (documents.json lists more)


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text or "")


def settle(block: BlockInfo, reconciled: set[str]) -> BlockInfo:
    """A block handed to the text as "statements" or "unread", by its amounts' digits among the
    reconciled stated amounts of its document; other fates stay."""
    if block.fate != "text":
        return block
    checked = sum(_digits(a) in reconciled for a in block.amounts)
    if block.amounts and checked == len(block.amounts):
        return replace(block, fate="statements", reason=f"its {_its(len(block.amounts))} "
                       "reconciled as stated amounts")
    return replace(block, fate="unread", reason=f"{block.reason}; {checked} of its "
                   f"{_its(len(block.amounts))} reconciled as stated amounts")


def _its(n: int) -> str:
    """"one amount was", "2 amounts were": how many of a block's amounts."""
    return "one amount was" if n == 1 else f"{plural(n, 'amount')} were"


def where(block: BlockInfo) -> str:
    """"Table 2", "The table on page 3" or "A list", for the finding's sentence."""
    if block.shape == "list":
        return "A list of name–amount lines"
    if block.shape == "pdf_table":
        return f"The table on page {block.page}" if block.page else "A table"
    return f"Table {block.page}" if block.page else "A table"


def unread_finding(block: BlockInfo) -> Finding:
    """The error an auditor sees for a block whose money was neither read nor checked."""
    rows = " / ".join(f"«{r}»" for r in block.first_rows[:SHOWN_ROWS])
    more = f" (of {plural(block.rows, 'row')})" if block.rows > SHOWN_ROWS else ""
    return Finding(
        check="unread_table", severity="error",
        message=f"{where(block)} in {block.source_file} prints "
        f"{plural(len(block.amounts), 'amount')}, {fmt_kr(block.amount_sum_sek)} in all, that "
        f"{'was' if len(block.amounts) == 1 else 'were'} neither read as an allocation table "
        f"nor reconciled as stated amounts ({block.reason}). First rows as printed{more}: "
        f"{rows}.",
        source_file=block.source_file, page=block.page, observed=block.amount_sum_sek,
        unit="kr",
    )


def settle_blocks(extractions: Sequence[Extraction], stated: Sequence[dict]) -> list[Finding]:
    """Settle every document's blocks in place (``Extraction.blocks``) against the report's
    stated-amount rows, and return an `unread_table` finding per unread block."""
    reconciled: dict[str, set[str]] = {}
    for row in stated:
        if row.get("result") in RECONCILED_RESULTS:
            reconciled.setdefault(row.get("source_file"), set()).add(_digits(row.get("text")))
    findings = []
    for extraction in extractions:
        extraction.blocks = [settle(b, reconciled.get(extraction.source_file, set()))
                             for b in extraction.blocks]
        findings += [unread_finding(b) for b in extraction.blocks if b.fate == "unread"]
    return findings


def short_table_findings(extractions: Sequence[Extraction]) -> list[Finding]:
    """An error for each money table that ends without a total row and short of all
    recipients of its kind, in a document whose other money tables print a total row: its
    columns could not be footed, and in a document that closes its tables with a total, one
    that stops short is most likely cut (a damaged page, a lost page), so it is not fully
    read. A table listing every kommun, region or län is complete without a total."""
    findings = []
    for extraction in extractions:
        money = [t for t in extraction.tables if t.amount_measures and t.status == "reconciled"]
        closed = [t for t in money if t.has_total_row]
        if not closed:
            continue
        for table in money:
            if table.has_total_row or table.kind not in TABLE_KINDS or \
                    table.recipient_rows >= len(reference_codes(table.kind)):
                continue
            where = f"page {table.page}" if table.page else "the document"
            findings.append(Finding(
                check="truncated_table", severity="error", source_file=extraction.source_file,
                page=table.page, table=table.kind, unit="kr",
                observed=_table_sum(extraction, table.table_index),
                message=f"The {table_name(table.kind)} on {where} of {extraction.source_file} "
                f"({plural(table.recipient_rows, 'recipient row')}) ends without a total row, "
                f"though {plural(len(closed), 'other table')} of the document "
                f"{'closes' if len(closed) == 1 else 'close'} with one: it may be cut short, "
                "so its columns were not footed; check the document or get an intact copy."))
    return findings


def _table_sum(extraction: Extraction, table_index: int | None) -> int:
    """The recipient amounts of one table of a document in kronor, the money not footed: its
    row-total column where it has one (the other columns are its parts), else every column."""
    rows = extraction.allocations
    if rows.is_empty() or table_index is None:
        return 0
    rows = rows.filter((rows["table_index"] == table_index) & (rows["row_kind"] == "recipient"))
    if "column_role" in rows.columns and (rows["column_role"] == "row_total").any():
        rows = rows.filter(rows["column_role"] == "row_total")
    return int(rows["amount_sek"].sum())


def reading_summary(extractions: Sequence[Extraction]):
    """The reading as one line of the report's checks: blocks with money evaluated, unread
    ones failed."""

    blocks = [b for e in extractions for b in e.blocks if b.amounts]
    return count_items(
        "reading", "Every block that prints money (table, list) was read as an allocation "
        "table or its amounts were reconciled as stated amounts.",
        len(blocks), ["error" for b in blocks if b.fate == "unread"])
