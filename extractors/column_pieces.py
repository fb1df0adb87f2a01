"""Amount columns printed on later pages, joined to the table rows they continue.

A sheet wider than the paper is printed "down, then over" (LibreOffice Calc's and Excel's
default): the first pages hold the label columns and the amount columns that fit, the next
pages the remaining columns of the same rows, without their labels; "over, then down" puts
each page's other columns right after it. Such a page prints lines of amounts alone, under
the columns' header on the first page of each set. `stitch_columns` joins each run of such
lines to the rows of one page of an earlier table: the same number of rows at the same
heights (a spreadsheet prints a row at one height on every page across), the pages taken in
their printed order and again from the first for the next set of columns. The joined columns
count only when the sums prove the rows are theirs: a column foots to the table's total row,
or the table's row-total column adds up its row in almost every row once they are joined.

A run of amount lines that fits no page of a table, or whose sums do not prove it, stays
outside the tables (its amounts go to the text) and is an `unjoined_columns` error naming its
page, its header and its amounts: never read as something it is not, never silent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from extractors.amounts import looks_like_amount
from extractors.base import LayoutSettings, Problem
from extractors.blocks import join_band, place_line
from extractors.columns import Columns, find_columns
from extractors.fates import money_value
from extractors.grid import TableBlock
from extractors.lines import Line
from extractors.roles import adds_up, sums_the_others
from extractors.rows import Cell
from extractors.table_money import read_money

DEFAULT_SHOWN_AMOUNTS = 4  # amounts quoted in an unjoined run's finding


@dataclass
class _Run:
    """Lines of amounts alone on one page, and the header lines right above them."""

    page: int
    lines: list[Line]
    band: list[Line] = field(default_factory=list)


@dataclass
class _Target:
    """The rows of one table on one page: where a run of amount lines may belong."""

    table: int
    page: int
    rows: list[int]
    tops: list[float]


def _amount_only(line: Line) -> bool:
    texts = [p.text for p in line.phrases]
    return bool(texts) and all(looks_like_amount(t) for t in texts) and any(
        money_value(t) is not None for t in texts)


def _runs(outside: list[Line], layout: LayoutSettings, skip: set[int]) -> list[_Run]:
    """Runs of amount-only lines per page; any other line between two of them ends a run."""
    runs: list[_Run] = []
    by_page: dict[int, list[Line]] = {}
    for line in outside:
        if id(line) not in skip:
            by_page.setdefault(line.page, []).append(line)
    for page, lines in sorted(by_page.items()):
        lines.sort(key=lambda ln: ln.top)
        current: _Run | None = None
        for index, line in enumerate(lines):
            if not _amount_only(line):
                current = None
                continue
            if current is None:
                current = _Run(page, [], _band(lines[:index], line, layout))
                runs.append(current)
            current.lines.append(line)
    return [r for r in runs if len(r.lines) >= 2]


def _band(above: list[Line], first: Line, layout: LayoutSettings) -> list[Line]:
    band: list[Line] = []
    for line in reversed(above):
        nearest = band[0] if band else first
        if nearest.top - line.bottom > layout.header_gap_em * line.size or _amount_only(line):
            break
        band.insert(0, line)
    return band


def _row_top(cells: Sequence[Cell]) -> float | None:
    tops = [c.bbox[1] for c in cells if c.bbox is not None]
    return min(tops) if tops else None


def _targets(blocks: list[TableBlock]) -> list[_Target]:
    targets = []
    for t, block in enumerate(blocks):
        pages: dict[int, _Target] = {}
        for i, row in enumerate(block.rows):
            top = _row_top(row.cells)
            if row.page is None or top is None:
                continue
            target = pages.setdefault(row.page, _Target(t, row.page, [], []))
            target.rows.append(i)
            target.tops.append(top)
        targets += list(pages.values())
    return targets


def _fits(run: _Run, target: _Target, tol: float) -> bool:
    return target.page < run.page and len(run.lines) == len(target.tops) and all(
        abs(line.top - top) <= tol for line, top in zip(run.lines, target.tops, strict=True))


def _assign(runs: list[_Run], targets: list[_Target], tol: float) -> list[_Target | None]:
    """The target of each run: the page after the previous run's page in the same table when
    it fits (a set of columns goes on page by page), else the earliest fitting page of a
    table printed wholly before the run (the next set of columns starts over), else the
    latest fitting page (over, then down)."""
    out: list[_Target | None] = []
    following: _Target | None = None
    last_page: dict[int, int] = {}
    for t in targets:
        last_page[t.table] = max(last_page.get(t.table, t.page), t.page)
    for run in runs:
        fitting = [t for t in targets if _fits(run, t, tol)]
        if following in fitting:
            chosen = following
        elif fitting:
            done = [t for t in fitting if last_page[t.table] < run.page]
            chosen = min(done, key=lambda t: t.page) if done else max(fitting,
                                                                      key=lambda t: t.page)
        else:
            chosen = None
        out.append(chosen)
        pages = [t for t in targets if chosen is not None and t.table == chosen.table]
        following = pages[(pages.index(chosen) + 1) % len(pages)] if pages else None
    return out


def _piece_cells(run: _Run, layout: LayoutSettings, vocab: frozenset[str]
                 ) -> tuple[list[str], list[list[Cell]]] | None:
    """The run's header texts and each line's cells, one per column; None when an amount
    lies outside every column."""
    columns: Columns = find_columns(run.lines, layout.anchor_tolerance_pt, labelled=False)
    rows = []
    for line in run.lines:
        _, placed, extra = place_line(line, columns, True)
        if extra:
            return None
        rows.append([Cell(placed[c].text, placed[c].bbox) if c in placed else Cell("")
                     for c in range(len(columns))])
    header = join_band(run.band, columns, 0.0, layout, vocab)[0][2:] if run.band else []
    return header + [""] * (len(columns) - len(header)), rows


def _proven(block: TableBlock, new: range) -> bool:
    """Whether the joined columns belong to the rows: one of them foots to the total row, or
    the row-total column adds up its row in almost every row."""
    read = read_money(block)
    totals = [i for i, k in enumerate(read.kinds) if k == "total"]
    recipients = [i for i, k in enumerate(read.kinds) if k == "recipient"]
    for col in (c for c in new if c in read.grid.columns):
        values = [read.grid.cells[i][col] for i in recipients if col in read.grid.cells[i]]
        if totals and values and col in read.grid.cells[totals[-1]] and adds_up(
                values, read.grid.cells[totals[-1]][col]):
            return True
    return any(sums_the_others(read.grid, c, recipients) for c in read.grid.columns)


def _joined(block: TableBlock, sets: list[list[tuple[_Target, list[str], list[list[Cell]]]]]
            ) -> TableBlock:
    width = len(block.header)
    header = list(block.header)
    rows = [type(r)(list(r.cells), r.page, r.is_header, r.from_table, r.table_id)
            for r in block.rows]
    for pieces in sets:
        count = max(len(h) for _, h, _ in pieces)
        header += next((h for _, h, _ in pieces if any(h)), [""] * count)
        for row in rows:
            row.cells += [Cell("") for _ in range(count)]
        for target, _, cells in pieces:
            for i, line_cells in zip(target.rows, cells, strict=True):
                rows[i].cells[width: width + len(line_cells)] = line_cells
        width += count
    return TableBlock(block.title, header, rows, block.closed, block.header_rows, block.groups,
                      dict(block.row_kinds), block.pieces)


def stitch_columns(blocks: list[TableBlock], outside: list[Line], layout: LayoutSettings,
                   skip: set[int], vocab: frozenset[str], source_file: str
                   ) -> tuple[list[TableBlock], list[Line], list[Problem]]:
    """The table blocks with the amount columns of later pages joined to their rows, the
    lines still outside every table, and an `unjoined_columns` error per run that could not
    be joined (see the module's docstring)."""
    runs = _runs(outside, layout, skip)
    if not runs:
        return blocks, outside, []
    targets = _targets(blocks)
    chosen = _assign(runs, targets, layout.anchor_tolerance_pt)
    sets: dict[int, list[list]] = {}  # table -> sets of columns, each [(target, header, cells)]
    seen: dict[int, int] = {}  # id(target) -> sets already joined to it
    placed: dict[int, list[_Run]] = {}
    unjoined: list[tuple[_Run, str]] = []
    for run, target in zip(runs, chosen, strict=True):
        piece = _piece_cells(run, layout, vocab) if target is not None else None
        if target is None or piece is None or len(blocks[target.table].header) != max(
                len(r.cells) for r in blocks[target.table].rows):
            unjoined.append((run, "no page of a table before it prints as many rows at the "
                             "same heights" if target is None else "its amounts do not line "
                             "up in columns with the table's rows"))
            continue
        n = seen.get(id(target), 0)
        seen[id(target)] = n + 1
        table_sets = sets.setdefault(target.table, [])
        while len(table_sets) <= n:
            table_sets.append([])
        table_sets[n].append((target, *piece))
        placed.setdefault(target.table, []).append(run)
    out = list(blocks)
    for table, table_sets in sets.items():
        joined = _joined(blocks[table], table_sets)
        if _proven(joined, range(len(blocks[table].header), len(joined.header))):
            out[table] = joined
        else:
            unjoined += [(r, "the sums do not prove its rows are the table's: no joined "
                          "column foots to the total row and no row-total column adds up")
                         for r in placed.pop(table)]
    used = {id(ln) for runs_ in placed.values() for r in runs_ for ln in r.lines + r.band}
    return out, [ln for ln in outside if id(ln) not in used], [
        _unjoined_problem(run, why, source_file) for run, why in unjoined]


def _unjoined_problem(run: _Run, why: str, source_file: str) -> Problem:
    amounts = [p.text for ln in run.lines for p in ln.phrases]
    shown = ", ".join(amounts[:DEFAULT_SHOWN_AMOUNTS]) + (
        f" and {len(amounts) - DEFAULT_SHOWN_AMOUNTS} more" if len(amounts) >
        DEFAULT_SHOWN_AMOUNTS else "")
    header = " | ".join(ln.text for ln in run.band)
    under = f" under '{header}'" if header else " without a header"
    return Problem(
        "unjoined_columns", f"Page {run.page} of {source_file} prints {len(run.lines)} lines of "
        f"amounts alone{under} ({shown}): columns that go on from a table on an earlier page, "
        f"but they could not be joined to its rows ({why}), so they were not read as a table; "
        "print the sheet with its label columns repeated, or check the pages.", source_file,
        page=run.page, observed_text=" | ".join(amounts), severity="error")
