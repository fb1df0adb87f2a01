"""The report's words: a title and a glossary line per check (pipeline/assets/report_words.toml),
labels, Swedish numbers, plurals."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

NBSP = "\u00a0"
MINUS = "\u2212"

WORDS_FILE = Path(__file__).parent / "assets" / "report_words.toml"
_WORDS = tomllib.loads(WORDS_FILE.read_text(encoding="utf-8"))
# check id: (section title, what the check verifies or what the finding lists, in one line)
CHECKS: dict[str, tuple[str, str]] = {
    check: (words["title"], words.get("verifies") or words["lists"])
    for check, words in _WORDS["checks"].items()}
# The checks whose line says what a kind of finding lists rather than what a check verifies.
LISTS = frozenset(check for check, words in _WORDS["checks"].items() if "lists" in words)
# Decision metadata keys as the report labels them.
METADATA_LABELS: dict[str, str] = _WORDS["metadata"]
# The stated-totals table's result words.
RESULTS: dict[str, str] = _WORDS["results"]
# Between digit groups of a number ("129 530 375") and before its unit ("375 kr"): a plain
# space in the findings' messages (machine-readable), a no-break space on the page and in the
# workbook, so an amount never breaks over two lines nor leaves its unit behind.
DIGIT_GROUP_SPACE = re.compile(r"(?<=\d) (?=\d{3}(?!\d)|(?:kr|Mkr|tkr|%)(?!\w))")


def title(check: str) -> str:
    return CHECKS.get(check, (check.replace("_", " ").capitalize(), ""))[0]


def glossary(check: str) -> str:
    return CHECKS.get(check, ("", ""))[1]


def glossary_sentence(check: str) -> str:
    """"Checks that …." for a check, "Lists …." for a kind of finding; '' when unknown."""
    line = glossary(check)
    if not line:
        return ""
    return f"{'Lists' if check in LISTS else 'Checks that'} {line}."


def metadata_label(key: str) -> str:
    return METADATA_LABELS.get(key, key.replace("_", " "))


def plural(count: int, word: str, many: str | None = None) -> str:
    """'1 note', '2 notes'; with many, an irregular plural ('1 kommun', '2 kommuner')."""
    return f"{number(count)} {word if count == 1 else (many or word + 's')}"


def number(value, decimals: int | None = None) -> str:
    """A number the Swedish way: no-break-space thousands, decimal comma, a real minus sign."""
    if value is None:
        return "–"
    x = float(value)
    if decimals is None:
        x = round(x, 3)
        decimals = 0 if x == int(x) else len(f"{x:.3f}".rstrip("0").split(".")[1])
    text = f"{abs(x):,.{decimals}f}".replace(",", NBSP).replace(".", ",")
    return (MINUS if x < 0 and float(text.replace(NBSP, "").replace(",", ".")) else "") + text


def kr(value) -> str:
    """An amount the Swedish way: 129 530 375 kr; öre shown only when printed (0,50 kr)."""
    if value is None:
        return "–"
    x = round(float(value), 2)
    return f"{number(x, 0 if x == int(x) else 2)}{NBSP}kr"


def with_unit(value, unit: str | None) -> str:
    """A finding's number in its unit: kronor, percent, or a count."""
    if value is None:
        return "–"
    if unit == "kr":
        return kr(value)
    if unit == "%":
        return f"{number(value)}{NBSP}%"
    if unit in (None, "count"):
        return number(value)
    return f"{number(value)}{NBSP}{unit}"


def on_page(text: str) -> str:
    """A message as the report prints it: digit groups and unit held together by no-break
    spaces."""
    return DIGIT_GROUP_SPACE.sub(NBSP, text)
