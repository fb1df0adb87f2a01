"""Settings of the validation suites: one validated frozen dataclass with DEFAULT_* constants."""

from __future__ import annotations

from dataclasses import dataclass

from errors import SettingsError

SUITE_NAMES = (
    "cross_footing",
    "footing",
    "coverage",
    "amounts",
    "allocation_key",
    "formats_agree",
)

# Each printed amount is a real number rounded to a whole unit: it is off by at most half a unit.
DEFAULT_HALF_UNIT = 0.5
# Printed units and their size in kronor; an unknown unit counts as kronor.
DEFAULT_UNIT_FACTORS: tuple[tuple[str, int], ...] = (("kr", 1), ("tkr", 1_000), ("mkr", 1_000_000))
# An allocation key is checked only when at least this share of its rows fit it ...
DEFAULT_KEY_MIN_INLIER_SHARE = 0.6
# ... and at least this many rows are there to fit it on.
DEFAULT_KEY_MIN_ROWS = 5
# First pass of a key fit: rows whose residual exceeds this many robust scales are left out.
DEFAULT_KEY_OUTLIER_SCALE = 4.0
# A key found in the numbers is accepted when at most this share of its rows break it (at least
# one row may always break it).
DEFAULT_KEY_MAX_BROKEN_SHARE = 0.15
# Groups of codes that may get a fixed amount of their own (data, not headers): storstadslänen.
DEFAULT_KEY_CODE_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("storstadslänen", ("01", "12", "14")),
)
# Coverage: a table that leaves out at most this many official codes claims the whole country.
DEFAULT_COVERAGE_NEAR_ALL = 2
# Words in a table's title, headers or text that claim the whole country.
DEFAULT_WHOLE_COUNTRY_WORDS: tuple[str, ...] = (
    "landets regioner", "landets kommuner", "landets län", "samtliga regioner",
    "samtliga kommuner", "samtliga län", "alla regioner", "alla kommuner", "alla län",
    "hela landet", "samtliga 21", "samtliga 290", "alla 21", "alla 290",
)
# Words that introduce the recipients a text leaves out.
DEFAULT_EXCEPTION_WORDS: tuple[str, ...] = (
    "utom", "förutom", "undantag", "undantagna", "exkl", "exklusive", "inte", "ej",
    "undantas", "ingår inte",
)
# A percent column is a distribution (checked to add up to 100 %) when its shares add up to
# within this many percentage points of 100, or its total row prints 100 %; else it is a rate.
DEFAULT_SHARE_DISTRIBUTION_MARGIN = 5.0
# Two documents' tables of one kind and place are copies of one table (the PDF and the DOCX of
# one annex, compared cell for cell) when at least this share of the cells either prints are
# the same amount (or their titles are the same; expectations/copies.py).
DEFAULT_COPY_MIN_EQUAL_SHARE = 0.5
DEFAULT_SUITES = SUITE_NAMES


@dataclass(frozen=True)
class SuiteSettings:
    """What the suites run and how tolerant they are; every field has a DEFAULT_* constant."""

    half_unit: float = DEFAULT_HALF_UNIT
    unit_factors: tuple[tuple[str, int], ...] = DEFAULT_UNIT_FACTORS
    key_min_inlier_share: float = DEFAULT_KEY_MIN_INLIER_SHARE
    key_min_rows: int = DEFAULT_KEY_MIN_ROWS
    key_outlier_scale: float = DEFAULT_KEY_OUTLIER_SCALE
    key_max_broken_share: float = DEFAULT_KEY_MAX_BROKEN_SHARE
    key_code_groups: tuple[tuple[str, tuple[str, ...]], ...] = DEFAULT_KEY_CODE_GROUPS
    coverage_near_all: int = DEFAULT_COVERAGE_NEAR_ALL
    whole_country_words: tuple[str, ...] = DEFAULT_WHOLE_COUNTRY_WORDS
    exception_words: tuple[str, ...] = DEFAULT_EXCEPTION_WORDS
    share_distribution_margin: float = DEFAULT_SHARE_DISTRIBUTION_MARGIN
    copy_min_equal_share: float = DEFAULT_COPY_MIN_EQUAL_SHARE
    suites: tuple[str, ...] = DEFAULT_SUITES

    def __post_init__(self) -> None:
        if not 0 <= self.half_unit <= 1:
            raise SettingsError(f"half_unit must be between 0 and 1, got {self.half_unit!r}")
        if not self.unit_factors or any(f <= 0 for _, f in self.unit_factors):
            raise SettingsError(
                "unit_factors must map each unit name to a positive number of kronor")
        if not 0 < self.key_min_inlier_share <= 1:
            raise SettingsError(
                f"key_min_inlier_share must be in (0, 1], got {self.key_min_inlier_share!r}"
            )
        if self.key_min_rows < 3:
            raise SettingsError(f"key_min_rows must be at least 3, got {self.key_min_rows!r}")
        if self.key_outlier_scale <= 0:
            raise SettingsError(
                f"key_outlier_scale must be positive, got {self.key_outlier_scale!r}"
            )
        if not 0 <= self.key_max_broken_share < 0.5:
            raise SettingsError(
                f"key_max_broken_share must be in [0, 0.5), got {self.key_max_broken_share!r}")
        if not 0 < self.copy_min_equal_share <= 1:
            raise SettingsError(
                f"copy_min_equal_share must be in (0, 1], got {self.copy_min_equal_share!r}")
        if self.coverage_near_all < 0:
            raise SettingsError(f"coverage_near_all must be >= 0, got {self.coverage_near_all!r}")
        unknown = [s for s in self.suites if s not in SUITE_NAMES]
        if unknown:
            raise SettingsError(f"unknown suites {unknown}; choose from {', '.join(SUITE_NAMES)}")

    def unit_factor(self, unit: str | None) -> int:
        """Kronor per printed unit ("kr" 1, "tkr" 1 000, "Mkr" 1 000 000); unknown units are kr."""
        key = (unit or "kr").strip().casefold()
        return dict(self.unit_factors).get(key, 1)
