"""Issue 18, faults while reading: a damaged PDF whose decoder only warns does not pass, and a
PDF whose references form a loop is refused by the watchdog instead of hanging. Each PDF is a
few hundred bytes written here by hand (objects, xref, trailer).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zlib
from pathlib import Path

from extractors.base import ExtractSettings
from pipeline.orchestrate import case_worker
from pipeline.reading import read_document
from pipeline.settings import Settings


def pdf_bytes(objects: list[tuple[int, bytes]]) -> bytes:
    """A PDF of the given numbered objects, with a correct xref table."""
    body, offsets = b"%PDF-1.4\n", {}
    for number, obj in objects:
        offsets[number] = len(body)
        body += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    size = max(offsets) + 1
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % size
    body += b"".join(b"%010d 00000 n \n" % offsets[n] if n in offsets else
                     b"0000000000 65535 f \n" for n in range(1, size))
    return body + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)


def page_pdf(contents: bytes, extra: list[tuple[int, bytes]] = ()) -> bytes:
    return pdf_bytes([
        (1, b"<< /Type /Catalog /Pages 2 0 R >>"),
        (2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
        (3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents " + contents
            + b" /Resources << /Font << /F1 5 0 R >> >> >>"),
        (5, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"),
        *extra,
    ])


def flate_pdf(checksum_damaged: bool) -> bytes:
    """One page of text in a FlateDecode stream; damaged: the stream's checksum bytes flipped,
    which pdfminer only logs ("Data-loss while decompressing corrupted data")."""
    data = zlib.compress(b"BT /F1 12 Tf 72 700 Td (Riket 100 kr) Tj ET\n")
    if checksum_damaged:
        data = data[:-2] + bytes(b ^ 0x5A for b in data[-2:])
    stream = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream"
    return page_pdf(b"4 0 R", [(4, stream)])


# --- 4. a decoder warning is a finding, never a pass nor a raw line on stderr --------------


def test_a_decoder_warning_is_an_error_finding_of_the_document(tmp_path, capfd):
    good, bad = tmp_path / "good.pdf", tmp_path / "bad.pdf"
    good.write_bytes(flate_pdf(False))
    bad.write_bytes(flate_pdf(True))
    intact = read_document(good, "extractors.pdf", ExtractSettings(), False).extraction
    assert [p.check for p in intact.problems if p.check == "decoder_warning"] == []
    damaged = read_document(bad, "extractors.pdf", ExtractSettings(), False, "sub/bad.pdf")
    warned = [p for p in damaged.extraction.problems if p.check == "decoder_warning"]
    assert [(p.severity, p.source_file) for p in warned] == [("error", "sub/bad.pdf")]
    assert "Data-loss while decompressing corrupted data" in warned[0].message
    assert capfd.readouterr().err == ""  # pdfminer's own line is kept off stderr


# --- 6. a reference loop is refused by the watchdog, with one line ------------------------


def test_a_pdf_whose_references_loop_is_refused_in_time(tmp_path):
    case = tmp_path / "arende"
    case.mkdir()
    looped = page_pdf(b"7 0 R", [(7, b"8 0 R"), (8, b"7 0 R")])  # 7 -> 8 -> 7 -> ...
    assert len(looped) < 700
    (case / "beslut.pdf").write_bytes(looped)
    settings = Settings(data_docs=False, extract=ExtractSettings(max_seconds_per_document=2))
    start = time.monotonic()
    summary = case_worker((str(case), str(tmp_path / "out"), settings, False))
    assert time.monotonic() - start < 30  # pdfminer alone never returns
    assert summary["exit_status"] == 2
    assert summary["errors"] == [
        "arende/beslut.pdf: reading took longer than max_seconds_per_document=2 s (a damaged "
        "file, e.g. a PDF whose object references form a loop); refused: get an intact copy or "
        "raise the limit"]


def test_the_watchdog_is_a_setting_with_a_default():
    assert ExtractSettings().max_seconds_per_document == 120.0
    try:
        ExtractSettings(max_seconds_per_document=-1)
    except ValueError as exc:
        assert "max_seconds_per_document" in str(exc)
    else:
        raise AssertionError("a negative time limit was accepted")


# --- 5. Ctrl-C, SIGTERM and SIGKILL of a batch ----------------------------------------------

SMALL_PAGE = Path(__file__).resolve().parent.parent / "fixtures" / "cases" / \
    "2024-lansgemensamma-mkr" / "lansgemensamma-medel-2024-mkr.html"


def children(pid: int) -> set[int]:
    """The live child processes of pid (Linux /proc)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def alive(pids: set[int]) -> set[int]:
    return {p for p in pids if Path(f"/proc/{p}").exists()
            and Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"}


def start_batch(tmp_path: Path, cases: int) -> tuple[subprocess.Popen, Path]:
    folders = []
    for i in range(cases):
        case = tmp_path / "in" / f"arende-{i}"
        case.mkdir(parents=True)
        shutil.copy(SMALL_PAGE, case / SMALL_PAGE.name)
        folders.append(str(case))
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    process = subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", *folders, "--out", str(out), "--no-data-docs",
         "--workers", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        start_new_session=True)
    return process, out


def wait_for(condition, seconds: float = 120) -> None:
    end = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.1)


def test_ctrl_c_stops_the_batch_with_one_line_and_a_true_summary(tmp_path):
    process, out = start_batch(tmp_path, 8)
    wait_for(lambda: (out / "summary.json").exists())  # the first case is done
    workers = children(process.pid)
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C sends: the whole process group
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("interrupted: ") and \
        lines[0].endswith(" of 8 cases done"), stderr
    done = int(lines[0].split()[1])
    summary = json.loads((out / "summary.json").read_text("utf-8"))["cases"]
    folders = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    assert sorted(s["case"] for s in summary) == [f for f in folders if f != "summary.json"]
    assert 1 <= len(summary) == done < 8
    wait_for(lambda: not alive(workers), 10)  # the workers are ended, not left running
    # The next run cleans what the interrupted one left (marked staging/old folders only).
    assert main_exit(out) == 0
    assert not [p for p in out.iterdir() if p.name.startswith(".reconcile-")]


def main_exit(out: Path) -> int:
    from pipeline.cli import main

    return main([str(p) for p in sorted((out.parent / "in").iterdir())[:1]] +
                ["--out", str(out), "--no-data-docs", "--workers", "1"])


def test_workers_end_when_the_main_process_is_killed(tmp_path):
    process, out = start_batch(tmp_path, 4)
    wait_for(lambda: len(children(process.pid)) >= 2)
    time.sleep(1)
    workers = children(process.pid)
    process.kill()  # SIGKILL: no handler runs in the main process
    process.communicate(timeout=30)
    wait_for(lambda: not alive(workers), 15)
