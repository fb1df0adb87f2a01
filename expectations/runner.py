"""Running the suites with great-expectations on one case's allocation frame.

``run_suites`` builds each suite's check frame, validates it with GX in the process's one
ephemeral context (made on first use, reused by every case; nothing written to disk, progress
bars off) and turns every failing row GX reports into a finding dict with the keys of
``pipeline.findings.Finding``. Text handed to GX is HTML-escaped, since its Data Docs render
values as markup (expectations/docs.py sanitises the pages as well).
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from expectations import copies, coverage, frames, general, keys, messages
from expectations.coverage import DocumentText
from expectations.engine import ProgressBarsConfig, V1Validator, pd  # imported with GX
from expectations.settings import SuiteSettings
from expectations.suites import (
    INDEX_COLUMNS,
    SEVERITY_RANK,
    SUITES_BY_NAME,
    Suite,
    code_name_suite,
    expectation_suite,
    gx,
)
from model import CheckSummary, count_items

FOOTING_SCHEMA = {
    "source_file": pl.String, "table": pl.String, "measure": pl.String,
    "recipients_sum": pl.Int64, "riket": pl.Int64, "difference": pl.Int64,
    "bound": pl.Float64, "page": pl.Int64,
}  # fmt: skip


@dataclass
class SuiteRun:
    """What the pipeline gets back: findings as dicts, one summary per suite, the footing table."""

    findings: list[dict] = field(default_factory=list)
    checks: list[CheckSummary] = field(default_factory=list)
    footing: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=FOOTING_SCHEMA))
    keys: pl.DataFrame = field(default_factory=pl.DataFrame)  # allocation-key check rows
    # The keys found in the numbers (expectations.keys.Key): columns, kind, parameters, rows.
    found_keys: list = field(default_factory=list)
    data_docs: Path | None = None  # index.html of the Data Docs, when built
    # Tables printed in two documents as one table (expectations.copies.TableCopy): what
    # formats_agree compared cell for cell.
    copies: list = field(default_factory=list)


def new_context() -> gx.data_context.AbstractDataContext:
    """An ephemeral GX context with progress bars off and one pandas data source, "frames",
    whose dataframe asset takes each check frame as a batch parameter."""
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    asset = context.data_sources.add_pandas("frames").add_dataframe_asset("frame")
    asset.add_batch_definition_whole_dataframe("whole frame")
    return context


_CONTEXT: list = []  # the process's context, made on first use


def shared_context() -> gx.data_context.AbstractDataContext:
    """The process's GX context: made once, reused by every case (building one and adding a
    data source, asset and suite per case was a third of the suites' time)."""
    if not _CONTEXT:
        _CONTEXT.append(new_context())
    return _CONTEXT[0]


def escape_text(value):
    """A text as GX should see it: HTML-escaped (its Data Docs print values as markup)."""
    return html.escape(value) if isinstance(value, str) else value


def _escaped(series: pl.Series) -> pl.Series:
    if not series.str.contains(r"[&<>\"']").any():  # nothing to escape: most columns
        return series
    for raw, safe in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"),
                      ("'", "&#x27;")):
        series = series.str.replace_all(raw, safe, literal=True)
    return series


def to_pandas(frame: pl.DataFrame) -> pd.DataFrame:
    """A check frame for GX: numbers as float (null as NaN), lists as text, every text
    HTML-escaped; no pyarrow needed."""
    columns = {}
    for name, dtype in frame.schema.items():
        series = frame[name]
        if isinstance(dtype, pl.List):
            series = _escaped(series.list.eval(pl.element().cast(pl.String)).list.join(", "))
        elif dtype == pl.String:
            series = _escaped(series)
        elif dtype.is_numeric() and name != "row_id":
            series = series.cast(pl.Float64)
        columns[name] = series.to_list()
    return pd.DataFrame(columns)


def check_frames(
    frame: pl.DataFrame, reference_codes: Mapping[str, frozenset[str]], settings: SuiteSettings,
    documents: Sequence[DocumentText] = (),
    names: Mapping[str, Mapping[str, Sequence[str]]] | None = None,
    reported_cells: pl.DataFrame | None = None,
) -> tuple[dict[str, pl.DataFrame], list[dict], list[keys.Key], list[copies.TableCopy]]:
    """Every suite's check frame, the notes (keys found, columns no key ties, partial or
    explained tables, tables without a total row, tables of one kind that are no copies), the
    keys found in the numbers and the tables that are copies of another document's."""
    prepared = frames.prepare(frame, settings)
    grid = frames.cell_grid(prepared)
    search = keys.find_keys(grid, settings)
    scope = general.coverage_scope(prepared, reference_codes)
    scopes = coverage.table_scopes(prepared, reference_codes, settings, documents, names)
    covered = frames.coverage_frame(prepared, reference_codes)
    copied, copy_notes = copies.table_copies(grid, settings, documents)
    partial = coverage.excused(scopes)
    if partial.height and covered.height:  # these tables' absent codes are no error
        absent = covered.join(partial, on=frames.TABLE_KEYS, how="semi").filter(
            pl.col("observed") == 0)
        covered = covered.join(absent.select("row_id"), on="row_id", how="anti")
    out = {
        "cross_footing": frames.cross_footing_frame(grid, settings),
        "footing": (footing := frames.footing_frame(grid, settings)),
        "footing_cells": frames.footing_cells(grid, footing),
        "coverage": (covered := frames.coverage_groups(covered, partial)),
        "coverage_cells": frames.coverage_cells(prepared, covered),
        "amounts": frames.amounts_frame(grid, reported_cells, frozenset(
            (k.dependent.source_file, k.dependent.table, k.dependent.table_index,
             k.dependent.measure) for k in search.keys if k.kind == "difference")),
        "allocation_key": search.rows,
        "formats_agree": copies.formats_frame(grid, settings, copied),
    }
    notes = [messages.key_found(k) for k in search.keys]
    notes += [messages.untied_column(c) for c in search.untied] + coverage.coverage_notes(scopes)
    notes += copy_notes
    return out, notes + general.no_total_notes(scope, prepared), search.keys, copied


def validate(context, suite: Suite, checks: pl.DataFrame, cells: pl.DataFrame | None = None):
    """Validate one suite's expectations on a batch of its check frame or, for a suite with
    per-row or per-table expectations, of its cell frame (nothing is stored in the context)."""
    rows = checks.to_dicts() if suite.per_row or suite.per_group else []
    data = cells if (suite.per_row or suite.per_group) and cells is not None else checks
    index = [c for c in INDEX_COLUMNS if c in data.columns]
    definition = context.data_sources.get("frames").get_asset("frame").get_batch_definition(
        "whole frame")
    # GX's own validator on the batch definition, as ValidationDefinition.run makes it:
    # ``definition.get_batch(...).validate(...)`` made the batch twice (its validator asks
    # the definition for the batch again), copying and fingerprinting the frame each time.
    validator = V1Validator(
        batch_definition=definition, batch_parameters={"dataframe": to_pandas(data)},
        result_format={"result_format": "COMPLETE", "unexpected_index_column_names": index})
    return validator.validate_expectation_suite(expectation_suite(suite, rows))


def _group_hits(checks: pl.DataFrame, group: int, outcome) -> list[dict]:
    """The check rows (by row_key within the table's group) a failed table expectation names:
    the codes GX lists as unexpected, or those a contain-set expectation found missing."""
    rows = checks.filter(pl.col("group") == group)
    by_key = dict(zip(map(escape_text, rows["row_key"]), rows["row_id"], strict=True))
    config = outcome.expectation_config.kwargs
    if "value_set" in config and outcome.expectation_config.type.endswith("contain_set"):
        keys = list(outcome.result.get("partial_missing_list") or [])
        if (outcome.result.get("missing_count") or 0) > len(keys):  # GX lists only some
            keys = [escape_text(k) for k in rows.filter(pl.col("observed") == 0)["row_key"]]
    else:
        keys = [v for v in outcome.result.get("unexpected_list") or []]
    return [{"row_id": by_key[k]} for k in dict.fromkeys(keys) if k in by_key]


def findings_from(suite: Suite, checks: pl.DataFrame, result) -> tuple[list[dict], CheckSummary]:
    """One finding per failing row, at the severity of the most severe rule it breaks; the
    summary counts the check rows evaluated (failed: an error rule broken; noted: only a
    warning rule, or rounding within the bound)."""
    worst: dict[int, tuple[int, str, str]] = {}
    for order, outcome in enumerate(result.results):
        meta = outcome.expectation_config.meta or {}
        rule, severity = meta["rule"], meta["severity"]
        if outcome.success:
            continue
        hits = outcome.result.get("unexpected_index_list") or []
        if "row_id" in meta:  # an expectation of one check row: its failure is that row's
            hits = [{"row_id": meta["row_id"]}]
        elif "group" in meta:  # an expectation of one table: the rows of the codes it names
            hits = _group_hits(checks, meta["group"], outcome)
        for hit in hits:
            row_id = int(hit["row_id"])
            rank = (SEVERITY_RANK[severity], order)
            if row_id not in worst or rank < worst[row_id][0]:
                worst[row_id] = (rank, rule, severity)
    if suite.rounding_notes:  # rows off within their bound: rounding, said but no failure
        rounding = checks.filter((pl.col("difference") != 0) & (pl.col("excess") <= 0)
                                 & ~pl.col("row_id").is_in(list(worst)))
        for row_id in rounding["row_id"].to_list():
            worst[int(row_id)] = ((SEVERITY_RANK["info"], len(result.results)), "exact", "info")
    rows = {int(r["row_id"]): r for r in checks.filter(
        pl.col("row_id").is_in(list(worst))).to_dicts()}
    build = (messages.BUILDERS.get(suite.name) or general.GENERAL_BUILDERS.get(suite.name)
             if not suite.counts_only else None)
    found = [build(rule, severity, rows[row_id])
             for row_id, (_, rule, severity) in sorted(worst.items())] if build else []
    summary = count_items(suite.name, suite.description, checks.height,
                          [severity for _, _, severity in worst.values()], len(result.results))
    return found, summary


def footing_table(checks: pl.DataFrame) -> pl.DataFrame:
    """The report's footing table: per document, table and column, sum against Riket."""
    if checks.height == 0:
        return SuiteRun().footing
    renamed = checks.rename({"expected": "recipients_sum", "observed": "riket",
                             "tolerance": "bound"})
    return renamed.select([pl.col(c).cast(t) for c, t in FOOTING_SCHEMA.items()])


def run_suites(
    frame: pl.DataFrame,
    reference_codes: Mapping[str, frozenset[str]],
    settings: SuiteSettings | None = None,
    data_docs_dir: Path | None = None,
    data_docs_static: Path | None = None,
    attributes: pl.DataFrame | None = None,
    documents: Sequence[DocumentText] = (),
    names: Mapping[str, Mapping[str, Sequence[str]]] | None = None,
    code_pairs: pl.DataFrame | None = None,
    reported_cells: pl.DataFrame | None = None,
) -> SuiteRun:
    """Validate one case's allocation frame with every suite; build Data Docs if asked.

    ``attributes`` (the readers' numbers that are not money, ``Extraction.attributes`` of every
    document concatenated) adds the share suites of expectations/general.py when it has rows.
    ``documents`` (each document's running text and table titles) and ``names`` (level ->
    code -> the name forms documents use) let coverage read whether a table claims the whole
    country and whether its text explains the codes it leaves out. ``data_docs_static`` is
    the folder the Data Docs' stylesheets and images are shared from (default: inside them).
    ``code_pairs`` (the resolver's printed codes with the code each name resolves to, see
    ``pipeline.resolver.printed_code_pairs``) adds the code/name suite, which counts and
    documents what the resolver's code_name findings say. ``reported_cells`` (source_file,
    table, row_index, measure, page of each printed cell a reader could not read, see
    ``frames.REPORTED_SCHEMA``) are left to the readers' findings: the amounts suite does not
    call them empty as well.
    """
    settings = settings or SuiteSettings()
    by_suite, notes, found_keys, copied = check_frames(
        frame, reference_codes, settings, documents, names, reported_cells)
    suites = [SUITES_BY_NAME[name] for name in settings.suites]
    if attributes is not None and attributes.height:
        by_suite |= general.general_frames(attributes, frame, settings)
        suites += [s for s in general.GENERAL_SUITES if by_suite[s.name].height]
    if code_pairs is not None and code_pairs.height:
        official = frozenset().union(*reference_codes.values())
        prepared = frames.prepare(frame, settings)
        by_suite["code_name"] = frames.code_name_frame(prepared, code_pairs, official)
        suites.append(code_name_suite(official))
    context = shared_context()
    run = SuiteRun(keys=by_suite["allocation_key"], found_keys=found_keys, copies=copied)
    results = {}
    for suite in suites:
        results[suite.name] = result = validate(context, suite, by_suite[suite.name],
                                                by_suite.get(f"{suite.name}_cells"))
        found, summary = findings_from(suite, by_suite[suite.name], result)
        run.findings += found + [n for n in notes if n["check"] == suite.name]
        run.checks.append(summary)
    if "footing" in settings.suites:
        run.footing = footing_table(by_suite["footing"])
    if data_docs_dir is not None:
        from expectations.docs import build_data_docs

        run.data_docs = build_data_docs(Path(data_docs_dir), run, results, data_docs_static)
    return run
