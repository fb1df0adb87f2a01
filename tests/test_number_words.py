"""Totals stated in Swedish number words (extractors/number_words.py) and a sentence that sends
the reader to a table for its distribution ("… enligt bilaga 1"), through the statement reader
and the whole pipeline on the fixtures drawn by Writer and Chromium
(fixtures/builder/exports_checks.py). Every value below is read off the words by hand."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from extractors.base import TextBlock
from extractors.number_words import find_word_amounts, is_number_word, word_value
from extractors.phrases import content_words, parse_amount_phrase
from extractors.statements import text_to_statements
from pipeline.orchestrate import reconcile_case
from pipeline.settings import Settings

ROOT = Path(__file__).resolve().parent.parent / "fixtures"
SETTINGS = Settings(data_docs=False, evidence_images=False)
MILJON = 1_000_000


@pytest.mark.parametrize(("word", "value"), [
    ("sjuhundratretton", 713),  # sju|hundra|tretton: 7 × 100 + 13
    ("sjuhundratre", 703),
    ("femhundrafemtiotre", 553),  # fem|hundra|femtio|tre
    ("etthundra", 100),
    ("hundra", 100),
    ("femtio", 50),
    ("tvåhundrafemtiotusen", 250_000),  # (2 × 100 + 50) × 1 000
    ("sjuttiotvå", 72),
    ("tjugotusen", 20_000),
])
def test_a_compound_is_read_by_its_parts(word, value):
    assert word_value(word) == value


@pytest.mark.parametrize("word", ["trefem", "femtiotjugo", "kommun", "entre", "hundrahundra"])
def test_words_that_are_no_one_number(word):
    # two digits in a row, two tens, no number word at all, a hundred of a hundred
    assert word_value(word) is None


@pytest.mark.parametrize(("text", "amounts"), [
    ("betala ut sjuhundratretton miljoner kronor till regionerna",
     [("sjuhundratretton miljoner kronor", 713 * MILJON, "miljoner", MILJON / 2)]),
    # two groups joined: 1 000 + 500 miljoner; precise to half the smallest scale
    ("ska betala ut en miljard femhundra miljoner kronor till",
     [("en miljard femhundra miljoner kronor", 1_500 * MILJON, "miljoner", MILJON / 2)]),
    ("en miljard och femhundratjugosju miljoner kronor",
     [("en miljard och femhundratjugosju miljoner kronor", 1_527 * MILJON, "miljoner",
       MILJON / 2)]),
    # digits over two scale words are one amount
    ("1 miljard 500 miljoner kronor", [("1 miljard 500 miljoner kronor", 1_500 * MILJON,
                                        "miljoner", MILJON / 2)]),
    # a number under the smallest scale needs "kronor", and then it is exact to the krona
    ("en miljon tvåhundratusen kronor", [("en miljon tvåhundratusen kronor", 1_200_000, "kr",
                                          0.5)]),
    ("tvåhundratusen kronor", [("tvåhundratusen kronor", 200_000, "kr", 0.5)]),
])
def test_amounts_written_in_words(text, amounts):
    found = [(a.text, a.value, a.unit, a.precision) for a in find_word_amounts(text)]
    assert found == amounts


@pytest.mark.parametrize("text", [
    "Belopp i tusen kronor",  # the unit of a table, no amount
    "en kommun och tre län",  # number words without a scale or currency word
    "713 miljoner kronor",  # digits and one scale word: the digit reader's
    "1,5 miljarder",
])
def test_no_word_amount(text):
    assert find_word_amounts(text) == []


def test_a_count_in_words_is_no_money_and_words_name_no_column():
    assert parse_amount_phrase("fem miljoner invånare bor i") == []
    [(_, _, amount)] = parse_amount_phrase("betala ut femtio miljoner kronor för traumavård")
    assert (amount["value"], amount["text"]) == (50 * MILJON, "femtio miljoner kronor")
    # the statement's column is named by "traumavård", not by its number words
    assert content_words("femtio miljoner kronor traumavård") == ("traumavard",)
    assert is_number_word("sjuhundratretton") and is_number_word("miljarder")


def test_a_sentence_referring_to_the_annex_states_its_total():
    text = ("Regeringen beslutar att Kammarkollegiet ska betala ut 713 miljoner kronor till "
            "regionerna enligt bilaga 1. Av beloppet avser 553 miljoner kronor barn och unga.")
    first, part = text_to_statements([TextBlock(text, 1, "paragraph")], "beslut.pdf")
    assert (first.value, first.scope, first.total_cue) == (713 * MILJON, "region", True)
    # the part after "Av beloppet" is no table total of its own
    assert (part.value, part.total_cue, part.cue) == (553 * MILJON, False, "av beloppet")
    [plain] = text_to_statements([TextBlock("Regionerna får 713 miljoner kronor.", 1,
                                            "paragraph")], "x.pdf")
    assert not plain.total_cue


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """A function reading one fixture folder through the whole pipeline (once per folder)."""
    out = tmp_path_factory.mktemp("number-words")

    @cache
    def read(folder: str) -> dict:
        reconcile_case(ROOT / folder, out, SETTINGS)
        return json.loads((out / Path(folder).name / "findings.json").read_text("utf-8"))
    return read


def stated(doc: dict) -> list[tuple]:
    return [(f["severity"], f["observed"], f["expected"]) for f in doc["findings"]
            if f["check"] == "stated_total"]


def test_writer_pdf_total_in_words_agrees_with_its_parts(run):
    doc = run("cases/2024-writer-belopp-i-ord")
    # sjuhundratre = 703 miljoner = 553 + 50 + 100 miljoner, the parts after "Av beloppet"
    assert ("info", 703 * MILJON, 703 * MILJON) in stated(doc)
    assert doc["status"] == "pass"


def test_writer_pdf_total_in_words_that_disagrees_fails(run):
    doc = run("defects/writer-belopp-i-ord-713")
    # sjuhundratretton = 713 miljoner, its three parts 703 miljoner
    assert ("error", 713 * MILJON, 703 * MILJON) in stated(doc)
    assert doc["status"] == "fail"


def test_docx_by_writer_states_the_three_tables_in_words(run):
    doc = run("cases/2024-writer-docx-miljard-i-ord")
    # en miljard femhundratjugosju miljoner = 1 527 Mkr = 703 + 100 + 724 Mkr (Riket Totalt)
    assert ("info", 1_527 * MILJON, 1_527 * MILJON) in stated(doc)
    assert doc["status"] == "pass"


def test_digits_referring_to_the_annex_are_compared_with_its_total(run):
    doc = run("defects/chromium-713-miljoner-enligt-bilaga")
    # 713 miljoner kronor against the region table's Riket Totalt belopp, 703 000 000 kr
    assert stated(doc) == [("error", 713 * MILJON, 703 * MILJON)]
    assert doc["status"] == "fail"
