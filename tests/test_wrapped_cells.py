"""Cells wrapped onto several lines (extractors/cells.py), and a table of coded rows that could
not be read: its money is reported unread, never compared as stated totals.

Amounts are 2024 truth cells (fixtures/sources/truth/2024): region 01 Stockholm prints
Barn och unga 129 530 375, Traumavård 11 630 934, Kunskapsbaserad 23 261 868 and Totalt
belopp 164 423 176 kr (1 kr of rounding: the parts sum to 164 423 177); län 01's Totalt
belopp is 145 811 479 kr.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from truth_tables import truth_table

from extractors.base import TextBlock
from extractors.cells import join_amount, join_name, row_sum_holds, well_formed
from extractors.statements import text_to_statements
from pipeline.orchestrate import reconcile_case
from pipeline.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
REGION = truth_table("region")


def test_an_amount_wrapped_at_a_digit_group_or_before_its_unit_is_one_amount() -> None:
    assert join_amount(["145 811", "479 kr"]) == "145 811 479 kr"
    assert join_amount(["129 530 375", "kr"]) == "129 530 375 kr"
    assert join_amount(["1", "4 003 912 kr"]) == "14 003 912 kr"  # cut inside a group
    assert well_formed("145 811,5") and well_formed("724 000 000 kr")
    assert not well_formed("kr 22 943 849") and not well_formed("966 254 1 932")


def test_a_row_total_holds_within_the_rounding_of_its_cells() -> None:
    stockholm = ["129 530 375 kr", "11 630 934 kr", "23 261 868 kr", "164 423 176 kr"]
    assert row_sum_holds(stockholm)  # 1 kr apart, 4 cells of half a krona each
    assert not row_sum_holds(stockholm[:3] + ["164 433 176 kr"])  # 10 000 kr apart


def _words(*pieces: tuple[str, float, float]) -> list[dict]:
    return [{"text": t, "x0": x0, "x1": x1} for t, x0, x1 in pieces]


def test_a_name_cut_inside_a_word_is_joined_but_two_words_stay_two() -> None:
    # A cell from x=90 to 165: "Södermanlan" reaches its edge and with "d" is wider than it.
    cut = [_words(("Södermanlan", 90, 164)), _words(("d", 90, 97))]
    assert join_name(cut, frozenset(), 165, 90) == "Södermanland"
    two = [_words(("Västra", 90, 126)), _words(("Götaland", 90, 141))]
    assert join_name(two, frozenset(), 165, 90) == "Västra Götaland"
    hyphen = [_words(("0139", 49, 70), ("Upplands-", 72, 113)), _words(("Bro", 49, 63))]
    assert join_name(hyphen, frozenset(), 115, 49) == "0139 Upplands-Bro"
    # A piece that is a word of the table's other names is no cut word ("Göteborgs stad").
    stad = [_words(("Stockholms", 90, 164)), _words(("stad", 90, 112))]
    assert join_name(stad, frozenset(), 165, 90, frozenset({"stad"})) == "Stockholms stad"


def test_a_coded_row_of_an_unread_table_is_no_statement() -> None:
    # Under a header giving the unit, bare numbers are amounts: the row by purpose states two,
    # the coded row (a code, a name, two amount cells) is one recipient's cells and states none.
    rows = [TextBlock(text, 1, "table_row") for text in (
        "Kod | Mottagare | Belopp (kr) | Summa (kr)",
        "Totalt regioner | 553 000 000 | 703 000 000",
        "01 | Stockholm | 129 530 375 | 164 423 176")]
    assert [s.value for s in text_to_statements(rows, "x.pdf")] == [553_000_000, 703_000_000]


def _unread_region_pdf(path: Path) -> None:
    """Region rows under a header that names no recipient kind ("Kod | Mottagare") and gives
    the unit once ("Summa belopp (kr)"): no kind can be told, so the table is not read."""
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 11)
    c.drawString(60, 790, "Fördelning 2024")
    c.setFont("Helvetica-Bold", 8)
    for x, text in ((60, "Kod"), (90, "Mottagare")):
        c.drawString(x, 765, text)
    for x, text in ((300, "Barn och unga"), (400, "Traumavård"), (500, "Summa belopp (kr)")):
        c.drawRightString(x, 765, text)
    c.setFont("Helvetica", 8)
    y = 750
    for code, name, amounts in REGION.rows[:-1]:
        parts = (amounts[0], amounts[1], amounts[0] + amounts[1])
        c.drawString(60, y, code)
        c.drawString(90, y, name)
        for x, value in zip((300, 400, 500), parts, strict=True):
            c.drawRightString(x, y, f"{value:,}".replace(",", " "))
        y -= 12
    c.save()


def test_a_table_of_coded_rows_left_unread_is_not_fully_read_never_a_disagreement(
        tmp_path: Path) -> None:
    # Beside the region table read from the DOCX (its Riket row: Barn och unga 553 000 000,
    # Traumavård 50 000 000 kr), the PDF's rows name the same columns by their header words.
    # Read as sentences, each row's amounts became stated amounts (unchecked, or, as in a real
    # Word export, "01 129 530 375" compared with a Riket cell: "fail"); as the rows of a
    # table that was not read, they are one unread table: not fully read, nothing disagrees.
    case = tmp_path / "case"
    case.mkdir()
    shutil.copy(ROOT / "fixtures/cases/2024-word-standardbredd/bilaga-regioner-lan.docx", case)
    _unread_region_pdf(case / "fordelning.pdf")
    settings = Settings(data_docs=False, evidence_images=False)
    result = reconcile_case(case, tmp_path / "out", settings)
    errors = [f for f in result.findings if f.severity == "error"]
    assert {f.check for f in errors} == {"unread_table"}
    assert result.status == "incomplete"
    [unread] = [f for f in errors if f.source_file == "fordelning.pdf"]
    # The 21 regions' three amounts: Barn och unga 552 999 999 + Traumavård 50 000 002 kr,
    # twice (the parts and their Summa).
    assert unread.observed == 2 * (552_999_999 + 50_000_002)
