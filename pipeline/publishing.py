"""Where a run may write, and how a case's outputs replace the previous ones without loss.

The tool removes or replaces only folders it made itself: each folder it writes (a case's outputs,
a staging or old folder) carries the marker file MARKER_FILE. `--out` may not be, hold or lie
inside an input case folder, so a run never reads its own outputs nor renames its inputs away.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from extractors.errors import OutputFolderError
from pipeline.outputs import follow_umask

MARKER_FILE = ".reconcile-output"  # in every folder the tool writes; its proof of ownership
MARKER_TEXT = "Written by reconcile; the tool may replace this folder on its next run.\n"
STAGING_PREFIX = ".reconcile-staging-"  # short: a case name may take the 255 bytes a name has
OLD_PREFIX = ".reconcile-old-"
MAX_NAME_BYTES = 255  # a file name's limit on Linux, macOS and Windows file systems


def check_output_folder(out_dir: Path, cases: list[Path]) -> None:
    """Refuse an --out that is a file, cannot be written, or is, holds or lies in a case folder."""
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise OutputFolderError(f"--out {out}: is a file, not a folder; give a folder for the "
                                "reports")
    target = out.resolve()
    for case in cases:
        folder = Path(case).resolve()
        if target == folder or target.is_relative_to(folder):
            raise OutputFolderError(
                f"--out {out}: is or lies inside the case folder {case}; the next run would "
                "read its own reports as documents: give a folder outside every case")
        if folder.is_relative_to(target):
            raise OutputFolderError(
                f"--out {out}: holds the case folder {case}, whose outputs could replace it: "
                "give a folder that holds no case")
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out):
            pass
    except OSError as exc:
        raise OutputFolderError(
            f"--out {out}: cannot be written ({exc.strerror or type(exc).__name__}); give a "
            "folder you may write to") from exc
    clean_leftovers(out)


def output_names(cases: list[Path]) -> tuple[list[str], dict[str, list[str]]]:
    """Each case's output folder name, in argument order: its folder's name, or name-2, name-3,
    ... when an earlier case has that name; and the note to print for each renamed case."""
    taken = {Path(c).name for c in cases}
    used: set[str] = set()
    names, notes = [], {}
    for case in cases:
        name = Path(case).name
        if name in used:
            number = 2
            while _numbered(name, number) in used or _numbered(name, number) in taken:
                number += 1
            renamed = _numbered(name, number)
            notes[renamed] = [f"{case}: another case is also named {name}, so this one's "
                              f"outputs are in {renamed}"]
            name = renamed
        used.add(name)
        names.append(name)
    return names, notes


def _numbered(name: str, number: int) -> str:
    """name-N, the name cut (at a character) so that it stays within MAX_NAME_BYTES."""
    suffix = f"-{number}"
    room = MAX_NAME_BYTES - len(os.fsencode(suffix))
    while len(os.fsencode(name)) > room:
        name = name[:-1]
    return name + suffix


def is_ours(folder: Path) -> bool:
    """True when the folder is a real folder (no link) holding the tool's marker file."""
    return folder.is_dir() and not folder.is_symlink() and (folder / MARKER_FILE).is_file()


def check_replaceable(final: Path) -> None:
    """Refuse to publish over anything but a folder this tool wrote."""
    if os.path.lexists(final) and not is_ours(final):
        raise OutputFolderError(
            f"{final}: exists and was not written by reconcile (no {MARKER_FILE} in it), so it "
            "is left alone; move it away or give another --out")


def make_staging(out_dir: Path) -> Path:
    """A fresh, marked folder in out_dir to write a case's outputs into before publishing."""
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out_dir))
    follow_umask(staging, directory=True)  # mkdtemp makes it 0700: colleagues could not read it
    mark(staging)
    return staging


def mark(folder: Path) -> None:
    (folder / MARKER_FILE).write_text(MARKER_TEXT, encoding="utf-8")


def publish(staging: Path, final: Path) -> None:
    """Replace the case's output folder by the complete new one in two renames.

    The previous folder (the tool's own, see check_replaceable) is first moved into a marked
    old folder, so an interruption between the renames leaves nothing unmarked behind.
    """
    check_replaceable(final)
    if not os.path.lexists(final):
        staging.rename(final)
        return
    old = Path(tempfile.mkdtemp(prefix=OLD_PREFIX, dir=final.parent))
    mark(old)
    final.rename(old / "previous")
    staging.rename(final)
    shutil.rmtree(old, ignore_errors=True)


def withdraw(final: Path) -> None:
    """Remove a case's previous outputs (only the tool's own) when the case could not be
    reconciled this time, so no report of an earlier run stands beside its failure."""
    if not is_ours(final):
        return
    try:
        old = Path(tempfile.mkdtemp(prefix=OLD_PREFIX, dir=final.parent))
        mark(old)
        final.rename(old / "previous")
        shutil.rmtree(old, ignore_errors=True)
    except OSError:
        pass  # left in place; the case's line says it failed


def clean_leftovers(out_dir: Path) -> None:
    """Remove staging and old folders an interrupted run left, when they carry the marker."""
    for entry in Path(out_dir).iterdir():
        if entry.name.startswith((STAGING_PREFIX, OLD_PREFIX)) and is_ours(entry):
            shutil.rmtree(entry, ignore_errors=True)
