"""Stated totals on what the real readers make of every fixture case (issue 7, integration).

Each case folder under fixtures/cases/ is read the way the pipeline reads it: every document
through ``detect_format(path).extract(path)``, the Riket values from the case's own allocation
frame, and the statements through ``pipeline.statements``. Expected amounts are the ones the
documents print (the seeds) and the verified 2024 annex (the truth CSVs).
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

import pytest
from sources import TRUTH

from extractors.base import Extraction
from extractors.registry import detect_format
from extractors.statements import statements_to_claims, text_to_statements
from pipeline.statements import extractions_to_stated_findings
from pipeline.tables import extractions_to_frame, riket_totals

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "fixtures" / "cases"
TABLES = ("region", "kommun", "lan")
TOTAL = "Totalt belopp"
AGREEMENTS_2024 = ("overenskommelse-2024.pdf", "overenskommelse-2024.docx")
DECISIONS_2024 = ("regeringsbeslut-2024-I6.pdf", "regeringsbeslut-2024-I6.docx")
JAMTLAND = "jamtland-harjedalen-2021-lansgemensamma-medel.pdf"
MILLION = 1_000_000


def truth_riket() -> dict[tuple[str, str], int]:
    """The Riket row of each 2024 Bilaga 1 table, from the verified truth CSVs."""
    riket = {}
    for table in TABLES:
        with open(TRUTH / f"{table}.csv", encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                if row["name"] == "Riket":
                    for measure, value in list(row.items())[2:]:
                        riket[(table, measure)] = int(value)
    return riket


RIKET = truth_riket()


@cache
def extractions(case: str) -> tuple[Extraction, ...]:
    readers = [(detect_format(p), p) for p in sorted((CASES / case).iterdir())
               if p.name != "expected.json"]
    return tuple(reader.extract(p) for reader, p in readers if reader is not None)


@cache
def findings(case: str) -> tuple[dict, ...]:
    exts = list(extractions(case))
    found, _ = extractions_to_stated_findings(exts, riket_totals(extractions_to_frame(exts)))
    return tuple(f.to_dict() for f in found)


def errors(case: str) -> list[dict]:
    return [f for f in findings(case) if f["severity"] == "error"]


def agreements(case: str, source: str, observed: int, expected: int) -> list[dict]:
    """Info findings of one document: a stated amount agreeing with the expected one."""
    return [f for f in findings(case) if f["check"] == "stated_total" and f["severity"] == "info"
            and f["source_file"] == source and f["observed"] == observed
            and f["expected"] == expected]


def claims_of(case: str, source: str) -> list:
    ext = next(e for e in extractions(case) if e.source_file == source)
    return statements_to_claims(text_to_statements(ext.text, ext.source_file))


ISSUE_CASES = ("2017-psykisk-halsa", "2020-psykisk-halsa", "2021-psykisk-halsa",
               "2024-psykisk-halsa", "2024-psykisk-halsa-word-export")
# Per issue case: the stated amounts that contradict (a total that does not add up, its parts).
CONTRADICTED = {
    "2017-psykisk-halsa": [130 * MILLION, 150 * MILLION, 250 * MILLION, 780 * MILLION],
    "2021-psykisk-halsa": [1_000_000, 1_797_459, 2_525_124, 6_199_701, 11_522_848],
}


def test_the_issue_cases_are_fixture_folders():
    assert set(ISSUE_CASES) <= {p.name for p in CASES.iterdir() if p.is_dir()}


@pytest.mark.parametrize("case", ["2024-psykisk-halsa", "2024-psykisk-halsa-word-export"])
def test_2024_the_case_frame_gives_the_truth_riket_values(case):
    frame_riket = riket_totals(extractions_to_frame(list(extractions(case))))
    assert {k: frame_riket[k] for k in RIKET} == RIKET


def test_2024_everything_agrees():
    case = "2024-psykisk-halsa"
    assert errors(case) == []
    riket_sum = sum(RIKET[(t, TOTAL)] for t in TABLES)
    assert riket_sum == 1_527_000_000
    for source in DECISIONS_2024 + AGREEMENTS_2024:
        payout = agreements(case, source, 1_527_000_000, riket_sum)
        assert any("Totalt belopp on their Riket rows" in f["message"] for f in payout), source
        assert agreements(case, source, 1_560_000_000, 1_527_000_000 + 33_000_000), source
    for source in AGREEMENTS_2024:
        assert agreements(case, source, 803_000_000, 553_000_000 + 250_000_000), source


@pytest.mark.parametrize("source", AGREEMENTS_2024)
def test_2024_section_5_table_equals_the_annex_riket_values(source):
    """Every row and subtotal of the agreement's tkr table agrees with its Riket cell."""
    by_key: dict[tuple[str, str], list[dict]] = {}
    for f in findings("2024-psykisk-halsa"):
        printed = f["message"].split(" (")[0]  # the amount as printed: "553 000" in the table
        if f["source_file"] == source and f["table"] and "kr" not in printed:
            by_key.setdefault((f["table"], f["measure"]), []).append(f)
    assert set(by_key) == set(RIKET)
    for key, value in RIKET.items():
        [f] = by_key[key]
        assert (f["severity"], f["observed"], f["expected"]) == ("info", value, value), key
        assert f["page"] == (17 if source.endswith(".pdf") else None)


@pytest.mark.parametrize("source", AGREEMENTS_2024)
def test_2024_table_subtotals_add_only_their_own_recipients(source):
    """'Totalt regioner 703 000' adds the three region rows, not SKR's 33 000 under it."""
    sums = {(c.total.value, c.how): sorted(p.value for p in c.parts)
            for c in claims_of("2024-psykisk-halsa", source)
            if c.kind == "sum" and c.how.startswith("table")}
    assert sums[(703_000_000, "table subtotal")] == [50 * MILLION, 100 * MILLION, 553 * MILLION]
    assert sums[(33_000_000, "table subtotal")] == [33 * MILLION]
    assert sums[(724_000_000, "table subtotal")] == [
        24 * MILLION, 200 * MILLION, 250 * MILLION, 250 * MILLION]
    assert sum(sums[(1_560_000_000, "table grand total")]) == 1_560_000_000


def test_2024_pdf_findings_point_at_the_pages_that_print_them():
    case, source = "2024-psykisk-halsa", "overenskommelse-2024.pdf"
    [table_total] = [f for f in agreements(case, source, 703_000_000, 703_000_000)
                     if "table subtotal" in f["message"]]
    assert table_total["page"] == 17
    [children] = agreements(case, source, 803_000_000, 803_000_000)
    assert children["page"] == 10  # the sentence goes on to page 11, where its parts are


# The 2024 agreement's section 5 table as printed (seed 002: the PDF text at lines 2248-2308,
# the Word table at 9841-9961): heading row, label, amount in tkr, Mottagare.
ROW_553 = ("Regioner: Ett utvecklat arbete för att främja psykisk hälsa och förebygga psykisk "
           "ohälsa och suicid bland barn och unga samt insatser för att stärka första linjens "
           "vård och barn- och ungdomspsykiatrin | 553 000 | Regioner via KamK")
ROW_703 = "Totalt regioner | 703 000"


@pytest.mark.parametrize("source", AGREEMENTS_2024)
def test_2024_table_rows_read_once_in_the_report(source):
    """The report's stated-totals table shows each row of the tkr table once, under its heading
    row only when the label does not already say it ("Totalt regioner" sits under "Totalt")."""
    exts = list(extractions("2024-psykisk-halsa"))
    _, rows = extractions_to_stated_findings(exts, riket_totals(extractions_to_frame(exts)))
    statement = {r["text"]: r["statement"] for r in rows
                 if r["source_file"] == source and r["unit"] == "tkr"}
    assert statement["553 000"] == ROW_553
    assert statement["703 000"] == ROW_703


@pytest.mark.parametrize("case", ["2021-psykisk-halsa", "2024-psykisk-halsa"])
def test_table_statements_print_their_label_once(case):
    """No table row repeats its label in its context (the PDF wrapped labels included)."""
    for ext in extractions(case):
        for s in text_to_statements(ext.text, ext.source_file):
            if s.table_id is not None:
                assert s.context.count(s.label) == 1, (s.source_file, s.context)


def test_2024_word_export_agrees():
    case, source = "2024-psykisk-halsa-word-export", "regeringsbeslut-2024-I6.pdf"
    assert errors(case) == []
    assert agreements(case, source, 1_527_000_000, sum(RIKET[(t, TOTAL)] for t in TABLES))
    assert agreements(case, source, 1_560_000_000, 1_527_000_000 + 33_000_000)


def test_2020_page_agrees():
    case, source = "2020-psykisk-halsa", "skr-overenskommelse-2020.html"
    assert errors(case) == []
    assert agreements(case, source, 1_716 * MILLION, (1_694 + 22) * MILLION)
    assert agreements(case, source, 1_694 * MILLION, (820 + 300 + 574) * MILLION)


def test_2020_lists_without_bullets_are_the_recipient_levels():
    groups = {c.scope: [p.value // MILLION for p in c.parts]
              for c in claims_of("2020-psykisk-halsa", "skr-overenskommelse-2020.html")
              if c.kind == "group"}
    assert groups == {"region": [300, 370, 100, 50], "kommun": [200, 100],
                      "lan": [200, 24, 200, 150], "skr": [20, 2]}


def test_2021_agreement_table_adds_up():
    case, source = "2021-psykisk-halsa", "overenskommelse-2021.pdf"
    assert [f for f in errors(case) if f["source_file"] == source] == []
    [grand] = [f for f in agreements(case, source, 1_680 * MILLION, 1_680 * MILLION)
               if "table grand total" in f["message"]]
    assert grand["page"] == 16
    for subtotal in (784, 300, 574, 22):
        assert agreements(case, source, subtotal * MILLION, subtotal * MILLION), subtotal


def test_2021_jamtland_total_is_564_kr_off():
    [error] = errors("2021-psykisk-halsa")
    assert (error["check"], error["scb_code"], error["table"], error["measure"]) == (
        "stated_total", "23", None, None)
    assert (error["source_file"], error["page"]) == (JAMTLAND, 2)
    assert (error["observed"], error["expected"], error["difference"]) == (
        11_522_848, 11_522_284, 564)


def test_2017_page_lacks_250_mkr():
    case, source = "2017-psykisk-halsa", "skl-overenskommelse-2017.html"
    [error] = errors(case)
    assert (error["check"], error["table"], error["scb_code"], error["measure"]) == (
        "stated_total", None, None, None)
    assert (error["observed"], error["expected"], error["difference"]) == (
        780 * MILLION, (250 + 150 + 130) * MILLION, 250 * MILLION)
    assert error["source_file"] == source
    assert agreements(case, source, 885 * MILLION, (780 + 60 + 45) * MILLION)


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir()
                                         if p.is_dir() and any(p.iterdir())))
def test_every_stated_amount_is_in_the_report_table(case):
    """Nothing lost silently: each amount in running text has its row and result."""
    exts = list(extractions(case))
    _, rows = extractions_to_stated_findings(exts, riket_totals(extractions_to_frame(exts)))
    stated = [(s.source_file, s.page, s.text) for e in exts
              for s in text_to_statements(e.text, e.source_file)]
    assert sorted((r["source_file"], r["page"] or 0, r["text"]) for r in rows) == sorted(
        (f, p or 0, t) for f, p, t in stated)
    assert {r["result"] for r in rows} <= {"agrees", "contradicts", "unverified", "unplaced"}
    if case in ISSUE_CASES:
        contradicted = sorted(r["value"] for r in rows if r["result"] == "contradicts")
        assert contradicted == CONTRADICTED.get(case, [])
