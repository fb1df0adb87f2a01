"""Diagnosis: the fewest printed cells whose change explains every error of a case.

The case's edit system (pipeline/edits.py) is localised as a MIP (pipeline/diagnosis_mip.py);
the changed cells are grouped into causes (cells whose changes must go together to keep a rule
that holds), each named by its pattern (swap, transposition, stale total, missing row, wrong
cell), with the findings it explains and how many other explanations fit equally well.
"""

from __future__ import annotations

import itertools
import math
import time
from dataclasses import dataclass

import polars as pl

from pipeline import diagnosis_mip as mip
from pipeline.edits import Cell, frame_to_system
from pipeline.findings import Finding
from pipeline.reference import official_name
from pipeline.settings import DiagnosisSettings

TABLE_WORDS = {"kommun": ("kommun", "kommuner"), "region": ("region", "regioner"),
               "lan": ("län", "län")}


@dataclass
class Cause:
    """A set of variables that change together, with what they explain and their rivals."""

    variables: list[int]
    binaries: frozenset[int]
    change: dict[int, float]
    explains: list[int]
    rivals: list[mip.Solution]
    incomplete: bool = False


def kr(value: float) -> str:
    """Whole kronor the Swedish way: 1 254 966 kr."""
    return f"{round(value):,}".replace(",", " ") + " kr"


def shown(cell: Cell, value: float) -> str:
    """A cell's value as printed: kronor, or a share in percent to its printed decimals."""
    if cell.kind != "share":
        return kr(value)
    decimals = max(0, round(-math.log10(cell.unit))) if cell.unit < 1 else 0
    return f"{value:.{decimals}f}".replace(".", ",") + " %"


def to_step(value: float, step: float) -> float | int:
    """A value rounded to its printed step: whole kronor, or a share's decimals."""
    step = step or 1.0
    rounded = round(value / step) * step
    return int(round(rounded)) if step >= 1 else round(rounded, 6)


def diagnose(frame: pl.DataFrame, findings: list[Finding],
             settings: DiagnosisSettings | None = None, keys_found: list | None = None,
             attributes: pl.DataFrame | None = None) -> list[dict]:
    """The root causes of a case's error findings (``findings`` in their final order);
    ``keys_found``: the allocation keys the suites found (found again when None);
    ``attributes``: the numbers beside the amounts (share columns enter the rules)."""
    settings = settings or DiagnosisSettings()
    errors: dict[tuple, list[int]] = {}
    for i, f in enumerate(findings):
        if f.severity == "error":
            errors.setdefault((f.check, f.source_file, f.table, f.scb_code, f.measure),
                              []).append(i)
    missing = [(f.source_file, f.table, f.scb_code) for f in findings
               if f.check == "coverage" and f.severity == "error" and f.observed == 0
               and f.scb_code and f.source_file]
    causes = numeric_causes(frame, missing, errors, settings, keys_found,
                            attributes) if errors else []
    causes += name_causes(findings)
    return causes + unexplained(findings, causes)


def unexplained(findings: list[Finding], causes: list[dict]) -> list[dict]:
    """Error findings no cause explains, said to be so in one entry (never dropped silently)."""
    explained = {i for c in causes for i in c["explains"]}
    left = [i for i, f in enumerate(findings) if f.severity == "error" and i not in explained]
    if not left:
        return []
    checks = sorted({findings[i].check for i in left})
    return [{"cause": f"{len(left)} error finding{'s' if len(left) > 1 else ''} "
             f"({', '.join(checks)}) could not be traced to printed cells: the diagnosis "
             "models row and column sums, allocation keys, documents that print the same "
             "table, missing rows and names, not these.",
             "kind": "not_localised", "cells": [], "explains": left, "alternatives": 0,
             "alternative_cells": []}]


def numeric_causes(frame: pl.DataFrame, missing: list, errors: dict,
                   settings: DiagnosisSettings, keys_found: list | None = None,
                   attributes: pl.DataFrame | None = None) -> list[dict]:
    """The causes the numbers show; ``errors`` maps finding keys to their indices."""
    system = frame_to_system(frame, missing, keys_found=keys_found, attributes=attributes)
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
                 "alternatives": 0}]
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
    """Changed variables joined when a rule that holds as printed ties their changes."""
    model = program.model
    moved = {v: d for v, d in solution.change.items() if abs(d) > mip.EPS}
    union = mip._Union()
    for v in solution.change:
        union.union(v, ("binary", int(model.binary[v])))
    for e in range(len(model.edits)):
        if model.violated(e):
            continue
        touched = [int(v) for v in model.edits[e][0] if int(v) in moved]
        for a, b in itertools.pairwise(touched):
            union.union(a, b)
    groups: dict = {}
    for v in solution.change:
        groups.setdefault(union.find(v), []).append(v)
    return [Cause(sorted(vs), frozenset(int(model.binary[v]) for v in vs),
                  {v: solution.change[v] for v in vs}, [], [])
            for vs in groups.values()]


def explained(program: mip.Program, cause: Cause, cells: dict[tuple, Cell],
              errors: dict) -> list[int]:
    """Indices of the error findings of broken rules that touch the cause's cells."""
    model = program.model
    mine = set(cause.variables)
    keys = {k for e in range(len(model.edits)) if model.violated(e)
            and mine & {int(v) for v in model.edits[e][0]} for k in model.edits[e][4]}
    for v in cause.variables:
        cell = cells[model.members[v][0]]
        if cell.group:
            keys |= {("coverage", cells[m].source_file, cell.table, cell.scb_code, None)
                     for m in model.members[v]}
    return sorted({i for k in keys for i in errors.get(k, [])})


def reconciling(program: mip.Program, change: dict[int, float], v: int) -> float:
    """The value of variable v that reconciles: the middle of what the rules it alone changes
    allow (the solver's own value when no rule pins it)."""
    lo, hi = window(program, change, v)
    return (lo + hi) / 2


def window(program: mip.Program, change: dict[int, float], v: int) -> tuple[float, float]:
    """The values of variable v that the rules it alone changes allow (the solver's own value
    when no rule pins it down from both sides)."""
    model = program.model
    lo, hi = -float("inf"), float("inf")
    for variables, coefs, residual, tolerance, _ in model.edits:
        ids = [int(x) for x in variables]
        if v not in ids or any(u in change and u != v and abs(change[u]) > mip.EPS for u in ids):
            continue
        a = float(coefs[ids.index(v)])
        bounds = sorted(((-tolerance - residual) / a, (tolerance - residual) / a))
        lo, hi = max(lo, bounds[0]), min(hi, bounds[1])
    base = float(model.value[v])
    if lo <= hi and lo > -float("inf") and hi < float("inf"):
        return base + lo, base + hi
    return base + change[v], base + change[v]


def cell_dicts(program: mip.Program, change: dict[int, float], cells: dict) -> list[dict]:
    model = program.model
    out = []
    for v in sorted(change):
        value = reconciling(program, change, v)
        for key in model.members[v]:
            c = cells[key]
            out.append({"table": c.table, "scb_code": c.scb_code, "measure": c.measure,
                        "source_file": c.source_file, "page": c.page,
                        "printed": None if c.printed is None else to_step(c.printed, c.unit),
                        "reconciling_value": to_step(value, c.unit)})
    return out


def transposed(printed: int, allowed: tuple[float, float]) -> int | None:
    """The printed value with two adjacent digits swapped, where that lies in the window of
    values that reconcile."""
    digits = str(abs(printed))
    for i in range(len(digits) - 1):
        j = i + 1
        if digits[i] == digits[j] or (i == 0 and digits[j] == "0"):
            continue
        d = list(digits)
        d[i], d[j] = d[j], d[i]
        candidate = int("".join(d))
        if allowed[0] <= candidate <= allowed[1]:
            return candidate
    return None


def describe(program: mip.Program, cause: Cause, cells: dict) -> dict:
    """The cause as findings.json holds it: a sentence, its kind, cells and explained findings."""
    listed = cell_dicts(program, cause.change, cells)
    kind, sentence = pattern(program, cause.change, cells)
    sentence = sentence[0].upper() + sentence[1:]
    if cause.rivals:
        sentence = ambiguous(program, cause, cells, sentence)
    return {"cause": sentence, "kind": kind, "cells": listed, "explains": cause.explains,
            "alternatives": len(cause.rivals),
            "alternative_cells": [cell_dicts(program, r.change, cells) for r in cause.rivals]}


def _first(program: mip.Program, cells: dict, v: int) -> Cell:
    return cells[program.model.members[v][0]]


def _where(program: mip.Program, cells: dict, vs) -> str:
    """The documents (and pages) a set of variables is printed in."""
    places = {}
    for v in vs:
        for key in program.model.members[v]:
            c = cells[key]
            places.setdefault(c.source_file, set()).update({c.page} if c.page else set())
    parts = [f"{f} p. {', '.join(map(str, sorted(p)))}" if p else f for f, p in places.items()]
    return " and ".join(parts)


def row_name(c: Cell) -> str:
    word = TABLE_WORDS.get(c.table, (c.table,))[0]
    if c.row_kind == "total":
        return f"the {c.label or 'total'} row of the {word} table"
    name = official_name(c.table, c.scb_code) if c.table in TABLE_WORDS and c.scb_code else None
    return f"{word} {c.scb_code or ''} {name or c.label}".replace("  ", " ").strip()


def pattern(program: mip.Program, change: dict[int, float], cells: dict) -> tuple[str, str]:
    """The cause's kind and one sentence saying it."""
    vs = sorted(change)
    firsts = {v: _first(program, cells, v) for v in vs}
    value = {v: to_step(reconciling(program, change, v), firsts[v].unit) for v in vs}
    where = _where(program, cells, vs)
    if any(c.group for c in firsts.values()):
        c = next(iter(firsts.values()))
        amounts = ", ".join(f"{kr(value[v])} in {firsts[v].measure}" for v in vs)
        return "missing_row", (f"The row of {row_name(c)} is missing from the "
                               f"{c.table} table in {where}; the sums say it holds {amounts}.")
    parts = [v for v in vs if not firsts[v].is_total]
    if len(parts) == 2:
        a, b = parts
        ca, cb = firsts[a], firsts[b]
        slack = 2 * max(ca.unit, cb.unit) + 2
        if (ca.table, ca.measure) == (cb.table, cb.measure) and abs(
                value[a] - cb.value) <= slack and abs(value[b] - ca.value) <= slack:
            moved = " (their totals moved to match)" if len(vs) > 2 else ""
            return "swap", (f"{row_name(ca)} and {row_name(cb)} have their {ca.measure} "
                            f"swapped{moved}: {shown(ca, ca.value)} and {shown(cb, cb.value)} are "
                            f"printed, {shown(ca, value[a])} and {shown(cb, value[b])} "
                            f"reconcile, in {where}.")
    if len(vs) == 1:
        c, v = firsts[vs[0]], vs[0]
        lo, hi = window(program, change, v)
        swap = transposed(round(c.value / c.unit), (lo / c.unit, hi / c.unit))
        if swap is not None:
            return "transposition", (f"{row_name(c)} prints {shown(c, c.value)} in {c.measure} "
                                     f"where {shown(c, swap * c.unit)} reconciles: two digits "
                                     f"transposed, in {where}.")
        if c.is_total:
            return "stale_total", (f"{row_name(c)} prints {kr(c.value)} in {c.measure}, but the "
                                   f"cells it totals give {kr(value[v])}: a stale total, in "
                                   f"{where}.")
    return "wrong_cell", wrong_sentence(firsts, value, where)


def wrong_sentence(firsts: dict[int, Cell], value: dict[int, float], where: str) -> str:
    rows: dict = {}
    for v, c in firsts.items():
        rows.setdefault(row_name(c), []).append(v)
    phrases = []
    for name, vs in rows.items():
        deltas = {round(firsts[v].value - value[v], 6) for v in vs}
        if len(vs) > 1 and len(deltas) == 1:
            d = deltas.pop()
            how = f"{shown(firsts[vs[0]], abs(d))} too {'much' if d > 0 else 'little'}"
            measures = " and ".join(firsts[v].measure for v in vs)
            phrases.append(f"{name} prints {how} in {measures}")
        else:
            phrases.append(f"{name} prints " + " and ".join(
                f"{shown(firsts[v], firsts[v].value)} in {firsts[v].measure} where "
                f"{shown(firsts[v], value[v])} reconciles"
                for v in vs))
    text = "; ".join(phrases)
    return text[0].upper() + text[1:] + f", in {where}."


def ambiguous(program: mip.Program, cause: Cause, cells: dict, sentence: str) -> str:
    """Say honestly that the cause is one of several: by rows alike, or by listing them."""
    options = [cause.change] + [r.change for r in cause.rivals]
    more = "at least " if cause.incomplete else ""

    def shape(change):
        cs = [_first(program, cells, v) for v in sorted(change)]
        rows = {(c.table, c.key[3]) for c in cs}
        deltas = tuple(sorted((c.measure, round(c.value - reconciling(program, change, v)))
                              for c, v in zip(cs, sorted(change), strict=True)))
        return (len(rows) == 1, cs[0].table, deltas)

    shapes = {shape(o) for o in options}
    if len(shapes) == 1 and next(iter(shapes))[0]:
        _, table, deltas = next(iter(shapes))
        names = [row_name(_first(program, cells, min(o))) for o in options]
        codes = {_first(program, cells, min(o)).scb_code or "" for o in options}
        of = ""
        prefixes = {c[:2] for c in codes}
        if table == "kommun" and len(prefixes) == 1:
            lan = prefixes.pop()
            of = f" of län {lan} {official_name('lan', lan) or ''}".rstrip()
        d = {x for _, x in deltas}
        how = (f"{kr(abs(d.pop()))} too {'much' if deltas[0][1] > 0 else 'little'}"
               if len(d) == 1 else "amounts that do not reconcile")
        both = " in both columns" if len(deltas) == 2 else (
            f" in {deltas[0][0]}" if len(deltas) == 1 else f" in {len(deltas)} columns")
        plural = TABLE_WORDS.get(table, (table, table))[1]
        listed = ", ".join(n.split(" ", 1)[1] if " " in n else n for n in names[:8])
        etc = ", …" if len(names) > 8 else ""
        return (f"One of {more}the {len(options)} {plural}{of} prints {how}{both}; the sums "
                f"cannot tell which ({listed}{etc}).")
    return (f"{sentence} The sums fit {more}{len(cause.rivals)} other explanations as well, "
            f"so this one is not certain.")


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
