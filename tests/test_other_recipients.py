"""Recipients that are no SCB units (universities here) are read into a table of kind
"other", footed and cross-footed like any table; SCB resolution is said once not to apply.

The table is written by hand: three universities with two purposes each and a Summa row.
Uppsala: 1 000 000 + 250 000 = 1 250 000; Lund: 2 000 000 + 500 000 = 2 500 000; Umeå:
1 500 000 + 250 000 = 1 750 000; Summa 4 500 000, 1 000 000 and 5 500 000.
"""

from __future__ import annotations

import polars as pl

from expectations.runner import run_suites
from extractors.base import allocations_frame
from pipeline.resolver import Resolver, names_to_codes, reference_codes

CODES = {level: reference_codes(level) for level in ("kommun", "region", "lan")}
ROWS = [("Uppsala universitet", 1_000_000, 250_000, 1_250_000),
        ("Lunds universitet", 2_000_000, 500_000, 2_500_000),
        ("Umeå universitet", 1_500_000, 250_000, 1_750_000),
        ("Summa", 4_500_000, 1_000_000, 5_500_000)]
MEASURES = ("Forskning", "Utbildning", "Totalt")


def frame(summa_totalt: int = 5_500_000) -> pl.DataFrame:
    rows = []
    for index, (name, *amounts) in enumerate(ROWS):
        total = name == "Summa"
        if total:
            amounts[-1] = summa_totalt
        rows += [{"source_file": "lärosäten.html", "source_format": "html", "page": 1,
                  "table": "other", "table_index": 0, "row_index": index, "code": "",
                  "row_kind": "total" if total else "recipient", "name_raw": name,
                  "measure": m, "unit": "kr", "amount_sek": a}
                 for m, a in zip(MEASURES, amounts, strict=True)]
    return allocations_frame(rows)


def test_no_scb_unit_is_said_once_and_never_an_unresolved_name() -> None:
    resolved, found = names_to_codes(frame(), Resolver())
    assert [(f.check, f.severity, f.table) for f in found] == [
        ("scb_not_applicable", "info", "other")]
    assert "3 recipients" in found[0].message
    assert resolved["scb_code"].null_count() == resolved.height


def test_a_table_of_other_recipients_is_footed_and_cross_footed() -> None:
    resolved, _ = names_to_codes(frame(), Resolver())
    run = run_suites(resolved, CODES)
    assert not [f for f in run.findings if f["severity"] != "info"]
    assert {(r["measure"], r["riket"]) for r in run.footing.to_dicts()} == {
        ("Forskning", 4_500_000), ("Utbildning", 1_000_000), ("Totalt", 5_500_000)}
    # The Summa row's Totalt printed 10 000 kr too high: its row and its column disagree.
    resolved, _ = names_to_codes(frame(5_510_000), Resolver())
    errors = {(f["check"], f["table"], f["measure"]) for f in
              run_suites(resolved, CODES).findings if f["severity"] == "error"}
    assert errors == {("cross_footing", "other", "Totalt"), ("footing", "other", "Totalt")}
