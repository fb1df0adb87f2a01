"""Findings: every problem the pipeline reports, as data with its place in the documents."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass

SEVERITIES = ("error", "warning", "info")


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
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}, got {self.severity!r}")

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
    counts = dict.fromkeys(SEVERITIES, 0)
    for f in findings:
        counts[f.severity] += 1
    return counts
