"""Error localisation (Fellegi & Holt) over a case's edit system, as a MIP solved by HiGHS.

Each variable is a printed cell (one printed in two documents with the same value is one
variable: the two must agree, so they change together). It has a binary "changed" and a
continuous change bounded by big-M; a cell of a row printed twice also has its row's binary
"taken out", which sets its change to minus its value; every edit must hold within its
tolerance after the changes; the weighted count of binaries set is minimised. Only the
variables connected to a broken edit enter the program. Other optimal solutions are found
with no-good cuts.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from pipeline.edits import CellKey, EditSystem
from pipeline.settings import DiagnosisSettings

EPS = 1e-6


@dataclass
class Model:
    """The logical variables and edits of one case, with residuals at the printed values."""

    members: list[tuple[CellKey, ...]]  # cells of each variable (one per document)
    value: np.ndarray  # printed value of each variable (0 for a missing row's cell)
    cap: np.ndarray  # the largest value a variable can take (100 for a share in percent)
    binary: np.ndarray  # the binary each variable switches with
    weight: np.ndarray  # cost of each binary
    removal: np.ndarray  # the binary that takes a copied row's variable out (-1: none)
    edits: list[tuple[np.ndarray, np.ndarray, float, float, frozenset]] = field(
        default_factory=list)  # (variables, coefficients, residual, tolerance, finding keys)

    def violated(self, e: int) -> bool:
        _, _, residual, tolerance, _ = self.edits[e]
        return abs(residual) > tolerance + EPS

    def binaries(self, v: int) -> list[int]:
        """The binaries that can change variable v: its own, and its row's "taken out"."""
        return [int(self.binary[v])] + ([int(self.removal[v])] if self.removal[v] >= 0 else [])

    def moved_by(self, v: int, changed: frozenset[int]) -> bool:
        return any(b in changed for b in self.binaries(v))


@dataclass
class Solution:
    changed: frozenset[int]  # binaries set
    change: dict[int, float]  # variable -> change of its value
    cost: float


class _Union:
    def __init__(self) -> None:
        self.parent: dict = {}

    def find(self, x):
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a, b) -> None:
        self.parent[self.find(a)] = self.find(b)


def build_model(system: EditSystem, settings: DiagnosisSettings) -> Model:
    """Merge cells that two documents print alike, then rewrite and deduplicate the edits."""
    cells = system.cells
    union = _Union()
    for key in cells:
        union.find(key)
    for edit in system.edits:
        if edit.kind == "formats" and edit.tolerance == 0 and abs(edit.residual(cells)) <= EPS:
            union.union(edit.terms[0][0], edit.terms[1][0])
    missing: dict = {}
    for key, cell in cells.items():
        if cell.group and not cell.removable:
            missing.setdefault((cell.table, cell.group, cell.measure), []).append(key)
    for keys_ in missing.values():
        for other in keys_[1:]:
            union.union(keys_[0], other)
    groups: dict = {}
    for key in cells:
        groups.setdefault(union.find(key), []).append(key)
    members = [tuple(v) for v in groups.values()]
    index = {key: i for i, m in enumerate(members) for key in m}
    value = np.array([cells[m[0]].value for m in members])
    cap = np.array([100.0 if cells[m[0]].kind == "share" else np.inf for m in members])
    binary_of: dict = {}
    binary, weight, removal = [], [], []

    def binary_for(tag, cost: float) -> int:
        if tag not in binary_of:
            binary_of[tag] = len(weight)
            weight.append(cost)
        return binary_of[tag]

    for m in members:
        first = cells[m[0]]
        files = tuple(sorted({cells[k].source_file for k in m}))
        missing_row = first.group and not first.removable
        base = settings.missing_row_weight if missing_row else (
            settings.total_weight if first.is_total else 1.0)
        binary.append(binary_for((first.table, first.group, files) if missing_row else m,
                                 base * len(m)))
        removal.append(binary_for(("copy", first.table, first.group, files),
                                  settings.duplicate_row_weight * len(files))
                       if first.removable else -1)
    model = Model(members, value, cap, np.array(binary), np.array(weight, dtype=float),
                  np.array(removal))
    seen: dict = {}
    for edit in system.edits:
        terms: dict[int, float] = {}
        for key, a in edit.terms:
            terms[index[key]] = terms.get(index[key], 0.0) + a
        terms = {v: a for v, a in terms.items() if abs(a) > 1e-12}
        if not terms:
            continue
        variables = np.array(sorted(terms))
        coefs = np.array([terms[v] for v in variables])
        residual = float(coefs @ value[variables]) + edit.constant
        sig = (tuple(variables), tuple(np.round(coefs, 9)), round(residual, 4),
               round(edit.tolerance, 4))
        if sig in seen:
            e = seen[sig]
            old = model.edits[e]
            model.edits[e] = (*old[:4], old[4] | set(edit.findings))
            continue
        seen[sig] = len(model.edits)
        model.edits.append((variables, coefs, residual, edit.tolerance,
                            frozenset(edit.findings)))
    return model


def select(model: Model, settings: DiagnosisSettings) -> tuple[list[int], list[int]] | None:
    """The variables connected to a broken edit, and the edits over them; None when too many.

    When the connected part is larger than the bound, only the variables of broken edits and
    those sharing an edit with them may change."""
    broken = [e for e in range(len(model.edits)) if model.violated(e)]
    if not broken or len(broken) > settings.max_violated:
        return ([], broken) if broken else ([], [])
    by_var: dict[int, list[int]] = {}
    for e, (variables, *_rest) in enumerate(model.edits):
        for v in variables:
            by_var.setdefault(int(v), []).append(e)
    seen_vars: set[int] = set()
    frontier = {int(v) for e in broken for v in model.edits[e][0]}
    hops = 0
    while frontier and len(seen_vars | frontier) <= settings.max_variables:
        seen_vars |= frontier
        frontier = {int(v) for u in frontier for e in by_var[u] for v in model.edits[e][0]}
        frontier -= seen_vars
        hops += 1
    if frontier and hops < 2:  # even the broken edits and their neighbours are too many
        return None
    chosen = sorted(seen_vars)
    edits = sorted({e for v in chosen for e in by_var.get(v, [])})
    return chosen, edits


class Program:
    """The MIP over the chosen variables: x = [changes..., binaries...]."""

    def __init__(self, model: Model, variables: list[int], edits: list[int]) -> None:
        self.model, self.variables = model, variables
        self.binaries = sorted({b for v in variables for b in model.binaries(v)})
        n, nb = len(variables), len(self.binaries)
        self.n = n
        col = {v: i for i, v in enumerate(variables)}
        bcol = {b: n + i for i, b in enumerate(self.binaries)}
        broken = [abs(model.edits[e][2]) for e in edits if model.violated(e)]
        tol = max((model.edits[e][3] for e in edits), default=1.0)
        big = 2.0 * sum(broken) + 10.0 * tol + 1.0
        rows, cols, data, lo, hi = [], [], [], [], []
        r = 0
        for e in edits:
            variables_e, coefs, residual, tolerance, _ = model.edits[e]
            for v, a in zip(variables_e, coefs, strict=True):
                if int(v) in col:
                    rows.append(r), cols.append(col[int(v)]), data.append(a)
            lo.append(-tolerance - residual), hi.append(tolerance - residual)
            r += 1
        for e in edits:  # a broken edit is mended only by changing one of its cells
            if model.violated(e):
                for b in {bcol[b] for v in model.edits[e][0] if int(v) in col
                          for b in model.binaries(int(v))}:
                    rows.append(r), cols.append(b), data.append(1.0)
                lo.append(1.0), hi.append(np.inf)
                r += 1
        up = np.minimum(big, model.cap[variables] - model.value[variables]).clip(0)
        for i, v in enumerate(variables):
            # |change + value × taken out| <= big-M × changed: a row taken out moves its cells
            # by exactly minus their values, a changed cell by anything within its bounds
            # a change column's negative amount may move down as far as up
            down = big if model.value[v] < 0 else min(big, float(model.value[v]))
            b = bcol[int(model.binary[v])]
            rows += [r, r, r + 1, r + 1]
            cols += [col[v], b, col[v], b]
            data += [1.0, -float(up[i]), -1.0, -down]
            if model.removal[v] >= 0:
                d, amount = bcol[int(model.removal[v])], float(model.value[v])
                rows += [r, r + 1]
                cols += [d, d]
                data += [amount, -amount]
            lo += [-np.inf, -np.inf]
            hi += [0.0, 0.0]
            r += 2
        self.base = (rows, cols, data, lo, hi, r)
        floor = np.where(model.removal[variables] >= 0, model.value[variables],
                         np.where(model.value[variables] < 0, big,
                                  np.minimum(big, model.value[variables])))
        self.lower = np.concatenate([-floor, np.zeros(nb)])
        self.upper = np.concatenate([up, np.ones(nb)])
        self.cost = np.concatenate([np.zeros(n), model.weight[self.binaries]])
        self.bcol = bcol
        self.integrality = np.concatenate([np.zeros(n), np.ones(nb)])

    def solve(self, cuts: list[frozenset[int]], fixed: frozenset[int] = frozenset(),
              max_cost: float | None = None, seconds: float = 10.0,
              only: frozenset[int] | None = None) -> Solution | None:
        """An optimal solution avoiding every cut set (no-good cuts), binaries in ``fixed`` set
        and, with ``only``, every other binary unset."""
        rows, cols, data, lo, hi, r = (list(x) if isinstance(x, list) else x for x in self.base)
        for cut in cuts:
            for b in cut:
                rows.append(r), cols.append(self.bcol[b]), data.append(1.0)
            lo.append(-np.inf), hi.append(len(cut) - 1)
            r += 1
        if max_cost is not None:
            for b in self.binaries:
                rows.append(r), cols.append(self.bcol[b]), data.append(self.cost[self.bcol[b]])
            lo.append(-np.inf), hi.append(max_cost + EPS)
            r += 1
        lower = self.lower.copy()
        upper = self.upper.copy()
        for b in fixed:
            lower[self.bcol[b]] = 1.0
        if only is not None:
            for b in self.binaries:
                if b not in only:
                    upper[self.bcol[b]] = 0.0
        # Imported here, not with the module: a case with nothing to localise (most of them)
        # does not pay for scipy.optimize (0.15 s CPU and 19 MB per process on top of
        # scipy.sparse, which pipeline/tally.py loads anyway).
        from scipy.optimize import Bounds, LinearConstraint, milp
        from scipy.sparse import coo_matrix

        matrix = coo_matrix((data, (rows, cols)), shape=(r, len(self.cost))).tocsr()
        result = milp(self.cost, constraints=LinearConstraint(matrix, lo, hi),
                      integrality=self.integrality, bounds=Bounds(lower, upper),
                      options={"time_limit": max(seconds, 0.01), "mip_rel_gap": 0.0})
        if result.x is None or result.status not in (0,):
            return None
        x = result.x
        changed = frozenset(b for b in self.binaries if x[self.bcol[b]] > 0.5)
        change = {v: float(x[i]) for i, v in enumerate(self.variables)
                  if self.model.moved_by(v, changed)}
        cost = float(sum(self.model.weight[b] for b in changed))
        return Solution(changed, change, cost)


def localise(model: Model, settings: DiagnosisSettings) -> tuple[Solution, Program] | str:
    """The optimal solution and its program, or why there is none ("too_many", "no_solution")."""
    chosen = select(model, settings)
    if chosen is None or not chosen[0]:
        return "too_many" if chosen is None or chosen[1] else "nothing"
    program = Program(model, *chosen)
    solution = program.solve([], seconds=settings.max_seconds)
    if solution is None:
        return "no_solution"
    return solution, program


def alternatives(program: Program, solution: Solution, cause: frozenset[int],
                 settings: DiagnosisSettings, deadline: float) -> tuple[list[Solution], bool]:
    """Other optimal ways to explain what ``cause`` (a set of binaries) explains, the rest of
    the solution kept; and whether the search stopped at a bound before it was complete."""
    others = solution.changed - cause
    found = same_shape(program, solution, cause, settings.max_alternatives)
    cuts = [cause] + [f.changed for f in found]
    while len(found) < settings.max_alternatives:
        left = deadline - time.monotonic()
        if left <= 0:
            return found, True
        alt = program.solve(cuts, fixed=others, max_cost=solution.cost, seconds=left)
        if alt is None:
            return found, False
        replaced = alt.changed - others
        found.append(Solution(replaced, {v: d for v, d in alt.change.items()
                                         if program.model.moved_by(v, replaced)},
                              alt.cost))
        cuts.append(replaced)
    return found, True


def same_shape(program: Program, solution: Solution, cause: frozenset[int],
               limit: int) -> list[Solution]:
    """Rivals of a cause that lies in one table row: the same columns of another row of that
    table, where that row enters every broken edit the cause does, tested one by one (a cheap
    program with every binary fixed); the full search then looks only for other shapes."""
    model = program.model
    vs = [v for v in solution.change if int(model.binary[v]) in cause]
    if len(vs) != len([v for v in solution.change if model.moved_by(v, cause)]):
        return []  # a row taken out: its rivals are other rows taken out, found below
    first = {v: model.members[v][0] for v in vs}
    if len({(k[:3], k[3]) for k in first.values()}) != 1 or any(
            isinstance(k[3], str) for k in first.values()):
        return []
    table_key = next(iter(first.values()))[:3]
    by_place = {(model.members[v][0][:4], model.members[v][0][4]): v for v in program.variables}
    by_var: dict[int, set[int]] = {}
    for e in range(len(model.edits)):
        if model.violated(e):
            for v in model.edits[e][0]:
                by_var.setdefault(int(v), set()).add(e)
    needed = set().union(*(by_var.get(v, set()) for v in vs))
    # printed rows only: a row a missing recipient would take (keyed by text) is no twin
    rows = sorted({k[3] for k, _ in by_place if k[:3] == table_key and isinstance(k[3], int)}
                  - {first[vs[0]][3]})
    others = solution.changed - cause
    found = []
    for row in rows:
        twins = [by_place.get(((*table_key, row), first[v][4])) for v in vs]
        if any(t is None for t in twins) or needed - set().union(
                *(by_var.get(t, set()) for t in twins)) or len(found) >= limit:
            continue
        binaries = frozenset(int(model.binary[t]) for t in twins)
        if abs(model.weight[list(binaries)].sum() - model.weight[list(cause)].sum()) > EPS:
            continue
        alt = program.solve([], fixed=others | binaries, only=others | binaries)
        if alt is not None and alt.cost <= solution.cost + EPS:
            found.append(Solution(binaries, {v: d for v, d in alt.change.items()
                                             if int(model.binary[v]) in binaries}, alt.cost))
    return found
