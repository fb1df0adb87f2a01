"""A process that checks cases takes its imported libraries out of the garbage collector's
walks once (pipeline.orchestrate.freeze_imported), after great-expectations is imported by the
first case; later cases freeze nothing more, so no case's garbage is ever kept.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASE = ROOT / "fixtures" / "cases" / "2024-lan-css-grid"
SCRIPT = """
import gc, sys
from pipeline.cli import main
counts = []
for name in ("a", "b"):
    try:
        main([sys.argv[1], "--out", sys.argv[2] + "/" + name, "--workers", "1"])
    except SystemExit:
        pass
    counts.append(gc.get_freeze_count())
print(*counts)
"""


def test_libraries_are_frozen_once_after_the_first_case(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(CASE), str(tmp_path)], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    first, second = (int(n) for n in done.stdout.split()[-2:])
    # great-expectations, pandas and polars alone leave well over 100 000 objects alive
    assert first > 100_000
    # The second case froze nothing of its own: frozen objects may still be freed (the count
    # falls), none is added.
    assert second <= first
