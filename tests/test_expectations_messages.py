"""Amounts in messages print the Swedish way; an empty case runs every suite without findings."""

from __future__ import annotations

import polars as pl
from test_expectations_support import reference_codes, truth_frame

from expectations.keys import params_text
from expectations.messages import fmt_kr
from expectations.runner import run_suites
from extractors.base import empty_allocations


def test_fmt_kr() -> None:
    assert fmt_kr(129_530_375) == "129 530 375 kr"
    assert fmt_kr(1.5) == "1,50 kr"  # öre to two decimals, as the report prints them
    assert fmt_kr(0.025) == "0,03 kr"
    assert fmt_kr(-0.001) == "0 kr"  # rounds to nothing: no minus sign
    assert fmt_kr(-10_000.0) == "-10 000 kr"
    assert fmt_kr(11_501_682.234) == "11 501 682,23 kr"
    assert fmt_kr(None) == "no amount"


def test_fitted_keys_in_words() -> None:
    assert params_text("ratio", (0.5000000001,)) == "share 0,5"
    assert params_text("affine", (4_999_999.8, 1.45)) == "5 000 000 kr + share 1,45"
    assert params_text("group", (1e6, 2e6)) == "1 000 000 kr or 2 000 000 kr"


def test_a_case_without_allocation_tables() -> None:
    frame = empty_allocations().with_columns(
        pl.lit(None, dtype=pl.String).alias("scb_code"),
        pl.lit(None, dtype=pl.String).alias("scb_name"),
    )
    run = run_suites(frame, reference_codes())
    assert run.findings == []
    assert run.footing.height == 0
    assert all(c.failed == 0 and c.rows_checked == 0 for c in run.checks)


def test_key_messages_say_the_key_in_words() -> None:
    frame = truth_frame().with_columns(
        pl.when((pl.col("scb_code") == "05") & (pl.col("measure") == "Traumavård"))
        .then(pl.col("amount_sek") + 10_000).otherwise(pl.col("amount_sek")).alias("amount_sek")
    )
    found = run_suites(frame, reference_codes()).findings
    key = next(f for f in found if f["check"] == "allocation_key")
    # Östergötland: Kunskapsbaserad 4 476 930 kr, so its Traumavård should be 2 238 465 kr.
    assert key["observed"] == 2_238_465 + 10_000
    assert abs(key["expected"] - 4_476_930 / 2) < 1
    # The key is read from the other 20 rows (Traumavård = ½ × Kunskapsbaserad), said in words.
    assert key["message"].startswith(
        "Östergötland's Traumavård in the region table is 2 248 465 kr, but its Kunskapsbaserad "
        "och säker vård och omsorg in the region table (4 476 930 kr) gives 2 238 465"
    )
    assert ("under the key the other rows follow (region Traumavård = 0,5 × region "
            "Kunskapsbaserad och säker vård och omsorg): ") in key["message"]
    assert "fitted" not in key["message"]
