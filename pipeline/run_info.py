"""The audit trail of a run: tool version, time, settings and the SHA-256 of every input file."""

from __future__ import annotations

import dataclasses
import hashlib
import platform
from datetime import UTC, datetime
from pathlib import Path

from pipeline import tool_version
from pipeline.cases import Case
from pipeline.settings import Settings

CHUNK = 1 << 20


def sha256(path: Path) -> str | None:
    """The file's SHA-256 in hex, or None when it is no regular readable file (a pipe, a link
    to nothing: never opened, so a FIFO cannot block the report)."""
    if not path.is_file():
        return None
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while block := handle.read(CHUNK):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def flat_settings(settings: Settings) -> list[tuple[str, str]]:
    """Every setting of the run as (dotted name, value), nested settings included."""
    out: list[tuple[str, str]] = []

    def walk(prefix: str, value) -> None:
        if dataclasses.is_dataclass(value):
            for f in dataclasses.fields(value):
                walk(f"{prefix}.{f.name}" if prefix else f.name, getattr(value, f.name))
        else:
            out.append((prefix, "–" if value is None else str(value)))

    walk("", settings)
    return out


def input_files(case: Case) -> list[tuple[str, str | None]]:
    """(path relative to the case folder, SHA-256) for every document and unread file."""
    names = sorted({d.path.relative_to(case.path).as_posix() for d in case.documents}
                   | set(case.unrecognised))
    return [(name, sha256(case.path / name)) for name in names]


def run_info(case: Case, settings: Settings, now: datetime | None = None) -> dict:
    """What the report's Run block says."""
    now = now or datetime.now(UTC)
    return {
        "tool": f"grant-reconcile {tool_version()}",
        "python": platform.python_version(),
        "time": now.strftime("%Y-%m-%d %H:%M:%S UTC"),
        "case_folder": str(case.path),
        "settings": flat_settings(settings),
        "inputs": input_files(case),
    }
