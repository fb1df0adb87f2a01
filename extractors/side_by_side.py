"""Lists and tables printed side by side, read as the tables they are.

Annexes save paper by printing a long list in two or three columns of one table (Kod | Kommun |
Belopp | Kod | Kommun | Belopp: the first half of the kommuner on the left, the rest on the
right), and print two short tables beside each other (the region table and the län table in one
landscape row). A reader that takes each printed row as one recipient mangles both.

The evidence is in the rows, not in any header's wording:

- every row cut into groups of equal width holds, in each group, a clean row of its own (a code
  or a name, then amounts; or a total row), and each group has such rows;
- the groups either print the same header (one list continued beside itself), or each ends with
  its own total row (separate tables, each closed by its own Riket).

`unfold_side_by_side` turns such a grid block (HTML, DOCX, text tables) into one block of the
groups' rows one after the other (a list continued), or into one block per group (tables side
by side). `split_side_by_side` does the same for the lines of a PDF page before its tables are
found: a vertical gap that an amount ends before and a code or name starts after, in every row
of a run of lines, cuts each line in two; the left lines are then read before the right ones.
"""

from __future__ import annotations

from dataclasses import dataclass

from extractors.amounts import looks_like_amount
from extractors.base import LayoutSettings
from extractors.lines import Line, line_kind, line_to_phrases
from extractors.rows import CODE_RE, Cell, GridRow, classify_row, collapse

DEFAULT_MIN_SIDE_ROWS = 3  # rows that show the cut before a page's lines are cut
DEFAULT_MAX_BAND_LINES = 4  # title and header lines above the rows that are cut with them
DEFAULT_MAX_GROUPS = 4  # lists printed beside each other, at most
ROW_CLASSES = ("data", "named", "total", "subtotal")
CLOSING = ("total", "subtotal")


def _kind(cells: list[Cell]) -> str:
    return classify_row([c.text for c in cells])


def _filled_columns(rows: list[GridRow]) -> list[int]:
    """The columns some row prints text in (a spacer column between two lists is none)."""
    width = max(len(r.cells) for r in rows)
    return [c for c in range(width) if any(c < len(r.cells) and collapse(r.cells[c].text)
                                           for r in rows)]


@dataclass
class _Groups:
    """A printed table cut into groups of columns: the header rows' and the body rows' cells
    of each group (a group's empty cells in a row left out)."""

    heads: list[list[list[Cell]]]
    bodies: list[list[tuple[GridRow, list[Cell]]]]

    def header_key(self, group: int) -> list[str]:
        rows = self.heads[group]
        width = len(rows[0]) if rows else 0
        return [collapse(" ".join(r[c].text for r in rows if c < len(r))).casefold()
                for c in range(width)]

    def closed_each(self) -> bool:
        return all(body and _kind(body[-1][1]) in CLOSING for body in self.bodies)


def _groups(rows: list[GridRow], columns: list[int], count: int) -> _Groups | None:
    """The table's columns cut into count groups, or None when a group's body rows are no
    clean rows (a code or name then amounts, or a total row) or a group lists no recipient."""
    period = len(columns) // count
    cuts = [columns[g * period:(g + 1) * period] for g in range(count)]

    def cells(row: GridRow, cut: list[int]) -> list[Cell]:
        return [row.cells[c] if c < len(row.cells) else Cell("") for c in cut]

    first = next((i for i, r in enumerate(rows) if any(
        _kind(cells(r, cut)) in ("data", "named") for cut in cuts)), None)
    if first is None:
        return None
    found = _Groups([[cells(r, cut) for r in rows[:first]] for cut in cuts],
                    [[] for _ in cuts])
    for row in rows[first:]:
        for g, cut in enumerate(cuts):
            group = cells(row, cut)
            kind = _kind(group)
            if kind == "spacer":
                continue
            if kind not in ROW_CLASSES:
                return None
            found.bodies[g].append((row, group))
    recipients = [sum(_kind(c) in ("data", "named") for _, c in body) for body in found.bodies]
    if min(recipients) < 1 or sum(recipients) < DEFAULT_MIN_SIDE_ROWS:
        return None
    return found


def _code_lengths(body: list[tuple[GridRow, list[Cell]]]) -> set[int]:
    return {len(collapse(c[0].text)) for _, c in body if CODE_RE.match(collapse(c[0].text))}


def _row(template: GridRow, cells: list[Cell], table_id: int | None) -> GridRow:
    return GridRow(cells, template.page, template.is_header, template.from_table, table_id)


def _unfold_table(rows: list[GridRow]) -> list[GridRow] | None:
    """One printed table's rows unfolded (see the module's docstring), or None."""
    columns = _filled_columns(rows)
    for count in range(DEFAULT_MAX_GROUPS, 1, -1):
        if len(columns) % count or len(columns) // count < 2:
            continue
        found = _groups(rows, columns, count)
        if found is None:
            continue
        keys = [found.header_key(g) for g in range(count)]
        same_header = any(keys[0]) and all(k == keys[0] for k in keys)
        lengths = [_code_lengths(body) for body in found.bodies]
        one_kind = len(set().union(*lengths)) <= 1
        if found.closed_each():  # each group closed by its own total: tables of their own
            return _tables(rows, found)
        if same_header and one_kind:
            return _one_list(rows, found)
    return None


def _tables(rows: list[GridRow], found: _Groups) -> list[GridRow]:
    """Each group a printed table of its own (its own header and total row)."""
    out = []
    base = rows[0].table_id or 0
    heads = rows[:len(found.heads[0])]
    for g, body in enumerate(found.bodies):
        table_id = -(base * DEFAULT_MAX_GROUPS + g + 1)  # a printed table of its own
        out += [_row(t, cells, table_id) for t, cells in zip(heads, found.heads[g], strict=True)]
        out += [_row(t, cells, table_id) for t, cells in body]
    return out


def _one_list(rows: list[GridRow], found: _Groups) -> list[GridRow]:
    """One list printed in groups: the first group's header, then every group's rows in turn,
    the total row last."""
    table_id = rows[0].table_id
    heads = rows[:len(found.heads[0])]
    body = [(t, cells) for group in found.bodies for t, cells in group]
    closing = [b for b in body if _kind(b[1]) == "total"]
    body = [b for b in body if _kind(b[1]) != "total"] + closing
    return ([_row(t, cells, table_id) for t, cells in zip(heads, found.heads[0], strict=True)]
            + [_row(t, cells, table_id) for t, cells in body])


def unfold_side_by_side(rows: list[GridRow]) -> list[GridRow]:
    """A grid reader's rows with every printed table that holds lists or tables side by side
    unfolded (see the module's docstring); every other row as it was."""
    out: list[GridRow] = []
    start = 0
    while start < len(rows):
        row = rows[start]
        end = start + 1
        if row.table_id is not None and row.from_table:
            while end < len(rows) and rows[end].table_id == row.table_id and rows[end].from_table:
                end += 1
            unfolded = _unfold_table(rows[start:end])
            out += unfolded if unfolded is not None else rows[start:end]
        else:
            out.append(row)
        start = end
    return out


# --- PDF lines ---------------------------------------------------------------------------------


def _gaps(line: Line) -> list[tuple[float, float]]:
    """Where the line could be cut: after an amount and before a code or a name."""
    found = []
    for left, right in zip(line.phrases, line.phrases[1:], strict=False):
        text = collapse(right.text)
        amount = collapse(left.text)
        if looks_like_amount(amount) and not CODE_RE.match(amount) and (
                CODE_RE.match(text) or (text[:1].isalpha() and not looks_like_amount(text))):
            found.append((left.bbox[2], right.bbox[0]))
    return found


def _crosses(line: Line, x: float) -> bool:
    return any(w["x0"] < x < w["x1"] for w in line.words)


def _halves(line: Line, x: float, layout: LayoutSettings) -> tuple[Line | None, Line | None]:
    left = [w for w in line.words if w["x1"] <= x]
    right = [w for w in line.words if w["x1"] > x]
    out = []
    for words in (left, right):
        if not words:
            out.append(None)
            continue
        half = Line(line.page, words, side=line.side + (words is right))
        half.phrases = line_to_phrases(half, layout)
        out.append(half)
    return out[0], out[1]


def _both_rows(line: Line, x: float, layout: LayoutSettings) -> bool:
    """Whether both halves of the line are table rows (the right one may hold further lists
    side by side, to be cut in turn)."""
    left, right = _halves(line, x, layout)
    if left is None or right is None:
        return False
    rows = [classify_row([p.text for p in half.phrases]) in ROW_CLASSES for half in (left, right)]
    return rows[0] and (rows[1] or bool(_gaps(right)))


@dataclass
class _Cut:
    """One page's lines cut at x: the lines before the cut run, its left and right halves, and
    the lines after it."""

    x: float
    before: list[Line]
    lefts: list[Line]
    rights: list[Line]
    after: list[Line]

    def lines(self) -> list[Line]:
        return self.before + self.lefts + self.rights + self.after


def _best_gap(lines: list[Line]) -> float | None:
    """The x inside the gap most rows could be cut at, or None when too few rows could."""
    spans = [(i, g) for i, ln in enumerate(lines) for g in _gaps(ln)]
    best: tuple[int, float] | None = None
    for _, (a, b) in spans:
        x = (a + b) / 2
        rows = {i for i, (c, d) in spans if c <= x <= d}
        if best is None or len(rows) > best[0]:
            best = (len(rows), x)
    return best[1] if best is not None and best[0] >= DEFAULT_MIN_SIDE_ROWS else None


def _cut(lines: list[Line], layout: LayoutSettings) -> _Cut | None:
    """The page's lines with one side-by-side run cut in two; None when no vertical gap cuts
    enough rows."""
    x = _best_gap(lines)
    if x is None:
        return None
    cut = [i for i, ln in enumerate(lines) if not _crosses(ln, x) and _both_rows(ln, x, layout)]
    if len(cut) < DEFAULT_MIN_SIDE_ROWS:
        return None
    start, end = cut[0], cut[-1]
    if any(_crosses(lines[i], x) for i in range(start, end + 1)):
        return None  # a line across the gap between the rows: no two columns
    for _ in range(DEFAULT_MAX_BAND_LINES):
        if start == 0 or _crosses(lines[start - 1], x):
            break
        start -= 1
    while end + 1 < len(lines) and not _crosses(lines[end + 1], x) and \
            line_kind(lines[end + 1]) in ROW_CLASSES:
        end += 1
    halves = [_halves(lines[i], x, layout) for i in range(start, end + 1)]
    return _Cut(x, lines[:start], [h[0] for h in halves if h[0] is not None],
                [h[1] for h in halves if h[1] is not None], lines[end + 1:])


def _page_cut(lines: list[Line], layout: LayoutSettings) -> _Cut | None:
    """A page's cut, its right half cut again where a third list stands beside it."""
    first = _cut(lines, layout)
    if first is None:
        return None
    for _ in range(DEFAULT_MAX_GROUPS - 2):
        again = _cut(first.rights, layout)
        if again is None:
            break
        first.rights = again.lines()
    return first


def split_side_by_side(lines: list[Line], layout: LayoutSettings) -> list[Line]:
    """The document's lines with lists and tables printed side by side on a page cut at the
    gap between them, each page's left column before its right one, each half marked with its
    side (`Line.side`: the table finder makes a piece of each, `join_pieces` joins the pieces
    of one list); other lines as they were (see the module's docstring)."""
    pages: dict[int, list[Line]] = {}
    for line in lines:
        pages.setdefault(line.page, []).append(line)
    out: list[Line] = []
    for page_lines in pages.values():
        cut = _page_cut(page_lines, layout)
        out += page_lines if cut is None else cut.lines()
    return out
