"""Issue 18, data loss and integrity: where a run may write, what it may replace, and how cases
and documents keep their own names. Every hostile layout is built here in tmp_path from small
fixture documents.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import polars as pl

from extractors import pdf
from pipeline.cases import folder_to_case
from pipeline.cli import main
from pipeline.evidence import row_image
from pipeline.findings import Finding
from pipeline.publishing import MARKER_FILE, OLD_PREFIX, STAGING_PREFIX, mark
from pipeline.reading import renamed

ROOT = Path(__file__).resolve().parent.parent
# Two small HTML pages whose cases pass (their expected.json: exit 0).
SMALL_PAGE = ROOT / "fixtures" / "cases" / "2024-lansgemensamma-mkr" / \
    "lansgemensamma-medel-2024-mkr.html"
LAN_PAGE = ROOT / "fixtures" / "cases" / "2020-psykisk-halsa" / "skr-overenskommelse-2020.html"
# SMALL_PAGE with one cell changed (fixtures/builder: the defect mkr-cell-off-by-2).
DEFECT_PAGE = ROOT / "fixtures" / "defects" / "mkr-cell-off-by-2" / \
    "lansgemensamma-medel-2024-mkr.html"
ANNEX_PDF = ROOT / "fixtures" / "defects" / "region-cell-changed-total-kept" / "bilaga1.pdf"


def small_case(parent: Path, name: str = "arende") -> Path:
    case = parent / name
    case.mkdir(parents=True)
    shutil.copy(SMALL_PAGE, case / SMALL_PAGE.name)
    return case


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def run(*args: str | Path) -> int:
    return main([str(a) for a in args] + ["--no-data-docs", "--workers", "1"])


# --- 1. --out must not be, hold or lie in a case; never replace what the tool did not write --


def test_out_holding_the_case_is_refused_and_the_inputs_stay(tmp_path, capsys, monkeypatch):
    case = small_case(tmp_path)
    before = tree(case)
    monkeypatch.chdir(tmp_path)
    assert run("arende", "--out", ".") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("Error: --out .: holds the case folder")
    assert tree(case) == before  # the documents are still there, byte for byte


def test_out_that_is_or_lies_inside_a_case_is_refused(tmp_path, capsys):
    case = small_case(tmp_path)
    before = tree(case)
    for out in (case, case / "reports", case / "a" / "b"):
        assert run(case, "--out", out) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "is or lies inside the case folder" in err, err
    assert tree(case) == before  # nothing written into the case, not even an empty folder


def test_out_that_is_a_file_or_cannot_be_made_is_refused(tmp_path, capsys):
    case = small_case(tmp_path)
    blocker = tmp_path / "reports.txt"
    blocker.write_text("not a folder")
    assert run(case, "--out", blocker) == 2
    assert capsys.readouterr().err == (
        f"Error: --out {blocker}: is a file, not a folder; give a folder for the reports\n")
    assert run(case, "--out", blocker / "sub") == 2  # a folder under a file cannot be made
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot be written" in err
    assert blocker.read_text() == "not a folder"


def test_a_folder_the_tool_did_not_write_is_never_replaced(tmp_path, capsys):
    case = small_case(tmp_path / "in")
    out = tmp_path / "out"
    foreign = out / case.name
    foreign.mkdir(parents=True)
    (foreign / "my notes.txt").write_text("mine")
    assert run(case, "--out", out) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "was not written by reconcile" in err
    assert tree(foreign) == {"my notes.txt": b"mine"}
    summary = json.loads((out / "summary.json").read_text("utf-8"))["cases"]
    assert [(s["case"], s["exit_status"]) for s in summary] == [(case.name, 2)]


def test_the_tools_own_folder_is_replaced_and_no_leftovers_stay(tmp_path, capsys):
    case = small_case(tmp_path / "in")
    out = tmp_path / "out"
    assert run(case, "--out", out) == 0
    assert (out / case.name / MARKER_FILE).is_file()
    (out / case.name / "stale.txt").write_text("from an older run")
    # An interrupted run's staging and old folders (marked) go; an unmarked look-alike stays.
    for name in (STAGING_PREFIX + "x1", OLD_PREFIX + "x2"):
        (out / name).mkdir()
        mark(out / name)
    (out / (STAGING_PREFIX + "not-ours")).mkdir()
    assert run(case, "--out", out) == 0
    capsys.readouterr()
    assert not (out / case.name / "stale.txt").exists()  # replaced as a whole
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [case.name, "summary.json", STAGING_PREFIX + "not-ours"])


# --- 2. two cases of the same name from different parents ----------------------------------


def test_cases_of_the_same_name_get_their_own_folders_in_argument_order(tmp_path, capsys):
    first = small_case(tmp_path / "a")
    second = tmp_path / "b" / "arende"
    second.mkdir(parents=True)
    shutil.copy(LAN_PAGE, second / LAN_PAGE.name)
    out = tmp_path / "out"
    assert run(first, second, "--out", out) == 0
    err = capsys.readouterr().err
    assert err == (f"Note: {second}: another case is also named arende, so this one's outputs "
                   "are in arende-2\n")
    documents = {name: json.loads((out / name / "documents.json").read_text("utf-8"))
                 for name in ("arende", "arende-2")}
    assert [d["source_file"] for d in documents["arende"]["documents"]] == [SMALL_PAGE.name]
    assert [d["source_file"] for d in documents["arende-2"]["documents"]] == [LAN_PAGE.name]
    summary = json.loads((out / "summary.json").read_text("utf-8"))["cases"]
    assert [(s["case"], s["folder"]) for s in summary] == [
        ("arende", str(first)), ("arende-2", str(second))]


def test_a_case_named_like_the_shared_data_docs_folder_gets_another_name(tmp_path, capsys):
    # OUT_DIR/data_docs_static holds the one copy of the Data Docs' assets every case links to;
    # a case of that name would be published over it (or refused), so it is renamed with a
    # Note line, as a second case of one name is.
    case = small_case(tmp_path / "a", "data_docs_static")
    out = tmp_path / "out"
    assert main([str(case), "--out", str(out), "--workers", "1"]) == 0
    err = capsys.readouterr().err
    assert err == (f"Note: {case}: the output folder keeps the name data_docs_static for the "
                   "Data Docs' shared assets, so this one's outputs are in data_docs_static-2\n")
    assert (out / "data_docs_static-2" / "report.html").is_file()
    assert (out / "data_docs_static" / "VERSION").is_file()  # the assets, not the case
    index = (out / "data_docs_static-2" / "data_docs" / "index.html").read_text("utf-8")
    assert "../../data_docs_static/" in index
    assert not (out / "data_docs_static" / "report.html").exists()


def test_cases_named_like_the_run_files_are_renamed_too(tmp_path, capsys):
    # summary.json is the run's own file, and a .reconcile-old- folder is removed by the next
    # run: cases of those names get names no run writes or removes.
    first = small_case(tmp_path / "a", "summary.json")
    second = small_case(tmp_path / "b", OLD_PREFIX + "x")
    out = tmp_path / "out"
    assert run(first, second, "--out", out) == 0
    err = capsys.readouterr().err.splitlines()
    assert err[0].endswith("so this one's outputs are in summary.json-2")
    assert err[1].endswith(f"so this one's outputs are in case-{OLD_PREFIX}x")
    cases = json.loads((out / "summary.json").read_text("utf-8"))["cases"]
    assert [c["case"] for c in cases] == [f"case-{OLD_PREFIX}x", "summary.json-2"]  # by name
    assert (out / "summary.json-2" / "report.html").is_file()
    assert (out / f"case-{OLD_PREFIX}x" / "report.html").is_file()


# --- 3. documents of the same file name in two subfolders -----------------------------------


def test_same_file_name_in_two_subfolders_stays_two_documents(tmp_path, capsys):
    alone = tmp_path / "alone"
    out = tmp_path / "out"
    case = tmp_path / "in" / "arende"
    for sub, page in (("2024", SMALL_PAGE), ("defekt", DEFECT_PAGE)):
        (case / sub).mkdir(parents=True)
        shutil.copy(page, case / sub / "bilaga.html")
        single = alone / sub
        single.mkdir(parents=True)
        shutil.copy(page, single / "bilaga.html")
    run(case, "--out", out)
    run(alone / "2024", alone / "defekt", "--out", tmp_path / "out-alone")
    capsys.readouterr()
    rows = pl.read_csv(out / "arende" / "allocations.csv")
    counts = dict(rows.group_by("source_file").len().iter_rows())
    alone_counts = {
        f"{sub}/bilaga.html": len(pl.read_csv(tmp_path / "out-alone" / sub / "allocations.csv"))
        for sub in ("2024", "defekt")}
    assert counts == alone_counts  # each document keeps its own rows under its own path
    assert min(counts.values()) > 0
    findings = json.loads((out / "arende" / "findings.json").read_text("utf-8"))["findings"]
    assert {f["source_file"] for f in findings if f["severity"] == "error"} <= {
        "defekt/bilaga.html", None}  # the changed cell is blamed on its own document


def test_evidence_is_cropped_from_the_documents_own_subfolder(tmp_path):
    case = tmp_path / "arende"
    (case / "a").mkdir(parents=True)
    (case / "b").mkdir()
    shutil.copy(ANNEX_PDF, case / "b" / "bilaga.pdf")
    (case / "a" / "bilaga.pdf").write_bytes(b"%PDF-1.4 not the document\n")
    found = folder_to_case(case)
    assert [d.name for d in found.documents] == ["a/bilaga.pdf", "b/bilaga.pdf"]
    rows = renamed(pdf.extract(case / "b" / "bilaga.pdf"), "b/bilaga.pdf").allocations
    assert set(rows["source_file"]) == {"b/bilaga.pdf"}
    total = rows.filter(pl.col("row_kind") == "total").head(1)
    finding = Finding(check="sum", severity="error", message="m", table=total["table"][0])
    assert row_image(case, total, finding, 72) is not None  # read from b/, not from a/


# --- 12. only files inside the case folder are read -----------------------------------------


def test_a_link_out_of_the_case_folder_is_refused_with_one_line(tmp_path, capsys):
    secret = tmp_path / "elsewhere" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("Hemligt: 1 000 000 kr till Stockholm.\n")
    case = small_case(tmp_path / "in")
    os.symlink(secret, case / "notes.txt")
    os.symlink(secret.parent, case / "more")  # a linked folder is not walked into either
    out = tmp_path / "out"
    assert run(case, "--out", out) == 2
    err = capsys.readouterr().err
    assert err == (f"Error: arende/notes.txt: is a link to {secret}, outside the case folder; "
                   "the tool reads only files inside it: copy the file itself into the case "
                   "folder\n")
    report = (out / "arende" / "report.html").read_text("utf-8")
    assert "Hemligt" not in report
    assert "more" in json.loads((out / "arende" / "documents.json").read_text("utf-8"))[
        "unrecognised_files"]


# --- 11. a printed formula stays text in the workbook and the CSV --------------------------


def test_a_header_like_a_formula_is_text_in_xlsx_and_quoted_in_csv(tmp_path, capsys):
    import zipfile

    case = tmp_path / "in" / "arende"
    case.mkdir(parents=True)
    hostile = '=HYPERLINK("http://x.invalid","Brukarmedverkan")'
    page = SMALL_PAGE.read_text("utf-8").replace(
        "<th>Brukarmedverkan</th>", f"<th>{hostile.replace('&', '&amp;')}</th>")
    (case / SMALL_PAGE.name).write_text(page, "utf-8")
    out = tmp_path / "out"
    run(case, "--out", out)
    capsys.readouterr()
    rows = pl.read_csv(out / "arende" / "allocations.csv", infer_schema_length=0)
    assert "'" + hostile in set(rows["measure"])  # OWASP: a leading quote makes it text
    assert hostile in set(pl.read_parquet(out / "arende" / "allocations.parquet")["measure"])
    assert all(not v.startswith("'") for v in rows["amount_sek"])  # amounts stay numbers
    with zipfile.ZipFile(out / "arende" / "allocations.xlsx") as book:
        sheets = "".join(book.read(n).decode("utf-8") for n in book.namelist()
                         if n.startswith("xl/worksheets/sheet"))
        strings = book.read("xl/sharedStrings.xml").decode("utf-8")
    assert "<f>" not in sheets and "hyperlink" not in sheets.lower()  # no formula, no link
    assert "HYPERLINK(" in strings


# --- 13. control characters in names are printed escaped -----------------------------------


def test_control_characters_in_a_case_name_cannot_forge_lines(tmp_path, capsys):
    case = small_case(tmp_path / "in", "arende\nPASS\x1b[2J")
    assert run(case, "--out", tmp_path / "out") == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "\x1b" not in out
    assert out.startswith("arende\\nPASS\\x1b[2J: PASS")
