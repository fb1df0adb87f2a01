"""The general allocation-table model: tables by name or code, typed columns, units, odd digit
grouping and tables that hold no money, read from the published pages and the page fixtures."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from extractors import plaintext, web
from extractors.money_columns import column_type, odd_grouping_reading, parse_in_unit, unit_in_text
from extractors.tables import classify_row

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "fixtures" / "cases"
DEFECTS = ROOT / "fixtures" / "defects"
TRUTH = ROOT / "fixtures" / "sources" / "truth" / "2024"
TIDIGA = CASES / "2023-12-tidiga-besked" / "2023-12-tidiga-besked.md"
BOCKER = CASES / "2025-04-bocker" / "2025-04-bocker.md"
PRESS = CASES / "2024-utbetalning-pressmeddelande" / "pressmeddelande-utbetalning-2024.html"
ORG = CASES / "2024-regioner-organisationsnamn" / "regionernas-barn-och-unga-medel-2024.md"
MKR = CASES / "2024-lansgemensamma-mkr" / "lansgemensamma-medel-2024-mkr.html"


def truth(name: str) -> list[dict]:
    with open(TRUTH / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_units_come_from_the_header_or_caption_never_from_an_amount_phrase():
    assert unit_in_text("Sammanlagda medel per region.* Miljoner kronor") == "Mkr"
    assert unit_in_text("Belopp i miljoner kronor") == "Mkr"
    assert unit_in_text("Angivet i tusental kronor") == "tkr"
    assert unit_in_text("480 miljoner till inköp av böcker") is None
    assert unit_in_text("Traumavård") is None


def test_columns_are_typed_by_header_words():
    assert column_type("Andel").kind == "share_percent"
    assert column_type("Antal kommuner").kind == "count"
    assert column_type("Befolkning 1 november 2023").kind == "population"
    assert column_type("Belopp, kronor") == column_type("Belopp, kronor", "")
    assert (column_type("Belopp, kronor").kind, column_type("Belopp, kronor").unit) == (
        "amount", "kr")
    caption = column_type("Suicidprevention", "Belopp i miljoner kronor")
    assert (caption.kind, caption.unit, caption.unit_source) == ("amount", "Mkr", "caption")


def test_amounts_in_the_column_unit_and_a_cell_unit_wins():
    assert parse_in_unit("2 111", "Mkr").amount_sek == 2_111_000_000
    assert parse_in_unit("145,8", "Mkr").amount_sek == 145_800_000
    assert parse_in_unit("129 530 375 kr", "Mkr").amount_sek == 129_530_375
    assert parse_in_unit("23,39 %", "kr") is None


def test_odd_grouping_is_read_by_its_digits_only_when_asked():
    reading = odd_grouping_reading("544 99 160")
    assert reading is not None and reading.amount_sek == 54_499_160
    assert odd_grouping_reading("1 916 68O kr") is None  # a letter is no digit grouping
    assert odd_grouping_reading("96 566 286") is None  # clean groups need no second reading


def test_named_rows_and_total_rows_with_small_numbers():
    assert classify_row(["Gotland", "81"]) == "named"
    assert classify_row(["Skåne län", "52 830 451"]) == "named"
    assert classify_row(["Totalt", "9 842"]) == "total"
    assert classify_row(["Riket", "290"]) == "total"
    assert classify_row(["01", "Stockholm", "129 530 375 kr"]) == "data"
    # A purpose with an amount is a named row; its table is no allocation table (see below).
    assert classify_row(["Barn och unga", "553 000"]) == "named"


def test_tidiga_besked_regions_and_lan_in_mkr():
    ex = plaintext.extract(TIDIGA)
    region = ex.allocations.filter(table="region")
    lan = ex.allocations.filter(table="lan")
    assert region.height == 22 and lan.height == 21
    assert set(region["unit"]) == {"Mkr"} and set(region["unit_step"]) == {1_000_000}
    assert region.filter(name_raw="Stockholm")["amount_sek"].item() == 2_111_000_000
    assert region.filter(row_kind="total")["amount_sek"].item() == 9_842_000_000
    assert region.filter(row_kind="recipient")["amount_sek"].sum() == 9_842_000_000
    assert lan.filter(name_raw="Gotland")["amount_sek"].item() == 5_000_000
    assert lan["amount_sek"].sum() == 750_000_000  # the text's 750 miljoner kronor
    assert [t.has_total_row for t in ex.tables] == [True, False]
    assert ex.problems == []
    # The paragraphs stay text; the table rows do not.
    assert any("750 miljoner kronor" in b.text for b in ex.text)
    assert not any("2 111" in b.text for b in ex.text)


def test_bocker_lan_table_without_header_or_total():
    ex = plaintext.extract(BOCKER)
    frame = ex.allocations
    assert frame.height == 21 and set(frame["table"]) == {"lan"}
    assert set(frame["row_kind"]) == {"recipient"} and set(frame["unit"]) == {"kr"}
    assert frame.filter(name_raw="Skåne län")["amount_sek"].item() == 52_830_451
    assert frame["amount_sek"].sum() == 382_127_135
    assert [p.check for p in ex.problems] == ["missing_header"]
    (info,) = ex.tables
    assert (info.kind, info.recipient_rows, info.has_total_row) == ("lan", 21, False)


def test_press_release_codes_shares_and_amounts():
    ex = web.extract(PRESS)
    region = {r["lan_code"]: r for r in truth("region.csv")}
    frame = ex.allocations
    assert set(frame["measure"]) == {"Belopp, kronor"}
    assert frame.filter(code="1")["amount_sek"].item() == int(region["01"]["Totalt belopp"])
    assert frame.filter(row_kind="total")["amount_sek"].item() == int(region[""]["Totalt belopp"])
    shares = ex.attributes
    assert set(shares["kind"]) == {"share_percent"} and set(shares["decimals"]) == {2}
    assert shares.filter(code="1")["value"].item() == pytest.approx(23.39)
    assert shares.filter(row_kind="total")["value"].item() == pytest.approx(100.0)
    assert shares.filter(row_kind="recipient").height == 21
    assert ex.tables[0].other_measures == ("Andel (share_percent)",)


def test_organisation_names_with_a_summa_row():
    ex = plaintext.extract(ORG)
    frame = ex.allocations
    barn = {r["lan_code"]: int(r["Barn och unga"]) for r in truth("region.csv")}
    assert set(frame["table"]) == {"region"}
    assert frame.filter(name_raw="Västra Götalandsregionen")["amount_sek"].item() == barn["14"]
    total = frame.filter(row_kind="total")
    assert (total["name_raw"].item(), total["amount_sek"].item()) == ("Summa", barn[""])


def test_mkr_with_one_decimal_keeps_its_printed_step():
    ex = web.extract(MKR)
    frame = ex.allocations
    assert set(frame["unit"]) == {"Mkr"} and set(frame["unit_step"]) == {100_000}
    uppsala = frame.filter(name_raw="Uppsala", measure="Suicidprevention")
    assert uppsala["amount_sek"].item() == 7_700_000  # 7 666 721 kr rounded to 7,7 Mkr
    assert frame.filter(row_kind="total", measure="Totalt belopp")["amount_sek"].item() == (
        724_000_000)


def test_odd_digit_grouping_is_read_and_named_in_a_warning():
    ex = web.extract(DEFECTS / "odd-digit-grouping" / "pressmeddelande-utbetalning-2024.html")
    (warning,) = [p for p in ex.problems if p.check == "odd_digit_grouping"]
    assert warning.severity == "warning" and warning.observed_text == "965 66 286"
    assert warning.code == "12" and warning.measure == "Belopp, kronor"
    assert ex.allocations.filter(code="12")["amount_sek"].item() == 96_566_286


def test_a_count_table_is_not_reconciled_and_not_kronor():
    ex = plaintext.extract(DEFECTS / "not-an-allocation-table" / "kommuner-per-lan.md")
    assert ex.allocations.is_empty()
    counts = ex.attributes
    kommuner = truth("kommun.csv")
    assert counts.filter(name_raw="Skåne")["value"].item() == sum(
        1 for r in kommuner if r["kommun_code"].startswith("12"))
    assert counts.filter(row_kind="total")["value"].item() == 290
    assert set(counts["kind"]) == {"count"}
    (problem,) = [p for p in ex.problems if p.check == "not_reconciled"]
    assert problem.severity == "warning" and problem.measure == "Antal kommuner"
    assert ex.tables[0].status == "not_reconciled"


def test_a_list_of_purposes_is_no_allocation_table(tmp_path):
    page = tmp_path / "purposes.md"
    page.write_text("Fördelning av medel\n\n| Område | Mkr |\n| --- | --- |\n"
                    "| Barn och unga | 553 |\n| Traumavård | 50 |\n", encoding="utf-8")
    ex = plaintext.extract(page)
    assert ex.allocations.is_empty() and ex.problems == []
    assert [b.text for b in ex.text if b.kind == "table_row"] == [
        "Område | Mkr", "Barn och unga | 553", "Traumavård | 50"]
