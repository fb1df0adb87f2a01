"""Allocation keys found in the numbers: amount columns over the same recipients that share a
distribution key, with the rows that break it.

No header is named anywhere. Every amount column of a document that is not a row total is a
*series* over its recipients' codes (a kommun column also summed per län, by the first two
digits of its codes). Every two series over the same codes — in one table, in two tables of one
document (region and län), or a kommun column summed per län against a region or län column —
are fitted as proportional (y = b·x) and as affine (y = a + b·x, a fixed amount per recipient
plus a share) with the robust fits of expectations/fits.py. A key is accepted when it holds
for all but a few rows within their rounding bounds (``key_max_broken_share``). A column
whose amounts are one fixed amount, or one per group of codes of ``key_code_groups``, is a
fixed key.

A column that prints negative amounts is a change, not a grant: it is tested as the
difference of two other columns over the same codes (change = this year − last year, within
the rounding of the three printed amounts), and a row that breaks it is keyed by its change
cell (the columns' sums tell which of the three is wrong).

Proportional keys join columns into classes; affine columns hang on a class. In each row of a
class the columns that agree with each other outvote the one that does not, and only that
one is blamed; with two columns alone the later one (the first printed table's largest column
is the reference) is. A kommun sum per län is no printed cell: when it is outvoted, the
finding sits on the region or län cell it is compared with and names the sum.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np
import polars as pl

from expectations.fits import Fit, fit_relation, params_text, sv_number
from expectations.fits import weighted_median as weighted_median  # re-exported
from expectations.frames import with_table_index
from expectations.key_search import (
    DifferenceFit,
    Key,
    KeyColumn,
    KeyRow,
    PairFit,
    Series,
    allowed_breaks,
    column_series,
    find_difference,
    holds,
    orient,
    pair_fit,
    pairable,
    tied_classes,
)
from expectations.settings import SuiteSettings


class ClassFits:
    """The pair fits of one class of tied columns, and which of them each row blames."""

    def __init__(self, members: list[Series], settings: SuiteSettings) -> None:
        self.members = members
        printed = [m for m in members if not m.column.summed and not m.affine]
        self.reference = printed[0] if printed else members[0]
        self.fits: dict[tuple[int, int], PairFit] = {}
        for a, b in combinations(members, 2):
            y, x = orient(a, b)
            pf = pair_fit(y, x, "affine" if y.affine else "ratio", settings)
            if pf is not None:
                self.fits[(id(a), id(b))] = self.fits[(id(b), id(a))] = pf

    def agrees(self, a: Series, b: Series, code: str) -> bool:
        pf = self.fits.get((id(a), id(b)))
        return pf is not None and pf.agree.get(code, False)

    def implied(self, m: Series, n: Series, code: str) -> tuple[float, float, PairFit]:
        """What n's amount at code implies for m's, and the rounding bound of that, in kr."""
        pf = self.fits[(id(m), id(n))]
        k = pf.codes.index(code)
        if pf.y is m:
            return float(pf.fit.fitted[k]), float(pf.fit.tolerance[k]), pf
        a, b = (0.0, pf.fit.params[0]) if pf.model == "ratio" else pf.fit.params
        return (n.values[code] - a) / b, float(pf.fit.tolerance[k]) / abs(b), pf

    def blamed(self, code: str) -> tuple[list[Series], set[int]]:
        """The members printed at code, and the ids of those the others outvote."""
        present = [m for m in self.members if code in m.values]
        for size in range(len(present), 1, -1):
            cliques = [c for c in combinations(present, size)
                       if all(self.agrees(a, b, code) for a, b in combinations(c, 2))]
            if len(cliques) == 1:
                return present, {id(m) for m in present if m not in cliques[0]}
            if cliques:
                break
        ref = self.reference if self.reference in present else present[0]
        return present, {id(m) for m in present if m is not ref
                         and not self.agrees(m, ref, code)}


def _partner(fits: ClassFits, m: Series, present: list[Series], blamed: set[int], code: str
             ) -> Series | None:
    """The column m is compared with at code: the reference first, then the next in order;
    one that agrees with m unless m is blamed, one that does not when it is."""
    others = sorted((n for n in present if n is not m and id(n) not in blamed
                     and (n.column.summed is False or not m.column.summed)
                     and (id(m), id(n)) in fits.fits),
                    key=lambda n: (n is not fits.reference, n.column.summed, n.order))
    if m.column.summed:
        others = [n for n in others if not n.column.summed]
    wanted = [n for n in others if fits.agrees(m, n, code) != (id(m) in blamed)]
    return (wanted or others or [None])[0]


def _describe(pf: PairFit) -> tuple[str, str]:
    """The key in words and its fitted parameters."""
    if pf.model == "ratio":
        b = pf.fit.params[0]
        return f"{pf.y.column.text()} = {sv_number(b)} × {pf.x.column.text()}", params_text(
            "ratio", pf.fit.params)
    a, b = pf.fit.params
    return (f"{pf.y.column.text()} = {sv_number(a, 0)} kr + {sv_number(b)} × "
            f"{pf.x.column.text()}", params_text("affine", pf.fit.params))


def _cell(s: Series, code: str) -> dict:
    info = s.cells.get(code, {})
    return {"source_file": s.column.source_file, "table": s.column.table,
            "table_index": s.column.table_index, "measure": s.column.measure,
            "scb_code": code if s.column.summed else info.get("scb_code"),
            "code": info.get("code"),
            "label": info.get("label"), "page": info.get("page"),
            "row_index": info.get("row_index")}


def _check_row(fits: ClassFits, m: Series, partner: Series, code: str, blamed: bool) -> dict:
    """One check-frame row: the printed cell, what its partner implies, both cells named."""
    cell, other = (partner, m) if m.column.summed else (m, partner)
    expected, tolerance, pf = fits.implied(cell, other, code)
    description, params = _describe(pf)
    row = _cell(cell, code) | {
        "relation": {"ratio": "proportional", "affine": "affine"}[pf.model],
        "description": description, "params": params, "unit": "kr",
        "expected": expected, "observed": cell.values[code], "tolerance": tolerance,
        "blamed_sum": m.column.summed and blamed}
    x = _cell(other, code)
    row |= {f"x_{k}": v for k, v in x.items()}
    row |= {"x_printed": other.values[code], "x_terms": other.terms[code],
            "x_summed": other.column.summed}
    return row


def _class_rows(fits: ClassFits) -> list[dict]:
    rows = []
    codes = sorted({c for m in fits.members for c in m.values})
    for code in codes:
        present, blamed = fits.blamed(code)
        if len(present) < 2:
            continue
        for m in present:
            partner = _partner(fits, m, present, blamed, code)
            if partner is None or (id(m) not in blamed and not fits.agrees(m, partner, code)):
                continue
            rows.append(_check_row(fits, m, partner, code, id(m) in blamed))
    return rows


def _class_keys(fits: ClassFits) -> list[Key]:
    """The class as keys: each other column against the reference (a sum as independent)."""
    keys = []
    ref = fits.reference
    blame = {c: fits.blamed(c)[1] for c in {c for m in fits.members for c in m.values}}
    for m in fits.members:
        pf = fits.fits.get((id(m), id(ref)))
        if m is ref or pf is None:
            continue
        rows = []
        for k, code in enumerate(pf.codes):
            sides = [side for side, s in (("dependent", pf.y), ("independent", pf.x))
                     if id(s) in blame.get(code, set())]
            rows.append(KeyRow(code, pf.y.values[code], pf.x.values[code], pf.x.terms[code],
                               float(pf.fit.fitted[k]), float(pf.fit.tolerance[k]),
                               not pf.agree[code],
                               "both" if len(sides) == 2 else (sides[0] if sides else None)))
        kind = "proportional" if pf.model == "ratio" else "affine"
        keys.append(Key(kind, pf.y.column, pf.x.column, pf.fit.params, _describe(pf)[0],
                        tuple(rows)))
    return keys


def _fixed_key(s: Series, settings: SuiteSettings) -> tuple[Key, list[dict]] | None:
    """One fixed amount per recipient, or one per group of codes of ``key_code_groups``."""
    codes = list(s.values)
    if len(codes) < settings.key_min_rows or s.column.summed:
        return None
    y = np.array([s.values[c] for c in codes], float)
    ones = np.ones(len(codes))
    trials: list[tuple[tuple[str, ...], str]] = [((), "")]
    trials += [(tuple(g), name) for name, g in settings.key_code_groups
               if 2 <= sum(c in g for c in codes) <= len(codes) - 2]
    for group, name in trials:
        mask = np.array([c in group for c in codes])
        fit = fit_relation("group", np.zeros(len(codes)), y, ones * 0, settings, groups=mask,
                           unit_y=s.unit)
        limit = 0 if not group else allowed_breaks(len(codes), settings)
        if not fit.usable or fit.broken > limit:
            continue
        if group and abs(fit.params[1] - fit.params[0]) <= 2 * float(np.max(fit.tolerance)):
            continue
        text = f"{s.column.text()} = {sv_number(fit.params[0], 0)} kr per recipient"
        if group:
            text += f", {sv_number(fit.params[1], 0)} kr for {name} ({', '.join(group)})"
        rows, checks = [], []
        for k, code in enumerate(codes):
            broken = not bool(fit.inliers[k])
            rows.append(KeyRow(code, y[k], None, 0, float(fit.fitted[k]),
                               float(fit.tolerance[k]), broken, "dependent" if broken else None))
            checks.append(_cell(s, code) | {
                "relation": "fixed", "description": text,
                "params": params_text("group", fit.params), "unit": "kr",
                "expected": float(fit.fitted[k]), "observed": y[k],
                "tolerance": float(fit.tolerance[k]), "blamed_sum": False})
        return Key("fixed", s.column, None, fit.params, text, tuple(rows), group), checks
    return None


def _difference_key(fit: DifferenceFit) -> tuple[Key, list[dict]]:
    """A change column as the difference of two columns: the key, and a check row per code
    (a broken row is keyed by the change cell; the sums of its three columns tell which of
    the three is wrong)."""
    y, b, a = fit.y, fit.b, fit.a
    text = f"{y.column.text()} = {b.column.text()} − {a.column.text()}"
    rows, checks = [], []
    for k, code in enumerate(fit.codes):
        expected = b.values[code] - a.values[code]
        broken = bool(fit.broken[k])
        rows.append(KeyRow(code, y.values[code], b.values[code], 1, expected,
                           float(fit.tolerance[k]), broken, "dependent" if broken else None))
        checks.append(_cell(y, code) | {
            "relation": "difference", "description": text, "params": "difference",
            "unit": "kr", "expected": expected, "observed": y.values[code],
            "tolerance": float(fit.tolerance[k]), "blamed_sum": False})
    key = Key("difference", y.column, b.column, (1.0,), text, tuple(rows),
              subtracted=a.column)
    return key, checks


KEY_SCHEMA: dict[str, pl.DataType] = {
    "source_file": pl.String, "page": pl.Int64, "table": pl.String, "table_index": pl.Int64,
    "row_index": pl.Int64, "scb_code": pl.String, "code": pl.String, "label": pl.String,
    "measure": pl.String, "unit": pl.String, "relation": pl.String, "description": pl.String,
    "params": pl.String, "expected": pl.Float64, "observed": pl.Float64,
    "difference": pl.Float64, "tolerance": pl.Float64, "excess": pl.Float64,
    "blamed_sum": pl.Boolean, "x_source_file": pl.String, "x_table": pl.String,
    "x_table_index": pl.Int64, "x_measure": pl.String, "x_scb_code": pl.String,
    "x_code": pl.String, "x_label": pl.String, "x_page": pl.Int64, "x_row_index": pl.Int64,
    "x_printed": pl.Float64, "x_terms": pl.Int64, "x_summed": pl.Boolean,
}  # fmt: skip


def empty_keys() -> pl.DataFrame:
    """The allocation_key check frame with no rows."""
    return pl.DataFrame(schema=KEY_SCHEMA).with_row_index("row_id")


@dataclass
class KeySearch:
    """What the search found: the check frame, the keys, and the columns no key ties."""

    rows: pl.DataFrame
    keys: list[Key]
    untied: list[KeyColumn]


def find_keys(cells: pl.DataFrame, settings: SuiteSettings) -> KeySearch:
    """Every key of every document of a case's cell grid (expectations.frames.cell_grid)."""
    checks: list[dict] = []
    found: list[Key] = []
    untied: list[KeyColumn] = []
    cells = with_table_index(cells)
    documents: list[list[Series]] = []
    for _, doc in cells.group_by(["source_file"], maintain_order=True):
        series = column_series(doc)
        documents.append(series)
        tied: set[int] = set()
        for members in tied_classes(series, settings):
            fits = ClassFits(members, settings)
            checks += _class_rows(fits)
            found += _class_keys(fits)
            tied |= {id(m) for m in members}
        for s in series:
            fixed = None if id(s) in tied or s.column.summed else _fixed_key(s, settings)
            if fixed is not None:
                found.append(fixed[0])
                checks += fixed[1]
                tied.add(id(s))
        for s in series:  # a change column: this year less last year
            difference = None if id(s) in tied else find_difference(s, series, settings)
            if difference is not None:
                key, rows = _difference_key(difference)
                found.append(key)
                checks += rows
                tied |= {id(difference.y), id(difference.b), id(difference.a)}
        if len(series) > 1:
            untied += [s.column for s in series
                       if id(s) not in tied and not s.column.summed and any(
                           pairable(s, o) for o in series if o is not s)]
    for members in _across_documents(documents, settings):
        fits = ClassFits(members, settings)
        checks += _class_rows(fits)
        found += _class_keys(fits)
        untied = [c for c in untied if c != members[-1].column]
    if not checks:
        return KeySearch(empty_keys(), found, untied)
    frame = pl.DataFrame(checks, schema={k: v for k, v in KEY_SCHEMA.items()
                                         if k not in ("difference", "excess")})
    frame = frame.with_columns(
        (pl.col("observed") - pl.col("expected")).alias("difference")).with_columns(
        (pl.col("difference").abs() - pl.col("tolerance")).alias("excess"))
    return KeySearch(frame.select(list(KEY_SCHEMA)).with_row_index("row_id"), found, untied)


def _across_documents(documents: list[list[Series]], settings: SuiteSettings
                      ) -> list[list[Series]]:
    """Keys between documents: a document's kommun column summed per län against the first
    region or län column of another document it is proportional to, where the kommun table's
    own document prints no region or län column to tie it (the 2024 annex prints all three
    tables in one document, so its keys are found within it)."""
    classes = []
    for i, own in enumerate(documents):
        if any(s.level == "lan" and not s.column.summed for s in own):
            continue
        for summed in (s for s in own if s.column.summed):
            for j, other in enumerate(documents):
                printed = [s for s in other if s.level == "lan" and not s.column.summed]
                partner = next((s for s in sorted(printed, key=lambda s: s.order) if i != j
                                and holds(pair_fit(s, summed, "ratio", settings), settings)),
                               None)
                if partner is not None:
                    classes.append([summed, partner])
    return classes


def key_frame(cells: pl.DataFrame, settings: SuiteSettings) -> tuple[pl.DataFrame, list]:
    """The check frame of every key found (and no notes: a key not found is not checked)."""
    return find_keys(cells, settings).rows, []


from expectations.population import population_key_frame  # noqa: E402  (re-exported)

__all__ = ["Fit", "Key", "KeyColumn", "KeyRow", "KeySearch", "fit_relation", "find_keys",
           "params_text", "population_key_frame", "weighted_median"]
