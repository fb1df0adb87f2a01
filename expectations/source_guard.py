"""The fingerprint by which a patch of a library recognises the code it was written against.

``source_hash`` is the sha256 (first 16 hex digits) of a function's source as ``inspect`` reads
it. Reading it puts the whole file in ``linecache`` (pandas' frame.py alone is 1.5 MB of
lines, kept by every process that checks a case); the lines read here are dropped again.
"""

from __future__ import annotations

import hashlib
import inspect
import linecache
from typing import Any


def source_hash(function: Any) -> str | None:
    """sha256 of function's source (16 hex digits), or None when it has none to read."""
    cached = set(linecache.cache)
    try:
        source = inspect.getsource(function)
    except (OSError, TypeError):
        return None
    finally:
        for name in set(linecache.cache) - cached:
            linecache.cache.pop(name, None)
    return hashlib.sha256(source.encode()).hexdigest()[:16]
