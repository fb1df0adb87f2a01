"""A code column that is not the first column is read as codes, never as money.

Documents drawn by real exporters from the 2024 truth (fixtures/builder/exports_roles.py:
Chromium, LibreOffice Calc and Writer, python-docx) print the codes after the names ("Region |
Länskod | ...", "Kommun | Kommunkod | ...") or after the amounts ("Län | ... | Länskod"), with
their leading zeros or without. Before, the codes became a money column of 1-25 kr (each row
sum then off by its code) or 114-2584 kr. Each document must read cell for cell as the truth,
and the rules of extractors/codes.py are pinned on small tables.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from truth_tables import cell_diff, reading_problems, truth_table, with_cell

from extractors import pdf, web, word
from extractors.base import Extraction
from extractors.codes import code_column, is_code_column, names_code
from extractors.grid import TableBlock
from extractors.rows import Cell, GridRow
from extractors.tables import FrameContext, block_to_tables

ROOT = Path(__file__).resolve().parent.parent
CASES, DEFECTS = ROOT / "fixtures" / "cases", ROOT / "fixtures" / "defects"
READERS = {".html": web, ".pdf": pdf, ".docx": word}
REGION, KOMMUN, LAN = truth_table("region"), truth_table("kommun"), truth_table("lan")
WIDTH = {"region": 2, "lan": 2, "kommun": 4}


def read(path: Path) -> Extraction:
    return READERS[path.suffix].extract(path)


def cells_by_code(extraction: Extraction, truth) -> dict:
    """(kind, code, measure) -> amount, the printed code zero-padded to its SCB width ("1" is
    01, "114" is 0114); a row printed without a code takes the truth's code of its name (the
    truth's short name is the start of every printed form: "Arjeplog", "Region Skåne")."""
    by_name = {name: code for code, name, _ in truth.rows if code}
    out = {}
    for r in extraction.allocations.iter_rows(named=True):
        code = r["code"].zfill(WIDTH[r["table"]]) if r["code"] else ""
        if r["row_kind"] == "recipient" and not code:
            code = next(c for n, c in by_name.items() if n in r["name_raw"])
        out[(r["table"], code if r["row_kind"] == "recipient" else "", r["measure"])] = (
            r["amount_sek"])
    return out


REGION_DOCS = [CASES / "2024-regioner-namn-fore-kod" / f for f in ("regioner.html",
                                                                  "regioner.pdf")]
LAN_DOCS = [CASES / "2024-lan-kod-sist-word" / f for f in ("lansgemensamma.docx",
                                                          "lansgemensamma.pdf")]
KOMMUN_CALC = CASES / "2024-kommuner-namn-fore-kod-calc" / "kommuner-bokstavsordning.pdf"


@pytest.mark.parametrize("path", REGION_DOCS, ids=lambda p: p.name)
def test_region_name_then_code_reads_cell_for_cell(path: Path) -> None:
    """Region | Länskod | four amounts: 84 amounts and Riket's four, no money column of codes."""
    ex = read(path)
    assert cell_diff(REGION.cells(), cells_by_code(ex, REGION)) == []
    assert [(t.kind, t.recipient_rows, t.has_total_row, t.amount_measures)
            for t in ex.tables] == [("region", 21, True, REGION.measures)]
    names = dict(zip(ex.allocations["code"], ex.allocations["name_raw"], strict=True))
    assert names["01" if path.suffix == ".pdf" else "1"] == "Region Stockholm"
    assert names["14"] == "Västra Götalandsregionen"
    assert reading_problems(ex) == []


def test_kommun_by_name_from_calc_reads_cell_for_cell() -> None:
    """Kommun | Kommunkod | two amounts, sorted by name, Calc's numbers without leading zeros
    ("114"), eight rows printed without a code: every cell of the truth, codes as printed."""
    ex = read(KOMMUN_CALC)
    assert cell_diff(KOMMUN.cells(), cells_by_code(ex, KOMMUN)) == []
    frame = ex.allocations.filter(pl.col("row_kind") == "recipient")
    assert frame.filter(pl.col("name_raw") == "Upplands Väsby")["code"].unique().to_list() == [
        "114"]
    # every 37th kommun by name from the sixth has no code: 290 // 37 + 1 = 8 rows
    assert frame.filter(pl.col("code") == "")["name_raw"].n_unique() == 8
    assert [(t.kind, t.recipient_rows, t.has_total_row) for t in ex.tables] == [
        ("kommun", 290, True)]
    assert reading_problems(ex) == []


@pytest.mark.parametrize("path", LAN_DOCS, ids=lambda p: p.name)
def test_lan_code_after_the_amounts_reads_cell_for_cell(path: Path) -> None:
    """Län | five amounts | Länskod: the last column is codes, not a sixth measure."""
    ex = read(path)
    assert cell_diff(LAN.cells(), cells_by_code(ex, LAN)) == []
    assert [(t.kind, t.recipient_rows, t.amount_measures) for t in ex.tables] == [
        ("lan", 21, LAN.measures)]
    assert reading_problems(ex) == []


KOMMUN_CHROMIUM = [CASES / "2024-kommuner-namn-kod-chromium" / f for f in ("kommuner.html",
                                                                           "kommuner.pdf")]


@pytest.mark.parametrize("path", KOMMUN_CHROMIUM, ids=lambda p: p.name)
def test_kommun_name_then_code_under_centred_headers_reads_cell_for_cell(path: Path) -> None:
    """Kommun | Kod | two amounts: the first row, Ale (1440), whose short name ends left of the
    centred "Kommun", is a row (it was taken into the header band: "Kod 1440")."""
    ex = read(path)
    assert cell_diff(KOMMUN.cells(), cells_by_code(ex, KOMMUN)) == []
    assert [(t.kind, t.recipient_rows, t.has_total_row, t.amount_measures)
            for t in ex.tables] == [("kommun", 290, True, KOMMUN.measures)]
    assert reading_problems(ex) == []


def test_the_defect_reads_its_one_changed_cell() -> None:
    """Skåne's Traumavård printed 10 000 kr too high: read as printed, every code a code."""
    ex = read(DEFECTS / "regioner-namn-fore-kod-skane-plus-10000" / "regioner.html")
    expected = with_cell(REGION, "12", "Traumavård", 10_000)
    assert cell_diff(expected.cells(), cells_by_code(ex, REGION)) == []


# --- the rules, on small tables ---------------------------------------------------------------

STOCKHOLM, UPPSALA, SKANE = 164_423_176, 28_693_890, 96_566_286  # Totalt belopp, region.csv


def kr(value: int) -> str:
    return f"{value:,}".replace(",", " ")


def block(rows: list[list[str]], header: list[str]) -> TableBlock:
    return TableBlock("", header, [GridRow([Cell(t) for t in r], page=1) for r in rows])


def test_codes_must_be_their_own_rows_codes() -> None:
    names = ["Stockholm", "Uppsala", "Skåne"]
    assert is_code_column(list(zip(["01", "03", "12"], names, strict=True)))
    assert is_code_column(list(zip(["1", "3", "12"], names, strict=True)))  # no leading zero
    # SCB codes, but each another row's: a column of numbers, not these rows' codes
    assert not is_code_column(list(zip(["03", "12", "01"], names, strict=True)))
    # a count (kommuner per län: Stockholm 26, Uppsala 8, Skåne 33) is no code
    assert not is_code_column(list(zip(["26", "8", "33"], names, strict=True)))
    # digit groups make an amount, and a code is printed once
    assert not is_code_column([("1 440", "Ale"), ("1 489", "Alingsås")])
    assert not is_code_column([("1440", "Ale"), ("1440", "Alingsås")])
    assert is_code_column([("1440", "Ales kommun"), ("114", "Upplands Väsby kommun")])


def test_name_forms_name_their_code() -> None:
    assert names_code("Falu kommun", "2080")  # the genitive stem of Falun
    assert names_code("Region Jämtland Härjedalen", "23")
    assert names_code("Stockholms län", "01") and names_code("Region Sörmland", "04")
    assert not names_code("Uppsala", "01")


def test_a_code_column_after_the_name_is_no_money() -> None:
    """Region | Länskod | Totalt belopp: two measures before, one now; codes as printed."""
    rows = [["Stockholm", "01", kr(STOCKHOLM)], ["Uppsala", "03", kr(UPPSALA)],
            ["Skåne", "12", kr(SKANE)], ["Riket", "", kr(STOCKHOLM + UPPSALA + SKANE)]]
    tab = block(rows, ["Region", "Länskod", "Totalt belopp"])
    assert code_column(tab) == 1
    out = block_to_tables(tab, FrameContext("t.html", "html"))
    got = [(r["code"], r["name_raw"], r["measure"], r["amount_sek"]) for r in out.rows]
    assert got == [("01", "Stockholm", "Totalt belopp", STOCKHOLM),
                   ("03", "Uppsala", "Totalt belopp", UPPSALA),
                   ("12", "Skåne", "Totalt belopp", SKANE),
                   ("", "Riket", "Totalt belopp", STOCKHOLM + UPPSALA + SKANE)]
    assert out.problems == []


def test_a_code_column_after_the_amounts_is_no_money_either() -> None:
    rows = [["Stockholm", kr(STOCKHOLM), "1"], ["Uppsala", kr(UPPSALA), "3"],
            ["Riket", kr(STOCKHOLM + UPPSALA), ""]]
    tab = block(rows, ["Region", "Totalt belopp", "Länskod"])
    out = block_to_tables(tab, FrameContext("t.html", "html"))
    assert [(r["code"], r["measure"]) for r in out.rows] == [
        ("1", "Totalt belopp"), ("3", "Totalt belopp"), ("", "Totalt belopp")]
    assert out.problems == []


def test_small_numbers_that_are_not_the_rows_codes_stay_money() -> None:
    """A column of 26, 8, 33 (kommuner per län, say, printed as Mkr) is no code column: it
    stays a measure and its cells are read as its amounts."""
    rows = [["Stockholm", "26", kr(STOCKHOLM)], ["Uppsala", "8", kr(UPPSALA)],
            ["Skåne", "33", kr(SKANE)]]
    tab = block(rows, ["Region", "Mkr", "Totalt belopp"])
    assert code_column(tab) is None
    out = block_to_tables(tab, FrameContext("t.html", "html"))
    assert {r["measure"] for r in out.rows} == {"Mkr", "Totalt belopp"}
