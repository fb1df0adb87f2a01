"""Edits of the totals stated in the text: each comparison the stated-totals check made
(expectations/stated_totals.py) holds as a rule, whatever it found.

A stated_total finding's ``related`` names the statement compared first, then what it was
compared with: other statements ("part"), a table's printed total-row cell ("total_row"), the
sum of a column's recipient rows ("column_sum"), or, for a per-recipient rate (stated_rate),
one recipient's printed cell that holds the key the rate was compared with ("cell"). Each
statement is one variable (a cell of kind "stated"), shared by every comparison it enters; the
edit is the statement minus what it was compared with, within the finding's tolerance, and
explains that one finding. A table without a total row that sums to less than a statement
may list only part of it (a warning): that comparison is a rule only where coverage finds a
row of the table missing, which may hold the rest.
"""

from __future__ import annotations

from model import Finding
from pipeline.edits import Cell, CellKey, Edit, EditSystem, amount_cells


def statement_cell(term: dict, total: bool) -> Cell:
    """A statement in the text as a variable: printed to its precision (half a unit); a
    per-recipient rate's (``rate`` in its term) is told apart by its row kind."""
    key = (term["source_file"], "statement", None, term["statement"], term["text"])
    unit = 2 * float(term.get("precision") or 0.5)
    return Cell(key, "statement", "", term["source_file"], float(term["printed"]), unit, total,
                term.get("scb_code"), term["text"], term.get("page"),
                row_kind="rate" if term.get("rate") else "statement", kind="stated")


def table_keys(system: EditSystem, term: dict) -> list[CellKey]:
    """The cells a table term stands for: its printed total-row cell, or its recipients, with
    the cells of a row coverage finds missing (printed as nothing, so the rule holds as the
    check computed it, and a missing row's amount can close the gap to a stated total)."""
    def fits(c: Cell) -> bool:
        return (c.table == term["table"] and c.measure == term["measure"] and (
            term.get("source_file") is None or (
                c.source_file == term["source_file"]
                and c.key[2] == term.get("table_index", c.key[2]))))

    cells = [c for c in amount_cells(system) if fits(c)]
    if term["role"] == "cell":  # one recipient's printed cell (a stated rate's comparison)
        return [c.key for c in cells if c.scb_code == term["scb_code"]
                and c.row_kind != "total" and c.printed is not None][:1]
    if term["role"] == "total_row":
        totals = [c for c in cells if c.row_kind == "total" and c.printed is not None]
        return [totals[0].key] if totals else []
    return [c.key for c in cells if c.row_kind != "total" and not c.removable]


def stated_edits(system: EditSystem, findings: list[Finding]) -> list[Edit]:
    """One edit per comparison of a stated amount, agreeing or not."""
    compared = [(i, f) for i, f in enumerate(findings)
                if f.check in ("stated_total", "stated_rate")
                and f.related and f.related[0].get("role") == "stated"]
    stated_totals = {f.related[0]["statement"] for _, f in compared}
    edits = []
    missing = {(c.source_file, c.table, c.measure) for c in amount_cells(system)
               if c.printed is None}
    for i, f in compared:
        if f.severity == "warning" and not any(
                (t.get("source_file"), t.get("table"), t.get("measure")) in missing
                for t in f.related[1:]):
            continue  # a list that may name part of the statement: a rule only where a row
            # coverage finds missing could make up the rest
        terms: list[tuple[CellKey, float]] = []
        for term in f.related:
            if term.get("statement"):
                cell = statement_cell(term, term["statement"] in stated_totals)
                system.add_cells([cell])
                terms.append((cell.key, 1.0 if term["role"] == "stated" else -1.0))
                continue
            keys = table_keys(system, term)
            if not keys:
                break  # the table it was compared with is not in the frame: no rule
            terms += [(k, -1.0) for k in keys]
        else:
            edits.append(Edit("stated", tuple(terms), 0.0, float(f.tolerance or 0.0),
                              (("finding", i),)))
    return edits
