"""Reading a case's documents, one after another or in worker processes beside the main work.

A worker returns an outcome instead of raising, so a document that cannot be read is reported
the same way whichever process read it.
"""

from __future__ import annotations

import importlib
import re
from concurrent.futures import Executor, Future
from dataclasses import dataclass, replace
from pathlib import Path

import polars as pl

from expectations.messages import plural
from extractors.base import Extraction, ExtractSettings, Problem
from extractors.errors import DocumentTooLargeError, UnreadableDocumentError
from extractors.phrases import parse_amount_phrase
from extractors.tally import document_to_control
from pipeline.cases import Case
from pipeline.findings import Finding
from pipeline.settings import BudgetSettings
from pipeline.watch import await_alarm, case_ends, doing, library_warnings, time_limit

# Library warnings that say nothing about lost content (pdfminer's note on a page without a
# CropBox, which the PDF standard allows).
BENIGN_WARNINGS = ("CropBox missing",)
_DIGIT_RUNS = re.compile(r"\d+")
_LETTER_RUNS = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Outcome:
    """What reading one document gave: an extraction, or why there is none."""

    name: str
    extraction: Extraction | None = None
    reason: str | None = None
    page: int | None = None
    case_time_ran_out: bool = False  # stopped because its case's budget ran out


def read_document(path: Path, reader: str, settings: ExtractSettings, debug: bool,
                  name: str | None = None, budget: BudgetSettings | None = None,
                  case_ends: float | None = None) -> Outcome:
    """Read one document with the named format module; never raises unless debugging.

    `name` is the document's path relative to its case folder (default: its file name); the
    extraction is labelled with it. The reading is bounded by max_seconds_per_document (and by
    `case_ends`, a time.time() when its case's budget runs out) and the budget's memory cap,
    and a text printing more amounts than the budget allows is refused.
    """
    name = name or path.name
    budget = budget or BudgetSettings()
    module = importlib.import_module(reader)
    try:
        with library_warnings() as messages, time_limit(
                name, settings.max_seconds_per_document, budget.max_memory_bytes, case_ends):
            extraction = module.extract(path, settings)
            check_text_amounts(extraction, budget.max_text_amounts, name)
            extraction.tally, extraction.pictures = document_to_control(path, module.FORMAT)
        return Outcome(name, with_warnings(renamed(extraction, name), messages))
    except UnreadableDocumentError as exc:
        return Outcome(name, reason=exc.reason, page=exc.page,
                       case_time_ran_out=getattr(exc, "by_case", False))
    except Exception as exc:  # a reader bug must not take the batch down
        if debug:
            raise
        reason = f"could not be read ({type(exc).__name__}: {exc}); rerun with --debug"
        return Outcome(name, reason=reason)


def most_amounts(text: str) -> int:
    """At most how many amounts `parse_amount_phrase` can read in a text: its runs of digits
    and of letters. An amount in digits holds a run of digits no other amount shares (none
    starts or ends beside a digit), one in words holds its own scale or currency word."""
    return len(_DIGIT_RUNS.findall(text)) + len(_LETTER_RUNS.findall(text))


def check_text_amounts(extraction: Extraction, limit: int, name: str) -> None:
    """Refuse a document whose text prints more than `limit` amounts (grouped numbers count
    as kronor here, as under a table header), before the checks weigh each one. A text with
    fewer runs of digits and letters than the limit cannot print that many: it is let
    through without reading each amount."""
    if sum(most_amounts(block.text) for block in extraction.text) <= limit:
        return
    count = 0
    for block in extraction.text:
        count += len(parse_amount_phrase(block.text, "kr"))
        if count > limit:
            raise DocumentTooLargeError(
                name, f"the text prints too many amounts: more than max_text_amounts={limit} "
                f"({count} read before stopping); no decision prints that many: check the file "
                "or raise the limit")


def renamed(extraction: Extraction, name: str) -> Extraction:
    """The extraction with every source_file set to name (readers use the file's own name)."""
    old = extraction.source_file
    if old == name:
        return extraction

    def fix(frame: pl.DataFrame) -> pl.DataFrame:
        if "source_file" not in frame.columns or frame.is_empty():
            return frame
        return frame.with_columns(pl.lit(name, dtype=pl.String).alias("source_file"))

    return replace(
        extraction, source_file=name, allocations=fix(extraction.allocations),
        attributes=fix(extraction.attributes),
        problems=[replace(p, source_file=name) if p.source_file == old else p
                  for p in extraction.problems],
        tables=[replace(t, source_file=name) if t.source_file == old else t
                for t in extraction.tables],
    )


def with_warnings(extraction: Extraction, messages: list[tuple[int | None, str]]
                  ) -> Extraction:
    """The extraction with one finding per page for what its libraries warned while reading
    that page (a damaged stream, a missing font box), and one for warnings of no known page:
    amounts may be missing, so each is an error."""
    by_page: dict[int | None, list[str]] = {}
    for page, text in messages:
        if not text.startswith(BENIGN_WARNINGS):
            by_page.setdefault(page, []).append(text)
    problems = [_warning_problem(extraction.source_file, page, texts) for page, texts in
                sorted(by_page.items(), key=lambda item: (item[0] is None, item[0] or 0))]
    return replace(extraction, problems=[*extraction.problems, *problems]) if problems \
        else extraction


def _warning_problem(source_file: str, page: int | None, texts: list[str]) -> Problem:
    distinct = list(dict.fromkeys(texts))
    first = "; ".join(distinct[:2])
    where = f"{source_file}, page {page}" if page is not None else source_file
    return Problem(
        check="decoder_warning", severity="error", source_file=source_file, page=page,
        message=f"{where}: the decoder reported {plural(len(texts), 'problem')} while reading it "
        f"({first[:200]}); printed amounts may be missing: get an intact copy",
        observed_text=first[:200])


def submit_documents(case: Case, settings: ExtractSettings, debug: bool,
                     pool: Executor | None, budget: BudgetSettings | None = None,
                     ) -> list[Future | Outcome]:
    """Start reading every document: in the pool when there is one, else right here.

    A refused document (a link out of the case folder) is not opened at all.
    """
    pending: list[Future | Outcome] = []
    if pool is not None:  # read elsewhere, bounded by the case's own time
        doing(f"reading its {len(case.documents)} document(s)")
    until = case_ends() if pool is not None else None
    for doc in case.documents:
        job = (doc.path, doc.reader.__name__, settings, debug, doc.name, budget, until)
        if doc.refusal is not None:
            pending.append(Outcome(doc.name, reason=doc.refusal))
        elif pool is None:
            doing(f"reading {doc.name}")
            pending.append(read_document(*job))
        else:
            pending.append(pool.submit(read_document, *job))
    return pending


def outcomes_to_extractions(case: Case, pending: list[Future | Outcome]):
    """Extractions in document order, read-error lines and their findings."""
    extractions, read_errors, findings = [], [], []
    for n, item in enumerate(pending):
        try:
            if isinstance(item, Future):
                doing(f"reading {case.documents[n].name}")
            outcome = item if isinstance(item, Outcome) else item.result()
        except BaseException:  # the case is stopped (its budget, Ctrl-C): drop what is queued
            for later in pending[n:]:
                if isinstance(later, Future):
                    later.cancel()
            raise
        if outcome.extraction is not None:
            extractions.append(outcome.extraction)
            continue
        if outcome.case_time_ran_out:  # the case's alarm is due: let it say what ran out
            doing(f"reading {outcome.name}")
            await_alarm()
        where = f"{case.name}/{outcome.name}" + (
            f", page {outcome.page}" if outcome.page else "")
        read_errors.append(f"{where}: {outcome.reason}")
        findings.append(Finding(
            check="unreadable_document",
            severity="error",
            message=f"{outcome.name} could not be read: {outcome.reason}",
            source_file=outcome.name,
            page=outcome.page,
        ))
    doing(f"checking what was read from its {len(pending)} document(s)")
    return extractions, read_errors, findings
