"""Evidence for a finding: the PDF row it concerns, cropped, highlighted, embedded as PNG."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import polars as pl

from pipeline.findings import Finding

MARGIN_PT = 4.0


def finding_rows(frame: pl.DataFrame, finding: Finding) -> pl.DataFrame:
    """The PDF cells a finding concerns: its row, or the Riket row for a column finding."""
    if frame.is_empty() or "x0" not in frame.columns or finding.table is None:
        return frame.clear()
    rows = frame.filter(
        (pl.col("table") == finding.table)
        & (pl.col("source_format") == "pdf")
        & pl.col("x0").is_not_null()
    )
    if finding.scb_code:
        rows = rows.filter(pl.col("scb_code") == finding.scb_code)
    else:
        rows = rows.filter(pl.col("row_kind") == "total")
    if finding.source_file and finding.source_file in rows["source_file"].to_list():
        return rows.filter(pl.col("source_file") == finding.source_file)
    if rows.is_empty() or (finding.source_file and finding.check != "formats_agree"):
        return rows.clear()  # the row is not in the finding's own document: no picture
    return rows.filter(pl.col("source_file") == rows["source_file"][0])


def row_image(case_dir: Path, rows: pl.DataFrame, finding: Finding, dpi: int) -> str | None:
    """A data: URI of the row's strip of page, the finding's cell outlined; None if no PDF row."""
    if rows.is_empty():
        return None
    import pdfplumber

    first = rows.row(0, named=True)
    page_rows = rows.filter(
        (pl.col("page") == first["page"]) & (pl.col("row_index") == first["row_index"])
        & (pl.col("table_index") == first["table_index"])
    )
    path = case_dir / first["source_file"]
    try:
        with pdfplumber.open(path) as pdf:
            page = pdf.pages[first["page"] - 1]
            top = max(page_rows["top"].min() - MARGIN_PT, 0)
            bottom = min(page_rows["bottom"].max() + MARGIN_PT, page.height)
            strip = page.crop((0, top, page.width, bottom))
            image = strip.to_image(resolution=dpi)
            for cell in page_rows.iter_rows(named=True):
                hit = finding.measure is None or cell["measure"] == finding.measure
                image.draw_rect(
                    (cell["x0"] - 1, cell["top"] - 1, cell["x1"] + 1, cell["bottom"] + 1),
                    fill=(255, 220, 0, 90) if hit else (0, 0, 0, 0),
                    stroke=(200, 0, 0) if hit else (150, 150, 150),
                    stroke_width=2 if hit else 1,
                )
            buffer = io.BytesIO()
            image.save(buffer, format="PNG")
    except Exception:  # evidence is a help, never a reason to fail the report
        return None
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
