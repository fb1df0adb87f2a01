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

    @property
    def value(self) -> float:
        return 0.0 if self.printed is None else self.printed


@dataclass(frozen=True)
class Edit:
    """``sum(coefficient × cell) + constant`` must lie within ±tolerance.

    ``finding`` is the key of the finding the check reports when the edit breaks:
    (check, source_file, table, scb_code, measure)."""

    kind: str
    terms: tuple[tuple[CellKey, float], ...]
    constant: float
    tolerance: float
    finding: tuple

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
                    settings: SuiteSettings | None = None) -> EditSystem:
    """The edits of one case's allocation frame; ``missing`` holds (source_file, table, code)
    of the recipient rows coverage found missing."""
    settings = settings or SuiteSettings()
    system = EditSystem()
    if frame.is_empty():
        return system
    prepared = frames.prepare(frame, settings).filter(pl.col("amount").is_not_null())
    system.add_cells(_cell(row) for row in prepared.iter_rows(named=True))
    system.add_cells(_missing_cells(prepared, missing))
    system.edits += row_edits(system, settings.half_unit)
    system.edits += column_edits(system, settings.half_unit)
    system.edits += key_edits(prepared, system, settings)
    system.edits += format_edits(prepared, settings.half_unit)
    return system


def _cell(row: dict) -> Cell:
    key = (row["source_file"], row["table"], row["table_index"], row["row_index"], row["measure"])
    total = row["row_kind"] == "total"
    return Cell(key, row["table"], row["measure"], row["source_file"], float(row["amount"]),
                float(row["unit_factor"]), bool(row["is_total"]) or total, row["scb_code"],
                row["label"] or "", row["page"], row["row_kind"])


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
                            code, code, None, group=group))
    return out


def _by(cells: Iterable[Cell], what) -> dict:
    out: dict = {}
    for cell in cells:
        out.setdefault(what(cell), []).append(cell)
    return out


def row_edits(system: EditSystem, half: float) -> list[Edit]:
    """Each row's parts against its Totalt belopp (rows with a blank part are not summed)."""
    edits = []
    tables = _by(system.cells.values(), lambda c: c.key[:3])
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
            edits.append(Edit("row_sum", terms, 0.0, tolerance,
                              ("cross_footing", table_key[0], table_key[1], code, total.measure)))
    return edits


def column_edits(system: EditSystem, half: float) -> list[Edit]:
    """Each column's recipients against the table's total row, where it prints one."""
    edits = []
    columns = _by(system.cells.values(), lambda c: (*c.key[:3], c.measure))
    rows_per_table = {k: len(v) for k, v in _by(
        {c.key[:4] for c in system.cells.values()}, lambda k: k[:3]).items()}
    for (source_file, table, index, measure), cells in columns.items():
        riket = [c for c in cells if c.row_kind == "total"]
        recipients = [c for c in cells if c.row_kind != "total"]
        if not riket or len(recipients) + len(riket) < rows_per_table[(source_file, table, index)]:
            continue  # no total row, or a blank cell in the column: not footed
        terms = tuple((c.key, 1.0) for c in recipients) + ((riket[0].key, -1.0),)
        tolerance = half * (sum(c.unit for c in recipients) + riket[0].unit)
        edits.append(Edit("column_sum", terms, 0.0, tolerance,
                          ("footing", source_file, table, None, measure)))
    return edits


def key_edits(prepared: pl.DataFrame, system: EditSystem, settings: SuiteSettings) -> list[Edit]:
    """The allocation keys that fit, as found by expectations/keys.py: each dependent cell
    against slope × its independent cells (summed per län for kommun sums) + fixed part."""
    edits = []
    grid = frames.cell_grid(prepared)
    for (source_file,), doc in grid.group_by(["source_file"], maintain_order=True):
        for relation in keys.DEFAULT_RELATIONS:
            for pair in keys.table_pairs(doc, relation):
                rows, fit = keys.relation_rows(doc, relation, settings, pair)
                if fit is None or not fit.usable:
                    continue
                slope = {"ratio": fit.params[0], "affine": fit.params[-1]}.get(relation.model, 0.0)
                edits += _relation_edits(system, source_file, relation, pair, rows, slope)
    return edits


def _relation_edits(system: EditSystem, source_file: str, relation, pair, rows: pl.DataFrame,
                    slope: float) -> list[Edit]:
    table, _ = relation.dependent
    independent = {}
    if relation.independent is not None:
        x_measure = rows["x_measure"][0]
        for cell in system.cells.values():
            if (cell.source_file, cell.table, cell.key[2], cell.measure) == (
                    source_file, relation.independent[0], pair[1], x_measure) and (
                    cell.row_kind != "total" and cell.scb_code):
                code = cell.scb_code[:2] if relation.sum_by_lan else cell.scb_code
                independent.setdefault(code, []).append(cell)
    edits = []
    for row in rows.iter_rows(named=True):
        if not (row["tolerance"] < float("inf")):
            continue
        key = (source_file, table, pair[0], row["row_index"], row["measure"])
        if key not in system.cells:
            continue
        parts = independent.get(row["scb_code"], [])
        terms = ((key, 1.0),) + tuple((c.key, -slope) for c in parts)
        constant = -(row["expected"] - slope * float(row["x"]))
        edits.append(Edit("key", terms, constant, float(row["tolerance"]),
                          ("allocation_key", source_file, table, row["scb_code"], row["measure"])))
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
                edits.append(Edit("formats", ((b, 1.0), (a, -1.0)), 0.0, tolerance,
                                  ("formats_agree", other, r["table"], r["scb_code"] or None,
                                   r["measure"])))
    return edits

