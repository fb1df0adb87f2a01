"""The nightly batch: reconcile every fixture case and compare with what its folder expects.

Each case folder holds `expected.json`: {"exit_status": 0|1|2, "errors": [{"check", "table",
"scb_code", "measure"}, ...]}. The batch fails when any case's exit status or set of error
findings differs from it.
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
    got = {tuple(k) for k in summary["error_keys"]}
    want = expected_keys(expected)
    problems += [f"missing error {k}" for k in sorted(want - got, key=str)]
    problems += [f"unexpected error {k}" for k in sorted(got - want, key=str)]
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
