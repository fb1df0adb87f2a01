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
from pipeline import tool_version
from pipeline.settings import DEFAULT_CLI_WORKERS

LEVELS = ("kommun", "region", "lan")
EXIT_STATUSES = """exit status:
  0    every case read and no error finding (pass; or empty: no money to reconcile)
  1    at least one error finding: the documents disagree, or printed money went unread
  2    a document or case could not be read (one 'Error: ...' line on stderr per problem;
       the other cases still run), or a bad argument
  130  interrupted
"""


def reconcile_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reconcile",
        description="Reconcile the allocation tables of Swedish grant decisions: every cell read, "
        "every name mapped to its SCB code, every sum and stated total checked. "
        "Also: `reconcile resolve NAME ...` maps names to SCB codes.",
        epilog=EXIT_STATUSES, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"reconcile {tool_version()}")
    parser.add_argument(
        "cases", nargs="+", type=Path, metavar="CASE_DIR",
        help="a folder holding one decision's documents (PDF, DOCX, HTML, TXT, MD); "
        "its name is the case's name")
    parser.add_argument(
        "--out", type=Path, required=True, metavar="OUT_DIR",
        help="folder to write into: OUT_DIR/<case>/ (report.html, allocations.xlsx, CSV, JSON) "
        "per case and OUT_DIR/summary.json; a case's previous folder is replaced whole")
    parser.add_argument(
        "--json", action="store_true",
        help="also write summary.json's content to stdout (the per-case lines go to stderr)")
    parser.add_argument(
        "--workers", type=int, default=DEFAULT_CLI_WORKERS, metavar="N",
        help=f"processes to use (default: the {DEFAULT_CLI_WORKERS} cores here)")
    parser.add_argument("--overrides", type=Path, help="CSV of pinned names: level,name,scb_code")
    parser.add_argument("--no-data-docs", action="store_true", help="skip the GX Data Docs")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    return parser


def resolve_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reconcile resolve", description="Map names to SCB codes, one JSON object per line.",
        epilog="exit status: 0 every name resolved, 1 at least one name unresolved "
        "(its scb_code is null), 2 a bad argument",
    )
    parser.add_argument("--level", choices=LEVELS, default="kommun")
    parser.add_argument("--overrides", type=Path, help="CSV of pinned names: level,name,scb_code")
    parser.add_argument("names", nargs="+", metavar="NAME")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0, 1 or 2)."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    if args[:1] == ["--version"]:
        print(f"reconcile {tool_version()}")
        return 0
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
    unresolved = 0
    for name in args.names:
        match = resolver.resolve(name, args.level)
        unresolved += match.scb_code is None
        print(json.dumps(match.to_dict(), ensure_ascii=False))
    return 1 if unresolved else 0


def reconcile_main(argv: list[str]) -> int:
    from pipeline.orchestrate import quiet_terminal, reconcile_cases
    from pipeline.settings import Settings

    args = reconcile_parser().parse_args(argv)
    settings = Settings(
        workers=args.workers, overrides=args.overrides, data_docs=not args.no_data_docs
    )
    lines = sys.stderr if args.json else sys.stdout
    progress = CaseLines(len(args.cases), args.out, lines, bar=not quiet_terminal())
    summaries = reconcile_cases(args.cases, args.out, settings, args.debug, progress)
    if args.json:
        from pipeline.outputs import dumps, summary_document

        sys.stdout.write(dumps(summary_document(summaries)))
    return max((s["exit_status"] for s in summaries), default=0)


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary_line(summary: dict, out_dir: Path | None = None) -> str:
    """One line per case: status, exit status and why (the report's banner says the same),
    counts, and where its report is."""
    from pipeline.verdict import HEADLINES

    counts = summary["findings"]
    headline = HEADLINES.get(summary["status"], summary["status"])
    line = (
        f"{summary['case']}: {summary['status'].upper()} (exit {summary['exit_status']}) "
        f"{headline}: {summary['exit_reason']}; {counts['error']} error, "
        f"{counts['warning']} warning, {counts['info']} info; "
        f"{plural(summary['documents'], 'document')}, "
        f"{plural(summary['allocation_rows'], 'amount')}"
    )
    report = None if out_dir is None else out_dir / summary["case"] / "report.html"
    if report is not None and report.is_file():
        line += f"; report: {report}"
    return line


class CaseLines:
    """As each case finishes: its error lines on stderr and its summary line, flushed at once
    so a log or a pipe sees it; on a terminal also a progress bar on stderr."""

    def __init__(self, total: int, out_dir: Path, stream, bar: bool = False) -> None:
        self.total, self.done, self.out_dir, self.stream, self.bar = total, 0, out_dir, stream, bar

    def __call__(self, summary: dict) -> None:
        self.done += 1
        if self.bar:
            print("\r\033[K", end="", file=sys.stderr, flush=True)
        for line in summary.get("notes", []):
            print(f"Note: {line}", file=sys.stderr, flush=True)
        for line in summary["errors"]:
            print(f"Error: {line}", file=sys.stderr, flush=True)
        print(summary_line(summary, self.out_dir), file=self.stream, flush=True)
        if self.bar and self.done < self.total:
            width = 30
            filled = width * self.done // self.total
            print(f"[{'#' * filled}{'-' * (width - filled)}] {self.done}/{self.total}",
                  end="", file=sys.stderr, flush=True)


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())


if __name__ == "__main__":
    run()
