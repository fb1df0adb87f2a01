"""Name–amount lists printed in a PDF's running text (extractors/pdf_lists.py), drawn by
LibreOffice Writer and headless Chromium (fixtures/builder/exports_lists.py).

The fixtures print the 2024 truth's Totalt belopp (fixtures/sources via builder/data.truth_annex)
one recipient a line: every amount read must be the truth's, under its SCB code, as the same
list is read from HTML, DOCX or text.
"""

from __future__ import annotations

from pathlib import Path

from extractors import pdf
from fixtures.builder.data import AnnexTable, truth_annex
from pipeline.cascade import Resolver
from pipeline.name_lists import lists_to_tables

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
WRITER = FIXTURES / "cases" / "2024-regioner-lista-writer-pdf" / "pressmeddelande-regionerna.pdf"
CHROMIUM = FIXTURES / "cases" / "2024-lan-lista-chromium-pdf" / "medel-till-lanen.pdf"
WITHOUT = FIXTURES / "defects" / "regioner-lista-pdf-utan-gotland" / "pressmeddelande.pdf"


def totals(table: AnnexTable) -> dict[str, int]:
    total = table.measures.index("Totalt belopp")
    return {r.code: r.amounts[total] for r in table.rows}


def amounts_by_code(extraction, level: str) -> dict[str, float]:
    """The amounts read, by the SCB code each printed name resolves to at the level."""
    frame, resolver = extraction.allocations, Resolver()
    assert set(frame["measure"]) == {"Belopp"}  # a list prints no column header
    assert set(frame["table"]) == {level}
    return {resolver.resolve(name, level).scb_code: amount
            for name, amount in zip(frame["name_raw"], frame["amount_sek"], strict=True)}


def test_a_list_of_lan_names_is_an_allocation_table_of_the_truths_totals() -> None:
    # "Stockholms län: 145 811 479 kr": SCB's län names tell the kind by their form, so the
    # reader itself reads the list, page 1, as the län table of one amount column.
    extraction = pdf.extract(CHROMIUM)
    assert amounts_by_code(extraction, "lan") == totals(truth_annex().lan)
    assert set(extraction.allocations["page"]) == {1}
    # each amount has the box of its words on the page, right of its name
    assert extraction.allocations["x0"].null_count() == 0
    assert (extraction.allocations["x0"] > 100).all()
    assert [(b.shape, b.fate, b.page, b.rows) for b in extraction.blocks] == [
        ("list", "table", 1, 21)]
    assert not any("145 811 479" in t.text for t in extraction.text)


def test_bare_names_are_resolved_with_the_whole_paragraph_above_as_title() -> None:
    # "Stockholm", "Uppsala", ...: names of regions and län alike. The reader hands the list
    # over; its title is the whole intro paragraph (three lines in the PDF), whose "till
    # regionerna" tells the level, not only its last line ("... så här:").
    extraction = pdf.extract(WRITER)
    assert extraction.allocations.is_empty()
    [found] = extraction.lists
    assert "till regionerna" in found.block.title
    assert found.block.title.endswith("så här:")
    assert len(found.rows) == 21
    # Each line is a paragraph of its own, so that it leaves the text once read as a row.
    assert "Stockholm: 164 423 176 kronor" in [t.text for t in extraction.text]
    lists_to_tables([extraction], Resolver())
    assert amounts_by_code(extraction, "region") == totals(truth_annex().region)
    assert not any("164 423 176" in t.text for t in extraction.text)
    assert [(b.shape, b.fate) for b in extraction.blocks] == [("list", "table")]


def test_a_list_missing_a_line_reads_the_lines_printed() -> None:
    # Gotland's line (09) left out: the other 20 regions, each the truth's amount.
    extraction = pdf.extract(WITHOUT)
    lists_to_tables([extraction], Resolver())
    expected = totals(truth_annex().region)
    del expected["09"]
    assert amounts_by_code(extraction, "region") == expected
