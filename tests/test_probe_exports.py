"""The prober's second round of classes, on documents drawn by other exporters
(fixtures/builder/exports_probes.py): a unit a title or nearby line states counts only where the
table's numbers bear it out, and a row cut by a page break inside its wrapped cells stays one row.

Amounts are 2024 truth cells (fixtures/sources/truth/2024): region 01 Stockholm prints Barn och
unga 129 530 375 kr; län 01 Stockholm prints Stärka samverkan 38 729 708 kr; the region table's
Riket row prints 553 000 000, 50 000 000, 100 000 000 and 703 000 000 kr.
"""

from __future__ import annotations

from pathlib import Path

from extractors.pdf import extract
from extractors.table_money import plausible_scale

CASES = Path(__file__).resolve().parent.parent / "fixtures" / "cases"


def _cell(path: Path, kind: str, code: str | None, measure: str) -> list[tuple[int, str]]:
    frame = extract(path).allocations
    return [(r["amount_sek"], r["unit"]) for r in frame.to_dicts()
            if r["table"] == kind and r["code"] == code and r["measure"] == measure]


def test_a_sentence_ending_in_miljoner_kronor_is_no_unit_of_the_table_below() -> None:
    # The decision's sentence wraps so that "miljoner kronor kunskapsbaserad och säker vård och
    # omsorg." is a short line of its own above the annex; the cells print whole kronor:
    # Stockholm's Barn och unga is 129 530 375 kr, not 129 530 375 miljoner.
    pdf = CASES / "2024-writer-webb-belopp-i-ord-kronor" / "beslut.pdf"
    assert _cell(pdf, "region", "01", "Barn och unga") == [(129_530_375, "kr")]


def test_a_caption_in_millions_heads_only_the_table_its_numbers_fit() -> None:
    # "Belopp i miljoner kronor." over table 1: Stockholm's Barn och unga prints "129,5" =
    # 129 500 000 kr. Table 2 (län, whole kronor) follows under its own title only: its
    # Stockholm Stärka samverkan prints "38 729 708", 38 729 708 kr; in millions it would be
    # 3,9 × 10^13 kr, thirty times the state budget.
    pdf = CASES / "2024-chromium-mkr-sedan-kronor" / "bilaga1.pdf"
    assert _cell(pdf, "region", "01", "Barn och unga") == [(129_500_000, "Mkr")]
    samverkan = "Stärka samverkan för personer med samsjuklighet"
    assert _cell(pdf, "lan", "01", samverkan) == [(38_729_708, "kr")]


def test_the_scale_a_title_states_must_fit_the_cells() -> None:
    # 553,0 Mkr = 553 000 000 kr fits; 129 530 375 Mkr = 1,3 × 10^14 kr is beyond the 10^12 kr
    # ceiling of units.toml; a whole-kronor table needs no check.
    assert plausible_scale("Mkr", [("553,0", "50,0")])
    assert not plausible_scale("Mkr", [("129 530 375", "11 630 934")])
    assert plausible_scale("kr", [("129 530 375",)])
    assert plausible_scale("tkr", [("129 530",)])  # 129 530 000 kr


def test_a_riket_row_cut_by_the_page_break_stays_the_region_tables_total() -> None:
    # Writer puts "Riket 553 000 | 50 000 | 100 000 | 703 000" at the top of page 2 and the
    # cells' wrapped "000 | 000 | 000 | 000" under it: one Riket row, no kommun "000".
    pdf = CASES / "2024-word-writer-riket-pa-ny-sida" / "bilaga1.pdf"
    frame = extract(pdf).allocations
    riket = sorted(r["amount_sek"] for r in frame.to_dicts() if r["row_kind"] == "total")
    assert riket == [50_000_000, 100_000_000, 553_000_000, 703_000_000]
    assert set(frame["table"].to_list()) == {"region"}
    assert frame.filter(frame["row_kind"] == "recipient").height == 21 * 4


def test_a_total_row_centred_under_its_headers_is_read_in_their_columns() -> None:
    # Writer/Web centres the <th> Riket cells under headers as wide as "Kunskapsbaserad och
    # säker vård och omsorg": "100 000 000" stands left of the right edge of the amounts above
    # it, yet it is that column's Riket (the truth's 100 000 000 kr), not an extra column.
    pdf = CASES / "2024-writer-webb-riket-centrerad" / "bilaga1.pdf"
    ex = extract(pdf)
    riket = {r["measure"]: r["amount_sek"] for r in ex.allocations.to_dicts()
             if r["row_kind"] == "total"}
    assert riket == {"Barn och unga": 553_000_000, "Traumavård": 50_000_000,
                     "Kunskapsbaserad och säker vård och omsorg": 100_000_000,
                     "Totalt belopp till regionen 2024": 703_000_000}
    assert [t.amount_measures for t in ex.tables] == [tuple(riket)]


def test_a_total_of_purposes_not_printed_is_no_row_sum_and_says_so() -> None:
    # "Barn och unga | Totalt belopp": Stockholm's total 164 423 176 kr is Barn och unga
    # 129 530 375 plus Traumavård and Kunskapsbaserad, not printed. Every row's total is more
    # than its one printed part, so the column is a part (footed against Riket, 703 000 000),
    # not the row total, and a warning says why its rows are not cross-footed.
    from extractors.word import extract as extract_docx

    ex = extract_docx(CASES / "2024-writer-docx-totalt-utan-alla-delar" / "bilaga1.docx")
    rows = ex.allocations.to_dicts()
    stockholm = {r["measure"]: (r["amount_sek"], r["column_role"]) for r in rows
                 if r["code"] == "01"}
    assert stockholm == {"Barn och unga": (129_530_375, "part"),
                         "Totalt belopp": (164_423_176, "part")}
    partial = [(p.check, p.measure, p.severity) for p in ex.problems
               if p.check == "row_total_partial"]
    assert partial == [("row_total_partial", "Totalt belopp", "warning")]


def test_a_table_in_a_text_box_is_read_once_and_is_no_picture() -> None:
    # Word writes the box twice (DrawingML in mc:Choice, VML in mc:Fallback); the reader takes
    # the table once, in place: 21 regions × 4 amounts, Stockholm's Barn och unga the truth's
    # 129 530 375 kr, and the box's drawing is text, not a picture nobody read.
    from extractors.tally import docx_to_pictures
    from extractors.word import extract as extract_docx

    path = CASES / "2024-word-tabell-i-textruta" / "bilaga1.docx"
    frame = extract_docx(path).allocations
    assert frame.filter(frame["row_kind"] == "recipient").height == 21 * 4
    assert _cell_docx(frame, "01", "Barn och unga") == [129_530_375]
    assert docx_to_pictures(path) == []


def _cell_docx(frame, code: str, measure: str) -> list[int]:
    return [r["amount_sek"] for r in frame.to_dicts()
            if r["code"] == code and r["measure"] == measure]


def test_cells_joined_into_a_number_beyond_any_amount_are_no_statement() -> None:
    # "23 262 164 423 164 423 kronor" is 2,3 × 10^16 kr, beyond the 10^15 kr no amount reaches
    # (ExtractSettings.max_amount_sek): neighbouring cells run together, not one total. It is
    # no statement, and the control total still holds its digits as printed money left over.
    from extractors.base import TextBlock
    from extractors.statements import text_to_statements
    from extractors.tally import line_to_tallied

    line = "Regeringen betalar ut 23 262 164 423 164 423 kronor"
    assert text_to_statements([TextBlock(line, None)], "x.txt") == []
    assert [t.text for t in line_to_tallied(line, 1)] == ["23 262 164 423 164 423"]
    # 23 262 164 423 kronor (2,3 × 10^10 kr) is an amount a decision may state.
    [one] = text_to_statements([TextBlock("Regeringen betalar ut 23 262 164 423 kronor", None)],
                               "x.txt")
    assert one.value == 23_262_164_423


def test_a_duplicated_code_names_its_rows_in_words() -> None:
    # defects/kommun-row-duplicated prints Kiruna (2584) twice, as the kommun table's last two
    # rows: 290 kommuner from row 0, the copy at 290 beside the original at 289.
    from expectations.messages import coverage

    row = {"table": "kommun", "row_key": "2584", "observed": 2, "rows": [290, 289]}
    message = coverage("unique", "error", row)["message"]
    assert "(rows 289 and 290)" in message and "[" not in message


def test_label_headers_printed_touching_still_tell_the_kind() -> None:
    # "LänskodLän": the län table's two label headers run together; its rows are the 21 län
    # of the truth (Stockholm's Totalt belopp 145 811 479 kr), not text left unread.
    from extractors.kinds import detect_kind

    assert detect_kind("", ["LänskodLän", ""], ["01", "03"]) == "lan"
    assert detect_kind("", ["LänskodRegion", ""], ["01", "03"]) == "region"
    assert detect_kind("", ["Länskod", ""], ["01", "03"]) is None  # both kinds print it
    pdf = CASES / "2024-chromium-rubriker-ihop" / "bilaga1.pdf"
    assert _cell(pdf, "lan", "01", "Totalt belopp") == [(145_811_479, "kr")]


def test_wrapped_cells_centred_on_their_row_keep_their_marks_and_first_lines() -> None:
    # Chromium centres "Västra" / "Götaland¹" around the line with code 14 (the mark "¹" is no
    # digit of the name), and Stockholm's Barn och unga "58" / "558" / "036" around the first
    # row's line: its "58" stands above that line, under the header, and is the cell's start
    # (the truth: 58 558 036 kr), not a header word.
    pdf = CASES / "2024-chromium-fotnot-radbruten" / "lansgemensamma.pdf"
    frame = extract(pdf).allocations
    names = {r["code"]: r["name_raw"] for r in frame.to_dicts()}
    assert names["14"] == "Västra Götaland¹"
    assert _cell(pdf, "lan", "01", "Barn och unga") == [(58_558_036, "kr")]
    assert _cell(pdf, "lan", "01", "Totalt belopp") == [(145_811_479, "kr")]


def test_headers_run_together_on_one_line_are_cut_at_the_columns() -> None:
    # "Barn och unga Traumavård Kunskapsbaserad och säker vård och omsorg Totalt belopp" is one
    # phrase over the four amount columns, and no other header line heads them: it is their
    # four headers, not a group header over headerless columns ("column 3".."column 6").
    ex = extract(CASES / "2024-chromium-rubriker-i-ett" / "bilaga1.pdf")
    assert [t.amount_measures for t in ex.tables] == [
        ("Barn och unga", "Traumavård", "Kunskapsbaserad och säker vård och omsorg",
         "Totalt belopp")]
    assert not [p for p in ex.problems if p.check == "missing_header"]
