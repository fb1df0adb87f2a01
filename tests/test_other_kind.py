"""Tables of recipients that are no SCB unit are read as kind "other" by every reader, told by
the header over the name column or by the names themselves; a list of purposes is not one.
A table whose amounts no check can reconcile (no total row, one money column, no statement)
is an `unchecked_amounts` error, never a pass (issue 15).

The pages are written by hand. The fund table: Allmänna arvsfonden 4 000 000 + Kulturfonden
1 500 000 + Idrottsfonden 500 000 = Summa 6 000 000 kr, so it foots and the case passes.
"""

from __future__ import annotations

from pathlib import Path

from extractors import plaintext
from extractors.grid import TableBlock
from extractors.kinds import block_kind, other_recipients
from extractors.rows import Cell, GridRow
from pipeline.orchestrate import reconcile_case
from pipeline.settings import Settings

FUNDS = ("# Medel till fonderna 2026\n\n| Fond | Belopp, kr |\n| --- | --- |\n"
         "| Allmänna arvsfonden | 4 000 000 |\n| Kulturfonden | 1 500 000 |\n"
         "| Idrottsfonden | 500 000 |\n| Summa | {summa} |\n")


def test_the_name_column_header_or_the_names_tell_other_recipients():
    assert other_recipients(["Lärosäte"], ["Karolinska institutet", "Lunds universitet"])
    assert other_recipients([""], ["Karolinska institutet", "Lunds universitet"])  # by names
    assert other_recipients(["Fond"], ["Allmänna arvsfonden", "Kulturfonden"])
    assert not other_recipients(["Område"], ["Barn och unga", "Traumavård"])  # purposes
    assert not other_recipients(["Lärosäte"], ["Karolinska institutet"])  # one row is no table
    assert not other_recipients(["Mottagare"], [  # a sentence is no recipient's name
        "Regionerna får medel för att stärka arbetet med suicidprevention.", "SKR"])


def test_a_fund_table_is_read_as_other_and_foots(tmp_path: Path):
    page = tmp_path / "fonder.md"
    page.write_text(FUNDS.format(summa="6 000 000"), encoding="utf-8")
    ex = plaintext.extract(page)
    assert set(ex.allocations["table"]) == {"other"}
    assert ex.allocations.filter(row_kind="recipient")["amount_sek"].sum() == 6_000_000
    case = tmp_path / "case"
    case.mkdir()
    page.rename(case / "fonder.md")
    result = reconcile_case(case, tmp_path / "out", Settings(workers=1, data_docs=False))
    assert result.status == "pass"
    assert [f.check for f in result.findings if f.check == "scb_not_applicable"] == [
        "scb_not_applicable"]


def test_an_other_table_without_total_is_unchecked_money(tmp_path: Path):
    case = tmp_path / "case"
    case.mkdir()
    (case / "fonder.md").write_text(FUNDS.replace("| Summa | {summa} |\n", ""),
                                    encoding="utf-8")
    result = reconcile_case(case, tmp_path / "out", Settings(workers=1, data_docs=False))
    assert result.status == "incomplete"
    [unchecked] = [f for f in result.findings if f.check == "unchecked_amounts"]
    assert (unchecked.table, unchecked.observed, unchecked.severity) == (
        "other", 6_000_000, "error")


def test_recipient_levels_under_mottagare_are_no_other_table():
    """"Mottagare" over recipient levels is no table of non-SCB units: such amounts are
    statements, reconciled against the region, kommun and län tables."""
    assert not other_recipients(["Mottagare"], ["Regionerna", "Kommunerna", "SKR"])


def test_a_block_of_total_rows_alone_is_no_allocation_table():
    """The 2021 agreement (seed 001, line 860) prints "Totalt uppgår överenskommelsen för 2021
    till 1 680 000 000 kronor" as a row of cells under a line of prose that names "kommuner
    och regioner": its only row is a total row, so there is no recipient and no kommun table;
    its amount goes to the text as a statement. With one recipient row it is a kommun table."""
    header = ["anvisningarna ska vara tillgängliga för kommuner och regioner", "", ""]
    total = GridRow([Cell("Totalt uppgår överenskommelsen för till kronor."), Cell("2021"),
                     Cell("1 680 000 000")], 15)
    assert block_kind(TableBlock("", header, [total])) is None
    recipient = GridRow([Cell("0114 Upplands Väsby"), Cell(""), Cell("475 568")], 15)
    assert block_kind(TableBlock("", header, [recipient, total])) == "kommun"
