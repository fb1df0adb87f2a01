"""Lists typed with tabs, read as the tables they are.

Government DOCX annexes often print a table as paragraphs whose fields are separated by tab
characters and lined up by tab stops ("01 ⇥ Stockholm ⇥ 129 530 375 ⇥ 164 423 176"); text files
do the same with tab-separated lines. No table object holds them, so a table reader sees
paragraphs. A run of such lines is a table when the numbers say so: at least
DEFAULT_MIN_TAB_ROWS consecutive lines split by tabs, most of them into the same number of
fields, and at least that many printing a number after their first field. Each line becomes a
row of cells; a line with fewer fields than the others is aligned on the right (amounts stand in
the rightmost columns; a Riket line typed without the empty code field keeps its amounts under
theirs). Several tabs in a row (typed to reach a default tab stop) separate one pair of fields.
"""

from __future__ import annotations

import re
from collections import Counter

from extractors.amounts import looks_like_amount
from extractors.rows import Cell, GridRow, collapse

DEFAULT_MIN_TAB_ROWS = 3  # lines of a run that print a number: fewer is no table
_TABS = re.compile(r"\t+")


def tab_fields(text: str) -> list[str] | None:
    """The fields of a line typed with tabs (a leading tab leaves the first field empty), or
    None for a line without a tab between two fields."""
    stripped = text.strip(" \u00a0\r\n").rstrip("\t")
    if "\t" not in stripped:
        return None
    fields = [collapse(f) for f in _TABS.split(stripped)]
    return fields if len(fields) >= 2 else None


def _numbered(fields: list[str]) -> bool:
    return any(looks_like_amount(f) for f in fields[1:])


def tab_table(lines: list[str], page: int | None, table_id: int) -> list[GridRow] | None:
    """The rows of a run of tab-separated lines when they make a table (see the module's
    docstring), else None."""
    split = [tab_fields(ln) for ln in lines]
    if any(f is None for f in split):
        return None
    fields = [f for f in split if f is not None]
    if sum(_numbered(f) for f in fields) < DEFAULT_MIN_TAB_ROWS:
        return None
    width, count = Counter(len(f) for f in fields).most_common(1)[0]
    if count * 2 <= len(fields) or any(len(f) > width for f in fields):
        return None
    return [GridRow([Cell("") for _ in range(width - len(f))] + [Cell(t) for t in f], page,
                    table_id=table_id) for f in fields]


def tab_runs(texts: list[str | None]) -> list[range]:
    """The runs of consecutive lines (indexes) that hold tabs; None marks no line."""
    runs: list[range] = []
    start = None
    for i, text in enumerate([*texts, None]):
        tabbed = text is not None and tab_fields(text) is not None
        if tabbed and start is None:
            start = i
        elif not tabbed and start is not None:
            runs.append(range(start, i))
            start = None
    return runs


def tabbed_rows(rows: list[GridRow], raw: dict[int, str], first_id: int) -> list[GridRow]:
    """A reader's rows with each run of paragraphs typed with tabs that makes a table replaced
    by its rows (a printed table of its own, ``table_id`` from first_id down, negative so no
    Word, HTML or pipe table shares it); ``raw`` holds each paragraph row's text as printed,
    tabs kept, by ``id(row)``."""
    texts = [raw.get(id(r)) if not r.from_table else None for r in rows]
    out: list[GridRow] = []
    done = 0
    table_id = first_id
    for run in tab_runs(texts):
        table = tab_table([texts[i] or "" for i in run], None, table_id)
        if table is None:
            continue
        out += rows[done:run.start] + table
        done = run.stop
        table_id -= 1
    return out + rows[done:]
