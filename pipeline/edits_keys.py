"""Edits of the keys a case's numbers hold: allocation keys between amount columns (found by
the suites), share columns in percent, and amount columns keyed by a printed population.

Each builds on pipeline/edits.py's cells: a key row is one edit, its bound the key's own.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import polars as pl

from expectations import frames
from expectations.population import population_key_frame
from expectations.settings import SuiteSettings
from pipeline.edits import Cell, Edit, EditSystem, amount_cells


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
        if key.kind == "difference":
            edits += _difference_edits(key, cells_of)
            continue
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
            # the x the key was fitted on (a row printed twice is counted once there)
            x = row.x if row.x is not None else sum(c.value for c in independent)
            sides = dependent[:1] + (independent[:1] if not key.independent.summed else []) \
                if key.independent else dependent[:1]
            findings = tuple(("allocation_key", c.source_file, c.table, c.scb_code, c.measure)
                             for c in sides)
            edits.append(Edit("key", terms, -(row.expected - slope * x), row.tolerance,
                              findings))
    return edits




def _difference_edits(key, cells_of) -> list[Edit]:
    """Each row of a change column's key: change - this year + last year = 0 within the
    rounding of the three cells; the finding is keyed by the change cell."""
    edits = []
    for row in key.rows:
        sides = [cells_of(c, row.code) for c in (key.dependent, key.independent, key.subtracted)]
        if not all(len(cells) == 1 for cells in sides):
            continue
        (change,), (this,), (last,) = sides
        edits.append(Edit("key", ((change.key, 1.0), (this.key, -1.0), (last.key, 1.0)), 0.0,
                          row.tolerance, (("allocation_key", change.source_file, change.table,
                                           change.scb_code, change.measure),)))
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
    totals = list(dict.fromkeys(c.measure for c in amounts if c.row_total))
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


def population_edits(system: EditSystem, frame: pl.DataFrame, attributes: pl.DataFrame,
                     settings: SuiteSettings) -> list[Edit]:
    """Each amount of a column keyed by a printed population (expectations/population.py)
    against intercept + slope × the population printed on its row, within the key's bound;
    the population cells enter as variables too (either side may be the misprint)."""
    rows = population_key_frame(frame, attributes, settings)
    if rows.is_empty():
        return []
    decimals = {(*r[:4], r[4]): r[5] or 0 for r in frames.with_table_index(attributes).filter(
        pl.col("kind") == "population").select(*frames.ROW_KEYS, "measure", "decimals").rows()}
    edits = []
    for (source_file, table, index, measure), group in rows.group_by(
            [*frames.TABLE_KEYS, "measure"], maintain_order=True):
        x, y = group["x_printed"].to_numpy(), group["expected"].to_numpy()
        if len(x) < 2 or np.ptp(x) == 0:
            continue
        slope, intercept = np.polyfit(x, y, 1)  # the fitted values lie on the key's line
        for r in group.iter_rows(named=True):
            amount = (source_file, table, index, r["row_index"], measure)
            if amount not in system.cells:
                continue
            key = (source_file, table, index, r["row_index"], r["x_measure"])
            unit = 10.0 ** -decimals.get(key, 0)
            system.add_cells([Cell(key, table, r["x_measure"], source_file,
                                   float(r["x_printed"]), unit, False, r["scb_code"],
                                   system.cells[amount].label, r["page"],
                                   row_key=r["scb_code"], kind="population")])
            edits.append(Edit("population_key", ((amount, 1.0), (key, -float(slope))),
                              -float(intercept), float(r["tolerance"]), (
                                  ("allocation_key", source_file, table, r["scb_code"],
                                   measure),)))
    return edits
