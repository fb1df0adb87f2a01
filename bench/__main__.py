"""`make bench`: every benchmark of the project, each reported against a baseline run here,
then the speed targets (issue #19) beside their figures in one table."""

from __future__ import annotations

import importlib
import json
import os
from functools import partial
from pathlib import Path

from bench.bench_targets import table

BATCH_COPIES = 20  # as issue 19 measured: each of two workers pays its imports over 10 cases

BENCHES = [
    ("extract", "bench.bench_extract", "bench_extract"),
    ("resolver", "bench.bench_resolver", "bench_resolver"),
    ("suites", "bench.bench_suites", "bench_suites"),
    ("diagnosis", "bench.bench_diagnosis", "bench_diagnosis"),
    ("pipeline", "bench.bench_pipeline", "bench_pipeline"),
    ("targets", "bench.bench_targets", "annex_case_ratio"),
]
ARGUMENTS = {"pipeline": {"copies": BATCH_COPIES}}


def load() -> str:
    """The machine's load average over the last minute and its cores: the other work the
    figures shared the machine with (the ratios hold under load, absolute times do not)."""
    return f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"


def main() -> None:
    results = {"load_at_start": load()}
    for name, module, function in BENCHES:
        bench = partial(getattr(importlib.import_module(module), function),
                        **ARGUMENTS.get(name, {}))
        results[name] = bench()
        print(f"{name:9} " + " ".join(f"{k}={v}" for k, v in results[name].items()), flush=True)
    out = Path(__file__).parent / "out"
    out.mkdir(exist_ok=True)
    results["load_at_end"] = load()
    (out / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"written to {out / 'results.json'}\n")
    print(table(results))
    print(f"load average: {results['load_at_start']} at the start, {results['load_at_end']} "
          "at the end (a second worker gains nothing when no core is free)")


if __name__ == "__main__":
    main()
