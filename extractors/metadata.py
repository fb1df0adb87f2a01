"""Decision metadata read from a document's text blocks: title, date, number, diarienummer, kind."""

from __future__ import annotations

import re
from collections.abc import Iterable

from extractors.base import TextBlock

TITLE_STARTS = ("Utbetalning av medel", "Överenskommelse mellan", "Överenskommelse om")
_DNR_RE = re.compile(r"\b(S\d{4}/\d{3,6})\b")
_DATE_RE = re.compile(r"\b(20\d\d-[01]\d-[0-3]\d)\b")
_SITTING_RE = re.compile(
    r"regeringssammanträde\s+(20\d\d-[01]\d-[0-3]\d)\s+nr\s+([IVX]{1,4}:\d{1,3})")
_NUMBER_RE = re.compile(r"(?<![\w:])([IVX]{1,4}:\d{1,3})(?![\w:])")
_AGREEMENT_SENTENCE_RE = re.compile(
    r"ingått en överenskommelse[^.]*?\((S\d{4}/\d{3,6})\)", re.IGNORECASE)

METADATA_KEYS = (
    "document_kind", "title", "decision_date", "number", "diarienummer", "agreement_diarienummer",
)


def _title(texts: list[str]) -> str | None:
    for text in texts:
        for start in TITLE_STARTS:
            i = text.find(start)
            if i >= 0:
                return text[i:][:400].strip()
    return None


def _kind(texts: list[str]) -> str:
    lowered = [t.lower() for t in texts]
    if any(t.startswith("regeringsbeslut") or "regeringens beslut" in t
           or "beslut vid regeringssammanträde" in t for t in lowered):
        return "regeringsbeslut"
    head = lowered[:3]
    if (any(t.startswith("överenskommelse") or "bakgrund till överenskommelsen" in t for t in head)
            or any(t.startswith("parterna") for t in lowered)):
        return "överenskommelse"
    return "other"


def text_to_metadata(blocks: Iterable[TextBlock]) -> dict[str, str]:
    """Metadata found in the text: document_kind always, other keys only when printed.

    Keys: document_kind (regeringsbeslut / överenskommelse / other), title, decision_date
    (ISO), number ("I:6"), diarienummer (this document's), agreement_diarienummer (the
    agreement a decision pays out, e.g. "S2023/03357").
    """
    texts = [b.text for b in blocks]
    joined = "\n".join(texts)
    meta: dict[str, str] = {"document_kind": _kind(texts)}
    title = _title(texts)
    if title:
        meta["title"] = title
    sitting = _SITTING_RE.search(joined)
    date = sitting[1] if sitting else (m[1] if (m := _DATE_RE.search(joined)) else None)
    number = sitting[2] if sitting else (m[1] if (m := _NUMBER_RE.search(joined)) else None)
    if date:
        meta["decision_date"] = date
    if number and meta["document_kind"] == "regeringsbeslut":
        meta["number"] = number
    agreement = _AGREEMENT_SENTENCE_RE.search(joined)
    if agreement:
        meta["agreement_diarienummer"] = agreement[1]
    own = [d for d in _DNR_RE.findall(joined) if d != meta.get("agreement_diarienummer")]
    if own:
        meta["diarienummer"] = own[0]
    return meta
