"""The one copy of the Data Docs' stylesheets and images that every case of an output folder
links to (OUT_DIR/data_docs_static), written once, as a folder the tool marks as its own."""

from __future__ import annotations

import shutil
from pathlib import Path

from extractors.errors import OutputFolderError
from pipeline.publishing import STATIC_FOLDER, is_ours, make_staging, publish

__all__ = ["STATIC_FOLDER", "shared_static"]


def _current(folder: Path) -> bool:
    from expectations.docs import STATIC_VERSION

    stamp = folder / "VERSION"
    return is_ours(folder) and stamp.is_file() and (
        stamp.read_text(encoding="utf-8") == STATIC_VERSION)


def shared_static(out_dir: Path) -> Path | None:
    """OUT_DIR/data_docs_static, written (staged, then renamed in) when missing or older than
    this version; None when it cannot be (a folder of that name the tool did not write, or
    the disk refuses): each case's Data Docs then carry their own copy."""
    from expectations.docs import write_static

    final = Path(out_dir) / STATIC_FOLDER
    if _current(final):
        return final
    staging = None
    try:
        staging = make_staging(Path(out_dir))
        write_static(staging)
        publish(staging, final)
    except (OSError, OutputFolderError):  # published by another worker first, or not ours
        pass
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    return final if _current(final) else None
