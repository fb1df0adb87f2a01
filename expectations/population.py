"""Amount columns keyed by a printed population column: amount ∝ population, or a fixed
amount per recipient plus a population share (both fitted from the table)."""

from __future__ import annotations

import numpy as np
import polars as pl

from expectations.fits import Fit, fit_relation, params_text
from expectations.frames import TABLE_KEYS, prepare, with_table_index
from expectations.keys import empty_keys
from expectations.settings import SuiteSettings


def _population_pairs(frame: pl.DataFrame, attributes: pl.DataFrame,
                      settings: SuiteSettings) -> pl.DataFrame:
    """Each recipient's amount beside the population printed on its row (same document,
    table and row), one row per amount column that is not a row total."""
    pop = attributes.filter((pl.col("kind") == "population") & (pl.col("row_kind") == "recipient")
                            & pl.col("value").is_not_null())
    if pop.is_empty() or frame.is_empty():
        return pl.DataFrame()
    cells = prepare(frame, settings).filter(
        (pl.col("row_kind") == "recipient") & ~pl.col("is_total") & pl.col("amount").is_not_null())
    pop = with_table_index(pop).select(
        *TABLE_KEYS, "row_index", pl.col("measure").alias("x_measure"), pl.col("value").alias("x"),
        pl.lit(10.0).pow(-pl.col("decimals").fill_null(0).cast(pl.Float64)).alias("x_unit"))
    return cells.join(pop, on=[*TABLE_KEYS, "row_index"])


def _population_fit(rows: pl.DataFrame, settings: SuiteSettings) -> tuple[str, Fit] | None:
    """Amount ∝ population, else a fixed amount per recipient plus a population share (only
    when both parts are there: a fixed part beyond the bound and a share that moves the
    amounts by more than it); None when neither fits enough rows."""
    x, y = rows["x"].to_numpy(), rows["amount"].to_numpy()
    args = (x, y, np.ones(len(y)), settings)
    units = {"unit_x": float(rows["x_unit"].max()), "unit_y": float(rows["unit_factor"].max())}
    ratio = fit_relation("ratio", *args, **units)
    if ratio.usable:
        return "ratio", ratio
    affine = fit_relation("affine", *args, **units)
    bound = float(np.max(affine.tolerance))
    if affine.usable and affine.params[0] > bound and (
            affine.params[1] * float(np.ptp(x)) > bound):
        return "affine", affine
    return None


def population_key_frame(frame: pl.DataFrame, attributes: pl.DataFrame,
                         settings: SuiteSettings | None = None) -> pl.DataFrame:
    """Key rows (the columns of ``keys.empty_keys``) of every amount column that follows a
    printed population column of its table. The population is taken as rounded to its printed
    decimals."""
    settings = settings or SuiteSettings()
    pairs = _population_pairs(frame, attributes, settings)
    parts = []
    if not pairs.is_empty():
        for (*_, x_measure, measure), rows in pairs.group_by(
                [*TABLE_KEYS, "x_measure", "measure"], maintain_order=True):
            found = _population_fit(rows, settings) if rows.height else None
            if found is None:
                continue
            model, fit = found
            what = ("is a share of" if model == "ratio"
                    else "is a fixed amount per recipient plus a share of")
            parts.append(rows.with_columns(
                pl.Series("expected", fit.fitted), pl.Series("tolerance", fit.tolerance),
                pl.lit(f"population_{model}").alias("relation"),
                pl.lit(f"{measure} {what} the printed {x_measure}").alias("description"),
                pl.lit(params_text(model, fit.params)).alias("params"),
                pl.col("x").alias("x_printed"), pl.lit("kr").alias("unit")))
    if not parts:
        return empty_keys()
    out = pl.concat(parts, how="diagonal_relaxed").with_columns(
        pl.col("amount").alias("observed"),
        (pl.col("amount") - pl.col("expected")).alias("difference"))
    empty = empty_keys()
    keep = [c for c in empty.columns if c not in ("row_id", "excess") and c in out.columns]
    out = out.select(keep).with_columns(
        (pl.col("difference").abs() - pl.col("tolerance")).alias("excess"))
    return pl.concat([empty.drop("row_id").head(0), out], how="diagonal_relaxed"
                     ).with_row_index("row_id")
