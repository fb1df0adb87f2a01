"""Rows of a PDF table from its lines, however tall its rows and however its cells wrap.

A cell may wrap onto several lines in any column: a name ("Västra|Götaland", cut inside a word
as "Södermanlan|d"), an amount ("145|811,5"), its unit ("129 530 375|kr"), a code and its name
in one cell ("01|Stockholm"). A row's cells are then printed on lines of their own, above or
below the line with its code, as the table aligns its cells: at the top of the row (Word,
Writer), in its middle (HTML's default, Writer/Web) or at its bottom (Calc). `group_lines`
cuts a table's lines into rows by the evidence of the numbers: every row holds one code (a
table of codes) or a recipient name, its amount cells read as numbers once their lines are
joined, its row total holds, and its cells line up as one alignment says; each alignment is
tried for the whole table and the one the numbers fit best is kept. `groups_to_rows` joins
each row's pieces into cells (extractors/blocks.py builds the table block from them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from extractors.amounts import UNIT_SCALE, parse_amount, reads_as_number
from extractors.base import LayoutSettings
from extractors.columns import Columns, centred_under, header_spans
from extractors.grid import join_wrapped
from extractors.lines import Line, Phrase, line_kind, word_kind
from extractors.money_columns import parse_number
from extractors.rows import CODE_RE, Cell, GridRow, collapse
from extractors.varav import is_part_row

CODE, NAME = -2, -1  # the label columns; amount columns are 0, 1, ...
ALIGNMENTS = ("top", "bottom", "centre")  # tried in this order; the first wins a tie
DEFAULT_MAX_ROW_LINES = 12  # lines one row may print (a name wrapped over many lines)
DEFAULT_ALIGN_TOLERANCE_EM = 0.35  # cells of one row line up within this, in font sizes
# Scores of a row: each amount cell that reads as a number, one that does not, a row whose
# amounts add up to one of them (its total), a cell out of line with the others, and a line
# that belongs to no row (kept apart, reported if it holds money).
SCORE_CELL, SCORE_BAD_CELL, SCORE_ROW_SUM = 1.0, -6.0, 3.0
SCORE_MISALIGNED, SCORE_ORPHAN = -4.0, -3.0
SCORE_GAP_PER_PT = -0.01  # a tie between alignments goes to the rows packed more tightly


@dataclass(frozen=True)
class Piece:
    """A phrase of a line placed in a column of the table (CODE, NAME or an amount column)."""

    col: int | None  # None: right of every column (reported as unplaced text)
    phrase: Phrase


@dataclass
class Placed:
    """A body line with its phrases placed, and whether it is the head of a row: the line
    that prints the row's code, its total label or (in a table of names) a name and amounts."""

    line: Line
    pieces: list[Piece]
    head: bool = False
    amounts: bool = field(init=False)  # something printed in an amount column
    money: bool = field(init=False)  # digits printed in an amount column

    def __post_init__(self) -> None:
        inside = [p for p in self.pieces if p.col is not None and p.col >= 0]
        self.amounts = bool(inside)
        self.money = any(_has_digit(p.phrase.text) for p in inside)


@dataclass(frozen=True)
class Frame:
    """Where a table's columns are: its amount columns, the x where they start, the x range
    of its codes (None in a table of names)."""

    columns: Columns
    label_limit: float
    codes: tuple[float, float] | None
    named: bool
    heads: tuple[tuple[float, float] | None, ...] = ()  # x span of each column's header


def _has_digit(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


def numeric(text: str) -> bool:
    """Digits and units only: an amount or a piece of one ("145", "811,5", "kr")."""
    words = text.split()
    return bool(words) and all(word_kind(w) in ("digit", "unit") for w in words)


def table_frame(lines: list[Line], columns: Columns, named: bool, tol: float,
                band: list[Line] | None = None,
                coded: list[tuple[float, float]] | None = None) -> Frame:
    """The frame of a table's body lines (codes from its coded rows: the x0 and x1 of each
    data line's code, ``coded`` when the caller kept them). A line whose first number stands
    in an amount column is the wrapped end of the amounts above ("375  934" under "129 530 |
    11 630"), not a code: its x says nothing of where the codes are."""
    limit = min((lo for lo, _ in columns.extents), default=float("inf"))
    if coded is None:
        coded = [(ln.phrases[0].bbox[0], ln.phrases[0].bbox[2]) for ln in lines
                 if not named and line_kind(ln) == "data" and ln.phrases
                 and CODE_RE.match(ln.phrases[0].text)]
    xs = [x0 for x0, x1 in coded if not named and x1 <= limit]
    codes = (min(xs) - tol, max(xs) + tol) if xs else None
    return Frame(columns, limit - tol, codes, named, header_spans(band or [], columns, limit))


def place(line: Line, frame: Frame) -> Placed:
    """A line's phrases in their columns: labels left of the amounts (the first one a code when
    it prints one where the codes are), numbers and units in the column they line up with."""
    pieces: list[Piece] = []
    columns, codes = frame.columns, frame.codes
    for index, phrase in enumerate(line.phrases):
        text, bbox = phrase.text, phrase.bbox
        if bbox[2] <= frame.label_limit or not numeric(text):
            code = (index == 0 and codes is not None and CODE_RE.match(text) is not None
                    and codes[0] <= bbox[0] <= codes[1])
            pieces.append(Piece(CODE if code else NAME, phrase))
            continue
        for part in columns.split(phrase):
            col = columns.of(part.bbox)  # off its column: reported, not guessed
            if col is None:
                col = centred_under(part.bbox, frame.heads, columns.tol)
            if col is not None and any(p.col == col for p in pieces):
                col = None  # a second amount in one cell of one line: outside every column
            pieces.append(Piece(col, part))
    kind = line_kind(line)
    if frame.named:
        head = kind in ("named", "total", "subtotal")
    else:
        head = kind in ("total", "subtotal") or any(p.col == CODE for p in pieces)
    head = head or is_part_row([p.text for p in line.phrases])  # a "varav" row is a row
    return Placed(line, pieces, head)


# --- Joining a cell's lines -------------------------------------------------------------


def well_formed(text: str) -> bool:
    """True for a number as printed, with its unit after it if any ("145 811,5", "12 kr"): a
    unit before it ("kr 22 943 849") is a cell's last line run into the next one's number."""
    t = collapse(text)
    if t and word_kind(t.split()[0]) == "unit":
        return False
    return parse_amount(t) is not None or reads_as_number(t)


def join_amount(pieces: list[str]) -> str:
    """The text of an amount cell printed over several lines: each line joined to the next
    with a space (a break at a digit group or before the unit) or without one (a number cut
    inside a digit group), whichever reads as a number; with a space when neither does."""
    out = ""
    for piece in (collapse(p) for p in pieces):
        if not out:
            out = piece
            continue
        spaced, tight = f"{out} {piece}", f"{out}{piece}"
        out = tight if not well_formed(spaced) and well_formed(tight) else spaced
    return out


def join_name(pieces: list[list[dict]], vocab: frozenset[str], right: float, left: float,
              words: frozenset[str] = frozenset()) -> str:
    """A name printed over several lines of its cell, between x = left and right. A line
    ending in a hyphen before a capital goes on without a space ("Upplands-|Bro"); a word cut
    because it did not fit ("Södermanlan|d": the line reaches the cell's edge and both pieces
    together are wider than the cell) is joined again unless a piece is a word of the table's
    other names (``words``) or a function word (`join_wrapped`); other lines are joined with a
    space ("Västra|Götaland")."""
    out = " ".join(w["text"] for w in pieces[0])
    for above, below in zip(pieces, pieces[1:], strict=False):
        text = " ".join(w["text"] for w in below)
        last, first = above[-1], below[0]
        if out.endswith("-") and text[:1].isupper() and out[-2:-1].isalpha():
            out += text
            continue
        width = last["x1"] - last["x0"]
        fills = (last["x1"] >= right - width / max(1, len(last["text"]))
                 and width + first["x1"] - first["x0"] > right - left)
        cut = {last["text"].casefold(), first["text"].casefold()} - words
        out = join_wrapped([out, text], (vocab - cut) | words, [fills])
    return collapse(out)


# --- Cutting the lines into rows --------------------------------------------------------


def _values(texts: list[str]) -> list[tuple[Decimal, Decimal]]:
    """Each amount's value and half its last printed digit (for the row-sum check)."""
    out = []
    for text in texts:
        words = collapse(text).split()
        if words and words[-1].lower() in UNIT_SCALE:
            words = words[:-1]
        number = parse_number(" ".join(words))
        if number is None:
            return []
        out.append((number.value, Decimal(5) / Decimal(10) ** (number.decimals + 1)))
    return out


def row_sum_holds(texts: list[str]) -> bool:
    """True when one of a row's (three or more) amounts is the sum of the others, within the
    rounding of each printed amount."""
    values = _values(texts)
    if len(values) < 3:
        return False
    total = sum(v for v, _ in values)
    slack = sum(h for _, h in values)
    return any(abs(2 * v - total) <= slack for v, _ in values)


def _cells(group: list[Placed]) -> dict[int | None, list[Piece]]:
    cells: dict[int | None, list[Piece]] = {}
    for placed in group:
        for piece in placed.pieces:
            cells.setdefault(piece.col, []).append(piece)
    return cells


def _line_texts(pieces: list[Piece]) -> list[str]:
    """A cell's text per printed line, in reading order (the pieces come line by line)."""
    if len(pieces) == 1:
        return [pieces[0].phrase.text]
    lines: list[list[Piece]] = []
    for piece in pieces:
        if lines and abs(lines[-1][0].phrase.bbox[1] - piece.phrase.bbox[1]) < 1:
            lines[-1].append(piece)
        else:
            lines.append([piece])
    return [" ".join(p.phrase.text for p in ln) for ln in lines]


def _score(group: list[Placed], align: str, named: bool, tol: float) -> float | None:
    """How well a run of lines reads as one row under an alignment; None when it cannot be
    one (no head, or two codes)."""
    heads = sum(p.head for p in group)
    if heads == 0 or (not named and heads > 1) or not any(p.amounts for p in group):
        return None
    if len({p.line.page for p in group}) > 1:
        return None
    cells = _cells(group)
    score = 0.0
    amounts = []
    for col, pieces in cells.items():
        if col is None or col < 0:
            continue
        text = join_amount(_line_texts(pieces))
        if well_formed(text):
            score += SCORE_CELL
            amounts.append(text)
        else:
            score += SCORE_BAD_CELL
    if row_sum_holds(amounts):
        score += SCORE_ROW_SUM
    if len(group) > 1:
        keys = []
        units = [pieces for col, pieces in cells.items() if col is not None and col >= 0]
        labels = cells.get(CODE, []) + cells.get(NAME, [])
        for pieces in units + ([labels] if labels else []):
            top = min(p.phrase.bbox[1] for p in pieces)
            bottom = max(p.phrase.bbox[3] for p in pieces)
            keys.append({"top": top, "bottom": bottom, "centre": (top + bottom) / 2}[align])
        if max(keys) - min(keys) > tol:
            score += SCORE_MISALIGNED
        gaps = sum(max(0.0, b.line.top - a.line.bottom) for a, b in zip(group, group[1:],
                                                                          strict=False))
        score += SCORE_GAP_PER_PT * gaps
    return score


def _segment(placed: list[Placed], align: str, named: bool, tol: float, carried: bool
             ) -> tuple[float, list[list[Placed]]]:
    """The best cut of one page's lines into rows (dynamic programming over the cuts); lines
    that fit no row are groups of their own (orphans). With `carried`, lines before the
    page's first head may go on the row the previous page ended with."""
    n = len(placed)
    best: list[float] = [0.0] + [float("-inf")] * n
    back = [0] * (n + 1)
    first_head = next((i for i, p in enumerate(placed) if p.head), n)
    for j in range(1, n + 1):
        for i in range(max(0, j - DEFAULT_MAX_ROW_LINES), j):
            if best[i] == float("-inf"):
                continue
            group = placed[i:j]
            score = _score(group, align, named, tol)
            if score is None:
                if carried and i == 0 and j <= first_head:
                    score = 0.0  # the rest of the previous page's last row
                elif j - i == 1:
                    score = SCORE_ORPHAN
                else:
                    continue
            if best[i] + score > best[j]:
                best[j], back[j] = best[i] + score, i
    groups = []
    j = n
    while j > 0:
        groups.append(placed[back[j]:j])
        j = back[j]
    return best[n], groups[::-1]


def group_lines(lines: list[Line], frame: Frame, layout: LayoutSettings
                ) -> list[list[Placed]]:
    """A table's body lines cut into rows, the alignment that reads best for the whole table."""
    placed = [place(line, frame) for line in lines]
    pages: list[list[Placed]] = []
    for p in placed:
        if pages and pages[-1][0].line.page == p.line.page:
            pages[-1].append(p)
        else:
            pages.append([p])
    if all(p.head for p in placed):
        return [[p] for p in placed]  # a row per line: nothing wraps
    size = sorted(ln.size for ln in lines)[len(lines) // 2]
    tol = DEFAULT_ALIGN_TOLERANCE_EM * size
    best: tuple[float, list[list[Placed]]] | None = None
    for align in ALIGNMENTS:
        total, groups = 0.0, []
        for k, page in enumerate(pages):
            score, found = _segment(page, align, frame.named, tol, carried=k > 0)
            total += score
            groups += found
        if best is None or total > best[0] + 1e-9:
            best = (total, groups)
    assert best is not None
    return _carry(best[1])


def _carry(groups: list[list[Placed]]) -> list[list[Placed]]:
    """Groups with a headless run at the top of a page joined to the row the previous page
    ended with, when each of its pieces completes one of that row's cells (a row cut off at
    the page break)."""
    out: list[list[Placed]] = []
    for group in groups:
        if out and not any(p.head for p in group) and \
                group[0].line.page != out[-1][-1].line.page and _continue_row(out[-1], group):
            out[-1] = out[-1] + group
        else:
            out.append(group)
    return out


# --- Rows of cells ----------------------------------------------------------------------


def _bbox(pieces: list[Piece]) -> tuple[float, float, float, float] | None:
    if len(pieces) == 1:
        return pieces[0].phrase.bbox
    boxes = [p.phrase.bbox for p in pieces]
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
            max(b[3] for b in boxes))


def groups_to_rows(groups: list[list[Placed]], width: int, vocab: frozenset[str]
                   ) -> tuple[list[GridRow], float]:
    """Grid rows [code, name, amounts...] (and text right of every column at the end) of the
    rows found, and the right edge of the labels of the rows' heads."""
    label_pieces = [p for g in groups for pl in g for p in pl.pieces if p.col in (CODE, NAME)]
    right = max((p.phrase.bbox[2] for p in label_pieces), default=0.0)
    left = min((p.phrase.bbox[0] for p in label_pieces), default=0.0)
    names = frozenset(w["text"].casefold() for g in groups if len(g) == 1 for p in g[0].pieces
                      if p.col == NAME for w in p.phrase.words)
    rows = [_row(group, width, vocab, (right, left, names)) for group in groups]
    label_right = max((p.phrase.bbox[2] for g in groups for pl in g if pl.head
                       for p in pl.pieces if p.col in (CODE, NAME)), default=0.0)
    return rows, label_right


def _continue_row(previous: list[Placed], carried: list[Placed]) -> bool:
    """True when each amount piece of the carried lines completes the cell of the row above
    (a carried name piece goes on its name)."""
    above, below = _cells(previous), _cells(carried)
    if None in below:
        return False
    for col, pieces in below.items():
        if col is None or col < 0 or col not in above:
            continue
        if not well_formed(join_amount(_line_texts(above[col]) + _line_texts(pieces))):
            return False
    return True


_EMPTY = Cell("")  # a cell nothing is printed in (frozen: one for every such cell)


def _row(group: list[Placed], width: int, vocab: frozenset[str],
         label: tuple[float, float, frozenset[str]]) -> GridRow:
    cells_by = _cells(group)
    page = group[0].line.page
    on_page = {id(p) for pl in group if pl.line.page == page for p in pl.pieces}
    cells = [_EMPTY] * (2 + width)
    code = cells_by.get(CODE, [])
    if code:
        cells[0] = Cell(" ".join(_line_texts(code)), _bbox(code))
    names = cells_by.get(NAME, [])
    if names:
        by_line: list[list[dict]] = []
        last_top = None
        for piece in names:
            if last_top is not None and abs(piece.phrase.bbox[1] - last_top) < 1:
                by_line[-1].extend(piece.phrase.words)
            else:
                by_line.append(list(piece.phrase.words))
            last_top = piece.phrase.bbox[1]
        cells[1] = Cell(join_name(by_line, vocab, *label))
    for col in range(width):
        pieces = cells_by.get(col, [])
        if pieces:
            shown = [p for p in pieces if id(p) in on_page] or pieces
            cells[2 + col] = Cell(join_amount(_line_texts(pieces)), _bbox(shown))
    cells += [Cell(p.phrase.text, p.phrase.bbox) for p in cells_by.get(None, [])]
    return GridRow(cells, page=page)
