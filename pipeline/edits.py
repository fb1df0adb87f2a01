"""The edit system of a case: every printed cell a variable, every rule that ties cells an edit.

An edit is a linear rule ``sum(coefficient × cell) + constant = 0`` that holds within a
tolerance (its rounding bound): a row's parts against its Totalt belopp, a column's
recipients against its Riket row, an allocation key (a cell against the value the other
cells imply), and one cell as printed in two documents. The diagnosis (pipeline/diagnosis.py)
only sees ``Cell`` and ``Edit`` records, so where the edits come from can change freely.
A recipient row that coverage finds missing enters as candidate cells printed as nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import polars as pl

from expectations import frames, keys
from expectations.settings import SuiteSettings

CellKey = tuple  # (source_file, table, table_index, row_index or "missing <code>", measure)


@dataclass(frozen=True)
class Cell:
    """One printed amount (or, for a missing row, one amount not printed: printed is None)."""

    key: CellKey
    table: str
    measure: str
    source_file: str
    printed: float | None
    unit: float  # kronor per last printed digit
    is_total: bool  # a row total (Totalt belopp) or a cell of the total row (Riket)
    scb_code: str | None
    label: str
    page: int | None
    row_kind: str = "recipient"
    group: str | None = None  # cells that change together: "missing <code>" of a missing row
    row_key: str | None = None  # what keys match rows by: the SCB code, else code or name
    kind: str = "amount"  # or "share": a share in percent printed beside the amounts

    @property
    def value(self) -> float:
        return 0.0 if self.printed is None else self.printed


@dataclass(frozen=True)
class Edit:
    """``sum(coefficient × cell) + constant`` must lie within ±tolerance.

    ``findings`` are the keys of the findings the check may report when the edit breaks:
    (check, source_file, table, scb_code, measure)."""

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
                    attributes: pl.DataFrame | None = None) -> EditSystem:
    """The edits of one case's allocation frame; ``missing`` holds (source_file, table, code)
    of the recipient rows coverage found missing, ``keys_found`` the allocation keys the
    suites found (expectations.key_search.Key; found here again when None)."""
    settings = settings or SuiteSettings()
    system = EditSystem()
    if frame.is_empty():
        return system
    prepared = frames.prepare(frame, settings).filter(pl.col("amount").is_not_null())
    system.add_cells(_cell(row) for row in prepared.iter_rows(named=True))
    system.add_cells(_missing_cells(prepared, missing))
    system.edits += row_edits(system, settings.half_unit)
    system.edits += column_edits(system, settings.half_unit)
    found = found_keys(prepared, settings) if keys_found is None else keys_found
    system.edits += key_edits(system, found)
    system.edits += format_edits(prepared, settings.half_unit)
    if attributes is not None and attributes.height:
        system.edits += share_edits(system, prepared, attributes)
    return system


def _cell(row: dict) -> Cell:
    key = (row["source_file"], row["table"], row["table_index"], row["row_index"], row["measure"])
    total = row["row_kind"] == "total"
    return Cell(key, row["table"], row["measure"], row["source_file"], float(row["amount"]),
                float(row["unit_factor"]), bool(row["is_total"]) or total, row["scb_code"],
                row["label"] or "", row["page"], row["row_kind"], row_key=row["row_key"])


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
                            code, code, None, group=group, row_key=code))
    return out


def amount_cells(system: EditSystem) -> list[Cell]:
    return [c for c in system.cells.values() if c.kind == "amount"]


def _by(cells: Iterable[Cell], what) -> dict:
    out: dict = {}
    for cell in cells:
        out.setdefault(what(cell), []).append(cell)
    return out


def row_edits(system: EditSystem, half: float) -> list[Edit]:
    """Each row's parts against its Totalt belopp (rows with a blank part are not summed)."""
    edits = []
    tables = _by(amount_cells(system), lambda c: c.key[:3])
    for table_key, cells in tables.items():
        parts_measures = {c.measure for c in cells if not frames.is_total_measure(c.measure)}
        for _row, row in _by(cells, lambda c: c.key[3]).items():
            totals = [c for c in row if frames.is_total_measure(c.measure)]
            parts = [c for c in row if not frames.is_total_measure(c.measure)]
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


def key_edits(system: EditSystem, found: Iterable) -> list[Edit]:
    """Each row of each key found: the dependent cell (or kommun sum) against slope × the
    independent cell (or kommun sum per län) plus the fixed part, within the key's bound."""
    columns: dict[tuple, dict[str, list[Cell]]] = {}
    for cell in amount_cells(system):
        if cell.row_kind == "total" or cell.is_total:
            continue
        place = (cell.source_file, cell.table, cell.key[2], cell.measure)
        by_code = columns.setdefault(place, {})
        by_code.setdefault(cell.row_key, []).append(cell)
        if cell.table == "kommun" and cell.scb_code and len(cell.scb_code) == 4:
            summed = columns.setdefault((*place, "summed"), {})
            summed.setdefault(cell.scb_code[:2], []).append(cell)

    def cells_of(column, code: str) -> list[Cell]:
        place = (column.source_file, column.table, column.table_index, column.measure)
        return columns.get((*place, "summed") if column.summed else place, {}).get(code, [])

    edits = []
    for key in found:
        slope = 0.0 if key.kind == "fixed" else float(key.params[-1])
        for row in key.rows:
            if not row.tolerance < float("inf"):
                continue
            dependent = cells_of(key.dependent, row.code)
            independent = cells_of(key.independent, row.code) if key.independent else []
            if not dependent or (key.independent and not independent):
                continue
            terms = tuple((c.key, 1.0) for c in dependent) + tuple(
                (c.key, -slope) for c in independent)
            x = sum(c.value for c in independent)
            sides = dependent[:1] + (independent[:1] if not key.independent.summed else []) \
                if key.independent else dependent[:1]
            findings = tuple(("allocation_key", c.source_file, c.table, c.scb_code, c.measure)
                             for c in sides)
            edits.append(Edit("key", terms, -(row.expected - slope * x), row.tolerance,
                              findings))
    return edits


def format_edits(prepared: pl.DataFrame, half: float) -> list[Edit]:
    """Each cell of a table printed in two documents: the other document's against the first's
    (tables matched by kind and order among their kind, as the formats_agree suite does)."""
    cells = prepared.with_columns(
        (pl.col("table_index").rank("dense").over(["source_file", "table"]) - 1)
        .alias("kind_order"),
        pl.col("source_format").replace_strict(frames.FORMAT_ORDER, default=9).alias("rank"),
    ).with_columns(pl.int_range(pl.len()).over(
        ["source_file", "table", "kind_order", "row_key", "measure_key"]).alias("occurrence"))
    match = ["table", "kind_order", "row_key", "measure_key", "occurrence"]
    edits = []
    for _, group in cells.group_by(["table", "kind_order"], maintain_order=True):
        files = group.group_by("source_file").agg(pl.col("rank").first()).sort(
            ["rank", "source_file"])["source_file"].to_list()
        ref = group.filter(pl.col("source_file") == files[0])
        for other in files[1:]:
            pairs = ref.join(group.filter(pl.col("source_file") == other), on=match,
                             suffix="_o")
            for r in pairs.iter_rows(named=True):
                a = (r["source_file"], r["table"], r["table_index"], r["row_index"], r["measure"])
                b = (other, r["table"], r["table_index_o"], r["row_index_o"], r["measure_o"])
                unit_a, unit_b = r["unit_factor"], r["unit_factor_o"]
                tolerance = 0.0 if unit_a == unit_b else half * max(unit_a, unit_b)
                edits.append(Edit("formats", ((b, 1.0), (a, -1.0)), 0.0, tolerance, (
                    ("formats_agree", other, r["table"], r["scb_code"] or None,
                     r["measure"]),)))
    return edits



def share_edits(system: EditSystem, prepared: pl.DataFrame, attributes: pl.DataFrame
                ) -> list[Edit]:
    """Share columns (percent): the recipients' shares add up to 100, and each recipient's
    amount is its share of the table's total (the printed total taken as it is), within the
    rounding of the shares and the amounts (as expectations/general.py checks them)."""
    shares = frames.with_table_index(attributes).filter(pl.col("kind") == "share_percent")
    if shares.is_empty():
        return []
    codes = prepared.select(*frames.ROW_KEYS, "scb_code", "label").unique(frames.ROW_KEYS)
    shares = shares.join(codes, on=frames.ROW_KEYS, how="left")
    edits = []
    for (source_file, table, index, measure), col in shares.group_by(
            [*frames.TABLE_KEYS, "measure"], maintain_order=True):
        cells = []
        for r in col.filter(pl.col("row_kind") == "recipient").iter_rows(named=True):
            step = 10.0 ** -(r["decimals"] or 0)
            key = (source_file, table, index, r["row_index"], measure)
            cells.append(Cell(key, table, measure, source_file, float(r["value"]), step, False,
                              r["scb_code"], r["label"] or r["name_raw"] or "", r["page"],
                              row_key=r["scb_code"], kind="share"))
        system.add_cells(cells)
        edits.append(Edit("shares", tuple((c.key, 1.0) for c in cells), -100.0,
                          sum(0.5 * c.unit for c in cells),
                          (("shares", source_file, table, None, measure),)))
        edits += _share_of_total(system, cells)
    return edits


def _share_of_total(system: EditSystem, shares: list[Cell]) -> list[Edit]:
    """Each recipient's amount (the row total, or the table's only amount column) against its
    share × the table's total."""
    if not shares:
        return []
    place = shares[0].key[:3]
    amounts = [c for c in amount_cells(system) if c.key[:3] == place]
    measures = list(dict.fromkeys(c.measure for c in amounts))
    totals = [m for m in measures if frames.is_total_measure(m)]
    measure = totals[0] if totals else (measures[0] if len(measures) == 1 else None)
    column = [c for c in amounts if c.measure == measure]
    riket = [c for c in column if c.row_kind == "total"]
    total = riket[0].value if riket else sum(c.value for c in column)
    by_row = {c.key[3]: c for c in column if c.row_kind != "total"}
    edits = []
    for share in shares:
        amount = by_row.get(share.key[3])
        if amount is None or not total:
            continue
        tolerance = 0.5 * share.unit / 100 * total + 0.5 * amount.unit
        edits.append(Edit("share_of_total", ((amount.key, 1.0), (share.key, -total / 100)),
                          0.0, tolerance, (("share_of_total", share.source_file, share.table,
                                            share.scb_code, share.measure),)))
    return edits
