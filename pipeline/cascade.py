"""Names and printed codes to SCB codes: a level-aware cascade that never guesses.

Each name goes through named steps, the first that decides wins and is reported as ``method``:
``override`` (an auditor's pin), ``code`` (a valid printed code), ``exact`` (after normalising case,
whitespace, hyphens and quotes), ``known_form`` (body words such as "kommun", "Region", "län"
dropped, and the genitive -s where the stem is a known name), ``folded`` (å→a, ä→a, ö→o, é→e, only
when one candidate is left), ``fuzzy`` (rapidfuzz, with a cutoff and a margin over the runner-up).
Anything else is ``unresolved``: no code, the closest candidates. Ambiguity is never resolved.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from errors import SettingsError, check_settings, setting
from pipeline.reference import (
    LEVEL_LABELS,
    check_level,
    fold,
    has_foreign_words,
    normalize_code,
    normalize_name,
    official_name,
    places,
    read_overrides,
    reference_codes,
    strip_body_words,
)

DEFAULT_SCORE_CUTOFF = 85.0  # fuzzy: lowest accepted score (0-100)
DEFAULT_MARGIN = 8.0  # fuzzy: how far the best code must lead the runner-up
DEFAULT_MAX_CANDIDATES = 3  # candidates reported with an unresolved or fuzzy match
DEFAULT_FUZZY_POOL = 15  # name forms short-listed by rapidfuzz before ranking codes


@dataclass(frozen=True)
class ResolverSettings:
    """Thresholds of the fuzzy step and how many candidates a match reports."""

    score_cutoff: float = setting(DEFAULT_SCORE_CUTOFF, at_least=50, at_most=100)
    margin: float = setting(DEFAULT_MARGIN, at_least=0, below=50)
    max_candidates: int = setting(DEFAULT_MAX_CANDIDATES, at_least=1)
    fuzzy_pool: int = setting(DEFAULT_FUZZY_POOL, at_least=1)

    def __post_init__(self) -> None:
        check_settings(self)
        if self.fuzzy_pool < self.max_candidates:
            raise SettingsError(
                f"fuzzy_pool must be at least max_candidates ({self.max_candidates}), "
                f"got {self.fuzzy_pool}"
            )


@dataclass(frozen=True)
class Candidate:
    """A code the name might mean, with its similarity score (0-100)."""

    scb_code: str
    scb_name: str
    score: float

    def to_dict(self) -> dict:
        return {"scb_code": self.scb_code, "scb_name": self.scb_name, "score": self.score}


@dataclass(frozen=True)
class Match:
    """What a name resolved to at a level, by which step, and the runners-up."""

    input: str
    level: str
    scb_code: str | None
    scb_name: str | None
    method: str  # override, code, exact, known_form, folded, fuzzy or unresolved
    score: float
    candidates: tuple[Candidate, ...] = ()

    @property
    def resolved(self) -> bool:
        return self.scb_code is not None

    def to_dict(self) -> dict:
        """The contract's JSON object for `reconcile resolve`."""
        return {
            "input": self.input,
            "level": self.level,
            "scb_code": self.scb_code,
            "scb_name": self.scb_name,
            "method": self.method,
            "score": float(self.score),
            "candidates": [c.to_dict() for c in self.candidates],
        }


@dataclass(frozen=True)
class _LevelIndex:
    """Lookup tables of one level, built once from the reference data."""

    exact: dict[str, frozenset[str]]  # normalised full forms and names
    stems: dict[str, frozenset[str]]  # forms with body words dropped, names, genitives
    folded: dict[str, frozenset[str]]  # folded stems
    choices: tuple[str, ...]  # stems, for fuzzy matching
    folded_choices: tuple[str, ...]
    choice_codes: tuple[str, ...]
    by_code: dict[str, tuple[int, ...]]  # positions in choices of each code's stems


def _add(index: dict[str, set[str]], key: str, code: str) -> None:
    if key:
        index.setdefault(key, set()).add(code)


@cache
def _level_index(level: str) -> _LevelIndex:
    exact: dict[str, set[str]] = {}
    stems: dict[str, set[str]] = {}
    for place in places(level):
        for form in (place.name, *place.forms):
            _add(exact, normalize_name(form), place.code)
            _add(stems, strip_body_words(normalize_name(form), level), place.code)
        for stem in place.stems:
            _add(stems, normalize_name(stem), place.code)
    folded: dict[str, set[str]] = {}
    for key, codes in stems.items():
        for code in codes:
            _add(folded, fold(key), code)
    pairs = sorted((key, code) for key, codes in stems.items() for code in codes)
    by_code: dict[str, list[int]] = {}
    for i, (_, code) in enumerate(pairs):
        by_code.setdefault(code, []).append(i)
    return _LevelIndex(
        exact={k: frozenset(v) for k, v in exact.items()},
        stems={k: frozenset(v) for k, v in stems.items()},
        folded={k: frozenset(v) for k, v in folded.items()},
        choices=tuple(k for k, _ in pairs),
        folded_choices=tuple(fold(k) for k, _ in pairs),
        choice_codes=tuple(c for _, c in pairs),
        by_code={code: tuple(positions) for code, positions in by_code.items()},
    )


def _lookup(index: dict[str, frozenset[str]], key: str, genitive: bool) -> frozenset[str]:
    """Codes for a stem; with genitive, also the stem without its -s when that is a known name."""
    codes = index.get(key, frozenset())
    if not codes and genitive and key.endswith("s"):
        codes = index.get(key[:-1], frozenset())
    return codes


class Resolver:
    """Resolves printed names (and codes) to SCB codes; build once, call resolve many times."""

    def __init__(
        self, settings: ResolverSettings | None = None, overrides: Path | None = None
    ) -> None:
        self.settings = settings or ResolverSettings()
        self.overrides = read_overrides(overrides) if overrides is not None else {}
        for level in LEVEL_LABELS:
            _level_index(level)  # build the lookup tables now, not on the first name

    def resolve(self, name: str, level: str, code: str | None = None) -> Match:
        """The SCB code a printed name (and optional printed code) stands for at a level."""
        check_level(level)
        key = normalize_name(name)
        pinned = self.overrides.get((level, key))
        if pinned is not None:
            return _decided(name, level, pinned, "override", 100.0)
        printed = normalize_code(level, code)
        if printed in reference_codes(level):
            return _decided(name, level, printed, "code", 100.0)
        if not key:
            return Match(name, level, None, None, "unresolved", 0.0)
        return self._resolve_key(name, key, level)

    def _resolve_key(self, name: str, key: str, level: str) -> Match:
        index = _level_index(level)
        codes = index.exact.get(key, frozenset())
        if len(codes) == 1:
            return _decided(name, level, next(iter(codes)), "exact", 100.0)
        stem = strip_body_words(key, level)
        if codes or has_foreign_words(key, level) or not stem:
            return self._unresolved(name, level, self._ranked(stem or key, level), codes)
        genitive = stem != key  # a body word was dropped: "Skånes län", "Bergs kommun"
        for method, codes in (
            ("known_form", _lookup(index.stems, stem, genitive)),
            ("folded", index.folded.get(fold(stem), frozenset())),
        ):
            if len(codes) == 1:
                code = next(iter(codes))
                score = 100.0 if method == "known_form" else _plain_score(stem, code, level)
                return _decided(name, level, code, method, score)
            if codes:
                return self._unresolved(name, level, self._ranked(stem, level), codes)
        return self._fuzzy(name, stem, level, self._ranked(stem, level))

    def _ranked(self, query: str, level: str) -> list[Candidate]:
        """Codes by similarity: the mean of rapidfuzz's ratio on plain and on folded letters."""
        index = _level_index(level)
        pool = process.extract(
            fold(query), index.folded_choices, scorer=fuzz.ratio, limit=self.settings.fuzzy_pool
        )
        best: dict[str, float] = {}
        for _, folded_score, i in pool:
            score = round((folded_score + fuzz.ratio(query, index.choices[i])) / 2, 1)
            code = index.choice_codes[i]
            best[code] = max(best.get(code, 0.0), score)
        order = sorted(best.items(), key=lambda item: (-item[1], item[0]))
        return [Candidate(c, official_name(level, c) or "", s) for c, s in order]

    def _fuzzy(self, name: str, stem: str, level: str, ranked: list[Candidate]) -> Match:
        """Accept the best code only when it is close, leads by the margin, and is fewer edits
        away than the runner-up (so "Sola" stays between Solna and Sala)."""
        top = ranked[0] if ranked else None
        second = ranked[1] if len(ranked) > 1 else None
        if (
            top is not None
            and top.score >= self.settings.score_cutoff
            and top.score - (second.score if second else 0.0) >= self.settings.margin
            and (second is None or _edits(stem, top.scb_code, level)
                 < _edits(stem, second.scb_code, level))
        ):
            shown = tuple(ranked[: self.settings.max_candidates])
            return Match(name, level, top.scb_code, top.scb_name, "fuzzy", top.score, shown)
        return self._unresolved(name, level, ranked, frozenset())

    def _unresolved(
        self, name: str, level: str, ranked: list[Candidate], tied: frozenset[str]
    ) -> Match:
        """No code; the tied codes of an ambiguous step first, then the closest others."""
        first = [c for c in ranked if c.scb_code in tied]
        first += [
            Candidate(code, official_name(level, code) or "", 0.0)
            for code in sorted(tied - {c.scb_code for c in first})
        ]
        rest = [c for c in ranked if c.scb_code not in tied]
        shown = tuple((first + rest)[: max(self.settings.max_candidates, len(first))])
        return Match(name, level, None, None, "unresolved", shown[0].score if shown else 0.0, shown)


def _decided(name: str, level: str, code: str, method: str, score: float) -> Match:
    return Match(name, level, code, official_name(level, code), method, score)


def _plain_score(stem: str, code: str, level: str) -> float:
    """How close a folded match is before folding: ratio to the code's nearest stem."""
    index = _level_index(level)
    return round(max(fuzz.ratio(stem, index.choices[i]) for i in index.by_code[code]), 1)


def _edits(stem: str, code: str, level: str) -> int:
    """Fewest letter edits (folded) from a stem to any stem of the code."""
    index = _level_index(level)
    folded = fold(stem)
    return min(Levenshtein.distance(folded, index.folded_choices[i]) for i in index.by_code[code])
