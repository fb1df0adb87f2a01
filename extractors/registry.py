"""Which format module reads a file: `detect_format(path)` over `FORMATS`, in order."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from extractors import pdf, plaintext, web, word

FORMATS: tuple[ModuleType, ...] = (pdf, word, web, plaintext)


def detect_format(path: Path) -> ModuleType | None:
    """The first format module whose `detect` accepts the file, or None for an unknown file."""
    path = Path(path)
    if not path.is_file():
        return None
    for module in FORMATS:
        if module.detect(path):
            return module
    return None
