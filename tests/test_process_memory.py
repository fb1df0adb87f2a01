"""A case's process hands the C heap's freed pages back once its documents are read.

glibc keeps memory freed inside its heap resident (only the heap's top is given back), so what
pdfium, lxml and pdfminer freed while reading stayed in the process under the checks' and
outputs' peak. `return_freed_memory` asks glibc to give such pages back (malloc_trim).

The test frees 64 MiB of 4 KiB C blocks (below glibc's mmap threshold, so they live in the
heap) while one block allocated after them pins the heap's top: freed, they stay resident, as
the first reading shows; after return_freed_memory at least 48 of the 64 MiB must be gone
(glibc keeps a few pages of bookkeeping), and without it they must still be there.
It runs in a child so that no other test's memory moves the figures.
"""

from __future__ import annotations

import ctypes.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

CHILD = """
import ctypes, sys
from pipeline.orchestrate import return_freed_memory

def resident_mib():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024

libc = ctypes.CDLL(None)
libc.malloc.restype = ctypes.c_void_p
libc.free.argtypes = [ctypes.c_void_p]
blocks = [libc.malloc(4096) for _ in range(64 * 256)]
for block in blocks:
    ctypes.memset(block, 1, 4096)  # touched: resident, not only reserved
pin = libc.malloc(4096)  # after the blocks: the heap's top cannot shrink below it
held = resident_mib()
for block in blocks:
    libc.free(block)
freed = resident_mib()
if sys.argv[1] == "return":
    return_freed_memory()
print(held, freed, resident_mib())
"""


def run_child(mode: str) -> tuple[float, float, float]:
    done = subprocess.run([sys.executable, "-c", CHILD, mode], cwd=ROOT, capture_output=True,
                          text=True, check=True)
    held, freed, after = map(float, done.stdout.split())
    return held, freed, after


@pytest.mark.skipif(not Path("/proc/self/status").exists()
                    or "libc.so.6" not in str(ctypes.util.find_library("c")),
                    reason="reads VmRSS and calls glibc's malloc_trim")
def test_freed_heap_pages_are_given_back() -> None:
    held, freed, after = run_child("return")
    assert held - freed < 16  # freed inside the heap: glibc keeps them resident
    assert freed - after >= 48  # given back to the system
    held, freed, kept = run_child("keep")
    assert freed - kept < 16  # nothing gives them back by itself
