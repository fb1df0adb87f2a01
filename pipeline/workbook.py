"""allocations.xlsx: a Summary sheet, the findings, each table as printed (a sheet per document
where the documents differ), and the stated totals; formatted and set up for print."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl
import xlsxwriter

from extractors.amounts import UNIT_FACTOR
from model import Finding
from pipeline.report_words import on_page
from pipeline.workbook_sheets import (
    Formats,
    print_setup,
    worst,
    write_findings_sheet,
    write_stated_sheet,
    write_summary_sheet,
)

if TYPE_CHECKING:
    from model import CaseResult

SHEET_TITLES = {"region": "Region", "kommun": "Kommun", "lan": "Länsgemensamma medel"}
KEYS = ["row_index", "row_kind", "code", "name_raw", "scb_code"]
HEADER_ROW = 2  # rows 0-1: title and source; row 2: the column headers
MAX_SHEET_NAME = 31


def table_versions(frame: pl.DataFrame) -> list[tuple[str, int, list[pl.DataFrame]]]:
    """(kind, n-th table of that kind, [its rows in each document that prints it])."""
    out = []
    if frame.is_empty():
        return out
    for kind in ("region", "kommun", "lan"):
        rows = frame.filter(pl.col("table") == kind)
        by_doc: dict[str, list[pl.DataFrame]] = {}
        for source in rows["source_file"].unique(maintain_order=True).to_list():
            one = rows.filter(pl.col("source_file") == source)
            by_doc[source] = [one.filter(pl.col("table_index") == i)
                              for i in one["table_index"].unique(maintain_order=True).to_list()]
        for n in range(max((len(v) for v in by_doc.values()), default=0)):
            out.append((kind, n, [v[n] for v in by_doc.values() if len(v) > n]))
    return out


def same_amounts(a: pl.DataFrame, b: pl.DataFrame) -> bool:
    columns = ["scb_code", "name_raw", "measure", "amount_sek"]
    return a.select(columns).sort(columns).equals(b.select(columns).sort(columns))


def sheets_to_write(frame: pl.DataFrame) -> list[tuple[str, list[str], pl.DataFrame]]:
    """(sheet name, documents it stands for, rows): one sheet when every document prints the
    same amounts, one per document otherwise, so a disagreement shows in the workbook."""
    out = []
    for kind, n, versions in table_versions(frame):
        base = SHEET_TITLES[kind] + (f" {n + 1}" if n else "")
        if all(same_amounts(versions[0], v) for v in versions[1:]):
            out.append((base, [v["source_file"][0] for v in versions], versions[0]))
            continue
        for v in versions:
            source = v["source_file"][0]
            suffix = f" ({Path(source).suffix.lstrip('.') or source})"
            out.append((base[: MAX_SHEET_NAME - len(suffix)] + suffix, [source], v))
    seen: set[str] = set()
    unique = []
    for name, docs, rows in out:
        candidate, k = name, 2
        while candidate.lower() in seen:
            candidate, k = f"{name[: MAX_SHEET_NAME - 3]} {k}", k + 1
        seen.add(candidate.lower())
        unique.append((candidate, docs, rows))
    return unique


def columns_as_printed(rows: pl.DataFrame) -> list[tuple[str, str, int]]:
    """(measure, printed unit, step in kronor) per column, in printed order."""
    cols = rows.select(["measure", "unit", "unit_step"]) if "unit" in rows.columns else \
        rows.select("measure").with_columns(unit=pl.lit("kr"), unit_step=pl.lit(1))
    out = []
    for measure, unit, step in cols.unique("measure", maintain_order=True).rows():
        out.append((measure, unit if unit in UNIT_FACTOR else "kr", int(step or 1)))
    return out


def cell_findings(findings: list[Finding], kind: str, docs: list[str]) -> dict[tuple, list]:
    """(scb_code or None for the total row, measure or None for the name) -> findings."""
    out: dict[tuple, list] = {}
    for f in findings:
        if f.table != kind or f.severity == "info" or (f.source_file and f.source_file not in docs):
            continue
        out.setdefault((f.scb_code, f.measure), []).append(f)
    return out


def write_table_sheet(book, fmt: Formats, name: str, docs: list[str], rows: pl.DataFrame,
                      findings: list[Finding]) -> None:
    sheet = book.add_worksheet(name)
    columns = columns_as_printed(rows)
    wide = rows.pivot(on="measure", index=KEYS, values="amount_sek",
                      aggregate_function="first").sort("row_index")
    headers = ["Kod", "Namn (som tryckt)", "SCB-kod"]
    for measure, unit, _ in columns:
        headers += [measure] if unit == "kr" else [f"{measure} ({unit})", f"{measure} (kr)"]
    sheet.write_string(0, 0, name, fmt.title)
    sheet.write_string(1, 0, "As printed in " + " and ".join(docs) + (
        "; identical in each" if len(docs) > 1 else ""), fmt.muted)
    for j, text in enumerate(headers):
        sheet.write_string(HEADER_ROW, j, text, fmt.header)
    marks = cell_findings(findings, rows["table"][0], docs)
    for i, row in enumerate(wide.iter_rows(named=True), start=HEADER_ROW + 1):
        total = row["row_kind"] != "recipient"
        code = None if total else row["scb_code"]
        named = marks.get((code, None))
        for j, key in enumerate(("code", "name_raw", "scb_code")):
            sheet.write_string(i, j, row[key] or "", fmt.get("@", total, worst(named)))
        if named:
            sheet.write_comment(i, 1, comment(named), {"x_scale": 3, "y_scale": 2})
        j = 3
        for measure, unit, step in columns:
            value = row.get(measure)
            found = marks.get((code, measure))
            if unit != "kr":
                printed = None if value is None else value / UNIT_FACTOR[unit]
                write_amount(sheet, i, j, printed, fmt.printed(unit, step, total, found))
                j += 1
            write_amount(sheet, i, j, value, fmt.kronor(total, found))
            if found:
                sheet.write_comment(i, j, comment(found), {"x_scale": 3, "y_scale": 2})
            j += 1
    sheet.set_column(0, 0, 7)
    sheet.set_column(1, 1, 26)
    sheet.set_column(2, 2, 8)
    sheet.set_column(3, len(headers) - 1, 17)
    sheet.set_row(HEADER_ROW, 45)
    sheet.freeze_panes(HEADER_ROW + 1, 2)
    print_setup(sheet, HEADER_ROW, len(headers), f"{name}: {', '.join(docs)}")
    sheet.print_across()
    sheet.repeat_columns(0, 1)


def write_amount(sheet, i: int, j: int, value, style) -> None:
    if value is None:
        sheet.write_blank(i, j, None, style)
    else:
        sheet.write_number(i, j, value, style)


def comment(found: list[Finding]) -> str:
    return "\n".join(f"{f.severity}: {on_page(f.message)}" for f in found)[:2000]


def write_workbook(result: CaseResult, path: Path) -> None:
    """Write the case's workbook: Summary, Findings, each table as printed, stated totals."""
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False,
                                            "strings_to_formulas": False,
                                            "strings_to_urls": False})
    book.set_properties({"title": f"Reconciliation of {result.case.name}"})
    fmt = Formats(book)
    write_summary_sheet(book, fmt, result)
    write_findings_sheet(book, fmt, result)
    for name, docs, rows in sheets_to_write(result.frame):
        write_table_sheet(book, fmt, name, docs, rows, result.findings)
    write_stated_sheet(book, fmt, result)
    book.close()
