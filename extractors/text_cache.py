"""Per-process caches of pure functions of one printed text.

A table's cells are classified many times over (rows, columns, fates, notations), and a batch
meets the same labels again and again. Each cache is bounded, so a hostile document cannot grow
it without limit; `clear_text_caches` empties them all (benchmarks time a cold reading).
"""

from __future__ import annotations

from functools import lru_cache
from typing import TypeVar

TEXT_CACHE_SIZE = 1 << 16
_TEXT_CACHES: list = []
_F = TypeVar("_F")


def text_cache(function: _F) -> _F:
    """`function` (pure, of hashable texts) cached per process, bounded by TEXT_CACHE_SIZE."""
    cached = lru_cache(maxsize=TEXT_CACHE_SIZE)(function)
    _TEXT_CACHES.append(cached)
    return cached


def clear_text_caches() -> None:
    """Empty every text cache (benchmarks time a cold reading with it)."""
    for cached in _TEXT_CACHES:
        cached.cache_clear()
