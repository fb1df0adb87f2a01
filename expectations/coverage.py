"""Coverage that reads the documents: which tables must list every official code.

A code printed twice, or not on the official list, is always an error. A code a table leaves
out is an error only when the table claims the whole country — it lists all but one or two
codes (``coverage_near_all``), or its title, headers or the text printed with it say so
("landets regioner", "samtliga kommuner": ``whole_country_words``) — and the documents do not
explain the gap. A gap is explained by a sentence (or the table's title or a header) that
holds an exception word ("utom", "exkl.": ``exception_words``) and names every code left out,
or gives their number ("exkl. 3"); each such code is then an info finding quoting it. Any
other partial table is one warning saying how many of the official codes it covers.

The texts come as plain data (``DocumentText``), built by the pipeline from what the readers
found: the running text of each document and the title of each table.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import polars as pl

from expectations.frames import TABLE_KEYS, with_table_index
from expectations.messages import _where, finding
from expectations.settings import SuiteSettings

SENTENCE_END = re.compile(r"(?<=[.!?:;])\s+(?=[A-ZÅÄÖ0-9])")


@dataclass(frozen=True)
class TableText:
    """What a reader printed as a table's title, and where the table starts."""

    table_index: int
    title: str = ""
    page: int | None = None


@dataclass(frozen=True)
class DocumentText:
    """A document's running text (text, page) blocks and its tables' titles."""

    source_file: str
    blocks: tuple[tuple[str, int | None], ...] = ()
    tables: tuple[TableText, ...] = ()


def sentences(text: str) -> list[str]:
    """A block of running text cut into sentences."""
    return [s.strip() for s in SENTENCE_END.split(" ".join(text.split())) if s.strip()]


def _has_word(text: str, words: Sequence[str]) -> bool:
    folded = text.casefold()
    return any(re.search(rf"(?<!\w){re.escape(w.casefold())}", folded) for w in words)


def _names_code(text: str, code: str, forms: Sequence[str]) -> bool:
    folded = text.casefold()
    if re.search(rf"(?<!\d){re.escape(code)}(?!\d)", folded):
        return True
    return any(f and re.search(rf"(?<!\w){re.escape(f.casefold())}", folded) for f in forms)


def _count_given(text: str, missing: int, settings: SuiteSettings) -> bool:
    words = "|".join(re.escape(w.casefold()) for w in settings.exception_words)
    return any(int(n) == missing for n in re.findall(rf"(?:{words})\W{{0,3}}(\d+)\b",
                                                     text.casefold()))


@dataclass(frozen=True)
class Scope:
    """One table's coverage: what it prints, what it leaves out, and what the documents say."""

    source_file: str
    table: str
    table_index: int
    page: int | None
    recipients: int
    reference_size: int
    codes: tuple[str, ...]
    missing: tuple[str, ...]
    verdict: str  # "complete", "claimed" (gaps are errors), "explained", "partial"
    evidence: str  # the sentence, title or header that decided it ("" when none)


def _texts(doc: DocumentText | None, table_index: int, headers: Sequence[str]
           ) -> tuple[list[str], list[str]]:
    """(the table's own texts: title, headers, text on its page; every sentence of its
    document)."""
    if doc is None:
        return list(headers), list(headers)
    info = next((t for t in doc.tables if t.table_index == table_index), None)
    own = [info.title] if info and info.title else []
    own += list(headers)
    page = info.page if info else None
    every = [s for text, _ in doc.blocks for s in sentences(text)]
    own += [s for text, p in doc.blocks if page is None or p is None or p == page
            for s in sentences(text)]
    return own, own + every


def table_scopes(prepared: pl.DataFrame, reference_codes: Mapping[str, frozenset[str]],
                 settings: SuiteSettings, documents: Sequence[DocumentText] = (),
                 names: Mapping[str, Mapping[str, Sequence[str]]] | None = None
                 ) -> list[Scope]:
    """Every table of an official level, with the verdict on the codes it leaves out."""
    by_file = {d.source_file: d for d in documents}
    names = names or {}
    out = []
    frame = with_table_index(prepared)
    for (source_file, table, table_index), rows in frame.group_by(TABLE_KEYS,
                                                                  maintain_order=True):
        reference = reference_codes.get(table)
        if reference is None:
            continue
        rec = rows.filter(pl.col("row_kind") == "recipient")
        codes = tuple(sorted(set(rec["scb_code"].drop_nulls())))
        missing = tuple(sorted(reference - set(codes)))
        headers = rows["measure"].unique(maintain_order=True).to_list()
        own, every = _texts(by_file.get(source_file), int(table_index), headers)
        verdict, evidence = "complete", ""
        if missing:
            forms = names.get(table, {})
            explained = [s for s in every if _has_word(s, settings.exception_words) and (
                all(_names_code(s, c, forms.get(c, ())) for c in missing)
                or _count_given(s, len(missing), settings))]
            claim = [s for s in own if _has_word(s, settings.whole_country_words)]
            if explained:
                verdict, evidence = "explained", explained[0]
            elif len(missing) <= settings.coverage_near_all or claim:
                verdict, evidence = "claimed", (claim[0] if claim else "")
            else:
                verdict = "partial"
        out.append(Scope(source_file, table, int(table_index), rows["page"].min(),
                         rec["row_index"].n_unique(), len(reference), codes, missing,
                         verdict, evidence))
    return out


def excused(scopes: Sequence[Scope]) -> pl.DataFrame:
    """(source_file, table, table_index) of the tables whose absent codes are no error."""
    rows = [{"source_file": s.source_file, "table": s.table, "table_index": s.table_index}
            for s in scopes if s.verdict in ("explained", "partial")]
    schema = {"source_file": pl.String, "table": pl.String, "table_index": pl.Int64}
    return pl.DataFrame(rows, schema=schema)


def _quote(text: str, limit: int = 240) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def coverage_notes(scopes: Sequence[Scope]) -> list[dict]:
    """An info finding per code a table explains leaving out; a warning per partial table."""
    notes = []
    for s in scopes:
        where = {"table": s.table, "source_file": s.source_file, "page": s.page}
        if s.verdict == "explained":
            for code in s.missing:
                message = (f"{_where(s.table).capitalize()} in {s.source_file} has no row for "
                           f"code {code}, as its documents say: \u201c{_quote(s.evidence)}\u201d")
                notes.append(finding("coverage", "info", message, where | {
                    "scb_code": code, "observed": 0, "expected": 0}))
        elif s.verdict == "partial":
            listed = ", ".join(s.codes) or "none resolved"
            message = (
                f"{_where(s.table).capitalize()} in {s.source_file} lists {s.recipients} of "
                f"the {s.reference_size} official recipients ({listed}); nothing in the "
                "documents says it covers the whole country or why the others are left out, "
                "so the absent codes are not counted as errors.")
            notes.append(finding("coverage", "warning", message, where | {
                "observed": s.recipients, "expected": s.reference_size}))
    return notes
