"""Which format module reads a file: `detect_format(path)` over `FORMATS`, in order.

A file named `.pdf` or `.docx` is claimed by that reader whatever it holds, so an empty, damaged
or mislabelled file is rejected with a reason instead of being listed as unrecognised.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import ModuleType

from extractors import pdf, plaintext, web, word

FORMATS: tuple[ModuleType, ...] = (pdf, word, web, plaintext)
CLAIMED_SUFFIXES: dict[str, ModuleType] = {".pdf": pdf, ".docx": word}


def detect_format(path: Path) -> ModuleType | None:
    """The reader of a file: by name for .pdf/.docx, else the first whose `detect` accepts it.

    A missing path or a folder is None; a broken link or a pipe named .pdf is claimed, so the
    reader can say why it cannot be read.
    """
    path = Path(path)
    if not os.path.lexists(path) or path.is_dir():
        return None
    claimed = CLAIMED_SUFFIXES.get(path.suffix.lower())
    if claimed is not None:
        return claimed
    if not path.is_file():
        return None
    for module in FORMATS:
        if module.detect(path):
            return module
    return None
