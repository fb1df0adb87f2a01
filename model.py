"""The types every part of the tool shares: findings, reading problems, check summaries,
verdicts and case results.

Extractors report `Problem`s, the suites count what they evaluated in `CheckSummary`s, the
pipeline turns both into `Finding`s and a `Verdict` and keeps everything of a case in a
`CaseResult`. This module imports nothing of ours, so ``extractors/``, ``expectations/`` and
``pipeline/`` can all use it without depending on each other.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

SEVERITIES = ("error", "warning", "info")


def _check_one_of(name: str, value: str, allowed: tuple[str, ...]) -> None:
    """Refuse a value outside its fixed vocabulary (a severity, a status)."""
    if value not in allowed:
        raise ValueError(f"{name} must be one of {allowed}, got {value!r}")


@dataclass(frozen=True)
class Finding:
    """One result of a check: what was printed (observed), what the other printed numbers imply
    (expected), where, and why it matters."""

    check: str
    severity: str
    message: str
    table: str | None = None
    scb_code: str | None = None
    measure: str | None = None
    unit: str | None = None  # what expected/observed/difference count: "kr", "%", "count"
    expected: float | int | None = None
    observed: float | int | None = None
    difference: float | int | None = None
    tolerance: float | int | None = None
    source_file: str | None = None
    page: int | None = None
    row: int | None = None
    code: str | None = None  # the code as printed, where it differs from scb_code
    # Other cells a finding ties this one to (an allocation key between two columns): dicts
    # with table, scb_code, measure, source_file, page, printed.
    related: list[dict] | None = None

    def __post_init__(self) -> None:
        _check_one_of("severity", self.severity, SEVERITIES)

    def to_dict(self) -> dict:
        return asdict(self)

    def key(self) -> tuple:
        """What identifies a finding across runs: check, severity and the row and column."""
        return (self.check, self.severity, self.table, self.scb_code, self.measure)


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Findings in a stable order: errors first, then by check, table, code and measure."""
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(
        findings,
        key=lambda f: (
            rank[f.severity],
            f.check,
            f.table or "",
            f.scb_code or "",
            f.measure or "",
            f.source_file or "",
            f.page or 0,
            f.message,
        ),
    )


def count_by_severity(findings: Iterable[Finding]) -> dict[str, int]:
    """How many findings of each severity, every severity present (0 where none)."""
    counts = dict.fromkeys(SEVERITIES, 0)
    for f in findings:
        counts[f.severity] += 1
    return counts


@dataclass(frozen=True)
class Problem:
    """Something in a document that could not be read as expected, with where it is."""

    check: str  # e.g. "unparsed_amount", "unparsed_row", "no_text_layer"
    message: str  # one sentence an auditor understands
    source_file: str
    page: int | None = None
    table: str | None = None
    row: int | None = None
    code: str | None = None
    measure: str | None = None
    observed_text: str | None = None  # the raw printed text that did not parse
    severity: str = "warning"  # "error", "warning" or "info"
    bbox: tuple[float, float, float, float] | None = None

    def __post_init__(self) -> None:
        _check_one_of("severity", self.severity, SEVERITIES)

    def to_dict(self) -> dict:
        return asdict(self)


# What one evaluated item of each check is (the report says "21 rows", "4 columns").
CHECK_UNITS = {
    "cross_footing": "rows", "footing": "columns", "coverage": "codes", "amounts": "cells",
    "allocation_key": "cells", "formats_agree": "cells", "shares": "columns",
    "share_of_total": "rows", "population_key": "rows", "stated_total": "statements",
    "reading": "blocks",
}  # fmt: skip


@dataclass(frozen=True)
class CheckSummary:
    """One check's outcome counted on what it evaluated (rows, cells, columns, statements):
    evaluated = passed + failed + noted, where failed items broke an error rule and noted items
    only a warning or rounding rule. A check with nothing to evaluate is not applicable: it
    passed nothing, whatever its expectations say about an empty frame."""

    suite: str
    description: str
    evaluated: int
    passed: int
    failed: int
    noted: int = 0
    rows_checked: int = 0  # the same as evaluated (kept for the Data Docs table)
    unit: str = "rows"
    expectations: int = 0  # GX expectations run over the items (not a count of checks)

    @property
    def applicable(self) -> bool:
        return self.evaluated > 0


def count_items(suite: str, description: str, evaluated: int, severities: list[str],
                expectations: int = 0) -> CheckSummary:
    """A CheckSummary from the worst severity of every flagged item among ``evaluated``."""
    failed = sum(s == "error" for s in severities)
    noted = len(severities) - failed
    return CheckSummary(suite, description, evaluated, evaluated - failed - noted, failed, noted,
                        evaluated, CHECK_UNITS.get(suite, "rows"), expectations)


STATUSES = ("pass", "fail", "incomplete", "empty")
# The banner's headline per status (the reason follows it).
HEADLINES = {
    "pass": "Reconciles",
    "fail": "Does not reconcile",
    "incomplete": "Not fully read",
    "empty": "Nothing to reconcile",
}


@dataclass(frozen=True)
class Verdict:
    """A case's status, its exit status and one line saying why."""

    status: str
    exit_status: int
    reason: str

    def __post_init__(self) -> None:
        _check_one_of("status", self.status, STATUSES)

    @property
    def headline(self) -> str:
        return f"{HEADLINES[self.status]}: {self.reason}"


@dataclass
class CaseResult:
    """Everything one case produced; the outputs are written from it.

    The pipeline fills it once, when every check and the diagnosis have run, and gives it its
    verdict then (``pipeline.verdict.case_verdict``), so the banner, the CLI line and the JSON
    files all read the same one.
    """

    case: Any  # pipeline.cases.Case: the folder, its name and its documents
    extractions: list  # extractors.base.Extraction per document read
    frame: Any  # polars.DataFrame of every allocation cell read, with its SCB code
    findings: list[Finding]
    verdict: Verdict
    read_errors: list[str] = field(default_factory=list)
    checks: list[CheckSummary] = field(default_factory=list)
    footing: Any = None  # polars.DataFrame: recipients' sum against each printed total
    stated: list[dict] = field(default_factory=list)  # the statements and what they matched
    attributes: Any = None  # polars.DataFrame of non-money columns (shares, counts, rates)
    diagnosis: list[dict] = field(default_factory=list)  # root causes of the error findings
    found_keys: list = field(default_factory=list)  # allocation keys tested (expectations Key)

    @property
    def exit_status(self) -> int:
        return self.verdict.exit_status

    @property
    def status(self) -> str:
        return self.verdict.status
