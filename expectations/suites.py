"""The six suites: what each checks (one sentence for the report) and its GX expectations.

Each expectation is a column test on a derived check frame (expectations/frames.py); a row
that breaks it becomes a finding of the rule's severity. A difference within the rounding
bound is no failure: suites with ``rounding_notes`` say such rows as ``info`` notes, found on
the frame itself, so GX's Data Docs of a case that reconciles show no failed expectation.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from expectations.engine import Column, gx, gxe  # GX, imported once (expectations/engine.py)

SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}
# Where each failing row is: GX lists these columns for every unexpected row.
INDEX_COLUMNS = ["row_id", "source_file", "page", "table", "scb_code", "measure"]


@dataclass(frozen=True)
class Rule:
    """One expectation of a suite and the severity of every row that breaks it."""

    name: str  # what the message builders switch on
    severity: str
    make: Callable[[], gxe.Expectation]


@dataclass(frozen=True)
class Suite:
    """A named group of rules over one check frame, with the sentence the report shows."""

    name: str
    description: str
    rules: tuple[Rule, ...]
    rounding_notes: bool = False  # rows off within their bound are info notes
    # Expectations of one check row each, validated on the suite's cell frame (see
    # ``column_sum_rules``); GX then computes the checked value itself.
    per_row: Callable[[dict], list[tuple[str, str, gxe.Expectation]]] | None = None
    # Expectations of one table each (check rows grouped by their ``group``), validated on the
    # suite's cell frame; a failure names the check rows of the codes GX reports.
    per_group: Callable[[list[dict]], list[tuple[str, str, gxe.Expectation]]] | None = None
    # GX's run gives the counts and the Data Docs; the findings come from elsewhere (the
    # code/name findings from the pipeline's resolver, which names what each name matched).
    counts_only: bool = False


def _within_bound() -> Rule:
    return Rule("bound", "error", lambda: gxe.ExpectColumnValuesToBeBetween(
        column="excess", max_value=0,
        meta={"notes": "excess = |difference| - rounding bound; above 0 is an error"}))


def _all_true(name: str, column: str) -> Rule:
    return Rule(name, "error", lambda: gxe.ExpectColumnValuesToBeInSet(
        column=column, value_set=[True]))


def column_sum_rules(row: dict) -> list[tuple[str, str, gxe.Expectation]]:
    """Footing of one column natively: its recipient cells (the rows of the cell frame with
    the column's ``group``) sum to the printed Riket value ± the rounding bound; a column
    whose Riket value is not printed gets a not-null expectation on it, which fails."""
    where = Column("group") == int(row["row_id"])
    if row.get("observed") is None:
        return [("riket", "warning", gxe.ExpectColumnValuesToNotBeNull(
            column="riket", row_condition=where))]
    if row.get("expected") is None:  # a cell is missing: the amounts suite says which
        return []
    riket, bound = float(row["observed"]), float(row["tolerance"])
    return [("bound", "error", gxe.ExpectColumnSumToBeBetween(
        column="amount", min_value=riket - bound, max_value=riket + bound, row_condition=where,
        meta={"notes": f"{escape(str(row['table']))} {escape(str(row['measure']))}: the "
                       f"recipients' sum within {bound:g} kr of the printed Riket value"}))]


def code_set_rules(rows: list[dict]) -> list[tuple[str, str, gxe.Expectation]]:
    """Coverage of one table natively, on its recipient rows (the cell frame's ``group``):
    its codes are unique, in the official list, and (when the table must list every code)
    contain the whole list."""
    where = Column("group") == int(rows[0]["group"])
    official = sorted(escape(r["row_key"]) for r in rows if r["known"])  # as GX sees them
    out = [("once", "error", gxe.ExpectColumnValuesToBeUnique(column="row_key",
                                                                row_condition=where)),
           ("known", "error", gxe.ExpectColumnValuesToBeInSet(
               column="row_key", value_set=official, row_condition=where))]
    if rows[0].get("must_list_all"):
        out.append(("present", "error", gxe.ExpectColumnDistinctValuesToContainSet(
            column="row_key", value_set=official, row_condition=where)))
    return out


SUITES: tuple[Suite, ...] = (
    Suite("cross_footing",
          "Every row's amounts add up to its Totalt belopp (the Riket row included), "
          "within half a krona per rounded amount.",
          (_within_bound(),), rounding_notes=True),
    Suite("footing",
          "Every column's recipient amounts add up to its Riket value (Totalt belopp "
          "included), within half a krona per rounded amount.",
          (), rounding_notes=True, per_row=column_sum_rules),
    Suite("coverage",
          "Each table lists every official code exactly once (290 kommuner, 21 regioner, "
          "21 län) and no code outside the official lists.",
          (), per_group=code_set_rules),
    Suite("amounts",
          "Every cell of every table holds an amount, in whole kronor, and none is negative "
          "(but in a change column, whose amounts are differences).",
          (Rule("present", "error",
                lambda: gxe.ExpectColumnValuesToNotBeNull(column="observed")),
           Rule("non_negative", "error",
                lambda: gxe.ExpectColumnValuesToBeBetween(column="grant", min_value=0)),
           Rule("whole", "error", lambda: gxe.ExpectColumnValuesToBeBetween(
               column="fraction", min_value=0, max_value=0)))),
    Suite("allocation_key",
          "Columns that share a distribution key agree row by row within rounding; the "
          "shares and fixed amounts are fitted from the table itself.",
          (_within_bound(),)),
    Suite("formats_agree",
          "Documents of one case that print the same table (e.g. PDF and DOCX) agree "
          "cell for cell.",
          (_all_true("in_reference", "in_reference"), _all_true("in_other", "in_other"),
           _within_bound()), rounding_notes=True),
)  # fmt: skip

SUITES_BY_NAME = {suite.name: suite for suite in SUITES}


def code_name_suite(official: frozenset[str]) -> Suite:
    """Code and name natively: the pair (printed code, the code its name resolves to) is one
    of SCB's (code, code) pairs; a valid code beside a name that resolves to nothing is a
    warning. Rows whose name resolves to nothing and whose code is no code are left to the
    resolver's unresolved-name error."""
    pairs = [(escape(c), escape(c)) for c in sorted(official)]  # as GX sees the frame
    return Suite(
        "code_name",
        "Every printed code belongs to the name printed beside it: (code, the code the name "
        "resolves to) is one of SCB's pairs.",
        (Rule("belongs", "error", lambda: gxe.ExpectColumnPairValuesToBeInSet(
            column_A="code_key", column_B="name_code", value_pairs_set=pairs,
            ignore_row_if="either_value_is_missing")),
         Rule("name_known", "warning", lambda: gxe.ExpectColumnValuesToNotBeNull(
             column="name_code", row_condition=Column("code_valid") == True))),  # noqa: E712
        counts_only=True)


def expectation_suite(suite: Suite, rows: list[dict] = ()) -> gx.ExpectationSuite:
    """A fresh GX suite holding the rules' expectations, in rule order, then those of each
    check row (``per_row``), each tagged with its row_id."""
    expectations = []
    for rule in suite.rules:
        expectation = rule.make()
        expectation.meta = {**(expectation.meta or {}), "rule": rule.name,
                            "severity": rule.severity}
        expectations.append(expectation)
    for row in rows if suite.per_row else ():
        for name, severity, expectation in suite.per_row(row):
            expectation.meta = {**(expectation.meta or {}), "rule": name,
                                "severity": severity, "row_id": int(row["row_id"])}
            expectations.append(expectation)
    groups: dict[int, list[dict]] = {}
    for row in rows if suite.per_group else ():
        groups.setdefault(int(row["group"]), []).append(row)
    for group, members in groups.items():
        for name, severity, expectation in suite.per_group(members):
            expectation.meta = {**(expectation.meta or {}), "rule": name,
                                "severity": severity, "group": group}
            expectations.append(expectation)
    return gx.ExpectationSuite(name=suite.name, meta={"description": suite.description},
                               expectations=distinct(expectations))


# What GX leaves out when it tells whether a suite already holds an expectation.
_NOT_COMPARED = {"id", "rendered_content", "notes", "meta"}


def distinct(expectations: list) -> list:
    """The expectations without repeats, as ExpectationSuite.add_expectation keeps them (a suite
    is a set: the first of equal expectations stays), found by key in one pass: add_expectation
    compares each new expectation with every one before it, which was quadratic (a page of
    1 000 small tables spent six minutes there)."""
    kept: dict[tuple[str, str], list[dict]] = {}
    out = []
    for expectation in expectations:
        fields = expectation.dict(exclude=_NOT_COMPARED)
        key = (expectation.expectation_type, json.dumps(fields, sort_keys=True, default=repr))
        same = kept.setdefault(key, [])
        if any(fields == other for other in same):
            continue
        same.append(fields)
        out.append(expectation)
    return out
