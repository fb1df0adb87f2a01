"""The peak memory `make bench` reports for a case is the case's process alone.

A child started by fork (or vfork) and exec keeps, in getrusage's ru_maxrss, the high-water
mark of the parent's memory before exec; the bench once reported its own 340 MB as the case's.
Here the test process holds 300 MiB of touched memory and starts a tiny program through
bench.peak: the program's own peak must be far below those 300 MiB (a bare interpreter running
`platform` needs some 10-20 MiB), while a child that touches 200 MiB itself must report at least
that much.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bench.peak import parse

ROOT = Path(__file__).resolve().parent.parent
MIB = 2**20


def peak_of(*args: str) -> float:
    done = subprocess.run([sys.executable, "-m", "bench.peak", *args], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    peak = parse(done.stderr)
    assert peak is not None, done.stderr
    return peak


def test_the_parents_memory_is_not_counted() -> None:
    held = bytearray(300 * MIB)
    held[:: 4096] = b"\x01" * (len(held) // 4096)  # touch every page: resident, not reserved
    assert peak_of("platform") < 100
    del held


def test_the_childs_own_memory_is_counted(tmp_path: Path) -> None:
    (tmp_path / "hog.py").write_text(
        "b = bytearray(200 * 2**20)\nb[::4096] = b'\\x01' * (len(b) // 4096)\n")
    done = subprocess.run([sys.executable, "-m", "bench.peak", "hog"], cwd=ROOT,
                          capture_output=True, text=True, check=True,
                          env={"PYTHONPATH": f"{tmp_path}:{ROOT}", "PATH": "/usr/bin:/bin"})
    assert parse(done.stderr) >= 200


def test_parse_takes_the_last_report() -> None:
    assert parse("noise\npeak_rss_kb=1024\n") == 1.0
    assert parse("no report here") is None
