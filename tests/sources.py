"""Where the tests find the project's source texts: the copies committed in fixtures/sources/.

They are byte-for-byte copies of ../shared (seeds, truth, pages); `tests/test_fixtures.py` checks
that whenever ../shared sits beside the checkout, so a clone runs its tests anywhere.
"""

from __future__ import annotations

import re
from pathlib import Path

from extractors.base import TextBlock

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "fixtures" / "sources"
SEEDS = SOURCES / "seeds"
TRUTH = SOURCES / "truth" / "2024"
PAGES = SOURCES / "pages"
# The shared folder the copies come from: beside the checkout (as in CI), if present.
SHARED = ROOT.parent / "shared"


def seed_lines(prefix: str, first: int = 1, last: int | None = None) -> list[str]:
    """Lines first..last (1-based, inclusive) of the seed whose file name starts with prefix."""
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    return path.read_text(encoding="utf-8").split("\n")[first - 1 : last]


def paragraphs(lines: list[str]) -> list[TextBlock]:
    """Blank-line separated paragraphs, as a PDF or TXT reader gives them."""
    text = "\n".join(lines)
    return [TextBlock(p.strip("\n"), None) for p in re.split(r"\n\s*\n", text) if p.strip()]


def rows(lines: list[str]) -> list[TextBlock]:
    """One table row per line."""
    return [TextBlock(line, None, "table_row") for line in lines if line.strip()]


def docx_rows(lines: list[str]) -> list[TextBlock]:
    """DOCX table text (one cell per paragraph, rows apart by blank lines) as "a | b" rows."""
    out = []
    for chunk in re.split(r"\n\n\n+", "\n".join(lines)):
        cells = [c.strip() for c in chunk.split("\n") if c.strip()]
        if cells:
            out.append(TextBlock(" | ".join(cells), None, "table_row"))
    return out
