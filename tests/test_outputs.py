"""The outputs auditors open: the workbook, the self-contained report, and atomic case folders."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import openpyxl
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


def test_workbook_holds_each_table_as_printed_and_the_findings(defect_run):
    result, folder = defect_run
    book = openpyxl.load_workbook(folder / "allocations.xlsx")
    assert book.sheetnames == [
        "Region", "Kommun", "Länsgemensamma medel", "Findings", "Stated totals",
    ]
    region = book["Region"]
    assert [c.value for c in region[3]] == [
        "Kod", "Namn (som tryckt)", "SCB-kod", "Barn och unga", "Traumavård",
        "Kunskapsbaserad och säker vård och omsorg", "Totalt belopp",
    ]
    rows = {r[0].value: [c.value for c in r] for r in region.iter_rows(min_row=4)}
    # Östergötland as printed in the defect: Traumavård +10 000 kr, Totalt belopp left alone.
    assert rows["05"][1:] == ["Östergötland", "05", 25431721, 2248465, 4476930, 32147116]
    assert region["E5"].number_format == '#,##0 "kr";-#,##0 "kr";0 "kr"'
    assert book["Kommun"].max_row == 3 + 291
    findings = book["Findings"]
    assert findings.max_row == 1 + len(result.findings)
    severities = [r[0].value for r in findings.iter_rows(min_row=2)]
    assert severities.count("error") == sum(f.severity == "error" for f in result.findings)


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
    assert '<div class="stat"><b>1</b>failed</div>' in html


def test_errors_from_outside_the_suites_count_as_failed_checks(tmp_path):
    """0643 printed as "Håbo": one code_name error in the PDF and one in the DOCX, so the names
    check failed (one check, on two rows); every suite that evaluated something passed."""
    case = ROOT / "fixtures" / "defects" / "name-of-another-code"
    result = reconcile_case(case, tmp_path, Settings(data_docs=False, evidence_images=False))
    assert [f.check for f in result.findings if f.severity == "error"] == ["code_name"] * 2
    html = (tmp_path / case.name / "report.html").read_text(encoding="utf-8")
    assert '<div class="stat"><b>1</b>failed</div>' in html
