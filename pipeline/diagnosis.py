"""Diagnosis: the fewest printed cells whose change explains every error of a case.

The case's edit system (pipeline/edits.py) is localised as a MIP (pipeline/diagnosis_mip.py);
the changed cells are grouped into causes (cells whose changes must go together to keep a rule
that holds), each named by its pattern (pipeline/diagnosis_words.py) with the findings it
explains and how many other explanations fit equally well. Every error finding is explained by
a cause or listed in a ``not_localised`` entry that says why: never dropped.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass

import polars as pl

from pipeline import diagnosis_mip as mip
from pipeline.diagnosis_words import describe
from pipeline.edits import Cell, frame_to_system
from pipeline.findings import Finding
from pipeline.report_words import title
from pipeline.settings import DiagnosisSettings

# Findings about money that was printed but not read, or read and not checked: no rule holds
# those amounts, so no printed cell can be named as their cause.
READING_CHECKS = frozenset({
    "unread_table", "unchecked_amounts", "truncated_table", "unparsed_amount", "unparsed_number",
    "unparsed_row", "missing_header", "no_text_layer", "implausible_amount", "reading",
    "subtotal_unchecked", "unreadable_document", "unrecognised_file", "nothing_to_check",
    "not_reconciled", "decoder_warning", "unknown_table_kind", "unplaced_text",
    "recipients_without_amounts"})


@dataclass
class Cause:
    """A set of variables that change together, with what they explain and their rivals."""

    variables: list[int]
    binaries: frozenset[int]
    change: dict[int, float]
    explains: list[int]
    rivals: list[mip.Solution]
    incomplete: bool = False


def diagnose(frame: pl.DataFrame, findings: list[Finding],
             settings: DiagnosisSettings | None = None, keys_found: list | None = None,
             attributes: pl.DataFrame | None = None, copies: list | None = None
             ) -> list[dict]:
    """The root causes of a case's error findings (``findings`` in their final order);
    ``keys_found``: the allocation keys the suites found (found again when None);
    ``attributes``: the numbers beside the amounts (share and population columns);
    ``copies``: the tables the suites compared as copies of one table (from the cells alone
    when None)."""
    settings = settings or DiagnosisSettings()
    errors: dict[tuple, list[int]] = {}
    for i, f in enumerate(findings):
        if f.severity == "error":
            errors.setdefault((f.check, f.source_file, f.table, f.scb_code, f.measure),
                              []).append(i)
            errors[("finding", i)] = [i]
    missing, duplicated = [], []
    for f in findings:  # coverage: rows printed 0 times, or more than once
        if f.check == "coverage" and f.severity == "error" and f.scb_code and f.source_file:
            row = (f.source_file, f.table, f.scb_code)
            if f.observed == 0:
                missing.append(row)
            elif (f.observed or 0) >= 2:
                duplicated.append(row)
    causes = numeric_causes(frame, missing, errors, settings, keys_found, attributes,
                            findings, duplicated, copies) if errors else []
    causes += name_causes(findings)
    return causes + unexplained(findings, causes)


def diagnose_or_say_why(frame: pl.DataFrame, findings: list[Finding],
                        settings: DiagnosisSettings | None = None, keys_found: list | None = None,
                        attributes: pl.DataFrame | None = None, debug: bool = False,
                        copies: list | None = None) -> list[dict]:
    """`diagnose`, but a fault in the diagnosis costs only the diagnosis: the case's findings
    stand and are written, and one `not_localised` entry says the diagnosis failed and why
    (with --debug the fault is raised)."""
    try:
        return diagnose(frame, findings, settings, keys_found, attributes, copies)
    except Exception as exc:  # the findings are the result; a diagnosis bug must not lose them
        if debug:
            raise
        errors = [i for i, f in enumerate(findings) if f.severity == "error"]
        return [{"cause": f"The diagnosis could not be computed ({type(exc).__name__}: "
                          f"{exc}); every finding stands as reported, but no root cause is "
                          "named: rerun with --debug and report it.",
                 "kind": "not_localised", "cells": [], "explains": errors, "alternatives": 0,
                 "alternative_cells": []}] if errors else []


def unexplained(findings: list[Finding], causes: list[dict]) -> list[dict]:
    """Error findings no cause explains, said to be so (never dropped silently): those about
    money that was not read or not checked apart from those the rules could not trace."""
    explained_ = {i for c in causes for i in c["explains"]}
    left = [i for i, f in enumerate(findings) if f.severity == "error" and i not in explained_]
    reading = [i for i in left if findings[i].check in READING_CHECKS]
    rules = [i for i in left if i not in reading]
    out = []
    if reading:
        out.append(not_localised(reading, findings, (
            "{is} about money printed in the documents that was not read as a table or not "
            "checked against anything, so no sum holds it and no printed number can be named "
            "as wrong: read those pages by hand (file and page are in each finding).")))
    if rules:
        out.append(not_localised(rules, findings, (
            "could not be traced to printed cells: the diagnosis models row and column sums, "
            "allocation and population keys, shares, documents that print the same table, "
            "totals stated in the text, missing and duplicated rows and names, and no change "
            "of those explains these.")))
    return out


def not_localised(indices: list[int], findings: list[Finding], why: str) -> dict:
    checks = ", ".join(sorted({title(findings[i].check).lower() for i in indices}))
    n = len(indices)
    why = why.format(**({"is": "are"} if n > 1 else {"is": "is"}))
    return {"cause": f"{n} error finding{'s' if n > 1 else ''} ({checks}) {why}",
            "kind": "not_localised", "cells": [], "explains": indices, "alternatives": 0,
            "alternative_cells": []}


def numeric_causes(frame: pl.DataFrame, missing: list, errors: dict,
                   settings: DiagnosisSettings, keys_found: list | None = None,
                   attributes: pl.DataFrame | None = None, findings: list | None = None,
                   duplicated: list | None = None, copies: list | None = None) -> list[dict]:
    """The causes the numbers show; ``errors`` maps finding keys to their indices."""
    system = frame_to_system(frame, missing, keys_found=keys_found, attributes=attributes,
                             findings=findings, duplicated=duplicated or (), copies=copies)
    model = mip.build_model(system, settings)
    start = time.monotonic()
    found = mip.localise(model, settings)
    if found == "nothing":
        return []
    if isinstance(found, str):
        broken = [e for e in range(len(model.edits)) if model.violated(e)]
        explains = sorted({i for e in broken for k in model.edits[e][4] for i in errors.get(k, [])})
        return [{"cause": f"Too many independent errors to localise: {len(broken)} rules "
                 "disagree; check that the tables were read as printed.",
                 "kind": "too_many_errors", "cells": [], "explains": explains,
                 "alternatives": 0, "alternative_cells": []}]
    solution, program = found
    deadline = start + settings.max_seconds
    out = []
    for cause in split_causes(program, solution):
        cause.explains = explained(program, cause, system.cells, errors)
        cause.rivals, cause.incomplete = mip.alternatives(
            program, solution, cause.binaries, settings, deadline)
        out.append(describe(program, cause, system.cells))
    return sorted(out, key=lambda c: (c["explains"][:1] or [10**9], c["cause"]))


def split_causes(program: mip.Program, solution: mip.Solution) -> list[Cause]:
    """Changed variables joined when a rule that holds as printed ties their changes, or one
    binary (a missing row, a row taken out) moves them together."""
    model = program.model
    moved = {v: d for v, d in solution.change.items() if abs(d) > mip.EPS}
    union = mip._Union()
    for v in solution.change:
        for b in model.binaries(v):
            if b in solution.changed:
                union.union(v, ("binary", b))
    for e in range(len(model.edits)):
        if model.violated(e):
            continue
        touched = [int(v) for v in model.edits[e][0] if int(v) in moved]
        for a, b in itertools.pairwise(touched):
            union.union(a, b)
    groups: dict = {}
    for v in solution.change:
        groups.setdefault(union.find(v), []).append(v)
    return [Cause(sorted(vs), frozenset(b for v in vs for b in model.binaries(v)
                                        if b in solution.changed),
                  {v: solution.change[v] for v in vs}, [], [])
            for vs in groups.values()]


def explained(program: mip.Program, cause: Cause, cells: dict[tuple, Cell],
              errors: dict) -> list[int]:
    """Indices of the error findings of broken rules that touch the cause's cells, and the
    coverage findings of the rows it adds or takes out."""
    model = program.model
    mine = set(cause.variables)
    keys = {k for e in range(len(model.edits)) if model.violated(e)
            and mine & {int(v) for v in model.edits[e][0]} for k in model.edits[e][4]}
    for v in cause.variables:
        cell = cells[model.members[v][0]]
        if cell.group and (not cell.removable or model.removal[v] in cause.binaries):
            keys |= {("coverage", cells[m].source_file, cell.table, cell.scb_code, None)
                     for m in model.members[v]}
    return sorted({i for k in keys for i in errors.get(k, [])})


def name_causes(findings: list[Finding]) -> list[dict]:
    """A printed code with another code's name: one cause per table and code, all documents."""
    by_code: dict = {}
    for i, f in enumerate(findings):
        if f.check == "code_name" and f.severity == "error":
            by_code.setdefault((f.table, f.scb_code), []).append(i)
    out = []
    for (table, code), indices in sorted(by_code.items(), key=lambda kv: kv[1]):
        first = findings[indices[0]]
        cells = [{"table": table, "scb_code": code, "measure": None,
                  "source_file": findings[i].source_file, "page": findings[i].page,
                  "printed": None, "reconciling_value": None} for i in indices]
        out.append({"cause": first.message, "kind": "wrong_name", "cells": cells,
                    "explains": indices, "alternatives": 0, "alternative_cells": []})
    return out
