"""The report's opening section: each root cause of the errors in one sentence, with its row
cut out of the PDF, and the findings it explains folded under it. The same discrepancy found
in the PDF and in the DOCX is one line there, with both documents as its evidence."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from model import Finding
from pipeline.evidence import finding_evidence
from pipeline.evidence_pages import PdfPages
from pipeline.report_words import on_page, plural, title, with_unit
from pipeline.settings import Settings

if TYPE_CHECKING:
    from model import CaseResult

MAX_PICTURES = 10  # causes shown with their printed row cut out of the PDF
KIND_TITLES = {
    "wrong_cell": "Wrong cell", "swap": "Swapped cells", "transposition": "Transposed digits",
    "stale_total": "Stale total", "wrong_rate": "Wrong rate in the text",
    "missing_row": "Missing row", "duplicated_row": "Row printed twice", "wrong_name": "Wrong name",
    "too_many_errors": "Too many errors", "not_localised": "Not localised"}  # fmt: skip
STYLE = (".cause{border-left:5px solid #6a1b9a;background:#faf6fc;border-radius:6px;"
         "padding:8px 14px;margin:10px 0}.cause p{margin:4px 0}.cause img{max-width:100%;"
         "border:1px solid #ccc;margin-top:6px}")


def cell_probe(cell: dict) -> Finding:
    """A finding standing for one cell of a cause, for the evidence module: a missing row is
    shown by the row after which it belongs, a statement by the line that states it."""
    return Finding(check="coverage" if cell["printed"] is None else "diagnosis",
                   severity="error", message="", table=cell["table"],
                   scb_code=cell["scb_code"], measure=cell["measure"],
                   source_file=cell["source_file"], page=cell["page"],
                   observed=cell["printed"])


def cause_picture(result: CaseResult, cause: dict, settings: Settings,
                  pages: PdfPages | None = None) -> str:
    """The printed row (or line of text) of the cause's first cell that a PDF shows."""
    if not settings.evidence_images:
        return ""
    cells = sorted(cause["cells"], key=lambda c: not (c["source_file"] or "").lower()
                   .endswith(".pdf"))
    for cell in cells:
        figure = finding_evidence(result, cell_probe(cell), settings.evidence_dpi, pages)
        if figure:
            return figure
    return ""


def same_discrepancy(findings: list[Finding], indices: list[int]) -> list[list[Finding]]:
    """Findings grouped where they report one discrepancy in several documents: the same
    check, row, column and numbers."""
    groups: dict[tuple, list[Finding]] = {}
    for i in indices:
        f = findings[i]
        key = (f.check, f.table, f.scb_code, f.measure, f.expected, f.observed)
        if f.check == "formats_agree" or f.source_file is None:
            key = (i,)  # a disagreement between documents is one already
        groups.setdefault(key, []).append(f)
    return list(groups.values())


def documents(group: list[Finding]) -> str:
    """Where a discrepancy is printed: each document with its page (a DOCX: its table)."""
    out = []
    for f in group:
        if not f.source_file:
            continue
        docx = f.source_file.lower().endswith(".docx")
        page = f" ({'table' if docx else 'page'} {f.page})" if f.page else ""
        out.append(f"{f.source_file}{page}")
    return " and ".join(dict.fromkeys(out))


def consequences(result: CaseResult, cause: dict) -> str:
    """The findings a cause explains, folded: one line per discrepancy."""
    groups = same_discrepancy(result.findings, cause["explains"])
    if not groups:
        return ""
    rows = "".join(
        f"<tr><td>{escape(title(g[0].check))}</td><td>{escape(documents(g))}</td>"
        f"<td>{escape(on_page(g[0].message))}</td><td class=num>"
        f"{escape(with_unit(g[0].difference, g[0].unit)) if g[0].difference is not None else ''}"
        "</td></tr>" for g in groups)
    n, m = len(cause["explains"]), len(groups)
    merged = (f": {plural(m, 'discrepancy', 'discrepancies')}, each printed in every document "
              "listed beside it" if m < n else "")
    return (f"<details><summary>Explains {plural(n, 'finding')}{merged}</summary><table>"
            "<tr><th>check</th><th>printed in</th><th>what</th><th class=num>difference</th>"
            f"</tr>{rows}</table></details>")


def diagnosis_section(result: CaseResult, settings: Settings,
                      pages: PdfPages | None = None) -> str:
    """"Diagnosis": the causes, or nothing when the documents agree."""
    causes = result.diagnosis
    if not causes:
        return ""
    items = []
    for n, cause in enumerate(causes):
        rivals = cause["alternatives"]
        note = (f"{rivals} other explanation{'s' if rivals != 1 else ''} fit as well"
                if rivals else "no other explanation needs so few changes"
                if cause["cells"] else "")
        kind = KIND_TITLES.get(cause["kind"], cause["kind"].replace("_", " "))
        picture = cause_picture(result, cause, settings, pages) if n < MAX_PICTURES else ""
        items.append(f'<div class="cause"><p><b>{escape(kind)}</b> — '
                     f'{escape(on_page(cause["cause"]))}</p>'
                     + (f'<p class="where">{escape(note)}</p>' if note else "")
                     + f"{picture}{consequences(result, cause)}</div>")
    return (f"<style>{STYLE}</style><h2>Diagnosis</h2><p class=muted>The fewest printed numbers "
            "whose change makes every row sum, column sum, key, total stated in the text and "
            "document agree: the likely root causes of the errors below, each with the "
            "findings it explains.</p>" + "".join(items))
