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

from expectations.keys import fit_relation, population_key_frame
from expectations.runner import run_suites
from expectations.settings import SuiteSettings
from extractors.base import attributes_frame

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


def found(run, skip: tuple | None = None) -> dict[tuple, tuple]:
    """The keys found: (dependent table, measure) -> (kind, independent, params, breaks);
    without the keys whose independent column is ``skip`` (table, measure)."""
    return {(k.dependent.table, k.dependent.measure): (
        k.kind, k.independent and (k.independent.table, k.independent.measure,
                                   k.independent.summed),
        k.params, k.breaks) for k in run.found_keys
        if not (k.independent and (k.independent.table, k.independent.measure) == skip)}


def assert_2024_keys(keys: dict[tuple, tuple], names: dict[tuple, str] | None = None) -> None:
    """The five keys domain.md states for 2024 and Brukarmedverkan's fixed amounts, each
    holding on all 21 rows. ``names`` maps (table, 2024 header) to the header printed."""
    names = names or {}

    def col(table: str, measure: str) -> tuple[str, str]:
        return table, names.get((table, measure), measure)

    k_region = col("region", KUNSKAP)
    expected = {
        col("region", "Traumavård"): ("proportional", (*k_region, False), 0.5),
        col("lan", "Suicidprevention"): ("proportional", (*k_region, False), 2.0),
        k_region: ("proportional", (*col("kommun", KUNSKAP), True), 1.0),
        col("lan", SAMSJUK): ("affine", (*k_region, False), (5_000_000, 1.45)),
        col("lan", "Barn och unga"): ("proportional", (*col("region", "Barn och unga"), False),
                                      250 / 553),
        col("lan", "Brukarmedverkan"): ("fixed", None, (1_000_000, 2_000_000)),
    }
    for dependent, (kind, independent, params) in expected.items():
        got_kind, got_independent, got_params, breaks = keys[dependent]
        assert (got_kind, got_independent, breaks) == (kind, independent, ()), dependent
        assert got_params == pytest.approx(params if isinstance(params, tuple) else (params,),
                                           rel=1e-6, abs=5)


def test_the_2024_keys_are_found_in_the_numbers() -> None:
    run = run_suites(truth_frame(), reference_codes())
    keys = found(run)
    assert_2024_keys(keys)
    # Region Barn och unga and Kunskapsbaserad follow different keys (age 0–25, population).
    assert len(keys) == 6
    assert not [f for f in run.findings if f["severity"] != "info"]
    rows = run.keys
    stockholm = rows.filter((pl.col("table") == "region") & (pl.col("scb_code") == "01")
                            & pl.col("x_summed"))
    # 26 kommuner in Stockholms län: 26 × 0.5 kr + 0.5 kr, plus the fit's own part.
    assert stockholm["tolerance"][0] >= 13.5
    assert stockholm["observed"][0] == 23_261_868
    assert stockholm["x_terms"][0] == 26


def renamed(frame: pl.DataFrame) -> tuple[pl.DataFrame, dict[tuple, str]]:
    """Every header of every table renamed to "Kolumn 1…n" in its printed order."""
    names: dict[tuple, str] = {}
    for table in ("region", "kommun", "lan"):
        order = frame.filter(pl.col("table") == table)["measure"].unique(maintain_order=True)
        names |= {(table, m): f"Kolumn {i}" for i, m in enumerate(order, 1)}
    mapped = [names[(t, m)] for t, m in frame.select("table", "measure").iter_rows()]
    return frame.with_columns(pl.Series("measure", mapped)), names


def test_the_2024_keys_are_found_with_every_header_renamed() -> None:
    """No header name helps: with "Kolumn 1…n" the same keys come out of the numbers. The
    Totalt belopp columns are then amount columns too; the kommun table's (its only other
    column, so equal to Kunskapsbaserad) joins the Kunskapsbaserad key as a second sum."""
    frame, names = renamed(truth_frame())
    run = run_suites(frame, reference_codes())
    kommun_total = ("kommun", names[("kommun", TOTAL)])
    assert_2024_keys(found(run, skip=kommun_total), names)
    assert ("proportional", 1.0) == next(
        (k.kind, round(k.params[0], 6)) for k in run.found_keys
        if k.independent and (k.independent.table, k.independent.measure) == kommun_total)
    assert not [f for f in run.findings if f["severity"] == "error"]
    changed = set_amount(frame.with_columns(pl.col("measure")), "region", "05", "Kolumn 2",
                         amount("region", "05", "Traumavård") + 10_000)
    errors = {(f["check"], f["table"], f["scb_code"], f["measure"])
              for f in run_suites(changed, reference_codes()).findings
              if f["severity"] == "error" and f["check"] == "allocation_key"}
    assert errors == {("allocation_key", "region", "05", "Kolumn 2")}


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


def test_a_column_no_key_ties_is_said_so_not_forced() -> None:
    # Traumavård in reverse order (totals adjusted): no share of any column fits it.
    frame = truth_frame()
    trauma = column("region", "Traumavård")
    codes = sorted(trauma)
    for code, new in zip(codes, reversed([trauma[c] for c in codes]), strict=True):
        frame = set_amount(frame, "region", code, "Traumavård", new)
        frame = set_amount(frame, "region", code, TOTAL,
                           amount("region", code, TOTAL) + new - trauma[code])
    run = run_suites(frame, reference_codes())
    assert ("region", "Traumavård") not in found(run)
    keyed = [f for f in run.findings if f["check"] == "allocation_key"
             and f["measure"] == "Traumavård"]
    assert [(f["severity"], f["table"]) for f in keyed] == [("info", "region")]
    assert "No allocation key found in the numbers ties Traumavård" in keyed[0]["message"]


def test_keys_whose_columns_are_absent_are_not_found() -> None:
    frame = truth_frame().filter(pl.col("table") != "lan")
    run = run_suites(frame, reference_codes())
    assert set(found(run)) == {("region", "Traumavård"), ("region", KUNSKAP)}
    assert not [f for f in run.findings if f["check"] == "allocation_key"
                and f["severity"] != "info"]


def test_a_key_between_two_tables_names_both_cells() -> None:
    # Barn och unga swapped between län 10 and 12 (totals adjusted): only region Barn och
    # unga ties it, so of the two cells the later table's is keyed, and both are named.
    frame = swap(truth_frame(), "lan", "10", "12", "Barn och unga")
    run = run_suites(frame, reference_codes())
    [blekinge] = [f for f in run.findings if f["severity"] == "error" and f["scb_code"] == "10"]
    region_barn = amount("region", "10", "Barn och unga")
    assert blekinge["observed"] == amount("lan", "12", "Barn och unga")
    assert blekinge["expected"] == pytest.approx(region_barn * 250 / 553, abs=3)
    assert blekinge["unit"] == "kr"
    assert blekinge["related"] == [{
        "table": "region", "scb_code": "10", "measure": "Barn och unga",
        "source_file": "beslut.pdf", "page": 10, "printed": region_barn, "terms": 1,
        "summed": False}]
    assert "its Barn och unga in the region table (" in blekinge["message"]


def test_a_kommun_sum_outvoted_sits_on_the_region_cell_and_names_the_sum() -> None:
    # Kiruna (2584) left out: Norrbotten's kommuner no longer add up to its region amount,
    # which still agrees with its Traumavård, Suicidprevention and samsjuklighet.
    frame = truth_frame().filter(pl.col("code") != "2584")
    run = run_suites(frame, reference_codes())
    [key] = [f for f in run.findings if f["check"] == "allocation_key"
             and f["severity"] == "error"]
    assert (key["table"], key["scb_code"], key["measure"]) == ("region", "25", KUNSKAP)
    kiruna = amount("kommun", "2584", KUNSKAP)
    assert key["observed"] == amount("region", "25", KUNSKAP)
    # The other 13 kommuner's sum: the region's amount less Kiruna's, within 13 × 0,5 + 0,5 kr.
    assert key["related"][0]["printed"] == pytest.approx(key["observed"] - kiruna, abs=7)
    assert "the sum of its 13 kommuner's" in key["message"]
    assert (key["related"][0]["table"], key["related"][0]["scb_code"],
            key["related"][0]["summed"], key["related"][0]["terms"]) == ("kommun", "25", True, 13)
    assert "a kommun amount of the län (or a missing kommun)" in key["message"]
    [sum_key] = [k for k in run.found_keys if k.independent and k.independent.summed]
    assert sum_key.breaks == ("25",)
    assert [r.blamed for r in sum_key.rows if r.broken] == ["independent"]


# Amount ∝ a printed population column (issue 10). No document prints a population, so the
# population column of these tests is a STAND-IN: the 2024 region Kunskapsbaserad amounts (the
# column domain.md documents as distributed by population), scaled, not real population data.
POPULATION = "Befolkning"


def population_stand_in(frame: pl.DataFrame, table: str, factor: float) -> pl.DataFrame:
    """A population attribute on every recipient row of a table, as a stand-in derived from a
    population-keyed column, not real population data: region Kunskapsbaserad of the row's
    code × factor, rounded to whole persons (decimals 0)."""
    kunskap = column("region", KUNSKAP)
    rows = frame.filter((pl.col("table") == table) & (pl.col("row_kind") == "recipient"))
    rows = rows.unique("row_index", keep="first").sort("row_index")
    return attributes_frame([{
        **{c: r[c] for c in ("source_file", "source_format", "page", "table", "table_index",
                             "row_kind",
                             "row_index", "code", "name_raw")},
        "measure": POPULATION, "kind": "population", "decimals": 0,
        "value": float(round(kunskap[r["scb_code"]] * factor)),
    } for r in rows.iter_rows(named=True)])  # fmt: skip


def region_without_kunskap() -> pl.DataFrame:
    """The region table with Barn och unga and Traumavård only, so that no built-in key ties
    Traumavård to anything and only the population column can."""
    return truth_frame().filter(
        (pl.col("table") == "region") & pl.col("measure").is_in(["Barn och unga", "Traumavård"]))


@pytest.mark.parametrize("factor", [1, 3, 1000, 1 / 64, 1 / 1000])
def test_traumavard_is_proportional_to_a_population_stand_in(factor: float) -> None:
    """Traumavård = ½ × Kunskapsbaserad, so it is ∝ a population column ∝ Kunskapsbaserad.
    The population column is a stand-in derived from that population-keyed column (scaled by
    the factor), not real population data."""
    frame = region_without_kunskap()
    rows = population_key_frame(frame, population_stand_in(frame, "region", factor))
    assert set(rows["measure"]) == {"Traumavård"}  # Barn och unga is keyed by age 0–25
    assert rows.height == 21 and (rows["excess"] <= 0).all()
    assert set(rows["relation"]) == {"population_ratio"}
    stockholm = rows.filter(pl.col("scb_code") == "01").to_dicts()[0]
    assert stockholm["observed"] == 11_630_934
    assert stockholm["expected"] == pytest.approx(11_630_934, abs=stockholm["tolerance"])
    # Rounding of the amount (0,5 kr) and of the population (0,5 person × the share) at least.
    assert stockholm["tolerance"] >= 0.5 + 0.5 * (0.5 / factor)


def test_swapped_traumavard_cells_are_caught_by_the_population_key() -> None:
    """Stockholm's and Uppsala's Traumavård swapped; the population column is a stand-in
    derived from the population-keyed Kunskapsbaserad column, not real population data."""
    frame = region_without_kunskap()
    attributes = population_stand_in(frame, "region", 1 / 64)
    a, b = amount("region", "01", "Traumavård"), amount("region", "03", "Traumavård")
    frame = set_amount(set_amount(frame, "region", "01", "Traumavård", b),
                       "region", "03", "Traumavård", a)
    run = run_suites(frame, reference_codes(), attributes=attributes)
    assert {(f["check"], f["table"], f["scb_code"], f["measure"])
            for f in run.findings if f["severity"] == "error"} == {
        ("allocation_key", "region", "01", "Traumavård"),
        ("allocation_key", "region", "03", "Traumavård"),
    }
    [summary] = [c for c in run.checks if c.suite == "population_key"]
    # Counted on rows evaluated: the two swapped rows, 01 and 03, fail out of 21.
    assert (summary.rows_checked, summary.failed) == (21, 2)
    [stockholm] = [f for f in run.findings if f["scb_code"] == "01"]
    assert (stockholm["observed"], stockholm["difference"] < -9_000_000) == (b, True)
    assert f"printed {POPULATION}" in stockholm["message"]


def test_a_fixed_amount_plus_a_population_share_is_fitted() -> None:
    """län samsjuklighet = 5 000 000 kr + 1,45 × region Kunskapsbaserad (domain.md); the
    population column is a stand-in equal to region Kunskapsbaserad, not real population data."""
    frame = truth_frame().filter(pl.col("table") == "lan")
    attributes = population_stand_in(frame, "lan", 1)
    rows = population_key_frame(frame, attributes)
    by_measure = {m: (r, p) for m, r, p in rows.select("measure", "relation", "params")
                  .unique().iter_rows()}
    assert by_measure == {  # Brukarmedverkan (fixed only) and Barn och unga (age) do not fit
        SAMSJUK: ("population_affine", "5 000 000 kr + share 1,45"),
        "Suicidprevention": ("population_ratio", "share 2"),
    }
    assert (rows["excess"] <= 0).all()
    swapped = swap(frame, "lan", "07", "08", SAMSJUK)
    run = run_suites(swapped, reference_codes(), attributes=attributes)
    assert {(f["check"], f["table"], f["scb_code"], f["measure"])
            for f in run.findings if f["severity"] == "error"} == {
        ("allocation_key", "lan", "07", SAMSJUK), ("allocation_key", "lan", "08", SAMSJUK)}


def test_no_population_column_no_population_key() -> None:
    frame = truth_frame()
    assert population_key_frame(frame, attributes_frame([])).is_empty()


def _two_documents(frame: pl.DataFrame) -> pl.DataFrame:
    """The kommun table printed in one document and the region table in another (no län)."""
    named = pl.when(pl.col("table") == "kommun").then(pl.lit("kommuner.pdf")).otherwise(
        pl.lit("regioner.pdf"))
    return frame.filter(pl.col("table") != "lan").with_columns(named.alias("source_file"))


def test_a_key_between_a_kommun_table_and_a_region_table_of_two_documents() -> None:
    """Each region's Kunskapsbaserad is the sum of its kommuner's (domain notes), though the
    two tables are printed in two documents: the key is found across them (slope 1). Its
    Barn och unga follows the share aged 0–25, no kommun column: it is tied to none of them.
    Kommun 0180 Stockholm +50 000 kr (its total too) breaks the key at län 01 only."""
    found = run_suites(_two_documents(truth_frame()), reference_codes()).found_keys
    across = [k for k in found if k.independent is not None and k.independent.summed
              and k.dependent.source_file != k.independent.source_file]
    assert [(k.dependent.source_file, k.dependent.measure, k.independent.source_file,
             k.independent.measure, round(k.params[0], 6)) for k in across] == [
        ("regioner.pdf", KUNSKAP, "kommuner.pdf", KUNSKAP, 1.0)]
    assert across[0].breaks == ()
    changed = truth_frame()
    for measure in (KUNSKAP, TOTAL):
        changed = set_amount(changed, "kommun", "0180", measure,
                             amount("kommun", "0180", measure) + 50_000)
    run = run_suites(_two_documents(changed), reference_codes())
    keyed = [f for f in run.findings if f["check"] == "allocation_key"
             and f["severity"] == "error"]
    assert {f["scb_code"] for f in keyed} == {"01"}
