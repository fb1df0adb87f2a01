"""Benchmark of the SCB code resolver: names per second over a seeded mix of real-world variants.

The baseline is the same number of plain dict lookups of the same names, timed in this run, so the
ratio does not depend on how fast the machine is. The resolver keeps no cache of earlier answers:
every name goes through the cascade.
"""

from __future__ import annotations

import random
import sys
import time
from collections import Counter

from pipeline.reference import LEVELS, fold, places
from pipeline.resolver import Resolver

DEFAULT_SEED = 2024
# Names that are no kommun or region: they run the whole cascade down to the fuzzy step.
NON_NAMES = ("Oslo", "Riket", "Totalt", "Summa", "SKR", "Köpenhamn", "Region")


def variants() -> list[tuple[str, str]]:
    """(name, level) pairs as documents print them: canonical, organisation and county names,
    upper case, hyphen/space swaps, ASCII-folded, genitive + kommun, one-letter typos, non-names."""
    pairs = []
    for level in LEVELS:
        for place in places(level):
            for form in (place.name, *place.forms):
                pairs += [(form, level), (form.upper(), level), (fold(form.lower()), level)]
                pairs.append((form.replace(" ", "-") if " " in form else form + " ", level))
            pairs.append((place.name + place.name[-1], level))  # a doubled last letter
        pairs += [(name, level) for name in NON_NAMES]
    pairs += [(p.stems[0] + " kommun", "kommun") for p in places("kommun")]
    return pairs


def bench_resolver(n: int = 10_000, seed: int = DEFAULT_SEED) -> dict:
    """Resolve n names drawn from variants(); names per second and the ratio to dict lookups."""
    pool = variants()
    drawn = random.Random(seed).choices(pool, k=n)
    resolver = Resolver()
    start = time.perf_counter()
    methods = Counter(resolver.resolve(name, level).method for name, level in drawn)
    resolve_s = time.perf_counter() - start

    table = {(name, level): name for name, level in pool}
    start = time.perf_counter()
    found = sum(table.get(pair) is not None for pair in drawn)
    dict_s = time.perf_counter() - start
    assert found == n
    return {
        "names": n,
        "names_per_s": round(n / resolve_s),
        "dict_lookups_per_s": round(n / dict_s),
        "slowdown_vs_dict": round(resolve_s / dict_s, 1),
        "fuzzy_or_unresolved_share": round(
            (methods["fuzzy"] + methods["unresolved"]) / n, 3
        ),
    }


if __name__ == "__main__":
    result = bench_resolver(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
    print(" ".join(f"{k}={v}" for k, v in result.items()))
