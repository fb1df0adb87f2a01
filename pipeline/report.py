"""report.html: one self-contained page telling an auditor the verdict and the evidence."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from model import Finding, count_by_severity
from pipeline.evidence import finding_evidence
from pipeline.evidence_pages import PdfPages
from pipeline.report_diagnosis import diagnosis_section
from pipeline.report_gaps import GAP_CHECKS, gaps_section
from pipeline.report_sections import (
    footing_section,
    glossary_section,
    place_word,
    rounding_sentence,
    run_section,
    stated_section,
    table_numbered,
)
from pipeline.report_words import (
    glossary,
    glossary_sentence,
    metadata_label,
    number,
    on_page,
    plural,
    title,
    with_unit,
)
from pipeline.settings import Settings
from pipeline.tally import unaccounted_by_document

if TYPE_CHECKING:
    from model import CaseResult

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
figure{margin:6px 0}figcaption{color:#5a6275;font-size:12px}
.gaps{background:#fff8ea}p.gaps{padding:8px 12px;border-left:5px solid #e09b00;
border-radius:6px}table.gaps th{background:#fdeccb}
.run td{font-size:12px}.run td:first-child{white-space:nowrap}.hash{font-family:monospace;
word-break:break-all}
@media print{body{background:#fff;font-size:11pt}main{max-width:none;padding:0;min-height:0}
h2{break-after:avoid}.finding,.cause,figure,tr{break-inside:avoid}
details:not([open])>:not(summary){display:none}summary{list-style:none}
table{font-size:9pt}th,td{padding:2px 4px}.stats{grid-template-columns:repeat(7,1fr)}
.stat{padding:3px 6px}.stat b{font-size:13pt}h2{margin:14px 0 4px}
table.stated{font-size:8pt}.stated td:first-child{width:46%}.stated td:nth-child(2){width:20%}
.run td{font-size:7pt}
a{color:inherit;text-decoration:none}@page{size:A4;margin:14mm 12mm}}
"""


# Checks whose expected and observed values are kronor; the others count rows or cells.
AMOUNT_CHECKS = {
    "cross_footing", "footing", "allocation_key", "formats_agree", "stated_total", "stated_rate",
    "amounts", "share_of_total",
}
PERCENT_CHECKS = {"shares"}
UNTIED_PREFIX = "No allocation key found"  # expectations/messages.py untied_column
# Findings counted by a check line of another name (unread blocks fail the reading check).
FINDING_CHECK = {"unread_table": "reading", "unaccounted_amounts": "reading",
                 "unread_picture": "reading"}
DETAILED_PER_CHECK = 12  # errors shown with their evidence; the rest of a check in a table


def muted(text: str) -> str:
    """A grey paragraph of text, or nothing for no text."""
    return f"<p class=muted>{escape(text)}</p>" if text else ""


def cell(value) -> str:
    return "" if value is None else escape(str(value))


def place(source_file: str | None, page: int | None, row: int | None = None) -> str | None:
    """Where in a document: 'page 5' for a PDF, 'table 2, row 9' for a DOCX or web page, whose
    'page' is its table number; rows count from 1 under the header."""
    if not source_file:
        return None
    tables = table_numbered(source_file)
    bits = [place_word(source_file, page) if page else None,
            f"row {row + 1}" if row is not None and (tables or page) else None]
    return ", ".join([source_file, *[b for b in bits if b]])


def where(f: Finding) -> str:
    parts = [
        f"table {TABLE_TITLES.get(f.table, f.table)}" if f.table else None,
        f"code {f.scb_code}" if f.scb_code else None,
        f"column “{f.measure}”" if f.measure else None,
        place(f.source_file, f.page, f.row),
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
    pages = sum(e.pages for e in result.extractions)
    items = [
        (len(result.extractions), "document", "documents"),
        *([(pages, "page", "pages")] if pages else []),  # web pages and DOCX have none
        (tables, "table read", "tables read"),
        (frame.select(["source_file", "table_index", "row_index"]).unique().height
         if len(frame) else 0, "row", "rows"),
        (len(frame), "amount", "amounts"),
        *_control_total(result),
        (len(result.stated), "stated amount", "stated amounts"),
        (len(applicable) + len(other), "check run", "checks run"),
        (len(applicable) + len(other) - failed, "passed", "passed"),
        (failed, "failed", "failed"),
        (len(result.checks) - len(applicable), "not applicable", "not applicable"),
        (counts["error"], "error", "errors"),
        (counts["warning"], "warning", "warnings"),
        (counts["info"], "rounding / info note", "rounding / info notes"),
    ]
    return '<div class="stats">' + "".join(
        f'<div class="stat"><b>{number(n)}</b>{escape(one if n == 1 else many)}</div>'
        for n, one, many in items
    ) + "</div>"


def _control_total(result: CaseResult) -> list[tuple[int, str, str]]:
    """The control total as a stat: of the numbers the documents print as money, how many
    a reader accounted for (a table cell, an attribute, a statement, or a finding of its own)."""
    printed = sum(len(e.tally) for e in result.extractions)
    if not printed:
        return []
    left = sum(unaccounted_by_document(result.findings).values())
    label = f"of {number(printed)} printed as money accounted for"
    return [(printed - left, label, label)]


def value(f: Finding, amount) -> str:
    """A finding's number in its unit (the finding's own, else the check's usual one)."""
    unit = f.unit or ("kr" if f.check in AMOUNT_CHECKS else
                      "%" if f.check in PERCENT_CHECKS else None)
    return escape(with_unit(amount, unit))


def finding_block(result: CaseResult, f: Finding, settings: Settings,
                  pages: PdfPages | None = None) -> str:
    numbers = ""
    if f.check in GAP_CHECKS:  # printed money not read or checked: how much, no comparison
        if f.observed is not None and f.unit in ("kr", "count"):  # not a picture's share
            what = ("numbers printed as money, not read" if f.unit == "count" else
                    "money not read or checked")
            numbers = f'<p class="where">{what}: {value(f, f.observed)}</p>'
    elif f.expected is not None or f.observed is not None:
        numbers = (
            "<table><tr><th class=num>expected</th><th class=num>found</th>"
            "<th class=num>difference</th><th class=num>rounding bound</th></tr>"
            f"<tr><td class=num>{value(f, f.expected)}</td>"
            f"<td class=num>{value(f, f.observed)}</td>"
            f"<td class=num>{value(f, f.difference)}</td><td class=num>{value(f, f.tolerance)}</td>"
            "</tr></table>"
        )
    image = ""
    if settings.evidence_images and f.severity != "info":  # every error and warning shown
        image = finding_evidence(result, f, settings.evidence_dpi, pages)
    return (
        f'<div class="finding {f.severity}"><p><b>{escape(title(f.check))}</b> — '
        f'{escape(on_page(f.message))}</p><p class="where">{where(f)}</p>{numbers}{image}</div>'
    )


def grouped_findings(result: CaseResult, findings: list[Finding], settings: Settings,
                     pages: PdfPages | None = None) -> str:
    """Findings by check: the first few with their evidence, the rest of each check as a table;
    checks that find the documents disagreeing first, then money not read or checked (which the
    report's top sums up). `pages`: the report's pages of the case's PDFs, for the pictures."""
    html = []
    checks = sorted({f.check for f in findings}, key=lambda c: (c in GAP_CHECKS, c))
    for check in checks:
        group = [f for f in findings if f.check == check]
        html.append(f"<h3>{escape(title(check))} ({number(len(group))})</h3>")
        html.append(muted(glossary_sentence(check)))
        html += [finding_block(result, f, settings, pages) for f in group[:DETAILED_PER_CHECK]]
        if len(group) > DETAILED_PER_CHECK:
            rest = group[DETAILED_PER_CHECK:]
            html.append(f"<details><summary>{plural(len(rest), 'more finding')} of this check"
                        f"</summary>{findings_table(rest)}</details>")
    return "".join(html)


def findings_table(findings: list[Finding]) -> str:
    rows = "".join(
        f"<tr><td>{escape(title(f.check))}</td><td>{where(f)}</td>"
        f"<td>{escape(on_page(f.message))}</td>"
        f"<td class=num>{value(f, f.difference) if f.difference is not None else ''}</td>"
        f"<td class=num>{value(f, f.tolerance) if f.tolerance is not None else ''}</td></tr>"
        for f in findings
    )
    return (
        "<table><tr><th>check</th><th>where</th><th>what</th><th class=num>difference</th>"
        f"<th class=num>bound</th></tr>{rows}</table>"
    )


def metadata_text(metadata: dict) -> str:
    return "; ".join(f"{metadata_label(k)}: {v}" for k, v in sorted(metadata.items()))


def verifies(check) -> str:
    """What a check verifies: its glossary line, else the suite's own description."""
    line = glossary(check.suite)
    return line[0].upper() + line[1:] + "." if line else check.description


def documents_section(result: CaseResult) -> str:
    rows = "".join(
        f"<tr><td>{escape(e.source_file)}</td><td>{escape(e.source_format)}</td>"
        f"<td class=num>{e.pages if e.pages or e.source_format == 'pdf' else '–'}</td>"
        f"<td class=num>{len(e.allocations)}</td>"
        f"<td>{escape(metadata_text(e.metadata))}</td></tr>"
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
            counts = (f"<td class=num>{number(c.evaluated)} {escape(unit)}</td><td class=num>"
                      f"{number(c.passed)}</td><td class=num>{number(c.failed)}</td>"
                      f"<td class=num>{number(c.noted)}</td>")
        else:
            counts = "<td class=na colspan=4>not applicable: nothing to evaluate</td>"
        rows.append(f"<tr><td><b>{escape(title(c.suite))}</b></td><td>{escape(verifies(c))}</td>"
                    f"{counts}</tr>")
    return (
        f"<h2>Checks run</h2>{muted(rounding_sentence(result.frame))}"
        "<table><tr><th>check</th><th>what it verifies</th>"
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
        f"<td>{escape(k.description)}</td><td>{escape(_key_files(k))}</td>"
        f"<td class=num>{len(k.rows)}</td>"
        f"<td class=num>{sum(r.broken for r in k.rows)}</td></tr>"
        for k in found
    )
    return ("<h3>Allocation keys tested</h3><table><tr><th>column</th><th>against</th>"
            "<th>key</th><th>printed in</th><th class=num>rows</th><th class=num>broken</th></tr>"
            f"{rows}</table>{loose}")


def _key_files(key) -> str:
    """The document(s) whose columns a key ties: a key is tested in each document."""
    files = [key.dependent.source_file]
    if key.independent and key.independent.source_file not in files:
        files.append(key.independent.source_file)
    return " and ".join(files)


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
    with PdfPages(result.case.path) as pages:  # each page a picture shows read once
        return _render_report(result, settings, data_docs, pages)


def _render_report(result: CaseResult, settings: Settings, data_docs: bool,
                   pages: PdfPages) -> str:
    kind, text = verdict(result)
    errors = [f for f in result.findings if f.severity == "error"]
    warnings = [f for f in result.findings if f.severity == "warning"]
    infos = [f for f in result.findings if f.severity == "info"]
    parts = [
        f"<h1>Reconciliation: {escape(result.case.name)}</h1>",
        f'<div class="verdict {kind}">{escape(text)}</div>', gaps_section(result),
        stats(result), diagnosis_section(result, settings, pages),
        "<h2>Errors</h2>" + (grouped_findings(result, errors, settings, pages)
                             or "<p>No errors: every amount agrees within rounding.</p>"),
    ]
    if warnings:
        parts.append("<h2>Warnings</h2>" + grouped_findings(result, warnings, settings, pages))
    parts += [footing_section(result), stated_section(result)]
    if infos:
        parts.append(
            f"<h2>Rounding and other notes</h2>{muted(rounding_sentence(result.frame))}"
            "<details><summary>"
            f"{plural(len(infos), 'note')}: differences within the rounding bound, matches "
            f"and statements for information</summary>{findings_table(infos)}</details>"
        )
    parts += [
        unresolved_section(result.frame), checks_section(result, data_docs),
        glossary_section([f.check for f in result.findings] + [c.suite for c in result.checks]),
        documents_section(result), run_section(result, settings),
    ]
    return (
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8>"
        f"<title>Reconciliation: {escape(result.case.name)}</title><style>{STYLE}</style></head>"
        f"<body><main>{''.join(parts)}</main></body></html>\n"
    )


def write_report(result: CaseResult, path: Path, settings: Settings) -> None:
    data_docs = (path.parent / "data_docs" / "index.html").is_file()
    path.write_text(render_report(result, settings, data_docs), encoding="utf-8")
