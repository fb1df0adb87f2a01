"""Bilaga 1 as exporters in other locales print it, and with its unit outside the table
(fixtures built by fixtures/builder/exports_locales.py with LibreOffice Calc and Writer and
Chromium; committed bytes, so no exporter is needed here).

Each document must read cell for cell as the 2024 truth tables, with no reading problem and no
error finding:
- Calc in the en_US locale prints ``129,530,375`` (commas grouping thousands), and with a
  currency format ``SEK 129,530,375`` (the unit before the number);
- the HTML pages print ``129.530.375,00 kr`` (German, Danish) and ``129,530,375.00`` (English),
  with öre, and Chromium prints them to PDF;
- Writer prints tkr and Mkr to one decimal (``164 423,2``), the unit stated only in a line above
  the first table's title, or in a note under the table.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from truth_tables import (
    cell_diff,
    error_findings,
    read_cells,
    read_names,
    reading_problems,
    truth_table,
    with_cell,
)

from extractors import pdf, web

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "fixtures" / "cases"
DEFECTS = ROOT / "fixtures" / "defects"
CALC = CASES / "2024-calc-en-us-tusentalskomma" / "bilaga1-fordelning.pdf"
CALC_DEFECT = DEFECTS / "calc-en-us-traumavard-plus-10000" / "bilaga1-fordelning.pdf"
# The same tables in the currency format '"SEK "#,##0': "SEK 129,530,375".
CALC_SEK = CASES / "2024-calc-en-us-sek-fore-belopp" / "bilaga1-fordelning.pdf"
CALC_SEK_DEFECT = DEFECTS / "calc-en-us-sek-traumavard-plus-10000" / "bilaga1-fordelning.pdf"
CHROMIUM = [CASES / case / f"regioner-2024.{ext}"
            for case in ("2024-chromium-tusentalspunkt-ore", "2024-chromium-tusentalskomma-ore")
            for ext in ("html", "pdf")]
WRITER_TKR = CASES / "2024-writer-tkr-rad-ovanfor" / "bilaga1-tkr.pdf"
WRITER_MKR = CASES / "2024-writer-mkr-not-under" / "lansgemensamma-medel-mkr.pdf"

REGION, LAN = truth_table("region"), truth_table("lan")


def extract(path: Path):
    return (web if path.suffix == ".html" else pdf).extract(path)


def printed_to_one_decimal(cells: dict, scale: int) -> dict:
    """The truth's kronor as read back from a print in tkr (scale 1 000) or Mkr (1 000 000)
    to one decimal, rounded half up: 164 423 176 kr prints 164 423,2 tkr, read as
    164 423 200 kr."""
    tenth = Decimal(scale) / 10
    return {key: int((Decimal(v) / tenth).quantize(Decimal(1), ROUND_HALF_UP) * tenth)
            for key, v in cells.items()}


@pytest.mark.parametrize("path", [CALC, CALC_SEK], ids=["plain", "SEK before"])
def test_calc_in_the_en_us_locale_reads_cell_for_cell(path: Path) -> None:
    # Calc prints the numbers of the XLSX with the en_US "#,##0": 129,530,375; with the
    # currency format '"SEK "#,##0' each amount is "SEK 129,530,375", SEK in kronor.
    extraction = extract(path)
    assert cell_diff({**REGION.cells(), **LAN.cells()}, read_cells(extraction)) == []
    assert read_names(extraction) == {**REGION.names(), **LAN.names()}
    assert {row["unit"] for row in extraction.allocations.iter_rows(named=True)} == {"kr"}
    assert reading_problems(extraction) == []
    assert error_findings(extraction) == []


@pytest.mark.parametrize("path", CHROMIUM, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_point_and_comma_groups_with_ore_read_cell_for_cell(path: Path) -> None:
    # 129.530.375,00 kr and 129,530,375.00: öre ,00 / .00 are whole kronor.
    extraction = extract(path)
    assert cell_diff(REGION.cells(), read_cells(extraction)) == []
    assert reading_problems(extraction) == []
    assert error_findings(extraction) == []


def test_tkr_stated_above_the_first_title_covers_both_tables() -> None:
    # "Belopp i tusental kronor (tkr)" stands above the region table's title only; the län
    # table follows with nothing but its title between, so it is in tkr too.
    extraction = extract(WRITER_TKR)
    expected = printed_to_one_decimal({**REGION.cells(), **LAN.cells()}, 1_000)
    assert cell_diff(expected, read_cells(extraction)) == []
    assert {(r["unit"], r["unit_step"]) for r in extraction.allocations.iter_rows(
        named=True)} == {("tkr", 100)}
    assert reading_problems(extraction) == []
    assert error_findings(extraction) == []


def test_mkr_stated_in_a_note_under_the_table() -> None:
    # "Anm. Belopp i miljoner kronor (Mkr)." under the last row: Riket's Totalt belopp prints
    # 724,0, which is 724 000 000 kr.
    extraction = extract(WRITER_MKR)
    expected = printed_to_one_decimal(LAN.cells(), 1_000_000)
    assert expected[("lan", "", "Totalt belopp")] == 724_000_000
    assert cell_diff(expected, read_cells(extraction)) == []
    assert {r["unit"] for r in extraction.allocations.iter_rows(named=True)} == {"Mkr"}
    assert reading_problems(extraction) == []
    assert error_findings(extraction) == []


@pytest.mark.parametrize("path", [CALC_DEFECT, CALC_SEK_DEFECT], ids=["plain", "SEK before"])
def test_a_changed_cell_in_en_us_notation_is_named(path: Path) -> None:
    # Region 05 Traumavård printed 2,248,465 (truth 2 238 465 + 10 000): the row, the column
    # and the key Traumavård = ½ Kunskapsbaserad break at that cell, nothing else.
    extraction = extract(path)
    changed = with_cell(REGION, "05", "Traumavård", 10_000)
    assert cell_diff({**changed.cells(), **LAN.cells()}, read_cells(extraction)) == []
    keys = {(f["check"], f["table"], f["scb_code"], f["measure"])
            for f in error_findings(extraction)}
    assert keys == {("cross_footing", "region", "05", "Totalt belopp"),
                    ("footing", "region", None, "Traumavård"),
                    ("allocation_key", "region", "05", "Traumavård")}


def test_an_html_note_under_a_table_states_its_unit(tmp_path: Path) -> None:
    # The region table printed in tkr without decimals ("129 530" for 129 530 375 kr, rounded
    # half up to whole tkr) and "Belopp i tkr" as a paragraph under it: read ×1 000.
    rows = "".join(
        f"<tr><td>{code}</td><td>{name}</td>" + "".join(
            f"<td>{round(Decimal(a) / 1000):,}</td>".replace(",", " ") for a in amounts)
        + "</tr>" for code, name, amounts in REGION.rows)
    page = tmp_path / "regioner.html"
    page.write_text(
        "<!doctype html><meta charset=utf-8><h2>Fördelning till regionerna</h2><table><tr>"
        "<th>Länskod</th><th>Region</th>" + "".join(f"<th>{m}</th>" for m in REGION.measures)
        + f"</tr>{rows}</table><p>Belopp i tkr</p><p>Medlen betalas ut i april.</p>",
        encoding="utf-8")
    extraction = web.extract(page)
    read = read_cells(extraction)
    assert read[("region", "01", "Barn och unga")] == 129_530_000
    assert read[("region", "", "Totalt belopp")] == 703_000_000
    assert {r["unit"] for r in extraction.allocations.iter_rows(named=True)} == {"tkr"}


def test_a_currency_code_before_each_amount_is_read_in_an_html_table(tmp_path: Path) -> None:
    # The region table as a page prints it with the currency first: "SEK 129,530,375". The
    # leading SEK is the unit (kronor), and the commas group thousands as the cells with
    # three groups show ("SEK 289,330" alone could be read either way).
    rows = "".join(
        f"<tr><td>{code}</td><td>{name or 'Riket'}</td>"
        + "".join(f"<td>SEK {amount:,}</td>" for amount in amounts) + "</tr>"
        for code, name, amounts in REGION.rows)
    page = tmp_path / "regioner.html"
    page.write_text(
        "<html><body><table><tr><th>Länskod</th><th>Region</th>"
        + "".join(f"<th>{m}</th>" for m in REGION.measures) + f"</tr>{rows}</table>"
        "</body></html>", encoding="utf-8")
    extraction = extract(page)
    assert cell_diff(REGION.cells(), read_cells(extraction)) == []
    assert reading_problems(extraction) == []
