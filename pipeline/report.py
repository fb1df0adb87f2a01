"""report.html: one self-contained page telling an auditor the verdict and the evidence."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from pipeline.evidence import finding_rows, row_image
from pipeline.findings import Finding, count_by_severity
from pipeline.report_diagnosis import diagnosis_section
from pipeline.settings import Settings

if TYPE_CHECKING:
    from pipeline.orchestrate import CaseResult

NBSP = "\u00a0"
TABLE_TITLES = {"region": "Region", "kommun": "Kommun", "lan": "Länsgemensamma medel"}
STYLE = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d2433;
background:#f4f5f7}
main{max-width:1100px;margin:0 auto;padding:24px 32px 64px;background:#fff;min-height:100vh}
h1{font-size:24px;margin:0 0 4px}
h2{font-size:19px;margin:32px 0 8px;border-bottom:2px solid #e3e6ea;
padding-bottom:4px}h3{font-size:16px;margin:20px 0 6px}
.verdict{display:inline-block;padding:6px 14px;border-radius:6px;font-weight:700;font-size:18px;
margin:12px 0}
.pass{background:#e3f4e8;color:#17632e}.fail{background:#fde7e7;color:#a11b1b}
.incomplete{background:#fff1d6;color:#8a5300}.empty{background:#eceef1;color:#4a5160}
.na{color:#8a909c}
.stats{display:grid;grid-template-columns:repeat(auto-fill,minmax(140px,1fr));gap:8px;margin:12px 0}
.stat{background:#f6f7f9;border-radius:6px;padding:8px 12px}.stat b{display:block;font-size:20px}
table{border-collapse:collapse;width:100%;margin:6px 0 12px;font-size:14px}
th,td{padding:4px 8px;border-bottom:1px solid #e3e6ea;text-align:left;vertical-align:top}
th{background:#f6f7f9}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;
white-space:nowrap}
.finding{border:1px solid #f0c4c4;border-left:5px solid #c62828;border-radius:6px;padding:10px 14px;
margin:12px 0}.finding.warning{border-color:#f3dfb5;border-left-color:#e09b00}
.finding p{margin:4px 0}.finding img{max-width:100%;border:1px solid #ccc;margin-top:6px}
.where{color:#5a6275;font-size:13px}.muted{color:#5a6275}
details{margin:8px 0}summary{cursor:pointer;font-weight:600}
code{background:#f1f2f4;padding:1px 4px;border-radius:3px}
"""


# Checks whose expected and observed values are kronor; the others count rows or cells.
AMOUNT_CHECKS = {
    "cross_footing", "footing", "allocation_key", "formats_agree", "stated_total", "amounts",
    "share_of_total",
}
PERCENT_CHECKS = {"shares"}
UNTIED_PREFIX = "No allocation key found"  # expectations/messages.py untied_column
# Findings counted by a check line of another name (unread blocks fail the reading check).
FINDING_CHECK = {"unread_table": "reading"}
DETAILED_PER_CHECK = 12  # errors shown with their evidence; the rest of a check in a table


def kr(value) -> str:
    """An amount the Swedish way: 129 530 375 kr (no-break spaces)."""
    if value is None:
        return "–"
    number = round(float(value), 2)
    if number == int(number):
        text = f"{int(number):,}".replace(",", NBSP)
    else:
        text = f"{number:,.2f}".replace(",", NBSP).replace(".", ",")
    return f"{text}{NBSP}kr".replace("-", "−")


def cell(value) -> str:
    return "" if value is None else escape(str(value))


def where(f: Finding) -> str:
    parts = [
        f"table {TABLE_TITLES.get(f.table, f.table)}" if f.table else None,
        f"code {f.scb_code}" if f.scb_code else None,
        f"column “{f.measure}”" if f.measure else None,
        f.source_file,
        f"page {f.page}" if f.page else None,
    ]
    return " · ".join(escape(p) for p in parts if p)


def verdict(result: CaseResult) -> tuple[str, str]:
    """The banner's class (the status) and text: the same status and reason as summary.json."""
    v = result.verdict
    return v.status, v.headline


def stats(result: CaseResult) -> str:
    """The numbers behind the verdict. Checks count only when they evaluated something; an
    error from a check outside the suites (names, reading) counts as a failed check."""
    frame = result.frame
    counted = {c.suite for c in result.checks}
    other = {f.check for f in result.findings if f.severity == "error"
             and FINDING_CHECK.get(f.check, f.check) not in counted}
    applicable = [c for c in result.checks if c.evaluated > 0]
    failed = sum(c.failed > 0 for c in applicable) + len(other)
    counts = count_by_severity(result.findings)
    tables = frame.select(["source_file", "table_index"]).unique().height if len(frame) else 0
    items = [
        ("documents", len(result.extractions)),
        ("pages", sum(e.pages for e in result.extractions)),
        ("tables read", tables),
        ("rows", frame.select(["source_file", "table_index", "row_index"]).unique().height
         if len(frame) else 0),
        ("amounts", len(frame)),
        ("stated amounts", len(result.stated)),
        ("checks run", len(applicable) + len(other)),
        ("passed", len(applicable) + len(other) - failed),
        ("failed", failed),
        ("not applicable", len(result.checks) - len(applicable)),
        ("errors", counts["error"]),
        ("warnings", counts["warning"]),
        ("rounding / info", counts["info"]),
    ]
    return '<div class="stats">' + "".join(
        f'<div class="stat"><b>{v}</b>{escape(k)}</div>' for k, v in items
    ) + "</div>"


def value(f: Finding, number) -> str:
    """A finding's number: kronor for amount checks, a plain count otherwise."""
    if number is None:
        return "–"
    if f.check in AMOUNT_CHECKS:
        return kr(number)
    if f.check in PERCENT_CHECKS:
        return f"{round(float(number), 3):g}{NBSP}%".replace(".", ",")
    return escape(str(number))


def finding_block(result: CaseResult, f: Finding, settings: Settings) -> str:
    numbers = ""
    if f.expected is not None or f.observed is not None:
        numbers = (
            "<table><tr><th class=num>expected</th><th class=num>found</th>"
            "<th class=num>difference</th><th class=num>rounding bound</th></tr>"
            f"<tr><td class=num>{value(f, f.expected)}</td>"
            f"<td class=num>{value(f, f.observed)}</td>"
            f"<td class=num>{value(f, f.difference)}</td><td class=num>{value(f, f.tolerance)}</td>"
            "</tr></table>"
        )
    image = ""
    if settings.evidence_images and f.severity == "error":
        uri = row_image(result.case.path, finding_rows(result.frame, f), f, settings.evidence_dpi)
        if uri:
            image = f'<img alt="the printed row this finding concerns" src="{uri}">'
    return (
        f'<div class="finding {f.severity}"><p><b>{escape(f.check)}</b> — {escape(f.message)}</p>'
        f'<p class="where">{where(f)}</p>{numbers}{image}</div>'
    )


def grouped_findings(result: CaseResult, findings: list[Finding], settings: Settings) -> str:
    """Findings by check: the first few with their evidence, the rest of each check as a table."""
    html = []
    checks = sorted({f.check for f in findings})
    for check in checks:
        group = [f for f in findings if f.check == check]
        html.append(f"<h3>{escape(check)}: {len(group)}</h3>")
        html += [finding_block(result, f, settings) for f in group[:DETAILED_PER_CHECK]]
        if len(group) > DETAILED_PER_CHECK:
            rest = group[DETAILED_PER_CHECK:]
            html.append(f"<details><summary>{len(rest)} more {escape(check)} findings</summary>"
                        f"{findings_table(rest)}</details>")
    return "".join(html)


def findings_table(findings: list[Finding]) -> str:
    rows = "".join(
        f"<tr><td>{escape(f.check)}</td><td>{where(f)}</td><td>{escape(f.message)}</td>"
        f"<td class=num>{value(f, f.difference) if f.difference is not None else ''}</td>"
        f"<td class=num>{value(f, f.tolerance) if f.tolerance is not None else ''}</td></tr>"
        for f in findings
    )
    return (
        "<table><tr><th>check</th><th>where</th><th>what</th><th class=num>difference</th>"
        f"<th class=num>bound</th></tr>{rows}</table>"
    )


def documents_section(result: CaseResult) -> str:
    rows = "".join(
        f"<tr><td>{escape(e.source_file)}</td><td>{escape(e.source_format)}</td>"
        f"<td class=num>{e.pages}</td><td class=num>{len(e.allocations)}</td>"
        f"<td>{escape('; '.join(f'{k}: {v}' for k, v in sorted(e.metadata.items())))}</td></tr>"
        for e in result.extractions
    )
    html = (
        "<h2>Documents read</h2><table><tr><th>file</th><th>format</th><th class=num>pages</th>"
        f"<th class=num>amounts</th><th>decision metadata</th></tr>{rows}</table>"
    )
    if result.read_errors:
        html += "<h3>Could not be read</h3><ul>" + "".join(
            f"<li>{escape(e)}</li>" for e in result.read_errors) + "</ul>"
    if result.case.unrecognised:
        html += "<h3>Files not read (not a supported format)</h3><ul>" + "".join(
            f"<li>{escape(n)}</li>" for n in result.case.unrecognised) + "</ul>"
    return html


FOOTING_HEADERS = [
    ("source_file", "file", False), ("table", "table", False), ("measure", "column", False),
    ("recipients_sum", "sum of recipients", True), ("riket", "Riket as printed", True),
    ("difference", "difference", True), ("bound", "rounding bound", True), ("page", "page", False),
]
STATED_HEADERS = [
    ("statement", "statement", False), ("source_file", "file", False), ("page", "page", False),
    ("value", "amount", True), ("unit", "printed in", False), ("matched_to", "matched to", False),
    ("result", "result", False),
]
MAX_STATEMENT_CHARS = 220


def short(text, limit: int = MAX_STATEMENT_CHARS) -> str:
    text = "" if text is None else " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def rows_table(rows: list[dict], headers: list[tuple[str, str, bool]]) -> str:
    """An HTML table of dict rows: amounts formatted the Swedish way, text escaped."""
    head = "".join(f"<th{' class=num' if money else ''}>{escape(title)}</th>"
                   for _, title, money in headers)
    body = "".join(
        "<tr>" + "".join(
            f"<td class=num>{kr(row.get(key))}</td>" if money
            else f"<td>{escape(TABLE_TITLES.get(row.get(key), short(row.get(key))))}</td>"
            for key, _, money in headers
        ) + "</tr>"
        for row in rows
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def footing_section(result: CaseResult) -> str:
    footing = result.footing
    title = "<h2>Column sums against Riket</h2>"
    if footing is None or footing.is_empty():
        return title + "<p class=muted>No allocation table was read.</p>"
    return (
        f"{title}<p class=muted>Each column's recipient amounts added up, against the printed "
        "Riket value; within the bound, a difference is rounding.</p>"
        + rows_table(footing.to_dicts(), FOOTING_HEADERS)
    )


def stated_section(result: CaseResult) -> str:
    title = "<h2>Totals stated in the text</h2>"
    if not result.stated:
        return title + "<p class=muted>No amounts in running text.</p>"
    return (
        f"{title}<p class=muted>Every amount written in the decision, agreement or pages, "
        "and what it was matched to.</p>" + rows_table(result.stated, STATED_HEADERS)
    )


def checks_section(result: CaseResult, data_docs: bool = False) -> str:
    """Per check: what it verifies and what it evaluated (rows, cells, columns, statements),
    passed, failed and noted; a check with nothing to evaluate is "not applicable"."""
    if not result.checks:
        return ""
    docs = (
        "<p>The great-expectations validation results of these checks, row by row: "
        '<a href="data_docs/index.html">data_docs/index.html</a> (works offline).</p>'
        if data_docs else ""
    )
    rows = []
    for c in result.checks:
        if c.evaluated:
            unit = c.unit[:-1] if c.evaluated == 1 and c.unit.endswith("s") else c.unit
            counts = (f"<td class=num>{c.evaluated} {escape(unit)}</td><td class=num>"
                      f"{c.passed}</td><td class=num>{c.failed}</td><td class=num>{c.noted}</td>")
        else:
            counts = "<td class=na colspan=4>not applicable: nothing to evaluate</td>"
        rows.append(f"<tr><td><b>{escape(c.suite)}</b></td><td>{escape(c.description)}</td>"
                    f"{counts}</tr>")
    return (
        "<h2>Checks run</h2><table><tr><th>check</th><th>what it verifies</th>"
        "<th class=num>evaluated</th><th class=num>passed</th><th class=num>failed</th>"
        f"<th class=num>noted</th></tr>{''.join(rows)}</table>{keys_section(result)}{docs}"
    )


def keys_section(result: CaseResult) -> str:
    """Which allocation keys were tested on which columns, and which columns no key ties."""
    found = result.found_keys
    untied = [f for f in result.findings if f.check == "allocation_key" and f.severity == "info"
              and f.scb_code is None and f.message.startswith(UNTIED_PREFIX)]
    loose = ("<p class=muted>Not applicable (no key ties these columns; only their sums check "
             "them): " + "; ".join(
                 escape(f"{TABLE_TITLES.get(f.table, f.table)} {f.measure} ({f.source_file})")
                 for f in untied) + ".</p>") if untied else ""
    if not found:
        return ("<p class=muted>Allocation keys: not applicable (no two amount columns over "
                f"the same recipients hold a key).</p>{loose}")
    rows = "".join(
        f"<tr><td>{escape(k.dependent.text())}</td><td>"
        f"{escape(k.independent.text()) if k.independent else 'fixed amounts'}</td>"
        f"<td>{escape(k.description)}</td><td class=num>{len(k.rows)}</td>"
        f"<td class=num>{sum(r.broken for r in k.rows)}</td></tr>"
        for k in found
    )
    return ("<h3>Allocation keys tested</h3><table><tr><th>column</th><th>against</th>"
            "<th>key</th><th class=num>rows</th><th class=num>broken</th></tr>"
            f"{rows}</table>{loose}")


def unresolved_section(frame: pl.DataFrame) -> str:
    if frame.is_empty() or "scb_code" not in frame.columns:
        return ""
    missing = frame.filter((pl.col("row_kind") == "recipient") & pl.col("scb_code").is_null())
    names = missing.select(["table", "code", "name_raw"]).unique(maintain_order=True)
    if names.is_empty():
        return "<h2>Names</h2><p>Every recipient name was mapped to its SCB code.</p>"
    items = "".join(f"<li>{cell(t)}: {cell(c)} {cell(n)}</li>" for t, c, n in names.iter_rows())
    return f"<h2>Unresolved names</h2><ul>{items}</ul>"


def render_report(result: CaseResult, settings: Settings, data_docs: bool = False) -> str:
    """The whole report as one HTML string with no external references."""
    kind, text = verdict(result)
    errors = [f for f in result.findings if f.severity == "error"]
    warnings = [f for f in result.findings if f.severity == "warning"]
    infos = [f for f in result.findings if f.severity == "info"]
    parts = [
        f"<h1>Reconciliation: {escape(result.case.name)}</h1>",
        f'<div class="verdict {kind}">{escape(text)}</div>', stats(result),
        diagnosis_section(result, settings),
        "<h2>Errors</h2>" + (grouped_findings(result, errors, settings)
                             or "<p>No errors: every amount agrees within rounding.</p>"),
    ]
    if warnings:
        parts.append("<h2>Warnings</h2>" + grouped_findings(result, warnings, settings))
    parts += [footing_section(result), stated_section(result)]
    if infos:
        parts.append(
            f"<h2>Rounding and other notes</h2><details><summary>{len(infos)} notes: differences "
            "within the rounding bound (each printed amount is rounded to whole kronor), matches "
            f"and statements for information</summary>{findings_table(infos)}</details>"
        )
    parts += [
        unresolved_section(result.frame), checks_section(result, data_docs),
        documents_section(result),
    ]
    return (
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8>"
        f"<title>Reconciliation: {escape(result.case.name)}</title><style>{STYLE}</style></head>"
        f"<body><main>{''.join(parts)}</main></body></html>\n"
    )


def write_report(result: CaseResult, path: Path, settings: Settings) -> None:
    data_docs = (path.parent / "data_docs" / "index.html").is_file()
    path.write_text(render_report(result, settings, data_docs), encoding="utf-8")
