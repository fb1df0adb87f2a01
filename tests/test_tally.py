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
import re
from collections import Counter
from pathlib import Path

import pytest
from truth_tables import KINDS, truth_table

from extractors import pdf
from extractors.base import Extraction, empty_allocations
from extractors.tally import document_to_tallied, line_to_tallied
from pipeline.cases import folder_to_case
from pipeline.fates import settle_blocks
from pipeline.orchestrate import case_worker
from pipeline.reading import read_document
from pipeline.settings import Settings
from pipeline.statements import extractions_to_stated_findings
from pipeline.tables import extractions_to_frame, riket_totals
from pipeline.tally import unaccounted, unaccounted_findings

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


def test_a_number_followed_by_a_count_noun_is_no_money() -> None:
    # vocabulary/tally.toml: "1 100 personer", "100 000 invånare" count people.
    assert texts("fler än 1 100 personer av suicid, per 100 000 invånare") == []
    assert texts("betala ut 1 100 000 kronor") == ["1 100 000"]


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


def test_two_lists_side_by_side_lose_no_amount(tmp_path) -> None:
    # Chromium's print of 290 kommuner in two lists a page and Riket last: 291 amounts. The
    # readers do not read it as a table. Every amount must then be in a finding: read as a
    # statement that nothing checks (unchecked_amounts), in an unread block (unread_table), or
    # left over to the control total (unaccounted_amounts) — and the case is not a pass.
    case = tmp_path / "kommuner-two-lists"
    case.mkdir()
    (case / TWO_LISTS.name).write_bytes(TWO_LISTS.read_bytes())
    summary = case_worker((str(case), str(tmp_path / "out"), Settings(data_docs=False), False))
    assert summary["status"] == "incomplete"
    extraction = pdf.extract(case / TWO_LISTS.name)
    extraction = dataclasses.replace(extraction, tally=document_to_tallied(
        case / TWO_LISTS.name, "pdf"))
    rows = _stated([extraction])
    settle_blocks([extraction], rows)
    stated = [r for r in rows if r.get("result") == "unplaced"]
    unread = [a for b in extraction.blocks if b.fate == "unread" for a in b.amounts]
    left = unaccounted(extraction.tally, _accounted(extraction))
    found = Counter([re.sub(r"\D", "", r["text"]) for r in stated]
                    + [re.sub(r"\D", "", a) for a in unread] + [t.digits for t in left])
    truth = truth_table("kommun")  # the first measure: 290 kommuner and Riket
    expected = Counter(str(v) for (_, _, measure), v in truth.cells().items()
                       if measure == truth.measures[0])
    assert sum(expected.values()) == 291
    assert found == expected
