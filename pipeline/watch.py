"""Guards around reading one document: a time limit, and the libraries' own warnings kept.

`time_limit` stops a reader stuck in a loop (a PDF whose references form a cycle) with a
SIGALRM that raises in the reading thread; `library_warnings` collects what pdfminer and the
other libraries log or warn while a document is read, so it becomes a finding instead of raw
lines on stderr.
"""

from __future__ import annotations

import logging
import signal
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

from extractors.base import READING_PAGE
from extractors.errors import UnreadableDocumentError


class DocumentTimeoutError(UnreadableDocumentError):
    """Reading a document took longer than max_seconds_per_document."""


@contextmanager
def time_limit(path: str, seconds: float) -> Iterator[None]:
    """Raise DocumentTimeoutError in this thread once `seconds` have passed.

    Works in the main thread of a process (the CLI, and each worker process); elsewhere it
    does nothing, and the other limits still bound the work.
    """
    if threading.current_thread() is not threading.main_thread() or seconds <= 0:
        yield
        return

    def expired(signum, frame):
        raise _Expired

    previous = signal.signal(signal.SIGALRM, expired)
    # Fires again every second, in case a library swallows the first one.
    signal.setitimer(signal.ITIMER_REAL, seconds, 1.0)
    try:
        yield
    except _Expired:
        raise DocumentTimeoutError(
            path, f"reading took longer than max_seconds_per_document={seconds:g} s (a "
            "damaged file, e.g. a PDF whose object references form a loop); refused: get an "
            "intact copy or raise the limit") from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class _Expired(BaseException):
    """Raised by the alarm; a BaseException, so readers' `except Exception` let it through."""


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
    stderr; deprecation notices of imports are not about the document and are left to
    Python's own filters."""
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
                if not issubclass(w.category, DeprecationWarning | PendingDeprecationWarning)]


def _library_loggers() -> list[logging.Logger]:
    """The readers' libraries' loggers, which would otherwise also reach other handlers."""
    return [logging.getLogger(name) for name in ("pdfminer", "pdfplumber", "pypdfium2")]
