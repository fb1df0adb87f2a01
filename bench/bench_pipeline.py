"""Benchmark of `reconcile` end to end: one case from a cold start, a batch with 1 and 2 workers.

Every number is measured in this run; the speed-up from the second worker is a ratio of two runs
made here, so it does not depend on how fast the machine is. A case's steady-state time is the
batch with one worker less the one case with one worker (the imports and everything else paid
once per process), divided by the copies after the first.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.peak import parse

ROOT = Path(__file__).resolve().parent.parent
CASE = ROOT / "fixtures" / "cases" / "2024-psykisk-halsa"
RECONCILE = [sys.executable, "-m", "bench.peak", "pipeline.cli"]


def timed(args: list[str]) -> tuple[float, float | None]:
    """Wall seconds of a child process running args, and its own peak RSS in MB (through
    bench.peak: the parent's RUSAGE_CHILDREN would count this benchmark's memory too)."""
    start = time.perf_counter()
    done = subprocess.run(args, cwd=ROOT, check=False, capture_output=True, text=True)
    wall = time.perf_counter() - start
    return wall, parse(done.stderr)


def bench_pipeline(copies: int = 20) -> dict:
    """Cold-start wall time and peak memory of the 2024 case (1 and 2 workers), a batch of
    copies with --workers 1 and 2, and the time per case after the first with one worker."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        single, peak = timed([*RECONCILE, str(CASE), "--out", str(tmp_path / "one"),
                              "--workers", "1"])
        single2, _ = timed([*RECONCILE, str(CASE), "--out", str(tmp_path / "two"),
                            "--workers", "2"])
        batch = []
        for i in range(copies):
            target = tmp_path / "batch" / f"{CASE.name}-{i:02d}"
            shutil.copytree(CASE, target)
            batch.append(str(target))
        one, _ = timed([*RECONCILE, *batch, "--out", str(tmp_path / "w1"), "--workers", "1"])
        two, _ = timed([*RECONCILE, *batch, "--out", str(tmp_path / "w2"), "--workers", "2"])
    return {
        "case_wall_s": round(single, 2),
        "case_wall_s_workers2": round(single2, 2),
        "case_peak_rss_mb": round(peak, 1) if peak is not None else None,
        "batch_copies": copies,
        "batch_workers1_s": round(one, 2),
        "batch_workers2_s": round(two, 2),
        "steady_s_per_case_workers1": round((one - single) / max(copies - 1, 1), 2),
        "speedup_second_worker": round(one / two, 2),
        "cores": os.cpu_count(),
    }


if __name__ == "__main__":
    result = bench_pipeline(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
    print(" ".join(f"{k}={v}" for k, v in result.items()))
