"""Which tables of a case are copies of one table (the PDF and the DOCX of one annex), and the
formats_agree check frame that compares each copy with its original cell for cell.

Two documents may print a region table over the same 21 codes and the same columns and still
print two different tables: the annex of 2024 and the annex of 2025, a decision and its
amendment. Comparing those cell for cell would call every changed amount a disagreement. So
tables of one kind, at the same place among their document's tables of that kind, are copies
only when the evidence says so:

- the years they are about differ: no year is common to the years their titles name ("… 2024"
  / "… 2025"), or, for a title that names none, the years their documents' text names: never
  copies;
- else most of their cells print the same amount (``copy_min_equal_share`` of all the cells
  either prints): copies, and the cells that differ are the findings;
- else their titles are the same (or name the same years): copies however many cells differ;
- else they are two tables, each checked on its own, and a note says why they were not
  compared (a warning when nothing in the titles tells them apart, info when the years do).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from expectations.coverage import DocumentText
from expectations.frames import FORMAT_ORDER, _with_excess
from expectations.messages import finding
from expectations.settings import SuiteSettings

MATCH_KEYS = ["row_key", "measure_key", "occurrence"]
KIND_WORDS = {"lan": "län"}
_YEAR_RE = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_CONTINUED_RE = re.compile(r"\(?\s*forts(?:\.|ättning)?\s*\)?", re.IGNORECASE)


@dataclass(frozen=True)
class TableCopy:
    """A table printed in another document as a copy of one printed earlier (the reference)."""

    table: str  # the kind: region, kommun, lan
    reference_file: str
    reference_index: int  # table_index in the reference document
    other_file: str
    other_index: int

    def cells(self, frame: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
        """The frame's rows of the reference table and of its copy."""
        def of(source_file: str, index: int) -> pl.DataFrame:
            return frame.filter((pl.col("source_file") == source_file)
                                & (pl.col("table") == self.table)
                                & (pl.col("table_index") == index))
        return of(self.reference_file, self.reference_index), of(self.other_file, self.other_index)


@dataclass(frozen=True)
class Identity:
    """What a table says it is: its printed title and the years it is about."""

    title: str
    years: frozenset[str]
    from_title: bool  # the years are the title's own (else its document's text's)


def named_years(text: str) -> frozenset[str]:
    """The years a text names ("Fördelning 2024 jämfört med 2023" -> 2023, 2024)."""
    return frozenset(_YEAR_RE.findall(text or ""))


def identities(documents: Sequence[DocumentText]) -> dict[tuple[str, int], Identity]:
    """(source_file, table_index) -> the table's title and the years it is about: those its
    title names, else those its document's headings and paragraphs name."""
    out = {}
    for doc in documents:
        text_years = named_years(" ".join(text for text, _ in doc.blocks))
        for table in doc.tables:
            own = named_years(table.title)
            out[(doc.source_file, table.table_index)] = Identity(
                table.title, own or text_years, bool(own))
    return out


def _same_title(a: str, b: str) -> bool:
    def norm(t: str) -> str:
        return " ".join(_CONTINUED_RE.sub(" ", t or "").split()).casefold().rstrip(".:")
    return bool(norm(a)) and norm(a) == norm(b)


def _ordered(grid: pl.DataFrame) -> pl.DataFrame:
    """The grid with each table's place among its document's tables of its kind, the
    document's format rank and each cell's occurrence of its row key and measure."""
    keys = ["table", "kind_order", "row_key", "measure_key"]
    return grid.with_columns(
        (pl.col("table_index").rank("dense").over(["source_file", "table"]).cast(pl.Int64) - 1)
        .alias("kind_order"),
        pl.col("source_format").replace_strict(FORMAT_ORDER, default=9).alias("format_rank"),
    ).with_columns(pl.int_range(pl.len()).over(["source_file", *keys]).alias("occurrence"))


def _equal_cells(ref: pl.DataFrame, other: pl.DataFrame, half: float) -> tuple[int, int]:
    """How many cells the two tables print alike (within the rounding of differing units),
    and how many cells either prints."""
    a = ref.filter(pl.col("amount").is_not_null()).select(*MATCH_KEYS, "amount", "unit_factor")
    b = other.filter(pl.col("amount").is_not_null()).select(*MATCH_KEYS, "amount", "unit_factor")
    joined = a.join(b, on=MATCH_KEYS, how="full", coalesce=True, suffix="_o")
    if joined.is_empty():
        return 0, 0
    unit = pl.max_horizontal(pl.col("unit_factor").fill_null(1), pl.col("unit_factor_o")
                             .fill_null(1))
    bound = pl.when(pl.col("unit_factor") == pl.col("unit_factor_o")).then(0.0).otherwise(
        half * unit)
    equal = joined.select(((pl.col("amount") - pl.col("amount_o")).abs() <= bound)
                          .fill_null(False).sum()).item()
    return int(equal), joined.height


def _decide(ref: pl.DataFrame, other: pl.DataFrame, who: tuple[Identity, Identity],
            settings: SuiteSettings) -> tuple[bool, str, str]:
    """Whether other is a copy of ref; if not, why (and the note's severity)."""
    years = who[0].years, who[1].years
    if years[0] and years[1] and not years[0] & years[1]:
        said = "titles" if who[0].from_title and who[1].from_title else "titles or texts"
        return False, (f"their {said} name different years ({', '.join(sorted(years[0]))}; "
                       f"{', '.join(sorted(years[1]))})"), "info"
    equal, cells = _equal_cells(ref, other, settings.half_unit)
    if cells and equal >= settings.copy_min_equal_share * cells:
        return True, "", ""
    if _same_title(who[0].title, who[1].title) or (years[0] and years[0] == years[1]):
        return True, "", ""
    return False, (f"they print the same amount in only {equal} of {cells} cells and their "
                   "titles do not say they are one table"), "warning"


def table_copies(grid: pl.DataFrame, settings: SuiteSettings,
                 documents: Sequence[DocumentText] = ()) -> tuple[list[TableCopy], list[dict]]:
    """Every table that is a copy of one printed in a document earlier in format order (PDF,
    DOCX, then the others; by name within a format), and a note for each table of the same
    kind and place that is not (``documents``: each document's text and table titles)."""
    known = identities(documents)
    unknown = Identity("", frozenset(), False)
    copies, notes = [], []
    cells = _ordered(grid)
    for (kind, _), group in cells.group_by(["table", "kind_order"], maintain_order=True):
        files = (group.group_by("source_file").agg(pl.col("format_rank").first(),
                                                    pl.col("table_index").first())
                 .sort(["format_rank", "source_file"]).rows(named=True))
        for i, other in enumerate(files[1:], start=1):
            other_cells = group.filter(pl.col("source_file") == other["source_file"])
            other_id = known.get((other["source_file"], other["table_index"]), unknown)
            why = None
            for ref in files[:i]:
                ref_id = known.get((ref["source_file"], ref["table_index"]), unknown)
                same, reason, severity = _decide(
                    group.filter(pl.col("source_file") == ref["source_file"]), other_cells,
                    (ref_id, other_id), settings)
                if same:
                    copies.append(TableCopy(kind, ref["source_file"], ref["table_index"],
                                            other["source_file"], other["table_index"]))
                    why = None
                    break
                why = why or (ref, reason, severity)
            if why is not None:
                notes.append(_not_copy_note(kind, why[0], other, why[1], why[2],
                                            other_cells))
    return copies, notes


def _not_copy_note(kind: str, ref: dict, other: dict, reason: str, severity: str,
                   cells: pl.DataFrame) -> dict:
    word = KIND_WORDS.get(kind, kind)
    message = (f"{ref['source_file']} and {other['source_file']} each print a {word} table, "
               f"but {reason}: they are two tables, each checked on its own, not compared "
               "cell for cell.")
    page = cells["page"].drop_nulls().min()
    return finding("formats_agree", severity, message, {
        "table": kind, "source_file": other["source_file"], "page": page})


def formats_frame(grid: pl.DataFrame, settings: SuiteSettings,
                  copies: list[TableCopy]) -> pl.DataFrame:
    """Each cell of each copy against its reference table, printed or absent in either."""
    keep = ["source_file", "measure", "amount", "unit_factor", "page", "label", "table_index",
            "row_index"]
    cells = _ordered(grid)
    pairs = []
    for copy in copies:
        ref, other = copy.cells(cells)
        cols = ["table", "kind_order", *MATCH_KEYS, "scb_code", "code", *keep]
        joined = ref.select(cols).join(other.select(cols), on=["table", *MATCH_KEYS],
                                       how="full", coalesce=True, suffix="_other")
        pairs.append(joined.with_columns(
            pl.coalesce("kind_order", "kind_order_other").alias("kind_order"),
            pl.lit(copy.reference_file).alias("reference_file"),
            pl.lit(copy.other_file).alias("other_file")))
    if not pairs:
        return _empty_formats()
    out = pl.concat(pairs, how="diagonal_relaxed")
    half = settings.half_unit
    unit_ref = pl.col("unit_factor").fill_null(1)
    unit_oth = pl.col("unit_factor_other").fill_null(1)
    return _with_excess(
        out.with_columns(
            pl.col("amount").alias("expected"),
            pl.col("amount_other").alias("observed"),
            (pl.col("amount_other") - pl.col("amount")).alias("difference"),
            pl.when(unit_ref == unit_oth).then(0.0)
            .otherwise(half * pl.max_horizontal(unit_ref, unit_oth)).alias("tolerance"),
            pl.coalesce("scb_code", "scb_code_other").alias("scb_code"),
            pl.coalesce("code", "code_other").alias("code"),
            pl.coalesce("measure", "measure_other").alias("measure"),
            pl.coalesce("label", "label_other").alias("label"),
            pl.coalesce("page_other", "page").alias("page"),
            pl.coalesce("table_index_other", "table_index").alias("table_index"),
            pl.coalesce("row_index_other", "row_index").alias("row_index"),
            pl.col("other_file").alias("source_file"),
        )
        .with_columns(pl.col("amount").is_not_null().alias("in_reference"),
                      pl.col("amount_other").is_not_null().alias("in_other"))
        .sort(["table", "kind_order", "other_file", "row_index", "measure_key"])
    )


def _empty_formats() -> pl.DataFrame:
    schema = {
        "table": pl.String, "row_key": pl.String, "measure": pl.String, "scb_code": pl.String,
        "code": pl.String, "label": pl.String, "page": pl.Int64, "table_index": pl.Int64,
        "kind_order": pl.Int64, "row_index": pl.Int64,
        "source_file": pl.String, "reference_file": pl.String, "other_file": pl.String,
        "expected": pl.Float64, "observed": pl.Float64, "difference": pl.Float64,
        "tolerance": pl.Float64, "in_reference": pl.Boolean, "in_other": pl.Boolean,
    }  # fmt: skip
    return _with_excess(pl.DataFrame(schema=schema))
