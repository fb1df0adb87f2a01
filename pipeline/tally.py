"""The control total: every money-shaped number a document prints must be accounted for.

`extractors.tally` counts the numbers printed the way money is printed, reading each document a
second, plain way. Here they are matched, one for one, against what the readers accounted for:
the table cells (amounts, subtotals and totals), the numbers kept as attributes (population,
counts), the amounts the statement reader took from the text, the amounts of blocks already
reported unread and the cells reported as not parsing. A number left over was printed and read
by nothing. Where a page (or a DOCX/HTML/text document) leaves over a table's worth of them —
`DEFAULT_UNACCOUNTED_ERROR_AT` or more, or two on one line, as table rows print them — that is an
`unaccounted_amounts` error (the case is not fully read, never a pass); fewer, in running text,
are a warning quoting them, so a stray figure in prose is shown, not silenced.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence

from expectations.messages import plural
from extractors.base import Extraction
from extractors.tally import Tallied, line_to_tallied
from model import Finding
from pipeline.matching import maximum_matching

DEFAULT_UNACCOUNTED_ERROR_AT = 3  # this many left over on one page: a table went unread
# A picture covering this share of its page or more can print a table (a logo or a signature
# covers a few per cent; a pasted table a fifth or more).
DEFAULT_PICTURE_SHARE = 0.12
SHOWN_LINES = 3  # printed lines quoted in a message


def _key(text: str | int | None) -> str | None:
    digits = re.sub(r"\D", "", str(text if text is not None else "")).lstrip("0")
    return digits or None


def _text_keys(text: str | None) -> set[str]:
    """A printed text's digits, and those of every money-shaped number inside it (a cell read
    by its digits, "965 66 286", holds the shape "66 286")."""
    keys = {_key(text)} | {_key(t.text) for t in line_to_tallied(text or "", None)}
    return {k for k in keys if k}


def _frame_keys(extraction: Extraction) -> Iterable[set[str]]:
    """Each table cell as the digits it may be printed with: in kronor, and in the unit it was
    printed in (a tkr cell 164 423,2 is 164 423 200 kr, printed as the digits 1644232)."""
    frame = extraction.allocations
    if frame.is_empty():
        return
    steps = frame["unit_step"] if "unit_step" in frame.columns else [None] * len(frame)
    for amount, step in zip(frame["amount_sek"], steps, strict=True):
        if amount is None:
            continue
        keys = {_key(abs(amount))}
        if step and step > 1 and amount % step == 0:
            keys.add(_key(abs(amount) // step))
        yield {k for k in keys if k}


def _attribute_keys(extraction: Extraction) -> Iterable[set[str]]:
    frame = extraction.attributes
    if frame.is_empty():
        return
    for value, decimals in zip(frame["value"], frame["decimals"], strict=True):
        if value is None:
            continue
        scaled = round(abs(value) * 10 ** (decimals or 0))
        yield {k for k in (_key(scaled), _key(round(abs(value)))) if k}


def accounted_keys(extraction: Extraction, stated: Sequence[dict]) -> list[set[str]]:
    """Everything a document's readers accounted for, one entry per printed number."""
    items = list(_frame_keys(extraction)) + list(_attribute_keys(extraction))
    for row in stated:
        if row.get("source_file") == extraction.source_file:
            items.append(_text_keys(row.get("text")))  # as printed: "1 miljon" is no 1 000 000
    for block in extraction.blocks:
        if block.fate == "unread":  # already an unread_table finding of its own
            items += [_text_keys(amount) for amount in block.amounts]
    for problem in extraction.problems:
        if problem.observed_text:
            items.append(_text_keys(problem.observed_text))
    return [keys for keys in items if keys]


def _candidates(tallied: Tallied) -> list[str]:
    """The digits a number may have been accounted by: as printed; without its öre or
    decimals; without a first group that is a code run into it ("01 129 530 375")."""
    keys = [tallied.digits]
    whole = re.split(r"[,.](?=\d{1,2}$)", tallied.text)[0]
    keys.append(_key(whole))
    groups = re.split(r"[ \u00a0\u202f\u2009\u2007]", whole)
    if len(groups) > 2:
        keys.append(_key("".join(groups[1:])))
    return [k for k in dict.fromkeys(keys) if k]


def _pieces_of(digits: str, key: str) -> bool:
    """Whether a number is a piece of a longer one wrapped over two lines of its cell: its
    leading whole groups ("164 423" of 164 423 176) or all but its first one to three digits
    ("29 530 375" of 129 530 375)."""
    extra = len(key) - len(digits)
    return len(digits) >= 4 and (
        (extra in (3, 6) and key.startswith(digits)) or (0 < extra <= 3 and key.endswith(digits)))


_GROUP_SPACE = re.compile(r"[ \u00a0\u202f\u2009\u2007]")


def _two_run_together(text: str) -> list[tuple[str, str]]:
    """The ways a number may be two amounts of adjacent cells printed closer than the plain
    reading saw a gap ("58 558 036 145 811 479"): its digit groups cut in two, each part an
    amount of two groups or more that starts with no zero, as (left digits, right digits)."""
    groups = _GROUP_SPACE.split(text)
    if len(groups) < 4 or not all(g.isdigit() for g in groups):
        return []
    return [("".join(groups[:k]), "".join(groups[k:])) for k in range(2, len(groups) - 1)
            if not groups[k].startswith("0")]


def unaccounted(tallied: Sequence[Tallied], accounted: Sequence[set[str]]) -> list[Tallied]:
    """The tallied numbers no accounted item takes, matched one for one: first as printed
    (the most numbers matched at once), then what is left as pieces of a number wrapped in its
    cell, then as two amounts of adjacent cells run together (each part one accounted item)."""
    matched, taken_items = _matching(tallied, accounted)
    done = set(matched)
    left = [n for i, n in enumerate(tallied) if i not in done]
    if not left:
        return left
    taken = set(taken_items)
    open_keys = [(key, i) for i, keys in enumerate(accounted) if i not in taken for key in keys]
    still = []
    for number in left:
        match = next((i for key, i in open_keys if i not in taken
                      and _pieces_of(number.digits, key)), None)
        if match is None:
            still.append(number)
        else:
            taken.add(match)
    return [n for n in still if not _take_two(n, open_keys, taken)]


def _take_two(number: Tallied, open_keys: list[tuple[str, int]], taken: set[int]) -> bool:
    """Take two open items for a number that is two amounts run together; False if none do."""
    for left, right in _two_run_together(number.text):
        first = next((i for key, i in open_keys if i not in taken and key == left), None)
        second = next((i for key, i in open_keys
                       if i not in taken and i != first and key == right), None)
        if first is not None and second is not None:
            taken.update((first, second))
            return True
    return False


def _matching(tallied: Sequence[Tallied], accounted: Sequence[set[str]]
              ) -> tuple[list[int], list[int]]:
    """A largest one-for-one matching of tallied numbers to accounted items sharing a key:
    (tallied indices, accounted indices) matched. Greedy matching is not enough: in tkr,
    "100 000,0" prints the digits of the kronor of a "1 000,0" cell (1 000 000), and taking
    that cell for it leaves the "1 000,0" over though every number was read."""
    items: dict[str, list[int]] = defaultdict(list)
    for index, keys in enumerate(accounted):
        for key in keys:
            items[key].append(index)
    neighbours = [sorted({i for key in _candidates(number) for i in items.get(key, ())})
                  for number in tallied]
    match = maximum_matching(neighbours, len(accounted))
    matched = [(row, col) for row, col in enumerate(match) if col >= 0]
    return [r for r, _ in matched], [c for _, c in matched]


def _place(source_file: str, page: int | None) -> str:
    return f"page {page} of {source_file}" if page else source_file


def unaccounted_findings(extractions: Sequence[Extraction], stated: Sequence[dict],
                         error_at: int = DEFAULT_UNACCOUNTED_ERROR_AT) -> list[Finding]:
    """One finding per page (or page-less document) whose money-shaped numbers nothing read."""
    findings = []
    for extraction in extractions:
        tallied = extraction.tally
        if not tallied:
            continue
        left = unaccounted(tallied, accounted_keys(extraction, stated))
        by_page: dict[int | None, list[Tallied]] = defaultdict(list)
        for number in left:
            by_page[number.page].append(number)
        for page, numbers in by_page.items():
            findings.append(_finding(extraction.source_file, page, numbers, error_at))
    return findings


def _finding(source_file: str, page: int | None, numbers: list[Tallied], error_at: int
             ) -> Finding:
    """One page's numbers nothing read: an error when they look like a table's (enough of
    them, or two on one line), else a warning that quotes them."""
    lines: dict[str, int] = defaultdict(int)
    for number in numbers:
        lines[number.line] += 1
    table_like = len(numbers) >= error_at or max(lines.values()) >= 2
    shown = "; ".join(f"“{line}”" for line in list(lines)[:SHOWN_LINES])
    more = (f"; and {plural(len(lines) - SHOWN_LINES, 'more line')}"
            if len(lines) > SHOWN_LINES else "")
    n = len(numbers)
    what = f"{n} numbers printed as money" if n != 1 else "1 number printed as money"
    if table_like:
        message = (f"{what} on {_place(source_file, page)} {'were' if n != 1 else 'was'} read "
                   f"by no table or statement, so that money is unchecked: a table there may "
                   f"not have been read ({shown}{more}).")
    else:
        message = (f"{what} in the text of {_place(source_file, page)} "
                   f"{'were' if n != 1 else 'was'} not read as an amount (no unit or table "
                   f"around {'them' if n != 1 else 'it'}): check "
                   f"{'they are' if n != 1 else 'it is'} no money ({shown}{more}).")
    return Finding(
        check="unaccounted_amounts", severity="error" if table_like else "warning",
        source_file=source_file, page=page, unit="count", observed=float(n), message=message)


def picture_findings(extractions: Sequence[Extraction],
                     share: float = DEFAULT_PICTURE_SHARE) -> list[Finding]:
    """One finding per picture large enough to print a table. Pictures are not read (no OCR):
    in a document that prints money tables, such a picture may be one more table, so it is an
    `unread_picture` error (not fully read); elsewhere (a cover photo, a chart in an agreement)
    a warning. A page already reported as a scan is left to that finding."""
    findings = []
    for extraction in extractions:
        scanned = {p.page for p in extraction.problems if p.check == "no_text_layer"}
        tables = any(t.amount_measures for t in extraction.tables)
        for picture in extraction.pictures:
            if picture.kind == "drawn_text":
                findings.append(_drawn_text_finding(extraction.source_file, picture))
                continue
            if picture.share < share or (picture.page is not None and picture.page in scanned):
                continue
            where = (f"page {picture.page} of {extraction.source_file}" if picture.page
                     else extraction.source_file)
            percent = f"{round(picture.share * 100)} %"
            findings.append(Finding(
                check="unread_picture", severity="error" if tables else "warning",
                source_file=extraction.source_file, page=picture.page, unit="%",
                observed=round(picture.share * 100, 1),
                message=f"A picture covers {percent} of {where}"
                + (", a document that prints money tables" if tables else "")
                + ": pictures are not read (no OCR), so any amounts it prints are unchecked; "
                "check it by hand, or get the table as text."))
    return findings


def _drawn_text_finding(source_file: str, picture) -> Finding:
    """A page that draws its text as shapes: like a scan, what it prints cannot be read."""
    return Finding(
        check="no_text_layer", severity="error", source_file=source_file, page=picture.page,
        unit="count", observed=float(picture.glyphs),
        message=f"Page {picture.page} of {source_file} draws its text as shapes "
        f"({picture.glyphs} glyph outlines in rows, {picture.characters} characters of text): "
        "amounts printed on it cannot be read; get the PDF exported with its fonts, or the "
        "DOCX.")


def unaccounted_by_document(findings: Sequence[Finding]) -> dict[str, int]:
    """How many numbers printed as money each document left to the control total."""
    left: dict[str, int] = defaultdict(int)
    for f in findings:
        if f.check == "unaccounted_amounts" and f.source_file:
            left[f.source_file] += int(f.observed or 0)
    return dict(left)
