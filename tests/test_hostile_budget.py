"""Issue 18, what was left: every case has a time and memory budget for its reading and checks
together, and a document's text may print only so many amounts. Beyond them the case (or the
document) ends with one line naming it, exit 2, no outputs half written, and the other cases
still run. The hostile files are made here.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from extractors.base import ExtractSettings
from extractors.errors import SettingsError
from pipeline import cli
from pipeline.orchestrate import case_worker, reconcile_cases
from pipeline.publishing import MARKER_FILE, STAGING_PREFIX, mark
from pipeline.reading import read_document
from pipeline.settings import DEFAULT_MAX_TEXT_AMOUNTS, BudgetSettings, Settings
from pipeline.watch import (
    CaseBudgetError,
    DocumentTimeoutError,
    case_limit,
    resident_bytes,
    time_limit,
)
from tests.test_hostile_faults import page_pdf

ROOT = Path(__file__).resolve().parent.parent
# 21 län and a Riket row, each with 5 amounts in Mkr: 22 x 5 = 110 amounts; it passes.
GOOD = ROOT / "fixtures" / "cases" / "2024-lansgemensamma-mkr"
KOMMUNER = ("Upplands Väsby", "Vallentuna", "Österåker", "Värmdö", "Stockholm")
LINUX = pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="reads /proc")


def prose_page(sentences: int) -> str:
    """A text page of one paragraph: `sentences` sentences of about 100 bytes, each granting
    one kommun one amount in kronor."""
    return "\n".join(
        f"{KOMMUNER[n % 5]} kommun får {n % 900 + 100} 000 kronor för arbete med barn och unga "
        "under år 2024, enligt beslut." for n in range(sentences)) + "\n"


def test_a_case_whose_reading_and_checks_outlast_its_budget_ends_with_one_line_and_the_others_run(
        tmp_path, capsys):
    # 48 000 sentences (4.8 MB) are within every reader's limits (16 MiB, 200 000 lines, 50 000
    # amounts); reading them takes ~5 s and weighing 48 000 stated amounts against their
    # sentences and each other ~12 s more (one quiet core), so an 8 s budget ends the case in
    # its checks, or under load while still reading. The good case reads and checks in well
    # under a second once the libraries are loaded (loaded first, below).
    import expectations.runner  # noqa: F401

    case = tmp_path / "sida"
    case.mkdir()
    (case / "sida.txt").write_text(prose_page(48_000), encoding="utf-8")
    good = tmp_path / "lan"
    shutil.copytree(GOOD, good)
    out = tmp_path / "out"
    stale = out / "sida"  # an earlier run's outputs for the case: no longer true
    stale.mkdir(parents=True)
    mark(stale)
    (stale / "report.html").write_text("PASS", encoding="utf-8")

    start = time.monotonic()
    status = cli.main([str(case), str(good), "--out", str(out), "--workers", "1",
                       "--no-data-docs", "--max-seconds-per-case", "8"])
    elapsed = time.monotonic() - start
    captured = capsys.readouterr()

    assert status == 2
    [line] = captured.err.splitlines()
    assert re.fullmatch(
        r"Error: sida: reading and checking the case took longer than max_seconds_per_case=8 s "
        r"\(stopped while (checking what was read from its 1 document\(s\)|reading sida\.txt)\); "
        r"no outputs written: look for an oversized document, split the case, or raise the "
        r"limit \(--max-seconds-per-case\)", line), line
    lines = captured.out.splitlines()
    assert lines[0].startswith("sida: INCOMPLETE (exit 2) Not fully read: the case went "
                               "beyond its time or memory budget")
    assert lines[1].startswith("lan: PASS (exit 0)") and "110 amounts" in lines[1]
    assert elapsed < 8 + 60  # stopped soon after its budget, not after the checks' minutes
    # nothing half written, and no stale report beside the failure
    assert sorted(p.name for p in out.iterdir()) == ["lan", "summary.json"]
    assert not any(p.name.startswith(STAGING_PREFIX) for p in out.iterdir())


def test_a_case_stuck_in_reading_is_stopped_by_its_budget_before_the_document_limit(
        tmp_path):
    case = tmp_path / "arende"
    case.mkdir()
    # a page whose contents reference loops 7 -> 8 -> 7: pdfminer never returns
    (case / "beslut.pdf").write_bytes(page_pdf(b"7 0 R", [(7, b"8 0 R"), (8, b"7 0 R")]))
    settings = Settings(data_docs=False, budget=BudgetSettings(max_seconds_per_case=3))
    assert settings.extract.max_seconds_per_document == 120  # the case's 3 s come first
    start = time.monotonic()
    summary = case_worker((str(case), str(tmp_path / "out"), settings, False))
    assert time.monotonic() - start < 60
    assert (summary["status"], summary["exit_status"]) == ("incomplete", 2)
    assert summary["errors"] == [
        "arende: reading and checking the case took longer than max_seconds_per_case=3 s "
        "(stopped while reading beslut.pdf); no outputs written: look for an oversized "
        "document, split the case, or raise the limit (--max-seconds-per-case)"]
    assert not (tmp_path / "out" / "arende").exists()


def test_a_case_whose_documents_are_read_by_workers_keeps_to_its_budget(tmp_path):
    # One case and two workers: a worker process reads the looping PDF while this process
    # loads the checks. The worker is given the time the case has left, so the batch ends
    # soon after the case's 5 s and not after the document's own 120 s.
    case = tmp_path / "arende"
    case.mkdir()
    (case / "beslut.pdf").write_bytes(page_pdf(b"7 0 R", [(7, b"8 0 R"), (8, b"7 0 R")]))
    settings = Settings(data_docs=False, workers=2,
                        budget=BudgetSettings(max_seconds_per_case=5))
    start = time.monotonic()
    [summary] = reconcile_cases([case], tmp_path / "out", settings)
    assert time.monotonic() - start < 100
    assert summary["errors"] == [
        "arende: reading and checking the case took longer than max_seconds_per_case=5 s "
        "(stopped while reading beslut.pdf); no outputs written: look for an oversized "
        "document, split the case, or raise the limit (--max-seconds-per-case)"]


def test_guards_nest_and_the_first_limit_passed_ends_its_own_block():
    # a document's 1 s inside a case's 30 s: the document is refused, the case goes on
    with case_limit("fall", 30, 0):
        with pytest.raises(DocumentTimeoutError) as exc, time_limit("a.pdf", 1):
            time.sleep(20)
        assert "max_seconds_per_document=1 s" in exc.value.reason
        time.sleep(1.5)  # the case's own alarm is armed again, and not yet due
    # a case's 1 s around a document's 30 s: the case ends, whatever the document does
    start = time.monotonic()
    with pytest.raises(CaseBudgetError) as exc, case_limit("fall", 1, 0):
        with time_limit("b.pdf", 30):
            while True:
                time.sleep(0.1)
    assert time.monotonic() - start < 10
    assert str(exc.value).startswith("fall: reading and checking the case took longer than "
                                     "max_seconds_per_case=1 s")
    time.sleep(1.5)  # no alarm is left behind to fire later


@LINUX
def test_a_case_beyond_its_memory_cap_is_stopped_with_one_line():
    # a block that keeps taking memory, 1 MiB at a time: it is stopped soon after the process
    # holds 100 MiB more than now, long before the 400 MiB it would take
    cap = resident_bytes() + 100 * 2**20
    held = []
    with pytest.raises(CaseBudgetError) as exc, case_limit("fall", 0, cap):
        for _ in range(400):
            held.append(b"x" * 2**20)
            time.sleep(0.01)
    taken = len(held)
    held.clear()
    assert 90 <= taken < 400
    assert str(exc.value).startswith(f"fall: reading and checking the case took the process "
                                     f"past max_memory_bytes={cap} ")
    assert "(--max-memory-mb)" in str(exc.value)


MEMORY_PROBE = """
import sys
from pathlib import Path
import expectations.runner
from pipeline import cli
from pipeline.watch import resident_bytes
hostile, good, out = sys.argv[1:4]
# warm: the libraries loaded and a case checked, so the cap is measured from a working process
cli.main([good, "--out", out + "-warm", "--workers", "1", "--no-data-docs"])
cap_mb = resident_bytes() / 2**20 + 150
sys.exit(cli.main([hostile, good, "--out", out, "--workers", "1", "--no-data-docs",
                   "--max-memory-mb", f"{cap_mb:.0f}"]))
"""


@LINUX
def test_a_document_beyond_the_memory_cap_is_refused_with_one_line_and_the_others_run(
        tmp_path):
    # One PDF page printing 600 000 characters (600 lines of 1 000) is within every PDF limit
    # (0.6 MB, one page, nothing packed) yet takes the reader some 450 MB more than the
    # process holds (each glyph becomes an object); the cap is 150 MB above a warm process.
    lines = [b"1 0 0 1 10 %d Tm (%s) Tj" % (10 + n, (b"1 000 kr " * 112)[:1000])
             for n in range(600)]
    data = b"BT /F1 1 Tf\n" + b"\n".join(lines) + b"\nET"
    stream = b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"
    hostile = tmp_path / "tung"
    hostile.mkdir()
    (hostile / "sida.pdf").write_bytes(page_pdf(b"4 0 R", [(4, stream)]))
    good = tmp_path / "lan"
    shutil.copytree(GOOD, good)
    out = tmp_path / "out"
    run = subprocess.run([sys.executable, "-c", MEMORY_PROBE, str(hostile), str(good), str(out)],
                         capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert run.returncode == 2, run.stderr
    [line] = run.stderr.splitlines()
    assert line.startswith("Error: tung/sida.pdf: reading took the process past "
                           "max_memory_bytes=")
    assert line.endswith("; refused: no decision needs that much: check the file or raise "
                         "the limit (--max-memory-mb)")
    tung, lan = run.stdout.splitlines()[-2:]
    assert tung.startswith("tung: INCOMPLETE (exit 2)")
    assert lan.startswith("lan: PASS (exit 0)") and "110 amounts" in lan
    assert (out / "tung" / MARKER_FILE).is_file()  # written whole, with its unreadable finding


def test_a_text_printing_more_amounts_than_allowed_is_refused(tmp_path):
    path = tmp_path / "sida.txt"
    path.write_text(prose_page(12), encoding="utf-8")  # 12 sentences, one amount each
    budget = BudgetSettings(max_text_amounts=10)
    outcome = read_document(path, "extractors.plaintext", ExtractSettings(), False,
                            budget=budget)
    assert outcome.extraction is None
    assert outcome.reason == (
        "the text prints too many amounts: more than max_text_amounts=10 (12 read before "
        "stopping); no decision prints that many: check the file or raise the limit")
    ok = read_document(path, "extractors.plaintext", ExtractSettings(), False,
                       budget=BudgetSettings(max_text_amounts=12))
    assert ok.extraction is not None
    assert DEFAULT_MAX_TEXT_AMOUNTS == 50_000


def test_a_text_is_let_through_uncounted_only_when_it_cannot_print_too_many_amounts():
    from extractors.phrases import parse_amount_phrase
    from pipeline.reading import most_amounts

    # Amounts packed as tightly as text allows: each holds one run of digits ("1 kr": the
    # digits 1 and the word kr) or one scale or currency word ("fem kronor"), so the bound
    # (runs of digits + runs of letters) is at most twice the amounts, never below them.
    tight = ["1 kr, 2 kr, 3 kr", "fem kronor sex kronor sju miljoner", "1 000 000 000",
             "en miljard femhundra miljoner kronor och 12 tkr"]
    # and prose: 12 sentences of one amount each, and the README's many numbers
    texts = [*tight, prose_page(12), ROOT.joinpath("README.md").read_text(encoding="utf-8")]
    for text in texts:
        assert most_amounts(text) >= len(parse_amount_phrase(text, "kr")) > 0
    assert (most_amounts("1 kr, 2 kr, 3 kr"), len(parse_amount_phrase("1 kr, 2 kr, 3 kr", "kr"))
            ) == (6, 3)


def test_the_budget_is_validated_settings_with_defaults(tmp_path, capsys):
    budget = Settings().budget
    # issue 18: peak memory under 1 GB for any input within the limits: the cap is 1 GiB
    assert (budget.max_seconds_per_case, budget.max_memory_bytes) == (600.0, 1024**3)
    for field, value in (("max_seconds_per_case", -1), ("max_memory_bytes", -1),
                         ("max_text_amounts", 0)):
        with pytest.raises(SettingsError) as exc:
            BudgetSettings(**{field: value})
        assert str(exc.value).startswith(f"{field} must be a number at least")
    status = cli.main([str(GOOD), "--out", str(tmp_path / "out"), "--max-memory-mb", "-5"])
    assert status == 2
    assert capsys.readouterr().err.startswith("Error: max_memory_bytes must be a number at "
                                              "least 0, got -5242880")
