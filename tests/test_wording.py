"""Every message builder, fed the edge cases that once printed badly (a count of 0 or 1, a
bound in fractions of a krona, a table with no recipient amounts, each table kind), writes
Swedish numbers, plain plurals and table words (tests/wording.py says what a slip is). The
nightly test runs the same check on every finding of every fixture case and defect.
"""

from __future__ import annotations

import polars as pl
import pytest
from wording import slips

from expectations.general import (
    GENERAL_BUILDERS,
    no_total_notes,
)
from expectations.messages import BUILDERS
from expectations.stated_totals import reconcile_claims
from extractors.base import BlockInfo, Extraction, TableInfo
from extractors.decoding import Decoded, fallback_problem
from pipeline.fates import short_table_findings, unread_finding
from pipeline.unchecked import unchecked_statement_findings, unchecked_table_findings

KINDS = ("region", "kommun", "lan", "other")


def test_the_slips_are_caught():
    # The sentences the outputs once printed, each with the slip an auditor would stumble on.
    assert slips("more than the 0.025 kr the printed amounts allow.")
    assert slips("The kommun table on page 3 (1 recipient rows) ends without a total row")
    assert slips("is not the sum of the 0 recipient rows since the previous subtotal")
    assert slips("though 20 other table(s) of the document close with one")
    assert slips("so its columns were not footed; they add up to .")
    assert slips("The lan table in a.pdf prints 6 amounts")
    assert slips("Bilaga 1's Riket value of Totalt (lan)")
    assert slips("The other table in a.html prints 6 amounts")
    # What is printed as the document prints it, or names a file, is no slip.
    assert slips("The amount '11.154.061' for Kronoberg does not read as whole kronor.") == []
    assert slips("First rows as printed: «Riket | 1.5 | 2»; see lan-2024.pdf.") == []
    assert slips("The 21 amounts in the län table sum to 1 000,50 kr; 1 row is left.") == []


def _money_row(kind: str, terms: int, tolerance: float) -> dict:
    """A check-frame row with every field the builders read: 10 000,50 kr printed against
    10 000 kr expected, 0,50 kr apart."""
    return {
        "table": kind, "measure": "Traumavård", "label": "Gotland", "scb_code": "09",
        "code": "09", "terms": terms, "total_label": "Summa", "row_key": "09",
        "reference_size": 21, "rows": "4, 9", "expected": 10_000.0, "observed": 10_000.5,
        "difference": 0.5, "tolerance": tolerance, "source_file": "bilaga.pdf", "page": 2,
        "row_index": 3, "description": "region Traumavård = 0,5 × region Totalt",
        "reference_file": "bilaga.pdf", "other_file": "bilaga.docx", "x_table": kind,
        "x_measure": "Totalt", "x_scb_code": "09", "x_label": "Gotland", "x_printed": 20_001,
        "x_terms": terms, "x_summed": kind == "kommun", "x_source_file": "bilaga.pdf",
        "x_page": 2, "blamed_sum": True, "printed_total": 100.0, "value": 12.5, "decimals": 1,
        "amount_measure": "Totalt", "recipients_sum": 99.95, "low": 0.5, "high": 30.25,
    }


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("terms", [0, 1, 2, 290])
@pytest.mark.parametrize("tolerance", [0.0, 0.025, 50.5, 145.5])
def test_every_builder_writes_clean_sentences(kind, terms, tolerance):
    row = _money_row(kind, terms, tolerance)
    rules = {"footing": ("riket", "bound"), "coverage": ("known", "once"),
             "amounts": ("present", "non_negative", "whole"),
             "formats_agree": ("in_reference", "in_other", "bound")}
    written = []
    for check, build in {**BUILDERS, **GENERAL_BUILDERS}.items():
        for rule in rules.get(check, ("bound",)):
            for severity in ("error", "warning", "info"):
                coverage_count = {"observed": terms} if check == "coverage" else {}
                written.append(build(rule, severity, {**row, **coverage_count})["message"])
    assert [(m, s) for m in written for s in slips(m)] == []


def test_counts_of_one_and_none_read_as_words():
    # 1 summed kommun: "its one kommun's"; one footed amount: "The one … amount … is".
    one = _money_row("kommun", 1, 0.5)
    assert "its one kommun's Totalt in the kommun table (20 001 kr)" in \
        BUILDERS["allocation_key"]("bound", "error", one)["message"]
    assert "the sum of its 13 kommuner's Totalt in the kommun table" in \
        BUILDERS["allocation_key"]("bound", "error", {**one, "x_terms": 13})["message"]
    assert BUILDERS["footing"]("bound", "info", one)["message"].startswith(
        "The one Traumavård amount in the kommun table is 10 000 kr but its Summa row says")
    # Two shares adding up to 99,95 % under a printed 100 %, 0,05 % apart within a 0,1 %
    # bound: the plural, the count in digits.
    two = {**one, "terms": 2, "expected": 99.95, "observed": 100.0, "difference": 0.05,
           "tolerance": 0.1}
    assert GENERAL_BUILDERS["shares"]("bound", "info", two)["message"] == (
        "The 2 Traumavård shares in the kommun table add up to 99,95 %, its total row prints "
        "100 %: 0,05 % apart, which is rounding: within the 0,1 % bound.")


def test_a_table_without_recipient_amounts_says_so():
    # A table of one kind whose rows are all subtotals: no recipient amount to add up.
    scope = pl.DataFrame({"source_file": ["a.pdf"], "table": ["lan"], "table_index": [0],
                          "has_total": [False], "page": [1]})
    prepared = pl.DataFrame({"source_file": ["a.pdf"], "table": ["lan"], "table_index": [0],
                             "row_kind": ["subtotal"], "measure": ["Totalt"],
                             "amount_sek": [5]})
    [note] = no_total_notes(scope, prepared)
    assert note["message"] == ("The län table in a.pdf prints no Riket, Totalt or Summa row, so "
                               "its columns were not footed; it prints no recipient amount to "
                               "add up.")


def test_a_stated_bound_in_ore_has_a_decimal_comma():
    # 2021's Jämtland: a TOTALT of 11 522 848,00 against its 4 parts 6 199 701,00 + 1 000 000,00
    # + 2 525 124,00 + 1 797 459,00 = 11 522 284 kr; five amounts printed to the öre allow
    # 5 × 0,005 = 0,025 kr, printed to the öre as 0,03 kr (as the report's table prints it).
    def stated(i: int, value: float, role: str = "amount") -> dict:
        return {"id": f"s{i}", "value": value, "text": f"{value:,.2f}", "unit": "kr",
                "precision": 0.005, "context": "", "source_file": "jamtland.pdf", "page": 2,
                "role": role}
    parts = [stated(i, v) for i, v in enumerate((6_199_701, 1_000_000, 2_525_124, 1_797_459))]
    claim = {"kind": "sum", "total": stated(9, 11_522_848), "parts": parts, "how": "table total"}
    [error] = [f for f in reconcile_claims([claim]) if f["severity"] == "error"]
    assert error["message"].endswith(
        "11 522 284 kr, by 564 kr, more than the 0,03 kr the printed amounts allow.")
    assert "the sum of its 4 parts" in error["message"]


def _table(kind: str, rows: int, page: int, total: bool) -> TableInfo:
    return TableInfo("a.pdf", page, kind, "", "reconciled", "", rows, total, ("Totalt",), (), 0)


def test_reading_findings_say_one_amount_one_row_and_one_table():
    # One block of one amount; one table cut short after one kommun row, in a document where
    # one other table closes with a total row.
    block = BlockInfo("a.pdf", 7, "pdf_table", "unread", "no recipient kind", amounts=("5 kr",),
                      amount_sum_sek=5, rows=1, first_rows=("Riket | 5 kr",))
    assert "prints 1 amount, 5 kr in all, that was neither read" in unread_finding(block).message
    doc = Extraction("a.pdf", "pdf", tables=[_table("kommun", 290, 1, True),
                                              _table("kommun", 1, 3, False)])
    [cut] = short_table_findings([doc])
    assert cut.message.startswith("The kommun table on page 3 of a.pdf (1 recipient row) ends "
                                  "without a total row, though 1 other table of the document "
                                  "closes with one")
    texts = [{"result": "unplaced", "role": "amount", "source_file": "a.pdf", "text": "5 kr",
              "page": 1, "value": 5}]
    [text] = unchecked_statement_findings([doc], texts)
    assert text.message.startswith("1 amount of money in the text of page 1 of a.pdf was read but "
                                   "no check evaluated it")
    for finding in (unread_finding(block), cut, text):
        assert slips(finding.message) == []


def test_an_unchecked_table_of_other_recipients_is_named_in_words():
    # Six amounts of a table of universities (kind "other"): 1 + 2 + 3 + 4 + 5 + 6 = 21 kr.
    frame = pl.DataFrame({"source_file": ["u.html"] * 6, "table": ["other"] * 6,
                          "table_index": [0] * 6, "row_kind": ["recipient"] * 6,
                          "measure": ["Belopp"] * 6, "amount_sek": [1, 2, 3, 4, 5, 6],
                          "page": [1] * 6})
    [finding] = unchecked_table_findings(frame, [], [])
    assert finding.message.startswith("The table of other recipients in u.html prints 6 "
                                      "amounts, 21 kr in all, that no check could evaluate")


def test_one_line_that_is_not_utf8_is_one_line():
    decoded = Decoded("Region Gävleborg 12\nRegion G\u00c3\u00a4vleborg 13", "utf-8", "utf-8",
                      (2,))
    problem = fallback_problem(decoded, "a.txt")
    assert problem.message.startswith("One line of a.txt is not UTF-8 like the rest (line 2) "
                                      "and was read as Windows-1252")
    assert slips(problem.message) == []


def test_numbers_no_reader_took_on_four_lines_say_one_more_line():
    # Four lines of one page, one number each: three lines quoted, "and 1 more line".
    from extractors.tally import Tallied
    from pipeline.tally import _finding

    numbers = [Tallied(f"{n} 000", 3, f"rad {n} {n} 000") for n in range(1, 5)]
    message = _finding("a.pdf", 3, numbers, 3).message
    assert message.endswith("“rad 3 3 000”; and 1 more line).")
    assert slips(message) == []
