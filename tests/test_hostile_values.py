"""Issue 18 item 9: values and names beyond what the tool was built for get one clear line or a
correct reading, never a polars error or a traceback. The hostile inputs are small changes to
fixture pages, made here.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from extractors import web
from extractors.base import ExtractSettings
from extractors.errors import DocumentTooLargeError, SettingsError
from pipeline.publishing import output_names
from tests.test_hostile_outputs import SMALL_PAGE, run

ROOT = Path(__file__).resolve().parent.parent
# The region table of 2024 as a Word-like HTML page: 21 regions and a Riket row, three money
# columns and a "Totalt (kr)" column; Uppsala (03) prints 22 943 849 under "Barn och unga".
REGION_PAGE = ROOT / "fixtures" / "cases" / "2024-regioner-word-html-shapes" / "regioner-2024.html"
UPPSALA_CELL = "<td>22 943 849</td>"


def page_with(tmp_path: Path, cells: dict[str, str]) -> Path:
    html = REGION_PAGE.read_text(encoding="utf-8")
    for old, new in cells.items():
        assert html.count(old) == 1, old
        html = html.replace(old, new)
    path = tmp_path / "regioner.html"
    path.write_text(html, encoding="utf-8")
    return path


def test_a_cell_beyond_int64_is_an_implausible_amount_naming_the_cell(tmp_path):
    # 22 943 849 000 000 000 000 000 kr > 2^63 - 1 ≈ 9.2e18: polars refused the whole page
    path = page_with(tmp_path, {UPPSALA_CELL: "<td>22 943 849 000 000 000 000 000</td>"})
    extraction = web.extract(path)
    [problem] = [p for p in extraction.problems if p.check == "implausible_amount"]
    assert (problem.severity, problem.source_file, problem.page, problem.code,
            problem.measure) == ("error", "regioner.html", 1, "03", "Barn och unga")
    assert problem.observed_text == "22 943 849 000 000 000 000 000"
    uppsala = extraction.allocations.filter(code="03")
    # the other three cells of the row are read; the implausible one is not in the frame
    assert sorted(uppsala["measure"]) == [
        "Kunskapsbaserad och säker vård och omsorg", "Totalt (kr)", "Traumavård"]


def test_a_case_with_an_implausible_cell_never_passes(tmp_path, capsys):
    case = tmp_path / "arende"
    case.mkdir()
    # 10^15 + 1 kr: just beyond DEFAULT_MAX_AMOUNT_SEK = 10^15, within int64
    page_with(case, {UPPSALA_CELL: "<td>1 000 000 000 000 001</td>"})
    assert run(case, "--out", tmp_path / "out") == 1
    findings = json.loads((tmp_path / "out" / "arende" / "findings.json").read_text())
    assert findings["status"] != "pass"
    assert [f["page"] for f in findings["findings"] if f["check"] == "implausible_amount"] == [1]
    assert capsys.readouterr().err == ""


def test_cells_whose_sum_overflows_int64_do_not_crash_the_case(tmp_path, capsys):
    # Two cells of 9e18 (each below 2^63 - 1, their sum not): the case crashed computing the
    # column's difference. Both are now implausible amounts; the rest is checked.
    case = tmp_path / "arende"
    case.mkdir()
    page_with(case, {UPPSALA_CELL: "<td>9 000 000 000 000 000 000</td>",
                     "<td>15 755 045</td>": "<td>9 000 000 000 000 000 000</td>"})
    assert run(case, "--out", tmp_path / "out") == 1
    findings = json.loads((tmp_path / "out" / "arende" / "findings.json").read_text())
    implausible = [f for f in findings["findings"] if f["check"] == "implausible_amount"]
    assert sorted(f["measure"] for f in implausible) == ["Barn och unga", "Barn och unga"]
    assert all("reads as 9 000 000 000 000 000 000 kr" in f["message"] for f in implausible)
    assert "Traceback" not in capsys.readouterr().err


def test_amounts_that_add_up_beyond_what_the_checks_can_add_are_refused(tmp_path):
    # With the bound raised to its ceiling 2^61, two cells of 2 * 10^18 and 10^18 are each
    # allowed, but together (3 * 10^18 > 2^61 ≈ 2.3 * 10^18) sums could overflow.
    path = page_with(tmp_path, {UPPSALA_CELL: "<td>2 000 000 000 000 000 000</td>",
                                "<td>15 755 045</td>": "<td>1 000 000 000 000 000 000</td>"})
    with pytest.raises(DocumentTooLargeError) as exc:
        web.extract(path, ExtractSettings(max_amount_sek=2**61))
    assert "beyond 2305843009213693952 kr, more than the checks can add" in exc.value.reason
    with pytest.raises(SettingsError):
        ExtractSettings(max_amount_sek=2**61 + 1)


def test_duplicate_case_names_of_255_bytes_stay_within_the_name_limit():
    long, swedish = "b" * 255, "å" * 127  # 255 bytes, and 254 bytes in UTF-8
    names, _ = output_names([Path("x") / long, Path("y") / long, Path("z") / long])
    assert names == [long, "b" * 253 + "-2", "b" * 253 + "-3"]
    names, _ = output_names([Path("x") / swedish, Path("y") / swedish])
    assert names[1] == "å" * 126 + "-2"  # 252 + 2 bytes: a character is never cut in half


def test_case_folders_of_246_to_255_characters_are_written(tmp_path, capsys):
    cases = []
    for parent, length in (("a", 246), ("b", 255), ("c", 255)):
        case = tmp_path / parent / ("m" * length)
        case.mkdir(parents=True)
        shutil.copy(SMALL_PAGE, case / SMALL_PAGE.name)
        cases.append(case)
    assert run(*cases, "--out", tmp_path / "out") == 0  # SMALL_PAGE's case passes
    written = sorted(p.name for p in (tmp_path / "out").iterdir() if p.is_dir())
    assert written == sorted(["m" * 246, "m" * 255, "m" * 253 + "-2"])
    out = capsys.readouterr()
    assert "Traceback" not in out.err and "Error" not in out.err


def test_overrides_that_are_not_utf8_are_one_error_line_before_any_case(tmp_path, capsys):
    case = tmp_path / "arende"
    case.mkdir()
    shutil.copy(SMALL_PAGE, case / SMALL_PAGE.name)
    overrides = tmp_path / "pins.csv"
    overrides.write_bytes("level,name,scb_code\nkommun,Göteborg,1480\n".encode("cp1252"))
    assert run(case, "--out", tmp_path / "out", "--overrides", overrides) == 2
    err = capsys.readouterr().err
    assert err == (f"Error: {overrides}, line 2: not UTF-8 text (byte 0xf6); save the CSV as "
                   "UTF-8 (in Excel: \"CSV UTF-8\") and run again\n")  # ö is 0xf6 in cp1252
    assert not (tmp_path / "out" / "arende").exists()  # no case was blamed or run


def test_the_word_reader_honours_a_lowered_amount_bound():
    # The DOCX twin of REGION_PAGE: with the bound lowered to 20 000 000 kr, Uppsala's
    # 22 943 849 kr under "Barn och unga" is beyond it; the Word reader used the 10^15 default
    # whatever the settings said.
    from extractors import word

    path = REGION_PAGE.with_suffix(".docx")
    bound = 20_000_000
    read = word.extract(path)
    limited = word.extract(path, ExtractSettings(max_amount_sek=bound))
    flagged = [p for p in limited.problems if p.check == "implausible_amount"]
    assert ("03", "Barn och unga", "22 943 849") in {
        (p.code, p.measure, p.observed_text) for p in flagged}
    # every cell above the bound, and only those, leaves the frame as a finding
    above = read.allocations.filter(read.allocations["amount_sek"] > bound)
    assert len(flagged) == len(above) > 0
    assert len(limited.allocations) == len(read.allocations) - len(above)
