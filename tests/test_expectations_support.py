"""The 2024 annex as the pipeline's long allocation frame, built from the verified truth CSVs.

Shared by the tests of the validation suites and by the suites' benchmark. Defects are injected
into copies of this frame; expected values in the tests are recomputed here from the CSVs.
"""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl
from sources import TRUTH

from extractors.base import ALLOCATION_SCHEMA

REPO = Path(__file__).resolve().parents[1]
TRUTH_DIRS = (TRUTH,)
TABLE_FILES = {"region": "region.csv", "kommun": "kommun.csv", "lan": "lan.csv"}
KUNSKAP = "Kunskapsbaserad och säker vård och omsorg"
SAMSJUK = "Stärka samverkan för personer med samsjuklighet"


def truth_dir() -> Path:
    """The folder holding the 2024 truth CSVs (the repository's copy first)."""
    for path in TRUTH_DIRS:
        if (path / "region.csv").exists():
            return path
    raise FileNotFoundError(f"no 2024 truth CSVs in {', '.join(map(str, TRUTH_DIRS))}")


def read_wide(table: str) -> list[dict[str, str]]:
    """The rows of one truth CSV as printed (codes keep their leading zeros), Riket last."""
    with open(truth_dir() / TABLE_FILES[table], encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def measures(table: str) -> list[str]:
    """The column headers of one table in printed order (after code and name)."""
    with open(truth_dir() / TABLE_FILES[table], encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle))[2:]


def truth_rows(table: str, source_file: str, source_format: str, page0: int,
               table_index: int = 0) -> list[dict]:
    """Long rows (one per printed amount) of one table; 40 rows a page for a page number."""
    rows = []
    for index, wide in enumerate(read_wide(table)):
        code = wide.get("kommun_code") or wide.get("lan_code") or ""
        total = wide["name"] == "Riket"
        for measure in measures(table):
            rows.append({
                "source_file": source_file, "source_format": source_format,
                "page": page0 + index // 40, "table": table, "table_index": table_index,
                "row_kind": "total" if total else "recipient", "row_index": index,
                "code": code, "name_raw": wide["name"], "measure": measure, "unit": "kr",
                "amount_sek": int(wide[measure]),
                "scb_code": None if total else code, "scb_name": None if total else wide["name"],
            })  # fmt: skip
    return rows


def truth_frame(source_file: str = "beslut.pdf", source_format: str = "pdf") -> pl.DataFrame:
    """All three 2024 tables of one document as the long frame, with scb_code and scb_name."""
    rows = []
    # Bilaga 1's order: region, kommun, län (table_index 0, 1, 2).
    for index, (table, page0) in enumerate((("region", 10), ("kommun", 11), ("lan", 19))):
        rows += truth_rows(table, source_file, source_format, page0, index)
    schema = dict(ALLOCATION_SCHEMA) | {"scb_code": pl.String, "scb_name": pl.String}
    return pl.DataFrame([{c: r.get(c) for c in schema} for r in rows], schema=schema)


def reference_codes() -> dict[str, frozenset[str]]:
    """The official codes: 290 kommun codes, 21 codes shared by regions and län."""
    kommun = frozenset(r["kommun_code"] for r in read_wide("kommun") if r["kommun_code"])
    lan = frozenset(r["lan_code"] for r in read_wide("lan") if r["lan_code"])
    return {"kommun": kommun, "region": lan, "lan": lan}


def amount(table: str, code: str, measure: str) -> int:
    """One printed amount of the truth CSVs; code "" is the Riket row."""
    for wide in read_wide(table):
        if (wide.get("kommun_code") or wide.get("lan_code") or "") == code:
            return int(wide[measure])
    raise KeyError((table, code, measure))


def set_amount(frame: pl.DataFrame, table: str, code: str | None, measure: str,
               value: int | None) -> pl.DataFrame:
    """A copy of the frame with one cell changed (code None: the Riket row)."""
    row = pl.col("scb_code").is_null() if code is None else pl.col("scb_code") == code
    hit = (pl.col("table") == table) & row & (pl.col("measure") == measure)
    assert frame.filter(hit).height == 1, (table, code, measure)
    return frame.with_columns(
        pl.when(hit).then(pl.lit(value, dtype=pl.Int64)).otherwise(pl.col("amount_sek"))
        .alias("amount_sek")
    )


def test_truth_frame_holds_every_printed_cell() -> None:
    frame = truth_frame()
    # 22 region rows × 4 columns, 291 kommun rows × 2, 22 län rows × 5 (Riket rows included).
    assert frame.group_by("table").len().sort("table").rows() == [
        ("kommun", 582), ("lan", 110), ("region", 88)
    ]
    assert {k: len(v) for k, v in reference_codes().items()} == {
        "kommun": 290, "region": 21, "lan": 21
    }
    assert amount("region", "01", "Barn och unga") == 129_530_375
    assert amount("lan", "", "Totalt belopp") == 724_000_000
