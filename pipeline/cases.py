"""A case is one folder of documents of one decision; this module finds and sorts them.

Only files inside the case folder are read: a link to a file elsewhere is refused, never
followed, and a document is named by its path relative to the case folder, so two files of the
same name in two subfolders stay two documents.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from extractors.errors import CaseNotFoundError
from extractors.registry import CLAIMED_SUFFIXES, FORMATS, detect_format
from pipeline.settings import EXPECTED_FILE


@dataclass(frozen=True)
class Document:
    """A file of a case that one of the format modules recognised.

    `name` is its path relative to the case folder (POSIX separators); `refusal` says why the
    tool will not read it (a link out of the case folder), None when it is read.
    """

    path: Path
    reader: ModuleType
    name: str = ""
    refusal: str | None = None

    def __post_init__(self) -> None:
        if not self.name:
            object.__setattr__(self, "name", self.path.name)

    @property
    def format(self) -> str:
        return self.reader.FORMAT


@dataclass(frozen=True)
class Case:
    """A case folder: its recognised documents and the files the tool does not read."""

    name: str
    path: Path
    documents: tuple[Document, ...]
    unrecognised: tuple[str, ...]
    expected: dict | None = field(default=None, compare=False)


def folder_to_case(path: Path, name: str | None = None) -> Case:
    """Sort the files of a case folder into documents the tool reads and files it does not.

    `name` is the case's name in the outputs (default: the folder's own name).
    """
    path = Path(path)
    if not path.is_dir():
        raise CaseNotFoundError(str(path))
    root = path.resolve()
    documents, unrecognised = [], []
    expected = None
    for file in case_files(path):
        relative = file.relative_to(path).as_posix()
        if relative == EXPECTED_FILE:
            expected = read_expected(file)
            continue
        refusal = outside_link(file, root)
        # Not is_file(): a broken link or a pipe is still a file of the case, and its reader
        # says why it cannot be read.
        reader = detect_format(file) if refusal is None else registry_guess(file)
        if reader is None:
            unrecognised.append(relative)
        else:
            documents.append(Document(file, reader, relative, refusal))
    return Case(name or path.name, path, tuple(documents), tuple(unrecognised), expected)


def case_files(path: Path) -> list[Path]:
    """Every entry below the case folder that is not a folder, sorted; links to folders are
    listed as entries (not followed), so nothing outside the case is walked into."""
    found = []
    for top, dirs, files in os.walk(path, followlinks=False):
        base = Path(top)
        found += [base / d for d in dirs if (base / d).is_symlink()]
        found += [base / f for f in files]
    return sorted(found)


def outside_link(file: Path, root: Path) -> str | None:
    """Why a link to a file is not read: it points out of the case folder; else None."""
    if not file.is_symlink():
        return None
    target = file.resolve()
    if not target.exists() or target.is_dir():
        return None  # a broken link: the reader says so; a linked folder: listed, not walked
    if not target.is_relative_to(root):
        return (f"is a link to {target}, outside the case folder; the tool reads only files "
                "inside it: copy the file itself into the case folder")
    return None


def registry_guess(file: Path) -> ModuleType:
    """The reader a refused link would have had, by its name alone (its target is never
    opened); plain text when the name says nothing. The link is refused either way."""
    suffix = file.suffix.lower()
    for module in FORMATS:
        if suffix in getattr(module, "SUFFIXES", ()) or CLAIMED_SUFFIXES.get(suffix) is module:
            return module
    return FORMATS[-1]


def read_expected(path: Path) -> dict | None:
    """The case's expected.json, or None when it is not valid JSON (the nightly batch says so)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    return data if isinstance(data, dict) else None
