"""Totals stated in words: from every document's text to claims, reconciled with the tables."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from expectations.stated_totals import claims_table, reconcile_claims
from extractors.base import Extraction
from extractors.statements import statements_to_claims, text_to_statements
from pipeline.findings import Finding


def extractions_to_stated_findings(
    extractions: list[Extraction], riket: Mapping[tuple[str, str], int],
    frame: pl.DataFrame | None = None,
) -> tuple[list[Finding], list[dict]]:
    """Findings for every stated amount, and the rows of the report's stated-totals table.

    With the case's allocation frame, statements are also compared with tables that print no
    total row (their column sums)."""
    statements = [
        s for e in extractions for s in text_to_statements(e.text, e.source_file)
    ]
    claims = statements_to_claims(statements)
    findings = [Finding(**d) for d in reconcile_claims(claims, riket, frame)]
    return findings, claims_table(claims, riket, frame)
