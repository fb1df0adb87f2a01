"""Sections of the report below the findings: column sums, stated totals, glossary, the run."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

import polars as pl

from extractors.amounts import UNIT_FACTOR
from pipeline.report_words import (
    NBSP,
    RESULTS,
    glossary_sentence,
    kr,
    number,
    on_page,
    plural,
    title,
)
from pipeline.run_info import run_info
from pipeline.settings import Settings

if TYPE_CHECKING:
    from model import CaseResult

TABLE_TITLES = {"region": "Region", "kommun": "Kommun", "lan": "Länsgemensamma medel"}
FOOTING_HEADERS = [
    ("source_file", "file", False), ("table", "table", False), ("measure", "column", False),
    ("recipients_sum", "sum of recipients", True), ("riket", "total row as printed", True),
    ("difference", "difference", True), ("bound", "rounding bound", True),
    ("page", "where", False),
]
MAX_STATEMENT_CHARS = 180


def short(text, limit: int = MAX_STATEMENT_CHARS) -> str:
    text = "" if text is None else " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def rows_table(rows: list[dict], headers: list[tuple[str, str, bool]]) -> str:
    """An HTML table of dict rows: amounts formatted the Swedish way, text escaped."""
    head = "".join(f"<th{' class=num' if money else ''}>{escape(name)}</th>"
                   for _, name, money in headers)
    body = "".join(
        "<tr>" + "".join(
            f"<td class=num>{kr(row.get(key))}</td>" if money
            else f"<td>{escape(TABLE_TITLES.get(row.get(key), short(row.get(key))))}</td>"
            for key, _, money in headers
        ) + "</tr>"
        for row in rows
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def footing_groups(rows: list[dict]) -> list[dict]:
    """The footing rows with a table printed alike in several documents (the PDF and DOCX of
    one annex) said once, its documents and pages listed together."""
    groups: dict[tuple, dict] = {}
    for row in rows:
        key = tuple(row.get(k) for k in ("table", "measure", "recipients_sum", "riket",
                                          "difference", "bound"))
        group = groups.setdefault(key, {**row, "source_file": [], "page": []})
        group["source_file"].append(row.get("source_file") or "")
        group["page"].append(place_word(row.get("source_file"), row.get("page")))
    return [{**g, "source_file": "; ".join(g["source_file"]),
             "page": "; ".join(p for p in g["page"] if p)} for g in groups.values()]


# Documents whose "page" is the number of a table, not of a page (the contract's page field).
TABLE_NUMBERED = (".docx", ".html", ".htm", ".md")


def table_numbered(source_file: str | None) -> bool:
    """Whether a document's "page" is a table number (DOCX, HTML, Markdown)."""
    return (source_file or "").lower().endswith(TABLE_NUMBERED)


def place_word(source_file: str | None, page: int | None) -> str:
    """'page 5' in a PDF, 'table 2' in a DOCX or web page (whose 'page' is a table number)."""
    if page is None:
        return ""
    return f"{'table' if table_numbered(source_file) else 'page'} {page}"


def footing_section(result: CaseResult) -> str:
    footing = result.footing
    heading = "<h2>Column sums against the total row</h2>"
    if footing is None or footing.is_empty():
        return heading + "<p class=muted>No allocation table was read.</p>"
    return (
        f"{heading}<p class=muted>Each column's recipient amounts added up, against the value "
        "its table prints in the total row (Riket, Totalt or Summa); within the bound, a "
        "difference is rounding. A table printed alike in several documents is one row.</p>"
        + rows_table(footing_groups(footing.to_dicts()), FOOTING_HEADERS)
    )


def statement_place(row: dict) -> str:
    name = row.get("source_file") or ""
    return f"{name}, page {row['page']}" if row.get("page") else name


def grouped_statements(stated: list[dict]) -> list[dict]:
    """Each distinct sentence once, with the documents that print it and each of its amounts
    once (an agreement printed as PDF and DOCX says the same sentence twice)."""
    groups: dict[str, dict] = {}
    for row in stated:
        text = " ".join(str(row.get("statement") or "").split())
        group = groups.setdefault(text, {"statement": text, "places": [], "amounts": {}})
        place = statement_place(row)
        if place and place not in group["places"]:
            group["places"].append(place)
        key = (row.get("value"), row.get("unit"), row.get("matched_to"), row.get("result"))
        group["amounts"].setdefault(key, row)
    return list(groups.values())


def amount_line(row: dict) -> str:
    result = str(row.get("result") or "")
    unit = f" (printed in {escape(str(row['unit']))})" if row.get("unit") not in (None, "kr") \
        else ""
    matched = (f": {escape(on_page(short(row.get('matched_to'), 160)))}"
               if row.get("matched_to") else "")
    word = escape(RESULTS.get(result, result))
    word = f"<b>{word}</b>" if result == "contradicts" else word
    return f"{kr(row.get('value'))}{unit} — {word}{matched}"


def stated_section(result: CaseResult) -> str:
    heading = "<h2>Totals stated in the text</h2>"
    if not result.stated:
        return heading + "<p class=muted>No amounts in running text.</p>"
    groups = grouped_statements(result.stated)
    rows = "".join(
        f"<tr><td>{escape(short(g['statement']))}</td>"
        f"<td>{escape('; '.join(g['places']))}</td>"
        f"<td>{'<br>'.join(amount_line(r) for r in g['amounts'].values())}</td></tr>"
        for g in groups
    )
    return (
        f"{heading}<p class=muted>Every amount written in the decision, agreement or pages, "
        f"and what it was matched to: {plural(len(groups), 'distinct statement')}, each "
        "shown once with the documents that print it.</p><table class=stated><tr><th>statement</th>"
        f"<th>where</th><th>amounts and what they were matched to</th></tr>{rows}</table>"
    )


def in_printed_unit(kronor: float, unit: str | None) -> str:
    """An amount in the unit its column is printed in ("0,05 Mkr"), kronor when that is kr."""
    factor = UNIT_FACTOR.get(unit or "kr", 1)
    return kr(kronor) if factor == 1 else f"{number(kronor / factor)}{NBSP}{unit}"


def rounding_sentence(frame: pl.DataFrame) -> str:
    """How the case's printed amounts are rounded, from the steps they are printed to, each
    said in its printed unit ("to 0,1 Mkr: 0,05 Mkr per rounded amount"); '' when no table
    amount was read."""
    if frame.is_empty() or "unit_step" not in frame.columns:
        return ""
    steps = (frame.select(["unit", "unit_step"]).drop_nulls("unit_step").unique()
             .sort("unit_step", "unit").rows())
    parts = []
    for unit, step in steps:
        if step <= 1:
            parts.append("amounts printed in kronor are rounded to whole kronor: the bound is "
                         "half a krona per rounded amount")
            continue
        shown = unit if UNIT_FACTOR.get(unit or "") else "kr"
        half = in_printed_unit(step / 2, shown)
        parts.append(f"amounts printed in {shown} are rounded to their last printed digit "
                     f"({in_printed_unit(step, shown)}): the bound is {half}"
                     f"{f' ({kr(step / 2)})' if shown != 'kr' else ''} per rounded amount")
    text = "; ".join(dict.fromkeys(parts))
    if not text:
        return ""
    return text[0].upper() + text[1:] + ", plus the total's own half step."


def glossary_section(checks: list[str]) -> str:
    """One line per check named in the report: its title and what it verifies."""
    items = "".join(
        f"<li><b>{escape(title(c))}</b> (<code>{escape(c)}</code>): "
        f"{escape(glossary_sentence(c) or 'see the findings.')}</li>" for c in sorted(set(checks))
    )
    return f"<h2>Glossary of checks</h2><ul>{items}</ul>" if items else ""


def run_section(result: CaseResult, settings: Settings) -> str:
    """The audit trail: tool version, time, settings and SHA-256 of every input file."""
    info = run_info(result.case, settings)
    inputs = "".join(
        f"<tr><td>{escape(name)}</td><td class=hash>{escape(digest or 'not a regular file')}"
        "</td></tr>" for name, digest in info["inputs"]
    )
    chosen = ", ".join(f"{escape(k)} = {escape(v)}" for k, v in info["settings"])
    return (
        "<h2>Run</h2><table class=run>"
        f"<tr><td>tool</td><td>{escape(info['tool'])} (Python {escape(info['python'])})</td></tr>"
        f"<tr><td>time</td><td>{escape(info['time'])}</td></tr>"
        f"<tr><td>case folder</td><td>{escape(info['case_folder'])}</td></tr>"
        f"<tr><td>settings</td><td>{chosen}</td></tr></table>"
        f"<h3>Inputs ({number(len(info['inputs']))}), SHA-256</h3><table class=run>"
        f"<tr><th>file</th><th>SHA-256</th></tr>{inputs}</table>"
    )
