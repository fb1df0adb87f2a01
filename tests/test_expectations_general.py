"""The checks of the general model on the page fixtures: shares, share × total, Mkr bounds,
tables without a total row and partial tables (run_suites with attributes)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from expectations.general import rates_frame, share_of_total_frame, shares_frame
from expectations.runner import run_suites
from extractors.base import attributes_frame, empty_allocations
from extractors.registry import detect_format
from pipeline.resolver import Resolver, names_to_codes, reference_codes
from pipeline.tables import extractions_to_frame

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "fixtures" / "cases"
DEFECTS = ROOT / "fixtures" / "defects"
CODES = {level: reference_codes(level) for level in ("kommun", "region", "lan")}


def read(folder: Path):
    docs = [f for f in sorted(folder.iterdir()) if f.name != "expected.json"]
    extractions = [detect_format(f).extract(f) for f in docs]
    frame, _ = names_to_codes(extractions_to_frame(extractions), Resolver())
    return frame, pl.concat([e.attributes for e in extractions])


@pytest.fixture(scope="module")
def press():
    return read(CASES / "2024-utbetalning-pressmeddelande")


def errors(folder: Path) -> set[tuple]:
    frame, attributes = read(folder)
    run = run_suites(frame, CODES, attributes=attributes)
    return {(f["check"], f["table"], f["scb_code"], f["measure"])
            for f in run.findings if f["severity"] == "error"}


def test_printed_shares_add_up_within_their_precision(press):
    _, attributes = press
    (row,) = shares_frame(attributes).to_dicts()
    # 21 shares printed to 0,01 %: they add up to 99,98 % (expected) against the Riket row's
    # printed 100,00 % (observed), within 21 × 0,005 + 0,005 = 0,11 %.
    assert (row["observed"], row["expected"]) == (100.0, pytest.approx(99.98))
    assert row["tolerance"] == pytest.approx(0.11)
    assert row["excess"] < 0


def test_each_amount_is_its_share_of_riket(press):
    frame, attributes = press
    rows = share_of_total_frame(attributes, frame)
    assert rows.height == 21 and (rows["excess"] <= 0).all()
    stockholm = rows.filter(scb_code="01").to_dicts()[0]
    assert stockholm["observed"] == 164_423_176
    assert stockholm["expected"] == pytest.approx(0.2339 * 703_000_000)
    assert stockholm["tolerance"] == pytest.approx(0.00005 * 703_000_000 + 0.5)


def test_clean_page_cases_have_no_error():
    for name in ("2023-12-tidiga-besked", "2025-04-bocker", "2024-utbetalning-pressmeddelande",
                 "2024-regioner-organisationsnamn", "2024-lansgemensamma-mkr"):
        assert errors(CASES / name) == set(), name


def test_a_share_column_of_100_5_percent():
    assert errors(DEFECTS / "share-sum-100-5") == {
        ("shares", "region", None, "Andel"), ("share_of_total", "region", "01", "Andel")}


def test_two_mkr_off_is_beyond_a_one_decimal_bound_but_within_a_whole_mkr_one():
    # The page's own numbers also hold samsjuklighet = 5 Mkr + 0,725 × Suicidprevention,
    # which 03 breaks by 0,725 × 2 Mkr (see fixtures/builder/expected.py).
    assert errors(DEFECTS / "mkr-cell-off-by-2") == {
        ("cross_footing", "lan", "03", "Totalt belopp"), ("footing", "lan", None,
                                                          "Suicidprevention"),
        ("allocation_key", "lan", "03", "Stärka samverkan för personer med samsjuklighet")}
    # Printed in whole Mkr, 21 terms and Riket allow 11 Mkr: the same 2 Mkr would be rounding.
    frame, _ = read(DEFECTS / "mkr-cell-off-by-2")
    whole = frame.with_columns(pl.lit(1_000_000, dtype=pl.Int64).alias("unit_step"))
    run = run_suites(whole, CODES)
    assert not [f for f in run.findings if f["severity"] == "error"]


def test_summa_that_does_not_foot():
    assert errors(DEFECTS / "summa-does-not-foot") == {
        ("footing", "region", None, "Barn och unga")}


def test_no_total_row_means_nothing_to_foot_and_a_partial_table_is_no_coverage_error():
    frame, attributes = read(CASES / "2025-04-bocker")
    run = run_suites(frame, CODES, attributes=attributes)
    assert run.footing.is_empty()
    (note,) = [f for f in run.findings if f["check"] == "footing"]
    # shared/pages/README.md: the kommunala schools' table sums to 382 127 135.
    assert note["severity"] == "info"
    assert "add up to column 2: 382 127 135 kr" in note["message"].replace("\u00a0", " ")
    five = frame.filter(pl.col("scb_code").is_in(["01", "03", "04", "05", "06"]))
    run = run_suites(five, CODES)
    assert not [f for f in run.findings if f["severity"] == "error"]
    # 5 of 21, and no document says the table covers the whole country: one warning.
    (note,) = [f for f in run.findings if f["check"] == "coverage"]
    assert note["severity"] == "warning" and "01, 03, 04, 05, 06" in note["message"]
    assert (note["observed"], note["expected"]) == (5, 21)


def rate_attributes(total: float) -> pl.DataFrame:
    """A percent column that is a rate per region, written here: region code c gets
    (10 + c) % (Stockholm 11 %, … Norrbotten 35 %), so the 21 values add up to 21 × 10 + 281 =
    491 %, far from 100: no distribution. The total row prints ``total``."""
    codes = sorted(CODES["region"])
    rows = [{"source_file": "p.html", "source_format": "html", "page": 1, "table": "region",
             "table_index": 0, "row_kind": "recipient", "row_index": i, "code": c,
             "name_raw": c, "measure": "Andel unga", "kind": "share_percent",
             "value": 10.0 + int(c), "decimals": 1} for i, c in enumerate(codes)]
    rows.append({**rows[-1], "row_kind": "total", "row_index": 21, "code": "",
                 "name_raw": "Riket", "value": total})
    return attributes_frame(rows)


def test_a_rate_column_is_no_distribution_and_its_total_lies_in_its_range():
    assert sum(10 + int(c) for c in CODES["region"]) == 491
    inside = rate_attributes(18.4)  # a weighted average lies between 11 % and 35 %
    assert shares_frame(inside).is_empty()  # never "adds up to 491 %, not 100 %"
    assert rates_frame(inside).select("observed", "low", "high", "excess").to_dicts() == [
        {"observed": 18.4, "low": 11.0, "high": 35.0, "excess": -0.05}]
    outside = rates_frame(rate_attributes(36.0)).to_dicts()
    # 36,0 % is 1 percentage point above the highest rate, beyond the 0,05 % of one decimal.
    assert [(r["expected"], r["difference"], r["excess"]) for r in outside] == [
        (35.0, 1.0, 0.95)]


def test_a_rate_total_outside_its_range_is_an_error_of_the_rates_suite():
    frame = empty_allocations().with_columns(pl.lit(None, dtype=pl.String).alias("scb_code"),
                                             pl.lit(None, dtype=pl.String).alias("scb_name"))
    run = run_suites(frame, CODES, attributes=rate_attributes(36.0))
    assert {(f["check"], f["severity"], f["measure"], f["unit"]) for f in run.findings} == {
        ("share_rates", "error", "Andel unga", "%")}
    assert not run_suites(frame, CODES, attributes=rate_attributes(18.4)).findings


def test_a_share_refers_to_the_row_total_column_the_readers_found():
    """Two regions and Summa; "Summa kronor" is each row's total by the readers' column_role
    (300 + 100 = 400, 150 + 50 = 200), though its header is no total header. Stockholm's
    66,67 % of 600 kr is 400,02 kr against the printed 400, within half of 0,01 % of 600 kr
    plus half a krona (0,53 kr)."""
    from extractors.base import allocations_frame

    cells, shares = [], []
    for index, (code, name, amounts, share) in enumerate((
            ("01", "Stockholm", (300, 100, 400), 66.67), ("03", "Uppsala", (150, 50, 200), 33.33),
            ("", "Summa", (450, 150, 600), 100.0))):
        where = {"source_file": "t.docx", "source_format": "docx", "page": 1, "table": "region",
                 "table_index": 0, "row_index": index, "code": code, "name_raw": name,
                 "row_kind": "total" if name == "Summa" else "recipient"}
        cells += [{**where, "measure": m, "unit": "kr", "amount_sek": a,
                   "column_role": "row_total" if m == "Summa kronor" else "part"}
                  for m, a in zip(("Bas", "Tillägg", "Summa kronor"), amounts, strict=True)]
        shares.append({**where, "measure": "Andel", "kind": "share_percent", "value": share,
                       "decimals": 2})
    frame, _ = names_to_codes(allocations_frame(cells), Resolver())
    rows = share_of_total_frame(attributes_frame(shares), frame)
    stockholm = rows.filter(code="01").to_dicts()[0]
    assert stockholm["amount_measure"] == "Summa kronor"
    assert (stockholm["observed"], stockholm["expected"]) == (400, pytest.approx(400.02))
    assert stockholm["tolerance"] == pytest.approx(0.53)
