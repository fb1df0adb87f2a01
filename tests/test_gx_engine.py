"""expectations/engine.py: great-expectations imported once, with what it does not need deferred.

The deferral is checked in a fresh interpreter, since this test process may have imported the
deferred modules already (through other tests).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def fresh(code: str) -> str:
    """stdout of `code` run in a new interpreter at the repository's root."""
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True, timeout=300)
    return out.stdout.strip()


def test_scipy_stats_and_altair_are_loaded_only_when_read() -> None:
    # After GX's import the two are stand-ins; reading from them imports the real modules,
    # so GX (or anything else) still gets working ones: norm.cdf(0) is 0.5 by symmetry, and a
    # submodule import goes through the real package's path.
    out = fresh(
        "import sys\n"
        "import expectations.engine\n"
        "print(type(sys.modules['scipy.stats']).__name__, type(sys.modules['altair']).__name__)\n"
        "from scipy import stats\n"
        "print(stats.norm.cdf(0.0))\n"
        "import scipy.stats.distributions\n"
        "print(type(sys.modules['scipy.stats']).__name__, "
        "sys.modules['scipy.stats'].distributions.norm is stats.norm)\n"
        "import altair\n"
        "print(altair.Chart.__name__)\n")
    assert out.splitlines() == ["DeferredModule DeferredModule", "0.5", "module True", "Chart"]


def test_a_module_imported_before_is_not_deferred() -> None:
    # defer() leaves a real module in place (it would otherwise replace it with a stand-in),
    # and says so; a name that is not installed gets no stand-in either.
    out = fresh(
        "import sys, scipy.stats\n"
        "from expectations.engine import defer\n"
        "print(defer('scipy.stats'), type(sys.modules['scipy.stats']).__name__)\n"
        "print(defer('no_such_module_here'), 'no_such_module_here' in sys.modules)\n")
    assert out.splitlines() == ["False module", "False False"]
