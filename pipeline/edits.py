"""The edit system of a case: every printed cell a variable, every rule that ties cells an edit.

An edit is a linear rule ``sum(coefficient × cell) + constant = 0`` that holds within a
tolerance (its rounding bound): a row's parts against its row total (the column the readers'
``column_role`` calls the row total, whatever its header says), a column's recipients against
its total row, an allocation key (a cell against the value the other cells imply), one cell as
printed in two documents, share and population columns (pipeline/edits_keys.py), and every
total stated in the text against what it was compared with (pipeline/edits_stated.py). The
diagnosis (pipeline/diagnosis.py) only sees ``Cell`` and ``Edit`` records, so where the edits
come from can change freely. A recipient row that coverage finds missing enters as candidate
cells printed as nothing; a row printed twice as a copy that may be taken out whole.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import polars as pl

from expectations import frames, keys
from expectations.copies import table_copies
from expectations.settings import SuiteSettings

# (source_file, table, table_index, row_index or "missing <code>", measure); a statement in the
# text: (source_file, "statement", None, its id, its text).
CellKey = tuple


@dataclass(frozen=True)
class Cell:
    """One printed amount (or, for a missing row, one amount not printed: printed is None)."""

    key: CellKey
    table: str
    measure: str
    source_file: str
    printed: float | None
    unit: float  # kronor per last printed digit
    is_total: bool  # a row total or a cell of the total row (Riket), or a stated total
    scb_code: str | None
    label: str
    page: int | None
    row_kind: str = "recipient"
    # cells that change together: "missing <code>" of a missing row, "copy <code> <n>" of the
    # n-th copy of a row printed more than once (taken out whole: each cell to nothing)
    group: str | None = None
    row_key: str | None = None  # what keys match rows by: the SCB code, else code or name
    kind: str = "amount"  # or "share" (percent), "population", "stated" (a total in the text)
    row_total: bool = False  # the row-total column (the readers' column_role)

    @property
    def value(self) -> float:
        return 0.0 if self.printed is None else self.printed

    @property
    def removable(self) -> bool:
        """A cell of a copy of a duplicated row: it may go away with its row."""
        return bool(self.group) and self.group.startswith("copy ")


@dataclass(frozen=True)
class Edit:
    """``sum(coefficient × cell) + constant`` must lie within ±tolerance.

    ``findings`` are the keys of the findings the check may report when the edit breaks:
    (check, source_file, table, scb_code, measure), or ("finding", index) for one finding."""

    kind: str
    terms: tuple[tuple[CellKey, float], ...]
    constant: float
    tolerance: float
    findings: tuple[tuple, ...]

    def residual(self, cells: dict[CellKey, Cell]) -> float:
        return sum(a * cells[k].value for k, a in self.terms) + self.constant


@dataclass
class EditSystem:
    cells: dict[CellKey, Cell] = field(default_factory=dict)
    edits: list[Edit] = field(default_factory=list)

    def add_cells(self, cells: Iterable[Cell]) -> None:
        for cell in cells:
            self.cells[cell.key] = cell


def frame_to_system(frame: pl.DataFrame, missing: Iterable[tuple[str, str, str]] = (),
                    settings: SuiteSettings | None = None, keys_found: list | None = None,
                    attributes: pl.DataFrame | None = None, findings: list | None = None,
                    duplicated: Iterable[tuple[str, str, str]] = (),
                    copies: list | None = None) -> EditSystem:
    """The edits of one case's allocation frame; ``missing`` and ``duplicated`` hold
    (source_file, table, code) of the recipient rows coverage found missing or printed more
    than once, ``keys_found`` the allocation keys the suites found
    (expectations.key_search.Key; found here again when None), ``attributes`` the numbers
    beside the amounts (shares, population), ``findings`` the case's findings (the stated
    totals' comparisons become edits)."""
    # imported here: both build on this module's types
    from pipeline.edits_keys import key_edits, population_edits, share_edits
    from pipeline.edits_stated import stated_edits

    settings = settings or SuiteSettings()
    system = EditSystem()
    if frame.is_empty():  # no table read: the text's own totals may still disagree
        system.edits += stated_edits(system, findings or [])
        return system
    prepared = frames.prepare(frame, settings).filter(pl.col("amount").is_not_null())
    system.add_cells(_cell(row) for row in prepared.iter_rows(named=True))
    system.add_cells(_missing_cells(prepared, missing))
    system.add_cells(_copy_cells(system, duplicated))
    system.edits += row_edits(system, settings.half_unit)
    system.edits += column_edits(system, settings.half_unit)
    found = found_keys(prepared, settings) if keys_found is None else keys_found
    system.edits += key_edits(system, found)
    system.edits += format_edits(prepared, settings, copies)
    if attributes is not None and attributes.height:
        system.edits += share_edits(system, prepared, attributes)
        system.edits += population_edits(system, frame, attributes, settings)
    system.edits += stated_edits(system, findings or [])
    return system


def _cell(row: dict) -> Cell:
    key = (row["source_file"], row["table"], row["table_index"], row["row_index"], row["measure"])
    total_row = row["row_kind"] == "total"
    return Cell(key, row["table"], row["measure"], row["source_file"], float(row["amount"]),
                float(row["unit_factor"]), bool(row["is_total"]) or total_row, row["scb_code"],
                row["label"] or "", row["page"], row["row_kind"], row_key=row["row_key"],
                row_total=bool(row["is_total"]))


def _missing_cells(prepared: pl.DataFrame, missing: Iterable[tuple[str, str, str]]
                   ) -> list[Cell]:
    """Candidate cells of each missing row: one per column of the (first) table that lacks it."""
    out = []
    for source_file, table, code in sorted(set(missing)):
        doc = prepared.filter((pl.col("source_file") == source_file) & (pl.col("table") == table))
        indices = [i for i in doc["table_index"].unique().sort()
                   if code not in doc.filter(pl.col("table_index") == i)["scb_code"].to_list()]
        if not indices:
            continue
        columns = doc.filter(pl.col("table_index") == indices[0]).group_by(
            "measure", maintain_order=True).agg(pl.col("unit_factor", "is_total").first())
        group = f"missing {code}"
        for measure, unit, is_total in columns.iter_rows():
            key = (source_file, table, indices[0], group, measure)
            out.append(Cell(key, table, measure, source_file, None, float(unit), bool(is_total),
                            code, code, None, group=group, row_key=code,
                            row_total=bool(is_total)))
    return out


def _copy_cells(system: EditSystem, duplicated: Iterable[tuple[str, str, str]]) -> list[Cell]:
    """The cells of each row printed more than once, marked as a copy that may be taken out.
    Copies that print the same amounts are one candidate (the later one: which of two equal
    rows is the extra cannot be told); copies that differ are each a candidate."""
    out = []
    for source_file, table, code in sorted(set(duplicated)):
        rows = _by([c for c in amount_cells(system) if c.source_file == source_file
                    and c.table == table and c.scb_code == code and c.row_kind != "total"],
                   lambda c: (c.key[2], c.key[3]))
        for _index, copies in _by(rows.items(), lambda kv: kv[0][0]).items():
            if len(copies) < 2:
                continue
            amounts = {tuple(sorted((c.measure, c.value) for c in cells)) for _, cells in copies}
            chosen = copies[-1:] if len(amounts) == 1 else copies
            for n, (_row, cells) in enumerate(chosen, start=1):
                group = f"copy {code} {n if len(chosen) > 1 else len(copies)}"
                out += [replace(c, group=group) for c in cells]
    return out


def amount_cells(system: EditSystem) -> list[Cell]:
    return [c for c in system.cells.values() if c.kind == "amount"]


def _by(cells: Iterable, what) -> dict:
    out: dict = {}
    for cell in cells:
        out.setdefault(what(cell), []).append(cell)
    return out


def row_edits(system: EditSystem, half: float) -> list[Edit]:
    """Each row's parts against its row total, the column the readers' column_role names (rows
    with a blank part are not summed)."""
    edits = []
    tables = _by(amount_cells(system), lambda c: c.key[:3])
    for table_key, cells in tables.items():
        parts_measures = {c.measure for c in cells if not c.row_total}
        for _row, row in _by(cells, lambda c: c.key[3]).items():
            totals = [c for c in row if c.row_total]
            parts = [c for c in row if not c.row_total]
            if not totals or not parts or {c.measure for c in parts} != parts_measures:
                continue
            total = totals[0]
            terms = tuple((c.key, 1.0) for c in parts) + ((total.key, -1.0),)
            tolerance = half * (sum(c.unit for c in parts) + total.unit)
            code = None if total.row_kind == "total" else total.scb_code
            edits.append(Edit("row_sum", terms, 0.0, tolerance, (
                ("cross_footing", table_key[0], table_key[1], code, total.measure),)))
    return edits


def column_edits(system: EditSystem, half: float) -> list[Edit]:
    """Each column's recipients against the table's total row, where it prints one."""
    edits = []
    columns = _by(amount_cells(system), lambda c: (*c.key[:3], c.measure))
    rows_per_table = {k: len(v) for k, v in _by(
        {c.key[:4] for c in amount_cells(system)}, lambda k: k[:3]).items()}
    for (source_file, table, index, measure), cells in columns.items():
        riket = [c for c in cells if c.row_kind == "total"]
        recipients = [c for c in cells if c.row_kind != "total"]
        if not riket or len(recipients) + len(riket) < rows_per_table[(source_file, table, index)]:
            continue  # no total row, or a blank cell in the column: not footed
        terms = tuple((c.key, 1.0) for c in recipients) + ((riket[0].key, -1.0),)
        tolerance = half * (sum(c.unit for c in recipients) + riket[0].unit)
        edits.append(Edit("column_sum", terms, 0.0, tolerance,
                          (("footing", source_file, table, None, measure),)))
    return edits


def found_keys(prepared: pl.DataFrame, settings: SuiteSettings) -> list:
    """The keys expectations/keys.py finds in the numbers (when the suites' are not at hand)."""
    return keys.find_keys(frames.cell_grid(prepared), settings).keys


def format_edits(prepared: pl.DataFrame, settings: SuiteSettings,
                 copies: list | None = None) -> list[Edit]:
    """Each cell of a table printed in two documents as one table: the copy's against the
    reference's (``copies``: the tables the formats_agree suite compared,
    expectations.copies.TableCopy; found from the cells alone when None)."""
    if copies is None:
        copies = table_copies(frames.cell_grid(prepared), settings)[0]
    match = ["row_key", "measure_key", "occurrence"]
    cells = prepared.with_columns(pl.int_range(pl.len()).over(
        ["source_file", "table", "table_index", "row_key", "measure_key"]).alias("occurrence"))
    half = settings.half_unit
    edits = []
    for copy in copies:
        ref, other = copy.cells(cells)
        for r in ref.join(other, on=match, suffix="_o").iter_rows(named=True):
            a = (r["source_file"], r["table"], r["table_index"], r["row_index"], r["measure"])
            b = (copy.other_file, r["table"], r["table_index_o"], r["row_index_o"],
                 r["measure_o"])
            unit_a, unit_b = r["unit_factor"], r["unit_factor_o"]
            tolerance = 0.0 if unit_a == unit_b else half * max(unit_a, unit_b)
            edits.append(Edit("formats", ((b, 1.0), (a, -1.0)), 0.0, tolerance, (
                ("formats_agree", copy.other_file, r["table"], r["scb_code"] or None,
                 r["measure"]),)))
    return edits
