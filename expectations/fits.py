"""Robust fits of one amount column on another: a share, a fixed amount plus a share, or a
fixed amount per group of codes.

The parameters are never given: they are fitted across rows, first robustly (weighted median
ratio, weighted Theil–Sen line, group medians: a minority of broken rows cannot move them far),
then by least squares on the rows that fit. Each row's tolerance is the worst case of rounding:
half a unit per printed amount in the row, plus what rounding elsewhere can move the fitted
value (the fit's own uncertainty).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from expectations.settings import SuiteSettings


@dataclass(frozen=True)
class Fit:
    """A fitted relation: parameters, per-row fitted values and tolerances, and how well it fits."""

    params: tuple[float, ...]
    fitted: np.ndarray
    tolerance: np.ndarray
    inliers: np.ndarray  # bool per row
    usable: bool

    @property
    def broken(self) -> int:
        """How many rows lie beyond their rounding bound."""
        return int((~self.inliers).sum())


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
        if not ok.any():
            return np.array([0.0])
        return np.array([weighted_median(y[ok] / x[ok], np.abs(x[ok]))])
    if model == "affine":
        i, j = np.triu_indices(len(x), k=1)
        dx = x[j] - x[i]
        ok = dx != 0
        if not ok.any():
            return np.array([float(np.median(y)), 0.0])
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
    y_terms: np.ndarray | None = None,
) -> Fit:
    """Fit y on x robustly, then by least squares on the rows within their rounding bound.

    ``x_terms`` / ``y_terms``: how many rounded amounts each row's x / y adds up (1 for a
    printed cell, the kommuner of a län for a kommun column summed per län)."""
    n = len(y)
    groups = np.zeros(n, dtype=bool) if groups is None else groups
    y_terms = np.ones(n) if y_terms is None else y_terms
    design = _design(model, x, groups)
    params = _robust_start(model, x, y, groups)
    half = settings.half_unit
    own = half * unit_y * y_terms + abs(_slope(model, params)) * half * unit_x * x_terms
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
        if (scale == 0).any():
            break
        xi = design[inliers] / scale
        gram = xi.T @ xi
        if np.linalg.cond(gram) > 1e10:
            break
        params = np.linalg.solve(gram, xi.T @ y[inliers]) / scale
        own = half * unit_y * y_terms + abs(_slope(model, params)) * half * unit_x * x_terms
        # The fitted value is a linear combination of the inlier rows: worst case of their rounding.
        weights = (design / scale) @ np.linalg.solve(gram, xi.T)
        fitted = design @ params
        tolerance = own + np.abs(weights) @ own[inliers]
        new = np.abs(y - fitted) <= tolerance
        usable = new.mean() >= settings.key_min_inlier_share
        if (new == inliers).all():
            break
        inliers = new
    if np.isfinite(tolerance).all():
        inliers = np.abs(y - fitted) <= tolerance
    return Fit(tuple(float(p) for p in params), fitted, tolerance, inliers, usable)


def sv_number(value: float, digits: int = 6) -> str:
    """A number the Swedish way: space thousands, decimal comma, at most `digits` decimals."""
    text = f"{value:,.{digits}f}"
    text = text.rstrip("0").rstrip(".") if digits else text
    return text.replace(",", " ").replace(".", ",")


def params_text(model: str, params: tuple[float, ...]) -> str:
    """The fitted key in words: "share 0,5", "5 000 000 kr + share 1,45", "1 000 000 kr"."""
    if model == "ratio":
        return f"share {sv_number(params[0])}"
    if model == "affine":
        return f"{sv_number(params[0], 0)} kr + share {sv_number(params[1])}"
    return " or ".join(f"{sv_number(p, 0)} kr" for p in params)
