"""allocations.xlsx: the tables in their printed wide form, the findings and the stated totals."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl
import xlsxwriter

if TYPE_CHECKING:
    from pipeline.orchestrate import CaseResult

SHEET_TITLES = {"region": "Region", "kommun": "Kommun", "lan": "Länsgemensamma medel"}
# Excel shows the thousands separator of the reader's locale: spaces in a Swedish Excel.
KRONOR_FORMAT = '#,##0 "kr";-#,##0 "kr";0 "kr"'
FINDING_COLUMNS = [
    "severity", "check", "table", "scb_code", "measure", "expected", "observed", "difference",
    "tolerance", "source_file", "page", "message",
]


def wide_tables(frame: pl.DataFrame) -> list[tuple[str, str, pl.DataFrame]]:
    """(sheet title, source_file, wide frame) for each table of each kind, from the first
    document that prints that kind; a second table of a kind gets its own sheet ("Region 2")."""
    out = []
    if frame.is_empty():
        return out
    for table in ("region", "kommun", "lan"):
        rows = frame.filter(pl.col("table") == table)
        if rows.is_empty():
            continue
        source = rows["source_file"][0]
        rows = rows.filter(pl.col("source_file") == source)
        indexes = rows["table_index"].unique(maintain_order=True).to_list()
        for number, index in enumerate(indexes, start=1):
            one = rows.filter(pl.col("table_index") == index)
            measures = one["measure"].unique(maintain_order=True).to_list()
            wide = one.pivot(
                on="measure", index=["row_index", "code", "name_raw", "scb_code"],
                values="amount_sek", aggregate_function="first",
            ).sort("row_index")
            title = SHEET_TITLES[table] + (f" {number}" if number > 1 else "")
            out.append((title, source, wide.select(["code", "name_raw", "scb_code", *measures])))
    return out


def write_workbook(result: CaseResult, path: Path) -> None:
    """Write the case's workbook: one sheet per table as printed, then findings and totals."""
    # Every text is written as text: a printed "=HYPERLINK(...)" never becomes a formula or link.
    book = xlsxwriter.Workbook(str(path), {
        "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False})
    book.set_properties({"title": f"Reconciliation of {result.case.name}"})
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "bottom"})
    kronor = book.add_format({"num_format": KRONOR_FORMAT})
    kronor_bold = book.add_format({"num_format": KRONOR_FORMAT, "bold": True})
    for title, source, wide in wide_tables(result.frame):
        sheet = book.add_worksheet(title)
        sheet.write(0, 0, f"{title} (from {source})", bold)
        headers = ["Kod", "Namn (som tryckt)", "SCB-kod", *wide.columns[3:]]
        sheet.write_row(2, 0, headers, bold)
        for i, row in enumerate(wide.iter_rows(), start=3):
            is_total = not row[0] and row[1] == "Riket"
            sheet.write_row(i, 0, [v or "" for v in row[:3]], bold if is_total else None)
            for j, value in enumerate(row[3:], start=3):
                if value is not None:
                    sheet.write_number(i, j, value, kronor_bold if is_total else kronor)
        sheet.set_column(0, 0, 7)
        sheet.set_column(1, 1, 24)
        sheet.set_column(2, 2, 8)
        sheet.set_column(3, len(headers) - 1, 18, kronor)
        sheet.freeze_panes(3, 2)
    write_findings_sheet(book, result, bold)
    write_stated_sheet(book, result, bold)
    book.close()


def write_findings_sheet(book, result: CaseResult, bold) -> None:
    sheet = book.add_worksheet("Findings")
    sheet.write_row(0, 0, FINDING_COLUMNS, bold)
    for i, finding in enumerate(result.findings, start=1):
        data = finding.to_dict()
        sheet.write_row(i, 0, ["" if data[c] is None else data[c] for c in FINDING_COLUMNS])
    sheet.set_column(0, 4, 14)
    sheet.set_column(11, 11, 100)
    sheet.autofilter(0, 0, max(len(result.findings), 1), len(FINDING_COLUMNS) - 1)


def write_stated_sheet(book, result: CaseResult, bold) -> None:
    sheet = book.add_worksheet("Stated totals")
    if not result.stated:
        sheet.write(0, 0, "No amounts stated in the text of the documents.")
        return
    columns = list(result.stated[0].keys())
    sheet.write_row(0, 0, columns, bold)
    for i, row in enumerate(result.stated, start=1):
        sheet.write_row(i, 0, ["" if row.get(c) is None else row.get(c) for c in columns])
    sheet.set_column(0, len(columns) - 1, 18)
