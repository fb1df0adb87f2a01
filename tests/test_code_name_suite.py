"""Code and name checked natively in GX (issue 15, item 6): ExpectColumnPairValuesToBeInSet
on (printed code, the code the printed name resolves to) against SCB's (code, code) pairs.

The defect name-of-another-code prints the 2024 annex as PDF and DOCX, each with 290 kommun,
21 region and 21 län rows that print their code: 2 × 332 = 664 rows with a code. One kommun
row, in both documents, prints Håbo's name beside 0643 (Håbo is 0305, 0643 is Habo): 2 rows
break the pair. The resolver's code_name findings say which (its messages name the match);
GX's run counts the rows and lists the same two rows in the Data Docs.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from expectations.runner import run_suites
from pipeline.orchestrate import CaseResult, reconcile_case
from pipeline.resolver import Resolver, printed_code_pairs
from pipeline.settings import Settings

CASE = Path(__file__).resolve().parent.parent / "fixtures" / "defects" / "name-of-another-code"
CODES = {"kommun": frozenset({"0305", "0643", "0114"}), "region": frozenset({"01"}),
         "lan": frozenset({"01"})}


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> CaseResult:
    out = tmp_path_factory.mktemp("code-name")
    return reconcile_case(CASE, out, Settings(workers=1, data_docs=False,
                                              evidence_images=False))


def test_the_suite_counts_what_the_resolver_finds(result: CaseResult) -> None:
    (summary,) = [c for c in result.checks if c.suite == "code_name"]
    assert (summary.evaluated, summary.failed, summary.noted) == (664, 2, 0)
    assert summary.expectations == 2 and summary.unit == "rows"
    errors = [f for f in result.findings if f.check == "code_name"]
    assert [(f.severity, f.scb_code) for f in errors] == [("error", "0643")] * 2


def _frame(rows: list[tuple[str, str]]) -> pl.DataFrame:
    """A kommun table with the given (code, name) rows, 100 kr each, no total row."""
    return pl.DataFrame({
        "source_file": "a.pdf", "source_format": "pdf", "page": 1, "table": "kommun",
        "table_index": 0, "row_kind": "recipient", "row_index": list(range(len(rows))),
        "code": [c for c, _ in rows], "name_raw": [n for _, n in rows], "measure": "Belopp",
        "unit": "kr", "amount_sek": 100,
    })


def test_each_kind_of_pair_by_hand() -> None:
    """0305 Håbo belongs (pass); 0643 Håbo is Habo's code beside Håbo's name (error); 0114
    beside a name that resolves to nothing (warning: the code alone tells the place); 9999
    beside Håbo is no code at all (error)."""
    frame = _frame([("0305", "Håbo"), ("0643", "Håbo"), ("0114", "Xyzzy"), ("9999", "Håbo")])
    frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias("scb_code"))
    pairs = printed_code_pairs(frame, Resolver())
    # by code: 0114 (Xyzzy: nothing), 0305, 0643 and 9999 (all printed beside Håbo: 0305)
    assert pairs.sort("code")["name_code"].to_list() == [None, "0305", "0305", "0305"]
    run = run_suites(frame, CODES, code_pairs=pairs)
    (summary,) = [c for c in run.checks if c.suite == "code_name"]
    assert (summary.evaluated, summary.passed, summary.failed, summary.noted) == (4, 1, 2, 1)
    assert not [f for f in run.findings if f["check"] == "code_name"]  # the resolver's to say
