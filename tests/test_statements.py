"""Money statements and claims read from the seed texts (issue 7)."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sources import docx_rows, paragraphs, seed_lines

from extractors.base import TextBlock
from extractors.statements import (
    join_page_breaks,
    parse_amount_phrase,
    statements_to_claims,
    text_to_statements,
)


@pytest.mark.parametrize(
    ("text", "table_unit", "value", "unit", "precision"),
    [
        ("betala ut 1 527 000 000 kronor till", None, 1_527_000_000, "kr", 0.5),
        ("omfattar totalt 1716 miljoner kronor", None, 1_716_000_000, "miljoner", 500_000),
        ("1 716 miljoner kronor", None, 1_716_000_000, "miljoner", 500_000),
        ("fördelas 24 Mkr till länen", None, 24_000_000, "Mkr", 500_000),
        ("250 Mkr kronor fördelas", None, 250_000_000, "Mkr", 500_000),
        ("omfatta ca 1, 5 miljarder kronor 2021", None, 1_500_000_000, "miljarder", 50_000_000),
        ("1,5 miljarder kronor", None, 1_500_000_000, "miljarder", 50_000_000),
        ("182,5 miljoner kronor", None, 182_500_000, "miljoner", 50_000),
        ("över 14,1 miljarder kronor", None, 14_100_000_000, "miljarder", 50_000_000),
        ("tilldelas 1 miljon förutom", None, 1_000_000, "miljoner", 500_000),
        ("I Stärkt samverkan 6 199 701, 00", None, 6_199_701, "kr", 0.005),
        ("Aktiviteter 1 000 000 kr", None, 1_000_000, "kr", 0.5),
        ("En förstärkt psykiatrisk traumavård | 50\u00a0000 | Regioner", "tkr", 50_000_000,
         "tkr", 500),
        ("Totalt överenskommelsen 1 560 000", "tkr", 1_560_000_000, "tkr", 500),
        ("Traumavård 50 000 000 Regioner via", "kr", 50_000_000, "kr", 0.5),
        ("5 000 tkr", None, 5_000_000, "tkr", 500),
        # A bare amount of at least a million, grouped, in a money sentence ("avsätts").
        ("Till regionerna avsätts 1 200 000 000 utifrån befolkningsmängd.", None,
         1_200_000_000, "kr", 0.5),
    ],
)
def test_amount_phrases(text, table_unit, value, unit, precision):
    found = parse_amount_phrase(text, table_unit)
    assert len(found) == 1
    fields = found[0][2]
    assert (fields["value"], fields["unit"], fields["precision"]) == (value, unit, precision)


@pytest.mark.parametrize(
    "text",
    [
        "Regeringsbeslut 2024-03-27 S2024/00330 S2024/00717 (delvis) I:6 2 bilagor",
        "senast den 31 mars 2021 och den 15 februari 2021",
        "omkring 20–30 procent 2015",
        "anslaget 1:8 Bidrag till psykiatri, anslagsposten 3",
        "fler än 1 100 personer av suicid varje år",
        "per 100 000 invånare finns bland män",
        "Telefonväxel: 08-405 10 00 Postadress: 103 33 Stockholm",
        "inom ramen för 2024 års överenskommelse (se avsnitt 3.3), 21",
        "som är 0–25 år i respektive region",
        "10 miljoner invånare",
        # A count noun a word or two after the number (words.toml's count_nouns).
        "vilket skulle kunna motsvara ungefär 2,4 miljoner nya böcker.",
        "Satsningen når 1,2 miljoner fler elever.",
        "Medlen fördelas efter 10 551 707 folkbokförda invånare.",
        # Bare grouped numbers outside money sentences, or counting something else.
        "Befolkningen var 10 551 707 den 1 november 2023.",
        "Medlen fördelas efter 10 551 707 invånare.",
        "Till regionerna avsätts 200 000 utifrån befolkningsmängd.",
    ],
)
def test_numbers_that_are_not_money(text):
    assert parse_amount_phrase(text) == []


@pytest.mark.parametrize(("text", "printed"), [
    # A link word ("till", "av") comes before the count noun: the books are what the money
    # buys, so the amount is money.
    ("480 miljoner till inköp av böcker", "480 miljoner"),
    # A money unit after the scale word makes it money whatever follows.
    ("5 miljoner kronor barn och unga", "5 miljoner kronor"),
    # The noun is three words on, beyond the reach of 2.
    ("Regionerna får 3 miljoner för fler elever", "3 miljoner"),
])
def test_a_count_noun_after_a_link_word_leaves_money_alone(text, printed):
    assert [f["text"] for _, _, f in parse_amount_phrase(text)] == [printed]


def _group(n: int) -> str:
    return f"{n:,}".replace(",", "\u00a0" if n % 2 else " ")


def _printed(n: int, scale: int, decimals: int) -> str:
    q = (Decimal(n) / scale).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_EVEN)
    whole, _, frac = f"{q:f}".partition(".")
    return _group(int(whole)) + ("," + frac if frac else "")


@given(
    n=st.integers(min_value=0, max_value=10**12),
    form=st.sampled_from([
        ("{} kronor", 1, 0), ("{} kr", 1, 0), ("{} tkr", 1000, 0), ("{} Mkr", 10**6, 1),
        ("{} miljoner kronor", 10**6, 1), ("{} miljoner kronor", 10**6, 0),
        ("{} miljarder kronor", 10**9, 2), ("{} miljarder", 10**9, 1),
    ]),
)
def test_formatted_amounts_parse_back_within_their_precision(n, form):
    template, scale, decimals = form
    text = "Medlen uppgår till " + template.format(_printed(n, scale, decimals)) + " under året."
    found = parse_amount_phrase(text)
    assert len(found) == 1
    fields = found[0][2]
    assert abs(fields["value"] - n) <= fields["precision"]
    assert fields["precision"] == scale / 2 / 10**decimals


def decision_2024_pdf() -> list[TextBlock]:
    return paragraphs(seed_lines("002", 1, 1399))


def agreement_2024_docx() -> list[TextBlock]:
    return (paragraphs(seed_lines("002", 9653, 9823)) + docx_rows(seed_lines("002", 9824, 9999))
            + paragraphs(seed_lines("002", 10000)))


def test_decision_2024_states_only_its_payouts_and_rates():
    """Dates, diarienummer, phone numbers and the Bilaga 1 allocation rows are no statements."""
    found = text_to_statements(decision_2024_pdf(), "beslut.pdf")
    assert sorted({s.value for s in found}) == [
        1_000_000, 2_000_000, 5_000_000, 33_000_000, 1_527_000_000, 1_560_000_000]
    payout = found[0]
    assert (payout.value, payout.scope, payout.role) == (1_527_000_000, "combined", "amount")
    assert "betala ut" in payout.context
    assert {s.role for s in found if s.value <= 5_000_000} == {"rate"}
    assert [s.role for s in found if s.value == 1_560_000_000] == ["whole"]


def test_agreement_2024_tkr_table_rows():
    found = text_to_statements(agreement_2024_docx(), "overenskommelse.docx")
    table = [s for s in found if s.table_id is not None]
    assert [(s.value // 1000, s.scope) for s in table] == [
        (553_000, "region"), (100_000, "region"), (50_000, "region"), (100_000, "kommun"),
        (250_000, "lan"), (250_000, "lan"), (24_000, "lan"), (200_000, "lan"), (33_000, "skr"),
        (703_000, "region"), (100_000, "kommun"), (724_000, "lan"), (33_000, "skr"),
        (1_560_000, "whole"),
    ]
    assert {s.unit for s in table} == {"tkr"} and {s.precision for s in table} == {500}
    # Each row's words as printed, folded (å, ä -> a; ö -> o), the function words left out.
    assert [s.words for s in table[:3]] == [
        ("utvecklat", "framja", "psykisk", "halsa", "forebygga", "ohalsa", "suicid", "barn",
         "unga", "starka", "forsta", "linjens", "vard", "ungdomspsykiatrin"),
        ("kunskapsbaserad", "saker", "vard", "omsorg"),
        ("forstarkt", "psykiatrisk", "traumavard")]
    assert [s.context for s in table if s.value // 1000 in (100_000, 703_000)] == [
        "En kunskapsbaserad och säker vård och omsorg | 100 000 | Regioner via KamK",
        "Kommuner: En kunskapsbaserad och säker vård och omsorg | 100 000 | Kommuner via KamK",
        "Totalt regioner | 703 000",
        "Totalt kommuner | 100 000",
    ]


def test_jamtland_table_and_subject():
    found = text_to_statements(paragraphs(seed_lines("003")), "jamtland.txt")
    table = [s for s in found if s.table_id is not None]
    assert [s.value for s in table] == [6_199_701, 1_000_000, 2_525_124, 1_797_459, 11_522_848]
    assert {s.scb_code for s in table} == {"23"}
    national = next(s for s in found if s.value == 1_680_000_000)
    assert national.role == "whole" and national.scb_code is None
    claims = statements_to_claims(found)
    total = next(c for c in claims if c.kind == "sum")
    assert total.total.value == 11_522_848
    assert sum(p.value for p in total.parts) == 11_522_284


def test_2017_list_is_claimed_against_its_introduction():
    found = text_to_statements(paragraphs(seed_lines("004")), "2017.txt")
    claims = statements_to_claims(found)
    sums = {c.total.value: [p.value for p in c.parts] for c in claims if c.kind == "sum"}
    assert sums == {
        885_000_000: [780_000_000],
        780_000_000: [250_000_000, 150_000_000, 130_000_000],
    }
    assert [s.scope for s in found if s.value in (60_000_000, 45_000_000)] == ["skr", "skr"]


def test_every_statement_is_in_a_claim():
    found = text_to_statements(paragraphs(seed_lines("000")), "2020.txt")
    claims = statements_to_claims(found)
    claimed = {s.id for c in claims for s in ((c.total,) if c.total else ()) + c.parts}
    assert claimed == {s.id for s in found}
    assert len(found) == 20  # counted by hand in the page text


def _prose(lines: list[str]) -> str:
    return " ".join(" ".join(lines).split())


def test_a_sentence_cut_by_a_page_break_is_joined_again():
    """The 2024 agreement PDF ends page 10 with "... 803 000 000 kronor för att" and prints the
    parts ("Av dessa medel ...") on page 11; the reader gives each page as one block."""
    blocks = [TextBlock(_prose(seed_lines("002", 1918, 1923)), 10),
              TextBlock("10", 10),
              TextBlock(_prose(seed_lines("002", 1924, 1932)), 11)]
    found = text_to_statements(blocks, "overenskommelse.pdf")
    assert [(s.value, s.page) for s in found] == [
        (803_000_000, 10), (553_000_000, 11), (250_000_000, 11)]
    [total] = [c for c in statements_to_claims(found) if c.kind == "sum"]
    assert total.total.value == 803_000_000
    assert [p.value for p in total.parts] == [553_000_000, 250_000_000]


def test_a_new_page_that_starts_a_sentence_is_not_joined():
    blocks = [TextBlock(_prose(seed_lines("002", 1918, 1923)), 10),
              TextBlock(_prose(seed_lines("002", 1933, 1938)), 11)]
    assert len(join_page_breaks(blocks)) == 2


def test_list_items_without_bullets_are_a_list():
    """The HTML reader keeps each <li> of the 2017 page as a paragraph without its bullet."""
    blocks = [TextBlock(re.sub(r"^\s*•\s*", "", b.text), None)
              for b in paragraphs(seed_lines("004"))]
    assert not any(b.text.lstrip().startswith("•") for b in blocks)
    claims = statements_to_claims(text_to_statements(blocks, "2017.html"))
    sums = {c.total.value: [p.value for p in c.parts] for c in claims if c.kind == "sum"}
    assert sums[780_000_000] == [250_000_000, 150_000_000, 130_000_000]


def test_pdf_table_row_with_wrapped_label_takes_its_recipient_from_mottagare():
    """The PDF reader prints a wrapped row label's last line after the Mottagare cell:
    "Utvecklingsarbete och samordning av kommuner och 33 000 SKR via KamK regioner"."""
    header = [TextBlock("Belopp (tkr) Mottagare*", 17), TextBlock("SKR", 17)]
    row = TextBlock("Utvecklingsarbete och samordning av kommuner och 33 000 SKR via KamK "
                    "regioner", 17)
    wrapped = TextBlock("En mer sammanhållen, behovsanpassad och 250 000 Länen via KamK "
                        "personcentrerad vård och omsorg för personer med samsjuklighet eller "
                        "omfattande behov", 17)
    [skr] = text_to_statements([*header, row], "overenskommelse.pdf")
    assert (skr.value, skr.scope) == (33_000_000, "skr")
    assert skr.label == "Utvecklingsarbete och samordning av kommuner och regioner"
    assert skr.context == ("SKR: Utvecklingsarbete och samordning av kommuner och regioner"
                           " | 33 000 | SKR via KamK")
    [lan] = text_to_statements([header[0], wrapped], "overenskommelse.pdf")
    assert (lan.value, lan.scope) == (250_000_000, "lan")
    assert lan.words == ("sammanhallen", "behovsanpassad", "personcentrerad", "vard",
                         "omsorg", "personer", "samsjuklighet", "omfattande", "behov")
    assert lan.context == ("En mer sammanhållen, behovsanpassad och personcentrerad vård och omsorg"
                           " för personer med samsjuklighet eller omfattande behov | 250 000 |"
                           " Länen via KamK")


def test_press_release_amounts_their_roles_and_recipients():
    """The böcker page: its headline names the län, the body's "Totalt" amount names no
    recipient, and "ungefär 2,4 miljoner nya böcker" counts books, not kronor: no statement (a
    count noun within two words after the number, words.toml's count_nouns)."""
    page = Path(__file__).resolve().parents[1] / "fixtures/cases/2025-04-bocker/2025-04-bocker.md"
    lines = page.read_text(encoding="utf-8").split("\n")
    blocks = [TextBlock(lines[0].lstrip("# "), None, "heading")] + paragraphs(lines[2:3])
    found = [(s.text, s.value, s.role, s.scope, s.total_cue)
             for s in text_to_statements(blocks, "bocker.md")]
    assert found == [
        ("480 miljoner", 480_000_000, "amount", "lan", False),
        ("480 miljoner kronor", 480_000_000, "amount", None, True),
    ]


def test_a_list_is_paired_with_the_amount_that_announces_it():
    """The intro names the whole programme (2 miljarder, two payments) and this payment
    (1 miljard); the items add up to 1 000 000 000 (600 + 400 Mkr), so the list is this
    payment's, and with one item 10 kr off it is still this payment's list (nearest)."""
    from extractors.base import TextBlock

    def list_claim(uppsala: str) -> tuple:
        blocks = [TextBlock("Den första delen om 1 000 000 000 kronor av totalt 2 000 000 000 "
                            "kronor till regionerna fördelas enligt följande:", None),
                  TextBlock("Region Stockholm: 600 000 000 kronor", None),
                  TextBlock(f"Region Uppsala: {uppsala} kronor", None)]
        [claim] = [c for c in statements_to_claims(text_to_statements(blocks, "x.html"))
                   if c.how == "list"]
        return claim.total.value, [p.value for p in claim.parts]

    assert list_claim("400 000 000") == (1_000_000_000, [600_000_000, 400_000_000])
    assert list_claim("400 000 010") == (1_000_000_000, [600_000_000, 400_000_010])
