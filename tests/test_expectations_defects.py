"""Defects injected into copies of the 2024 frame are caught by the check meant for them.

Each test changes printed cells, then asserts the error key (check, table, scb_code, measure)
and the amounts, recomputed from the truth CSVs.
"""

from __future__ import annotations

import polars as pl
from test_expectations_support import (
    KUNSKAP,
    amount,
    reference_codes,
    set_amount,
    truth_frame,
)

from expectations.runner import run_suites

TOTAL = "Totalt belopp"


def errors(frame: pl.DataFrame, check: str | None = None) -> dict[tuple, dict]:
    """The error findings of a run, by (check, table, scb_code, measure)."""
    found = run_suites(frame, reference_codes()).findings
    return {
        (f["check"], f["table"], f["scb_code"], f["measure"]): f
        for f in found
        if f["severity"] == "error" and (check is None or f["check"] == check)
    }


def add(frame: pl.DataFrame, table: str, code: str | None, measure: str, delta: int):
    before = amount(table, code or "", measure)
    return set_amount(frame, table, code, measure, before + delta)


# cross_footing -----------------------------------------------------------------------------


def test_cross_footing_catches_a_part_off_by_ten_thousand() -> None:
    frame = add(truth_frame(), "region", "05", "Barn och unga", 10_000)
    found = errors(frame)
    hit = found[("cross_footing", "region", "05", TOTAL)]
    # observed = the printed Totalt belopp, expected = what the row's parts add up to.
    assert hit["observed"] == amount("region", "05", TOTAL) == 32_147_116
    assert hit["expected"] == 32_157_116
    assert (hit["difference"], hit["tolerance"], hit["unit"]) == (-10_000, 2, "kr")
    assert hit["message"] == (
        "Östergötland's amounts in the region table sum to 32 157 116 kr but its Totalt "
        "belopp is 32 147 116 kr: 10 000 kr apart, beyond the 2 kr rounding bound."
    )
    assert (hit["source_file"], hit["page"], hit["row"]) == ("beslut.pdf", 10, 3)
    # The column no longer foots either (truth: the column sums to 1 kr under Riket, so the
    # printed Riket is now 9 999 kr under the sum).
    assert found[("footing", "region", None, "Barn och unga")]["difference"] == -9_999


def test_cross_footing_catches_a_wrong_riket_total() -> None:
    frame = add(truth_frame(), "lan", None, TOTAL, 100_000)
    found = errors(frame)
    hit = found[("cross_footing", "lan", None, TOTAL)]
    assert (hit["observed"], hit["expected"]) == (724_100_000, 724_000_000)
    assert found[("footing", "lan", None, TOTAL)]["difference"] == 100_000
    assert {k[0] for k in found} == {"cross_footing", "footing"}


def test_cross_footing_within_three_kronor_of_a_kommun_is_error_not_rounding() -> None:
    # A kommun row has one part and a total: the bound is 1 kr, so 3 kr is an error.
    frame = add(truth_frame(), "kommun", "0114", TOTAL, 3)
    hit = errors(frame, "cross_footing")[("cross_footing", "kommun", "0114", TOTAL)]
    assert (hit["difference"], hit["tolerance"]) == (3, 1)


# footing -----------------------------------------------------------------------------------


def test_footing_catches_a_wrong_riket_value() -> None:
    frame = set_amount(truth_frame(), "region", None, "Traumavård", 51_000_000)
    found = errors(frame)
    hit = found[("footing", "region", None, "Traumavård")]
    assert hit["expected"] == 50_000_002  # the 21 printed Traumavård amounts
    assert (hit["observed"], hit["difference"], hit["tolerance"]) == (51_000_000, 999_998, 11)
    assert ("cross_footing", "region", None, TOTAL) in found


def test_a_table_without_riket_row_is_not_footed_but_its_sums_are_told() -> None:
    frame = truth_frame().filter(~((pl.col("table") == "kommun") & (pl.col("row_kind") == "total")))
    found = run_suites(frame, reference_codes()).findings
    assert not [f for f in found if f["severity"] in ("error", "warning")]
    notes = [f for f in found if f["check"] == "footing" and f["table"] == "kommun"]
    assert len(notes) == 1 and notes[0]["severity"] == "info"
    # The 290 kommun amounts of truth/2024/kommun.csv add up to 99 999 999 kr in each column.
    assert "Totalt belopp: 99 999 999 kr" in notes[0]["message"].replace("\u00a0", " ")
    assert "no Riket, Totalt or Summa row" in notes[0]["message"]


# coverage ----------------------------------------------------------------------------------


def test_coverage_catches_a_missing_kommun() -> None:
    frame = truth_frame().filter(pl.col("scb_code").fill_null("") != "0114")
    found = errors(frame)
    hit = found[("coverage", "kommun", "0114", None)]
    assert (hit["expected"], hit["observed"]) == (1, 0)
    # Its 475 568 kr are missing from the column sum too.
    # (the printed Riket is now that much, and the truth's 1 kr, over the sum).
    assert found[("footing", "kommun", None, KUNSKAP)]["difference"] == 475_568 + 1


def test_coverage_catches_a_duplicated_region_and_an_unknown_code() -> None:
    frame = truth_frame()
    copy = frame.filter((pl.col("table") == "region") & (pl.col("scb_code") == "03"))
    frame = pl.concat([frame, copy.with_columns(pl.lit(99, dtype=pl.Int64).alias("row_index"))])
    # An unresolved row: printed code 0199 is no kommun, so scb_code stays null.
    frame = frame.with_columns(
        pl.when(pl.col("scb_code") == "0115").then(pl.lit("0199")).otherwise(pl.col("code"))
        .alias("code"),
        pl.when(pl.col("scb_code") == "0115").then(None).otherwise(pl.col("scb_code"))
        .alias("scb_code"),
    )
    found = errors(frame, "coverage")
    assert set(found) == {
        ("coverage", "region", "03", None),
        ("coverage", "kommun", "0199", None),
        ("coverage", "kommun", "0115", None),
    }
    assert found[("coverage", "region", "03", None)]["observed"] == 2
    assert "appears 2 times" in found[("coverage", "region", "03", None)]["message"]
    assert "not one of the 290 official codes" in found[("coverage", "kommun", "0199", None)][
        "message"]
    assert found[("coverage", "kommun", "0115", None)]["observed"] == 0


# amounts -----------------------------------------------------------------------------------


def test_amounts_catches_empty_negative_and_absent_cells() -> None:
    frame = set_amount(truth_frame(), "region", "01", "Traumavård", None)
    frame = set_amount(frame, "kommun", "0114", KUNSKAP, -475_568)
    frame = frame.filter(~((pl.col("table") == "lan") & (pl.col("scb_code").fill_null("") == "09")
                           & (pl.col("measure") == "Brukarmedverkan")))
    found = errors(frame, "amounts")
    assert set(found) == {
        ("amounts", "region", "01", "Traumavård"),
        ("amounts", "kommun", "0114", KUNSKAP),
        ("amounts", "lan", "09", "Brukarmedverkan"),
    }
    assert found[("amounts", "kommun", "0114", KUNSKAP)]["observed"] == -475_568
    assert "is empty" in found[("amounts", "lan", "09", "Brukarmedverkan")]["message"]
    assert found[("amounts", "region", "01", "Traumavård")]["page"] == 10


def test_amounts_catches_a_fraction_of_a_krona() -> None:
    frame = truth_frame().with_columns(pl.col("amount_sek").cast(pl.Float64))
    hit_row = (pl.col("scb_code") == "0115") & (pl.col("measure") == TOTAL)
    frame = frame.with_columns(
        pl.when(hit_row).then(pl.col("amount_sek") + 0.5).otherwise(pl.col("amount_sek"))
        .alias("amount_sek"))
    found = errors(frame, "amounts")
    assert list(found) == [("amounts", "kommun", "0115", TOTAL)]
    assert found[("amounts", "kommun", "0115", TOTAL)]["observed"] == 332_251.5
