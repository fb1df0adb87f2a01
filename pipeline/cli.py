"""The `reconcile` command: case folders in, reports out; and `reconcile resolve` for names.

Only this module turns errors into `Error: ...` lines and exit statuses.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from extractors.errors import ReconcileError
from pipeline.settings import DEFAULT_CLI_WORKERS

LEVELS = ("kommun", "region", "lan")


def reconcile_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reconcile",
        description="Reconcile the allocation tables of grant decisions. "
        "Also: `reconcile resolve NAME ...` maps names to SCB codes.",
    )
    parser.add_argument("cases", nargs="+", type=Path, metavar="CASE_DIR")
    parser.add_argument("--out", type=Path, required=True, metavar="OUT_DIR")
    parser.add_argument(
        "--workers", type=int, default=DEFAULT_CLI_WORKERS, metavar="N",
        help=f"processes to use (default: the {DEFAULT_CLI_WORKERS} cores here)")
    parser.add_argument("--overrides", type=Path, help="CSV of pinned names: level,name,scb_code")
    parser.add_argument("--no-data-docs", action="store_true", help="skip the GX Data Docs")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    return parser


def resolve_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reconcile resolve", description="Map names to SCB codes, one JSON object per line."
    )
    parser.add_argument("--level", choices=LEVELS, default="kommun")
    parser.add_argument("--overrides", type=Path, help="CSV of pinned names: level,name,scb_code")
    parser.add_argument("names", nargs="+", metavar="NAME")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0, 1 or 2)."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    try:
        if args[:1] == ["resolve"]:
            return resolve_main(args[1:])
        return reconcile_main(args)
    except ReconcileError as exc:
        if debug:
            raise
        print(f"Error: {exc}", file=sys.stderr)
        return 2


def resolve_main(argv: list[str]) -> int:
    from pipeline.resolver import Resolver

    args = resolve_parser().parse_args(argv)
    resolver = Resolver(overrides=args.overrides)
    for name in args.names:
        match = resolver.resolve(name, args.level)
        print(json.dumps(match.to_dict(), ensure_ascii=False))
    return 0


def reconcile_main(argv: list[str]) -> int:
    from pipeline.orchestrate import quiet_terminal, reconcile_cases
    from pipeline.settings import Settings

    args = reconcile_parser().parse_args(argv)
    settings = Settings(
        workers=args.workers, overrides=args.overrides, data_docs=not args.no_data_docs
    )
    progress = None if quiet_terminal() else ProgressLine(len(args.cases))
    summaries = reconcile_cases(args.cases, args.out, settings, args.debug, progress)
    if progress:
        progress.close()
    for summary in summaries:
        for line in summary.get("notes", []):
            print(f"Note: {line}", file=sys.stderr)
        for line in summary["errors"]:
            print(f"Error: {line}", file=sys.stderr)
    for summary in sorted(summaries, key=lambda s: s["case"]):
        print(summary_line(summary))
    return max((s["exit_status"] for s in summaries), default=0)


def summary_line(summary: dict) -> str:
    """One line per case: status, exit status and why (the report's banner says the same)."""
    from pipeline.verdict import HEADLINES

    counts = summary["findings"]
    headline = HEADLINES.get(summary["status"], summary["status"])
    return (
        f"{summary['case']}: {summary['status'].upper()} (exit {summary['exit_status']}) "
        f"{headline}: {summary['exit_reason']}; {counts['error']} error, "
        f"{counts['warning']} warning, {counts['info']} info; {summary['documents']} documents, "
        f"{summary['allocation_rows']} amounts"
    )


class ProgressLine:
    """A one-line progress bar on stderr for interactive terminals."""

    def __init__(self, total: int) -> None:
        self.total, self.done = total, 0

    def __call__(self, summary: dict) -> None:
        self.done += 1
        width = 30
        filled = width * self.done // self.total
        bar = "#" * filled + "-" * (width - filled)
        print(f"\r[{bar}] {self.done}/{self.total} {summary['case'][:40]:<40}",
              end="", file=sys.stderr, flush=True)

    def close(self) -> None:
        print(file=sys.stderr)


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())


if __name__ == "__main__":
    run()
