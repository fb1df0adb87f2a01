"""Diagnosis through the whole pipeline, on defect fixtures read from their files: findings.json
carries it and the report opens with it (fixtures/README.md says what each defect injects)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.orchestrate import reconcile_case
from pipeline.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
DEFECTS = ROOT / "fixtures" / "defects"
CASES = ROOT / "fixtures" / "cases"
SETTINGS = Settings(data_docs=False, evidence_images=False)


def run(name: str, tmp_path: Path) -> tuple[dict, str]:
    folder = DEFECTS / name if (DEFECTS / name).is_dir() else CASES / name
    reconcile_case(folder, tmp_path, SETTINGS)
    out = tmp_path / name
    return (json.loads((out / "findings.json").read_text(encoding="utf-8")),
            (out / "report.html").read_text(encoding="utf-8"))


def test_a_cell_printed_2_mkr_too_high_is_that_cell(tmp_path) -> None:
    doc, report = run("mkr-cell-off-by-2", tmp_path)
    [cause] = doc["diagnosis"]
    [cell] = cause["cells"]
    assert (cell["table"], cell["scb_code"], cell["measure"]) == ("lan", "03", "Suicidprevention")
    assert cell["printed"] == 9_700_000 and cause["alternatives"] == 0
    # Uppsala's row: 10,6 + 1,0 + x + 10,4 = 29,6 Mkr within 5 × 0,05 Mkr, so x = 7,6 ± 0,25 Mkr
    # (the truth is 7,7); 9,7 read backwards (7,9) lies outside, so no transposition is claimed.
    assert abs(cell["reconciling_value"] - 7_600_000) <= 250_000
    assert cause["kind"] == "wrong_cell"
    errors = [i for i, f in enumerate(doc["findings"]) if f["severity"] == "error"]
    assert cause["explains"] == errors
    assert "<h2>Diagnosis</h2>" in report and "Uppsala" in report


def test_a_summa_row_that_does_not_foot_is_a_stale_total(tmp_path) -> None:
    doc, _ = run("summa-does-not-foot", tmp_path)
    [cause] = doc["diagnosis"]
    # One column, 21 regions and a Summa row: the Summa alone breaks the column sum; naming it
    # costs less than naming one of the 21 regions (a total weighs 0,9 of a cell).
    assert cause["kind"] == "stale_total" and cause["alternatives"] == 0
    [cell] = cause["cells"]
    assert (cell["scb_code"], cell["printed"]) == (None, 553_100_000)
    assert abs(cell["reconciling_value"] - 553_000_000) <= 11


@pytest.mark.parametrize("name", ["odd-digit-grouping", "not-an-allocation-table"])
def test_fixtures_without_errors_have_no_diagnosis(name, tmp_path) -> None:
    doc, report = run(name, tmp_path)
    assert doc["diagnosis"] == []
    assert "<h2>Diagnosis</h2>" not in report


def test_a_name_of_another_code_is_one_cause_in_both_documents(tmp_path) -> None:
    doc, _ = run("name-of-another-code", tmp_path)
    [cause] = doc["diagnosis"]
    assert cause["kind"] == "wrong_name"
    assert {(c["scb_code"], c["source_file"]) for c in cause["cells"]} == {
        ("0643", "bilaga1.pdf"), ("0643", "bilaga1.docx")}
    assert len(cause["explains"]) == 2


def test_a_share_printed_wrong_is_that_share(tmp_path) -> None:
    doc, _ = run("share-sum-100-5", tmp_path)
    [cause] = doc["diagnosis"]
    [cell] = cause["cells"]
    # Stockholm's Andel 23,39 printed 23,91: the shares then add up to 100,52 % and Stockholm's
    # amount is not its share of the Riket total; changing that one share mends both. What
    # reconciles: 164 423 176 / 703 000 000 = 23,389 %, within half a hundredth: 23,39.
    assert (cell["table"], cell["scb_code"], cell["measure"]) == ("region", "01", "Andel")
    assert (cell["printed"], cell["reconciling_value"]) == (23.91, 23.39)
    assert cause["alternatives"] == 0 and "23,91 %" in cause["cause"]
    assert cause["explains"] == [i for i, f in enumerate(doc["findings"])
                                 if f["severity"] == "error"]


def test_errors_the_diagnosis_cannot_trace_are_said_so(tmp_path) -> None:
    doc, _ = run("2017-psykisk-halsa", tmp_path)
    # The 2017 page states 780 Mkr whose listed items cover 530: a statement in the text, which
    # the rules do not hold yet, so its finding is listed as not localised, not left out.
    causes = [c for c in doc["diagnosis"] if c["kind"] == "not_localised"]
    errors = [i for i, f in enumerate(doc["findings"]) if f["severity"] == "error"]
    assert errors and [i for c in causes for i in c["explains"]] == errors
    assert causes[0]["cells"] == []
