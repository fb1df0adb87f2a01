"""Diagnosis of the rules beyond row and column sums: a row printed twice, a population key,
and the keys the suites find, on the 2024 truth tables with one change each (no rendering).

The population column is a STAND-IN (no document prints one): region Kunskapsbaserad, the
column domain.md documents as distributed by population, scaled; not real population data.
"""

from __future__ import annotations

import polars as pl
from test_expectations_keys import POPULATION, population_stand_in, region_without_kunskap
from test_expectations_support import KUNSKAP, amount, reference_codes, set_amount, truth_frame

from expectations.runner import run_suites
from pipeline.diagnosis import diagnose
from pipeline.findings import Finding, sort_findings

TOTAL = "Totalt belopp"


def findings_of(frame: pl.DataFrame, attributes: pl.DataFrame | None = None) -> list[Finding]:
    run = run_suites(frame, reference_codes(), attributes=attributes)
    return sort_findings(Finding(**d) for d in run.findings)


def errors(findings: list[Finding]) -> list[int]:
    return [i for i, f in enumerate(findings) if f.severity == "error"]


def with_copy_of_row(frame: pl.DataFrame, table: str, code: str) -> pl.DataFrame:
    """The frame with one recipient row printed a second time, right after the table's rows."""
    row = frame.filter((pl.col("table") == table) & (pl.col("scb_code") == code))
    last = frame.filter(pl.col("table") == table)["row_index"].max()
    copy = row.with_columns(pl.lit(last + 1, dtype=frame.schema["row_index"]).alias("row_index"))
    return pl.concat([frame, copy])


def test_a_row_printed_twice_is_named_as_such() -> None:
    frame = with_copy_of_row(truth_frame(), "kommun", "0180")
    findings = findings_of(frame)
    # Stockholm (0180, 9 379 530 kr in each column) counted twice: both kommun columns sum
    # to 109 379 529 kr against a Riket of 100 000 000 kr, and coverage sees code 0180 twice.
    assert {(findings[i].check, findings[i].measure) for i in errors(findings)} >= {
        ("coverage", None), ("footing", KUNSKAP), ("footing", TOTAL)}
    [cause] = diagnose(frame, findings)
    # Taking the copy out (one change) mends every rule; changing its two cells to nothing
    # one by one would cost two.
    assert cause["kind"] == "duplicated_row" and cause["alternatives"] == 0
    assert {(c["scb_code"], c["measure"], c["printed"]) for c in cause["cells"]} == {
        ("0180", KUNSKAP, amount("kommun", "0180", KUNSKAP)),
        ("0180", TOTAL, amount("kommun", "0180", TOTAL))}
    assert all(c["reconciling_value"] is None for c in cause["cells"])  # not printed at all
    assert cause["explains"] == errors(findings)
    assert "kommun 0180 Stockholm is printed more than once" in cause["cause"]


def test_a_population_printed_wrong_is_that_population() -> None:
    frame = region_without_kunskap()
    attributes = population_stand_in(frame, "region", 1 / 64)
    # Östergötland's population printed 10 % too high. Its Traumavård still adds up in its
    # column, so changing the amount would break the column sum too: the population cell alone
    # is the cheapest change.
    printed = attributes.filter(pl.col("code") == "05")["value"][0]
    attributes = attributes.with_columns(
        pl.when(pl.col("code") == "05").then(round(printed * 1.1)).otherwise(pl.col("value"))
        .alias("value"))
    findings = findings_of(frame, attributes)
    assert [(findings[i].check, findings[i].scb_code) for i in errors(findings)] == [
        ("allocation_key", "05")]
    [cause] = diagnose(frame, findings, attributes=attributes)
    [cell] = cause["cells"]
    assert (cell["scb_code"], cell["measure"], cell["printed"]) == (
        "05", POPULATION, round(printed * 1.1))
    # The stand-in is Kunskapsbaserad / 64 rounded: 4 476 930 / 64 = 69 952,0 persons.
    assert abs(cell["reconciling_value"] - round(amount("region", "05", KUNSKAP) / 64)) <= 1
    assert cause["kind"] == "wrong_cell" and cause["alternatives"] == 0
    assert cause["explains"] == errors(findings)


def test_a_kommun_changed_in_one_column_only_is_that_cell() -> None:
    # Kommun 1880 Örebro Kunskapsbaserad +3 000 kr, its Totalt belopp kept: its row sum, the
    # column sum and region 18's key break; the one cell explains them all.
    frame = set_amount(truth_frame(), "kommun", "1880", KUNSKAP,
                       amount("kommun", "1880", KUNSKAP) + 3_000)
    findings = findings_of(frame)
    [cause] = diagnose(frame, findings)
    [cell] = cause["cells"]
    assert (cell["scb_code"], cell["measure"]) == ("1880", KUNSKAP)
    assert abs(cell["reconciling_value"] - amount("kommun", "1880", KUNSKAP)) <= 1
    assert cause["explains"] == errors(findings) and cause["alternatives"] == 0
