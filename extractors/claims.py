"""Money statements and the claims they make (issue 7): a total and its parts, a list or table
and its sum, or a single amount to be matched elsewhere.

``MoneyStatement`` is one amount as ``extractors.statements.text_to_statements`` finds it in
running text. ``statements_to_claims`` groups the statements so that every one ends up in a
claim, as total, part or on its own; nothing is dropped. ``extractors.statements`` re-exports
the public names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass

_TOTAL_LABEL = re.compile(r"\W*(totalt|summa)\b", re.I)


@dataclass(frozen=True)
class MoneyStatement:
    """One amount printed in running text, with what it can state and where it stands."""

    value: int | float  # kronor
    text: str  # the amount as printed, e.g. "1 716 miljoner kronor"
    unit: str  # "kr", "tkr", "Mkr", "miljoner", "miljarder"
    precision: float  # half a unit of the last printed digit, in kronor
    context: str  # the sentence or table row
    source_file: str
    page: int | None
    block: int  # index of the text block
    start: int  # character offset in the block
    kind: str = "paragraph"  # kind of the text block
    role: str = "amount"  # "amount", "whole" (the agreement's total), "rate", "approximate"
    scope: str | None = None  # "whole", "combined", "region", "kommun", "lan", "skr"
    recipients: tuple[str, ...] = ()
    words: tuple[str, ...] = ()  # folded content words of its clause or row label
    label: str = ""  # row label in a table
    table_id: int | None = None  # which table of the document, when in a table
    list_id: int | None = None  # which bullet list, when a list item
    intro_of: int | None = None  # the list this amount introduces ("... enligt följande:")
    cue_id: int | None = None  # part of the total before a "varav" / "Av dessa medel" cue
    cue: str = ""
    # "totalt", "sammanlagt", "omfattar" just before the amount, or the first amount of a
    # sentence that refers to a table for it ("… 703 miljoner kronor … enligt bilaga 1")
    total_cue: bool = False
    scb_code: str | None = None  # the region/län the document is about, if only one
    # A per-recipient rule (extractors/rates.py): the id shared by the rates of one rule, the
    # group a rate is for ("" for every other recipient), and whether the rate is a fixed part
    # with the rest shared by a key ("… per län och resten efter befolkningsmängd").
    rate_rule: str | None = None
    rate_group: str = ""
    rate_share: bool = False

    @property
    def id(self) -> str:
        return f"{self.source_file}#{self.block}:{self.start}"

    def to_dict(self) -> dict:
        d = asdict(self)
        d["id"] = self.id
        return d


@dataclass(frozen=True)
class Claim:
    """What a group of statements asserts: a total and its parts, a sum, or one amount."""

    kind: str  # "sum" (total and parts), "group" (parts only), "amount", "rate"
    total: MoneyStatement | None
    parts: tuple[MoneyStatement, ...] = ()
    scope: str | None = None
    open: bool = False  # "varav": the parts need not cover the whole total
    how: str = ""  # how it was recognised: "varav", "list", "table total", ...

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "total": self.total.to_dict() if self.total else None,
            "parts": [p.to_dict() for p in self.parts],
            "scope": self.scope,
            "open": self.open,
            "how": self.how,
        }


def _table_claims(rows: list[MoneyStatement]) -> list[Claim]:
    """A table's total rows against the rows they add up: "TOTALT", "Totalt regioner", ..."""
    claims, since_total = [], []
    items = [r for r in rows if not _TOTAL_LABEL.match(r.label)]
    for r in rows:
        if r in items:
            since_total.append(r)
            continue
        if r.role == "whole":
            parts, how = items, "table grand total"
        elif r.scope and _TOTAL_LABEL.sub("", r.label).strip():
            parts, how = [i for i in items if i.scope == r.scope], "table subtotal"
        else:
            parts, how = since_total, "table total"
            since_total = []
        if parts:
            claims.append(Claim("sum", r, tuple(parts), scope=r.scope, how=how))
    return claims


def _list_claims(statements: list[MoneyStatement]) -> list[Claim]:
    """Each list against the amount that introduces it, or as a group of one level's parts."""
    by_list: dict[tuple[str, int], list[MoneyStatement]] = {}
    for s in statements:
        if s.list_id is not None and s.role == "amount" and s.cue_id is None:
            by_list.setdefault((s.source_file, s.list_id), []).append(s)
    claims = []
    for (source, list_id), items in by_list.items():
        intro = [s for s in statements if s.source_file == source and s.intro_of == list_id]
        if intro:
            # The amount that announces the list: of those before its colon, the one nearest
            # to what its items add up to, the last on a tie ("Den första delen om 1 miljard
            # av totalt 2 miljarder fördelas enligt följande:" announces 1 miljard).
            total = sum(i.value for i in items)
            chosen = min(reversed(intro), key=lambda s: abs(s.value - total))
            claims.append(Claim("sum", chosen, tuple(items), scope=chosen.scope, how="list"))
        else:
            scopes = {i.scope for i in items}
            scope = scopes.pop() if len(scopes) == 1 else None
            claims.append(Claim("group", None, tuple(items), scope=scope, how="list"))
    return claims


def _cue_claims(statements: list[MoneyStatement]) -> list[Claim]:
    """A total ("totalt X") against the parts after its "varav" / "Av dessa medel" cue."""
    cue_groups: dict[tuple[str, int], list[MoneyStatement]] = {}
    for s in statements:
        if s.cue_id is not None and s.role not in ("rate", "approximate"):
            cue_groups.setdefault((s.source_file, s.cue_id), []).append(s)
    claims = []
    for (source, _), parts in cue_groups.items():
        before = [s for s in statements if s.source_file == source and s.block == parts[0].block
                  and s.start < parts[0].start and s.cue_id is None and s.role != "rate"]
        if not before or not before[-1].total_cue:
            continue
        single = len(parts) == 1
        claims.append(Claim("sum", before[-1], tuple(parts), scope=before[-1].scope,
                            open=single or parts[0].cue == "varav", how=parts[0].cue))
    return claims


def statements_to_claims(statements: Iterable[MoneyStatement]) -> list[Claim]:
    """Claims the statements make: totals against their parts, lists and tables against their
    sums, and every other amount on its own (rates apart), so that none is lost."""
    statements = list(statements)
    by_table: dict[tuple[str, int], list[MoneyStatement]] = {}
    for s in statements:
        if s.table_id is not None:
            by_table.setdefault((s.source_file, s.table_id), []).append(s)
    claims: list[Claim] = []
    for rows in by_table.values():
        claims.extend(_table_claims(rows))
    claims += _list_claims(statements) + _cue_claims(statements)
    totals = {c.total.id for c in claims if c.total is not None}
    for s in statements:
        if s.role == "rate":
            claims.append(Claim("rate", s, scope=s.scope, how="per-unit rate"))
        elif s.id not in totals:
            claims.append(Claim("amount", s, scope=s.scope, how=s.role))
    return claims
