"""The stated amounts and claims the reconciliation takes, as plain data, and how amounts are
written in its messages."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields

from expectations.messages import fmt_kr


@dataclass(frozen=True)
class Stated:
    """One amount as printed, reduced to what reconciliation needs."""

    id: str
    value: float
    text: str
    unit: str
    precision: float
    context: str
    source_file: str
    page: int | None = None
    role: str = "amount"
    scope: str | None = None
    words: tuple[str, ...] = ()  # folded content words of its clause (extractors.phrases)
    label: str = ""
    list_id: int | None = None
    scb_code: str | None = None
    total_cue: bool = False  # "totalt" before it, or "enligt bilaga 1" in its sentence
    rate_rule: str | None = None  # the per-recipient rule it is an amount of (extractors/rates)
    rate_group: str = ""  # the group that rate is for; "" for every other recipient
    rate_share: bool = False  # a fixed part per recipient, the rest shared by a key

    @classmethod
    def from_mapping(cls, d: Mapping) -> Stated:
        names = {f.name for f in fields(cls)}
        kept = {k: v for k, v in d.items() if k in names}
        kept["words"] = tuple(kept.get("words") or ())
        return cls(**kept)


@dataclass(frozen=True)
class StatedClaim:
    """A total and its parts ("sum"), parts only ("group"), one amount or a rate."""

    kind: str
    total: Stated | None
    parts: tuple[Stated, ...] = ()
    scope: str | None = None
    open: bool = False
    how: str = ""

    @classmethod
    def from_any(cls, obj: object) -> StatedClaim:
        if isinstance(obj, StatedClaim):
            return obj
        d = obj.to_dict() if hasattr(obj, "to_dict") else obj
        if not isinstance(d, Mapping):
            raise TypeError(f"a claim must be a mapping or have to_dict(), got {type(obj)!r}")
        total = Stated.from_mapping(d["total"]) if d.get("total") else None
        parts = tuple(Stated.from_mapping(p) for p in d.get("parts") or ())
        return cls(d["kind"], total, parts, d.get("scope"), bool(d.get("open")), d.get("how", ""))


def kr(value: float) -> str:
    """An amount as the messages print it: "1 527 000 000 kr", öre when there are ("0,03 kr")."""
    return fmt_kr(value)


def plain_number(x: float) -> str:
    """A number as kr() prints it, without the unit ("50,50", "1 000")."""
    return fmt_kr(x).removesuffix(" kr")


def stated_term(s: Stated, role: str) -> dict:
    """A statement as a term of a comparison (``related``): "stated" (the one compared) or
    "part" (one of the stated amounts it was compared with)."""
    return {"role": role, "statement": s.id, "text": s.text, "source_file": s.source_file,
            "page": s.page, "table": None, "scb_code": s.scb_code, "measure": None,
            "printed": s.value, "precision": s.precision}


def place(s: Stated) -> str:
    page = f", page {s.page}" if s.page else ""
    return f"{s.source_file}{page}"
