"""The report's opening section: each root cause of the errors in one sentence, with its row."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from pipeline.evidence import finding_rows, row_image
from pipeline.findings import Finding
from pipeline.settings import Settings

if TYPE_CHECKING:
    from pipeline.orchestrate import CaseResult

MAX_PICTURES = 10  # causes shown with their printed row cut out of the PDF
STYLE = (".cause{border-left:5px solid #6a1b9a;background:#faf6fc;border-radius:6px;"
         "padding:8px 14px;margin:10px 0}.cause p{margin:4px 0}.cause img{max-width:100%;"
         "border:1px solid #ccc;margin-top:6px}")


def cause_picture(result: CaseResult, cause: dict, settings: Settings) -> str:
    """The printed row of the cause's first cell in a PDF, cropped, or nothing."""
    if not settings.evidence_images:
        return ""
    for cell in cause["cells"]:
        probe = Finding(check="diagnosis", severity="info", message="", table=cell["table"],
                        scb_code=cell["scb_code"], measure=cell["measure"],
                        source_file=cell["source_file"])
        rows = finding_rows(result.frame, probe)
        if rows.is_empty() or cell["printed"] is None:
            continue
        uri = row_image(result.case.path, rows, probe, settings.evidence_dpi,
                        result.frame)
        if uri:
            return f'<img alt="the printed row" src="{uri}">'
    return ""


def diagnosis_section(result: CaseResult, settings: Settings) -> str:
    """"Diagnosis": the causes, or nothing when the documents agree."""
    causes = result.diagnosis
    if not causes:
        return ""
    items = []
    for n, cause in enumerate(causes):
        explains = len(cause["explains"])
        rivals = cause["alternatives"]
        note = f"Explains {explains} finding{'s' if explains != 1 else ''}"
        note += f"; {rivals} other explanation{'s' if rivals != 1 else ''} fit as well." \
            if rivals else "; the only explanation of the fewest cells."
        picture = cause_picture(result, cause, settings) if n < MAX_PICTURES else ""
        items.append(f'<div class="cause"><p>{escape(cause["cause"])}</p>'
                     f'<p class="where">{escape(cause["kind"].replace("_", " "))} · '
                     f'{escape(note)}</p>{picture}</div>')
    return (f"<style>{STYLE}</style><h2>Diagnosis</h2><p class=muted>The fewest printed cells "
            "whose change makes every row sum, column sum, allocation key and document "
            "agree: the likely root causes of the errors below.</p>" + "".join(items))
