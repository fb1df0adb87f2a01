"""Per-recipient rates written in the text, read as rules (extractors/rates.py) and checked
against the keys found in the numbers (expectations/stated_rates.py), end to end on the 2024
case and the fixtures drawn by Writer and Chromium (builder/exports_rates.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from expectations.key_search import Key, KeyColumn, KeyRow
from expectations.stated import Stated
from expectations.stated_rates import check_rates
from extractors.base import TextBlock
from extractors.statements import text_to_statements
from pipeline.orchestrate import reconcile_case
from pipeline.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = Settings(data_docs=False, evidence_images=False)
STORSTAD = ("01", "12", "14")
LAN = ("01", "03", "04", "05", "06", "07", "08", "09", "10", "12", "13", "14", "17", "18",
       "19", "20", "21", "22", "23", "24", "25")


def rates(text: str) -> list[tuple[str, str, str, bool]]:
    """(amount as printed, role, group, share) of every amount of one paragraph."""
    out = text_to_statements([TextBlock(text, 1)], "beslut.pdf")
    return [(s.text, s.role, s.rate_group, s.rate_share) for s in out]


def test_the_agreements_sentence_is_one_rule_of_every_lan_and_the_storstadslan() -> None:
    # The 2024 agreement, page 14 (seed 002, lines 2089-2090).
    made = text_to_statements([TextBlock(
        "Medlen fördelas med 1 000 000 kronor per län, förutom de tre storstadslänen som "
        "tilldelas 2 000 000 kronor vardera.", 14)], "overenskommelse.pdf")
    assert [(s.text, s.role, s.rate_group, s.scope) for s in made] == [
        ("1 000 000 kronor", "rate", "", "lan"),
        ("2 000 000 kronor", "rate", "storstadslänen", "lan")]
    assert made[0].rate_rule == made[1].rate_rule is not None


def test_a_footnote_naming_the_group_and_the_others_is_a_rule_too() -> None:
    # "får" is no rate word: without "övriga län" both would be amounts to reconcile.
    assert rates("2) Storstadslänen får 2 000 000 kronor, övriga län 1 000 000 kronor.") == [
        ("2 000 000 kronor", "rate", "storstadslänen", False),
        ("1 000 000 kronor", "rate", "", False)]


def test_a_fixed_part_with_the_rest_shared_by_a_key() -> None:
    assert rates("Medlen fördelas med 5 000 000 kronor per län och resten fördelat efter "
                 "befolkningsmängd.") == [("5 000 000 kronor", "rate", "", True)]


def test_what_is_no_per_recipient_rule() -> None:
    # Per inhabitant is a rate of no recipient level: a rate, but no rule to check.
    [per_person] = text_to_statements([TextBlock(
        "Bidraget är 50 kronor per invånare.", 1)], "beslut.pdf")
    assert per_person.role == "rate" and per_person.rate_rule is None
    # … even where a level is named before it: the rate is per inhabitant, not per region.
    [per_inhabitant] = text_to_statements([TextBlock(
        "Regionerna får 50 kronor per invånare.", 1)], "beslut.pdf")
    assert per_inhabitant.rate_rule is None
    # What the group gets together is a total, not its rate; the others' rate still is one.
    assert rates("De tre storstadslänen får totalt 6 000 000 kronor, övriga län 1 000 000 "
                 "kronor vardera.") == [("6 000 000 kronor", "amount", "", False),
                                        ("1 000 000 kronor", "rate", "", False)]
    # A group named with no rate beside it stays an amount.
    assert rates("Storstadslänen får 6 000 000 kronor.")[0][1] == "amount"


def stated(text: str, value: float, group: str = "") -> Stated:
    return Stated(id=f"a.pdf#1:{value}", value=value, text=text, unit="kr", precision=0.5,
                  context="", source_file="a.pdf", page=1, role="rate", scope="lan",
                  rate_rule="a.pdf#1:0", rate_group=group)


def fixed_key(measure: str, base: float, group_amount: float) -> Key:
    rows = tuple(KeyRow(c, group_amount if c in STORSTAD else base, None, 0,
                        group_amount if c in STORSTAD else base, 0.5, False, None) for c in LAN)
    return Key("fixed", KeyColumn("a.pdf", "lan", 0, measure), None, (base, group_amount),
               f"län {measure} = …", rows, STORSTAD)


def test_two_columns_of_the_rules_shape_that_disagree_leave_it_unverified() -> None:
    rule = [stated("1 500 000 kronor", 1_500_000), stated("2 000 000 kronor", 2_000_000,
                                                         "storstadslänen")]
    one = check_rates(rule, [fixed_key("Brukarmedverkan", 1_000_000, 2_000_000)])
    assert [(r.result, r.expected) for r in one] == [("contradicts", 1_000_000),
                                                     ("agrees", 2_000_000)]
    assert one[0].cell_code == "03"  # the first recipient holding the key's 1 000 000
    two = check_rates(rule, [fixed_key("Brukarmedverkan", 1_000_000, 2_000_000),
                             fixed_key("Annat", 800_000, 3_000_000)])
    assert [r.result for r in two] == ["unverified", "unverified"]
    # A key over kommuner, or without the group, has another shape: nothing to compare.
    other = fixed_key("Brukarmedverkan", 1_000_000, 2_000_000)
    assert check_rates(rule, [Key("fixed", other.dependent, None, (1_000_000,), "", other.rows,
                                  ())]) == []


def run(folder: Path, tmp_path: Path) -> dict:
    reconcile_case(folder, tmp_path, SETTINGS)
    return json.loads((tmp_path / folder.name / "findings.json").read_text(encoding="utf-8"))


def test_every_rate_of_the_2024_decision_and_agreement_agrees_with_the_annex(tmp_path) -> None:
    doc = run(ROOT / "fixtures" / "cases" / "2024-psykisk-halsa", tmp_path)
    found = [f for f in doc["findings"] if f["check"] == "stated_rate"]
    # Seed 002: the decision states brukarsamverkan 1 miljon / 2 miljoner and samsjuklighet
    # 5 miljoner per län (3 amounts, PDF and DOCX: 6); the agreement states 5 000 000 per län
    # (section 5.1), 1 000 000 / 2 000 000 (5.3) and all three again in section 6 (6 amounts,
    # PDF and DOCX: 12). 18, each agreeing with the annex's Brukarmedverkan (1 000 000, and
    # 2 000 000 for 01, 12, 14) or samsjuklighet (5 000 000 + a share) column.
    assert len(found) == 18 and {f["severity"] for f in found} == {"info"}
    by_value = {}
    for f in found:
        by_value.setdefault(f["observed"], set()).add(f["measure"])
    assert by_value == {1_000_000: {"Brukarmedverkan"}, 2_000_000: {"Brukarmedverkan"},
                        5_000_000: {"Stärka samverkan för personer med samsjuklighet"}}
    assert not [f for f in doc["findings"] if f["check"] == "unplaced_statement"
                and "per-recipient rate" in f["message"]]


@pytest.mark.parametrize("folder", ["cases/2024-lan-satser-fotnot-writer",
                                    "defects/lan-sats-1500000-i-texten"])
def test_rates_printed_by_writer_and_chromium(folder, tmp_path) -> None:
    doc = run(ROOT / "fixtures" / folder, tmp_path)
    found = sorted((f["severity"], f["observed"], f["expected"]) for f in doc["findings"]
                   if f["check"] == "stated_rate")
    if folder.startswith("cases"):
        # Writer's note: 2 000 000 for storstadslänen, 1 000 000 for the others, 5 000 000
        # per län and the rest by population, each what the truth's columns hold.
        assert doc["status"] == "pass"
        assert found == [("info", 1_000_000, 1_000_000), ("info", 2_000_000, 2_000_000),
                         ("info", 5_000_000, pytest.approx(5_000_000, abs=2))]
    else:
        # The text's 1 500 000 per län against the column's 1 000 000: the one error, and the
        # diagnosis names the statement, not a cell of the table.
        assert doc["status"] == "fail"
        assert found == [("error", 1_500_000, 1_000_000), ("info", 2_000_000, 2_000_000)]
        # Every other number is accounted for: no warning beside the one error.
        assert [f["check"] for f in doc["findings"] if f["severity"] != "info"] == [
            "stated_rate"]
        [cause] = doc["diagnosis"]
        assert cause["kind"] == "wrong_rate" and cause["cells"][0]["printed"] == 1_500_000
