"""The diagnosis in words: each cause's kind, its sentence, its cells as findings.json holds
them, and an honest sentence when other explanations fit as well.

Kinds: ``wrong_cell``; ``swap`` (two cells of a column exchanged); ``transposition`` (two
adjacent digits swapped: the swapped value lies within what the sums allow); ``stale_total``
(a total, printed in a table or stated in the text, that alone disagrees with its parts);
``missing_row``; ``duplicated_row`` (a row printed twice: taken out once, every sum holds).
"""

from __future__ import annotations

import math

from pipeline import diagnosis_mip as mip
from pipeline.edits import Cell
from pipeline.reference import official_name

TABLE_WORDS = {"kommun": ("kommun", "kommuner"), "region": ("region", "regioner"),
               "lan": ("län", "län"), "statement": ("amount stated in the text",
                                                    "amounts stated in the text")}
SHOWN_ALTERNATIVES = 8  # names listed in a sentence that says the cause is one of several


def kr(value: float) -> str:
    """Whole kronor the Swedish way: 1 254 966 kr."""
    return f"{round(value):,}".replace(",", " ") + " kr"


def shown(cell: Cell, value: float) -> str:
    """A cell's value as printed: kronor, a share in percent to its printed decimals, or a
    population as a number."""
    if cell.kind not in ("share", "population"):
        return kr(value)
    decimals = max(0, round(-math.log10(cell.unit))) if cell.unit < 1 else 0
    text = f"{value:,.{decimals}f}".replace(",", " ").replace(".", ",")
    return text + " %" if cell.kind == "share" else text


def to_step(value: float, step: float) -> float | int:
    """A value rounded to its printed step: whole kronor, or a share's decimals."""
    step = step or 1.0
    rounded = round(value / step) * step
    return int(round(rounded)) if step >= 1 else round(rounded, 6)


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


def reconciling(program: mip.Program, change: dict[int, float], v: int) -> float:
    """The value of variable v that reconciles: the middle of what the rules it alone changes
    allow (the solver's own value when no rule pins it)."""
    lo, hi = window(program, change, v)
    return (lo + hi) / 2


def removed(program: mip.Program, binaries: frozenset[int], v: int) -> bool:
    """Whether variable v goes with its row, taken out as a copy."""
    return int(program.model.removal[v]) in binaries


def cell_dicts(program: mip.Program, change: dict[int, float], cells: dict,
               binaries: frozenset[int] = frozenset()) -> list[dict]:
    """The cells of a change as findings.json lists them; a missing row's are printed as null,
    a copy taken out reconciles as null (it should not be printed at all)."""
    model = program.model
    out = []
    for v in sorted(change):
        gone = removed(program, binaries, v)
        value = None if gone else reconciling(program, change, v)
        for key in model.members[v]:
            c = cells[key]
            entry = {"table": None if c.kind == "stated" else c.table, "scb_code": c.scb_code,
                     "measure": c.measure or None, "source_file": c.source_file,
                     "page": c.page,
                     "printed": None if c.printed is None else to_step(c.printed, c.unit),
                     "reconciling_value": None if value is None else to_step(value, c.unit)}
            if c.kind == "stated":
                entry["statement"] = c.label
            out.append(entry)
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


def describe(program: mip.Program, cause, cells: dict) -> dict:
    """The cause as findings.json holds it: a sentence, its kind, cells and explained findings."""
    listed = cell_dicts(program, cause.change, cells, cause.binaries)
    kind, sentence = pattern(program, cause.change, cells, cause.binaries)
    sentence = sentence[0].upper() + sentence[1:]
    if cause.rivals:
        sentence = ambiguous(program, cause, cells, sentence)
    return {"cause": sentence, "kind": kind, "cells": listed, "explains": cause.explains,
            "alternatives": len(cause.rivals),
            "alternative_cells": [cell_dicts(program, r.change, cells, r.changed)
                                  for r in cause.rivals]}


def _first(program: mip.Program, cells: dict, v: int) -> Cell:
    return cells[program.model.members[v][0]]


def _where(program: mip.Program, cells: dict, vs) -> str:
    """The documents (and pages; a DOCX's tables) a set of variables is printed in."""
    places: dict = {}
    for v in vs:
        for key in program.model.members[v]:
            c = cells[key]
            places.setdefault(c.source_file, set()).update({c.page} if c.page else set())
    parts = [f"{f} {'table' if f.lower().endswith('.docx') else 'p.'} "
             f"{', '.join(map(str, sorted(p)))}" if p else f for f, p in places.items()]
    return " and ".join(parts)


def row_name(c: Cell) -> str:
    """The row a cell is printed on, in words: "kommun 0180 Stockholm", "the Riket row of the
    region table", "the amount “780 miljoner kronor” stated in the text"."""
    if c.kind == "stated":
        return f"the amount “{c.label}” stated in the text"
    word = TABLE_WORDS.get(c.table, (c.table,))[0]
    if c.row_kind == "total":
        return f"the {c.label or 'total'} row of the {word} table"
    name = official_name(c.table, c.scb_code) if c.table in TABLE_WORDS and c.scb_code else None
    return f"{word} {c.scb_code or ''} {name or c.label}".replace("  ", " ").strip()


def short_name(c: Cell) -> str:
    """A row among others like it: "0114 Upplands Väsby", "“250 Mkr kronor”"."""
    name = row_name(c)
    return f"“{c.label}”" if c.kind == "stated" else name.split(" ", 1)[1] if " " in name \
        else name


def in_measure(c: Cell) -> str:
    return f" in {c.measure}" if c.measure else ""


def pattern(program: mip.Program, change: dict[int, float], cells: dict,
            binaries: frozenset[int] = frozenset()) -> tuple[str, str]:
    """The cause's kind and one sentence saying it."""
    vs = sorted(change)
    firsts = {v: _first(program, cells, v) for v in vs}
    where = _where(program, cells, vs)
    if any(removed(program, binaries, v) for v in vs):
        return duplicated_sentence(firsts, where)
    value = {v: to_step(reconciling(program, change, v), firsts[v].unit) for v in vs}
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
        return single(program, change, firsts[vs[0]], vs[0], value[vs[0]], where)
    return "wrong_cell", wrong_sentence(firsts, value, where)


def single(program: mip.Program, change: dict, c: Cell, v: int, value: float, where: str
           ) -> tuple[str, str]:
    """One cell: a transposition, a stale total, or a wrong cell."""
    lo, hi = window(program, change, v)
    swap = transposed(round(c.value / c.unit), (lo / c.unit, hi / c.unit))
    if swap is not None:
        return "transposition", (f"{row_name(c)} prints {shown(c, c.value)}{in_measure(c)} "
                                 f"where {shown(c, swap * c.unit)} reconciles: two digits "
                                 f"transposed, in {where}.")
    if c.kind == "stated" and c.row_kind == "rate":
        return "wrong_rate", (f"the rate “{c.label}” stated in the text says {kr(c.value)} per "
                              f"recipient, but the column that holds its key gives "
                              f"{kr(value)}: the stated rate is wrong, in {where}.")
    if c.is_total and c.kind == "stated":
        return "stale_total", (f"the total “{c.label}” stated in the text says {kr(c.value)}, "
                               f"but the amounts it totals give {kr(value)}: a stale total, "
                               f"in {where}.")
    if c.is_total:
        return "stale_total", (f"{row_name(c)} prints {kr(c.value)}{in_measure(c)}, but the "
                               f"cells it totals give {kr(value)}: a stale total, in {where}.")
    return "wrong_cell", wrong_sentence({v: c}, {v: value}, where)


def duplicated_sentence(firsts: dict[int, Cell], where: str) -> tuple[str, str]:
    c = next(iter(firsts.values()))
    amounts = ", ".join(f"{kr(x.value)} in {x.measure}" for x in firsts.values())
    return "duplicated_row", (f"The row of {row_name(c)} is printed more than once in the "
                              f"{c.table} table in {where}; counting it once ({amounts}), "
                              "every sum holds.")


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
                f"{shown(firsts[v], firsts[v].value)}{in_measure(firsts[v])} where "
                f"{shown(firsts[v], value[v])} reconciles" for v in vs))
    text = "; ".join(phrases)
    return text[0].upper() + text[1:] + f", in {where}."


def ambiguous(program: mip.Program, cause, cells: dict, sentence: str) -> str:
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
        firsts = [_first(program, cells, min(o)) for o in options]
        of = ""
        prefixes = {(c.scb_code or "")[:2] for c in firsts}
        if table == "kommun" and len(prefixes) == 1:
            lan = prefixes.pop()
            of = f" of län {lan} {official_name('lan', lan) or ''}".rstrip()
        d = {x for _, x in deltas}
        how = (f"{kr(abs(d.pop()))} too {'much' if deltas[0][1] > 0 else 'little'}"
               if len(d) == 1 else "amounts that do not reconcile")
        columns = "" if table == "statement" else " in both columns" if len(deltas) == 2 else (
            f" in {deltas[0][0]}" if len(deltas) == 1 else f" in {len(deltas)} columns")
        plural = TABLE_WORDS.get(table, (table, table))[1]
        listed = ", ".join(short_name(c) for c in firsts[:SHOWN_ALTERNATIVES])
        etc = ", …" if len(firsts) > SHOWN_ALTERNATIVES else ""
        return (f"One of {more}the {len(options)} {plural}{of} prints {how}{columns}; the "
                f"numbers cannot tell which ({listed}{etc}).")
    return (f"{sentence} The numbers fit {more}{len(cause.rivals)} other explanation"
            f"{'s' if len(cause.rivals) != 1 else ''} as well, so this one is not certain.")
