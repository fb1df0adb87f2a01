"""Checks of the general allocation-table model: numbers beside the amounts, and partial tables.

Readers put numbers that are not money (shares in %, population, counts) into a second long
frame, ``Extraction.attributes`` (schema ``extractors.base.ATTRIBUTE_SCHEMA``). Two suites
check the shares, each with the bound of the printed precision:

- ``shares``: a distribution column (its shares add up to about 100 %, or its total row prints
  100 %) adds up to its printed total (100 % when none is printed), within half a unit of the
  last printed decimal per rounded share (21 shares printed to 0,01 % may be 0,105 % off).
  A percent column that is no distribution is a rate per recipient (its total row a weighted
  average): ``share_rates`` checks that total lies within the recipients' range.
- ``share_of_total``: each recipient's amount is its share of the table's total (the total
  row's amount, or the recipients' sum when none is printed), within what the share's rounding
  allows (half its last decimal of the total) plus half a unit of the amount.

A third suite, ``population_key``, fits every amount column of a table that prints a population
column as amount ∝ population (or a fixed amount per recipient plus a population share) with
``expectations.keys.population_key_frame``; its findings are ``allocation_key`` findings keyed
(table, code, amount measure), bounded by the rounding of the amount and the population plus
the fit's own uncertainty.

``coverage_scope`` says per table whether it prints a total row (``no_total_notes`` tells the
column sums of those that do not); which codes a table must list is expectations/coverage.py.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from expectations.frames import TABLE_KEYS, with_table_index
from expectations.keys import population_key_frame
from expectations.messages import (
    _apart,
    _the_amounts,
    _where,
    allocation_key,
    finding,
    fmt_count,
    fmt_kr,
)
from expectations.pairing import row_total_flags
from expectations.settings import SuiteSettings
from expectations.suites import Rule, Suite, _within_bound

GENERAL_SUITES: tuple[Suite, ...] = (
    Suite("shares",
          "Every share column adds up to 100 %, within half a unit of the last printed decimal "
          "per rounded share.",
          (_within_bound(),), rounding_notes=True),
    Suite("share_rates",
          "Every percent column that is a rate per recipient (not a distribution adding up to "
          "100 %) prints a total within its recipients' range, give or take half its last "
          "decimal.",
          (_within_bound(),)),
    Suite("share_of_total",
          "Every recipient's amount is its printed share of the table's total, within the "
          "rounding of the share and the amount.",
          (_within_bound(),)),
    Suite("population_key",
          "Amount columns keyed by a printed population column agree row by row within "
          "rounding: the share (and any fixed amount per recipient) is fitted from the table.",
          (_within_bound(),)),
)  # fmt: skip
GENERAL_SUITES_BY_NAME = {suite.name: suite for suite in GENERAL_SUITES}
ROW_JOIN = [*TABLE_KEYS, "row_index"]


def _half_step(decimals: pl.Expr) -> pl.Expr:
    return 0.5 * pl.lit(10.0).pow(-decimals.cast(pl.Float64))


def _share_columns(attributes: pl.DataFrame, margin: float) -> pl.DataFrame:
    """Per share column: the recipients' sum, the printed total row value, their rounding
    bounds, the recipients' range, and whether the column is a distribution (its shares add
    up to about 100 %, or its total row prints 100 %) or a rate per recipient."""
    shares = with_table_index(attributes).filter(pl.col("kind") == "share_percent")
    rec, tot = pl.col("row_kind") == "recipient", pl.col("row_kind") == "total"
    out = shares.group_by([*TABLE_KEYS, "measure"], maintain_order=True).agg(
        pl.col("value").filter(rec).sum().alias("recipients_sum"),
        rec.sum().alias("terms"),
        _half_step(pl.col("decimals")).filter(rec).sum().alias("parts_bound"),
        pl.col("value").filter(rec).min().alias("low"),
        pl.col("value").filter(rec).max().alias("high"),
        pl.col("value").filter(tot).first().alias("printed_total"),
        _half_step(pl.col("decimals")).filter(tot).first().alias("total_bound"),
        pl.col("page").min(),
    )
    prints_100 = (pl.col("printed_total") - 100).abs() <= pl.col("total_bound").fill_null(0)
    return out.with_columns(
        (((pl.col("recipients_sum") - 100).abs() <= margin) | prints_100.fill_null(False))
        .alias("distribution"))


def shares_frame(attributes: pl.DataFrame, settings: SuiteSettings | None = None
                 ) -> pl.DataFrame:
    """One row per distribution column: its printed total (100 % when none is printed) as
    observed, the recipients' sum as expected, with the bound of their printed precision."""
    settings = settings or SuiteSettings()
    cols = _share_columns(attributes, settings.share_distribution_margin).filter(
        pl.col("distribution"))
    out = cols.with_columns(
        pl.coalesce("printed_total", pl.lit(100.0)).alias("observed"),
        pl.col("recipients_sum").alias("expected"),
        (pl.col("parts_bound") + pl.col("total_bound").fill_null(0)).alias("tolerance"),
        pl.lit(None, dtype=pl.String).alias("scb_code"),
    ).with_columns((pl.col("observed") - pl.col("expected")).round(6).alias("difference"))
    return out.with_columns(
        (pl.col("difference").abs() - pl.col("tolerance")).round(6).alias("excess")
    ).with_row_index("row_id")


def rates_frame(attributes: pl.DataFrame, settings: SuiteSettings | None = None
                ) -> pl.DataFrame:
    """One row per rate column (percent per recipient, not a distribution) that prints a
    total row: the total (a weighted average) must lie within the recipients' range, give or
    take half its last printed decimal."""
    settings = settings or SuiteSettings()
    cols = _share_columns(attributes, settings.share_distribution_margin).filter(
        ~pl.col("distribution") & pl.col("printed_total").is_not_null())
    out = cols.with_columns(
        pl.col("printed_total").alias("observed"),
        pl.col("printed_total").clip(pl.col("low"), pl.col("high")).alias("expected"),
        pl.col("total_bound").fill_null(0).alias("tolerance"),
        pl.lit(None, dtype=pl.String).alias("scb_code"),
    ).with_columns((pl.col("observed") - pl.col("expected")).round(6).alias("difference"))
    return out.with_columns(
        (pl.col("difference").abs() - pl.col("tolerance")).round(6).alias("excess")
    ).with_row_index("row_id")


def _share_amount_measure(frame: pl.DataFrame) -> pl.DataFrame:
    """Per (source_file, table, table_index): the amount column a share refers to: the one
    the readers found to be each row's total (column_role), or the only amount column. A
    frame built without roles (by hand) falls back on the header reading as a total."""
    flagged = frame.select(*TABLE_KEYS, "measure", row_total_flags(frame).fill_null(False)
                           .alias("row_total"))
    measures = flagged.group_by([*TABLE_KEYS, "measure"], maintain_order=True).agg(
        pl.col("row_total").any())
    picked = []
    for (source_file, table, table_index), group in measures.group_by(TABLE_KEYS,
                                                                      maintain_order=True):
        names = group["measure"].to_list()
        totals = group.filter(pl.col("row_total"))["measure"].to_list()
        choice = totals[0] if totals else (names[0] if len(names) == 1 else None)
        if choice is not None:
            picked.append({"source_file": source_file, "table": table,
                           "table_index": table_index, "amount_measure": choice})
    schema = {"source_file": pl.String, "table": pl.String, "table_index": pl.Int64,
              "amount_measure": pl.String}
    return pl.DataFrame(picked, schema=schema)


def share_of_total_frame(attributes: pl.DataFrame, frame: pl.DataFrame,
                         settings: SuiteSettings | None = None) -> pl.DataFrame:
    """One row per recipient with a share of a distribution column and an amount: amount
    against share × total."""
    shares = with_table_index(attributes).filter(
        (pl.col("kind") == "share_percent") & (pl.col("row_kind") == "recipient"))
    if shares.is_empty() or frame.is_empty():
        return _empty_share_of_total()
    distributions = _share_columns(attributes, (settings or SuiteSettings())
                                   .share_distribution_margin).filter(pl.col("distribution"))
    shares = shares.join(distributions.select(*TABLE_KEYS, "measure"),
                         on=[*TABLE_KEYS, "measure"], how="semi")
    if shares.is_empty():
        return _empty_share_of_total()
    frame = with_table_index(frame)
    amounts = frame.join(_share_amount_measure(frame), on=TABLE_KEYS).filter(
        pl.col("measure") == pl.col("amount_measure"))
    step = pl.col("unit_step") if "unit_step" in amounts.columns else pl.lit(1)
    amounts = amounts.with_columns(step.fill_null(1).cast(pl.Float64).alias("step"))
    totals = amounts.group_by(TABLE_KEYS).agg(
        pl.col("amount_sek").filter(pl.col("row_kind") == "total").first().alias("printed_total"),
        pl.col("amount_sek").filter(pl.col("row_kind") == "recipient").sum().alias("sum_total"),
    ).with_columns(pl.coalesce("printed_total", "sum_total").cast(pl.Float64).alias("total"))
    rows = amounts.filter(pl.col("row_kind") == "recipient").select(
        *ROW_JOIN, "scb_code", "code", "name_raw", "amount_measure",
        pl.col("amount_sek").cast(pl.Float64).alias("observed"), "step")
    joined = shares.select(*ROW_JOIN, "page", "measure", "value", "decimals").join(
        rows, on=ROW_JOIN).join(totals.select(*TABLE_KEYS, "total"), on=TABLE_KEYS)
    out = joined.with_columns(
        (pl.col("value") / 100 * pl.col("total")).alias("expected"),
        (_half_step(pl.col("decimals")) / 100 * pl.col("total") + 0.5 * pl.col("step"))
        .alias("tolerance"),
        pl.col("name_raw").alias("label"),
    ).with_columns((pl.col("observed") - pl.col("expected")).alias("difference"))
    return out.with_columns(
        (pl.col("difference").abs() - pl.col("tolerance")).alias("excess")
    ).with_row_index("row_id")


def _empty_share_of_total() -> pl.DataFrame:
    schema = {"source_file": pl.String, "table": pl.String, "table_index": pl.Int64,
              "row_index": pl.Int64, "page": pl.Int64, "measure": pl.String, "scb_code": pl.String,
              "code": pl.String, "label": pl.String, "amount_measure": pl.String,
              "expected": pl.Float64, "observed": pl.Float64, "difference": pl.Float64,
              "tolerance": pl.Float64, "excess": pl.Float64}
    return pl.DataFrame(schema=schema).with_row_index("row_id")


def general_frames(attributes: pl.DataFrame, frame: pl.DataFrame,
                   settings: SuiteSettings | None = None) -> dict[str, pl.DataFrame]:
    """The check frame of every general suite."""
    return {"shares": shares_frame(attributes, settings),
            "share_rates": rates_frame(attributes, settings),
            "share_of_total": share_of_total_frame(attributes, frame, settings),
            "population_key": population_key_frame(frame, attributes, settings)}


def _pct(value: float) -> str:
    """A percentage the Swedish way: "12,5 %", "1 348 %"."""
    text = f"{value:,.6f}".rstrip("0").rstrip(".")
    return text.replace(",", " ").replace(".", ",") + " %"


def _the_values(terms: int) -> str:
    return "its one value is" if int(terms) == 1 else f"its {fmt_count(terms)} values add up to"


def shares_message(rule: str, severity: str, row: dict) -> dict:
    gap, bound = _pct(abs(row["difference"])), _pct(row["tolerance"])
    verdict = (f"beyond the {bound} rounding bound" if severity == "error"
               else f"which is rounding: within the {bound} bound")
    total = ("its total row prints " + _pct(row["observed"]) if row.get("printed_total")
             is not None else "not 100 %")
    shares = _the_amounts(row["terms"], f"{row['measure']} share", _where(row["table"]),
                          "add up to")
    message = f"{shares} {_pct(row['expected'])}, {total}: {gap} apart, {verdict}."
    return finding("shares", severity, message, row)


def rates_message(rule: str, severity: str, row: dict) -> dict:
    message = (
        f"{row['measure']} in {_where(row['table'])} is a rate per recipient ("
        f"{_the_values(row['terms'])} {_pct(row['recipients_sum'])}, no distribution), but "
        f"its total row prints {_pct(row['observed'])}, outside the recipients' range "
        f"{_pct(row['low'])} – {_pct(row['high'])}.")
    return finding("share_rates", severity, message, row)


def share_of_total_message(rule: str, severity: str, row: dict) -> dict:
    message = (
        f"{row['label']}'s {row['amount_measure']} in {_where(row['table'])} is "
        f"{fmt_kr(row['observed'])} but its {row['measure']} of {_pct(row['value'])} of the "
        f"total gives {fmt_kr(row['expected'])}: {_apart(row, severity)}.")
    return finding("share_of_total", severity, message, row)


GENERAL_BUILDERS = {"shares": shares_message, "share_rates": rates_message,
                    "share_of_total": share_of_total_message,
                    "population_key": allocation_key}


def coverage_scope(prepared: pl.DataFrame, reference_codes: Mapping[str, frozenset[str]]
                   ) -> pl.DataFrame:
    """Per (source_file, table, table_index): recipients printed, the reference size and whether
    the table claims to cover the whole country (a total row, or at least as many rows as codes).
    """
    per = with_table_index(prepared).group_by(TABLE_KEYS, maintain_order=True).agg(
        pl.col("row_index").filter(pl.col("row_kind") == "recipient").n_unique()
        .alias("recipients"),
        (pl.col("row_kind") == "total").any().alias("has_total"),
        pl.col("scb_code").filter(pl.col("row_kind") == "recipient").unique().sort()
        .alias("codes"),
        pl.col("page").min(),
    )
    sizes = {k: len(v) for k, v in reference_codes.items()}
    return per.with_columns(
        pl.col("table").replace_strict(sizes, default=0, return_dtype=pl.Int64)
        .alias("reference_size"),
    ).with_columns(
        (pl.col("has_total") | (pl.col("recipients") >= pl.col("reference_size")))
        .alias("claims_country"))


def no_total_notes(scope: pl.DataFrame, prepared: pl.DataFrame) -> list[dict]:
    """An info finding for each table that prints no total row: what its columns add up to,
    since no printed Riket, Totalt or Summa value could be checked against them."""
    notes = []
    for row in scope.filter(~pl.col("has_total")).iter_rows(named=True):
        cells = with_table_index(prepared).filter(
            (pl.col("source_file") == row["source_file"]) & (pl.col("table") == row["table"])
            & (pl.col("table_index") == row["table_index"]) & (pl.col("row_kind") == "recipient"))
        sums = cells.group_by("measure", maintain_order=True).agg(pl.col("amount_sek").sum())
        listed = "; ".join(f"{m}: {fmt_kr(v)}" for m, v in sums.iter_rows())
        sums_text = (f"they add up to {listed}" if listed else
                     "it prints no recipient amount to add up")
        message = (
            f"{_where(row['table']).capitalize()} in {row['source_file']} prints no Riket, "
            f"Totalt or Summa row, so its columns were not footed; {sums_text}.")
        notes.append(finding("footing", "info", message, {
            "table": row["table"], "source_file": row["source_file"], "page": row["page"]}))
    return notes


__all__ = ["GENERAL_BUILDERS", "GENERAL_SUITES", "GENERAL_SUITES_BY_NAME", "Rule",
           "coverage_scope", "general_frames", "no_total_notes",
           "share_of_total_frame", "shares_frame"]
