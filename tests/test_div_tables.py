"""Tables laid out with <div>s (extractors/div_tables.py, builder/exports_divs.py), and the
same tables flattened to one paragraph or line per cell by Writer (extractors/flat_cells.py).

The fixtures print the 2024 truth (fixtures/sources via builder/data.truth_annex): every cell
read must be the truth's cell, the column count found from the cells, not the style sheet.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors import pdf, plaintext, web, word
from extractors.div_tables import flat_rows, is_table
from extractors.flat_cells import FlatCells, table_at
from fixtures.builder.data import truth_annex

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "fixtures" / "cases"


READERS = {".html": web, ".docx": word, ".txt": plaintext, ".pdf": pdf}
DEFECTS = ROOT / "fixtures" / "defects"


def cells_read(path: Path) -> dict[tuple[str, str], float]:
    frame = READERS[path.suffix].extract(path).allocations
    return {(r["code"] or "Riket", r["measure"]): r["amount_sek"]
            for r in frame.iter_rows(named=True)}


@pytest.mark.parametrize(("path", "kind"), [
    (CASES / "2024-lan-css-grid" / "lansgemensamma-medel.html", "lan"),
    (CASES / "2024-regioner-aria-rader" / "medel-till-regionerna.html", "region"),
    (CASES / "2024-lan-css-grid-writer" / "lansgemensamma-medel.docx", "lan"),
    (CASES / "2024-lan-css-grid-writer" / "lansgemensamma-medel.txt", "lan"),
    (CASES / "2024-regioner-css-grid-rubrikrad" / "medel-till-regionerna.html", "region"),
    # Writer's DOCX printed to PDF by Writer: one cell a line over three pages
    (CASES / "2024-lan-css-grid-writer-pdf" / "lansgemensamma-medel.pdf", "lan"),
])
def test_every_cell_is_the_truths(path: Path, kind: str) -> None:
    table = getattr(truth_annex(), kind)
    expected = {(r.code, m): a for r in table.rows for m, a in zip(table.measures, r.amounts,
                                                                   strict=True)}
    expected |= {("Riket", m): a for m, a in zip(table.measures, table.riket.amounts,
                                                 strict=True)}
    assert cells_read(path) == expected  # 21 × 5 + 5 (län), 21 × 4 + 4 (regions)


HEADER = ["Kod", "Län", "Belopp", "Totalt"]


def test_the_column_count_is_the_smallest_that_keeps_each_column_one_kind() -> None:
    body = ["01", "Stockholm", "38 729 708", "145 811 479",
            "03", "Uppsala", "10 558 373", "29 597 539",
            "", "Riket", "49 288 081", "175 409 018"]
    assert flat_rows(HEADER + body) == [HEADER, body[0:4], body[4:8], body[8:12]]


def test_paragraphs_that_print_no_money_in_columns_are_no_table() -> None:
    # Years and counts repeat in columns but none is money as printed (no digit groups).
    assert flat_rows(["År", "Antal", "2023", "12", "2024", "14", "2025", "9"]) is None
    # Running text between numbers: a column holding both texts and numbers.
    assert not is_table([["Belopp", "38 729 708"], ["se nedan", "29 597 539"],
                         ["12 000 000", "text"]])


def test_a_flat_grid_starts_with_its_header() -> None:
    # Amounts first: no header to align the rows on, so no columns can be told.
    assert flat_rows(["38 729 708", "Stockholm", "10 558 373", "Uppsala",
                      "9 151 948", "Södermanland"]) is None


def flat(texts: list[str], start: int = 0):
    return table_at(FlatCells(texts), start)


def test_a_flattened_total_row_without_its_code_keeps_its_columns() -> None:
    # Name first, code second: Riket printed no code cell, so five cells stand for six.
    texts = ["Län", "Kod", "Belopp", "Stockholm", "01", "38 729 708", "Uppsala", "03",
             "10 558 373", "Riket", "49 288 081", "Nästa stycke."]
    rows, used = flat(texts)
    assert rows[-1] == ["Riket", "", "49 288 081"]
    assert used == 11  # the paragraph after the table is left as text


def test_prose_between_numbers_is_no_flattened_table() -> None:
    texts = ["Beslut", "Regeringen beslutar", "att betala ut", "38 729 708",
             "kronor till", "Stockholm", "enligt bilaga 1."]
    assert all(flat(texts, i) is None for i in range(len(texts)))


def test_a_year_alone_heads_the_amount_column() -> None:
    # Län | Länskod | 2024: the year is a number but no money, so the row is a header; the
    # truth's Totalt belopp is read under the measure "2024", Riket 724 000 000.
    path = CASES / "2024-lan-css-grid-arsrubrik" / "lansgemensamma-medel-2024.html"
    lan = truth_annex().lan
    total = lan.measures.index("Totalt belopp")
    expected = {(r.code, "2024"): r.amounts[total] for r in lan.rows}
    expected[("Riket", "2024")] = 724_000_000
    assert cells_read(path) == expected
    assert flat_rows(["Län", "2023", "2024", "Stockholm", "140 000 000", "145 811 479",
                      "Uppsala", "28 000 000", "29 597 539"])[0] == ["Län", "2023", "2024"]


def test_a_grid_printed_without_its_style_sheet_is_read_cell_for_cell() -> None:
    # Chromium printed the region grid page without its CSS: every cell a line of its own,
    # 7 + 22 x 6 lines over three pages. Every cell is the truth's but Östergötland's (05)
    # Traumavård, printed 10 000 kr higher (2 238 465 -> 2 248 465); each has its line's box.
    path = DEFECTS / "regioner-css-grid-utan-stilmall-05-plus-10000" / "medel-till-regionerna.pdf"
    table = truth_annex().region
    expected = {(r.code, m): a for r in table.rows for m, a in zip(table.measures, r.amounts,
                                                                   strict=True)}
    expected |= {("Riket", m): a for m, a in zip(table.measures, table.riket.amounts,
                                                 strict=True)}
    expected[("05", "Traumavård")] = 2_248_465
    assert cells_read(path) == expected
    frame = pdf.extract(path).allocations
    assert frame["x0"].null_count() == 0
    assert sorted(set(frame["page"])) == [1, 2, 3]
