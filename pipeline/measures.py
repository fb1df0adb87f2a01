"""One name per column when several documents of a case print the same table.

The PDF and the DOCX of one annex print the same columns, but a PDF header may come out of its
wrapping a little differently ("Brukarmed verkan", "Trauma-vård") than the DOCX cell that holds
it whole. Tables are matched by kind and by their order among the document's tables of that
kind (as the formats_agree suite matches them); columns by position. A column whose header is
the same text but for spacing, hyphens and case takes the name of the document that prints
headers unwrapped (DOCX, then HTML, text, PDF). A column whose header really differs but whose
amounts are the same row for row is the same column too: it takes that name as well, and the
difference is one `measure_names_differ` warning for the table, not one finding per cell.
The checks run on the aligned frame; the outputs keep every header as printed.
"""

from __future__ import annotations

import re

import polars as pl

from expectations.messages import table_name
from pipeline.findings import Finding

NAME_SOURCE_ORDER = {"docx": 0, "html": 1, "txt": 2, "pdf": 3}  # unwrapped headers first
DEFAULT_SAME_AMOUNTS_SHARE = 0.9  # rows that must agree for two differing headers to be one
_SQUASH_RE = re.compile(r"[\s\-\u00ad\u2010\u2011]+")


def squash(measure: str) -> str:
    """A header without spacing, hyphens or case: what wrapping cannot change."""
    return _SQUASH_RE.sub("", measure).casefold()


def _tables(frame: pl.DataFrame) -> dict[tuple[str, int], list[tuple[str, pl.DataFrame]]]:
    """(kind, order among the document's tables of that kind) -> [(source_file, rows)]."""
    ranked = frame.with_columns(
        (pl.col("table_index").rank("dense").over(["source_file", "table"]).cast(pl.Int64) - 1)
        .alias("_kind_order"))
    out: dict[tuple[str, int], list[tuple[str, pl.DataFrame]]] = {}
    for (source, kind, order), rows in ranked.group_by(
            ["source_file", "table", "_kind_order"], maintain_order=True):
        out.setdefault((kind, order), []).append((source, rows))
    return out


def _measures(rows: pl.DataFrame) -> list[str]:
    return list(dict.fromkeys(rows["measure"].to_list()))


def _amounts(rows: pl.DataFrame, measure: str) -> dict[tuple, int]:
    """(row kind, code or name) -> amount of one column."""
    cells = rows.filter(pl.col("measure") == measure)
    keys = [c for c in ("scb_code", "code", "name_raw") if c in cells.columns]
    return {(r["row_kind"], next((r[k] for k in keys if r[k]), "")): r["amount_sek"]
            for r in cells.iter_rows(named=True)}


def _same_amounts(a: dict, b: dict, share: float) -> bool:
    common = set(a) & set(b)
    return bool(common) and sum(a[k] == b[k] for k in common) >= share * max(len(a), len(b))


def align_measures(frame: pl.DataFrame, share: float = DEFAULT_SAME_AMOUNTS_SHARE
                   ) -> tuple[pl.DataFrame, list[Finding]]:
    """The frame with one name per matched column, and a warning per table whose documents
    print really different headers over the same amounts."""
    if frame.is_empty() or "table_index" not in frame.columns:
        return frame, []
    renames: dict[tuple[str, str, int], dict[str, str]] = {}  # (file, kind, index) -> map
    findings: list[Finding] = []
    formats = dict(zip(frame["source_file"], frame["source_format"], strict=False))
    for (kind, _), docs in _tables(frame).items():
        if len(docs) < 2:
            continue
        docs = sorted(docs, key=lambda d: NAME_SOURCE_ORDER.get(formats[d[0]], 9))
        ref_file, ref_rows = docs[0]
        ref = _measures(ref_rows)
        for other_file, rows in docs[1:]:
            names = _measures(rows)
            if len(names) != len(ref):
                continue
            mapping, differ = {}, []
            for mine, theirs in zip(names, ref, strict=True):
                if mine == theirs:
                    continue
                if squash(mine) == squash(theirs) or _same_amounts(
                        _amounts(rows, mine), _amounts(ref_rows, theirs), share):
                    mapping[mine] = theirs
                    if squash(mine) != squash(theirs):
                        differ.append((mine, theirs))
            if mapping:
                renames[(other_file, kind, rows["table_index"][0])] = mapping
            if differ:
                pairs = "; ".join(f"'{m}' where {ref_file} prints '{t}'" for m, t in differ)
                findings.append(Finding(
                    check="measure_names_differ", severity="warning", table=kind,
                    measure=differ[0][1], source_file=other_file,
                    page=int(rows["page"][0]) if rows["page"][0] is not None else None,
                    message=(f"{other_file} heads the columns of its {table_name(kind)} {pairs}; "
                             "their amounts are the same row for row, so they are compared "
                             f"as the same columns under {ref_file}'s names.")))
    if not renames:
        return frame, findings
    keyed = [({"source_file": f, "table": k, "table_index": i}, m)
             for (f, k, i), m in renames.items()]
    out = frame
    for where, mapping in keyed:
        mask = (pl.col("source_file") == where["source_file"]) & (
            pl.col("table") == where["table"]) & (pl.col("table_index") == where["table_index"])
        out = out.with_columns(pl.when(mask).then(
            pl.col("measure").replace(mapping)).otherwise(pl.col("measure")).alias("measure"))
    return out, findings
