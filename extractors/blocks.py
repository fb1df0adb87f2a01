"""A PDF table as a grid: rows of cells in its amount columns and one header per column.

`table_to_block` takes the table's rows as extractors/cells.py cuts them (every amount on the
column it lines up with, cells wrapped onto several lines joined, the rest of a row cut off at a
page break joined to it), and joins the header band line by line into one measure name per
column; `place_line` places one line's amounts on the columns (for columns printed on later
pages, extractors/column_pieces.py). A header word cut across lines is rejoined
(`join_wrapped`, with the document's own words as the vocabulary); a group header printed over
several amount columns ("Medel, kronor") names none of them and is kept with the title, so its
unit still reaches the columns.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from extractors.amounts import looks_like_amount
from extractors.base import LayoutSettings
from extractors.cells import group_lines, groups_to_rows, table_frame
from extractors.columns import Columns, edge
from extractors.grid import TableBlock, join_wrapped, vocabulary
from extractors.lines import Line, Phrase, gap_groups, word_kind
from extractors.rows import GridRow, collapse
from extractors.varav import VARAV, is_part_row

if TYPE_CHECKING:
    from extractors.layout import PdfTable

ROW_KINDS = ("data", "total", "named", "subtotal")


def table_rows(table: PdfTable, columns: Columns, layout: LayoutSettings,
               vocab: frozenset[str]) -> tuple[list[GridRow], float]:
    """The table's rows of cells and the right edge of their labels: its body as cut into
    rows by extractors/cells.py (cells wrapped onto several lines joined)."""
    groups = table.groups
    if groups is None:
        frame = table_frame(table.body, columns, table.named, layout.anchor_tolerance_pt,
                            table.band)
        groups = group_lines(table.body, frame, layout)
    return groups_to_rows(groups, len(columns), vocab)


def place_line(line: Line, columns: Columns, broken: bool
           ) -> tuple[list[Phrase], dict[int, Phrase], list[Phrase]]:
    """The line's label phrases, its amounts by column, and amounts outside every column."""
    labels: list[Phrase] = []
    cells: dict[int, Phrase] = {}
    extra: list[Phrase] = []
    for index, phrase in enumerate(line.phrases):
        numeric = looks_like_amount(phrase.text) or word_kind(phrase.words[0]["text"]) == "digit"
        if not numeric or (index == 0 and not (broken and columns.of(phrase.bbox) is not None)):
            labels.append(phrase)
            continue
        for part in columns.split(phrase):
            col = columns.of(part.bbox)
            if col is None or col in cells:
                extra.append(part)
            else:
                cells[col] = part
    return labels, cells, extra


def table_to_block(table: PdfTable, layout: LayoutSettings | None = None,
                   vocab: frozenset[str] = frozenset()) -> TableBlock:
    """A PDF table as a grid: [code, name, amount columns...] with one joined header per column."""
    layout = layout or LayoutSettings()
    columns = table.columns(layout.anchor_tolerance_pt)
    rows, label_right = table_rows(table, columns, layout, vocab)
    # "varav" rows: a part of the row above (varav.py), kept apart from recipients and totals
    parts = {k: VARAV for k, row in enumerate(rows) if is_part_row([c.text for c in row.cells])}
    header, table.stray_header, spanning = join_band(table.band, columns, label_right, layout,
                                                     vocab)
    title = collapse(" ".join([table.title, *spanning]))
    return TableBlock(title=title, header=header, rows=rows, closed=table.closed,
                      row_kinds=parts)


def band_vocabulary(lines: list[Line], bands: list[list[Line]],
                    layout: LayoutSettings | None = None) -> frozenset[str]:
    """The document's words: every line's, but not the pieces a header band may have cut
    (the last word of a band cell with more of it on the next line, the first of that one)."""
    layout = layout or LayoutSettings()
    in_band = {id(ln) for band in bands for ln in band}
    texts = [ln.text for ln in lines if id(ln) not in in_band]
    for band in bands:
        groups = [gap_groups(ln, layout) for ln in band]
        for k, line_groups in enumerate(groups):
            for group in line_groups:
                words = [w["text"] for w in group]
                x0, x1 = group[0]["x0"], group[-1]["x1"]
                below = k + 1 < len(groups) and any(
                    g[0]["x0"] < x1 and g[-1]["x1"] > x0 for g in groups[k + 1])
                above = k > 0 and any(
                    g[0]["x0"] < x1 and g[-1]["x1"] > x0 for g in groups[k - 1])
                texts.append(" ".join(words[1 if above else 0: -1 if below else None]))
    return vocabulary(texts)


def join_band(band: list[Line], columns: Columns, label_right: float,
              layout: LayoutSettings, vocab: frozenset[str] = frozenset()
              ) -> tuple[list[str], list[Phrase], list[str]]:
    """One header text per grid column (label headers go to the code/name columns), the header
    text that sits over no column (right of the last one, or a second, separate phrase over a
    column on one line), and the group headers spanning several columns.

    Each column owns a stretch of the line (`Columns.bounds`); see `_fit` for a phrase."""
    bounds = columns.bounds(label_right)
    pieces: list[list[tuple[list[dict], bool]]] = [[] for _ in range(2 + len(columns))]
    stray: list[Phrase] = []
    spanning: list[str] = []
    for k, line in enumerate(band):
        by_col: dict[int, list[list[dict]]] = {}
        for group in gap_groups(line, layout):
            rest = []
            for word in group:
                if (word["x0"] + word["x1"]) / 2 <= label_right or not len(columns):
                    label = 0 if not pieces[0] and not pieces[1] else 1
                    _add(pieces[label], [word], False)
                else:
                    rest.append(word)
            if not rest:
                continue
            col = _fit(rest, columns, bounds, label_right)
            if col == "span" and (_headed_elsewhere(band, k, rest, bounds, columns.tol) or len(
                    {_territory(bounds, (w["x0"] + w["x1"]) / 2) for w in rest} - {None}) < 2):
                spanning.append(" ".join(w["text"] for w in rest))
                continue
            if col == "span":  # no line of the band heads its columns: their headers run
                col = None  # together ("Barn och unga Traumavård … Totalt belopp")
            if isinstance(col, int):
                by_col.setdefault(2 + col, []).append(rest)
                continue
            run: list[dict] = []  # cells too close to be cut apart: word by word
            run_at: int | None = None
            for word in rest + [None]:
                at = None if word is None else _territory(bounds, (word["x0"] + word["x1"]) / 2)
                if run and (word is None or at != run_at):
                    if run_at is None:
                        stray.append(Phrase(run))
                    else:
                        by_col.setdefault(2 + run_at, []).append(run)
                    run = []
                if word is not None:
                    run.append(word)
                    run_at = at
        for col, col_groups in by_col.items():
            kept = min(col_groups, key=lambda g: _distance(g, columns, col - 2))
            for words in col_groups:
                if words is kept:
                    pieces[col].append((words, False))
                else:
                    stray.append(Phrase(words))
    header = [join_wrapped([" ".join(w["text"] for w in ws) for ws, _ in col_pieces], vocab,
                           _fills([ws for ws, _ in col_pieces])) for col_pieces in pieces]
    return header, _merge_stray(stray), spanning


def _fit(words: list[dict], columns: Columns, bounds: list[tuple[float, float]],
         label_right: float) -> int | str | None:
    """The column a header phrase belongs to, "span" for a group header, None when it lies
    over two columns without being centred on them (two cells' words run together: they are
    then placed one by one).

    A cell's text lies inside its cell: a phrase within one column's stretch is that column's;
    one reaching well into the stretches of several columns and centred on them together is a
    group header ("Medel, kronor")."""
    x0, x1 = words[0]["x0"], words[-1]["x1"]
    first, last = _territory(bounds, x0 + columns.tol), _territory(bounds, x1 - columns.tol)
    if first is not None and first == last:
        return first
    if first is None or last is None:
        return None
    cuts = [lo for lo, _ in bounds] + [bounds[-1][1]]
    width = cuts[last + 1] - cuts[first]
    if first == 0 and len(cuts) > 2:  # the first stretch starts at the labels
        width = cuts[last + 1] - (cuts[1] - (cuts[2] - cuts[1]))
    centre = cuts[last + 1] - width / 2
    if abs((x0 + x1) / 2 - centre) <= 0.2 * width:
        return "span"
    return None


def _headed_elsewhere(band: list[Line], k: int, words: list[dict],
                      bounds: list[tuple[float, float]], tol: float) -> bool:
    """Whether another line of the band prints words over the columns a phrase of line k
    spans: then the phrase is their group header ("Medel, kronor" over "2023 | 2024")."""
    first = _territory(bounds, words[0]["x0"] + tol)
    last = _territory(bounds, words[-1]["x1"] - tol)
    if first is None or last is None:
        return True
    return any(first <= (_territory(bounds, (w["x0"] + w["x1"]) / 2) or -1) <= last
               for i, line in enumerate(band) if i != k for p in line.phrases for w in p.words)


def _add(col_pieces: list[tuple[list[dict], bool]], words: list[dict], fills: bool) -> None:
    if col_pieces and col_pieces[-1][0] and abs(col_pieces[-1][0][-1]["top"] - words[0]["top"]) < 1:
        col_pieces[-1][0].extend(words)
    else:
        col_pieces.append((list(words), fills))


def _char_width(word: dict) -> float:
    return (word["x1"] - word["x0"]) / max(1, len(word["text"]))


def _fills(col_pieces: list[list[dict]]) -> list[bool]:
    """For each header line of a column: True when a break inside its last word is possible.

    A renderer cuts a word only when the whole word does not fit the column even on a line of
    its own: the line must hold that one word, be (about) the widest of the column, and the
    word with the next line's first word be wider than that."""
    widths = [ws[-1]["x1"] - ws[0]["x0"] for ws in col_pieces if ws]
    widest = max(widths, default=0.0)
    out = []
    for i, words in enumerate(col_pieces[:-1]):
        nxt = col_pieces[i + 1]
        if not words or not nxt:
            out.append(False)
            continue
        width = words[-1]["x1"] - words[0]["x0"]
        whole = (words[-1]["x1"] - words[-1]["x0"]) + (nxt[0]["x1"] - nxt[0]["x0"])
        out.append(len(words) == 1 and width >= widest - _char_width(words[-1])
                   and whole > widest)
    return out


def _territory(bounds: list[tuple[float, float]], x: float) -> int | None:
    return next((i for i, (lo, hi) in enumerate(bounds) if lo < x <= hi), None)


def _distance(group: list[dict], columns: Columns, col: int) -> float:
    box = (group[0]["x0"], 0.0, group[-1]["x1"], 0.0)
    return abs(edge(box, columns.align) - columns.anchors[col])


def _merge_stray(stray: list[Phrase]) -> list[Phrase]:
    """Stray header words of one line and gap group joined into phrases, left to right."""
    merged: list[Phrase] = []
    for phrase in sorted(stray, key=lambda p: (p.bbox[1], p.bbox[0])):
        last = merged[-1] if merged else None
        if last is not None and abs(last.bbox[1] - phrase.bbox[1]) < 1 and (
                phrase.bbox[0] - last.bbox[2] < 2 * (phrase.bbox[3] - phrase.bbox[1])):
            last.words.extend(phrase.words)
        else:
            merged.append(Phrase(list(phrase.words)))
    return merged
