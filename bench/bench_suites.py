"""Benchmark of the validation suites on the 2024 annex (all three tables, 780 printed amounts).

GX's import is timed in a fresh interpreter as the tool imports it (expectations/engine.py, with
what GX does not need deferred), since it is paid once per process. The baseline is
building the same check frames without GX, timed in this run, so the ratio says what running
them through great-expectations costs, whatever the machine.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

# The 2024 truth frame is built by the tests' helper, which imports its sibling `sources`.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from test_expectations_support import reference_codes, truth_frame  # noqa: E402

DEFAULT_REPEATS = 5
IMPORT_GX = "import time; t = time.perf_counter(); import expectations.engine; " \
            "print(time.perf_counter() - t)"
ROOT = Path(__file__).resolve().parent.parent


def gx_import_seconds() -> float:
    """Seconds to import great_expectations, as expectations/engine.py does, in a new
    interpreter."""
    out = subprocess.run([sys.executable, "-c", IMPORT_GX], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    return float(out.stdout.strip().splitlines()[-1])


def _median_seconds(task, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        task()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_suites(repeats: int = DEFAULT_REPEATS) -> dict:
    """Median time of run_suites on the 2024 truth frame, and of its check frames alone."""
    import_s = gx_import_seconds()
    from expectations.runner import check_frames, run_suites  # GX is imported here
    from expectations.settings import SuiteSettings

    frame, codes = truth_frame(), reference_codes()
    run = run_suites(frame, codes)  # warm-up, and the counts reported
    run_s = _median_seconds(lambda: run_suites(frame, codes), repeats)
    frames_s = _median_seconds(lambda: check_frames(frame, codes, SuiteSettings()), repeats)
    severities = [f["severity"] for f in run.findings]
    return {
        "amounts": frame.height,
        "gx_import_s": round(import_s, 2),
        "run_suites_s": round(run_s, 3),
        "check_frames_s": round(frames_s, 3),
        "gx_share": round(1 - frames_s / run_s, 2),
        "expectations": sum(c.expectations for c in run.checks),
        "items_evaluated": sum(c.evaluated for c in run.checks),
        "errors": severities.count("error"),
        "infos": severities.count("info"),
    }


if __name__ == "__main__":
    print(bench_suites())
