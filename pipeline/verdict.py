"""The verdict of a case, from the evidence alone: pass, fail, incomplete or empty.

- ``pass``: at least one check evaluated something (a table's rows, cells or columns, or a
  stated total compared), no finding is an error, and no printed money went unread. Exit 0.
- ``fail``: an error finding says the documents disagree. Exit 1.
- ``incomplete``: not fully read: printed money could not be read as a table or statement
  (``unread_table`` and the other reading errors in ``NOT_READ_CHECKS``), and nothing else
  disagrees. Exit 1; exit 2 when a whole document could not be read.
- ``empty``: nothing to reconcile at all (no allocation table, no amount in the text). Exit 0.

The report's banner, the CLI summary line, summary.json and findings.json all take the status
and its reason from `case_verdict`, so they always say the same thing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from model import Finding, Verdict

# Error findings that mean "printed money was not read", not "the documents disagree".
NOT_READ_CHECKS = frozenset({
    "unread_table", "unchecked_amounts", "unreadable_document", "no_text_layer",
    "unparsed_amount", "unparsed_number", "unknown_table_kind", "implausible_amount",
    "decoder_warning", "truncated_table", "unaccounted_amounts", "unread_picture",
    "unjoined_columns", "recipients_without_amounts",
})
# Checks that count what was read, not what was reconciled: alone they never make a pass.
NOT_RECONCILING = frozenset({"reading"})
def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


def case_verdict(findings: Iterable[Finding], read_errors: Sequence[str], checks: Iterable,
                 money_seen: bool) -> Verdict:
    """The verdict from a case's findings, read errors, check summaries (only those with
    something evaluated count) and whether any money was printed in what was read."""
    errors = [f for f in findings if f.severity == "error"]
    unread = [f for f in errors if f.check in NOT_READ_CHECKS]
    disagree = [f for f in errors if f.check not in NOT_READ_CHECKS]
    applicable = [c for c in checks if c.evaluated > 0 and c.suite not in NOT_RECONCILING]
    if read_errors:
        return Verdict("incomplete", 2, f"{_plural(len(read_errors), 'document')} could not be "
                       "read; the rest was checked")
    if disagree:
        reason = f"the documents disagree ({_plural(len(disagree), 'error finding')})"
        if unread:
            reason += f"; also not fully read ({_plural(len(unread), 'finding')})"
        return Verdict("fail", 1, reason)
    if unread:
        return Verdict("incomplete", 1, f"printed money could not be read or checked "
                       f"({_plural(len(unread), 'finding')})")
    if applicable:
        return Verdict("pass", 0, f"{_plural(len(applicable), 'check')} evaluated what was "
                       "read and none failed")
    if money_seen:  # defensive: the pipeline reports such money as unchecked_amounts
        return Verdict("incomplete", 1, "amounts were read but none could be checked")
    return Verdict("empty", 0, "no allocation table and no amount in the text")


def unchecked_findings(amounts: int, stated: Sequence[dict], checks: Iterable) -> list[Finding]:
    """An error when money was read (``amounts`` table cells, ``stated`` text amounts) but no
    check had anything to evaluate: such money is printed and unchecked, never a pass."""
    if any(c.evaluated > 0 and c.suite not in NOT_RECONCILING for c in checks) or not (
            amounts or stated):
        return []
    shown = "; ".join(f"{row.get('text')} ({row.get('source_file')})" for row in stated[:3])
    more = f" and {len(stated) - 3} more" if len(stated) > 3 else ""
    what = (f"{amounts} table amounts" if amounts
            else f"{_plural(len(stated), 'amount')} in the text")
    return [Finding(
        check="unchecked_amounts", severity="error",
        message=f"{what} were read but none could be checked: no total, table or other "
        f"document to compare {'them' if amounts or len(stated) > 1 else 'it'} with"
        + (f" ({shown}{more})." if shown else "."),
        source_file=stated[0].get("source_file") if stated else None,
    )]
