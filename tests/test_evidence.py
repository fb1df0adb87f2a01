"""Evidence crops outline what is printed: the whole cell text, "kr" included, whatever font
the renderer substitutes; the line of a stated total; where a missing row would be."""

from __future__ import annotations

import re
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


# Exporters drawn differently: our builder's annex, LibreOffice Calc (words of separate glyph
# runs), Chromium, Word through Writer.
EXPORTS = [DEFECT / "bilaga1.pdf", ROOT / "fixtures" / "exports" / "calc-plain.pdf",
           ROOT / "fixtures" / "exports" / "chromium-html.pdf",
           ROOT / "fixtures" / "exports" / "writer-docx.pdf"]


@pytest.mark.parametrize("path", EXPORTS, ids=lambda p: p.name)
def test_a_reports_pages_are_pdfplumbers_own(path):
    # The pictures read each page once (pipeline/evidence_pages.py) from the extractor's
    # pdfminer glyphs instead of pdfplumber's page.chars: the words, a search for an amount
    # and a cropped picture must be exactly what pdfplumber itself gives, or a picture could
    # outline another row than before.
    from pipeline.evidence_pages import PdfPages

    pattern = re.compile(r"(?<!\d)\d{1,3}(?:[ \u00a0\u202f]?\d{3})+(?!\d)(?:\s*kr)?")
    with PdfPages(path.parent) as pages, pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            assert pages.words(path.name, number) == page.extract_words()
            assert pages.search(path.name, number, pattern) == page.search(
                pattern, return_chars=False)
        page = pdf.pages[0]
        bbox = (0, 100.3, page.width, 161.7)
        ours = pages.crop_image(pages.page(path.name, 1), bbox, 144)
        theirs = page.crop(bbox).to_image(resolution=144)
        assert ours.bbox == theirs.bbox and ours.scale == theirs.scale
        assert np.array_equal(np.asarray(ours.original), np.asarray(theirs.original))
