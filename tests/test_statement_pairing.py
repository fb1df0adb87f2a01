"""A statement is paired with a printed column by the words it shares with the headers, and by
value where the words tie; never by one year's vocabulary (issue 15). A statement that
disagrees with a printed total row is the discrepancy it is.

The region table is written by hand with headers no 2024 document prints, its row-total
column headed "Summa kronor" (a header the total-header rule does not read as a total: only
the readers' column_role says so) and its national row labelled "Summa":

    Kod | Region    | Tidiga insatser för barn och unga | Psykiatrisk traumavård | Stöd till patientsäkerhet | Summa kronor
    01  | Stockholm | 120 000 000                       | 20 000 000             | 8 000 000                 | 148 000 000
    03  | Uppsala   |  30 000 000                       |  5 000 000             | 2 000 000                 |  37 000 000
        | Summa     | 150 000 000                       | 25 000 000             | 10 000 000                | 185 000 000
"""  # noqa: E501

from __future__ import annotations

import polars as pl

from expectations.pairing import Column, pick_column
from expectations.stated_totals import reconcile_claims
from extractors.base import TextBlock, allocations_frame
from extractors.statements import statements_to_claims, text_to_statements
from pipeline.tables import riket_totals

BARN, TRAUMA, SAKER, SUMMA = ("Tidiga insatser för barn och unga", "Psykiatrisk traumavård",
                              "Stöd till patientsäkerhet", "Summa kronor")
ROWS = [("01", "Stockholm", (120_000_000, 20_000_000, 8_000_000, 148_000_000)),
        ("03", "Uppsala", (30_000_000, 5_000_000, 2_000_000, 37_000_000)),
        ("", "Summa", (150_000_000, 25_000_000, 10_000_000, 185_000_000))]


def frame() -> pl.DataFrame:
    rows = []
    for index, (code, name, amounts) in enumerate(ROWS):
        for measure, amount in zip((BARN, TRAUMA, SAKER, SUMMA), amounts, strict=True):
            rows.append({"source_file": "bilaga-2026.docx", "source_format": "docx", "page": 1,
                         "table": "region", "table_index": 0, "row_index": index,
                         "code": code, "name_raw": name, "measure": measure, "unit": "kr",
                         "amount_sek": amount,
                         "row_kind": "total" if name == "Summa" else "recipient",
                         "column_role": "row_total" if measure == SUMMA else "part"})
    return allocations_frame(rows)


def stated(*sentences: str) -> list[dict]:
    blocks = [TextBlock(s, 1) for s in sentences]
    claims = statements_to_claims(text_to_statements(blocks, "beslut-2026.docx"))
    table = frame()
    return [f for f in reconcile_claims(claims, riket_totals(table), table)
            if f["check"] in ("stated_total", "unplaced_statement")]


def test_statements_name_renamed_columns_by_their_words():
    """"tidiga", "barn", "unga" are three words of the first header; "traumavården" begins
    with the second header's "traumavård"; "patientsäkerheten" begins with the third's
    "patientsäkerhet". The first and third agree with the Summa row; the second states
    30 000 000 kr where the Summa row prints 25 000 000 kr: 5 000 000 kr too much, beyond
    the 1 kr the two whole-krona amounts allow (half a krona each)."""
    found = stated(
        "Regionerna tilldelas 150 000 000 kronor för tidiga insatser till barn och unga.",
        "För traumavården i regionerna avsätts 30 000 000 kronor.",
        "Till regionerna går 10 000 000 kronor för arbetet med patientsäkerheten.")
    by_value = {f["observed"]: f for f in found}
    barn, trauma, saker = (by_value[v] for v in (150_000_000, 30_000_000, 10_000_000))
    assert (barn["severity"], barn["measure"], barn["expected"]) == ("info", BARN, 150_000_000)
    assert "the Summa row of the region table's Tidiga insatser" in barn["message"]
    assert (saker["severity"], saker["measure"], saker["expected"]) == ("info", SAKER, 10_000_000)
    assert (trauma["check"], trauma["severity"], trauma["table"], trauma["measure"]) == (
        "stated_total", "error", "region", TRAUMA)
    assert (trauma["expected"], trauma["difference"], trauma["tolerance"]) == (
        25_000_000, 5_000_000, 1.0)


def test_a_table_subtotal_pairs_with_the_row_total_column_by_its_role():
    """A "Totalt regioner" row of a tkr table is a subtotal of the regions: it is compared
    with the column the readers found to be each row's total ("Summa kronor", 185 000 000 kr),
    whatever its header says."""
    found = stated("Belopp (tkr) Mottagare", "Regioner", "Tidiga insatser 150 000 Regioner",
                   "Psykiatrisk traumavård 25 000 Regioner",
                   "Stöd till patientsäkerhet 10 000 Regioner", "Totalt regioner 185 000")
    [total] = [f for f in found if f["observed"] == 185_000_000 and f["measure"]]
    assert (total["severity"], total["measure"], total["expected"]) == (
        "info", SUMMA, 185_000_000)


def test_a_total_that_disagrees_with_the_printed_total_row_is_an_error():
    """"Totalt" ties the statement to the region table's total (185 000 000 kr): 190 miljoner
    are 5 000 000 kr more, beyond half a miljon (its printed precision) plus half a krona."""
    [found] = stated("Totalt får regionerna 190 miljoner kronor i år.")
    assert (found["check"], found["severity"]) == ("stated_total", "error")
    assert (found["expected"], found["difference"], found["tolerance"]) == (
        185_000_000, 5_000_000, 500_000.5)
    assert "differs from the Summa row of the region table's Summa kronor" in found["message"]


def test_a_rounded_total_agrees_within_its_printed_precision():
    """0,19 miljarder is printed to ten miljoner: it stands for 185–195 miljoner, so 185 000 000
    kr agrees (5 000 000 kr apart, within 5 000 000,5)."""
    [found] = stated("Totalt får regionerna 0,19 miljarder kronor i år.")
    assert (found["check"], found["severity"], found["expected"]) == (
        "stated_total", "info", 185_000_000)


def test_words_that_tie_leave_the_choice_to_the_value():
    """"stod" is in both headers; the value 100 kr names the first, 40 kr the second, and
    70 kr neither (the statement is then paired with no column)."""
    columns = [Column("Stöd till barn (0–17 år)", 100, 0.5, False),
               Column("Stöd till unga vuxna (18–25 år)", 40, 0.5, False)]
    assert pick_column(("stod",), columns, 100, 0).measure == columns[0].measure
    assert pick_column(("stod",), columns, 40, 0).measure == columns[1].measure
    assert pick_column(("stod",), columns, 70, 0) is None


def test_the_same_total_printed_in_two_documents_is_one_total():
    """The annex as DOCX and as PDF prints one Summa row (185 000 000 kr) twice: the
    statement's 190 miljoner still disagrees with it, by 5 000 000 kr."""
    table = frame()
    both = pl.concat([table, table.with_columns(pl.lit("bilaga-2026.pdf").alias("source_file"))])
    blocks = [TextBlock("Totalt får regionerna 190 miljoner kronor i år.", 1)]
    claims = statements_to_claims(text_to_statements(blocks, "beslut-2026.docx"))
    [found] = [f for f in reconcile_claims(claims, riket_totals(both), both)
               if f["check"] == "stated_total"]
    assert (found["severity"], found["expected"], found["difference"]) == (
        "error", 185_000_000, 5_000_000)
