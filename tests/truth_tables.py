"""The truth tables as printed cells, and comparing a reader's output with them cell for cell.

Shared by the tests of the real exporters' PDFs and the rendering fuzzer. A table is its kind,
code and name headers, measures and rows (code, name, amounts); the Riket row has code "".
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, replace

import polars as pl
from sources import TRUTH
from test_expectations_support import reference_codes

from expectations.runner import run_suites
from extractors.base import Extraction

KINDS = ("region", "kommun", "lan")
LABELS = {"region": ("Länskod", "Region"), "kommun": ("Kod", "Kommun"),
          "lan": ("Länskod", "Län")}
TITLES = {"region": "Region", "kommun": "Kommun", "lan": "Länsgemensamma medel"}


@dataclass(frozen=True)
class Table:
    """One allocation table as printed: recipient rows, then the Riket row (code "")."""

    kind: str
    title: str
    code_header: str
    name_header: str
    measures: tuple[str, ...]
    rows: tuple[tuple[str, str, tuple[int, ...]], ...]

    def cells(self) -> dict[tuple[str, str, str], int]:
        """(kind, code, measure) -> amount for every printed amount."""
        return {(self.kind, code, m): amounts[i] for code, _, amounts in self.rows
                for i, m in enumerate(self.measures)}

    def project(self, measure: str, printed: str, riket: bool = True) -> Table:
        """The table with only one measure, printed under another header; without its Riket
        row unless riket."""
        col = self.measures.index(measure)
        rows = tuple((c, n, (a[col],)) for c, n, a in self.rows if riket or c)
        return replace(self, measures=(printed,), rows=rows)

    def names(self) -> dict[tuple[str, str], str]:
        return {(self.kind, code): name for code, name, _ in self.rows}


def truth_table(kind: str) -> Table:
    """One 2024 truth table as printed in Bilaga 1."""
    with open(TRUTH / f"{kind}.csv", encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = tuple((r[0], r[1], tuple(int(v) for v in r[2:])) for r in reader)
    return Table(kind, TITLES[kind], *LABELS[kind], tuple(header[2:]), rows)


def with_cell(table: Table, code: str, measure: str, delta: int) -> Table:
    """The table with one printed amount changed by delta (nothing else adjusted)."""
    col = table.measures.index(measure)
    rows = tuple((c, n, tuple(v + delta if c == code and i == col else v
                              for i, v in enumerate(a))) for c, n, a in table.rows)
    return replace(table, rows=rows)


def read_cells(extraction: Extraction) -> dict[tuple[str, str, str], int]:
    """(kind, code, measure) -> amount as read; Riket rows have code ""."""
    out = {}
    for row in extraction.allocations.iter_rows(named=True):
        code = row["code"] if row["row_kind"] == "recipient" else ""
        out[(row["table"], code, row["measure"])] = row["amount_sek"]
    return out


def read_names(extraction: Extraction) -> dict[tuple[str, str], str]:
    return {(r["table"], r["code"] if r["row_kind"] == "recipient" else ""): r["name_raw"]
            for r in extraction.allocations.iter_rows(named=True)}


def cell_diff(expected: dict, got: dict) -> list:
    """The cells that differ: missing, extra or with another amount (empty when equal)."""
    keys = sorted(set(expected) | set(got), key=str)
    return [(k, expected.get(k), got.get(k)) for k in keys if expected.get(k) != got.get(k)]


def error_findings(*extractions: Extraction,
                   codes: dict[tuple[str, str], str] | None = None) -> list[dict]:
    """The suites' error findings on the documents, printed codes taken as the SCB codes
    (they are the official ones in every truth table); rows by name get theirs from codes."""
    frame = pl.concat([e.allocations for e in extractions])
    recipient = pl.col("row_kind") == "recipient"
    printed = pl.col("code")
    if codes:  # (table kind, name) -> code
        keys = {f"{kind}|{name}": code for (kind, name), code in codes.items()}
        printed = pl.concat_str([pl.col("table"), pl.col("name_raw")], separator="|"
                                ).replace_strict(keys, default=None, return_dtype=pl.String)
    frame = frame.with_columns(pl.when(recipient).then(printed).alias("scb_code"),
                               pl.when(recipient).then(pl.col("name_raw")).alias("scb_name"))
    run = run_suites(frame, reference_codes())
    return [f for f in run.findings if f["severity"] == "error"]


def reading_problems(extraction: Extraction) -> list:
    """The reader's own problems that are not mere notes."""
    return [p for p in extraction.problems if p.severity != "info"]
