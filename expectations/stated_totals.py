"""Stated totals: amounts written in words and tables reconcile with each other and the annex.

Takes claims as plain data (the ``to_dict()`` of ``extractors.statements.Claim``, or objects
that have one, or :class:`StatedClaim`), the tables' national totals keyed by (table, measure)
and, optionally, the case's allocation frame. Every total is checked against its parts, every
amount of one recipient level against the column of that level's table its words name
(``expectations.pairing``), every combined "kommuner och regioner" amount against the sum of
the three tables' row totals, and every overall total against what the document states for each
recipient level. With the frame, an amount whose recipients fit a printed table is compared
with what that table adds up to (``frame_to_table_totals``): the sum of its rows when it prints
no total row, its total row otherwise. Tolerance is the printed precision of the amounts
compared. Each result is a finding dict (``pipeline.findings.Finding``); amounts that match
nothing are ``unplaced_statement`` (info). A comparison's ``related`` lists the statement, then
what it was compared with (stated parts, a table's total-row cell or a column's sum), so the
diagnosis can hold it as a rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import polars as pl

from expectations.frames import is_total_measure
from expectations.key_search import Key
from expectations.messages import FINDING_KEYS
from expectations.pairing import (
    KIND_NAMES,
    Column,
    TableTotal,
    frame_to_table_totals,
    pick_column,
    shared_words,
    total_column,
)
from expectations.stated import Stated, StatedClaim, kr, place, plain_number, stated_term
from expectations.stated_rates import check_rates, rate_related

__all__ = ["Stated", "StatedClaim", "TableTotal", "claims_table", "frame_to_table_totals", "kr",
           "reconcile_and_table", "reconcile_claims"]

DEFAULT_RIKET_PRECISION = 0.5  # Riket cells are printed in whole kronor
TABLES = ("region", "kommun", "lan")
DEFAULT_TOTAL_LABEL = "Riket"  # a total row's label where no frame says how it is printed


class _Reconciler:
    """Holds the findings and what each statement was matched to."""

    def __init__(self, claims: list[StatedClaim], riket: Mapping[tuple[str, str], int],
                 tables: Iterable[TableTotal] = ()) -> None:
        self.claims, self.riket, self.tables = claims, dict(riket), list(tables)
        self.findings: list[dict] = []
        self.notes: dict[str, tuple[str, str]] = {}
        self.compared: dict[str, TableTotal] = {}  # statement id -> the printed table column
        self.stated: dict[str, Stated] = {}
        for c in claims:
            for s in ((c.total,) if c.total else ()) + c.parts:
                self.stated.setdefault(s.id, s)

    def add(self, s: Stated, check: str, severity: str, message: str, *, expected=None,
            tolerance=None, table=None, measure=None, matched: str = "",
            related: list[dict] | None = None) -> None:
        observed = s.value if expected is not None else None
        diff = observed - expected if expected is not None else None
        if table is None and s.id in self.compared:  # the table column it was compared with
            table, measure = self.compared[s.id].table, self.compared[s.id].measure
        self.findings.append(dict(zip(FINDING_KEYS, (
            check, severity, message, table, s.scb_code, measure, "kr", expected, observed,
            diff, tolerance, s.source_file, s.page, None, None, related), strict=True)))
        result = {"error": "contradicts", "warning": "unverified", "info": "agrees"}[severity] \
            if check in ("stated_total", "stated_rate") else "unplaced"
        if s.id not in self.notes or severity == "error":
            self.notes[s.id] = (matched, result)

    def rates(self, keys: Iterable[Key]) -> None:
        """Per-recipient rates against the keys found in the numbers (stated_rates.py)."""
        for r in check_rates(self.stated.values(), keys):
            severity = {"agrees": "info", "contradicts": "error", "unverified": "warning"}
            column = r.key.dependent if r.key else None
            self.add(r.statement, "stated_rate", severity[r.result], r.message,
                     expected=r.expected, tolerance=r.tolerance,
                     table=column.table if column else None,
                     measure=column.measure if column else None,
                     matched=r.key.description if r.key else "", related=rate_related(r))

    def place(self, s: Stated, matched: str, result: str = "agrees") -> None:
        if s.id not in self.notes:
            self.notes[s.id] = (matched, result)

    def compare(self, s: Stated, expected: float, tol: float, what: str, parts=(),
                terms: list[dict] | None = None, **where) -> bool:
        """Stated amount against an expected one; an agreement is info, a contradiction error.
        The finding's ``related`` names the statement first, then what ``expected`` adds up
        (``terms``, else the stated ``parts``): the diagnosis takes the comparison as a rule."""
        diff = s.value - expected
        ok = abs(diff) <= tol + 1e-9
        if ok:
            msg = f"{s.text} ({place(s)}) agrees with {what}, {kr(expected)}."
        else:
            msg = (f"{s.text} ({place(s)}) differs from {what}, {kr(expected)}, by {kr(diff)}, "
                   f"more than the {plain_number(tol)} kr the printed amounts allow.")
        terms = [stated_term(p, "part") for p in parts] if terms is None else terms
        self.add(s, "stated_total", "info" if ok else "error", msg, expected=expected,
                 tolerance=tol, matched=what, related=[stated_term(s, "stated"), *terms],
                 **where)
        for p in parts:
            self.place(p, f"part of {s.text}", "agrees" if ok else "contradicts")
        return ok

    def sums(self) -> list[StatedClaim]:
        """Each total against its parts; returns the "varav" totals whose parts fall short."""
        short = []
        for c in self.claims:
            if c.kind != "sum" or c.total is None:
                continue
            t, expected = c.total, sum(p.value for p in c.parts)
            tol = t.precision + sum(p.precision for p in c.parts)
            if c.open and t.value - expected > tol:
                if t.role == "whole":
                    short.append(c)
                else:
                    self.add(t, "stated_total", "info", f"{t.text} ({place(t)}) is itemised "
                             f"only in part: the parts named add up to {kr(expected)}.",
                             expected=expected, tolerance=tol, matched="partly itemised")
                continue
            names = " + ".join(p.text for p in c.parts)
            what = "its one part" if len(c.parts) == 1 else f"the sum of its {len(c.parts)} parts"
            self.compare(t, expected, tol, f"{what} ({c.how}: {names})", parts=c.parts)
        return short

    def _riket_columns(self, table: str) -> list[Column]:
        """The columns of one table kind's national total row, each with its printed value
        and whether the readers found it to be the row-total column."""
        roles = {(t.table, t.measure): t.row_total for t in self.tables if t.printed}
        return [Column(m, v, DEFAULT_RIKET_PRECISION, roles.get((t, m), is_total_measure(m)))
                for (t, m), v in self.riket.items() if t == table]

    def _total_label(self, table: str) -> str:
        """The label the table's total row prints ("Riket", "Summa", "Totalt")."""
        return next((t.label for t in self.tables if t.printed and t.table == table
                     and t.label), DEFAULT_TOTAL_LABEL)

    def _riket_what(self, table: str, measure: str) -> str:
        kind = KIND_NAMES.get(table, table)
        return f"the {self._total_label(table)} row of the {kind} table's {measure}"

    def _riket_term(self, table: str, col: Column) -> dict:
        """The printed total-row cell a Riket amount was taken from (the first document's)."""
        found = next((t for t in self.tables if t.printed and t.table == table
                      and t.measure == col.measure and t.amount == col.amount), None)
        if found is not None:
            return table_term(found)
        return {"role": "total_row", "table": table, "table_index": 0, "measure": col.measure,
                "source_file": None, "page": None, "scb_code": None, "printed": col.amount}

    def riket_checks(self) -> None:
        """Amounts of one recipient level against the column of that level's table their
        words name (by its header, and by value where words tie); a table subtotal against
        its row-total column; a combined amount against the sum of the three row totals."""
        if not self.riket:
            return
        totals_of_sums = {c.total.id: c.how for c in self.claims if c.kind == "sum" and c.total}
        inherited = {p.id: c.total.words for c in self.claims if c.kind == "sum" and c.total
                     for p in c.parts if not p.words}
        for s in self.stated.values():
            how = totals_of_sums.get(s.id)
            if s.role in ("rate", "approximate", "whole") or s.scb_code or (
                how and how != "table subtotal"
            ):
                continue
            if s.scope == "combined" and s.list_id is None:
                self._combined(s)
            elif s.scope in TABLES:
                cols = self._riket_columns(s.scope)
                words = s.words or inherited.get(s.id, ())
                col = total_column(cols) if how else pick_column(words, cols, s.value,
                                                                 s.precision)
                if col is not None:
                    self.compare(s, col.amount, s.precision + DEFAULT_RIKET_PRECISION,
                                 self._riket_what(s.scope, col.measure),
                                 terms=[self._riket_term(s.scope, col)],
                                 table=s.scope, measure=col.measure)

    def _combined(self, s: Stated) -> None:
        """A "kommuner och regioner" amount against the sum of the three tables' row totals;
        one whose words name a column of theirs and that disagrees speaks of that purpose."""
        cols = {t: total_column(self._riket_columns(t)) for t in TABLES}
        if any(c is None for c in cols.values()):
            return
        expected = sum(c.amount for c in cols.values())
        tol = s.precision + len(TABLES) * DEFAULT_RIKET_PRECISION
        named = any(shared_words(s.words, c.measure) for t in TABLES
                    for c in self._riket_columns(t))
        if named and abs(s.value - expected) > tol:
            return
        measures = " / ".join(dict.fromkeys(c.measure for c in cols.values()))
        labels = " / ".join(dict.fromkeys(self._total_label(t) for t in TABLES))
        self.compare(s, expected, tol, f"the sum of the region, kommun and län tables' "
                     f"{measures} on their {labels} rows",
                     terms=[self._riket_term(t, c) for t, c in cols.items()])

    def _tables_for(self, s: Stated) -> list[tuple[TableTotal, bool]]:
        """The table columns a statement can speak of, each with whether words tie them (the
        statement's words in a header or the caption): its recipient level is named by the
        table (kind or header), its words name a table of no level by its caption, or it is
        a "totalt" amount without recipients in a document with one table that prints no
        total row. Such a table is compared only within its own document."""
        unsummed = {(t.source_file, t.table, t.table_index) for t in self.tables
                    if not t.printed and t.source_file == s.source_file}
        fits = []
        for key in dict.fromkeys((t.source_file, t.table, t.table_index) for t in self.tables):
            cols = [t for t in self.tables if (t.source_file, t.table, t.table_index) == key]
            if not cols[0].printed and key[0] != s.source_file:
                continue
            by_caption = _caption_names(s, cols[0].caption)
            named = s.scope in set().union(*(t.levels() for t in cols)) or (
                s.scope is None and by_caption and cols[0].table not in TABLES)
            alone = s.scope is None and s.total_cue and unsummed == {key}
            if not (named or alone):
                continue
            columns = [t.column() for t in cols]
            col = pick_column(s.words, columns, s.value, s.precision)
            by_words = col is not None
            col = col or total_column(columns)
            if col is not None:
                fits.append((next(t for t in cols if t.measure == col.measure),
                             by_words or by_caption))
        return sorted(fits, key=lambda fit: fit[0].source_file != s.source_file)

    def table_checks(self) -> None:
        """Amounts not matched yet against the tables whose recipients they name: agreement
        with a total row or a column sum is info; a total row the statement's words or its
        "totalt" tie it to and that disagrees is the discrepancy (error); a table without
        total row that adds up to less than the statement is a warning (it may list a part
        only), to more an error."""
        parts = {p.id for c in self.claims for p in c.parts}
        todo = [s for s in self.stated.values() if s.id not in self.notes.keys() | parts
                and s.role == "amount" and not s.scb_code and s.list_id is None]
        done: set[tuple] = set()
        for s in sorted(todo, key=lambda s: not s.total_cue):
            fits = self._tables_for(s)
            agree = [t for t, _ in fits
                     if abs(s.value - t.amount) <= s.precision + t.bound + 1e-9]
            tied = [t for t, by_words in fits if t.printed and (by_words or s.total_cue)]
            unsummed = [t for t, _ in fits if not t.printed]
            # Tied tables that print one amount (an annex as PDF and DOCX) are one total.
            t = agree[0] if agree else tied[0] if len({x.amount for x in tied}) == 1 else (
                unsummed[0] if len(unsummed) == 1 else None)
            key = (s.source_file, s.value, t)
            if t is None or key in done:
                continue  # a second statement of the same amount restates it (leftovers)
            done.add(key)
            self.compared[s.id] = t
            tol, diff = s.precision + t.bound, s.value - t.amount
            if t.printed or diff <= tol:
                self.compare(s, t.amount, tol, t.describe(), terms=[table_term(t)])
                continue
            self.add(s, "stated_total", "warning", f"{s.text} ({place(s)}) states "
                     f"{kr(s.value)}, but {t.describe()} is {kr(t.amount)}, {kr(diff)} less: "
                     "the table prints no total row and may list only a part of what the "
                     "statement covers; the rest is not printed, so the statement could not be "
                     "verified.", expected=t.amount, tolerance=tol, matched=t.describe(),
                     related=[stated_term(s, "stated"), table_term(t)])

    def _level(self, source: str, scope: str, skip: set[str]) -> list[Stated]:
        """What one document states for one recipient level, each distinct amount once."""
        groups = [c for c in self.claims if c.kind == "group" and c.scope == scope
                  and c.parts and c.parts[0].source_file == source]
        if len(groups) == 1:
            return list(groups[0].parts)
        found: dict[float, Stated] = {}
        for s in self.stated.values():
            if (s.source_file == source and s.scope == scope and s.role == "amount"
                    and s.list_id is None and s.id not in skip):
                found.setdefault(s.value, s)
        if scope == "combined" and len(found) > 1:
            return []
        return list(found.values())

    def _group_sum(self, source: str) -> list[Stated]:
        parts: list[Stated] = []
        for scope in TABLES:
            level = [c for c in self.claims if c.kind == "group" and c.scope == scope
                     and c.parts and c.parts[0].source_file == source]
            if len(level) != 1:
                return []
            parts.extend(level[0].parts)
        return parts

    def wholes(self, short: list[StatedClaim]) -> None:
        """Each overall total against its explicit parts and the file's recipient levels."""
        complete = {(c.total.source_file, c.total.value) for c in self.claims
                    if c.kind == "sum" and c.total and c.total.role == "whole"
                    and c not in short and self.notes.get(c.total.id, ("", ""))[1] == "agrees"}
        done: set[tuple[str, float]] = set()
        for s in self.stated.values():
            key = (s.source_file, s.value)
            if s.role != "whole" or s.id in self.notes:
                continue
            if key in complete or key in done:
                self.add(s, "stated_total", "info", f"{s.text} ({place(s)}) restates the "
                         "overall total already reconciled in the same document.",
                         expected=s.value, tolerance=s.precision, matched="restated total")
                continue
            done.add(key)
            explicit = [p for c in short if c.total.id == s.id for p in c.parts]
            covered = {p.scope for p in explicit}
            skip = {p.id for p in explicit}
            parts = list(explicit)
            if "combined" not in covered and not set(TABLES) <= covered:
                parts += self._level(s.source_file, "combined", skip) or self._group_sum(
                    s.source_file)
            if "skr" not in covered:
                parts += self._level(s.source_file, "skr", skip)
            scopes = {p.scope for p in parts}
            if ("combined" in scopes or set(TABLES) <= scopes) and "skr" in scopes:
                tol = s.precision + sum(p.precision for p in parts)
                names = " + ".join(p.text for p in parts)
                self.compare(s, sum(p.value for p in parts), tol,
                             f"what the document states per recipient level ({names})",
                             parts=parts)
            elif explicit:
                self.add(s, "stated_total", "info", f"{s.text} ({place(s)}) is itemised only "
                         f"in part; the rest is not stated per recipient in the document.",
                         expected=sum(p.value for p in explicit), matched="partly itemised",
                         tolerance=s.precision + sum(p.precision for p in explicit))

    def combined_vs_groups(self) -> None:
        """A "kommuner och regioner" amount against the document's region, kommun and län lists."""
        for s in list(self.stated.values()):
            if s.scope != "combined" or s.role != "amount" or s.list_id is not None:
                continue
            parts = self._group_sum(s.source_file)
            if parts:
                tol = s.precision + sum(p.precision for p in parts)
                self.compare(s, sum(p.value for p in parts), tol,
                             "the sum of the document's region, kommun and län lists",
                             parts=parts)

    def leftovers(self) -> None:
        """Restated amounts are info; anything else that matched nothing is unplaced."""
        placed = {(self.stated[i].source_file, self.stated[i].value) for i in self.notes}
        elsewhere = {}
        for i, (_, result) in self.notes.items():
            if result in ("agrees", "contradicts"):
                elsewhere.setdefault(self.stated[i].value, self.stated[i].source_file)
        for s in self.stated.values():
            if s.id in self.notes:
                continue
            if s.role != "rate" and (s.source_file, s.value) in placed:
                self.add(s, "stated_total", "info", f"{s.text} ({place(s)}) restates an "
                         "amount already reconciled in the same document.", expected=s.value,
                         tolerance=s.precision, matched="restated amount")
                continue
            if s.role in ("amount", "whole") and s.value in elsewhere:
                self.add(s, "stated_total", "info", f"{s.text} ({place(s)}) restates an "
                         f"amount reconciled in {elsewhere[s.value]}.", expected=s.value,
                         tolerance=s.precision, matched=f"restated from {elsewhere[s.value]}")
                continue
            why = {"rate": "it is a per-recipient rate, not a total",
                   "approximate": "it is stated only approximately"}.get(
                s.role, "nothing in the documents states it as a total or part, and no "
                "printed total of a table it names matches it")
            self.add(s, "unplaced_statement", "info",
                     f"{s.text} ({place(s)}) was not reconciled: {why}.")


def table_term(t: TableTotal) -> dict:
    """A table column as a term of a comparison: its printed total-row cell ("total_row"),
    or the sum of its recipient rows ("column_sum") where it prints no total row."""
    return {"role": "total_row" if t.printed else "column_sum", "table": t.table,
            "table_index": t.table_index, "measure": t.measure, "source_file": t.source_file,
            "page": t.page, "scb_code": None, "printed": t.amount}


Captions = Mapping[tuple[str, int], str] | None


def _caption_names(s: Stated, caption: str) -> bool:
    """Whether a table's caption shares the statement's words, as evidence of its own: a
    caption that is the statement's sentence or a piece of it (the paragraph above a table,
    or its last line, is taken for its caption) says nothing the statement does not ("… 724
    mnkr till länen, varav 24,0 Mkr till brukarmedverkan" above a table of totals names no
    column of it). A caption the sentence merely repeats is no evidence either way: such a
    statement is still compared where the amounts agree, only never blamed by it."""
    text, words = " ".join(caption.split()).casefold(), " ".join(s.context.split()).casefold()
    own = " ".join(s.text.split()).casefold() in text or (bool(text) and text in words)
    return not own and shared_words(s.words, caption) > 0


def _run(claims: Iterable[object], riket: Mapping[tuple[str, str], int],
         frame: pl.DataFrame | None = None, captions: Captions = None,
         keys: Iterable[Key] = ()) -> _Reconciler:
    rec = _Reconciler([StatedClaim.from_any(c) for c in claims], riket or {},
                      frame_to_table_totals(frame, captions))
    rec.rates(keys)
    short = rec.sums()
    rec.riket_checks()
    rec.table_checks()
    rec.combined_vs_groups()
    rec.wholes(short)
    rec.leftovers()
    return rec


def reconcile_claims(claims: Iterable[object],
                     riket: Mapping[tuple[str, str], int] | None = None,
                     frame: pl.DataFrame | None = None, captions: Captions = None) -> list[dict]:
    """Findings (dicts with the keys of pipeline.findings.Finding) for every stated amount;
    ``frame`` (the case's allocation frame) adds the comparisons with printed tables and
    ``captions`` ((source_file, table_index) -> title) the words of their titles."""
    return _run(claims, riket or {}, frame, captions).findings


def claims_table(claims: Iterable[object],
                 riket: Mapping[tuple[str, str], int] | None = None,
                 frame: pl.DataFrame | None = None, captions: Captions = None) -> list[dict]:
    """One row per stated amount for the report's "stated totals" section."""
    return _table_rows(_run(claims, riket or {}, frame, captions))


def reconcile_and_table(claims: Iterable[object],
                        riket: Mapping[tuple[str, str], int] | None = None,
                        frame: pl.DataFrame | None = None, captions: Captions = None,
                        keys: Iterable[Key] = ()) -> tuple[list[dict], list[dict]]:
    """The findings and the report's rows from one reconciliation (what the pipeline needs);
    ``keys`` (the allocation keys found in the numbers) check the per-recipient rates."""
    rec = _run(claims, riket or {}, frame, captions, keys)
    return rec.findings, _table_rows(rec)


def _table_rows(rec: _Reconciler) -> list[dict]:
    rows = []
    for s in rec.stated.values():
        matched, result = rec.notes.get(s.id, ("", "unplaced"))
        table = rec.compared.get(s.id)
        rows.append({"statement": s.context, "text": s.text, "source_file": s.source_file,
                     "page": s.page, "value": s.value, "unit": s.unit,
                     "matched_to": matched, "result": result, "role": s.role,
                     "compared_table": [table.source_file, table.table, table.table_index]
                     if table else None})
    return rows
