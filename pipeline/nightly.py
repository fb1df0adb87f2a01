"""The nightly batch: reconcile every fixture case and compare with what its folder expects.

Each case folder holds `expected.json`: {"status": "pass"|"fail"|"incomplete"|"empty",
"exit_status": 0|1|2, "errors": [{"check", "table", "scb_code", "measure"}, ...], "reads":
{kind: [recipient rows per money table, largest first]}}. The batch fails when any case's status,
exit status or set of error findings differs from it, or when its reading shrank: fewer money
tables of a kind, or a table with fewer recipient rows, than "reads" says.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from pipeline.cases import read_expected
from pipeline.orchestrate import reconcile_cases
from pipeline.settings import EXPECTED_FILE, Settings

ErrorKey = tuple[str | None, str | None, str | None, str | None]


def case_folders(roots: Sequence[Path]) -> list[Path]:
    """Every case folder directly under the given roots, sorted."""
    return sorted(p for root in roots for p in Path(root).iterdir() if p.is_dir())


def expected_keys(expected: dict) -> set[ErrorKey]:
    return {
        (e.get("check"), e.get("table"), e.get("scb_code"), e.get("measure"))
        for e in expected.get("errors", [])
    }


def compare(summary: dict, expected: dict | None) -> list[str]:
    """What differs between a case's result and its expectation, one line each."""
    if expected is None:
        return [f"no valid {EXPECTED_FILE}"]
    problems = []
    if summary["exit_status"] != expected.get("exit_status"):
        problems.append(
            f"exit status {summary['exit_status']}, expected {expected.get('exit_status')}"
        )
    if "status" in expected and summary["status"] != expected["status"]:
        problems.append(f"status {summary['status']}, expected {expected['status']}")
    problems += shrunk_reads(summary.get("reads", {}), expected.get("reads"))
    got = {tuple(k) for k in summary["error_keys"]}
    want = expected_keys(expected)
    problems += [f"missing error {k}" for k in sorted(want - got, key=str)]
    problems += [f"unexpected error {k}" for k in sorted(got - want, key=str)]
    return problems


def shrunk_reads(got: dict[str, list[int]], want: dict[str, list[int]] | None) -> list[str]:
    """Where the reading found fewer money tables of a kind, or fewer recipient rows in one,
    than expected (tables compared largest first); more is no failure here."""
    if want is None:
        return []
    problems = []
    for kind, rows in sorted(want.items()):
        have = sorted(got.get(kind, []), reverse=True)
        if len(have) < len(rows):
            problems.append(f"read {len(have)} {kind} tables, expected {len(rows)}")
        for n, (seen, needed) in enumerate(zip(have, sorted(rows, reverse=True), strict=False), 1):
            if seen < needed:
                problems.append(f"{kind} table {n} (by size) read {seen} recipient rows, "
                                f"expected {needed}")
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.nightly", description=__doc__)
    parser.add_argument("roots", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, default=Path("reports/nightly"))
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    folders = case_folders(args.roots)
    summaries = reconcile_cases(folders, args.out, Settings(workers=args.workers, data_docs=False))
    by_folder = {s["folder"]: s for s in summaries}
    failed = 0
    for folder in folders:
        problems = compare(by_folder[str(folder)], read_expected(folder / EXPECTED_FILE))
        failed += bool(problems)
        print(f"{'FAIL' if problems else 'ok  '} {folder.parent.name}/{folder.name}")
        for line in problems:
            print(f"     {line}")
    print(f"{len(folders) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
