"""Guards around reading a document and around a whole case: a time limit, a memory limit, and
the libraries' own warnings kept.

`guarded` runs a block under a deadline and a cap on the process's resident memory. A watcher
thread looks ten times a second; when a limit is passed it sends SIGALRM to the main thread
(to that thread, so a wait there is interrupted too), whose handler raises a BaseException that
readers' `except Exception` let through, and the block's own error is raised in its place.
Guards nest (a case's guard holds its documents' guards): whichever limit passes first ends its
own block, and the guard outside goes on. Memory is read from /proc/self/statm (RLIMIT_AS would
break polars, which reserves far more address space than it uses). Python runs the handler
between its own steps, so a single library call that allocates past the cap is ended by the
system as before. Off Linux the memory cap is not enforced.

`library_warnings` collects what pdfminer and the other libraries log or warn while a document
is read, so it becomes a finding instead of raw lines on stderr.
"""

from __future__ import annotations

import ctypes
import gc
import logging
import math
import os
import signal
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from extractors.base import READING_PAGE
from extractors.errors import ReconcileError, UnreadableDocumentError

POLL_SECONDS = 0.1  # how often the watcher looks at the clock and the resident memory
REPEAT_SECONDS = 1.0  # an interruption is repeated this often, in case a library swallows one
MIB = 1024 * 1024


class DocumentTimeoutError(UnreadableDocumentError):
    """Reading a document took longer than max_seconds_per_document, or than its case had
    left (`by_case`)."""

    by_case = False


class CaseTimeRanOut(DocumentTimeoutError):
    """A document read in a worker process was stopped when its case's budget ran out."""

    by_case = True


class DocumentMemoryError(UnreadableDocumentError):
    """Reading a document took the process past max_memory_bytes."""


def mib(count: int) -> str:
    return f"{count / MIB:.0f} MiB"


@contextmanager
def time_limit(path: str, seconds: float, max_memory_bytes: int = 0,
               case_ends: float | None = None) -> Iterator[None]:
    """Raise DocumentTimeoutError once `seconds` have passed (0: no limit), or
    DocumentMemoryError once the process holds more than `max_memory_bytes` (0: no cap).

    `case_ends` (a time.time()) is when the budget of the document's case runs out, for a
    document read in a worker process while its case waits: it is not read on past it."""
    left = math.inf if case_ends is None else max(case_ends - time.time(), 0.001)
    by_case = left < (seconds or math.inf)

    def late() -> BaseException:
        if by_case:
            return CaseTimeRanOut(
                path, "its case's max_seconds_per_case ran out while it was read; refused")
        return DocumentTimeoutError(
            path, f"reading took longer than max_seconds_per_document={seconds:g} s (a "
            "damaged file, e.g. a PDF whose object references form a loop); refused: get an "
            "intact copy or raise the limit")

    def large(resident: int) -> BaseException:
        return DocumentMemoryError(
            path, f"reading took the process past max_memory_bytes={max_memory_bytes} "
            f"({mib(max_memory_bytes)}; {mib(resident)} resident); refused: no decision needs "
            "that much: check the file or raise the limit (--max-memory-mb)")

    with guarded(left if by_case else seconds, max_memory_bytes, late, large):
        yield


def case_ends() -> float | None:
    """When (a time.time()) the earliest time limit of this process's open guards runs out,
    for the documents of a case read in worker processes; None when there is none."""
    deadline = min((g.deadline for g in _GUARDS), default=math.inf)
    return None if deadline == math.inf else time.time() + (deadline - time.monotonic())


@dataclass(eq=False)
class _Guard:
    deadline: float  # time.monotonic() when it expires; inf: none
    max_rss: int  # bytes of resident memory; 0: no cap
    tripped: str | None = None  # "time" or "memory", once passed
    resident: int = 0  # bytes resident when the memory cap was passed
    signalled: float = -math.inf  # when the watcher last interrupted for it


_GUARDS: list[_Guard] = []  # the main thread's open guards, outermost first
_LOCK = threading.Lock()  # held by the watcher while it signals, and while a handler changes
_STATE = {"previous": None, "shield": 0, "watcher": None, "doing": ""}
_WAKE = threading.Event()  # set while a guard is open


class _Expired(BaseException):
    """Raised by the alarm in the guarded block; a BaseException, so readers' `except
    Exception` let it through."""

    def __init__(self, guard: _Guard) -> None:
        super().__init__(guard.tripped)
        self.guard = guard


@contextmanager
def guarded(seconds: float, max_rss: int, late: Callable[[], BaseException],
            large: Callable[[int], BaseException]) -> Iterator[None]:
    """Run the block under a time limit (`seconds`, 0: none) and a resident-memory cap
    (`max_rss` bytes, 0: none); raise late() or large(resident bytes) when one is passed.

    Works in the main thread of a process (the CLI, and each worker process); elsewhere it does
    nothing, and the other limits still bound the work.
    """
    if threading.current_thread() is not threading.main_thread() or (
            seconds <= 0 and max_rss <= 0):
        yield
        return
    guard = _Guard(time.monotonic() + seconds if seconds > 0 else math.inf, max(max_rss, 0))
    if not _GUARDS:
        _STATE["previous"] = signal.signal(signal.SIGALRM, _on_alarm)
    _GUARDS.append(guard)
    _start_watcher()
    try:
        yield
    except _Expired as exc:
        if exc.guard is not guard:
            raise
        _close(guard)
        _give_back_memory()
        if guard.tripped == "memory":
            raise large(guard.resident) from None
        raise late() from None
    finally:
        _close(guard)


@contextmanager
def shielded() -> Iterator[None]:
    """Hold off every guard's interruption while the block runs (publishing a case's outputs
    in two renames); a limit passed meanwhile interrupts within a second after it."""
    _STATE["shield"] += 1
    try:
        yield
    finally:
        _STATE["shield"] -= 1


def _close(guard: _Guard) -> None:
    """Drop the guard and any left open inside it; restore the signal handler after the last."""
    if guard not in _GUARDS:
        return
    del _GUARDS[_GUARDS.index(guard):]
    if _GUARDS:
        return
    with _LOCK:  # the watcher must not signal a process whose handler is no longer ours
        _WAKE.clear()
        signal.signal(signal.SIGALRM, _STATE["previous"] or signal.SIG_DFL)


def _on_alarm(signum, frame) -> None:
    """Interrupt the outermost guard whose limit was passed (its block holds the others)."""
    if _STATE["shield"]:
        return
    now = time.monotonic()
    for guard in list(_GUARDS):
        if guard.tripped is None and now >= guard.deadline:
            guard.tripped = "time"
        if guard.tripped is not None:
            raise _Expired(guard)


def resident_bytes() -> int:
    """The process's resident memory in bytes (Linux: /proc/self/statm), else 0."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _start_watcher() -> None:
    _WAKE.set()
    if _STATE["watcher"] is None:
        watcher = threading.Thread(target=_watch, name="reconcile-watch", daemon=True)
        _STATE["watcher"] = watcher
        watcher.start()


def _watch() -> None:
    """Interrupt the main thread for the outermost guard whose time ran out, or else the
    innermost whose memory cap the process passed; again every REPEAT_SECONDS until its block
    has ended, in case a library swallowed the first interruption."""
    main = threading.main_thread().ident
    # Ctrl-C, SIGTERM and alarms meant for the process go to a thread that handles them
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM, signal.SIGALRM})
    while True:
        _WAKE.wait()
        time.sleep(POLL_SECONDS)
        resident = resident_bytes() if any(g.max_rss for g in _GUARDS) else 0
        with _LOCK:
            now = time.monotonic()
            late = [g for g in _GUARDS if g.tripped == "time" or now >= g.deadline]
            large = [g for g in _GUARDS if g.max_rss and (
                g.tripped == "memory" or resident > g.max_rss)]
            due = late[0] if late else large[-1] if large else None
            if due is None or now - due.signalled < REPEAT_SECONDS:
                continue
            if due.tripped is None:
                due.tripped, due.resident = ("time", 0) if late else ("memory", resident)
            due.signalled = now
            signal.pthread_kill(main, signal.SIGALRM)


def _give_back_memory() -> None:
    """Free what the interrupted block left (closing the files it had open) and hand it back
    to the system (glibc keeps freed memory otherwise), so the guard outside does not find the
    process still over its cap."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass


# Deprecation notices of imports, and a file left open by an earlier, interrupted reading that
# the collector happens to close now: neither says anything about the document being read.
_NOT_ABOUT_THE_DOCUMENT = DeprecationWarning | PendingDeprecationWarning | ResourceWarning


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[tuple[int | None, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage()
        except Exception:  # a malformed log call must not stop the reading
            text = str(record.msg)
        self.messages.append((READING_PAGE.get(), text))


@contextmanager
def library_warnings() -> Iterator[list[tuple[int | None, str]]]:
    """Collect warnings logged (WARNING and above) or warned while the block runs, each with
    the page being read when it came (READING_PAGE; None when unknown), and keep them from
    stderr; deprecation notices and unclosed-file notes are not about the document and are left
    to Python's own filters."""
    collector = _Collector()
    root = logging.getLogger()
    saved = [(logger, logger.propagate) for logger in _library_loggers()]
    for logger, _ in saved:
        logger.propagate = False
        logger.addHandler(collector)
    root.addHandler(collector)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield collector.messages
        finally:
            root.removeHandler(collector)
            for logger, propagate in saved:
                logger.removeHandler(collector)
                logger.propagate = propagate
            collector.messages += [
                (None, str(w.message)) for w in caught
                if not issubclass(w.category, _NOT_ABOUT_THE_DOCUMENT)]


def _library_loggers() -> list[logging.Logger]:
    """The readers' libraries' loggers, which would otherwise also reach other handlers."""
    return [logging.getLogger(name) for name in ("pdfminer", "pdfplumber", "pypdfium2")]


def doing(what: str) -> None:
    """Say what the case is doing now ("reading beslut.pdf"), for the line of a case stopped
    by its budget."""
    _STATE["doing"] = what


def await_alarm(seconds: float = 5.0) -> None:
    """Wait (at most `seconds`) for a guard's limit that is already due to interrupt: a
    document read in a worker found its case's time run out, so the case's own alarm comes
    now, and its line should say it was reading that document."""
    ends = time.monotonic() + seconds
    while _GUARDS and time.monotonic() < ends:
        time.sleep(0.05)


class CaseBudgetError(ReconcileError):
    """A case took longer than max_seconds_per_case, or more memory than max_memory_bytes."""


@contextmanager
def case_limit(name: str, seconds: float, max_memory_bytes: int) -> Iterator[None]:
    """Raise CaseBudgetError when the case's reading and checks together take longer than
    `seconds` (0: no limit) or the process more than `max_memory_bytes` (0: no cap); the
    line says what the case was doing then (see `doing`)."""
    def late() -> BaseException:
        return CaseBudgetError(
            f"{name}: reading and checking the case took longer than max_seconds_per_case="
            f"{seconds:g} s (stopped while {_STATE['doing']}); no outputs written: look for an "
            "oversized document, split the case, or raise the limit (--max-seconds-per-case)")

    def large(resident: int) -> BaseException:
        return CaseBudgetError(
            f"{name}: reading and checking the case took the process past max_memory_bytes="
            f"{max_memory_bytes} ({mib(max_memory_bytes)}; {mib(resident)} resident; stopped "
            f"while {_STATE['doing']}); no outputs written: look for an oversized document, or "
            "raise the limit (--max-memory-mb)")

    doing("opening the case")
    with guarded(seconds, max_memory_bytes, late, large):
        yield
