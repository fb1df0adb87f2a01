"""Footnote marks a PDF draws as raised, smaller digits are marks, not digits of the amount.

Chromium prints "2 000 000<sup>2</sup>" as the amount's glyphs and a "2" drawn smaller, its
foot above theirs, touching the last zero: it was read as "2 000 0002" = 20 000 002 kr, and
the diagnosis then blamed the row totals. fixtures/cases/2024-lan-fotnoter-chromium (built by
fixtures/builder/exports_roles.py) prints "¹" after the three storstadslän's names and "²"
after their Brukarmedverkan; the rules of extractors/marks.py are pinned on drawn glyphs.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
from truth_tables import cell_diff, read_cells, reading_problems, truth_table

from extractors import pdf
from extractors.marks import raised_marks

ROOT = Path(__file__).resolve().parent.parent
FOOTNOTES = ROOT / "fixtures" / "cases" / "2024-lan-fotnoter-chromium" / "lansgemensamma.pdf"
LAN = truth_table("lan")


def test_the_marked_table_reads_cell_for_cell_with_its_marks() -> None:
    ex = pdf.extract(FOOTNOTES)
    assert cell_diff(LAN.cells(), read_cells(ex)) == []
    marked = ex.allocations.filter(pl.col("mark").is_not_null())
    # Brukarmedverkan of 01, 12 and 14: 2 000 000 kr each (lan.csv), each marked "²"
    assert sorted(zip(marked["code"], marked["measure"], marked["amount_sek"],
                      marked["mark"], strict=True)) == [
        (code, "Brukarmedverkan", 2_000_000, "²") for code in ("01", "12", "14")]
    names = dict(zip(ex.allocations["code"], ex.allocations["name_raw"], strict=True))
    assert (names["01"], names["03"]) == ("Stockholm¹", "Uppsala")
    assert reading_problems(ex) == []


def glyph(text: str, x0: float, size: float = 8.0, foot: float = 100.0) -> dict:
    return {"text": text, "x0": x0, "x1": x0 + 0.6 * size, "top": foot - size,
            "bottom": foot, "doctop": foot - size, "size": size, "fontname": "F"}


def texts(chars: list[dict]) -> str:
    return "".join(c["text"] for c in chars)


def number(x0: float = 50.0) -> list[dict]:
    """"000" at size 8 from x0: the last digit group of an amount."""
    return [glyph("0", x0 + 4.8 * i) for i in range(3)]


def test_a_raised_smaller_digit_touching_a_number_is_its_mark() -> None:
    chars = number() + [glyph("2", 64.4, size=6.6, foot=96.3)]
    marked = raised_marks(chars)
    assert texts(marked) == "000²"
    assert (marked[-1]["top"], marked[-1]["bottom"]) == (92.0, 100.0)  # on the number's line


def test_two_raised_digits_are_one_mark() -> None:
    chars = number() + [glyph("1", 64.4, 6.6, 96.3), glyph("2", 68.4, 6.6, 96.3)]
    assert texts(raised_marks(chars)) == "000¹²"


def test_digits_of_one_size_or_not_raised_or_apart_stay_digits() -> None:
    same = number() + [glyph("2", 64.4)]  # the same size: a digit of the number
    lowered = number() + [glyph("2", 64.4, 6.6, 101.0)]  # smaller, foot not above
    apart = number() + [glyph("2", 70.0, 6.6, 96.3)]  # raised, but 5.6 pt after the number
    for chars in (same, lowered, apart):
        assert texts(raised_marks(chars)) == texts(chars)


def test_smaller_digits_on_the_line_above_are_no_mark_of_its_words() -> None:
    # Writer wraps a table's last amount ("250 000" / "000", 8 pt) and the note under the table
    # starts 1.5 pt below the wrapped "000" (11 pt text, builder/exports_rates.py): the digits
    # end above the letters' top, so they are a line of their own, not marks on "vardera".
    word = [glyph(c, 403.5 + 6.6 * i, size=11.0, foot=444.4) for i, c in enumerate("vardera")]
    one = [glyph("1", 513.1, size=11.0, foot=444.4)]  # "övriga län 1": digits of the text's size
    wrapped = [glyph("0", 434.2 + 4.8 * i, size=8.0, foot=431.9) for i in range(3)]
    chars = word + one + wrapped
    assert texts(raised_marks(chars)) == "vardera1000"
    assert [c["bottom"] for c in raised_marks(chars)][-3:] == [431.9] * 3
