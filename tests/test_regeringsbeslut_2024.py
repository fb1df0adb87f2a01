"""The 2024 payment decision (regeringsbeslut 2024-03-27 nr I:6) in its three renderings.

Every cell of Bilaga 1 is compared with ../shared/truth/2024 (copied into
fixtures/sources/truth/2024), for the style-A PDF, the Word-export (style B) PDF and the DOCX.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from extractors import pdf, word
from extractors.registry import detect_format

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "fixtures" / "cases"
TRUTH = ROOT / "fixtures" / "sources" / "truth" / "2024"
DOCUMENTS = {
    "pdf_style_a": CASES / "2024-psykisk-halsa" / "regeringsbeslut-2024-I6.pdf",
    "pdf_style_b": CASES / "2024-psykisk-halsa-word-export" / "regeringsbeslut-2024-I6.pdf",
    "docx": CASES / "2024-psykisk-halsa" / "regeringsbeslut-2024-I6.docx",
}
TRUTH_FILES = {"region": "region.csv", "kommun": "kommun.csv", "lan": "lan.csv"}
KEY = ("table", "code", "name_raw", "measure", "amount_sek")


def truth_cells() -> set[tuple]:
    """(table, code, name, measure, amount) for every verified cell, Riket rows included."""
    cells = set()
    for kind, name in TRUTH_FILES.items():
        with open(TRUTH / name, encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        for row in rows[1:]:
            for measure, value in zip(rows[0][2:], row[2:], strict=True):
                cells.add((kind, row[0], row[1], measure, int(value)))
    return cells


def truth_measures(kind: str) -> list[str]:
    with open(TRUTH / TRUTH_FILES[kind], encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle))[2:]


@pytest.fixture(scope="module")
def extractions():
    missing = [str(p) for p in DOCUMENTS.values() if not p.exists()]
    if missing:
        pytest.fail(f"fixture documents missing: {missing}; run make fixtures")
    out = {}
    for key, path in DOCUMENTS.items():
        module = detect_format(path)
        assert module is (word if path.suffix == ".docx" else pdf)
        out[key] = module.extract(path)
    return out


@pytest.mark.parametrize("doc", list(DOCUMENTS))
def test_every_cell_matches_the_truth(extractions, doc):
    frame = extractions[doc].allocations
    got = list(frame.select(KEY).iter_rows())
    assert len(got) == len(set(got)), "a cell was read twice"
    assert set(got) == truth_cells()
    assert extractions[doc].problems == []


@pytest.mark.parametrize("doc", list(DOCUMENTS))
def test_row_counts_and_riket_totals(extractions, doc):
    frame = extractions[doc].allocations
    expected_rows = {"region": 21 + 1, "kommun": 290 + 1, "lan": 21 + 1}
    for kind, count in expected_rows.items():
        rows = frame.filter(table=kind).select("row_index").unique()
        assert rows.height == count, kind
    riket = {
        r["table"]: r["amount_sek"]
        for r in frame.filter(row_kind="total", measure="Totalt belopp").iter_rows(named=True)
    }
    assert riket == {"region": 703_000_000, "kommun": 100_000_000, "lan": 724_000_000}
    totals = frame.filter(row_kind="total")
    assert set(totals["name_raw"]) == {"Riket"} and set(totals["code"]) == {""}


@pytest.mark.parametrize("doc", list(DOCUMENTS))
def test_measures_read_from_the_header_in_printed_order(extractions, doc):
    frame = extractions[doc].allocations
    for kind in TRUTH_FILES:
        measures = frame.filter(table=kind, code="01" if kind != "kommun" else "0114")["measure"]
        assert list(measures) == truth_measures(kind)


def test_three_renderings_give_identical_tables(extractions):
    keys = ("row_kind", "row_index", *KEY)
    frames = [extractions[d].allocations.select(keys).sort(keys) for d in DOCUMENTS]
    assert frames[0].equals(frames[1])
    assert frames[0].equals(frames[2])


def test_pdf_provenance_has_page_and_cell_box(extractions):
    frame = extractions["pdf_style_a"].allocations
    assert set(frame["source_file"]) == {"regeringsbeslut-2024-I6.pdf"}
    assert set(frame["source_format"]) == {"pdf"}
    assert frame.select(["x0", "top", "x1", "bottom"]).null_count().sum_horizontal()[0] == 0
    assert (frame["x1"] > frame["x0"]).all() and (frame["bottom"] > frame["top"]).all()
    # The decision's text takes pages 1-3; Bilaga 1's region table follows its intro page.
    region_pages = set(frame.filter(table="region")["page"])
    kommun_pages = sorted(set(frame.filter(table="kommun")["page"]))
    assert min(region_pages) > 3
    assert len(kommun_pages) > 1 and kommun_pages == list(range(kommun_pages[0],
                                                                 kommun_pages[-1] + 1))
    stockholm = frame.filter(table="region", code="01", measure="Barn och unga").row(0, named=True)
    assert stockholm["amount_sek"] == 129_530_375 and stockholm["row_index"] == 0


def test_docx_provenance_is_the_table_number(extractions):
    frame = extractions["docx"].allocations
    assert set(frame["source_format"]) == {"docx"}
    assert frame["page"].min() >= 1
    assert frame["x0"].null_count() == frame.height


def test_pdf_style_b_same_boxes_differ_from_style_a(extractions):
    a = extractions["pdf_style_a"].allocations
    b = extractions["pdf_style_b"].allocations
    # Same cells, laid out differently (other page size and columns): the boxes are real.
    assert a.height == b.height
    assert not a["x1"].equals(b["x1"])


@pytest.mark.parametrize("doc", list(DOCUMENTS))
def test_decision_metadata(extractions, doc):
    meta = extractions[doc].metadata
    assert meta["document_kind"] == "regeringsbeslut"
    assert meta["title"].startswith("Utbetalning av medel i enlighet med överenskommelsen")
    assert meta["title"].endswith("psykisk hälsa och suicidprevention 2024")
    assert meta["decision_date"] == "2024-03-27"
    assert meta["number"] == "I:6"
    assert meta["diarienummer"] == "S2024/00330"
    assert meta["agreement_diarienummer"] == "S2023/03357"


def test_total_in_words_is_a_text_block_with_its_page(extractions):
    for doc in ("pdf_style_a", "pdf_style_b"):
        hits = [b for b in extractions[doc].text if "1 527 000 000 kronor" in b.text]
        assert hits, doc
        assert hits[0].page == 1
        assert "betala ut 1 527 000 000 kronor till kommuner och regioner" in hits[0].text
    docx_hits = [b for b in extractions["docx"].text if "1 527 000 000 kronor" in b.text]
    assert docx_hits and docx_hits[0].page is None


@pytest.mark.parametrize("doc", list(DOCUMENTS))
def test_table_rows_are_not_repeated_as_text(extractions, doc):
    # Amounts of the annex are in the frame; text blocks keep running text only.
    assert not [b for b in extractions[doc].text if "129 530 375" in b.text]
