"""The pipeline of one case, as a short sequence of transforms, and the batch over many cases."""

from __future__ import annotations

import ctypes
import functools
import gc
import multiprocessing
import os
import shutil
import signal
import sys
import time
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from pathlib import Path

from extractors.base import Extraction
from extractors.errors import EmptyCaseError, ReconcileError
from model import CaseResult, Finding, sort_findings
from pipeline import outputs
from pipeline.bare_codes import bare_code_findings
from pipeline.cases import Case, folder_to_case
from pipeline.context import documents_text, name_forms
from pipeline.docs_static import shared_static
from pipeline.fates import reading_summary, settle_blocks, short_table_findings
from pipeline.measures import align_measures
from pipeline.name_lists import lists_to_tables
from pipeline.publishing import (
    check_output_folder,
    check_replaceable,
    make_staging,
    output_names,
    publish,
    withdraw,
)
from pipeline.reading import outcomes_to_extractions, submit_documents
from pipeline.resolver import Resolver, names_to_codes, printed_code_pairs, reference_codes
from pipeline.settings import Settings
from pipeline.statements import (
    extractions_to_stated_findings,
    rate_check_summary,
    stated_check_summary,
)
from pipeline.tables import (
    extractions_to_attributes,
    extractions_to_frame,
    problems_to_findings,
    reported_cells,
    riket_totals,
)
from pipeline.tally import picture_findings, unaccounted_findings
from pipeline.unchecked import unchecked_statement_findings, unchecked_table_findings
from pipeline.verdict import case_verdict, unchecked_findings
from pipeline.watch import CaseBudgetError, case_limit, shielded


def unrecognised_findings(case: Case) -> list[Finding]:
    """Files the tool does not read are listed, never skipped silently."""
    return [
        Finding(
            check="unrecognised_file",
            severity="warning",
            message=f"{name} is not PDF, DOCX, HTML, TXT or MD, so the tool did not check it.",
            source_file=name,
        )
        for name in case.unrecognised
    ]


def nothing_to_check_findings(extractions: list[Extraction], stated: list[dict]) -> list[Finding]:
    """A document with no allocation table and no amount in its text is said to be so."""
    with_statements = {row.get("source_file") for row in stated}
    return [
        Finding(
            check="nothing_to_check",
            severity="warning",
            message=f"{e.source_file} holds no allocation table and no amount in its text, "
            "so nothing in it could be reconciled.",
            source_file=e.source_file,
        )
        for e in extractions
        if e.allocations.is_empty() and e.source_file not in with_statements
        and not any(b.amounts for b in e.blocks)  # its unread blocks are errors of their own
    ]


def reconcile_case(
    path: Path, out_dir: Path, settings: Settings, resolver: Resolver | None = None,
    debug: bool = False, pool: Executor | None = None, name: str | None = None,
) -> CaseResult:
    """Read one case folder, check it, and write its outputs atomically into out_dir/<name>.

    `name` is the case's output name (default: its folder's name). With a pool, the documents
    are read in worker processes while this one loads the suites.
    """
    case = folder_to_case(path, name)
    if not case.documents:
        raise EmptyCaseError(str(path), case.unrecognised)
    final = out_dir / case.name
    check_replaceable(final)
    # With a pool the documents are read there while this process imports the checks (slow);
    # without one the checks come first, so what the first case freezes is never a document.
    read_here = pool is None
    pending = None if read_here else submit_documents(case, settings.extract, debug, pool,
                                                      settings.budget)
    import_checks()
    if read_here:
        pending = submit_documents(case, settings.extract, debug, pool, settings.budget)
    from expectations.runner import run_suites
    from pipeline.diagnosis import diagnose_or_say_why

    resolver = resolver or Resolver(overrides=settings.overrides)
    extractions, read_errors, findings = outcomes_to_extractions(case, pending)
    return_freed_memory()
    lists_to_tables(extractions, resolver)
    frame = extractions_to_frame(extractions)
    attributes = extractions_to_attributes(extractions)
    frame, resolve_findings = names_to_codes(frame, resolver)
    # The checks compare the documents' columns under one name each; outputs keep the
    # headers as printed.
    checked, measure_findings = align_measures(frame)
    resolve_findings += measure_findings
    codes = {level: reference_codes(level) for level in ("kommun", "region", "lan")}
    staging = make_staging(ensure_dir(out_dir))
    try:
        docs_dir = staging / "data_docs" if settings.data_docs and len(frame) else None
        static = shared_static(out_dir) if docs_dir else None
        suite_run = run_suites(checked, codes, data_docs_dir=docs_dir, data_docs_static=static,
                               attributes=attributes, documents=documents_text(extractions),
                               names=name_forms(),
                               code_pairs=printed_code_pairs(frame, resolver),
                               reported_cells=reported_cells(extractions))
        stated, claims_rows = extractions_to_stated_findings(
            extractions, riket_totals(frame), frame, suite_run.found_keys)
        findings += problems_to_findings(extractions) + unrecognised_findings(case)
        findings += nothing_to_check_findings(extractions, claims_rows)
        findings += resolve_findings + [Finding(**d) for d in suite_run.findings] + stated
        findings += settle_blocks(extractions, claims_rows) + short_table_findings(extractions)
        findings += unaccounted_findings(extractions, claims_rows) + picture_findings(extractions)
        findings += bare_code_findings(extractions, reference_codes)
        checks = suite_run.checks + [stated_check_summary(stated), rate_check_summary(stated),
                                     reading_summary(extractions)]
        if not any(f.check == "unread_table" for f in findings):  # that says it already
            findings += unchecked_findings(len(frame), claims_rows, checks)
        if not any(f.check == "unchecked_amounts" for f in findings):  # nothing checked at all
            findings += unchecked_statement_findings(extractions, claims_rows)
            findings += unchecked_table_findings(frame, suite_run.found_keys, claims_rows)
        findings = sort_findings(findings)
        diagnosis = diagnose_or_say_why(frame, findings, settings.diagnosis,
                                        suite_run.found_keys, attributes, debug,
                                        suite_run.copies)
        verdict = case_verdict(findings, read_errors, checks, bool(len(frame)) or bool(claims_rows))
        result = CaseResult(
            case, extractions, frame, findings, verdict, read_errors, checks, suite_run.footing,
            claims_rows, attributes, diagnosis, found_keys=suite_run.found_keys,
        )
        outputs.write_case(result, staging, settings)
        with shielded():  # the case's budget does not cut between the two renames
            publish(staging, final)
    finally:
        with shielded():  # removed whole even when the case's budget ran out
            shutil.rmtree(staging, ignore_errors=True)
    return result


def import_checks() -> None:
    """Import the suites and the diagnosis (great-expectations: about a second), and the first
    time in a process freeze what the imports made (freeze_imported)."""
    first = "expectations.runner" not in sys.modules
    with shielded():  # an import cut short could leave its modules half made for later cases
        import expectations.runner  # noqa: F401
        import pipeline.diagnosis  # noqa: F401
    if first:
        freeze_imported()


def return_freed_memory() -> None:
    """Hand the free pages of the C heap back to the system (glibc's malloc_trim), once the
    documents are read: pdfium, lxml and pdfminer free some 14 MB there that glibc keeps
    resident otherwise, and the checks and outputs after them would peak on top of it (the
    2024 case: 301 -> 291 MB at its highest). Costs about a millisecond; elsewhere than
    glibc it does nothing."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim():
    try:
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError, TypeError):  # not glibc (Windows: no CDLL(None))
        return None


def freeze_imported() -> None:
    """Take every object this process holds now, the libraries it imported above all (great-
    expectations' import alone makes hundreds of thousands), out of the garbage collector's
    walks: they live as long as the process, and walking them again at every full collection
    cost 0.3-0.4 s of each case. Called once the libraries are in and before any document is
    read in this process, never per case, so no case's garbage is kept."""
    gc.freeze()


def case_worker(args: tuple, pool: Executor | None = None) -> dict:
    """Run one case (in a worker process or here); return its summary entry (picklable).

    args: (case path, out dir, settings, debug[, output name]).
    """
    path, out_dir, settings, debug = args[:4]
    name = args[4] if len(args) > 4 else Path(path).name
    budget = settings.budget
    try:
        with case_limit(name, budget.max_seconds_per_case, budget.max_memory_bytes):
            result = reconcile_case(
                Path(path), Path(out_dir), settings, debug=debug, pool=pool, name=name)
    except CaseBudgetError as exc:
        withdraw(Path(out_dir) / name)
        summary = outputs.failed_summary(name, str(exc))
        return summary | {"exit_reason": "the case went beyond its time or memory budget"}
    except ReconcileError as exc:
        if debug:
            raise
        withdraw(Path(out_dir) / name)
        return outputs.failed_summary(name, str(exc))
    except Exception as exc:  # one broken case must not stop the batch
        if debug:
            raise
        withdraw(Path(out_dir) / name)
        line = f"{name}: {type(exc).__name__}: {exc}; rerun with --debug"
        return outputs.failed_summary(name, line)
    return outputs.case_summary(result)


TRACKER_QUIET = "ignore::UserWarning:multiprocessing.resource_tracker"


def worker_pool(workers: int) -> ProcessPoolExecutor:
    """Fresh worker processes (spawned: forking a process that has used polars can hang).

    Workers leave Ctrl-C to this process, which ends them, and die with it (see worker_start).
    Killing them leaves their queue's semaphores to multiprocessing's resource tracker, which
    would warn of a "leak" on stderr; it is started with that warning off (it inherits -W).
    """
    if TRACKER_QUIET not in sys.warnoptions:
        sys.warnoptions.append(TRACKER_QUIET)
    return ProcessPoolExecutor(
        max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
        initializer=worker_start, initargs=(os.getpid(),))


def worker_start(parent: int) -> None:
    """In each worker: ignore Ctrl-C (the parent stops the batch) and exit when the parent
    is gone, even after a SIGKILL of it (Linux: PR_SET_PDEATHSIG)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # not Linux: the pool's own shutdown still ends the workers
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)
    freeze_imported()  # the readers' libraries, imported with this module


class BatchInterrupted(KeyboardInterrupt):
    """Ctrl-C or SIGTERM stopped a batch; summary.json holds the cases done so far."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__(f"interrupted: {done} of {total} cases done")
        self.done, self.total = done, total


def end_pool(pool: ProcessPoolExecutor) -> None:
    """Stop a pool now: drop queued work and kill the workers, without waiting for them."""
    processes = list((getattr(pool, "_processes", None) or {}).values())  # no public handle
    for process in processes:
        if process.is_alive():
            process.kill()
    for process in processes:
        process.join(timeout=5)
    # With its workers gone the pool is broken; shutting it down now only joins its manager
    # thread, which releases the queues (else the resource tracker warns of leaked semaphores).
    pool.shutdown(wait=True, cancel_futures=True)


def reconcile_cases(
    paths: list[Path], out_dir: Path, settings: Settings, debug: bool = False, progress=None,
) -> list[dict]:
    """Reconcile many cases; one failure stops nothing.

    With more workers than cases, the cases run here one by one and the workers read their
    documents; otherwise each worker takes whole cases.
    """
    check_output_folder(out_dir, paths)
    names, notes = output_names(paths)
    jobs = [(str(p), str(out_dir), settings, debug, n) for p, n in zip(paths, names, strict=True)]
    folders = dict(zip(names, paths, strict=True))
    summaries: list[dict] = []
    started = time.time()

    def done(summary: dict) -> None:
        summary["folder"] = str(folders[summary["case"]])
        summary["notes"] = notes.get(summary["case"], [])
        summaries.append(summary)
        outputs.write_summary(summaries, out_dir)  # matches the folders after every case
        if progress:
            progress(summary)

    pool = None
    try:
        if settings.workers == 1 or debug:
            for job in jobs:
                done(case_worker(job))
        elif len(jobs) < settings.workers:
            # This process loads the suites meanwhile, so it counts as one of the workers.
            pool = worker_pool(settings.workers - 1)
            for job in jobs:
                done(case_worker(job, pool))
        else:
            pool = worker_pool(settings.workers)
            for future in as_completed([pool.submit(case_worker, job) for job in jobs]):
                done(future.result())
    except KeyboardInterrupt:
        if pool is not None:
            end_pool(pool)
            pool = None
        # A worker may have published a case whose summary had not come back yet.
        reported = {s["case"] for s in summaries}
        for name in names:
            entry = outputs.published_summary(out_dir / name, started)
            if name not in reported and entry is not None:
                done(entry)
        raise BatchInterrupted(len(summaries), len(jobs)) from None
    finally:
        if pool is not None:
            pool.shutdown()
    outputs.write_summary(summaries, out_dir)
    return summaries


def quiet_terminal() -> bool:
    """True when progress output would only clutter a log (CI, pipes)."""
    return bool(os.environ.get("CI")) or not sys.stderr.isatty()


def ensure_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path
