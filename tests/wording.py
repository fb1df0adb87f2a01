"""What no sentence printed to people may hold: the classes of wording slips the report,
workbook and findings.json once showed ("0.025 kr", "1 rows", "the 0 recipient rows",
"they add up to .", "the lan table", "table(s)", "None"). Quoted document text («…», '…',
“…”) is left out: it is printed as the document prints it.
"""

from __future__ import annotations

import re

_QUOTED = re.compile(r"«[^»]*»|“[^”]*”|'[^']*'")
_FILE = re.compile(r"\S+\.(?:pdf|docx|html?|txt|md)\b", re.I)
# Nouns a count is put before in the messages; "1 <noun>s" is a missed singular.
_COUNTED = ("rows|amounts|notes|documents|tables|parts|recipients|lines|problems|findings|cells"
            "|columns|codes|values|shares|statements|times|kommuner|regioner|pages|blocks")
SLIPS = {
    "decimal point in a number": re.compile(r"\d\.\d"),
    "plural after 1": re.compile(
        rf"(?<!\d )(?<!\d\u00a0)(?<![\d,])\b1 (?:recipient |other |more )?(?:{_COUNTED})\b"),
    "a count of none said as a number": re.compile(
        r"\b[Tt]he 0 (?!kr\b)[a-zåäö]|\b0 (?:recipient )?rows\b"),
    "a plural left open": re.compile(r"\w\(s\)"),
    "an empty list": re.compile(r"\b(?:to|of|are|is|in|from|as)\s+[.;:,)]|\(\s*\)|\s\.(?:\s|$)"),
    "a table kind's id": re.compile(
        r"(?<![\w/.-])lan(?: table\b|\))|\(lan\b|\b[Tt]he other table\b"),
    "a missing value": re.compile(r"\bNone\b|\bnan\b|\bNaN\b"),
}


def slips(message: str) -> list[str]:
    """The kinds of slip in one message, with the part that shows it."""
    text = _FILE.sub("FILE", _QUOTED.sub("QUOTE", message))
    return [f"{kind}: …{text[max(0, m.start() - 30):m.end() + 30]}…"
            for kind, rx in SLIPS.items() for m in rx.finditer(text)]


def findings_slips(findings: list[dict]) -> list[str]:
    """Every slip in a findings.json's messages, each with its check."""
    return [f"{f['check']}: {s}" for f in findings for s in slips(f["message"])]
