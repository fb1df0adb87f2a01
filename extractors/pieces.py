"""Printed pieces of one table joined into one table.

Exporters and authors print one table in pieces: the kommun table as one table per län, each
under its own heading with its own header row and a "Summa <län>" row, and a last table holding
only the Riket row; a Word table cut by hand into one table per page, its header repeated; the
total row printed first, above the recipients, with the recipients as a table of their own.
`join_pieces` reads consecutive blocks as pieces of one table when

- they print the same columns: the same number, and the same header text wherever both print
  one (a piece without a header, or a Riket-only piece with blank label headers, fits any);
- they are of one kind (region, kommun, län; a piece of total rows alone has none) and list
  disjoint recipients (no code or name twice); a piece of total rows alone comes first or last;
- and the numbers prove it: the one total row (the first piece's, or the last piece's last
  row) equals, in most money columns, the sum of all recipient rows or the sum of the pieces'
  closing rows. Each piece's closing row is then a subtotal of its group (`TableBlock.row_kinds`),
  checked against that group by `blocks_to_tables`.

Pieces that fail any of this stay tables of their own, each checked (or reported) as such: two
tables under one header without a total row (nothing proves them one) stay two tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extractors.grid import TableBlock
from extractors.kinds import block_kind, first_amount_col, row_label
from extractors.layout import without_continuation
from extractors.roles import MoneyGrid, adds_up, is_sum_row
from extractors.rows import classify_row, collapse
from extractors.table_money import MoneyReading, read_money

CLOSING = ("total", "subtotal")
DEFAULT_MAX_JOIN_TRIES = 50  # runs of pieces tried from the longest, so no document is slow


@dataclass(frozen=True)
class Joined:
    """One table as read: its block and the indexes of the printed pieces it was joined from."""

    block: TableBlock
    parts: tuple[int, ...]


@dataclass
class _Piece:
    block: TableBlock
    kind: str | None
    labels: set[str]
    totals_only: bool  # only total or subtotal rows (a Riket-only table)
    closes: bool  # its last row is no recipient row (a total, subtotal or sum row)
    header: list[str] = field(default_factory=list)  # normalised header texts, "" for blank


def _piece(block: TableBlock) -> _Piece:
    first = first_amount_col(block)
    classes = [classify_row([c.text for c in r.cells]) for r in block.rows]
    labels = set()
    for row, cls in zip(block.rows, classes, strict=True):
        if cls in ("data", "named"):
            code, name = row_label([collapse(c.text) for c in row.cells], first)
            labels.add(code or name.casefold())
    totals_only = bool(classes) and all(c in CLOSING for c in classes)
    kind = None if totals_only else block_kind(block)
    closes = bool(classes) and classes[-1] not in ("data", "named")
    return _Piece(block, kind, labels, totals_only, closes,
                  [without_continuation(h) for h in block.header])


@dataclass
class _Run:
    """Consecutive pieces that may be one table, with what they print so far."""

    pieces: list[_Piece]
    header: list[str]
    labels: set[str]
    kinds: set[str]

    @classmethod
    def of(cls, piece: _Piece) -> _Run:
        return cls([piece], list(piece.header), set(piece.labels),
                   {piece.kind} if piece.kind else set())

    def fits(self, nxt: _Piece) -> bool:
        """Whether nxt can be the next piece (before the numbers are asked)."""
        first, last = self.pieces[0], self.pieces[-1]
        if len(nxt.header) != len(self.header) or (last.totals_only and len(self.pieces) > 1):
            return False
        if nxt.totals_only and first.totals_only:
            return False
        if any(a and b and a != b for a, b in zip(self.header, nxt.header, strict=True)):
            return False
        if nxt.kind and self.kinds and nxt.kind not in self.kinds:
            return False
        return not (self.labels & nxt.labels)

    def add(self, nxt: _Piece) -> None:
        self.pieces.append(nxt)
        self.header = [a or b for a, b in zip(self.header, nxt.header, strict=True)]
        self.labels |= nxt.labels
        self.kinds |= {nxt.kind} if nxt.kind else set()


def _title(titles: list[str]) -> str:
    """The joined table's title: the one title its pieces share, else the first title's words
    every other title prints too ("" when the pieces are headed by group names alone)."""
    printed = [t for t in titles if collapse(t)]
    if len({without_continuation(t) for t in printed}) <= 1:
        return printed[0] if printed else ""
    others = [set(without_continuation(t).split()) for t in printed[1:]]
    words = [w for w in collapse(printed[0]).split() if all(w.casefold() in o for o in others)]
    return " ".join(words)


def _merged(pieces: list[_Piece], row_kinds: dict[int, str] | None = None) -> TableBlock:
    blocks = [p.block for p in pieces]
    header = [next((b.header[i] for b in blocks if collapse(b.header[i])), "")
              for i in range(len(blocks[0].header))]
    kinds, start = {}, 0
    for b in blocks:  # the pieces' own fixed kinds ("varav" rows), then the join's
        kinds.update({start + i: k for i, k in b.row_kinds.items()})
        start += len(b.rows)
    return TableBlock(
        title=_title([b.title for b in blocks]), header=header,
        rows=[r for b in blocks for r in b.rows], closed=blocks[-1].closed,
        header_rows=next((b.header_rows for b in blocks if b.header_rows), []),
        groups=next((b.groups for b in blocks if any(b.groups)), blocks[0].groups),
        row_kinds={**kinds, **(row_kinds or {})}, pieces=sum(b.pieces for b in blocks),
        unit_note=next((b.unit_note for b in blocks if b.unit_note), ""))


def _spans(pieces: list[_Piece]) -> list[range]:
    spans, start = [], 0
    for p in pieces:
        spans.append(range(start, start + len(p.block.rows)))
        start += len(p.block.rows)
    return spans


def _closing_rows(read: MoneyReading, span: range) -> list[int]:
    """A piece's closing rows: its total or subtotal rows, or a last row that is no recipient
    row and prints the sum of the piece's recipient rows."""
    closing = [i for i in span if read.kinds[i] in CLOSING]
    last = span[-1] if len(span) else None
    recipients = [i for i in span if read.kinds[i] == "recipient"]
    if last is not None and last not in closing and read.kinds[last] != "recipient" and \
            is_sum_row(read.grid, last, recipients):
        closing.append(last)
    return closing


def _proven(grid: MoneyGrid, total: int, recipients: list[int], subtotals: list[int]) -> bool:
    """Whether the total row is the sum of the recipient rows, or of the subtotal rows, in
    most of the money columns it prints."""
    cols = [c for c in grid.columns if c in grid.cells[total]]
    held = 0
    for c in cols:
        for rows in (recipients, subtotals):
            values = [grid.cells[i][c] for i in rows if c in grid.cells[i]]
            if values and adds_up(values, grid.cells[total][c]):
                held += 1
                break
    return bool(cols) and 2 * held >= len(cols) and held >= 1


def _row_kinds(pieces: list[_Piece], read: MoneyReading) -> dict[int, str] | None:
    """The row kinds that make the pieces one table (one total, the other closing rows
    subtotals), or None when the numbers do not prove them one."""
    spans = _spans(pieces)
    closing = [_closing_rows(read, s) for s in spans]
    if pieces[0].totals_only:
        total = spans[0][0] if len(spans[0]) == 1 else None
    elif pieces[-1].totals_only:
        total = spans[-1][0] if len(spans[-1]) == 1 else None
    else:
        total = closing[-1][-1] if closing[-1] and closing[-1][-1] == spans[-1][-1] else None
    rows = [i for s in spans for i in s]
    if total is None:  # nothing to prove them one table: two tables of one header stay two
        return None
    subtotals = [i for c in closing for i in c if i != total]
    recipients = [i for i in rows if read.kinds[i] == "recipient" and i not in subtotals]
    if not _proven(read.grid, total, recipients, subtotals):
        return None
    return {**{i: "subtotal" for i in subtotals}, total: "total"}


def _join(pieces: list[_Piece]) -> tuple[TableBlock, int] | None:
    """The longest leading run of the pieces proven one table, and how many it took (the
    longest DEFAULT_MAX_JOIN_TRIES runs that could end in a total row are tried)."""
    read = read_money(_merged(pieces))
    ends = [end for end in range(len(pieces), 1, -1) if pieces[0].totals_only
            or pieces[end - 1].totals_only or pieces[end - 1].closes]
    for end in ends[:DEFAULT_MAX_JOIN_TRIES]:
        run = pieces[:end]
        kinds = _row_kinds(run, _prefix(read, sum(len(p.block.rows) for p in run)))
        if kinds is not None:
            return _merged(run, kinds), end
    return None


def _prefix(read: MoneyReading, rows: int) -> MoneyReading:
    """The reading of the first rows of a block (the cells of a shorter run of pieces)."""
    grid = MoneyGrid(read.grid.columns, read.grid.cells[:rows])
    return MoneyReading(read.measures, read.types, read.first_amount, read.money,
                        read.readings, grid, read.kinds[:rows], read.coded)


def join_pieces(blocks: list[TableBlock]) -> list[Joined]:
    """The tables of a document: consecutive blocks proven pieces of one table joined (see the
    module's docstring), every other block a table of its own, in reading order."""
    pieces = [_piece(b) for b in blocks]
    out: list[Joined] = []
    start = 0
    while start < len(pieces):
        run = _Run.of(pieces[start])
        while start + len(run.pieces) < len(pieces) and run.fits(
                pieces[start + len(run.pieces)]):
            run.add(pieces[start + len(run.pieces)])
        joined = _join(run.pieces) if len(run.pieces) > 1 else None
        if joined is None:
            out.append(Joined(blocks[start], (start,)))
            start += 1
            continue
        block, taken = joined
        out.append(Joined(block, tuple(range(start, start + taken))))
        start += taken
    return out


def joined_blocks(blocks: list[TableBlock]) -> list[TableBlock]:
    """The blocks with the pieces of one table joined (`join_pieces`), in reading order."""
    return [j.block for j in join_pieces(blocks)]
