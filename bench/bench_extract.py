"""Benchmark of the PDF extractor against bare pdfplumber `extract_words`, measured in one run.

The baseline opens the 2024 decision and calls `extract_words` on every page; ours runs the
whole `extractors.pdf.extract` (words, lines, tables, frame, text blocks, metadata). The ratio
of the two is what matters (target: at most 0.2, issue #19), so the machine's speed
cancels out. Peak memory is traced separately (tracemalloc slows the code it watches).
"""

from __future__ import annotations

import gc
import resource
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pdfplumber

from extractors import pdf
from extractors.text_cache import clear_text_caches

ROOT = Path(__file__).resolve().parent.parent
DOCUMENT = ROOT / "fixtures" / "cases" / "2024-psykisk-halsa" / "regeringsbeslut-2024-I6.pdf"
DEFAULT_REPEATS = 3
TARGET_RATIO = 0.2  # issue #19: reading at pdfium speed
TARGET_PEAK_MB = 250.0


def baseline(path: Path) -> int:
    """Bare pdfplumber: every page's words with default settings; returns the word count."""
    count = 0
    with pdfplumber.open(path) as document:
        for page in document.pages:
            count += len(page.extract_words())
            page.flush_cache()
    return count


def ours(path: Path) -> int:
    """The full PDF extraction; returns the number of allocation cells read."""
    return pdf.extract(path).allocations.height


def _best_seconds(function: Callable[[Path], int], path: Path, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        clear_text_caches()  # a cold reading: nothing learnt from the repeat before
        gc.collect()
        start = time.perf_counter()
        function(path)
        times.append(time.perf_counter() - start)
    return min(times)


def _peak_mb(function: Callable[[Path], int], path: Path) -> float:
    clear_text_caches()
    gc.collect()
    tracemalloc.start()
    try:
        function(path)
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def bench_extract(path: Path = DOCUMENT, repeats: int = DEFAULT_REPEATS) -> dict:
    """Seconds per page and peak traced MB of ours and of the baseline, and their ratios."""
    with pdfplumber.open(path) as document:
        pages = len(document.pages)
    base_s = _best_seconds(baseline, path, repeats)
    ours_s = _best_seconds(ours, path, repeats)
    base_mb = _peak_mb(baseline, path)
    ours_mb = _peak_mb(ours, path)
    ratio = ours_s / base_s
    return {
        "pages": pages,
        "baseline_s_per_page": round(base_s / pages, 4),
        "ours_s_per_page": round(ours_s / pages, 4),
        "time_ratio": round(ratio, 3),
        "time_target_met": ratio <= TARGET_RATIO,
        "baseline_peak_mb": round(base_mb, 1),
        "ours_peak_mb": round(ours_mb, 1),
        "peak_target_met": ours_mb < TARGET_PEAK_MB,
        "process_max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


if __name__ == "__main__":
    for key, value in bench_extract().items():
        print(f"{key}: {value}")
