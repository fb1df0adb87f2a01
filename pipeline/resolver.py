"""Names and printed codes of an allocation frame to SCB codes: `names_to_codes` adds scb_code,
scb_name and match_method to every row, and `code_matches_name` checks a printed code against
the name printed beside it.

Names go through the level-aware cascade of `Resolver` (pipeline/cascade.py): ``override``,
``code``, ``exact``, ``known_form``, ``folded``, ``fuzzy``, else ``unresolved``; it never guesses.
Its names stay importable from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import polars as pl

from expectations.messages import plural, table_name
from pipeline.cascade import (
    DEFAULT_FUZZY_POOL,
    DEFAULT_MARGIN,
    DEFAULT_MAX_CANDIDATES,
    DEFAULT_SCORE_CUTOFF,
    Candidate,
    Match,
    Resolver,
    ResolverSettings,
)
from pipeline.findings import Finding
from pipeline.reference import LEVEL_LABELS, normalize_code, official_name, reference_codes

__all__ = [
    "DEFAULT_FUZZY_POOL", "DEFAULT_MARGIN", "DEFAULT_MAX_CANDIDATES", "DEFAULT_SCORE_CUTOFF",
    "Candidate", "CodeNameCheck", "Match", "Resolver", "ResolverSettings", "code_matches_name",
    "names_to_codes", "official_name", "reference_codes",
]
NOT_RECIPIENTS = ("total", "subtotal", "varav")  # row kinds that name no recipient: never
# resolved ("varav": a part of the row above, extractors/varav.py)


@dataclass(frozen=True)
class CodeNameCheck:
    """Whether a printed code and the name printed beside it belong to the same place."""

    level: str
    printed_code: str
    printed_name: str
    code: str | None  # the printed code, normalised, when it is a valid code of the level
    name_match: Match  # what the name alone resolves to
    belongs: bool | None  # None when the name cannot be resolved and so cannot tell
    message: str

    @property
    def ok(self) -> bool:
        return self.belongs is True


@cache
def _default_resolver() -> Resolver:
    return Resolver()


def code_matches_name(
    level: str, printed_code: str, printed_name: str, resolver: Resolver | None = None
) -> CodeNameCheck:
    """Check a printed code against the printed name ("0643" with "Håbo" does not belong)."""
    resolver = resolver or _default_resolver()
    match = resolver.resolve(printed_name, level)
    normalised = normalize_code(level, printed_code)
    code = normalised if normalised in reference_codes(level) else None
    label = LEVEL_LABELS[level]
    shown = normalised or printed_code or "(none)"
    named = f"{label} {match.scb_code} {match.scb_name}"
    if code is None and match.resolved:
        belongs = False
        message = (f"Code {shown} is printed with the name {printed_name}, but {shown} is no "
                   f"{label} code; {printed_name} is {named}.")
    elif code is None:
        belongs = None
        message = (f"Code {shown} is printed with the name {printed_name}; {shown} is no {label} "
                   f"code and {printed_name} matches no {label}.")
    elif not match.resolved:
        belongs = None
        message = (f"Code {code} is printed with the name {printed_name}, which matches no "
                   f"{label}; {code} is {official_name(level, code)}.")
    elif match.scb_code == code:
        belongs = True
        message = f"Code {code} and the name {printed_name} both mean {named}."
    else:
        belongs = False
        message = (f"Code {code} is printed with the name {printed_name}, which is {named}; "
                   f"{code} is {official_name(level, code)}.")
    return CodeNameCheck(level, printed_code, printed_name, code, match, belongs, message)


@dataclass(frozen=True)
class _Decision:
    """How one distinct (table, code, name) got its scb_code."""

    scb_code: str | None
    method: str
    match: Match | None
    check: CodeNameCheck | None


def _decide(table: str, code: str, name: str, resolver: Resolver) -> _Decision:
    if table not in LEVEL_LABELS:
        return _Decision(None, "unresolved", None, None)
    if not code:
        match = resolver.resolve(name, table)
        return _Decision(match.scb_code, match.method, match, None)
    check = code_matches_name(table, code, name, resolver)
    if check.code is not None:
        return _Decision(check.code, "code", check.name_match, check)
    match = check.name_match
    return _Decision(match.scb_code, match.method, match, check)


def _row_findings(row: dict, decision: _Decision) -> list[Finding]:
    """The findings of one printed row: code/name conflicts, no code, overrides used."""
    table, code, name = row["table"], row["code"] or "", row["name_raw"] or ""
    where = {"table": table, "source_file": row["source_file"], "page": row["page"],
             "row": row["row_index"], "code": code or None}
    label = LEVEL_LABELS.get(table, table)
    check, match = decision.check, decision.match
    found: list[Finding] = []
    if check is not None and (check.belongs is False or (check.belongs is None and check.code)):
        severity = "error" if check.belongs is False else "warning"
        found.append(Finding("code_name", severity, check.message, scb_code=check.code
                             or normalize_code(table, code) or code, **where))
    if decision.scb_code is None:
        if match is None:
            message = f"Table {table!r} is not kommun, region or lan, so {name!r} gets no code."
        else:
            closest = ", ".join(f"{c.scb_name} ({c.scb_code})" for c in match.candidates)
            message = (f"The name {name!r} matches no {label} with confidence"
                       + (f" (printed code {code!r} is no {label} code either)" if code else "")
                       + (f"; closest: {closest}." if closest else "."))
        found.append(Finding("unresolved_name", "error", message, scb_code=None, **where))
    if match is not None and match.method == "override":
        message = (f"The name {name!r} was pinned by the auditor's overrides to {label} "
                   f"{match.scb_code} {match.scb_name}.")
        found.append(Finding("override_used", "info", message, scb_code=match.scb_code, **where))
    return found


def names_to_codes(
    frame: pl.DataFrame, resolver: Resolver
) -> tuple[pl.DataFrame, list[Finding]]:
    """Add scb_code, scb_name and match_method to a long allocation frame, with findings.

    Each distinct (table, code, name_raw) is resolved once; the code comes from the printed code
    when it is valid, else from the name. Total rows ("Riket") get nulls. Findings are reported
    once per printed row (source_file, page, table, row_index), not once per amount.
    """
    keyed = frame.with_columns(
        pl.col("code").fill_null("").alias("_code"), pl.col("name_raw").fill_null("").alias("_name")
    )
    recipients = keyed.filter(~pl.col("row_kind").is_in(NOT_RECIPIENTS))
    decisions = {
        key: _decide(*key, resolver)
        for key in recipients.select("table", "_code", "_name").unique().iter_rows()
    }
    mapping = pl.DataFrame(
        [
            (*key, d.scb_code, official_name(key[0], d.scb_code) if d.scb_code else None,
             d.method)
            for key, d in decisions.items()
        ],
        schema={"table": pl.String, "_code": pl.String, "_name": pl.String,
                "scb_code": pl.String, "scb_name": pl.String, "match_method": pl.String},
        orient="row",
    )
    is_total = pl.col("row_kind").is_in(NOT_RECIPIENTS)
    out = (
        keyed.drop("scb_code", "scb_name", "match_method", strict=False)
        .join(mapping, on=["table", "_code", "_name"], how="left", maintain_order="left")
        .with_columns(
            pl.when(is_total).then(None).otherwise(pl.col(c)).alias(c)
            for c in ("scb_code", "scb_name", "match_method")
        )
        .drop("_code", "_name")
    )
    printed_rows = recipients.unique(
        ["source_file", "page", "table", "table_index", "row_index", "_code", "_name"],
        maintain_order=True
    )
    scb = printed_rows.filter(pl.col("table").is_in(list(LEVEL_LABELS)))
    findings = [
        finding
        for row in scb.iter_rows(named=True)
        for finding in _row_findings(row, decisions[(row["table"], row["_code"], row["_name"])])
    ]
    return out, findings + not_applicable_findings(printed_rows)


def not_applicable_findings(rows: pl.DataFrame) -> list[Finding]:
    """One info per table whose recipients are no SCB units (universities, programme areas,
    funds): SCB resolution does not apply to them, said once instead of once per row."""
    other = rows.filter(~pl.col("table").is_in(list(LEVEL_LABELS)))
    found = []
    keys = [c for c in ("source_file", "table", "table_index") if c in other.columns]
    for (source_file, table, *_), group in other.group_by(keys, maintain_order=True):
        message = (f"The {table_name(table)} in {source_file} lists "
                   f"{plural(group.height, 'recipient')} that "
                   "are no kommun, region or län, so SCB codes do not apply to them; its sums "
                   "are checked like any other table's.")
        found.append(Finding("scb_not_applicable", "info", message, table=table,
                             source_file=source_file, page=group["page"].min()))
    return found


def printed_code_pairs(frame: pl.DataFrame, resolver: Resolver) -> pl.DataFrame:
    """Each distinct (table, code, name_raw) of a recipient row with a printed code in a kommun,
    region or län table: ``code_key`` (the code normalised, or as printed when it is no code of
    the level), ``code_valid``, and ``name_code``, what the printed name alone resolves to (null
    when it resolves to nothing). The code/name suite checks (code_key, name_code) against
    SCB's list natively in GX."""
    schema = {"table": pl.String, "code": pl.String, "name_raw": pl.String,
              "code_key": pl.String, "code_valid": pl.Boolean, "name_code": pl.String}
    keys = frame.filter(~pl.col("row_kind").is_in(NOT_RECIPIENTS)
                        & pl.col("table").is_in(list(LEVEL_LABELS))
                        & (pl.col("code").fill_null("").str.strip_chars() != "")
                        ).select("table", "code", pl.col("name_raw").fill_null("")).unique()
    rows = []
    for table, code, name in keys.sort(["table", "code", "name_raw"]).iter_rows():
        check = code_matches_name(table, code, name, resolver)
        rows.append((table, code, name, check.code or normalize_code(table, code) or code,
                     check.code is not None, check.name_match.scb_code
                     if check.name_match.resolved else None))
    return pl.DataFrame(rows, schema=schema, orient="row")
