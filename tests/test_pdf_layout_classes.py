"""One PDF per failure class of issue 14 (1-5), drawn with the fuzzer's renderer under a layout
chosen by hand, read against the 2024 truth tables.

Every expected value comes from the truth CSVs: the region table has 21 regions and Riket over
4 measures, the kommun table 290 kommuner and Riket over 2, the län table 21 län and Riket over 5.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from fuzz_render import Layout, render_docx, render_pdf
from reportlab.lib.pagesizes import A4
from truth_tables import cell_diff, error_findings, read_cells, reading_problems, truth_table

from extractors import pdf, word

BASE = Layout(
    seed=0, page=A4, font="Helvetica", size=8.0, align="right", header_align="right",
    header_valign="bottom", runs=False, sep="\u00a0", unit_in_cells=True, rules="none",
    repeat_header=True, forts=False, furniture=False, spacers=False, col_width=1.0,
    hyphenate=False, same_page=False, text_between=True, group_header=False,
    names_only=False, synthetic=False, kinds=("region",))
REGION, KOMMUN, LAN = (truth_table(k) for k in ("region", "kommun", "lan"))


def read(tmp_path: Path, layout: Layout, tables) -> pdf.Extraction:
    return pdf.extract(render_pdf(tmp_path / "bilaga.pdf", layout, list(tables)))


def expected(*tables) -> dict:
    return {k: v for t in tables for k, v in t.cells().items()}


def shape(extraction) -> list[tuple]:
    return [(t.kind, t.recipient_rows, t.has_total_row, t.amount_measures)
            for t in extraction.tables]


@pytest.mark.parametrize("forts", [False, True], ids=["repeated", "forts"])
def test_class1_table_over_pages_under_repeated_title_and_furniture_is_one(
        tmp_path: Path, forts: bool) -> None:
    # The kommun table fills about seven A4 pages; each page repeats the title ("Kommun
    # (forts.)" with forts) and the header, and prints "Bilaga 1 till beslut vid
    # regeringssammanträde 2024-03-27 nr I:6" right-aligned at the top and "Sida N" below.
    layout = replace(BASE, forts=forts, furniture=True, kinds=("kommun",))
    extraction = read(tmp_path, layout, [KOMMUN])
    assert extraction.pages >= 5
    assert shape(extraction) == [("kommun", 290, True, KOMMUN.measures)]  # no "column 5"
    assert cell_diff(expected(KOMMUN), read_cells(extraction)) == []
    assert reading_problems(extraction) == []


@pytest.mark.parametrize("riket", [True, False], ids=["with-riket", "without-riket"])
def test_class1_second_table_of_a_kind_on_a_new_page_is_another_table(
        tmp_path: Path, riket: bool) -> None:
    # Two region tables, each under the title "Region" and the header "Länskod | Region |
    # Belopp", the second on a new page. With Riket rows the first one's total closes it;
    # without, only the second's first code (01, already in the first table) tells it is
    # another table. Barn och unga: 01 prints 129 530 375 (Riket 553 000 000); Traumavård:
    # 01 prints 11 630 934 (Riket 50 000 000).
    first, second = (REGION.project(m, "Belopp", riket) for m in ("Barn och unga",
                                                                  "Traumavård"))
    extraction = read(tmp_path, replace(BASE, text_between=False), [first, second])
    assert shape(extraction) == [("region", 21, riket, ("Belopp",))] * 2
    by_table: dict[int, dict[str, int]] = {}
    for row in extraction.allocations.iter_rows(named=True):
        by_table.setdefault(row["table_index"], {})[row["code"]] = row["amount_sek"]
    assert by_table[0]["01"] == 129_530_375 and by_table[1]["01"] == 11_630_934
    if riket:
        assert by_table[0][""] == 553_000_000 and by_table[1][""] == 50_000_000
    assert error_findings(extraction) == []


@pytest.mark.parametrize("hyphenate", [False, True], ids=["cut", "hyphen"])
@pytest.mark.parametrize("text", [False, True], ids=["tables-only", "with-text"])
def test_class2_header_words_cut_across_lines_are_rejoined(
        tmp_path: Path, hyphenate: bool, text: bool) -> None:
    # Columns as narrow as the widest amount: "Stärka samverkan för personer med
    # samsjuklighet" and "Brukarmedverkan" wrap, the long words cut inside ("Brukarmedver|kan"
    # or "Brukarmedver-|kan"). The measures must read as the DOCX prints them whole.
    layout = replace(BASE, col_width=0.0, hyphenate=hyphenate, text_between=text,
                     kinds=("lan", "region"))
    extraction = read(tmp_path, layout, [LAN, REGION])
    assert shape(extraction) == [("lan", 21, True, LAN.measures),
                                 ("region", 21, True, REGION.measures)]
    docx = word.extract(render_docx(tmp_path / "bilaga.docx", layout, [LAN, REGION]))
    assert [t.amount_measures for t in docx.tables] == [LAN.measures, REGION.measures]
    assert cell_diff(read_cells(docx), read_cells(extraction)) == []


def test_class3_group_header_over_columns_names_none_of_them(tmp_path: Path) -> None:
    # "Medel, kronor" is printed centred over Barn och unga and Traumavård: it is no part of
    # either measure name, and is kept with the title.
    extraction = read(tmp_path, replace(BASE, group_header=True), [REGION])
    assert shape(extraction) == [("region", 21, True, REGION.measures)]
    assert "Medel, kronor" in extraction.tables[0].title
    assert reading_problems(extraction) == []


@pytest.mark.parametrize("align", ["left", "centre"])
@pytest.mark.parametrize("header_align", ["left", "right", "centre"])
def test_class4_left_or_centred_amounts_make_no_phantom_columns(
        tmp_path: Path, align: str, header_align: str) -> None:
    # Amounts of different widths left-aligned (Word's default) or centred: their right edges
    # differ, but each column is still one column, under its own header.
    layout = replace(BASE, align=align, header_align=header_align, kinds=("lan",))
    extraction = read(tmp_path, layout, [LAN])
    assert shape(extraction) == [("lan", 21, True, LAN.measures)]
    assert cell_diff(expected(LAN), read_cells(extraction)) == []
    assert reading_problems(extraction) == []


def test_class5_table_of_names_without_codes_yields_recipient_rows(tmp_path: Path) -> None:
    # "Region | Barn och unga | ..." with no code column: 21 rows by name and Riket.
    extraction = read(tmp_path, replace(BASE, names_only=True), [REGION])
    assert shape(extraction) == [("region", 21, True, REGION.measures)]
    names = {r["name_raw"]: r["amount_sek"] for r in extraction.allocations.filter(
        measure="Totalt belopp").iter_rows(named=True)}
    assert names["Stockholm"] == 164_423_176 and names["Riket"] == 703_000_000
    assert len(names) == 22


def test_layout_settings_are_validated_and_change_a_run(tmp_path: Path) -> None:
    from extractors.base import ExtractSettings, LayoutSettings
    from extractors.errors import SettingsError
    from pipeline.reading import read_document

    with pytest.raises(SettingsError, match="phrase_gap_em"):
        LayoutSettings(phrase_gap_em=0)
    with pytest.raises(SettingsError, match="layout"):
        ExtractSettings(layout="tight")
    path = render_pdf(tmp_path / "bilaga.pdf", replace(BASE, kinds=("lan",)), [LAN])
    default = read_document(path, "extractors.pdf", ExtractSettings(), False)
    assert [t.amount_measures for t in default.extraction.tables] == [LAN.measures]
    # A phrase gap of 40 font sizes (and a cell gap of 40 word spaces) runs every amount of a
    # row into one cell: the run reads the table otherwise, so the settings reach the reader.
    wide = ExtractSettings(layout=LayoutSettings(phrase_gap_em=40.0, cell_gap_spaces=40.0))
    other = read_document(path, "extractors.pdf", wide, False)
    assert [t.amount_measures for t in other.extraction.tables] != [LAN.measures]
