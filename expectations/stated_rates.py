"""Per-recipient rates stated in the text against the keys found in the tables' numbers.

A rule ("1 000 000 kronor per län, förutom de tre storstadslänen som tilldelas 2 000 000 kronor
vardera", read by extractors/rates.py) is checked against the keys of expectations/keys.py:
the numbers say which column holds it, no header word is needed. A key has the rule's shape when
it is over recipients of the rule's level (län and region share their codes) and is
- for a rule of one amount per recipient: a fixed key of one amount;
- for a rule with a group ("storstadslänen"): a fixed key with that group's codes;
- for a fixed part with the rest shared by a key ("5 000 000 kronor per län och resten fördelat
  efter befolkningsmängd"): an affine key, its fixed part the rule's amount.
Each amount of the rule agrees when a key of its shape gives it within the precision it is
printed to (and the key's rounding). Where none agrees but the numbers hold exactly one key of
the rule's shape (copies of one table in several documents count once), the stated amount
contradicts it: an error naming both, tied to one printed cell that holds the key so the
diagnosis can weigh the statement against the column. Several keys of that shape that
disagree with each other leave it unverified (warning); none leaves it a note.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from expectations.key_search import Key
from expectations.settings import DEFAULT_KEY_CODE_GROUPS
from expectations.stated import Stated, kr, place, stated_term


@dataclass(frozen=True)
class RateRule:
    """The amounts of one rule: every recipient's (``base``) and a named group's."""

    rule: str
    level: str | None
    base: Stated | None
    group: tuple[str, Stated] | None
    share: bool  # the base is a fixed part; the rest is shared by a key

    @property
    def statements(self) -> tuple[Stated, ...]:
        return tuple(s for s in (self.base, self.group[1] if self.group else None) if s)

    def text(self) -> str:
        """The rule as its amounts print: "1 000 000 kronor per län, 2 000 000 kronor for
        storstadslänen"."""
        parts = []
        if self.base:
            per = f" per {self.level}" if self.level else " per recipient"
            parts.append(f"{self.base.text}{per}" + (" and the rest by a key" * self.share))
        if self.group:
            parts.append(f"{self.group[1].text} for {self.group[0]}")
        return ", ".join(parts).replace("per lan", "per län")


@dataclass(frozen=True)
class RateResult:
    """What one amount of a rule was found to be: "agrees", "contradicts" or "unverified"."""

    statement: Stated
    result: str
    key: Key | None
    expected: float | None  # what the key gives for it
    tolerance: float
    message: str
    cell_code: str | None  # a recipient whose printed cell holds the key's amount


def rules_of(stated: Iterable[Stated]) -> list[RateRule]:
    """The rules the statements mark (``rate_rule``), in the order they are printed."""
    by_rule: dict[str, list[Stated]] = {}
    for s in stated:
        if s.role == "rate" and s.rate_rule:
            by_rule.setdefault(s.rate_rule, []).append(s)
    rules = []
    for rule, members in by_rule.items():
        base = next((s for s in members if not s.rate_group), None)
        group = next(((s.rate_group, s) for s in members if s.rate_group), None)
        level = (base or members[0]).scope
        rules.append(RateRule(rule, level if level in ("lan", "region", "kommun") else None,
                              base, group, bool(base and base.rate_share)))
    return rules


def _family(level: str | None) -> str | None:
    return None if level is None else ("kommun" if level == "kommun" else "lan")


def _amounts(rule: RateRule, key: Key, groups: Mapping[str, tuple[str, ...]]
             ) -> list[tuple[Stated, float]] | None:
    """What a key of the rule's shape gives for each of the rule's amounts; None when the key
    has another shape or is over another level."""
    if key.dependent.summed or (
            rule.level and _family(key.dependent.table) != _family(rule.level)):
        return None
    if rule.share:
        if key.kind != "affine" or rule.group or not rule.base:
            return None
        return [(rule.base, key.params[0])]
    codes = tuple(groups.get(rule.group[0], ())) if rule.group else ()
    if key.kind != "fixed" or tuple(key.group) != codes or (rule.group and not codes):
        return None
    out = [(rule.base, key.params[0])] if rule.base else []
    return out + ([(rule.group[1], key.params[1])] if rule.group else [])


def _tolerance(s: Stated, key: Key) -> float:
    return s.precision + max((r.tolerance for r in key.rows), default=0.5)


def _holds(key: Key) -> str:
    return f"it holds on {sum(not r.broken for r in key.rows)} of {len(key.rows)} rows"


def _cell_code(key: Key, value: float, tolerance: float) -> str | None:
    """A recipient whose printed cell holds the key's amount."""
    return next((r.code for r in key.rows if not r.broken
                 and abs(r.observed - value) <= tolerance), None)


def _compared(rule: RateRule, s: Stated, value: float, key: Key) -> RateResult:
    """One amount of a rule against what a key of its shape gives for it."""
    tol = _tolerance(s, key)
    code = _cell_code(key, value, tol)
    if abs(s.value - value) <= tol:
        return RateResult(s, "agrees", key, value, tol, f"{rule.text()} ({place(s)}): {s.text} "
                          f"agrees with the key found in the numbers of "
                          f"{key.dependent.source_file}: {key.description}; {_holds(key)}.", code)
    return RateResult(s, "contradicts", key, value, tol, f"{rule.text()} ({place(s)}): {s.text} "
                      f"differs from the key the numbers of {key.dependent.source_file} hold, "
                      f"{key.description} ({_holds(key)}), by {kr(abs(s.value - value))}.", code)


def check_rates(stated: Iterable[Stated], keys: Iterable[Key],
                groups: Mapping[str, tuple[str, ...]] | None = None) -> list[RateResult]:
    """Every amount of every rule against the keys of its shape (see the module's text)."""
    groups = dict(DEFAULT_KEY_CODE_GROUPS if groups is None else groups)
    keys = list(keys)
    results = []
    for rule in rules_of(stated):
        shaped = [(k, a) for k in keys if (a := _amounts(rule, k, groups)) is not None]
        agreeing = [(k, a) for k, a in shaped
                    if all(abs(s.value - v) <= _tolerance(s, k) for s, v in a)]
        own = rule.statements[0].source_file
        distinct = {tuple(round(v) for _, v in a) for _, a in shaped}
        if agreeing or len(distinct) == 1:  # the agreeing key, or the only one of its shape
            key, amounts = min(agreeing or shaped,
                               key=lambda ka: ka[0].dependent.source_file != own)
            results += [_compared(rule, s, v, key) for s, v in amounts]
        elif distinct:
            for s in rule.statements:
                results.append(RateResult(
                    s, "unverified", None, None, s.precision,
                    f"{rule.text()} ({place(s)}) agrees with none of the {len(shaped)} keys "
                    f"of its shape found in the numbers: "
                    + "; ".join(k.description for k, _ in shaped[:3]) + ".", None))
    return results


def rate_related(r: RateResult) -> list[dict] | None:
    """The statement, then the one printed cell it was found equal or unequal to (a recipient
    on which the key holds): the diagnosis holds the comparison as a rule, as it does a
    stated total's (pipeline/edits_stated.py)."""
    s = r.statement
    if r.key is None or r.cell_code is None:
        return None
    column = r.key.dependent
    return [
        stated_term(s, "stated") | {"rate": True},
        {"role": "cell", "table": column.table, "table_index": column.table_index,
         "measure": column.measure, "source_file": column.source_file, "page": None,
         "scb_code": r.cell_code, "printed": r.expected},
    ]
