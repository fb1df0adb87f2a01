"""The outputs auditors open: the workbook, the self-contained report, and atomic case folders."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from pipeline import orchestrate, outputs
from pipeline.orchestrate import reconcile_case
from pipeline.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
DEFECT = ROOT / "fixtures" / "defects" / "region-cell-changed-total-kept"


@pytest.fixture(scope="module")
def defect_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    result = reconcile_case(DEFECT, out, Settings(data_docs=False))
    return result, out / DEFECT.name


def test_report_is_self_contained_and_shows_the_evidence(defect_run):
    _, folder = defect_run
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "<script" not in html and "<link" not in html
    assert "Does not reconcile" in html
    # The Östergötland row is cut out of the PDF page and embedded.
    assert html.count("data:image/png;base64,") >= 3
    assert "32\u00a0147\u00a0116\u00a0kr" in html
    assert "10\u00a0000\u00a0kr" in html


def test_a_crash_while_writing_leaves_the_previous_case_folder_untouched(tmp_path, monkeypatch):
    case = tmp_path / "case"
    shutil.copytree(ROOT / "fixtures" / "cases" / "2020-psykisk-halsa", case)
    out = tmp_path / "out"
    reconcile_case(case, out, Settings(data_docs=False))
    before = (out / "case" / "findings.json").read_bytes()

    def crash(result, folder, settings):
        (folder / "allocations.csv").write_text("half", encoding="utf-8")
        raise OSError("disk full")

    monkeypatch.setattr(outputs, "write_case", crash)
    with pytest.raises(OSError):
        orchestrate.reconcile_case(case, out, Settings(data_docs=False))
    assert sorted(p.name for p in out.iterdir()) == ["case"]
    assert (out / "case" / "findings.json").read_bytes() == before
    assert (out / "case" / "allocations.csv").read_text(encoding="utf-8") != "half"


def test_a_stated_total_that_contradicts_its_parts_counts_as_a_failed_check(tmp_path):
    """Jämtland 2021: TOTALT 11 522 848 kr against parts summing to 11 522 284 kr (seed 003)."""
    case = ROOT / "fixtures" / "cases" / "2021-psykisk-halsa"
    result = reconcile_case(case, tmp_path, Settings(data_docs=False))
    (stated,) = [c for c in result.checks if c.suite == "stated_total"]
    assert stated.failed == 1
    assert stated.evaluated == sum(f.check == "stated_total" for f in result.findings)
    html = (tmp_path / case.name / "report.html").read_text(encoding="utf-8")
    # Failed: the stated totals, and the unchecked money of the agreement's text (500 miljoner,
    # 3 miljarder, 380 miljoner, 20 Mkr to SKR: no check speaks of them), an error from
    # outside the suites.
    assert '<div class="stat"><b>2</b>failed</div>' in html


def test_errors_from_outside_the_suites_count_as_failed_checks(tmp_path):
    """0643 printed as "Håbo": one code_name error in the PDF and one in the DOCX, so the names
    check failed (one check, on two rows); every suite that evaluated something passed."""
    case = ROOT / "fixtures" / "defects" / "name-of-another-code"
    result = reconcile_case(case, tmp_path, Settings(data_docs=False, evidence_images=False))
    assert [f.check for f in result.findings if f.severity == "error"] == ["code_name"] * 2
    html = (tmp_path / case.name / "report.html").read_text(encoding="utf-8")
    assert '<div class="stat"><b>1</b>failed</div>' in html


def test_report_speaks_to_an_auditor(defect_run):
    result, folder = defect_run
    html = (folder / "report.html").read_text(encoding="utf-8")
    # Section titles are words, each check has its glossary line, counts take their plural.
    assert "<h3>Row sums (" in html and "<h3>cross_footing:" not in html
    assert ("<b>Row sums</b> (<code>cross_footing</code>): Checks that a row&#x27;s amounts add "
            "up") in html
    infos = sum(f.severity == "info" for f in result.findings)
    assert f"{infos} notes: differences" in html  # 58 for this defect, never '1 notes'
    assert "1 notes" not in html
    # Swedish numbers in the counts: 1 560 amounts (2 documents of 780).
    assert "<b>1\u00a0560</b>amounts" in html
    # The Run block: version, and the SHA-256 of both inputs.
    import hashlib

    assert "grant-reconcile 0.1.0" in html
    for name in ("bilaga1.docx", "bilaga1.pdf"):
        digest = hashlib.sha256((DEFECT / name).read_bytes()).hexdigest()
        assert f"<td>{name}</td><td class=hash>{digest}</td>" in html
    # DOCX places are tables, not pages: Östergötland (05) is the 4th region after 01, 03, 04.
    assert "bilaga1.docx, table 1, row 4" in html


def test_evidence_is_labelled_with_document_page_and_the_outlined_cell(defect_run):
    _, folder = defect_run
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert ("<figcaption>As printed in bilaga1.pdf, page 2: the table&#x27;s header and the row "
            "of Östergötland, “Traumavård” outlined.</figcaption>") in html


def test_a_stated_total_in_pdf_text_has_its_line_cropped(tmp_path):
    # Jämtland 2021: TOTALT 11 522 848 kr against parts summing to 11 522 284 kr (domain.md).
    case = ROOT / "fixtures" / "cases" / "2021-psykisk-halsa"
    result = reconcile_case(case, tmp_path, Settings(data_docs=False))
    stated = [f for f in result.findings if f.check == "stated_total" and f.severity == "error"]
    assert [f.observed for f in stated] == [11_522_848]
    html = (tmp_path / case.name / "report.html").read_text(encoding="utf-8")
    assert ("As printed in jamtland-harjedalen-2021-lansgemensamma-medel.pdf, page 2: the line "
            "that states this amount, outlined.") in html


def test_a_total_row_is_named_as_it_is_printed(tmp_path):
    # The defect's region table ends in "Summa", not "Riket", and its Barn och unga total was
    # raised to 553 100 000 kr; the 21 regions still sum to 552 999 999 kr (truth 2024), a
    # bound of 21 × 0,5 + 0,5 = 11 kr.
    case = ROOT / "fixtures" / "defects" / "summa-does-not-foot"
    result = reconcile_case(case, tmp_path, Settings(data_docs=False, evidence_images=False))
    [error] = [f for f in result.findings if f.severity == "error"]
    assert error.message == (
        "The 21 Barn och unga amounts in the region table sum to 552 999 999 kr but its Summa "
        "row says 553 100 000 kr: 100 001 kr apart, beyond the 11 kr rounding bound.")
    html = (tmp_path / case.name / "report.html").read_text(encoding="utf-8")
    assert "Riket row" not in html
    # On the page the digit groups are held together by no-break spaces.
    assert "sum to 552\u00a0999\u00a0999\u00a0kr but its Summa row" in html
    assert '<div class="stat"><b>1</b>document</div>' in html
    assert '<div class="stat"><b>1</b>error</div>' in html


def test_an_mkr_case_states_its_rounding_in_mkr(tmp_path):
    # The page prints every län amount in Mkr to one decimal: a step of 0,1 Mkr (100 000 kr),
    # so half of it, 0,05 Mkr, bounds each rounded amount; never "half a krona".
    case = ROOT / "fixtures" / "cases" / "2024-lansgemensamma-mkr"
    reconcile_case(case, tmp_path, Settings(data_docs=False, evidence_images=False))
    html = (tmp_path / case.name / "report.html").read_text(encoding="utf-8")
    assert ("Amounts printed in Mkr are rounded to their last printed digit (0,1\u00a0Mkr): the "
            "bound is 0,05\u00a0Mkr (50\u00a0000\u00a0kr) per rounded amount") in html
    assert "half a krona" not in html and "krona per" not in html
    assert "1 documents" not in html and '<b>1</b>table read</div>' in html


def test_an_incomplete_report_says_first_where_money_was_not_read_and_how_much(tmp_path):
    # 2024-larosaten prints six universities' amounts in a table without total row, key or
    # statement: the six Traumavård amounts of regions 01, 03, 05, 12, 14, 24 of the 2024
    # region table (fixtures/builder/unread_pages.py), 11 630 934 + 1 916 680 + 2 238 465 +
    # 6 735 797 + 8 371 350 + 1 319 030 = 32 212 256 kr, checked by nothing.
    case = ROOT / "fixtures" / "cases" / "2024-larosaten"
    reconcile_case(case, tmp_path, Settings(data_docs=False, evidence_images=False))
    html = (tmp_path / case.name / "report.html").read_text(encoding="utf-8")
    top = html.index("<h2>Not read or not checked</h2>")
    assert html.index("Not fully read") < top < html.index('<div class="stats">')
    assert ("<b>32\u00a0212\u00a0256\u00a0kr (as read) printed in 1 document was not read as "
            "allocation amounts or was checked by nothing.</b>") in html
    # One row: the document, its table 1 (an HTML page numbers its tables), what, how much.
    assert ("<tr><td>larosatenas-medel.html</td><td>table 1</td><td>Money not checked</td>"
            "<td class=num>1 finding</td><td class=num>32\u00a0212\u00a0256\u00a0kr</td></tr>"
            ) in html
    # A kind of finding that no check evaluates says what it lists; it does not "check" it.
    assert ("<b>Money not checked</b> (<code>unchecked_amounts</code>): Lists amounts read that "
            "no check covered.") in html


def test_a_passing_report_has_no_gaps_section(defect_run):
    # The defect disagrees but every printed amount was read and checked.
    _, folder = defect_run
    assert "Not read or not checked" not in (folder / "report.html").read_text("utf-8")


def test_gaps_are_grouped_by_document_and_kind_and_unreadable_money_is_counted_apart():
    # 2021's agreement states money that no check reaches on four pages (pdftotext): page 5
    # "500 miljoner", "3 miljarder", "380 miljoner"; page 6 "3 miljarder"; page 14
    # "20 000 000"; page 15 "2 000 000" kronor: 3 880 000 000 + 3 000 000 000 + 20 000 000
    # + 2 000 000 = 6 902 000 000 kr. A web page beside it prints one cell that is no number.
    from types import SimpleNamespace

    from model import Finding
    from pipeline.report_gaps import gaps_section

    pdf = "overenskommelse-2021.pdf"
    findings = [Finding("unchecked_amounts", "error", "", source_file=pdf, page=p, unit="kr",
                        observed=kr)
                for p, kr in ((5, 3_880_000_000), (6, 3_000_000_000), (14, 20_000_000),
                              (15, 2_000_000))]
    findings += [Finding("unparsed_amount", "error", "", source_file="sida.html", page=2),
                 Finding("footing", "error", "", source_file=pdf, page=3)]  # a disagreement
    html = gaps_section(SimpleNamespace(findings=findings))
    assert ("<b>6\u00a0902\u00a0000\u00a0000\u00a0kr (as read) printed in 1 document was not "
            "read as allocation amounts or was checked by nothing, and 1 more place printing money "
            "was not read as amounts at all.</b>") in html
    assert (f"<tr><td>{pdf}</td><td>pages 5, 6, 14 and 15</td><td>Money not checked</td>"
            "<td class=num>4 findings</td><td class=num>6\u00a0902\u00a0000\u00a0000\u00a0kr"
            "</td></tr>") in html
    assert ("<tr><td>sida.html</td><td>table 2</td><td>Amounts not parsed</td>"
            "<td class=num>1 cell</td><td class=num>not read as amounts</td></tr>") in html
    assert "Column sums" not in html  # a disagreement is no gap
    assert gaps_section(SimpleNamespace(findings=findings[-1:])) == ""


def test_a_gap_of_numbers_no_reader_took_counts_the_numbers():
    # Two pages of a Chromium print whose kommun lists no reader took: 139 and 139 numbers
    # printed as money (the tally counts numbers, unit "count"), no kronor read.
    from types import SimpleNamespace

    from model import Finding
    from pipeline.report_gaps import gaps_section

    findings = [Finding("unaccounted_amounts", "error", "", source_file="b.pdf", page=p,
                        unit="count", observed=139.0) for p in (1, 2)]
    html = gaps_section(SimpleNamespace(findings=findings))
    assert ("<tr><td>b.pdf</td><td>pages 1 and 2</td><td>Money no reader took</td>"
            "<td class=num>278 numbers</td><td class=num>not read as amounts</td></tr>") in html
    assert "<b>Printed money in 1 document was not read as amounts.</b>" in html


def test_each_key_tested_says_which_document_it_was_tested_in(defect_run):
    # The defect prints the 2024 annex as PDF and DOCX; the agreement's Traumavård (50 000 000
    # kr) is half of Kunskapsbaserad (100 000 000 kr) region by region, a key found in each
    # document's region table: one row per document, each naming its own file.
    _, folder = defect_run
    html = (folder / "report.html").read_text(encoding="utf-8")
    keys = html[html.index("<h3>Allocation keys tested</h3>"):]
    keys = keys[:keys.index("</table>")]
    half = "region Traumavård = 0,5 × region Kunskapsbaserad"
    rows = [r for r in keys.split("<tr>") if half in r]
    assert sorted(re.findall(r"<td>(bilaga1\.(?:pdf|docx))</td>", "".join(rows))) == [
        "bilaga1.docx", "bilaga1.pdf"]
