"""Where the tests find the project's source texts: the copies committed in fixtures/sources/.

They are byte-for-byte copies of ../shared (seeds, truth, pages); `tests/test_fixtures.py` checks
that whenever ../shared sits beside the checkout, so a clone runs its tests anywhere.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "fixtures" / "sources"
SEEDS = SOURCES / "seeds"
TRUTH = SOURCES / "truth" / "2024"
PAGES = SOURCES / "pages"
# The shared folder the copies come from: beside the checkout (as in CI), if present.
SHARED = ROOT.parent / "shared"
