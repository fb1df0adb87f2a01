"""The control total: every number printed as money is read by something or named in a finding.

The tally (extractors/tally.py) reads each document a second, plain way and lists the numbers
printed the way money is; the pipeline (pipeline/tally.py) matches them one for one with what the
readers accounted for. These tests build the evidence by hand: lines whose money-shaped numbers
are known, the 2024 annex with its tables taken away from the reader (every one of its 780 cells
must then be left over), every fixture document (nothing left over: the readers account for
all), and a real Chromium export the readers do not read as a table (fixtures/exports/
chromium-kommun-two-columns.pdf: 290 kommuner in two lists side by side).
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from truth_tables import KINDS, truth_table

from extractors.base import Extraction, empty_allocations
from extractors.tally import document_to_tallied, line_to_tallied
from pipeline.cases import folder_to_case
from pipeline.fates import settle_blocks
from pipeline.orchestrate import case_worker
from pipeline.reading import read_document
from pipeline.settings import Settings
from pipeline.statements import extractions_to_stated_findings
from pipeline.tables import extractions_to_frame, riket_totals
from pipeline.tally import picture_findings, unaccounted, unaccounted_findings

ROOT = Path(__file__).resolve().parent.parent
ANNEX_PDF = ROOT / "fixtures" / "defects" / "riket-value-changed" / "bilaga1.pdf"
TWO_LISTS = ROOT / "fixtures" / "exports" / "chromium-kommun-two-columns.pdf"
FOLDERS = sorted(p for base in ("cases", "defects") for p in (ROOT / "fixtures" / base).iterdir()
                 if p.is_dir())


def texts(line: str) -> list[str]:
    return [t.text for t in line_to_tallied(line, 1)]


def test_money_shaped_numbers_of_a_line() -> None:
    # Two kommuner side by side: the codes 0114 and 1440 have no digit groups, the amounts do.
    assert texts("0114 Upplands Väsby 475 568 1440 Ale 307 397") == ["475 568", "307 397"]
    # No-break spaces, öre after a comma, one decimal of tkr, comma and period groups.
    assert texts("Riket 553\u00a0000\u00a0000 kr") == ["553\u00a0000\u00a0000"]
    assert texts("TOTALT 11 522 848,00 kr") == ["11 522 848,00"]
    assert texts("10 200,9 15 511,1") == ["10 200,9", "15 511,1"]
    assert texts("Kronoberg 11,154,061 1.527.000.000") == ["11,154,061", "1.527.000.000"]
    # Dates, diarienummer, phone numbers, postcodes, years, shares and plain codes are no money.
    assert texts("2024-03-27 nr I:6, S2024/00330, 08-405 10 00, 103 33 Stockholm") == []
    assert texts("Kod | Region | 2024 | 2025 | 13,74 % | 2584") == []


def test_numbers_without_digit_groups_count_where_the_line_is_tabular() -> None:
    # A spreadsheet's General format (38729708) and Mkr to one decimal (38,7) in a table row or
    # alone on their line (a cell of a div grid); not in prose with no other number, not a
    # share (13,74 %), not a year or a code.
    assert texts("01 Stockholm 38729708 2000000") == ["38729708", "2000000"]
    assert texts("01 Stockholm 38,7 2,0 46,5") == ["38,7", "2,0", "46,5"]
    assert texts("38729708") == ["38729708"] and texts("38,7 Mkr") == ["38,7"]
    assert texts("Stockholm 13,74 % 23,26 %") == []
    assert texts("Beslutet fattades 2024 av regeringen, diarienummer 12345.") == []
    assert texts("0114 Upplands Väsby 475568") == ["475568"]


def test_a_number_followed_by_a_count_noun_is_no_money() -> None:
    # vocabulary/words.toml's [count_nouns], the statement reader's rule too: "1 100
    # personer", "100 000 invånare" count people; "2,4 miljoner nya böcker" books (a scale
    # word passed over, an adjective between).
    assert texts("fler än 1 100 personer av suicid, per 100 000 invånare") == []
    assert texts("betala ut 1 100 000 kronor") == ["1 100 000"]
    assert texts("Blekinge 6 138 819 kr motsvarar 2,4 miljoner nya böcker") == ["6 138 819"]


def test_a_number_broken_over_two_lines_is_one_number(tmp_path) -> None:
    # "… betala ut 33" / "000 000 kronor till SKR": the text's line break falls in the number.
    page = tmp_path / "x.txt"
    page.write_text("Regeringen beslutar att betala ut 33\n000 000 kronor till SKR.\n",
                    encoding="utf-8")
    assert [t.text for t in document_to_tallied(page, "txt")] == ["33 000 000"]


def _read(path: Path, name: str | None = None) -> Extraction:
    outcome = read_document(path, f"extractors.{'pdf' if path.suffix == '.pdf' else 'word'}",
                            Settings().extract, debug=True, name=name)
    return outcome.extraction


def _stated(extractions: list[Extraction]) -> list[dict]:
    frame = extractions_to_frame(extractions)
    return extractions_to_stated_findings(extractions, riket_totals(frame), frame)[1]


def test_an_annex_whose_tables_went_unread_leaves_every_cell_over() -> None:
    # Take the three tables away from what the reader accounted for, as if its layout had
    # defeated it: the tally must then leave over exactly the annex's cells, 88 region + 582
    # kommun + 110 län = 780 amounts (recipient rows and Riket), as the truth files print them.
    extraction = _read(ANNEX_PDF)
    blind = dataclasses.replace(extraction, allocations=empty_allocations(), blocks=[])
    left = unaccounted(blind.tally, _accounted(blind))
    truth = Counter(str(v) for kind in KINDS for v in truth_table(kind).cells().values())
    # riket-value-changed prints region Riket Barn och unga 553 100 000 instead of 553 000 000
    truth["553000000"] -= 1
    truth["553100000"] += 1
    assert Counter(t.digits for t in left) == +truth


def _accounted(extraction: Extraction) -> list[set[str]]:
    from pipeline.tally import accounted_keys
    return accounted_keys(extraction, _stated([extraction]))


@pytest.mark.parametrize("folder", FOLDERS, ids=[f.name for f in FOLDERS])
def test_every_number_of_every_fixture_document_is_accounted_for(folder) -> None:
    # Our fixtures are read whole: no money-shaped number is left to the control total.
    case = folder_to_case(folder)
    extractions = []
    for document in case.documents:
        outcome = read_document(document.path, document.reader.__name__, Settings().extract, True,
                                document.name)
        if outcome.extraction is not None:
            extractions.append(outcome.extraction)
    stated = _stated(extractions)
    settle_blocks(extractions, stated)  # as the pipeline does: unread blocks are findings
    assert [f.message for f in unaccounted_findings(extractions, stated)] == []
    assert picture_findings(extractions) == []  # no fixture pastes a picture


def _printed(kinds: dict[str, int], mkr: tuple[str, ...] = ()) -> Counter:
    """The digits of every amount the truth tables print: of `kinds` (kind -> how many of its
    measures are printed, from the first), in Mkr to one decimal for the kinds in `mkr`."""
    out: Counter = Counter()
    for kind, measures in kinds.items():
        truth = truth_table(kind)
        for (_, _, measure), value in truth.cells().items():
            if measure in truth.measures[:measures]:
                out[str(round(value / 1e5)) if kind in mkr else str(value)] += 1
    return out


def _where_each_amount_went(path: Path, tmp_path: Path) -> tuple[str, Counter, Counter]:
    """The case's status, the digits of every amount it read into its tables, and of every
    amount it names in a finding instead (a statement nothing checks, an unread block, a cell
    that did not parse, a number the control total left over)."""
    case = tmp_path / path.stem
    case.mkdir()
    (case / path.name).write_bytes(path.read_bytes())
    summary = case_worker((str(case), str(tmp_path / "out"), Settings(data_docs=False), False))
    reader = "extractors.pdf" if path.suffix == ".pdf" else "extractors.web"
    outcome = read_document(case / path.name, reader, Settings().extract, True)
    extraction = outcome.extraction
    rows = _stated([extraction])
    settle_blocks([extraction], rows)
    frame = extraction.allocations
    read = Counter(str(abs(a) // (s or 1)) for a, s in zip(frame["amount_sek"], frame["unit_step"],
                                                         strict=True) if a is not None)
    named = Counter([re.sub(r"\D", "", r["text"]).lstrip("0") for r in rows
                     if r.get("result") == "unplaced"]
                    + [re.sub(r"\D", "", a) for b in extraction.blocks if b.fate == "unread"
                       for a in b.amounts]
                    + [re.sub(r"\D", "", p.observed_text or "") for p in extraction.problems
                       if p.check == "unparsed_amount"]
                    + [t.digits for t in unaccounted(extraction.tally, _accounted(extraction))])
    return summary["status"], read, named


UNREAD_LAYOUTS = {
    # Chromium's print of the 290 kommuner in two lists a page, Riket last: 291 amounts.
    "chromium-kommun-two-columns.pdf": ({"kommun": 1}, ()),
    # The region table as a table and the län table as a CSS grid of divs: 88 + 110 amounts,
    # the grid's in plain whole kronor (38729708) or in Mkr to one decimal (38,7).
    "chromium-region-table-lan-grid.html": ({"region": 4, "lan": 5}, ()),
    "chromium-region-table-lan-grid.pdf": ({"region": 4, "lan": 5}, ()),
    "chromium-region-table-lan-grid-mkr.html": ({"region": 4, "lan": 5}, ("lan",)),
    # (Its PDF is read as a table with the Mkr unit of its caption; the cells are then kronor
    # and checked in tests/ of the number formats, not counted here.)
}


@pytest.mark.parametrize("name", sorted(UNREAD_LAYOUTS))
def test_layouts_the_readers_miss_lose_no_amount(name, tmp_path) -> None:
    # Every amount printed is read into a table or named in a finding; the case passes only
    # when every one of them was read into a table.
    kinds, mkr = UNREAD_LAYOUTS[name]
    status, read, named = _where_each_amount_went(ROOT / "fixtures" / "exports" / name, tmp_path)
    printed = _printed(kinds, mkr)
    assert printed - read - named == Counter()
    if status == "pass":
        assert printed - read == Counter()


PICTURE = "docx-region-picture-lan-table"


@pytest.mark.parametrize("suffix", [".docx", ".pdf"])
def test_a_picture_of_a_table_in_a_document_of_money_tables_is_not_read(suffix, tmp_path
                                                                         ) -> None:
    # The region table pasted as a picture 16 cm wide (900 x 420 px: 7,47 cm high) on a
    # Letter page (21,59 x 27,94 cm) covers 16 x 7,47 / 603,2 = 19,8 % of it, beside the län
    # table as a real table: what the picture prints is unchecked, so the case is not fully
    # read (in the DOCX and in LibreOffice's PDF of it, page 1; that PDF's Word table of
    # default column widths wraps amounts inside their cells, a class of its own, so only
    # "not a pass" is asserted of the PDF's verdict).
    case = tmp_path / "picture"
    case.mkdir()
    source = ROOT / "fixtures" / "exports" / f"{PICTURE}{suffix}"
    (case / source.name).write_bytes(source.read_bytes())
    summary = case_worker((str(case), str(tmp_path / "out"), Settings(data_docs=False), False))
    assert summary["status"] == "incomplete" if suffix == ".docx" else summary["status"] != "pass"
    doc = json.loads((tmp_path / "out" / "picture" / "findings.json").read_text("utf-8"))
    pictures = [f for f in doc["findings"] if f["check"] == "unread_picture"]
    assert [(f["severity"], f["page"]) for f in pictures] == [
        ("error", 1 if suffix == ".pdf" else None)]
    assert pictures[0]["observed"] == pytest.approx(19.8, abs=0.3)


def test_a_picture_in_a_document_without_money_tables_is_a_warning(tmp_path) -> None:
    # A cover picture in a text with no money table (an agreement's photo, a chart): said,
    # not counted as unread money.
    import docx
    from docx.shared import Cm

    path = tmp_path / "overenskommelse.docx"
    document = docx.Document()
    document.add_paragraph("Överenskommelse om insatser inom området psykisk hälsa.")
    document.add_picture(str(ROOT / "fixtures" / "exports" / "region-table.png"), width=Cm(16))
    document.save(str(path))
    outcome = read_document(path, "extractors.word", Settings().extract, True)
    found = picture_findings([outcome.extraction])
    assert [(f.check, f.severity) for f in found] == [("unread_picture", "warning")]


def test_pages_whose_text_is_drawn_as_shapes_are_not_read(tmp_path) -> None:
    # The 2024 decision's three text pages, then the annex's region table page and first
    # kommun page with their text drawn as shapes by Ghostscript (-dNoOutputFonts): the text
    # pages agree with each other, but the two annex pages print money nothing can read, so
    # the case is not fully read, each page named (it once passed with 0 amounts).
    case = tmp_path / "outlined"
    case.mkdir()
    source = ROOT / "fixtures" / "exports" / "decision-annex-outlined.pdf"
    (case / source.name).write_bytes(source.read_bytes())
    summary = case_worker((str(case), str(tmp_path / "out"), Settings(data_docs=False), False))
    assert summary["status"] == "incomplete"
    doc = json.loads((tmp_path / "out" / "outlined" / "findings.json").read_text("utf-8"))
    drawn = [(f["check"], f["severity"], f["page"]) for f in doc["findings"]
             if "draws its text as shapes" in f["message"]]
    assert drawn == [("no_text_layer", "error", 4), ("no_text_layer", "error", 5)]


def test_documents_json_and_the_report_give_the_control_total(tmp_path) -> None:
    # The annex alone prints its 780 cells (88 region + 582 kommun + 110 län) and no other
    # money-shaped number; every one is accounted for, in the PDF and in the DOCX.
    case = ROOT / "fixtures" / "defects" / "riket-value-changed"
    case_worker((str(case), str(tmp_path), Settings(data_docs=False), False))
    out = tmp_path / case.name
    documents = json.loads((out / "documents.json").read_text("utf-8"))["documents"]
    assert {(d["source_file"], d["money_printed"], d["money_unaccounted"])
            for d in documents} == {("bilaga1.pdf", 780, 0), ("bilaga1.docx", 780, 0)}
    report = (out / "report.html").read_text("utf-8").replace("\u00a0", " ")
    assert "<b>1 560</b>of 1 560 printed as money accounted for" in report


def test_two_amounts_run_together_are_two_cells_read() -> None:
    # Chromium prints Stockholm's Barn och unga and Totalt belopp (58 558 036 and 145 811 479,
    # the truth's län row 01) close enough that the plain reading sees no column gap: the
    # number it tallies is both cells, each read by the table (defects/lan-sats-1500000-i-texten).
    [run] = line_to_tallied("01 Stockholm 58 558 036 145 811 479", 1)
    assert run.text == "58 558 036 145 811 479"
    assert unaccounted([run], [{"58558036"}, {"145811479"}]) == []
    # Only one of them read: the number is left over, not half taken.
    assert unaccounted([run], [{"58558036"}]) == [run]
    # A thousand million is no two amounts ("000" starts no amount).
    [billion] = line_to_tallied("1 000 000 000 kronor", 1)
    assert unaccounted([billion], [{"1000"}, {"1000000"}]) == [billion]
