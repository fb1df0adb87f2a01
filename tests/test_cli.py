"""The `reconcile` command line: exit statuses, exact error lines, JSON equal to the library."""

from __future__ import annotations

import csv
import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.orchestrate import reconcile_case
from pipeline.outputs import findings_document
from pipeline.resolver import Resolver
from pipeline.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
WORD_EXPORT = ROOT / "fixtures" / "cases" / "2024-psykisk-halsa-word-export"
WEB_2020 = ROOT / "fixtures" / "cases" / "2020-psykisk-halsa"


@pytest.fixture(scope="module")
def cli_run(tmp_path_factory) -> tuple[int, Path]:
    """One CLI run over the Word-export rendering of the 2024 decision."""
    out = tmp_path_factory.mktemp("cli-out")
    return main([str(WORD_EXPORT), "--out", str(out), "--no-data-docs"]), out


def test_clean_2024_case_exits_0_and_writes_every_output(cli_run):
    status, out = cli_run
    assert status == 0
    case = out / WORD_EXPORT.name
    for name in ("allocations.csv", "allocations.parquet", "allocations.xlsx", "findings.json",
                 "report.html", "documents.json"):
        assert (case / name).is_file(), name
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert [c["case"] for c in summary["cases"]] == [WORD_EXPORT.name]
    assert summary["cases"][0]["exit_status"] == 0
    assert summary["cases"][0]["findings"]["error"] == 0


def test_findings_json_equals_the_library_result_and_outputs_are_deterministic(cli_run, tmp_path):
    _, out = cli_run
    result = reconcile_case(WORD_EXPORT, tmp_path, Settings(data_docs=False))
    written = json.loads((out / WORD_EXPORT.name / "findings.json").read_text(encoding="utf-8"))
    assert written == json.loads(json.dumps(findings_document(result)))
    for name in ("allocations.csv", "findings.json", "documents.json"):
        first = (out / WORD_EXPORT.name / name).read_bytes()
        assert first == (tmp_path / WORD_EXPORT.name / name).read_bytes(), name


def test_allocations_csv_has_the_contract_columns_and_the_riket_totals(cli_run):
    _, out = cli_run
    with (out / WORD_EXPORT.name / "allocations.csv").open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
    assert reader.fieldnames[:11] == [
        "source_file", "source_format", "page", "table", "row_kind", "code", "name_raw",
        "scb_code", "scb_name", "measure", "amount_sek",
    ]
    assert len(rows) == (21 + 1) * 4 + (290 + 1) * 2 + (21 + 1) * 5
    riket_totals = sorted(
        int(r["amount_sek"]) for r in rows
        if r["row_kind"] == "total" and r["measure"] == "Totalt belopp"
    )
    assert riket_totals == [100_000_000, 703_000_000, 724_000_000]
    assert all(r["scb_code"] for r in rows if r["row_kind"] == "recipient")


def test_missing_case_folder_is_one_error_line_and_status_2(tmp_path, capsys):
    missing = tmp_path / "no-such-case"
    status = main([str(missing), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert status == 2
    assert err == (
        f"Error: {missing}: no such case folder; pass a folder holding the decision documents\n"
    )


def test_bad_workers_value_is_refused_before_any_work(tmp_path, capsys):
    status = main([str(WEB_2020), "--out", str(tmp_path / "out"), "--workers", "0"])
    assert status == 2
    assert capsys.readouterr().err == "Error: --workers must be between 1 and 64, got 0\n"
    assert not (tmp_path / "out").exists()


def test_one_missing_case_does_not_stop_the_others(tmp_path, capsys):
    status = main([str(tmp_path / "gone"), str(WEB_2020), "--out", str(tmp_path / "out"),
                   "--no-data-docs"])
    assert status == 2
    assert (tmp_path / "out" / WEB_2020.name / "findings.json").is_file()
    assert capsys.readouterr().err.count("Error: ") == 1


def test_resolve_prints_the_library_result_as_json_lines(capsys):
    names = ["Falu kommun", "Håbo", "Habo", "Oslo"]
    assert main(["resolve", "--level", "kommun", *names]) == 1  # Oslo stays unresolved
    lines = capsys.readouterr().out.splitlines()
    resolver = Resolver()
    assert [json.loads(line) for line in lines] == [
        resolver.resolve(name, "kommun").to_dict() for name in names
    ]
    assert [json.loads(line)["scb_code"] for line in lines] == ["2080", "0305", "0643", None]


def test_unrecognised_files_are_listed_not_skipped(tmp_path):
    case = tmp_path / "case"
    shutil.copytree(WEB_2020, case)
    (case / "kalkyl.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    result = reconcile_case(case, tmp_path / "out", Settings(data_docs=False))
    listed = [f for f in result.findings if f.check == "unrecognised_file"]
    assert [f.source_file for f in listed] == ["kalkyl.xlsx"]
    report = (tmp_path / "out" / "case" / "report.html").read_text(encoding="utf-8")
    assert "kalkyl.xlsx" in report


def test_empty_case_folder_is_an_error_naming_the_folder(tmp_path, capsys):
    empty = tmp_path / "tom mapp åäö"
    empty.mkdir()
    status = main([str(empty), "--out", str(tmp_path / "out")])
    assert status == 2
    assert capsys.readouterr().err == (
        f"Error: {empty}: no PDF, DOCX, HTML, TXT or MD document to read (it is empty); "
        "put the decision's documents in the folder\n"
    )
    assert not (tmp_path / "out" / empty.name).exists()


def test_a_document_with_nothing_to_check_gets_a_finding_that_says_so(tmp_path):
    case = tmp_path / "protokoll"
    case.mkdir()
    (case / "protokoll.txt").write_text("Protokoll\n\nInga belopp i detta dokument.\n", "utf-8")
    result = reconcile_case(case, tmp_path / "out", Settings(data_docs=False))
    assert [(f.check, f.severity, f.source_file) for f in result.findings] == [
        ("nothing_to_check", "warning", "protokoll.txt")
    ]
    assert result.exit_status == 0


ORGANISATIONS = ROOT / "fixtures" / "cases" / "2024-regioner-organisationsnamn"


def test_version_is_the_packages_version(capsys):
    import tomllib

    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"reconcile {version}\n"


def test_help_describes_case_dir_out_and_every_exit_status():
    from pipeline.cli import reconcile_parser

    text = " ".join(reconcile_parser().format_help().split())
    assert "CASE_DIR a folder holding one decision's documents" in text
    assert "--out OUT_DIR folder to write into" in text
    for line in ("0 every case read and no error finding", "1 at least one error finding",
                 "2 a document or case could not be read", "130 interrupted"):
        assert line in text, line


def test_each_case_gets_its_line_as_it_ends_with_the_reports_path(tmp_path, capsys):
    # Without a terminal (pytest captures), no progress bar: the error line of the missing case
    # on stderr, then one stdout line per case in the order given. The organisation-name case is
    # one Markdown page of 21 regions and Riket (22 amounts) whose one info is its rounding note.
    out = tmp_path / "out"
    old = os.umask(0o022)
    try:
        status = main([str(tmp_path / "gone"), str(ORGANISATIONS), "--out", str(out),
                       "--no-data-docs", "--workers", "1"])
    finally:
        os.umask(old)
    captured = capsys.readouterr()
    assert status == 2
    assert captured.err == (
        f"Error: {tmp_path / 'gone'}: no such case folder; "
        "pass a folder holding the decision documents\n"
    )
    reason = json.loads((out / "summary.json").read_text(encoding="utf-8"))["cases"][0][
        "exit_reason"]  # the verdict's own words (tests/test_verdict.py)
    assert captured.out.splitlines() == [
        "gone: INCOMPLETE (exit 2) Not fully read: the case could not be read; 0 errors, "
        "0 warnings, 0 info; 0 documents, 0 amounts",
        f"2024-regioner-organisationsnamn: PASS (exit 0) Reconciles: {reason}; 0 errors, "
        "0 warnings, 1 info; 1 document, 22 amounts; "
        f"report: {out / ORGANISATIONS.name / 'report.html'}",
    ]
    # Folders and files follow the umask (022), not mkdtemp's 0700 or mkstemp's 0600.
    assert stat.S_IMODE((out / ORGANISATIONS.name).stat().st_mode) == 0o755
    assert stat.S_IMODE((out / ORGANISATIONS.name / "report.html").stat().st_mode) == 0o644
    assert stat.S_IMODE((out / "summary.json").stat().st_mode) == 0o644


def test_json_writes_summary_json_to_stdout_and_the_lines_to_stderr(tmp_path):
    # Run as a script in a pipe, as CI would: the line comes without any terminal.
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", str(ORGANISATIONS), "--out", str(out), "--json",
         "--no-data-docs", "--workers", "1"],
        capture_output=True, text=True, env=env, check=False,
    )
    assert proc.returncode == 0
    assert proc.stdout == (out / "summary.json").read_text(encoding="utf-8")
    assert json.loads(proc.stdout)["cases"][0]["case"] == ORGANISATIONS.name
    reason = json.loads(proc.stdout)["cases"][0]["exit_reason"]
    assert proc.stderr == (
        f"2024-regioner-organisationsnamn: PASS (exit 0) Reconciles: {reason}; 0 errors, "
        "0 warnings, 1 info; 1 document, 22 amounts; "
        f"report: {out / ORGANISATIONS.name / 'report.html'}\n"
    )


def test_resolve_exits_1_when_a_name_stays_unresolved(capsys):
    assert main(["resolve", "--level", "kommun", "Falu kommun", "Habo"]) == 0
    assert main(["resolve", "--level", "kommun", "Falu kommun", "Oslo"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(line)["scb_code"] for line in lines] == ["2080", "0643", "2080", None]
