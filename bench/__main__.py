"""`make bench`: every benchmark of the project, each reported against a baseline run here,
then the speed targets (issue #19) beside their figures in one table."""

from __future__ import annotations

import importlib
import json
from functools import partial
from pathlib import Path

from bench.bench_targets import table

BATCH_COPIES = 6  # enough for a per-case time after the imports, short on a shared machine

BENCHES = [
    ("extract", "bench.bench_extract", "bench_extract"),
    ("resolver", "bench.bench_resolver", "bench_resolver"),
    ("suites", "bench.bench_suites", "bench_suites"),
    ("diagnosis", "bench.bench_diagnosis", "bench_diagnosis"),
    ("pipeline", "bench.bench_pipeline", "bench_pipeline"),
    ("targets", "bench.bench_targets", "annex_case_ratio"),
]
ARGUMENTS = {"pipeline": {"copies": BATCH_COPIES}}


def main() -> None:
    results = {}
    for name, module, function in BENCHES:
        bench = partial(getattr(importlib.import_module(module), function),
                        **ARGUMENTS.get(name, {}))
        results[name] = bench()
        print(f"{name:9} " + " ".join(f"{k}={v}" for k, v in results[name].items()), flush=True)
    out = Path(__file__).parent / "out"
    out.mkdir(exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"written to {out / 'results.json'}\n")
    print(table(results))


if __name__ == "__main__":
    main()
