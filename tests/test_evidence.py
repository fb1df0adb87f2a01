"""Evidence crops outline what is printed: the whole cell text, "kr" included, whatever font
the renderer substitutes; the line of a stated total; where a missing row would be."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pdfplumber
import polars as pl
import pytest

from model import Finding
from pipeline.evidence import INK_LEVEL, finding_rows, ink_box, preceding_row
from pipeline.orchestrate import reconcile_case
from pipeline.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
DEFECT = ROOT / "fixtures" / "defects" / "region-cell-changed-total-kept"


@pytest.fixture(scope="module")
def defect(tmp_path_factory):
    out = tmp_path_factory.mktemp("evidence")
    return reconcile_case(DEFECT, out, Settings(data_docs=False, evidence_images=False))


def ink_right_of(image, box, width_pt: float) -> bool:
    """Whether dark pixels lie in the band of box just right of it (width_pt wide)."""
    grey = np.asarray(image.original.convert("L"))
    s, (ox, oy) = image.scale, image.bbox[:2]
    rows = slice(int((box[1] - oy) * s), int((box[3] - oy) * s))
    cols = slice(int((box[2] - ox) * s) + 1, int((box[2] + width_pt - ox) * s))
    return bool((grey[rows, cols] < INK_LEVEL).any())


def test_the_outline_covers_the_whole_printed_amount(defect):
    # Östergötland's Traumavård prints "2 248 465 kr" (the defect's +10 000 kr cell), page 2.
    probe = Finding(check="cross_footing", severity="error", message="", table="region",
                    scb_code="05", measure="Traumavård", source_file="bilaga1.pdf")
    cell = finding_rows(defect.frame, probe).filter(pl.col("measure") == "Traumavård").row(
        0, named=True)
    box = (cell["x0"], cell["top"], cell["x1"], cell["bottom"])
    with pdfplumber.open(DEFECT / "bilaga1.pdf") as pdf:
        page = pdf.pages[cell["page"] - 1]
        image = page.crop((0, cell["top"] - 4, page.width, cell["bottom"] + 4)).to_image(
            resolution=144)
        snapped = ink_box(image, box)
        text = page.crop(snapped, strict=False).extract_text()
    # The outline holds the amount and its unit, and no glyph of it is left to the right; the
    # next cell (Kunskapsbaserad, 4 476 930 kr) starts 55 pt further on and stays outside.
    assert text.replace("\u00a0", " ").split() == ["2", "248", "465", "kr"]
    assert not ink_right_of(image, snapped, 20)
    assert snapped[0] <= box[0] + 0.5 and snapped[2] < box[2] + 20


def test_a_missing_row_is_shown_by_the_row_it_would_follow(tmp_path):
    # kommun-row-missing drops Kiruna (2584), the last kommun of Norrbotten: it would follow
    # Haparanda (2583) on the annex's last kommun page.
    case = ROOT / "fixtures" / "defects" / "kommun-row-missing"
    result = reconcile_case(case, tmp_path, Settings(data_docs=False))
    missing = next(f for f in result.findings if f.check == "coverage"
                   and f.severity == "error" and f.source_file == "bilaga1.pdf")
    before = preceding_row(result.frame, missing)
    assert set(before["name_raw"]) == {"Haparanda"} and set(before["scb_code"]) == {"2583"}
    html = (tmp_path / case.name / "report.html").read_text(encoding="utf-8")
    assert ("the row of Haparanda, after which code 2584 would be printed: its row is "
            "missing.</figcaption>") in html
