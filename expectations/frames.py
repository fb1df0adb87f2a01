"""Derived check frames: the allocation frame reshaped so each check is a column test.

Every frame has a ``row_id`` (what GX reports failing rows by) and the place of the row in its
document (source_file, page, table, table_index, row_index, scb_code, code, measure): two tables
of the same kind in one document are checked apart. Differences carry their rounding bound as
``tolerance`` and ``excess`` = |difference| - tolerance (> 0 means beyond it).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import polars as pl

from expectations.settings import SuiteSettings

TOTAL_MEASURE_RE = re.compile(r"^(totalt?( belopp)?|summa|total)$")
TOTAL_LABEL = "Riket"
TABLE_KEYS = ["source_file", "table", "table_index"]
ROW_KEYS = [*TABLE_KEYS, "row_index"]
FORMAT_ORDER = {"pdf": 0, "docx": 1}


def measure_key(measure: str | None) -> str:
    """A header as compared across documents: whitespace collapsed, case folded."""
    return " ".join((measure or "").split()).casefold()


def is_total_measure(measure: str | None) -> bool:
    """Whether a column header is the row total ("Totalt belopp")."""
    return bool(TOTAL_MEASURE_RE.match(measure_key(measure)))


def with_table_index(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with a table_index column: 0 where a frame built without one does not say."""
    if "table_index" not in frame.columns:
        return frame.with_columns(pl.lit(0, dtype=pl.Int64).alias("table_index"))
    return frame.with_columns(pl.col("table_index").fill_null(0))


def _is_total_column(frame: pl.DataFrame) -> pl.Expr:
    """Whether a cell sits in its table's row-total column: the readers' column_role (found
    by sums or header, extractors/roles.py) where they give one, else the header's words."""
    by_header = pl.col("measure").map_elements(is_total_measure, return_dtype=pl.Boolean)
    if "column_role" not in frame.columns:
        return by_header.alias("is_total")
    role = pl.col("column_role")
    return pl.when(role.is_not_null()).then(role == "row_total").otherwise(by_header
                                                                           ).alias("is_total")


def prepare(frame: pl.DataFrame, settings: SuiteSettings) -> pl.DataFrame:
    """The allocation frame plus measure_key, is_total, unit_factor, row_key, label and order."""
    frame = with_table_index(frame)
    for name in ("scb_code", "scb_name"):
        if name not in frame.columns:
            frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias(name))
    code = pl.col("code").fill_null("").str.strip_chars()
    return frame.with_row_index("cell_order").with_columns(
        pl.col("measure").map_elements(measure_key, return_dtype=pl.String).alias("measure_key"),
        _is_total_column(frame),
        pl.coalesce(
            pl.col("unit_step") if "unit_step" in frame.columns else pl.lit(None, pl.Int64),
            pl.col("unit").map_elements(settings.unit_factor, return_dtype=pl.Int64),
        )
        .fill_null(1)
        .alias("unit_factor"),
        pl.col("amount_sek").cast(pl.Float64).alias("amount"),
        pl.when(pl.col("row_kind") == "total")
        .then(pl.lit(TOTAL_LABEL))
        .when(pl.col("scb_code").is_not_null())
        .then(pl.col("scb_code"))
        .when(code != "")
        .then(code)
        .otherwise(pl.col("name_raw"))
        .alias("row_key"),
        pl.coalesce(
            pl.when(pl.col("name_raw").fill_null("") != "").then(pl.col("name_raw")),
            pl.col("scb_name"),
            code,
        ).alias("label"),
    )


def cell_grid(prepared: pl.DataFrame) -> pl.DataFrame:
    """Every (row, column) cell of every table, printed or not: an absent cell has a null amount."""
    row_cols = ["row_kind", "code", "name_raw", "scb_code", "scb_name", "row_key", "label"]
    rows = prepared.group_by(ROW_KEYS).agg(
        *[pl.col(c).first() for c in row_cols],
        pl.col("source_format").first(),
        pl.col("page").min().alias("row_page"),
        pl.col("cell_order").min().alias("row_order"),
    )
    measures = prepared.group_by([*TABLE_KEYS, "measure"]).agg(
        pl.col("measure_key").first(),
        pl.col("is_total").first(),
        pl.col("unit_factor").first().alias("column_unit"),
        pl.col("cell_order").min().alias("column_order"),
    )
    cells = prepared.select(
        *ROW_KEYS, "measure", "amount", "unit_factor", "page", "cell_order"
    )
    grid = rows.join(measures, on=TABLE_KEYS).join(
        cells, on=[*ROW_KEYS, "measure"], how="left"
    )
    return grid.with_columns(
        pl.col("unit_factor").fill_null(pl.col("column_unit")),
        pl.col("page").fill_null(pl.col("row_page")),
    ).sort([*TABLE_KEYS, "row_order", "column_order"])


def _with_excess(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(
        (pl.col("difference").abs() - pl.col("tolerance")).alias("excess")
    ).with_row_index("row_id")


def cross_footing_frame(grid: pl.DataFrame, settings: SuiteSettings) -> pl.DataFrame:
    """One row per table row: its printed Totalt belopp (observed) against the sum of its
    amounts (expected)."""
    half = settings.half_unit
    parts = ~pl.col("is_total")
    per_row = grid.group_by(ROW_KEYS).agg(
        pl.col("row_kind", "code", "scb_code", "label", "row_order").first(),
        pl.col("measure").filter(pl.col("is_total")).first(),
        pl.col("amount").filter(parts).sum().alias("expected"),
        pl.col("amount").filter(parts).null_count().alias("missing_parts"),
        parts.sum().alias("terms"),
        (pl.col("unit_factor").filter(parts).sum() * half).alias("parts_bound"),
        pl.col("amount").filter(pl.col("is_total")).first().alias("observed"),
        (pl.col("unit_factor").filter(pl.col("is_total")).first() * half).alias("total_bound"),
        pl.col("page").filter(pl.col("is_total")).first(),
        pl.col("is_total").any().alias("has_total"),
    )
    per_row = per_row.filter(pl.col("has_total") & (pl.col("terms") > 0)).with_columns(
        pl.when(pl.col("missing_parts") == 0).then(pl.col("expected")).alias("expected")
    )
    return _with_excess(
        per_row.with_columns(
            (pl.col("observed") - pl.col("expected")).alias("difference"),
            (pl.col("parts_bound") + pl.col("total_bound")).alias("tolerance"),
        )
        .drop("missing_parts", "has_total", "parts_bound", "total_bound")
        .sort([*TABLE_KEYS, "row_order"])
    )


def footing_frame(grid: pl.DataFrame, settings: SuiteSettings) -> pl.DataFrame:
    """One row per table column: the printed Riket value (observed) against the recipients'
    sum (expected).

    A table that prints no total row at all has nothing to foot and gets no rows here.
    """
    half = settings.half_unit
    rec = pl.col("row_kind") == "recipient"
    tot = pl.col("row_kind") == "total"
    with_total = grid.filter((pl.col("row_kind") == "total").any().over(TABLE_KEYS))
    per_col = with_total.group_by([*TABLE_KEYS, "measure"]).agg(
        pl.col("column_order").first(),
        pl.col("amount").filter(rec).sum().alias("expected"),
        pl.col("amount").filter(rec).null_count().alias("missing"),
        rec.sum().alias("terms"),
        (pl.col("unit_factor").filter(rec).sum() * half).alias("parts_bound"),
        pl.col("amount").filter(tot).first().alias("observed"),
        (pl.col("unit_factor").filter(tot).first() * half).alias("total_bound"),
        pl.col("page").filter(tot).first().alias("page"),
        pl.col("row_index").filter(tot).first().alias("row_index"),
        pl.col("name_raw").filter(tot).first().alias("total_label"),  # "Riket", "Summa", …
    )
    per_col = per_col.with_columns(
        pl.when(pl.col("missing") == 0).then(pl.col("expected")).alias("expected"),
        pl.lit(None, dtype=pl.String).alias("scb_code"),
        pl.lit(None, dtype=pl.String).alias("code"),
        pl.lit(TOTAL_LABEL).alias("label"),
    )
    return _with_excess(
        per_col.with_columns(
            (pl.col("observed") - pl.col("expected")).alias("difference"),
            (pl.col("parts_bound") + pl.col("total_bound").fill_null(half)).alias("tolerance"),
        )
        .drop("missing", "parts_bound", "total_bound")
        .sort([*TABLE_KEYS, "column_order"])
    )


def footing_cells(grid: pl.DataFrame, footing: pl.DataFrame) -> pl.DataFrame:
    """Every recipient amount of every footed column, with ``group`` = the column's footing
    row_id and ``riket`` = its printed Riket value: what GX sums natively."""
    keys = [*TABLE_KEYS, "measure"]
    cells = grid.filter(pl.col("row_kind") == "recipient").select(
        *keys, "row_index", "scb_code", "page", "amount")
    groups = footing.select(*keys, pl.col("row_id").cast(pl.Int64).alias("group"),
                            pl.col("observed").alias("riket"))
    return cells.join(groups, on=keys).sort("group", "row_index").with_row_index("row_id")


def coverage_frame(
    prepared: pl.DataFrame, reference_codes: Mapping[str, frozenset[str]]
) -> pl.DataFrame:
    """One row per (document, table, code): how often a recipient row of that table holds the
    code (two tables of one kind in a document are counted apart)."""
    rows = (
        prepared.filter(pl.col("row_kind") == "recipient")
        .group_by(ROW_KEYS)
        .agg(pl.col("row_key", "code", "label", "cell_order").first(), pl.col("page").min())
    )
    parts = []
    for (source_file, table, table_index), group in rows.group_by(TABLE_KEYS,
                                                                  maintain_order=True):
        reference = reference_codes.get(table)
        if reference is None:
            continue
        seen = group.sort("cell_order").group_by("row_key", maintain_order=True).agg(
            pl.len().cast(pl.Int64).alias("observed"),
            pl.col("code", "label", "page", "row_index").first(),
            pl.col("row_index").alias("rows"),
        )
        ref = pl.DataFrame({"row_key": sorted(reference)}, schema={"row_key": pl.String})
        both = ref.join(seen, on="row_key", how="full", coalesce=True)
        parts.append(
            both.with_columns(
                pl.lit(source_file).alias("source_file"),
                pl.lit(table).alias("table"),
                pl.lit(table_index, dtype=pl.Int64).alias("table_index"),
                pl.col("observed").fill_null(0),
                pl.col("row_key").is_in(sorted(reference)).alias("known"),
                pl.lit(len(reference)).alias("reference_size"),
            )
        )
    if not parts:
        return _empty_coverage()
    out = pl.concat(parts, how="diagonal_relaxed").with_columns(
        pl.col("row_key").alias("scb_code"),
        pl.when(pl.col("known")).then(pl.col("observed")).alias("count_known"),
        pl.lit(1).alias("expected"),
        pl.lit(None, dtype=pl.String).alias("measure"),
    )
    return out.sort([*TABLE_KEYS, "row_key"]).with_row_index("row_id")


def coverage_groups(coverage: pl.DataFrame, excused: pl.DataFrame) -> pl.DataFrame:
    """The coverage frame with ``group`` (one per table) and ``must_list_all`` (False for the
    tables whose absent codes are no error)."""
    group = pl.struct(TABLE_KEYS).rank("dense").cast(pl.Int64).alias("group")
    free = excused.with_columns(pl.lit(False).alias("must_list_all"))
    out = coverage.with_columns(group).join(free, on=TABLE_KEYS, how="left")
    return out.with_columns(pl.col("must_list_all").fill_null(True))


def coverage_cells(prepared: pl.DataFrame, coverage: pl.DataFrame) -> pl.DataFrame:
    """Each recipient row of each table once, with its row_key and the table's group: what GX
    checks the codes of natively."""
    rows = prepared.filter(pl.col("row_kind") == "recipient").group_by(ROW_KEYS).agg(
        pl.col("row_key", "cell_order").first(), pl.col("page").min())
    groups = coverage.select(*TABLE_KEYS, "group").unique()
    out = rows.join(groups, on=TABLE_KEYS).sort("group", "cell_order")
    return out.select("group", *TABLE_KEYS, "row_index", "page", "row_key",
                      pl.col("row_key").alias("scb_code")).with_row_index("row_id")


def code_name_frame(prepared: pl.DataFrame, pairs: pl.DataFrame,
                    official: frozenset[str]) -> pl.DataFrame:
    """One row per printed recipient row with a printed code: its ``code_key`` and the code
    its name resolves to (``name_code``, from the pipeline's resolver: ``pairs`` keyed by
    table, code, name_raw), and whether the code is one of SCB's (``code_official``)."""
    rows = prepared.filter(pl.col("row_kind") == "recipient").group_by(ROW_KEYS).agg(
        pl.col("code", "name_raw", "scb_code", "cell_order").first(), pl.col("page").min())
    rows = rows.with_columns(pl.col("name_raw").fill_null(""))
    out = rows.join(pairs, on=["table", "code", "name_raw"]).sort(*TABLE_KEYS, "cell_order")
    return out.with_columns(
        pl.col("code_key").is_in(sorted(official)).alias("code_official"),
        pl.lit(None, dtype=pl.String).alias("measure"),
    ).with_row_index("row_id")


def _empty_coverage() -> pl.DataFrame:
    schema = {
        "row_id": pl.UInt32, "row_key": pl.String, "observed": pl.Int64, "code": pl.String,
        "label": pl.String, "page": pl.Int64, "row_index": pl.Int64, "rows": pl.List(pl.Int64),
        "source_file": pl.String, "table": pl.String, "table_index": pl.Int64,
        "known": pl.Boolean,
        "reference_size": pl.Int64, "scb_code": pl.String, "count_known": pl.Int64,
        "expected": pl.Int64, "measure": pl.String,
    }  # fmt: skip
    # coverage_groups adds group and must_list_all
    return pl.DataFrame(schema=schema)


# A column with this many negative amounts and a positive one is a change column, not grants
# (a single negative amount among grants is a sign error the amounts suite reports).
MIN_CHANGE_NEGATIVES = 2
# Where a reader reported a printed cell it could not read (``unparsed_amount``, …).
REPORTED_CELL_KEYS = ["source_file", "table", "row_index", "measure", "page"]
REPORTED_SCHEMA = {"source_file": pl.String, "table": pl.String, "row_index": pl.Int64,
                   "measure": pl.String, "page": pl.Int64}


def amounts_frame(grid: pl.DataFrame, reported: pl.DataFrame | None = None,
                  changes: frozenset[tuple] = frozenset()) -> pl.DataFrame:
    """One row per cell, printed or absent, with the fraction of a krona it holds and
    ``grant``: the amount where it must not be negative.

    A cell absent because its reader could not read what is printed there (``reported``:
    the readers' places of such cells) is left out: its reading finding says what went wrong
    with it, and an "empty" finding beside it would count the same cell again as a
    disagreement. A change column is no grant and may be negative: one that prints at least
    two negative and one positive amount, or one a difference key ties (``changes``: the
    (source_file, table, table_index, measure) of such columns)."""
    if reported is not None and reported.height:
        absent = grid.filter(pl.col("amount").is_null())
        unread = absent.join(reported.select(REPORTED_CELL_KEYS).unique(),
                             on=REPORTED_CELL_KEYS, how="semi", nulls_equal=True)
        grid = grid.join(unread.select(*REPORTED_CELL_KEYS, "table_index"),
                         on=[*REPORTED_CELL_KEYS, "table_index"], how="anti",
                         nulls_equal=True)
    column = [*TABLE_KEYS, "measure"]
    both_signs = (((pl.col("amount") < 0).sum().over(column) >= MIN_CHANGE_NEGATIVES)
                  & ((pl.col("amount") > 0).sum().over(column) >= 1))
    keyed = pl.concat_list([pl.col(c).cast(pl.String) for c in column]).list.join("\x1f").is_in(
        ["\x1f".join(map(str, c)) for c in changes]) if changes else pl.lit(False)
    grid = grid.with_columns(
        pl.when(both_signs | keyed).then(None).otherwise(pl.col("amount")).alias("grant"))
    return grid.with_columns(
        (pl.col("amount") - pl.col("amount").floor()).alias("fraction"),
        pl.col("amount").alias("observed"),
    ).with_row_index("row_id")
