"""Allocation keys: columns that share a distribution key, found and checked with robust fits.

A relation ties a dependent column to an independent one (or to a fixed amount per group of
län). Its parameters are never given: they are fitted across rows, first robustly (weighted
median ratio, weighted Theil–Sen line, group medians), then by least squares on the rows that
fit. Each row's tolerance is the worst case of rounding: half a unit per printed amount in
the row, plus what rounding elsewhere can move the fitted value (the fit's own uncertainty).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import polars as pl

from expectations.frames import TABLE_KEYS, measure_key, prepare, with_table_index
from expectations.settings import SuiteSettings

STORSTADSLAN = frozenset({"01", "12", "14"})


@dataclass(frozen=True)
class Relation:
    """A distribution key shared by two columns, matched by table and header pattern."""

    name: str
    description: str  # the human sentence the report shows
    dependent: tuple[str, str]  # (table, regex on the folded header)
    independent: tuple[str, str] | None = None
    model: str = "ratio"  # "ratio": y = b·x, "affine": y = a + b·x, "group": a fixed amount
    sum_by_lan: bool = False  # the independent column is a kommun column summed per län
    group: frozenset[str] = frozenset()  # "group": codes that get their own fixed amount


KUNSKAP = ("region", r"^kunskapsbaserad")
DEFAULT_RELATIONS: tuple[Relation, ...] = (
    Relation("traumavard", "region Traumavård is a fixed share of region Kunskapsbaserad",
             ("region", r"^traumav[åa]rd"), KUNSKAP),
    Relation("kommun_sum", "a region's Kunskapsbaserad is a fixed share of its kommuners' sum",
             KUNSKAP, ("kommun", r"^kunskapsbaserad"), sum_by_lan=True),
    Relation("suicidprevention", "län Suicidprevention is a fixed share of region Kunskapsbaserad",
             ("lan", r"^suicidprevention"), KUNSKAP),
    Relation("samsjuklighet",
             "län samsjuklighet is a fixed amount per län plus a share by region Kunskapsbaserad",
             ("lan", r"samsjuklighet"), KUNSKAP, model="affine"),
    Relation("brukarmedverkan",
             "län Brukarmedverkan is a fixed amount per län, another for the storstadslän",
             ("lan", r"^brukarmedverkan"), model="group", group=STORSTADSLAN),
    Relation("barn_och_unga", "län Barn och unga is proportional to region Barn och unga",
             ("lan", r"^barn och unga"), ("region", r"^barn och unga")),
)  # fmt: skip


@dataclass(frozen=True)
class Fit:
    """A fitted relation: parameters, per-row fitted values and tolerances, and how well it fits."""

    params: tuple[float, ...]
    fitted: np.ndarray
    tolerance: np.ndarray
    inliers: np.ndarray  # bool per row
    usable: bool


def weighted_median(values: np.ndarray, weights: np.ndarray) -> float:
    """The value where half the total weight lies on either side."""
    order = np.argsort(values)
    cum = np.cumsum(weights[order])
    return float(values[order][np.searchsorted(cum, cum[-1] / 2)])


def _design(model: str, x: np.ndarray, groups: np.ndarray) -> np.ndarray:
    if model == "ratio":
        return x[:, None]
    if model == "affine":
        return np.column_stack([np.ones_like(x), x])
    cols = [c for c in (~groups, groups) if c.any()]
    return np.column_stack(cols).astype(float)


def _robust_start(model: str, x: np.ndarray, y: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Parameters from a fit that a minority of broken rows cannot move far."""
    if model == "ratio":
        ok = x != 0
        return np.array([weighted_median(y[ok] / x[ok], np.abs(x[ok]))])
    if model == "affine":
        i, j = np.triu_indices(len(x), k=1)
        dx = x[j] - x[i]
        ok = dx != 0
        slope = weighted_median((y[j] - y[i])[ok] / dx[ok], np.abs(dx[ok]))
        return np.array([float(np.median(y - slope * x)), slope])
    return np.array([float(np.median(y[m])) for m in (~groups, groups) if m.any()])


def _slope(model: str, params: np.ndarray) -> float:
    return {"ratio": params[0], "affine": params[-1]}.get(model, 0.0)


def fit_relation(
    model: str,
    x: np.ndarray,
    y: np.ndarray,
    x_terms: np.ndarray,
    settings: SuiteSettings,
    groups: np.ndarray | None = None,
    unit_x: float = 1.0,
    unit_y: float = 1.0,
) -> Fit:
    """Fit y on x robustly, then by least squares on the rows within their rounding bound."""
    n = len(y)
    groups = np.zeros(n, dtype=bool) if groups is None else groups
    design = _design(model, x, groups)
    params = _robust_start(model, x, y, groups)
    half = settings.half_unit
    own = half * unit_y + abs(_slope(model, params)) * half * unit_x * x_terms
    resid = y - design @ params
    spread = 1.4826 * float(np.median(np.abs(resid - np.median(resid))))
    inliers = np.abs(resid) <= settings.key_outlier_scale * (own + spread)
    fitted, tolerance = design @ params, np.full(n, np.inf)
    usable = False
    for _ in range(3):
        if inliers.sum() < max(settings.key_min_rows, design.shape[1] + 2):
            break
        # Columns scaled to 1 keep the normal equations well conditioned (x runs to 10^8).
        scale = np.abs(design[inliers]).max(axis=0)
        xi = design[inliers] / scale
        gram = xi.T @ xi
        if np.linalg.cond(gram) > 1e10:
            break
        params = np.linalg.solve(gram, xi.T @ y[inliers]) / scale
        own = half * unit_y + abs(_slope(model, params)) * half * unit_x * x_terms
        # The fitted value is a linear combination of the inlier rows: worst case of their rounding.
        weights = (design / scale) @ np.linalg.solve(gram, xi.T)
        fitted = design @ params
        tolerance = own + np.abs(weights) @ own[inliers]
        new = np.abs(y - fitted) <= tolerance
        usable = new.mean() >= settings.key_min_inlier_share
        if (new == inliers).all():
            break
        inliers = new
    return Fit(tuple(float(p) for p in params), fitted, tolerance, inliers, usable)


def _sv(value: float, digits: int = 6) -> str:
    """A number the Swedish way: space thousands, decimal comma, at most `digits` decimals."""
    text = f"{value:,.{digits}f}"
    text = text.rstrip("0").rstrip(".") if digits else text
    return text.replace(",", " ").replace(".", ",")


def params_text(model: str, params: tuple[float, ...]) -> str:
    """The fitted key in words: "share 0,5", "5 000 000 kr + share 1,45", "1 000 000 kr"."""
    if model == "ratio":
        return f"share {_sv(params[0])}"
    if model == "affine":
        return f"{_sv(params[0], 0)} kr + share {_sv(params[1])}"
    return " or ".join(f"{_sv(p, 0)} kr" for p in params)


def _matching_tables(cells: pl.DataFrame, table: str, pattern: str) -> list[int]:
    """The table_index, in reading order, of each table of a kind with a header that matches."""
    rx = re.compile(pattern)
    in_kind = cells.filter((pl.col("table") == table) & (pl.col("row_kind") == "recipient"))
    pairs = in_kind.select("table_index", "measure").unique()
    return sorted({i for i, m in pairs.iter_rows() if rx.search(measure_key(m))})


def _column(cells: pl.DataFrame, table: str, pattern: str, table_index: int | None = None
            ) -> pl.DataFrame | None:
    """The recipient amounts of the first column whose header matches the pattern, in the given
    table of the kind (by default the first table of the kind that has such a column)."""
    found = _matching_tables(cells, table, pattern)
    if not found or (table_index is not None and table_index not in found):
        return None
    rx = re.compile(pattern)
    in_table = cells.filter((pl.col("table") == table) & (pl.col("row_kind") == "recipient")
                            & (pl.col("table_index") == (found[0] if table_index is None
                                                         else table_index)))
    headers = [m for m in in_table["measure"].unique(maintain_order=True) if rx.search(
        measure_key(m))]
    return in_table.filter(pl.col("measure") == headers[0])


def table_pairs(cells: pl.DataFrame, relation: Relation) -> list[tuple[int, int | None]]:
    """(dependent, independent) table_index pairs of one document a relation is fitted on: each
    table with the dependent column, with the independent column of the same table when it has
    one, else of the table of the same order among those that have it (else the last)."""
    deps = _matching_tables(cells, *relation.dependent)
    if relation.independent is None:
        return [(d, None) for d in deps]
    inds = _matching_tables(cells, *relation.independent)
    if not inds:
        return []
    same_kind = relation.independent[0] == relation.dependent[0]
    return [(d, d if same_kind and d in inds else inds[min(k, len(inds) - 1)])
            for k, d in enumerate(deps)]


def relation_rows(
    cells: pl.DataFrame, relation: Relation, settings: SuiteSettings,
    tables: tuple[int | None, int | None] = (None, None),
) -> tuple[pl.DataFrame, Fit | None]:
    """One document's rows of a relation with fitted value and tolerance; no rows if absent.

    ``tables`` picks the (dependent, independent) table_index; None takes the first table of
    the kind that has the column."""
    cells = with_table_index(cells)
    dep = _column(cells, *relation.dependent, tables[0])
    ind = _column(cells, *relation.independent, tables[1]) if relation.independent else None
    if dep is None or (relation.independent and ind is None):
        return pl.DataFrame(), None
    dep = dep.filter(pl.col("amount").is_not_null() & pl.col("scb_code").is_not_null())
    dep = dep.unique("scb_code", keep="first", maintain_order=True)
    if ind is None:
        rows = dep.with_columns(pl.lit(0.0).alias("x"), pl.lit(0).alias("x_terms"),
                                pl.lit(1).alias("x_unit"), pl.lit("").alias("x_measure"))
    else:
        key = pl.col("scb_code").str.slice(0, 2) if relation.sum_by_lan else pl.col("scb_code")
        ind = ind.filter(pl.col("scb_code").is_not_null()).group_by(key.alias("scb_code")).agg(
            pl.col("amount").sum().alias("x"),
            pl.col("amount").null_count().alias("x_missing"),
            pl.len().alias("x_terms"),
            pl.col("unit_factor").max().alias("x_unit"),
            pl.col("measure").first().alias("x_measure"),
        )
        ind = ind.filter(pl.col("x_missing") == 0).drop("x_missing")
        rows = dep.join(ind, on="scb_code", how="inner", maintain_order="left")
    if rows.height == 0:
        return rows, None
    fit = fit_relation(
        relation.model,
        rows["x"].cast(pl.Float64).to_numpy(),
        rows["amount"].to_numpy(),
        rows["x_terms"].cast(pl.Float64).to_numpy(),
        settings,
        groups=rows["scb_code"].is_in(sorted(relation.group)).to_numpy(),
        unit_x=float(rows["x_unit"].max()),
        unit_y=float(rows["unit_factor"].max()),
    )
    out = rows.with_columns(
        pl.Series("expected", fit.fitted),
        pl.Series("tolerance", fit.tolerance),
        pl.lit(relation.name).alias("relation"),
        pl.lit(relation.description).alias("description"),
    )
    return out, fit


def key_frame(cells: pl.DataFrame, settings: SuiteSettings,
              relations: tuple[Relation, ...] = DEFAULT_RELATIONS,
              ) -> tuple[pl.DataFrame, list[dict]]:
    """Rows of every relation that fits, per document, and notes on relations that do not."""
    parts, notes = [], []
    cells = with_table_index(cells)
    for (source_file,), doc in cells.group_by(["source_file"], maintain_order=True):
        for relation, pair in [(r, p) for r in relations for p in table_pairs(doc, r)]:
            rows, fit = relation_rows(doc, relation, settings, pair)
            if fit is None:
                continue
            if not fit.usable:
                notes.append({
                    "relation": relation, "source_file": source_file, "rows": rows.height,
                    "fitting": int(fit.inliers.sum()), "table": relation.dependent[0],
                    "measure": rows["measure"][0], "page": rows["page"].min(),
                })
                continue
            parts.append(rows.with_columns(
                pl.lit(params_text(relation.model, fit.params)).alias("params")))
    if not parts:
        return _empty_keys(), notes
    out = pl.concat(parts, how="diagonal_relaxed").with_columns(
        pl.col("amount").alias("observed"),
        (pl.col("amount") - pl.col("expected")).alias("difference"),
    )
    keep = ["source_file", "page", "table", "table_index", "row_index", "scb_code", "code",
            "label", "measure", "x_measure", "relation", "description", "params", "expected",
            "observed", "difference", "tolerance"]
    out = out.select(keep).with_columns(
        (pl.col("difference").abs() - pl.col("tolerance")).alias("excess")
    )
    return out.with_row_index("row_id"), notes


def _empty_keys() -> pl.DataFrame:
    strings = ["source_file", "table", "scb_code", "code", "label", "measure", "x_measure",
               "relation", "description", "params"]
    schema: dict[str, pl.DataType] = {c: pl.String for c in strings}
    schema |= {"page": pl.Int64, "table_index": pl.Int64, "row_index": pl.Int64}
    schema |= {c: pl.Float64 for c in ("expected", "observed", "difference", "tolerance",
                                       "excess")}
    return pl.DataFrame(schema=schema).with_row_index("row_id")


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
    """Key rows (the columns of ``key_frame``) of every amount column that follows a printed
    population column of its table: the amount ∝ population, or a fixed amount per recipient
    plus a population share. The population is taken as rounded to its printed decimals."""
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
                pl.lit(params_text(model, fit.params)).alias("params")))
    if not parts:
        return _empty_keys()
    out = pl.concat(parts, how="diagonal_relaxed").with_columns(
        pl.col("amount").alias("observed"),
        (pl.col("amount") - pl.col("expected")).alias("difference"))
    keep = [c for c in _empty_keys().columns if c not in ("row_id", "excess")]
    return out.select(keep).with_columns(
        (pl.col("difference").abs() - pl.col("tolerance")).alias("excess")
    ).with_row_index("row_id")
