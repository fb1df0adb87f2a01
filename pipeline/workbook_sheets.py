"""The workbook's formats, print setup, and its Summary, Findings and Stated totals sheets."""

from __future__ import annotations

from typing import TYPE_CHECKING

from extractors.amounts import UNIT_FACTOR
from model import count_by_severity
from pipeline import tool_version
from pipeline.report_gaps import gap_line, money_gaps
from pipeline.report_words import kr as sv_kr
from pipeline.report_words import on_page, title

if TYPE_CHECKING:
    from model import CaseResult

# [$-41D] is the Swedish locale: LibreOffice shows 1 070 000 (space thousands, decimal comma)
# whatever the machine's locale; Excel shows its own locale's separators.
SV = "[$-41D]"
KRONOR = SV + '#,##0 "kr";-#,##0 "kr";0 "kr"'
COUNT = SV + "#,##0"
PERCENT = SV + '#,##0.0## "%"'
FILL = {"error": "#F8D0D0", "warning": "#FCE8B2"}
FINDING_COLUMNS = [  # (header, width)
    ("severity", 9), ("check", 22), ("check id", 16), ("table", 11), ("SCB code", 9),
    ("recipient", 18), ("column", 24), ("unit", 6), ("expected", 15), ("observed", 15),
    ("difference", 13), ("tolerance", 11), ("document", 28), ("page / table", 8), ("row", 6),
    ("message", 90),
]
TABLE_TITLES = {"region": "Region", "kommun": "Kommun", "lan": "Länsgemensamma medel"}


class Formats:
    """The workbook's cell formats, made once."""

    def __init__(self, book) -> None:
        self.book = book
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.muted = book.add_format({"font_color": "#5A6275"})
        self.header = book.add_format({"bold": True, "text_wrap": True, "valign": "bottom",
                                       "bottom": 1, "bg_color": "#F0F2F5"})
        self.text = book.add_format({})
        self.bold = book.add_format({"bold": True})
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})
        self.top = book.add_format({"valign": "top"})
        self.count = book.add_format({"num_format": COUNT, "valign": "top"})
        self.count_left = book.add_format({"num_format": COUNT, "valign": "top", "align": "left"})
        self.header_right = book.add_format({"bold": True, "text_wrap": True, "valign": "bottom",
                                             "bottom": 1, "bg_color": "#F0F2F5",
                                             "align": "right"})
        self._cache: dict[tuple, object] = {}

    def get(self, num_format: str, bold: bool = False, severity: str | None = None):
        key = (num_format, bold, severity)
        if key not in self._cache:
            props = {"num_format": num_format, "valign": "top", "bold": bold}
            if severity in FILL:
                props.update(bg_color=FILL[severity], border=2,
                             border_color="#C62828" if severity == "error" else "#E09B00")
            self._cache[key] = self.book.add_format(props)
        return self._cache[key]

    def kronor(self, bold: bool = False, found: list | None = None):
        return self.get(KRONOR, bold, worst(found))

    def printed(self, unit: str, step: int, bold: bool = False, found: list | None = None):
        """Mkr or tkr to the decimals the document prints (0,1 Mkr: one decimal)."""
        decimals = max(0, len(str(UNIT_FACTOR[unit] // max(step, 1))) - 1)
        digits = "0" * decimals
        number = "#,##0" + (f".{digits}" if decimals else "")
        return self.get(f'{SV}{number} "{unit}";-{number} "{unit}"', bold, worst(found))

    def unit_value(self, unit: str | None, severity: str | None = None):
        return self.get(KRONOR if unit == "kr" else PERCENT if unit == "%" else COUNT,
                        False, severity)


def worst(found: list | None) -> str | None:
    if not found:
        return None
    return "error" if any(f.severity == "error" for f in found) else "warning"


def print_setup(sheet, header_row: int, width: int, heading: str) -> None:
    """A4, fit to the page's width, header rows repeated, landscape when wide."""
    sheet.set_paper(9)
    if width > 5:
        sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0, header_row)
    sheet.set_header(f"&L{heading.replace('&', '&&')[:200]}&R&P / &N")
    sheet.set_margins(left=0.5, right=0.5, top=0.75, bottom=0.6)


def write_summary_sheet(book, fmt: Formats, result: CaseResult) -> None:
    """Summary: the verdict, counts, the checks run and the diagnosis, first in the book."""
    from pipeline.outputs import case_summary

    summary = case_summary(result)
    sheet = book.add_worksheet("Summary")
    sheet.write_string(0, 0, f"Reconciliation: {result.case.name}", fmt.title)
    rows: list[tuple[str, object]] = [
        ("verdict", summary["status"].upper()),
        ("exit status", summary["exit_status"]),
        ("why", summary["exit_reason"]),
        *((f"{s} findings", n) for s, n in count_by_severity(result.findings).items()),
        ("documents", len(result.extractions)),
        ("amounts read", len(result.frame)),
        ("tool", f"grant-reconcile {tool_version()}"),
    ]
    i = 2
    for label, value in rows:
        sheet.write_string(i, 0, label, fmt.bold)
        if isinstance(value, int):
            sheet.write_number(i, 1, value, fmt.count_left)
        else:
            sheet.write_string(i, 1, str(value), fmt.text)
        i += 1
    i = write_gaps(sheet, fmt, result, i + 1)
    i = write_checks(sheet, fmt, result, i)
    if result.diagnosis:
        sheet.write_string(i, 0, "Diagnosis: the likely root causes", fmt.header)
        for cause in result.diagnosis:
            i += 1
            sheet.write_string(i, 0, cause["cause"], fmt.text)
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 1, 11)
    sheet.set_column(2, 2, 9)
    sheet.set_column(3, len(CHECK_COLUMNS) - 1, 8)
    print_setup(sheet, 0, len(CHECK_COLUMNS), result.case.name)


CHECK_COLUMNS = ("check", "evaluated", "of", "passed", "failed", "noted")


def write_gaps(sheet, fmt: Formats, result: CaseResult, i: int) -> int:
    """Where printed money was not read or not checked, and how much (as the report's
    "Not read or not checked" says); returns the next free row."""
    gaps = money_gaps(result.findings)
    if not gaps:
        return i
    total = sum(g.money for g in gaps)
    sheet.write_string(i, 0, f"Not read or not checked: {sv_kr(total)} as read", fmt.header)
    for gap in gaps:
        i += 1
        sheet.write_string(i, 0, gap_line(gap), fmt.text)
    return i + 2


def write_checks(sheet, fmt: Formats, result: CaseResult, i: int) -> int:
    """The checks run, as the report counts them: what each evaluated (rows, cells, columns,
    statements), passed, failed and noted; "not applicable" when it had nothing to evaluate.
    Returns the next free row."""
    if not result.checks:
        return i
    for j, text in enumerate(CHECK_COLUMNS):
        sheet.write_string(i, j, text, fmt.header if j in (0, 2) else fmt.header_right)
    sheet.set_row(i, 18)
    for c in result.checks:
        i += 1
        sheet.write_string(i, 0, title(c.suite), fmt.text)
        if not c.evaluated:
            sheet.write_string(i, 1, "not applicable: nothing to evaluate", fmt.muted)
            continue
        sheet.write_number(i, 1, c.evaluated, fmt.count)
        sheet.write_string(i, 2, c.unit[:-1] if c.evaluated == 1 and c.unit.endswith("s")
                           else c.unit, fmt.text)
        for j, n in enumerate((c.passed, c.failed, c.noted), start=3):
            sheet.write_number(i, j, n, fmt.count)
    return i + 2


def recipient_names(result: CaseResult) -> dict[tuple, str]:
    frame = result.frame
    if frame.is_empty() or "scb_name" not in frame.columns:
        return {}
    pairs = frame.select(["table", "scb_code", "scb_name"]).drop_nulls().unique().rows()
    return {(t, c): n for t, c, n in pairs}


def write_findings_sheet(book, fmt: Formats, result: CaseResult) -> None:
    """Findings: one typed row each, numbers in their unit, frozen header and a filter."""
    sheet = book.add_worksheet("Findings")
    for j, (header, width) in enumerate(FINDING_COLUMNS):
        sheet.write_string(0, j, header, fmt.header)
        sheet.set_column(j, j, width)
    names = recipient_names(result)
    for i, f in enumerate(result.findings, start=1):
        texts = [f.severity, title(f.check), f.check, TABLE_TITLES.get(f.table, f.table or ""),
                 f.scb_code or "", names.get((f.table, f.scb_code), ""), f.measure or "",
                 f.unit or ""]
        for j, text in enumerate(texts):
            sheet.write_string(i, j, text, fmt.top)
        for j, number in enumerate((f.expected, f.observed, f.difference, f.tolerance), start=8):
            if number is not None:
                style = fmt.unit_value(f.unit, f.severity if j == 10 else None)
                sheet.write_number(i, j, number, style)
        sheet.write_string(i, 12, f.source_file or "", fmt.top)
        for j, number in ((13, f.page), (14, None if f.row is None else f.row + 1)):
            if number is not None:
                sheet.write_number(i, j, number, fmt.count)
        sheet.write_string(i, 15, on_page(f.message), fmt.wrap)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(result.findings), 1), len(FINDING_COLUMNS) - 1)
    print_setup(sheet, 0, len(FINDING_COLUMNS), f"Findings: {result.case.name}")


STATED_COLUMNS = [  # (key, header, width, amount?)
    ("statement", "statement", 70, False), ("source_file", "document", 28, False),
    ("page", "page", 6, False), ("text", "amount as printed", 22, False),
    ("unit", "printed in", 9, False), ("value", "amount in kronor", 18, True),
    ("matched_to", "matched to", 50, False), ("result", "result", 12, False),
]


def write_stated_sheet(book, fmt: Formats, result: CaseResult) -> None:
    """Stated totals: each amount as printed ("703 000" in tkr, "703 miljoner kronor") with
    its printed unit, and beside them the kronor it was read as and what it was matched to."""
    sheet = book.add_worksheet("Stated totals")
    if not result.stated:
        sheet.write_string(0, 0, "No amounts stated in the text of the documents.")
        return
    for j, (_, header, width, _) in enumerate(STATED_COLUMNS):
        sheet.write_string(0, j, header, fmt.header)
        sheet.set_column(j, j, width)
    for i, row in enumerate(result.stated, start=1):
        for j, (key, _, _, amount) in enumerate(STATED_COLUMNS):
            value = row.get(key)
            if value is None:
                continue
            if amount or key == "page":
                sheet.write_number(i, j, value, fmt.kronor() if amount else fmt.count)
            else:
                sheet.write_string(i, j, " ".join(str(value).split())[:32000], fmt.wrap)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, len(result.stated), len(STATED_COLUMNS) - 1)
    print_setup(sheet, 0, len(STATED_COLUMNS), f"Stated totals: {result.case.name}")
