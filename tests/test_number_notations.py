"""Number notations of other locales, and units stated outside a table, cell by cell.

The amounts are the 2024 truth's (fixtures/sources/truth/2024/region.csv): Kronoberg's Barn
och unga 11 154 061 kr and Traumavård 966 254 kr, Stockholm's Totalt belopp 164 423 176 kr,
Riket 703 000 000 kr; Jämtland's 2021 paper prints 6 199 701, 00 (seed 003).
"""

from __future__ import annotations

from decimal import Decimal

from extractors.amounts import amount_issue, parse_amount, reads_as_number
from extractors.money_columns import (
    ColumnType,
    column_type,
    column_types,
    read_in_column,
    unit_statement,
)
from extractors.notation import (
    COMMA_GROUPS,
    POINT_GROUPS,
    SWEDISH,
    choose_notation,
    notation_issue,
    printed_number,
    readings,
)
from extractors.phrases import parse_amount_phrase, text_notation
from extractors.unit_notes import unit_notes


def kronor(text: str, ctype: ColumnType) -> int | None:
    reading = read_in_column(text, ctype)
    return reading.parsed.amount_sek if reading.parsed else None


# --- one cell that shows its notation by itself ------------------------------------------

def test_a_cell_with_two_groups_shows_its_notation() -> None:
    assert parse_amount("11,154,061").amount_sek == 11_154_061
    assert parse_amount("11.154.061").amount_sek == 11_154_061
    assert parse_amount("11'154'061").amount_sek == 11_154_061
    assert parse_amount("6,199,701.00").amount_sek == 6_199_701  # öre 00: whole kronor
    assert parse_amount("6.199.701,00 kr").amount_sek == 6_199_701
    assert parse_amount("\u2212164,423,176").amount_sek == -164_423_176  # a minus sign
    assert parse_amount("\u2013703.000.000 kr").amount_sek == -703_000_000  # an en dash


def test_swedish_cells_read_as_before() -> None:
    assert parse_amount("129\u202f530\u202f375 kr").amount_sek == 129_530_375  # narrow nbsp
    assert parse_amount("129\u2009530\u2009375").amount_sek == 129_530_375  # thin space
    assert parse_amount("6 199 701, 00").amount_sek == 6_199_701
    assert parse_amount("12 345:-").amount_sek == 12_345
    assert parse_amount("1,5 Mkr").amount_sek == 1_500_000


def test_ore_and_a_lone_comma_group_are_named_not_rounded() -> None:
    assert parse_amount("6 199 701,50") is None
    assert "50 öre" in amount_issue("6 199 701,50")
    assert "50 öre" in amount_issue("6,199,701.50")  # the same in English notation
    # 966,254 alone is 966 254 (comma grouping) or 966,254 (decimal comma): both are said.
    assert parse_amount("966,254") is None
    assert "966 254" in amount_issue("966,254") and "966,254" in amount_issue("966,254")


def test_a_wrapped_cell_is_one_number_with_its_decimals() -> None:
    # "145 | 811,5" (Stockholm's Totalt belopp of the län table in tkr, 145 811 479 kr,
    # wrapped in its cell) is one number; "1 234 5" is none.
    assert reads_as_number("145 811,5")
    assert reads_as_number("11,154,061")
    assert not reads_as_number("1 234 5")
    assert not reads_as_number("Stockholm")


# --- a column read in the notation its cells choose --------------------------------------

def test_a_column_of_comma_groups_reads_its_single_group_cells_as_thousands() -> None:
    ctype = column_type("Traumavård", "", ("11,630,934", "966,254", "289,330", "50,000,000"))
    assert ctype.notation.notation == COMMA_GROUPS
    assert ctype.notation.evidence == "11,630,934"
    assert kronor("966,254", ctype) == 966_254


def test_a_column_whose_cells_cannot_tell_takes_the_tables_notation() -> None:
    # Traumavård of Kronoberg, Gotland, Jämtland (one group each) beside a column of two.
    traumavard = ("966,254", "289,330", "627,344")
    barn = ("11,154,061", "2,858,727", "6,578,997")
    alone = column_type("Traumavård", "", traumavard)
    assert not alone.notation.settled
    types = column_types([("Barn och unga", "", barn), ("Traumavård", "", traumavard)])
    assert [t.notation.notation for t in types] == [COMMA_GROUPS, COMMA_GROUPS]
    assert kronor("289,330", types[1]) == 289_330


def test_an_ambiguous_cell_without_evidence_says_both_readings() -> None:
    ctype = column_type("Traumavård", "", ("966,254", "289,330"))
    reading = read_in_column("966,254", ctype)
    assert reading.parsed is None
    assert "966 254" in reading.issue and "966,254" in reading.issue


def test_a_cell_in_another_notation_than_its_column_is_named() -> None:
    cells = ("11,154,061", "1,916,680", "15.755.045")  # Södermanland's in point groups
    choice = choose_notation(cells)
    assert choice.notation == COMMA_GROUPS
    issue = notation_issue("15.755.045", choice)
    assert "15.755.045" in issue and "11,154,061" in issue
    assert read_in_column("15.755.045", column_type("Barn och unga", "", cells)).parsed is None


def test_swedish_columns_keep_their_decimal_comma() -> None:
    # Mkr to one decimal: the comma is a decimal; tkr: 164 423,2 is 164 423 200 kr.
    mkr = column_type("Miljoner kronor", "", ("9,5", "24,0", "1,234"))
    assert mkr.notation.notation in (SWEDISH, POINT_GROUPS)
    assert kronor("1,234", mkr) == 1_234_000  # 1,234 Mkr as Swedish prints it
    # No cell tells the notations apart: the Swedish reading stands, as it always has.
    three_decimals = column_type("Miljoner kronor", "", ("1,234", "23,456"))
    assert kronor("23,456", three_decimals) == 23_456_000
    tkr = column_type("Totalt belopp", "Belopp i tkr", ("164 423,2", "703 000,0"))
    assert tkr.unit == "tkr" and kronor("164 423,2", tkr) == 164_423_200
    assert read_in_column("164 423,2", tkr).step == 100


def test_ore_in_a_kronor_column_is_named_with_its_ore() -> None:
    ctype = column_type("Belopp", "", ("6 199 701,50", "11 522 848,00"))
    reading = read_in_column("6 199 701,50", ctype)
    assert reading.parsed is None and "50 öre" in reading.issue


# --- units stated outside the table -------------------------------------------------------

def test_unit_statements_are_short_lines_without_amounts() -> None:
    assert unit_statement("Belopp i tusental kronor (tkr)") == "tkr"
    assert unit_statement("Tkr") == "tkr"
    assert unit_statement("(Mkr)") == "Mkr"
    assert unit_statement("Miljoner kronor") == "Mkr"
    assert unit_statement("Anm. Belopp i miljoner kronor (Mkr).") == "Mkr"
    assert unit_statement("Regeringen betalar ut 703 000 000 kronor") is None  # an amount
    assert unit_statement("Fördelning till regionerna") is None


def test_a_statement_above_the_title_and_one_heading_a_run_of_tables() -> None:
    sequence = ["Bilaga 1", "Belopp i tusental kronor (tkr)", "Region", 0,
                "Länsgemensamma medel", 1]
    assert unit_notes(sequence, ["Region", "Länsgemensamma medel"]) == [
        "Belopp i tusental kronor (tkr)", "Belopp i tusental kronor (tkr)"]


def test_running_text_between_stops_a_statement() -> None:
    prose = ("Regeringen beslutar att betala ut medel till regionerna för arbetet med psykisk "
             "hälsa enligt fördelningen i tabellen nedan")
    assert unit_notes(["Belopp i tkr", prose, "Region", 0], ["Region"]) == [""]
    assert unit_notes(["Belopp i tkr", "Region", 0, prose, "Kommun", 1],
                      ["Region", "Kommun"]) == ["Belopp i tkr", ""]


def test_a_note_under_a_table_is_that_tables() -> None:
    # A note right under table 0 with the next table's title after it is table 0's; a
    # statement alone between two tables belongs to the next, as its caption.
    assert unit_notes([0, "Anm. Belopp i Mkr", "Kommun", 1], ["Region", "Kommun"]) == [
        "Anm. Belopp i Mkr", ""]
    assert unit_notes([0, "Belopp i Mkr", 1], ["", ""]) == ["", "Belopp i Mkr"]
    assert unit_notes([0, "Belopp i Mkr"], [""]) == ["Belopp i Mkr"]


def test_a_title_stating_its_own_unit_is_not_carried() -> None:
    assert unit_notes(["Region (Mkr)", 0, "Kommun", 1], ["Region (Mkr)", "Kommun"]) == [
        "Region (Mkr)", ""]


# --- prose ---------------------------------------------------------------------------------

def test_prose_reads_two_or_more_groups_in_any_notation() -> None:
    def values(text: str, notation: str = SWEDISH) -> list:
        return [f["value"] for _, _, f in parse_amount_phrase(text, None, notation)]

    assert values("Regeringen avsätter 1,527,000,000 kronor till regionerna.") == [
        1_527_000_000]
    assert values("betala ut 1.527.000.000 kronor") == [1_527_000_000]
    assert values("totalt 6,199,701.00 kr") == [6_199_701]
    assert values("1 527 000 000 kronor") == [1_527_000_000]
    # One group is thousands only where the document shows commas grouping elsewhere.
    assert values("33,000 kronor till SKR") == []
    text = "1,527,000,000 kronor till regionerna och 33,000 kronor till SKR"
    assert text_notation([text]) == COMMA_GROUPS
    assert values(text, text_notation([text])) == [1_527_000_000, 33_000]
    assert text_notation(["1 527 000 000 kronor", "24,5 Mkr"]) == SWEDISH
    assert Decimal(values("24,5 Mkr")[0]) == Decimal(24_500_000)


def test_a_cell_without_marks_reads_alike_in_every_notation() -> None:
    # Without a comma, point or apostrophe no notation can read a cell differently, so
    # `readings` reads it once: the answer must be each notation's own reading. Kronoberg's
    # 11 154 061 kr and Stockholm's code 01 read as themselves; words read as nothing.
    for text in ("11 154 061 kr", "01", "-966 254", "SEK 703 000 000", "Riket", "12 barn", ""):
        own = {n: printed_number(text, n) for n in (SWEDISH, COMMA_GROUPS, POINT_GROUPS)}
        assert readings(text) == {n: v for n, v in own.items() if v is not None}, text
    assert readings("11 154 061 kr") == dict.fromkeys(
        (SWEDISH, COMMA_GROUPS, POINT_GROUPS), Decimal(11154061))
    assert readings("Riket") == {}
