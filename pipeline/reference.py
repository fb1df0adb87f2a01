"""SCB's kommun and län code lists as shipped with the tool, and the name normalisation they need.

The data live in ``extractors/vocabulary/scb/kommun.csv`` and ``.../scb/lan.csv`` (valid 2024,
source and validity in each file's header comment). Region and län share the 2-digit codes; the
region level also knows the organisation and landsting names, the län level the county names.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from extractors.errors import SettingsError
from extractors.vocabulary import SCB_DIR

LEVELS = ("kommun", "region", "lan")
LEVEL_LABELS = {"kommun": "kommun", "region": "region", "lan": "län"}
REFERENCE_DIR = SCB_DIR  # the readers tell a code column by the same lists
CODE_WIDTH = {"kommun": 4, "region": 2, "lan": 2}

# Words that say what kind of body a name is, dropped to reach the place name ("Falu kommun").
# Spelled folded (see fold) and compared with folded words, so "Jamtlands lan" counts too.
DROP_WORDS = {
    "kommun": frozenset({"kommun", "kommunen", "stad", "staden"}),
    "region": frozenset({"region", "regionen", "lan", "lans", "landsting", "landstinget", "i"}),
    "lan": frozenset({"region", "regionen", "lan", "lans", "landsting", "landstinget", "i"}),
}
# Words that name a body of the other level: "Stockholms län" is never a kommun.
FOREIGN_WORDS = {
    "kommun": frozenset({"lan", "lans", "landsting", "landstinget", "region", "regionen"}),
    "region": frozenset({"kommun", "kommunen", "stad", "staden"}),
    "lan": frozenset({"kommun", "kommunen", "stad", "staden"}),
}
GLUED_SUFFIX = "regionen"  # "Västra Götalandsregionen"

_DASHES = re.compile(r"[\-\u2010\u2011\u2012\u2013\u2014\u2212]")
_QUOTES = re.compile(r"[\"'`\u2018\u2019\u201a\u201c\u201d\u201e\u00ab\u00bb]")
_EDGE_PUNCT = ".,;:*()[]†‡¹²³⁴⁵⁶⁷⁸⁹⁰"  # footnote marks after a name ("Stockholm¹") too
_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "è": "e", "ü": "u", "æ": "a",
                       "ø": "o"})


@dataclass(frozen=True)
class Place:
    """One kommun or län/region with every form of its name the reference data know."""

    code: str
    name: str  # SCB's short name, as printed in Bilaga 1
    forms: tuple[str, ...]  # full names documents print: organisation, county, landsting, aliases
    stems: tuple[str, ...]  # place-name stems before "kommun"/"län": genitives ("Falu")


def check_level(level: str) -> str:
    """Return level unchanged when it is one of LEVELS, else raise SettingsError."""
    if level not in LEVELS:
        raise SettingsError(f"level must be one of {', '.join(LEVELS)}; got {level!r}")
    return level


def normalize_name(text: str | None) -> str:
    """Lower-case a printed name and unify whitespace, hyphens and quotes ("Upplands-Bro")."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text).casefold()
    text = _QUOTES.sub("", _DASHES.sub(" ", text))
    return " ".join(text.split()).strip(_EDGE_PUNCT + " ")


def fold(text: str) -> str:
    """Fold Swedish letters to ASCII (å→a, ä→a, ö→o, é→e) in an already normalised name."""
    return text.translate(_FOLD)


def strip_body_words(key: str, level: str) -> str:
    """Drop the words naming the body ("kommun", "Region", "län", "landstinget", "-regionen")."""
    drop = DROP_WORDS[level]
    words = [w for w in key.split() if fold(w) not in drop]
    if level != "kommun" and words and words[-1].endswith(GLUED_SUFFIX):
        words[-1] = words[-1][: -len(GLUED_SUFFIX)]
    return " ".join(w for w in words if w)


def has_foreign_words(key: str, level: str) -> bool:
    """True when a normalised name names a body of another level ("Stockholms län" as kommun)."""
    return any(fold(w) in FOREIGN_WORDS[level] for w in key.split())


def normalize_code(level: str, code: str | None) -> str | None:
    """A printed code zero-padded to its level's width ("1" → "01", "114" → "0114"), or None."""
    if code is None:
        return None
    digits = "".join(str(code).split())
    if not digits.isdigit() or len(digits) > CODE_WIDTH[level]:
        return None
    return digits.zfill(CODE_WIDTH[level])


def _rows(file_name: str) -> list[dict[str, str]]:
    with (REFERENCE_DIR / file_name).open(encoding="utf-8", newline="") as fh:
        lines = [line for line in fh if not line.startswith("#")]
    return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(lines)]


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split("|") if part.strip())


@cache
def places(level: str) -> tuple[Place, ...]:
    """Every kommun (290) or län/region (21) of a level, loaded once from the shipped CSVs."""
    check_level(level)
    if level == "kommun":
        return tuple(
            Place(r["scb_code"], r["name"], (r["org_name"], *_split(r["aliases"])),
                  (r["genitive"],))
            for r in _rows("kommun.csv")
        )
    result = []
    for r in _rows("lan.csv"):
        county_stem = r["county_name"].removesuffix(" län")
        aliases = _split(r["aliases"])
        if level == "region":
            forms = (r["region_name"], *_split(r["landsting_names"]), *aliases)
        else:
            forms = (r["county_name"], *aliases)
        result.append(Place(r["lan_code"], r["name"], forms, (county_stem,)))
    return tuple(result)


@cache
def _names(level: str) -> dict[str, str]:
    return {p.code: p.name for p in places(level)}


def official_name(level: str, code: str) -> str | None:
    """SCB's name for a code at a level ("0305" → "Håbo"), or None when it is no such code."""
    return _names(check_level(level)).get(code)


@cache
def reference_codes(level: str) -> frozenset[str]:
    """All valid codes of a level: 290 kommun codes, or the 21 län codes for region and lan
    (made once per level: the resolver asks for them with every name)."""
    return frozenset(_names(check_level(level)))


def read_overrides(path: Path) -> dict[tuple[str, str], str]:
    """An auditor's pins from a CSV with columns level,name,scb_code ('#' lines are comments)."""
    path = Path(path)
    if not path.is_file():
        raise SettingsError(f"{path}: no such overrides file; give a CSV with level,name,scb_code")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SettingsError(f"{path}: the overrides file cannot be read ({exc.strerror}); "
                            "give a CSV you may read") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise SettingsError(
            f"{path}, line {line}: not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the CSV "
            "as UTF-8 (in Excel: \"CSV UTF-8\") and run again") from None
    lines = io.StringIO(text, newline="")
    reader = csv.DictReader(line for line in lines if not line.lstrip().startswith("#"))
    if reader.fieldnames is None or not {"level", "name", "scb_code"} <= set(reader.fieldnames):
        raise SettingsError(f"{path}: the header must be level,name,scb_code")
    pins: dict[tuple[str, str], str] = {}
    for line, row in enumerate(reader, start=2):
        pins.update([_override_row(path, line, row, pins)])
    return pins


def _override_row(
    path: Path, line: int, row: dict, pins: dict[tuple[str, str], str]
) -> tuple[tuple[str, str], str]:
    level = (row.get("level") or "").strip()
    if level not in LEVEL_LABELS:
        raise SettingsError(f"{path}, line {line}: level must be kommun, region or lan")
    key = normalize_name(row.get("name"))
    code = normalize_code(level, row.get("scb_code"))
    if not key or code not in reference_codes(level):
        raise SettingsError(
            f"{path}, line {line}: give a name and a valid {LEVEL_LABELS[level]} code, "
            f"got {row.get('name')!r} and {row.get('scb_code')!r}"
        )
    if pins.get((level, key), code) != code:
        raise SettingsError(f"{path}, line {line}: {row['name']!r} is pinned twice; keep one")
    return (level, key), code
