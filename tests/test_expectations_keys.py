"""Allocation keys: fitted from the 2024 annex, and the only check that catches swapped cells.

The shares the fits must find are those the domain notes state for 2024 (½, 2, 5 000 000 +
1.45 ×, 1 000 000 / 2 000 000, 250 : 553); the code is never told them.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from test_expectations_support import (
    KUNSKAP,
    SAMSJUK,
    amount,
    read_wide,
    reference_codes,
    set_amount,
    truth_frame,
)

from expectations.keys import fit_relation
from expectations.runner import run_suites
from expectations.settings import SuiteSettings

TOTAL = "Totalt belopp"


def column(table: str, measure: str) -> dict[str, int]:
    return {r["lan_code"]: int(r[measure]) for r in read_wide(table) if r["lan_code"]}


def swap(frame: pl.DataFrame, table: str, a: str, b: str, measure: str) -> pl.DataFrame:
    """Swap one column's cells between two rows and adjust both totals so every row foots."""
    va, vb = amount(table, a, measure), amount(table, b, measure)
    frame = set_amount(frame, table, a, measure, vb)
    frame = set_amount(frame, table, b, measure, va)
    frame = set_amount(frame, table, a, TOTAL, amount(table, a, TOTAL) + vb - va)
    return set_amount(frame, table, b, TOTAL, amount(table, b, TOTAL) + va - vb)


def error_keys(frame: pl.DataFrame) -> set[tuple]:
    found = run_suites(frame, reference_codes()).findings
    return {(f["check"], f["table"], f["scb_code"], f["measure"])
            for f in found if f["severity"] == "error"}


def fit(model: str, x: dict[str, int], y: dict[str, int], groups=None):
    codes = sorted(y)
    return fit_relation(
        model, np.array([x.get(c, 0) for c in codes], float),
        np.array([y[c] for c in codes], float), np.ones(len(codes)), SuiteSettings(),
        groups=None if groups is None else np.array([c in groups for c in codes]),
    )


def test_fits_find_the_2024_shares() -> None:
    kunskap = column("region", KUNSKAP)
    trauma = fit("ratio", kunskap, column("region", "Traumavård"))
    assert trauma.params[0] == pytest.approx(0.5, abs=1e-7)
    # Each row's tolerance: 0.5 (Traumavård) + 0.5 × ½ (Kunskapsbaserad) + the fit's own part.
    assert (trauma.tolerance > 0.75).all() and (trauma.tolerance < 3).all()
    assert trauma.inliers.all() and trauma.usable
    suicid = fit("ratio", kunskap, column("lan", "Suicidprevention"))
    assert suicid.params[0] == pytest.approx(2.0, abs=1e-6)
    samsjuk = fit("affine", kunskap, column("lan", SAMSJUK))
    assert samsjuk.params[0] == pytest.approx(5_000_000, abs=5)
    assert samsjuk.params[1] == pytest.approx(1.45, abs=1e-6)
    barn = fit("ratio", column("region", "Barn och unga"), column("lan", "Barn och unga"))
    assert barn.params[0] == pytest.approx(250 / 553, abs=1e-7)
    bruk = fit("group", {}, column("lan", "Brukarmedverkan"), groups={"01", "12", "14"})
    assert bruk.params == (1_000_000, 2_000_000)


def test_run_exposes_the_key_rows_with_their_fits() -> None:
    rows = run_suites(truth_frame(), reference_codes()).keys
    counts = dict(rows.group_by("relation").len().rows())
    assert counts == {name: 21 for name in (
        "traumavard", "kommun_sum", "suicidprevention", "samsjuklighet", "brukarmedverkan",
        "barn_och_unga")}
    stockholm = rows.filter((pl.col("relation") == "kommun_sum") & (pl.col("scb_code") == "01"))
    # 26 kommuner in Stockholms län: 26 × 0.5 kr + 0.5 kr, plus the fit's own part.
    assert stockholm["tolerance"][0] >= 13.5
    assert stockholm["observed"][0] == 23_261_868


def test_swapped_traumavard_cells_are_caught_only_by_the_key() -> None:
    frame = swap(truth_frame(), "region", "01", "03", "Traumavård")
    assert error_keys(frame) == {
        ("allocation_key", "region", "01", "Traumavård"),
        ("allocation_key", "region", "03", "Traumavård"),
    }


def test_swapped_kommun_cells_break_the_regions_kommun_sum() -> None:
    # Upplands Väsby (län 01) and Knivsta (län 03) swap their amounts; totals adjusted.
    frame = truth_frame()
    a, b = amount("kommun", "0114", KUNSKAP), amount("kommun", "0330", KUNSKAP)
    for code, new in (("0114", b), ("0330", a)):
        frame = set_amount(frame, "kommun", code, KUNSKAP, new)
        frame = set_amount(frame, "kommun", code, TOTAL, new)
    assert error_keys(frame) == {
        ("allocation_key", "region", "01", KUNSKAP),
        ("allocation_key", "region", "03", KUNSKAP),
    }


@pytest.mark.parametrize(("measure", "a", "b"), [
    ("Suicidprevention", "05", "06"),
    (SAMSJUK, "07", "08"),
    ("Brukarmedverkan", "01", "03"),
    ("Barn och unga", "10", "12"),
])  # fmt: skip
def test_swapped_lan_cells_are_caught_by_their_key(measure: str, a: str, b: str) -> None:
    frame = swap(truth_frame(), "lan", a, b, measure)
    assert error_keys(frame) == {
        ("allocation_key", "lan", a, measure),
        ("allocation_key", "lan", b, measure),
    }


def test_a_key_that_does_not_hold_is_info_not_forced() -> None:
    # Traumavård in reverse order (totals adjusted): no share of Kunskapsbaserad fits.
    frame = truth_frame()
    trauma = column("region", "Traumavård")
    codes = sorted(trauma)
    for code, new in zip(codes, reversed([trauma[c] for c in codes]), strict=True):
        frame = set_amount(frame, "region", code, "Traumavård", new)
        frame = set_amount(frame, "region", code, TOTAL,
                           amount("region", code, TOTAL) + new - trauma[code])
    run = run_suites(frame, reference_codes())
    keyed = [f for f in run.findings if f["check"] == "allocation_key"]
    assert [(f["severity"], f["table"], f["measure"]) for f in keyed] == [
        ("info", "region", "Traumavård")
    ]
    assert "so it was not checked" in keyed[0]["message"]
    assert "traumavard" not in set(run.keys["relation"])


def test_relations_whose_columns_are_absent_are_skipped() -> None:
    frame = truth_frame().filter(pl.col("table") != "lan")
    run = run_suites(frame, reference_codes())
    assert set(run.keys["relation"]) == {"traumavard", "kommun_sum"}
    assert not [f for f in run.findings if f["check"] == "allocation_key"]
