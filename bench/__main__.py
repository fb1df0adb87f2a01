"""`make bench`: every benchmark of the project, each reported against a baseline run here."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

BENCHES = [
    ("extract", "bench.bench_extract", "bench_extract"),
    ("resolver", "bench.bench_resolver", "bench_resolver"),
    ("suites", "bench.bench_suites", "bench_suites"),
    ("diagnosis", "bench.bench_diagnosis", "bench_diagnosis"),
    ("pipeline", "bench.bench_pipeline", "bench_pipeline"),
]


def main() -> None:
    results = {}
    for name, module, function in BENCHES:
        results[name] = getattr(importlib.import_module(module), function)()
        print(f"{name:9} " + " ".join(f"{k}={v}" for k, v in results[name].items()), flush=True)
    out = Path(__file__).parent / "out"
    out.mkdir(exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"written to {out / 'results.json'}")


if __name__ == "__main__":
    main()
