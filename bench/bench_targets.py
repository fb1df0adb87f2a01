"""The speed targets of issue #19 beside their figures, all measured in one run.

Every figure that depends on the machine is a ratio of two measurements made here, or a time
per case taken from the same batch; on a shared machine the absolute numbers are noisy, the
ratios much less so.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from bench.bench_pipeline import timed

ROOT = Path(__file__).resolve().parent.parent
ANNEX = ROOT / "fixtures" / "defects" / "kommun-row-missing" / "bilaga1.pdf"
WORDS_ONLY = ("import sys, pdfplumber\n"
              "with pdfplumber.open(sys.argv[1]) as d:\n"
              "    [p.extract_words() for p in d.pages]\n")

# (name, unit, target, True when the figure must be at most the target)
TARGETS = [
    ("reading ms/page", "ms", 10.0, True),  # depends on the machine: the ratio below does not
    ("reading / bare pdfplumber words", "ratio", 0.2, True),
    ("batch s/case, 1 worker", "s", 1.0, True),
    ("speedup from 2nd worker", "x", 1.8, False),
    ("annex-only case / bare words, fresh processes", "ratio", 4.0, True),
    ("peak memory, one case", "MB", 250.0, True),
    ("resolver names/s", "1/s", 40_000, False),
]


def annex_case_ratio(path: Path = ANNEX) -> dict:
    """A case holding only an annex PDF reconciled in a fresh process, against bare
    pdfplumber words on the same PDF in a fresh process."""
    with tempfile.TemporaryDirectory() as tmp:
        case = Path(tmp) / "annex-only"
        case.mkdir()
        shutil.copy(path, case / path.name)
        ours, _ = timed([sys.executable, "-m", "pipeline.cli", str(case), "--out",
                         str(Path(tmp) / "out")])
        words, _ = timed([sys.executable, "-c", WORDS_ONLY, str(path)])
    return {"annex_pages": _pages(path), "annex_case_s": round(ours, 2),
            "annex_words_s": round(words, 2), "annex_ratio": round(ours / words, 2)}


def _pages(path: Path) -> int:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    try:
        return len(document)
    finally:
        document.close()


def figures(results: dict) -> dict[str, float]:
    """The targets' figures from the results of the other benches of this run."""
    extract, pipeline = results["extract"], results["pipeline"]
    return {
        "reading ms/page": extract["ours_s_per_page"] * 1000,
        "reading / bare pdfplumber words": extract["time_ratio"],
        "batch s/case, 1 worker": pipeline["steady_s_per_case_workers1"],
        "speedup from 2nd worker": pipeline["speedup_second_worker"],
        "annex-only case / bare words, fresh processes": results["targets"]["annex_ratio"],
        "peak memory, one case": pipeline["case_peak_rss_mb"],
        "resolver names/s": results["resolver"]["names_per_s"],
    }


def table(results: dict) -> str:
    """One line per target: figure, target and whether it is met."""
    found = figures(results)
    lines = [f"{'target':48} {'measured':>10} {'target':>10}  verdict"]
    for name, unit, target, at_most in TARGETS:
        value = found[name]
        if target is None:
            lines.append(f"{name:48} {value:>10.1f} {'':>10}  (see the ratio)")
            continue
        met = value <= target if at_most else value >= target
        bound = f"{'<=' if at_most else '>='} {target:g}"
        lines.append(f"{name:48} {value:>10.{0 if unit == '1/s' else 2}f} {bound:>10}  "
                     f"{'met' if met else 'NOT MET'}")
    return "\n".join(lines)
