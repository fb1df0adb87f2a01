"""The `reconcile` command: case folders in, reports out; and `reconcile resolve` for names.

Only this module turns errors into `Error: ...` lines and exit statuses.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from extractors.errors import ReconcileError
from pipeline import tool_version
from pipeline.settings import (
    DEFAULT_CLI_WORKERS,
    DEFAULT_MAX_MEMORY_BYTES,
    DEFAULT_MAX_SECONDS_PER_CASE,
)

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
    parser.add_argument(
        "--max-seconds-per-case", type=float, default=DEFAULT_MAX_SECONDS_PER_CASE, metavar="S",
        help="stop a case that takes longer to read and check (exit 2 for it; default "
        f"{DEFAULT_MAX_SECONDS_PER_CASE:g}; 0: no limit)")
    parser.add_argument(
        "--max-memory-mb", type=float, default=DEFAULT_MAX_MEMORY_BYTES / 2**20, metavar="MB",
        help="stop a document or case that takes a process past this much resident memory "
        f"(exit 2 for it; default {DEFAULT_MAX_MEMORY_BYTES / 2**20:g} MiB; 0: no cap)")
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
    """Run the command line; return the exit status (0, 1, 2, or 130 when interrupted)."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    if args[:1] == ["--version"]:
        print(f"reconcile {tool_version()}")
        return 0
    previous = signal.signal(signal.SIGTERM, _terminate) if in_main_thread() else None
    try:
        if args[:1] == ["resolve"]:
            return resolve_main(args[1:])
        return reconcile_main(args)
    except ReconcileError as exc:
        if debug:
            raise
        print(f"Error: {printable(str(exc))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as exc:  # Ctrl-C or SIGTERM: the batch has ended its workers
        line = str(exc) if str(exc).startswith("interrupted") else "interrupted"
        print(line, file=sys.stderr)
        return 130
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def in_main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def _terminate(signum, frame) -> None:
    """SIGTERM stops a run the way Ctrl-C does."""
    raise KeyboardInterrupt


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
    from pipeline.settings import BudgetSettings, Settings

    args = reconcile_parser().parse_args(argv)
    budget = BudgetSettings(max_seconds_per_case=args.max_seconds_per_case,
                            max_memory_bytes=round(args.max_memory_mb * 2**20))
    settings = Settings(
        workers=args.workers, overrides=args.overrides, data_docs=not args.no_data_docs,
        budget=budget,
    )
    lines = sys.stderr if args.json else sys.stdout
    progress = CaseLines(len(args.cases), args.out, lines, bar=not quiet_terminal())
    summaries = reconcile_cases(args.cases, args.out, settings, args.debug, progress)
    if args.json:
        from pipeline.outputs import dumps, summary_document

        sys.stdout.write(dumps(summary_document(summaries)))
    return max((s["exit_status"] for s in summaries), default=0)


def printable(text: str) -> str:
    """The text with control characters escaped (newline as \\n, ESC as \\x1b), so a file or
    folder name cannot forge lines or terminal codes."""
    return "".join(
        char.encode("unicode_escape").decode("ascii") if unicodedata.category(char) == "Cc"
        else char for char in text)


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary_line(summary: dict, out_dir: Path | None = None) -> str:
    """One line per case: status, exit status and why (the report's banner says the same),
    counts, and where its report is."""
    from model import HEADLINES

    counts = summary["findings"]
    headline = HEADLINES.get(summary["status"], summary["status"])
    line = (
        f"{summary['case']}: {summary['status'].upper()} (exit {summary['exit_status']}) "
        f"{headline}: {summary['exit_reason']}; "
        f"{plural(counts['error'], 'error')}, {plural(counts['warning'], 'warning')}, "
        f"{counts['info']} info; "
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
            print(f"Note: {printable(line)}", file=sys.stderr, flush=True)
        for line in summary["errors"]:
            print(f"Error: {printable(line)}", file=sys.stderr, flush=True)
        print(printable(summary_line(summary, self.out_dir)), file=self.stream, flush=True)
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
