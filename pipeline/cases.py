"""A case is one folder of documents of one decision; this module finds and sorts them."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from extractors.errors import CaseNotFoundError
from extractors.registry import detect_format
from pipeline.settings import EXPECTED_FILE


@dataclass(frozen=True)
class Document:
    """A file of a case that one of the format modules recognised."""

    path: Path
    reader: ModuleType

    @property
    def name(self) -> str:
        return self.path.name

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


def folder_to_case(path: Path) -> Case:
    """Sort the files of a case folder into documents the tool reads and files it does not."""
    path = Path(path)
    if not path.is_dir():
        raise CaseNotFoundError(str(path))
    documents, unrecognised = [], []
    expected = None
    # Not is_file(): a broken link or a pipe is still a file of the case, and its reader says why
    # it cannot be read.
    for file in sorted(p for p in path.rglob("*") if not p.is_dir()):
        relative = file.relative_to(path).as_posix()
        if relative == EXPECTED_FILE:
            expected = read_expected(file)
            continue
        reader = detect_format(file)
        if reader is None:
            unrecognised.append(relative)
        else:
            documents.append(Document(file, reader))
    return Case(path.name, path, tuple(documents), tuple(unrecognised), expected)


def read_expected(path: Path) -> dict | None:
    """The case's expected.json, or None when it is not valid JSON (the nightly batch says so)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    return data if isinstance(data, dict) else None
