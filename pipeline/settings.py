"""Settings of a reconcile run, validated once, with a DEFAULT_* constant for every field."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from extractors.base import ExtractSettings
from extractors.errors import SettingsError

DEFAULT_WORKERS = 1  # the library runs in-process unless told otherwise
# The command line uses the cores it has (a worker holds ~300 MB at most, so at most 8).
DEFAULT_CLI_WORKERS = max(1, min(os.cpu_count() or 1, 8))
MAX_WORKERS = 64
DEFAULT_DATA_DOCS = True
DEFAULT_EVIDENCE_IMAGES = True
DEFAULT_EVIDENCE_DPI = 144
# The file in a case folder that says what the case must produce (fixtures, nightly batch).
EXPECTED_FILE = "expected.json"


@dataclass(frozen=True)
class Settings:
    """Everything a run can be told; checked when built so a bad value fails before any work."""

    workers: int = DEFAULT_WORKERS
    overrides: Path | None = None
    data_docs: bool = DEFAULT_DATA_DOCS
    evidence_images: bool = DEFAULT_EVIDENCE_IMAGES
    evidence_dpi: int = DEFAULT_EVIDENCE_DPI
    extract: ExtractSettings = field(default_factory=ExtractSettings)

    def __post_init__(self) -> None:
        if not 1 <= self.workers <= MAX_WORKERS:
            raise SettingsError(
                f"--workers must be between 1 and {MAX_WORKERS}, got {self.workers}"
            )
        if not 30 <= self.evidence_dpi <= 300:
            raise SettingsError(f"evidence_dpi must be between 30 and 300, got {self.evidence_dpi}")
        if self.overrides is not None and not Path(self.overrides).is_file():
            raise SettingsError(
                f"{self.overrides}: no such overrides file; give a CSV with level,name,scb_code"
            )
