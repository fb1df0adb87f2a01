"""Table shapes real documents print and the readers once missed, read cell for cell.

The documents are fixture cases drawn by fixtures/builder/exports_shapes.py with Chromium,
LibreOffice Writer, python-docx and pdftotext from the 2024 truth tables (committed bytes):

- lists side by side: the kommun Totalt belopp as three lists in one table (HTML, Chromium PDF),
  and the region and län tables side by side in one Word table (DOCX, Writer PDF);
- a region table typed with tabs in Word (DOCX, Writer PDF);
- the län table as fixed-width text (pdftotext -layout; the same text in an HTML <pre>);
- the regions' Totalt belopp as <br> lines and as soft-break lines of a Word paragraph;
- the län table with a "varav storstadslänen" row under Riket (HTML, Chromium PDF).

Each must read cell for cell as the truth, with the tables it prints and no reading problem.
The expected amounts come from the truth CSVs (tests/truth_tables.py), the varav row's from
the truth's rows 01, 12 and 14 summed here.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from truth_tables import cell_diff, reading_problems, truth_table

from extractors import pdf, plaintext, web, word
from extractors.base import Extraction
from extractors.fixed_width import fixed_width_rows
from extractors.grid import grid_to_blocks
from extractors.name_lists import list_lines
from extractors.rows import Cell, GridRow
from extractors.side_by_side import unfold_side_by_side
from extractors.tab_rows import tab_fields, tab_table
from extractors.tables import FrameContext, blocks_to_tables
from pipeline.cascade import Resolver
from pipeline.name_lists import list_level, lists_to_tables

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "fixtures" / "cases"
READERS = {".html": web, ".pdf": pdf, ".docx": word, ".txt": plaintext}
KOMMUN, REGION, LAN = truth_table("kommun"), truth_table("region"), truth_table("lan")
TOTAL = "Totalt belopp"


def read(path: Path) -> Extraction:
    return READERS[path.suffix].extract(path)


def cells(extraction: Extraction, kinds=("recipient", "total")) -> dict:
    frame = extraction.allocations.filter(pl.col("row_kind").is_in(kinds))
    return {(r["table"], r["code"] if r["row_kind"] == "recipient" else "", r["measure"]):
            r["amount_sek"] for r in frame.iter_rows(named=True)}


def case(name: str, *files: str) -> list[Path]:
    return [CASES / name / f for f in files]


@pytest.mark.parametrize("path", case("2024-kommuner-tre-spalter", "bilaga-2.html",
                                      "bilaga-2.pdf"), ids=lambda p: p.name)
def test_three_lists_side_by_side_read_as_one_kommun_list(path: Path) -> None:
    # Kod | Kommun | Belopp three times a row: the 290 kommuner's Totalt belopp under the
    # printed header "Belopp", Riket 100 000 000 last, one table.
    ex = read(path)
    assert cell_diff(KOMMUN.project(TOTAL, "Belopp").cells(), cells(ex)) == []
    assert [(t.kind, t.recipient_rows, t.has_total_row) for t in ex.tables] == [
        ("kommun", 290, True)]
    assert reading_problems(ex) == []


@pytest.mark.parametrize("path", case("2024-regioner-lan-sida-vid-sida", "bilaga-1.docx",
                                      "bilaga-1.pdf"), ids=lambda p: p.name)
def test_two_tables_side_by_side_read_as_two_tables(path: Path) -> None:
    # Länskod | Region | Barn och unga | Traumavård, a spacer, Länskod | Län | Suicidprevention
    # | Brukarmedverkan: each group ends with its own Riket, so they are two tables.
    ex = read(path)
    expected = {}
    for table, measures in ((REGION, ("Barn och unga", "Traumavård")),
                            (LAN, ("Suicidprevention", "Brukarmedverkan"))):
        for measure in measures:
            expected |= table.project(measure, measure).cells()
    assert cell_diff(expected, cells(ex)) == []
    assert [(t.kind, t.recipient_rows, t.has_total_row) for t in ex.tables] == [
        ("region", 21, True), ("lan", 21, True)]


def test_lists_side_by_side_need_their_evidence() -> None:
    # One printed table whose groups repeat the header and hold clean rows is one list; a
    # table whose right half is no row of its own (amounts only) is left as it is.
    head = GridRow([Cell(t) for t in ("Kod", "Kommun", "Belopp") * 2], 1, table_id=1)
    body = [GridRow([Cell(t) for t in row], 1, table_id=1) for row in (
        ("0114", "Upplands Väsby", "475 568", "1440", "Ale", "307 397"),
        ("0115", "Vallentuna", "332 251", "1441", "Lerum", "414 172"),
        ("", "", "", "", "Riket", "1 529 388"))]
    blocks, _ = grid_to_blocks(unfold_side_by_side([head, *body]))
    assert [[c.text for c in r.cells] for r in blocks[0].rows] == [
        ["0114", "Upplands Väsby", "475 568"], ["0115", "Vallentuna", "332 251"],
        ["1440", "Ale", "307 397"], ["1441", "Lerum", "414 172"], ["", "Riket", "1 529 388"]]
    plain = [GridRow([Cell(t) for t in ("Kod", "Region", "2023", "2024", "2025", "2026")], 1,
                     table_id=1),
             GridRow([Cell(t) for t in ("01", "Stockholm", "1 000", "2 000", "3 000", "4 000")],
                     1, table_id=1)] * 2
    assert unfold_side_by_side(plain) == plain


@pytest.mark.parametrize("path", case("2024-regioner-tabbar-word", "bilaga-1.docx",
                                      "bilaga-1.pdf"), ids=lambda p: p.name)
def test_a_region_table_typed_with_tabs_reads_cell_for_cell(path: Path) -> None:
    # Headers typed short ("Kunskapsbaserad"): the amounts are compared by column order.
    ex = read(path)
    short = ["Barn och unga", "Traumavård", "Kunskapsbaserad", TOTAL]
    got = {(k, c, REGION.measures[short.index(m)]): v for (k, c, m), v in cells(ex).items()}
    assert cell_diff(REGION.cells(), got) == []
    assert reading_problems(ex) == []


def test_tab_fields_keep_an_empty_leading_field_and_need_numbers() -> None:
    assert tab_fields("\tRiket\t553 000 000") == ["", "Riket", "553 000 000"]
    assert tab_fields("01\tStockholm\t\t129 530 375") == ["01", "Stockholm", "129 530 375"]
    assert tab_fields("Inga tabbar här") is None
    # Three lines of words with tabs (a letterhead) are no table: no number after a label.
    assert tab_table(["Till:\tKammarkollegiet", "Från:\tSocialdepartementet",
                      "Datum:\tmars"], None, -1) is None


@pytest.mark.parametrize("path", case("2024-lan-fast-bredd", "lan.txt", "lan.html"),
                         ids=lambda p: p.name)
def test_a_fixed_width_lan_table_reads_cell_for_cell(path: Path) -> None:
    # pdftotext -layout of the Chromium print: the header wrapped over five lines, the
    # amounts right-aligned; every cell of the truth, no two columns joined.
    ex = read(path)
    assert cell_diff(LAN.cells(), cells(ex)) == []
    assert [(t.kind, t.recipient_rows, t.has_total_row) for t in ex.tables] == [
        ("lan", 21, True)]


def test_fixed_width_columns_are_cut_at_white_space_every_line_leaves() -> None:
    # Right-aligned amounts: their digit-group spaces line up (one blank position, inside a
    # cell); "Västra Götaland" keeps its one space; the gutters are two positions or more.
    lines = [f"{c:<4}{n:<17}{a:>9}{t:>10}" for c, n, a, t in (
        ("Kod", "Region", "Barn", "Totalt"), ("01", "Stockholm", "23 262", "164 423"),
        ("14", "Västra Götaland", "92 722", "117 836"), ("", "Riket", "553 000", "703 000"))]
    rows = fixed_width_rows(lines, 1, 1)
    assert rows is not None
    assert [[c.text for c in r.cells] for r in rows][1:] == [
        ["01", "Stockholm", "23 262", "164 423"], ["14", "Västra Götaland", "92 722", "117 836"],
        ["", "Riket", "553 000", "703 000"]]
    assert fixed_width_rows(["Regeringen beslutar att betala ut 33", "000 000 kronor till SKR",
                             "enligt beslut 2024."], 1, 1) is None


@pytest.mark.parametrize("path", case("2024-regioner-radbrytningar", "pressmeddelande.html",
                                      "brev.docx"), ids=lambda p: p.name)
def test_lines_cut_by_line_breaks_read_as_a_region_list(path: Path) -> None:
    # <br> lines with bare names (resolved as regions: the text above says "till regionerna")
    # and soft-break lines "Region X: … kronor" (the name form tells the kind).
    ex = read(path)
    lists_to_tables([ex], Resolver())
    # A list prints names, no codes: compared by name ("Region Stockholm" is Stockholm).
    frame = ex.allocations
    assert set(frame["table"]) == {"region"} and set(frame["row_kind"]) == {"recipient"}
    assert set(frame["measure"]) == {"Belopp"}
    read_by_name = {n.removeprefix("Region "): a for n, a in zip(
        frame["name_raw"], frame["amount_sek"], strict=True)}
    assert read_by_name == {n: a[-1] for c, n, a in REGION.rows if c}
    assert [b.fate for b in ex.blocks if b.shape == "list"] in ([], ["table"])
    assert not any("164 423 176" in t.text for t in ex.text)  # a table row, not a statement


def test_a_paragraph_is_cut_only_into_name_amount_lines() -> None:
    assert list_lines("Stockholm: 1 000 kr\nUppsala: 2 000 kr\nSkåne: 3 000 kr") == [
        "Stockholm: 1 000 kr", "Uppsala: 2 000 kr", "Skåne: 3 000 kr"]
    assert list_lines("Regeringen beslutar\natt betala ut 703 000 000 kronor.") is None


def test_a_list_of_bare_names_is_read_only_where_every_name_resolves() -> None:
    resolver = Resolver()
    # Regions and län share their names: the text above the list tells which.
    assert list_level(["Stockholm", "Södermanland", "Västra Götaland"], "till regionerna",
                      resolver) == "region"
    assert list_level(["Stockholm", "Södermanland", "Västra Götaland"], "till länen",
                      resolver) == "lan"
    assert list_level(["Stockholm", "Södermanland", "Västra Götaland"], "fördelas så här",
                      resolver) is None
    # Purposes are no recipients at any level.
    assert list_level(["Barn och unga", "Traumavård", "Suicidprevention"], "till regionerna",
                      resolver) is None


VARAV = case("2024-lan-varav", "lan.html", "lan.pdf")


@pytest.mark.parametrize("path", VARAV, ids=lambda p: p.name)
def test_a_varav_row_is_a_part_of_the_row_above_not_a_recipient(path: Path) -> None:
    ex = read(path)
    assert cell_diff(LAN.cells(), cells(ex)) == []
    part = ex.allocations.filter(pl.col("row_kind") == "varav")
    big = [a for c, _, a in LAN.rows if c in ("01", "12", "14")]
    expected = {m: sum(a[i] for a in big) for i, m in enumerate(LAN.measures)}
    assert dict(zip(part["measure"], part["amount_sek"], strict=True)) == expected
    assert set(part["name_raw"]) == {"varav storstadslänen"}
    assert reading_problems(ex) == []


def test_a_varav_row_larger_than_its_whole_is_an_error() -> None:
    rows = [GridRow([Cell(t) for t in r], 1, table_id=1) for r in (
        ("Kod", "Län", "Belopp"), ("01", "Stockholm", "600"), ("03", "Uppsala", "400"),
        ("", "Riket", "1 000"), ("", "varav storstadslänen", "1 200"))]
    blocks, _ = grid_to_blocks(rows)
    out = blocks_to_tables(blocks, FrameContext("x.html", "html"))
    assert [r["row_kind"] for r in out.rows] == ["recipient", "recipient", "total", "varav"]
    assert [(p.check, p.row, p.measure) for p in out.problems if p.severity == "error"] == [
        ("varav_exceeds", 3, "Belopp")]
