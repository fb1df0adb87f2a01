"""Reading a case's documents, one after another or in worker processes beside the main work.

A worker returns an outcome instead of raising, so a document that cannot be read is reported
the same way whichever process read it.
"""

from __future__ import annotations

import importlib
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from pathlib import Path

from extractors.base import Extraction, ExtractSettings
from extractors.errors import UnreadableDocumentError
from pipeline.cases import Case
from pipeline.findings import Finding


@dataclass(frozen=True)
class Outcome:
    """What reading one document gave: an extraction, or why there is none."""

    name: str
    extraction: Extraction | None = None
    reason: str | None = None
    page: int | None = None


def read_document(path: Path, reader: str, settings: ExtractSettings, debug: bool) -> Outcome:
    """Read one document with the named format module; never raises unless debugging."""
    module = importlib.import_module(reader)
    try:
        return Outcome(path.name, module.extract(path, settings))
    except UnreadableDocumentError as exc:
        return Outcome(path.name, reason=exc.reason, page=exc.page)
    except Exception as exc:  # a reader bug must not take the batch down
        if debug:
            raise
        reason = f"could not be read ({type(exc).__name__}: {exc}); rerun with --debug"
        return Outcome(path.name, reason=reason)


def submit_documents(case: Case, settings: ExtractSettings, debug: bool,
                     pool: Executor | None) -> list[Future | Outcome]:
    """Start reading every document: in the pool when there is one, else right here."""
    jobs = [(doc.path, doc.reader.__name__, settings, debug) for doc in case.documents]
    if pool is None:
        return [read_document(*job) for job in jobs]
    return [pool.submit(read_document, *job) for job in jobs]


def outcomes_to_extractions(case: Case, pending: list[Future | Outcome]):
    """Extractions in document order, read-error lines and their findings."""
    extractions, read_errors, findings = [], [], []
    for item in pending:
        outcome = item if isinstance(item, Outcome) else item.result()
        if outcome.extraction is not None:
            extractions.append(outcome.extraction)
            continue
        where = f"{case.path.name}/{outcome.name}" + (
            f", page {outcome.page}" if outcome.page else "")
        read_errors.append(f"{where}: {outcome.reason}")
        findings.append(Finding(
            check="unreadable_document",
            severity="error",
            message=f"{outcome.name} could not be read: {outcome.reason}",
            source_file=outcome.name,
            page=outcome.page,
        ))
    return extractions, read_errors, findings
