"""The amount parser on the notations printed in the seeds, and a round-trip property test."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from extractors.amounts import (
    ParsedAmount,
    _plain_amount,
    _read_amount,
    amount_issue,
    looks_like_amount,
    parse_amount,
)


def test_decision_annex_amount_with_plain_spaces() -> None:
    # Stockholm, Barn och unga, region table of the 2024 annex (truth/2024/region.csv).
    parsed = parse_amount("129 530 375 kr")
    assert parsed is not None
    assert parsed.amount_sek == 129_530_375
    assert parsed.unit == "kr"


def test_no_break_narrow_and_thin_spaces() -> None:
    assert parse_amount("129\u00a0530\u00a0375\u00a0kr").amount_sek == 129_530_375
    assert parse_amount("703\u202f000\u202f000 kr").amount_sek == 703_000_000
    assert parse_amount("1\u2009527\u2009000\u2009000").amount_sek == 1_527_000_000


def test_regional_paper_ore_notation() -> None:
    # Region Jämtland Härjedalen's 2021 paper (seed 003) prints "6 199 701, 00".
    assert parse_amount("6 199 701, 00").amount_sek == 6_199_701
    assert parse_amount("6 199 701,00").amount_sek == 6_199_701
    assert parse_amount("6 199 701,00 kr").amount_sek == 6_199_701


def test_non_zero_ore_is_an_issue_not_a_value() -> None:
    assert parse_amount("6 199 701,50") is None
    assert "öre" in amount_issue("6 199 701,50")


def test_dashes_mean_zero() -> None:
    for text in ("-", "\u2013", "\u2013 kr", "- kr"):
        parsed = parse_amount(text)
        assert parsed is not None and parsed.amount_sek == 0, text


def test_minus_signs() -> None:
    assert parse_amount("-1 000 000 kr").amount_sek == -1_000_000
    assert parse_amount("\u22121 000 000 kr").amount_sek == -1_000_000


def test_units() -> None:
    assert parse_amount("1 000 000 kr").amount_sek == 1_000_000
    assert parse_amount("33 000 000 SEK").amount_sek == 33_000_000
    # 2024 agreement, section 5 table in tkr: 1 527 000 tkr to kommuner and regioner.
    tkr = parse_amount("1 527 000 tkr")
    assert tkr.amount_sek == 1_527_000_000 and tkr.unit == "tkr"
    mkr = parse_amount("885 Mkr")
    assert mkr.amount_sek == 885_000_000 and mkr.unit == "Mkr"
    assert parse_amount("1,5 Mkr").amount_sek == 1_500_000


def test_bad_grouping_is_an_issue() -> None:
    assert parse_amount("129 53 0375 kr") is None
    assert amount_issue("129 53 0375 kr") is not None
    assert looks_like_amount("129 53 0375 kr")


def test_words_are_not_amounts() -> None:
    assert not looks_like_amount("Stockholm")
    assert not looks_like_amount("Totalt belopp")
    assert parse_amount("Riket") is None
    assert amount_issue("Riket") is None


def test_letters_inside_digits_are_an_issue() -> None:
    # An OCR-like "O" for zero is not amount-like text; the table reader reports such a cell
    # in an amount column as an unparsed amount (tests/test_extract_defects.py).
    assert parse_amount("129 53O 375 kr") is None
    assert not looks_like_amount("129 53O 375 kr")


SPACES = st.sampled_from([" ", "\u00a0", "\u202f", "\u2009"])
UNITS = st.sampled_from(["", " kr", "\u00a0kr", " SEK", " kronor"])
ORE = st.sampled_from(["", ",00", ", 00"])
MINUS = st.sampled_from(["-", "\u2212"])


def format_amount(value: int, sep: str, unit: str, ore: str, minus: str) -> str:
    """Print an integer the ways the documents do: grouped digits, öre, unit, sign."""
    grouped = f"{abs(value):,}".replace(",", sep)
    sign = minus if value < 0 else ""
    return f"{sign}{grouped}{ore}{unit}"


@given(st.integers(min_value=-10**12, max_value=10**12), SPACES, UNITS, ORE, MINUS)
def test_formatted_integers_parse_back(value: int, sep: str, unit: str, ore: str, minus: str):
    text = format_amount(value, sep, unit, ore, minus)
    parsed = parse_amount(text)
    assert parsed is not None, text
    assert parsed.amount_sek == value


@given(st.integers(min_value=0, max_value=10**9), SPACES)
def test_tkr_scales_by_thousand(value: int, sep: str) -> None:
    text = f"{value:,}".replace(",", sep) + " tkr"
    assert parse_amount(text).amount_sek == value * 1000


PLAIN_UNITS = st.sampled_from(["", " kr", " kronor", " sek", " tkr", " mkr", " kkr"])


@given(st.integers(min_value=0, max_value=10**15 - 1), st.booleans(), st.integers(0, 3),
       PLAIN_UNITS)
def test_plain_numbers_read_straight_as_in_every_step(value: int, grouped: bool, zeros: int,
                                                      unit: str) -> None:
    # A plainly printed whole number ("129 530 375 kr", a code "0114") is read straight,
    # without the notation and issue steps; the result must be the one those steps give.
    digits = f"{value:,}".replace(",", " ") if grouped else "0" * zeros + str(value)
    text = digits + unit
    plain = _plain_amount(text)
    assert plain is not None, text
    assert plain == _read_amount(text)


def test_plain_reading_by_hand_and_what_it_leaves_to_the_steps() -> None:
    # "0114" (Upplands Väsby's code as a number): 114 kronor, no unit, printed 114.
    assert _plain_amount("0114") == ParsedAmount(114, "", Decimal(114), "0114")
    # 1 527 000 tkr (2024 agreement, section 5) is 1 527 000 000 kronor.
    assert _plain_amount("1 527 000 tkr").amount_sek == 1_527_000_000
    # Anything else goes through every step: odd groups, öre, signs, other spaces, upper-case
    # units, a unit that is no unit, and more digits than a Decimal step keeps exact.
    for text in ("129 53 0375 kr", "6 199 701,00", "-1 000", "1\u00a0000", "33 SEK",
                 "12 barn", "1" * 19, "1 000\n"):
        assert _plain_amount(text) is None, text


def test_a_word_longer_than_any_unit_is_no_amount() -> None:
    # "kronor" (6 letters) is the longest unit spelling of units.toml: an amount printed with
    # it is an amount, a text with a longer word is none (a sentence, "Stockholms").
    assert looks_like_amount("129 530 375 kronor")
    assert looks_like_amount("(1 234 kronor)")
    assert not looks_like_amount("Stockholms 129 530 375")
    assert not looks_like_amount("129 530 375 kronorna")
