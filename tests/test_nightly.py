"""The nightly batch: every fixture case and defect produces exactly what its expected.json says."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from wording import findings_slips

from pipeline.cases import read_expected
from pipeline.nightly import case_folders, compare, main
from pipeline.orchestrate import case_worker
from pipeline.settings import EXPECTED_FILE, Settings

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = case_folders([ROOT / "fixtures" / "cases", ROOT / "fixtures" / "defects"])


def test_every_fixture_folder_is_in_the_batch():
    names = {f.name for f in FOLDERS}
    assert {"2024-psykisk-halsa", "2021-psykisk-halsa", "2017-psykisk-halsa"} <= names
    assert {"kommun-row-missing", "lan-cells-swapped-totals-adjusted"} <= names


@pytest.mark.parametrize("folder", FOLDERS, ids=[f"{f.parent.name}/{f.name}" for f in FOLDERS])
def test_case_produces_what_its_folder_expects(folder, tmp_path):
    summary = case_worker((str(folder), str(tmp_path), Settings(data_docs=False), False))
    assert compare(summary, read_expected(folder / EXPECTED_FILE)) == []
    # Every sentence the case prints for people is free of the wording slips (tests/wording.py).
    findings = json.loads((tmp_path / folder.name / "findings.json").read_text("utf-8"))
    assert findings_slips(findings["findings"]) == []


def test_compare_names_every_difference():
    summary = {
        "exit_status": 1,
        "error_keys": [
            ("footing", "region", None, "Traumavård"), ("coverage", "kommun", "2584", None),
        ],
    }
    expected = {
        "exit_status": 1,
        "errors": [{"check": "coverage", "table": "kommun", "scb_code": "2584", "measure": None},
                   {"check": "cross_footing", "table": "region", "scb_code": "05",
                    "measure": "Totalt belopp"}],
    }
    assert compare(summary, expected) == [
        "missing error ('cross_footing', 'region', '05', 'Totalt belopp')",
        "unexpected error ('footing', 'region', None, 'Traumavård')",
    ]
    assert compare({**summary, "exit_status": 0}, expected)[0] == "exit status 0, expected 1"
    assert compare(summary, None) == [f"no valid {EXPECTED_FILE}"]


def test_nightly_fails_when_a_case_differs_from_its_expectation(tmp_path, capsys):
    case = tmp_path / "cases" / "wrong-expectation"
    case.mkdir(parents=True)
    source = ROOT / "fixtures" / "cases" / "2020-psykisk-halsa"
    for file in source.iterdir():
        if file.name != EXPECTED_FILE:
            (case / file.name).write_bytes(file.read_bytes())
    (case / EXPECTED_FILE).write_text('{"exit_status": 1, "errors": []}', encoding="utf-8")
    assert main([str(tmp_path / "cases"), "--out", str(tmp_path / "out"), "--workers", "1"]) == 1
    out = capsys.readouterr().out
    assert "FAIL cases/wrong-expectation" in out
    assert "exit status 0, expected 1" in out
    assert out.rstrip().endswith("0 passed, 1 failed")
