"""Run a module as a program and report the peak resident memory of this process alone.

`python -m bench.peak pipeline.cli CASE --out DIR` runs `pipeline.cli` as `__main__` with the
arguments after it and, as the process exits, writes `peak_rss_kb=N` as the last line of stderr.

Why not the parent's `getrusage(RUSAGE_CHILDREN)`: on Linux a child started with fork or vfork
and exec keeps the high-water mark of the memory it had before exec, which is the parent's (the
benchmark process, several hundred MB after the other benches), so that figure measured the
bench, not the case. VmHWM in /proc/self/status counts only the program's own memory after exec.
"""

from __future__ import annotations

import atexit
import resource
import runpy
import sys
from pathlib import Path

PREFIX = "peak_rss_kb="


def peak_rss_kb() -> int:
    """The high-water mark of this process's resident memory since exec, in KiB."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # off Linux: may include the parent


def report() -> None:
    sys.stderr.write(f"\n{PREFIX}{peak_rss_kb()}\n")
    sys.stderr.flush()


def parse(stderr: str) -> float | None:
    """The peak in MB from a child's stderr, or None when it did not report one."""
    for line in reversed(stderr.splitlines()):
        if line.startswith(PREFIX):
            return int(line[len(PREFIX):]) / 1024
    return None


if __name__ == "__main__":
    module, sys.argv = sys.argv[1], sys.argv[1:]
    atexit.register(report)
    runpy.run_module(module, run_name="__main__", alter_sys=True)
