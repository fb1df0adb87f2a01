"""Cells printed touching and headers wrapped in narrow cells, on documents drawn by real
exporters (fixtures/builder/exports_cells.py): amounts of neighbouring cells run together are
cut where the numbers and the column edges agree, and a header wrapped between two whole words
keeps its space.

Amounts are 2024 truth cells (fixtures/sources/truth/2024): region 01 Stockholm prints
Kunskapsbaserad och säker vård och omsorg 23 261 868 and Totalt belopp 164 423 176 kr; region
14 Västra Götaland 16 742 700 and 117 835 845; Riket 100 000 000 and 703 000 000; län 01
Stockholm's Totalt belopp is 145 811 479 kr.
"""

from __future__ import annotations

from pathlib import Path

from extractors.clipped import drop_clipped
from extractors.grid import join_wrapped
from extractors.lines import Line, Phrase
from extractors.pdf import extract
from extractors.tally import line_to_tallied
from extractors.touching import lines_to_untouched

CASES = Path(__file__).resolve().parent.parent / "fixtures" / "cases"
KUNSKAP = "Kunskapsbaserad och säker vård och omsorg"


def _cells(path: Path, code: str | None, measures: tuple[str, ...]) -> dict[str, int]:
    rows = extract(path).allocations.to_dicts()
    return {r["measure"]: r["amount_sek"] for r in rows
            if r["code"] == code and r["measure"] in measures}


def test_amounts_of_touching_cells_are_cut_at_the_column_edge() -> None:
    # Writer/Web, cellpadding=0: "23 261 868164 423 176" is Stockholm's Kunskapsbaserad
    # (23 261 868) and Totalt belopp (164 423 176), cut where the other rows' Kunskapsbaserad
    # amounts end; likewise Västra Götaland and Riket. Nothing is left unread or implausible.
    pdf = CASES / "2024-writer-webb-celler-ihop" / "bilaga1.pdf"
    both = (KUNSKAP, "Totalt belopp")
    assert _cells(pdf, "01", both) == {KUNSKAP: 23_261_868, "Totalt belopp": 164_423_176}
    assert _cells(pdf, "14", both) == {KUNSKAP: 16_742_700, "Totalt belopp": 117_835_845}
    riket = {r["measure"]: r["amount_sek"] for r in extract(pdf).allocations.to_dicts()
             if r["row_kind"] == "total" and r["measure"] in both}
    assert riket == {KUNSKAP: 100_000_000, "Totalt belopp": 703_000_000}
    ex = extract(pdf)
    assert ex.allocations.filter(ex.allocations["row_kind"] == "recipient").height == 21 * 4
    assert not [p for p in ex.problems if p.severity != "info"]


def _line(phrases: list[list[tuple[str, float]]], top: float) -> Line:
    """One line of digit phrases, each word 5 pt a character wide, starting at the given x."""
    cells = [Phrase([{"text": t, "x0": x, "x1": x + 5 * len(t), "top": top,
                      "bottom": top + 8} for t, x in words]) for words in phrases]
    line = Line(1, [w for p in cells for w in p.words])
    line.phrases = cells
    return line


def test_only_an_ill_grouped_phrase_on_a_column_edge_is_cut() -> None:
    # Two rows print "3 833 360" ending at x = 150 and "28 693 890" from 155; the third row's
    # "23 261 868164 423 176" has its "868" end at 150 too (135 + 3 characters × 5): cut.
    rows = [_line([[("3", 105), ("833", 115), ("360", 135)],
                   [("28", 155), ("693", 170), ("890", 190)]], top) for top in (0, 20)]
    touching = _line([[("23", 100), ("261", 115), ("868164", 135), ("423", 170),
                       ("176", 190)]], 40)
    lines_to_untouched([*rows, touching])
    assert [p.text for p in touching.phrases] == ["23 261 868", "164 423 176"]
    # 12 pt to the right, the cut (at 162) is more than a character off every column edge
    # the other rows print: the digits stay as printed, one ill-grouped phrase for the reader
    # to report.
    shifted = _line([[("23", 112), ("261", 127), ("868164", 147), ("423", 182),
                      ("176", 202)]], 40)
    lines_to_untouched([*rows, shifted])
    assert [p.text for p in shifted.phrases] == ["23 261 868164 423 176"]
    # A well-grouped number is never cut, nor a phrase opening with the long group.
    whole = _line([[("164", 135), ("423", 155), ("176", 175)]], 40)
    first = _line([[("868164", 120), ("423", 155), ("176", 175)]], 60)
    lines_to_untouched([*rows, whole, first])
    assert [p.text for p in whole.phrases] == ["164 423 176"]
    assert [p.text for p in first.phrases] == ["868164 423 176"]


def test_the_control_total_counts_touching_amounts_apart() -> None:
    # The independent count reads the same line from pdfium's text: two amounts, each of the
    # truth, not "23 261" and "868164" and "423 176".
    line = "01 Stockholm 129 530 375 11 630 934 23 261 868164 423 176"
    assert [t.text for t in line_to_tallied(line, 1)] == [
        "129 530 375", "11 630 934", "23 261 868", "164 423 176"]
    # 23 262 164 423 is well grouped: one number (the statement test's case).
    assert [t.text for t in line_to_tallied("betalar ut 23 262 164 423 kronor", 1)] == [
        "23 262 164 423"]


def test_a_header_wrapped_between_two_whole_words_keeps_its_space() -> None:
    # Writer prints the län table's Word headers in narrow cells: "Totalt" / "belopp" are two
    # words of the table vocabulary (tables.toml: "totalt belopp"), joined with a space;
    # "Brukarm" / "edverka" / "n" and "samsjukl" / "ighet" are cut inside words, joined.
    pdf = CASES / "2024-word-writer-rubriker-radbrutna" / "bilaga2.pdf"
    ex = extract(pdf)
    assert [t.amount_measures for t in ex.tables] == [
        ("Stärka samverkan för personer med samsjuklighet", "Brukarmedverkan",
         "Suicidprevention", "Barn och unga", "Totalt belopp")]
    assert _cells(pdf, "01", ("Totalt belopp",)) == {"Totalt belopp": 145_811_479}
    # The rule on its own: a cut that fills its cell joins unknown pieces, not table words;
    # a joined form the vocabulary knows ("totalsumma") is one word.
    assert join_wrapped(["Totalt", "belopp"], frozenset(), [True]) == "Totalt belopp"
    assert join_wrapped(["Brukarm", "edverkan"], frozenset(), [True]) == "Brukarmedverkan"
    assert join_wrapped(["Total", "summa"], frozenset(), [True]) == "Totalsumma"


def test_a_letter_clipped_at_a_cells_edge_is_no_letter_of_the_next_header() -> None:
    # Calc cuts "Kunskapsbaserad och säker vård och omsorg" at its cell's edge; the "o" of
    # "och", half hidden under the next cell, stays in the text layer against "Totalt": the
    # row-total column is "Totalt belopp" (Stockholm 164 423 176 kr, the truth), not
    # "oTotalt belopp".
    pdf = CASES / "2024-calc-rubrik-avklippt" / "bilaga1.pdf"
    ex = extract(pdf)
    assert [t.amount_measures for t in ex.tables] == [
        ("Barn och unga", "Traumavård", "Kunskapsbaserad", "Totalt belopp")]
    assert _cells(pdf, "01", ("Totalt belopp",)) == {"Totalt belopp": 164_423_176}


def _char(text: str, x0: float, x1: float) -> dict:
    return {"text": text, "x0": x0, "x1": x1, "top": 69.4, "bottom": 80.4}


def test_only_a_letter_another_run_starts_well_inside_is_dropped() -> None:
    # The page's own glyphs: "d", " " then "o" (535.8–542.5) end one run; "T" (538.3) starts
    # 2.5 pt into the "o", more than 0.4 of its 6.7 pt: the "o" is clipped, "T" kept.
    run = [_char("d", 525.3, 532.3), _char(" ", 532.3, 535.8), _char("o", 535.8, 542.5)]
    total = [_char("T", 538.3, 545.0), _char("o", 545.0, 551.7)]
    assert [c["text"] for c in drop_clipped([*run, *total])] == ["d", " ", "T", "o"]
    # Kerning (0.5 pt into the glyph) is no clipping, nor a digit under other text.
    kerned = [_char("V", 100.0, 107.0), _char("A", 106.5, 113.5)]
    assert drop_clipped(kerned) == kerned
    digit = [_char("8", 100.0, 106.0), _char("T", 101.0, 108.0)]
    assert drop_clipped(digit) == digit
