"""Finding keys: every amount column of a document as a series over its recipients' codes, and
every two series tested as proportional or affine (see expectations/keys.py for the rules)."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations

import numpy as np
import polars as pl

from expectations.fits import Fit, fit_relation
from expectations.settings import SuiteSettings


@dataclass(frozen=True)
class KeyColumn:
    """One column a key ties: where it is printed; ``summed``: a kommun column summed per län."""

    source_file: str
    table: str
    table_index: int
    measure: str
    summed: bool = False

    def text(self) -> str:
        table = "län" if self.table == "lan" else self.table  # the word, not the table id
        if self.summed:
            return f"the sum per län of {table} {self.measure}"
        return f"{table} {self.measure}"


@dataclass(frozen=True)
class KeyRow:
    """One recipient under a key: printed amounts (kr), fitted value and its rounding bound."""

    code: str  # the SCB code (2 digits for a kommun column summed per län), or the row's label
    observed: float  # the dependent column as printed
    x: float | None  # the independent column as printed (a sum when it is summed); None: fixed
    x_terms: int  # how many printed amounts x adds up
    expected: float  # what the key gives for the dependent column
    tolerance: float
    broken: bool  # |observed - expected| > tolerance
    blamed: str | None  # which side the other tied columns blame: dependent, independent, both


@dataclass(frozen=True)
class Key:
    """A key found in one document's numbers: dependent = a + b·independent, or fixed amounts."""

    kind: str  # "proportional" (params (b,)), "affine" ((a, b)), "fixed" (one amount per
    # group), "difference" (dependent = independent - subtracted: a change column, params (1,))
    dependent: KeyColumn
    independent: KeyColumn | None
    params: tuple[float, ...]
    description: str
    rows: tuple[KeyRow, ...]
    group: tuple[str, ...] = ()  # fixed keys: the codes that get the second amount
    subtracted: KeyColumn | None = None  # difference keys: the column taken away (last year)

    @property
    def breaks(self) -> tuple[str, ...]:
        """Codes of the rows that break the key."""
        return tuple(r.code for r in self.rows if r.broken)


@dataclass
class Series:
    """One column's amounts (kr) by code, with how many printed amounts each adds up."""

    column: KeyColumn
    level: str  # what its codes are: "lan", "kommun", or one table's own rows
    values: dict[str, float]
    terms: dict[str, int]
    unit: float
    cells: dict[str, dict]
    order: tuple = ()
    affine: bool = False


@dataclass
class PairFit:
    y: Series
    x: Series
    model: str
    codes: list[str]
    fit: Fit
    agree: dict[str, bool] = field(default_factory=dict)


def allowed_breaks(n: int, settings: SuiteSettings) -> int:
    return max(1, int(n * settings.key_max_broken_share))


def column_series(doc: pl.DataFrame) -> list[Series]:
    """Every amount column of one document that is not a row total, and each kommun-level
    column summed per län."""
    out: list[Series] = []
    rec = doc.filter((pl.col("row_kind") == "recipient") & ~pl.col("is_total"))
    for (table, index, measure), col in rec.group_by(
            ["table", "table_index", "measure"], maintain_order=True):
        codes = col["scb_code"].drop_nulls()
        scb = codes.len() > 0 and codes.str.len_chars().n_unique() == 1
        key = "scb_code" if scb else "row_key"
        col = col.filter(pl.col(key).is_not_null()).unique(key, keep="first", maintain_order=True)
        level = ("lan" if len(codes[0]) == 2 else "kommun") if scb else f"{table}:{index}"
        column = KeyColumn(col["source_file"][0], table, int(index), measure)
        present = col.filter(pl.col("amount").is_not_null())
        values = dict(zip(present[key], present["amount"], strict=True))
        cells = {r["join"]: r for r in present.select(
            pl.col(key).alias("join"), "row_index", "page", "label", "code", "scb_code").to_dicts()}
        unit = float(col["unit_factor"].max() or 1)
        out.append(Series(column, level, values, dict.fromkeys(values, 1), unit, cells))
        if level == "kommun":
            summed = col.group_by(pl.col("scb_code").str.slice(0, 2).alias("lan")).agg(
                pl.col("amount").sum(), pl.col("amount").null_count().alias("missing"),
                pl.len().alias("terms")).filter(pl.col("missing") == 0)
            out.append(Series(
                KeyColumn(column.source_file, table, int(index), measure, summed=True), "lan",
                dict(zip(summed["lan"], summed["amount"], strict=True)),
                dict(zip(summed["lan"], summed["terms"], strict=True)), unit, {}))
    for s in out:
        s.order = (s.column.summed, s.column.table_index,
                   -sum(abs(v) for v in s.values.values()), s.column.measure)
    return out


def pair_fit(y: Series, x: Series, model: str, settings: SuiteSettings) -> PairFit | None:
    """y fitted on x over their common codes; None when too few codes are shared."""
    codes = [c for c in y.values if c in x.values]
    if len(codes) < settings.key_min_rows:
        return None
    fit = fit_relation(
        model, np.array([x.values[c] for c in codes], float),
        np.array([y.values[c] for c in codes], float),
        np.array([x.terms[c] for c in codes], float), settings, unit_x=x.unit, unit_y=y.unit,
        y_terms=np.array([y.terms[c] for c in codes], float))
    agree = dict(zip(codes, fit.inliers.tolist(), strict=True))
    return PairFit(y, x, model, codes, fit, agree)


def holds(pf: PairFit | None, settings: SuiteSettings) -> bool:
    if pf is None or not pf.fit.usable or pf.fit.broken > allowed_breaks(len(pf.codes), settings):
        return False
    slope = pf.fit.params[-1]
    bound = float(np.max(pf.fit.tolerance))
    ys = np.array([pf.y.values[c] for c in pf.codes])
    if (np.abs(ys - np.median(ys)) <= pf.fit.tolerance).mean() >= 0.5:
        return False  # mostly one fixed amount: any flat line fits it, so no share is shown
    if pf.model == "ratio":
        return slope > 0
    spread = float(np.ptp([pf.x.values[c] for c in pf.codes]))
    return pf.fit.params[0] > bound and slope > 0 and slope * spread > bound


def orient(a: Series, b: Series) -> tuple[Series, Series]:
    """(y, x) of a pair: a sum is always x, an affine column always y, else the later is y."""
    if a.column.summed or b.affine:
        return b, a
    if b.column.summed or a.affine:
        return a, b
    return (b, a) if a.order < b.order else (a, b)


def pairable(a: Series, b: Series) -> bool:
    same_table = (a.column.table, a.column.table_index) == (b.column.table, b.column.table_index)
    return a.level == b.level and not (a.column.summed and b.column.summed) and not (
        same_table and (a.column.summed or b.column.summed))


def tied_classes(series: list[Series], settings: SuiteSettings) -> list[list[Series]]:
    """Columns joined by proportional keys, each with the affine columns that hang on it."""
    parent = list(range(len(series)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    pairs = [(i, j) for i, j in combinations(range(len(series)), 2)
             if pairable(series[i], series[j])]
    for i, j in pairs:
        y, x = orient(series[i], series[j])
        if holds(pair_fit(y, x, "ratio", settings), settings):
            parent[root(i)] = root(j)
    members: dict[int, list[int]] = {}
    for i in range(len(series)):
        members.setdefault(root(i), []).append(i)
    singles = [m[0] for m in members.values()
               if len(m) == 1 and not series[m[0]].column.summed]
    for i in singles:
        y = series[i]
        if len(members.get(root(i), [])) != 1:
            continue
        for j, x in enumerate(series):
            if j == i or x.affine or not pairable(y, x) or root(j) == root(i):
                continue
            if holds(pair_fit(y, x, "affine", settings), settings):
                y.affine = True
                members.pop(root(i))
                members[root(j)].append(i)
                break
    return [sorted((series[i] for i in m), key=lambda s: (s.affine, s.order))
            for m in members.values() if len(m) > 1]




def signed(s: Series) -> bool:
    """Whether a column prints a negative amount: a change, not a grant."""
    return any(v < 0 for v in s.values.values())


@dataclass
class DifferenceFit:
    """y = b - a over the codes all three print: each row's residual and rounding bound."""

    y: Series
    b: Series
    a: Series
    codes: list[str]
    residual: np.ndarray
    tolerance: np.ndarray

    @property
    def broken(self) -> np.ndarray:
        return np.abs(self.residual) > self.tolerance


def difference_fit(y: Series, b: Series, a: Series, settings: SuiteSettings
                   ) -> DifferenceFit | None:
    """y against b - a (a change against this year less last year), each row within the
    rounding of its three printed amounts; None when too few codes are shared."""
    codes = [c for c in y.values if c in b.values and c in a.values]
    if len(codes) < settings.key_min_rows:
        return None
    ys, bs, as_ = (np.array([s.values[c] for c in codes], float) for s in (y, b, a))
    tolerance = settings.half_unit * (y.unit * np.array([y.terms[c] for c in codes], float)
                                      + b.unit + a.unit)
    return DifferenceFit(y, b, a, codes, ys - (bs - as_), tolerance)


def difference_holds(fit: DifferenceFit | None, settings: SuiteSettings) -> bool:
    """A difference key: all but a few rows within their bound, and no flat zero (b = a)."""
    if fit is None or int(fit.broken.sum()) > allowed_breaks(len(fit.codes), settings):
        return False
    return any(abs(fit.y.values[c]) > t for c, t in zip(fit.codes, fit.tolerance, strict=True))


def find_difference(y: Series, series: list[Series], settings: SuiteSettings
                    ) -> DifferenceFit | None:
    """The two columns a signed column is the difference of (y = b - a), fewest broken rows
    first, then the earliest printed; None when no two are."""
    if y.column.summed or not signed(y):
        return None
    others = [s for s in series if s is not y and not s.column.summed and pairable(y, s)]
    best = None
    for b in others:
        for a in others:
            if a is b or not pairable(a, b):
                continue
            fit = difference_fit(y, b, a, settings)
            if difference_holds(fit, settings) and (
                    best is None or int(fit.broken.sum()) < int(best.broken.sum())):
                best = fit
    return best
