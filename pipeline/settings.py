"""Settings of a reconcile run, validated once, with a DEFAULT_* constant for every field."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from errors import check_settings, setting
from extractors.base import ExtractSettings
from extractors.errors import SettingsError
from pipeline.reference import read_overrides

DEFAULT_WORKERS = 1  # the library runs in-process unless told otherwise
# The command line uses the cores it has (a worker holds ~300 MB at most, so at most 8).
DEFAULT_CLI_WORKERS = max(1, min(os.cpu_count() or 1, 8))
MAX_WORKERS = 64
DEFAULT_DATA_DOCS = True
DEFAULT_EVIDENCE_IMAGES = True
DEFAULT_EVIDENCE_DPI = 144
# Error localisation (pipeline/diagnosis.py): the largest program it builds, how long it
# searches, how many other optimal explanations of one cause it looks for.
DEFAULT_DIAGNOSIS_MAX_VARIABLES = 4000
DEFAULT_DIAGNOSIS_MAX_VIOLATED = 80
DEFAULT_DIAGNOSIS_MAX_SECONDS = 20.0
DEFAULT_DIAGNOSIS_MAX_ALTERNATIVES = 40
# Cost of changing a cell: a part 1; a total a little less, so a total that alone disagrees
# with its parts is named as stale rather than one of its many parts as wrong (yet the totals
# that would move instead of one part, its row total and the column totals, at least three,
# cost more than that part: above a third); a row printed twice and taken out as one cell
# (one slip of the pen, however many columns it spans); a row coverage finds missing half a
# cell, below a total: its absence is already found, the diagnosis only gives it the value the
# sums leave, which is less of a claim than a printed total being wrong (a list without one
# region under a stated total: the missing row, not a stale statement). Each counts once per
# document that prints it, so one document's slip is preferred over both's.
# The reasons are tested in tests/test_diagnosis_weights.py.
DEFAULT_DIAGNOSIS_TOTAL_WEIGHT = 0.9
DEFAULT_DIAGNOSIS_MISSING_ROW_WEIGHT = 0.5
DEFAULT_DIAGNOSIS_DUPLICATE_ROW_WEIGHT = 1.0
# What one case may take (pipeline/watch.py), far beyond a real case and low enough that a
# hostile one ends with a clear line: the 2024 decision (4 documents, 1 560 amounts) reads and
# checks in ~25 s with ~350 MB resident; a 15 MB text page of 158 000 sentences within every
# reader's limits took 50 s of CPU and 1 GB. 0 turns a limit off.
DEFAULT_MAX_SECONDS_PER_CASE = 600.0  # wall-clock seconds to read, check and write one case
DEFAULT_MAX_MEMORY_BYTES = 1024**3  # resident memory of a process reading or checking (under 1 GB)
# Amounts written in one document's text (paragraphs, lists, table rows): the 2024 annex
# prints ~1 600; each is weighed against its sentence and every printed total, so a page of
# hundreds of thousands is refused up front instead of filling the case's time and memory.
DEFAULT_MAX_TEXT_AMOUNTS = 50_000
# The file in a case folder that says what the case must produce (fixtures, nightly batch).
EXPECTED_FILE = "expected.json"


@dataclass(frozen=True)
class DiagnosisSettings:
    """Bounds and weights of the error localisation; beyond the bounds it says so."""

    max_variables: int = DEFAULT_DIAGNOSIS_MAX_VARIABLES
    max_violated: int = DEFAULT_DIAGNOSIS_MAX_VIOLATED
    max_seconds: float = DEFAULT_DIAGNOSIS_MAX_SECONDS
    max_alternatives: int = DEFAULT_DIAGNOSIS_MAX_ALTERNATIVES
    total_weight: float = DEFAULT_DIAGNOSIS_TOTAL_WEIGHT
    missing_row_weight: float = DEFAULT_DIAGNOSIS_MISSING_ROW_WEIGHT
    duplicate_row_weight: float = DEFAULT_DIAGNOSIS_DUPLICATE_ROW_WEIGHT

    def __post_init__(self) -> None:
        if self.max_variables < 1 or self.max_violated < 1 or self.max_alternatives < 0:
            raise SettingsError("diagnosis bounds must be positive")
        if not self.max_seconds > 0:
            raise SettingsError(f"diagnosis max_seconds must be positive, got {self.max_seconds}")
        if not (0 < self.total_weight and 0 < self.missing_row_weight
                and 0 < self.duplicate_row_weight):
            raise SettingsError("diagnosis weights must be positive")


@dataclass(frozen=True)
class BudgetSettings:
    """What one case may take: time and memory for its reading and checks together, and the
    amounts one document's text may print. Beyond them the case or document is refused with
    one line (exit 2) and the other cases run."""

    max_seconds_per_case: float = setting(DEFAULT_MAX_SECONDS_PER_CASE, at_least=0)
    max_memory_bytes: int = setting(DEFAULT_MAX_MEMORY_BYTES, at_least=0)
    max_text_amounts: int = setting(DEFAULT_MAX_TEXT_AMOUNTS, at_least=1)

    def __post_init__(self) -> None:
        check_settings(self)


@dataclass(frozen=True)
class Settings:
    """Everything a run can be told; checked when built so a bad value fails before any work."""

    workers: int = DEFAULT_WORKERS
    overrides: Path | None = None
    data_docs: bool = DEFAULT_DATA_DOCS
    evidence_images: bool = DEFAULT_EVIDENCE_IMAGES
    evidence_dpi: int = DEFAULT_EVIDENCE_DPI
    extract: ExtractSettings = field(default_factory=ExtractSettings)
    diagnosis: DiagnosisSettings = field(default_factory=DiagnosisSettings)
    budget: BudgetSettings = field(default_factory=BudgetSettings)

    def __post_init__(self) -> None:
        if not 1 <= self.workers <= MAX_WORKERS:
            raise SettingsError(
                f"--workers must be between 1 and {MAX_WORKERS}, got {self.workers}"
            )
        if not isinstance(self.budget, BudgetSettings):
            raise SettingsError(f"budget must be a BudgetSettings, got {self.budget!r}")
        if not 30 <= self.evidence_dpi <= 300:
            raise SettingsError(f"evidence_dpi must be between 30 and 300, got {self.evidence_dpi}")
        if self.overrides is not None and not Path(self.overrides).is_file():
            raise SettingsError(
                f"{self.overrides}: no such overrides file; give a CSV with level,name,scb_code"
            )
        if self.overrides is not None:  # read once here, so a bad file fails before any case
            read_overrides(Path(self.overrides))
