"""Money statements in running text and the claims they make (issue 7).

``text_to_statements`` finds every amount written in a document's text blocks ("1 527 000 000
kronor", "1 716 miljoner kronor", "24 Mkr", "1,5 miljarder", "6 199 701, 00", bare numbers under a
"tkr" table header) with its unit, its precision, the sentence or row it stands in and the
recipient and content words around it (the words themselves are read by
``extractors.phrases``, importable from here too). ``statements_to_claims`` (in
``extractors.claims``, importable from here too) groups them into claims: a total and its
parts, a list or table and its sum, or a single amount to be matched elsewhere.
Allocation-table rows (a code, a name and several "kr" amounts, or Riket) are left to the
allocation readers and produce no statement here.

The blocks are what the real readers give: a PDF page of running text is one block (a sentence
cut by the page break is joined again), an HTML list item has lost its bullet, a PDF table row
with a wrapped label prints the label's rest after the "Mottagare" cell.
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from pathlib import Path

from extractors.base import TextBlock
from extractors.claims import Claim, MoneyStatement, statements_to_claims
from extractors.errors import SettingsError
from extractors.phrases import (
    AMOUNT_RE,
    MOTTAGARE_RE,
    RECIPIENT_WORDS,
    SEP,
    content_words,
    parse_amount_phrase,
    recipients_in,
    scope_of,
    text_notation,
)
from extractors.rates import mark_rates

__all__ = ["AMOUNT_RE", "RECIPIENT_WORDS", "SEP", "Claim", "MoneyStatement",
           "StatementSettings", "content_words", "join_page_breaks", "parse_amount_phrase",
           "recipients_in", "scope_of", "statements_to_claims", "text_to_statements"]

DEFAULT_MAX_HEADING_WORDS = 12  # a short block without amounts or final period is a heading
DEFAULT_MAX_HEADER_WORDS = 20  # a table header ("Belopp (tkr) Mottagare") is at most this long
DEFAULT_TABLE_END_WORDS = 20  # a prose block this long without numbers ends a table
DEFAULT_LIST_LEAD_WORDS = 2  # words before the amount of an unmarked list item ("Resterande")


@dataclass(frozen=True)
class StatementSettings:
    """Thresholds of the text scanner; every field has a DEFAULT_* constant."""

    max_heading_words: int = DEFAULT_MAX_HEADING_WORDS
    max_header_words: int = DEFAULT_MAX_HEADER_WORDS
    table_end_words: int = DEFAULT_TABLE_END_WORDS
    list_lead_words: int = DEFAULT_LIST_LEAD_WORDS

    def __post_init__(self) -> None:
        for name in ("max_heading_words", "max_header_words", "table_end_words"):
            if getattr(self, name) <= 0:
                raise SettingsError(f"{name} must be positive, got {getattr(self, name)!r}")
        if self.list_lead_words < 0:
            raise SettingsError(f"list_lead_words must be 0 or more, got {self.list_lead_words!r}")


_HEADER_RE = re.compile(
    r"tusental kronor|\(tkr\)|\btkr\b|\(mkr\)|\bmkr\b|belopp\s*\(?(kr|kronor)\b\)?", re.I
)
_ALLOC_ROW_RE = re.compile(r"^[\s|]*(\d{2}|\d{4}|Riket)\b")
_KR_AMOUNT_RE = re.compile(rf"\d{{1,3}}(?:{SEP}\d{{3}})*\s*kr\b")
_AMOUNT_CELL_RE = re.compile(
    rf"^-?\d{{1,3}}(?:{SEP}\d{{3}})*(?:,\d+)?(?:\s*(?:kr|tkr|Mkr))?$", re.I)
_BULLET_RE = re.compile(r"^\s*(?:[•\-–−o▪]\s|\d{1,2}[.)]\s+(?=[\da-zåäö]))")
_LETTER = re.compile(r"[^\W\d_]")
_PAGE_NUMBER = re.compile(r"^\W*\d{1,4}\W*$")
_SECTION_RE = re.compile(r"^\s*(?:Del\s+[IVX]+\b|\d+(?:\.\d+)*\.?\s+[A-ZÅÄÖ])")
# How far from an amount its sentence may reach, in characters either side: a decision's
# longest sentences are a few hundred characters.
MAX_SENTENCE_REACH = 1000
_SENTENCE_END = re.compile(r"[.!?](?=\s+[A-ZÅÄÖ0-9•\-–])|\n\s*\n")
_PART_CUE = re.compile(
    r"(?<!merparten )(?<!del )\b(varav|av dessa(?: medel)?|av medlen|av detta|av beloppet|därav)\b",
    re.I,
)
_TOTAL_CUE = re.compile(r"\b(totalt|sammanlagt|omfattar)\b", re.I)
REFERENCES_FILE = Path(__file__).with_name("vocabulary") / "references.toml"


@cache
def table_reference(path: Path = REFERENCES_FILE) -> re.Pattern[str]:
    """A reference to a table for the distribution ("enligt bilaga 1"), from references.toml."""
    with open(path, "rb") as handle:
        data = tomllib.load(handle)["table_reference"]
    leads = "|".join(re.escape(w) for w in sorted(data["leads"], key=len, reverse=True))
    nouns = "|".join(re.escape(w) for w in sorted(data["nouns"], key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{leads})\s+(?:[^\W\d]+\s+){{0,3}}?(?:{nouns})(?!\w)", re.I)
_WHOLE_SUBJECT = re.compile(r"överenskommelse|avsätter regeringen", re.I)
_APPROX = re.compile(r"\b(över|ca|cirka|omkring|ungefär|drygt|nästan|knappt|mer än|upp till)\s*$",
                     re.I)
# matched at the amount's end (`.match(text, end)`), so no copy of the rest of a long block
_RATE_AFTER = re.compile(r"[\s,]*(per\b|vardera\b|var\b|/\s*(län|år|invånare))", re.I)
_RATE_BEFORE = re.compile(r"\b(vardera|per|varje)(\s+\w+){0,2}\s*$", re.I)
_UTOVER = re.compile(r"\butöver\b", re.I)
_RECIPIENT_END = re.compile(r"\s(för|i syfte|som|att|med|under)\s")
_SKR_SUBJECT = re.compile(r"\b(SKR|SKL)\s+(får|tilldelas|erhåller|disponerar)\b")
_SKR_RECIPIENT = re.compile(r"^\W*(\w+\s+){0,2}(till|tilldelas)\s+(SKR|SKL)\b")
REGION_CODES: dict[str, str] = {
    "Stockholm": "01", "Uppsala": "03", "Södermanland": "04", "Sörmland": "04",
    "Östergötland": "05", "Jönköping": "06", "Kronoberg": "07", "Kalmar": "08", "Gotland": "09",
    "Blekinge": "10", "Skåne": "12", "Halland": "13", "Västra Götaland": "14", "Värmland": "17",
    "Örebro": "18", "Västmanland": "19", "Dalarna": "20", "Gävleborg": "21",
    "Västernorrland": "22", "Jämtland": "23", "Västerbotten": "24", "Norrbotten": "25",
}
_NAMES = "|".join(sorted(REGION_CODES, key=len, reverse=True))
_SUBJECT_RE = re.compile(rf"\bRegion\s+({_NAMES})|\b({_NAMES})s?\s+län\b")


def _sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    """The sentence around pos: from the last sentence end before it to the first after it,
    at most MAX_SENTENCE_REACH characters either side (cut at a line break where there is
    one), so a block that never ends a sentence (a list of name-amount lines) does not make
    every amount's sentence the whole block: that was quadratic in time and memory."""
    starts, ends = _sentence_ends(text)
    before = bisect_right(ends, pos)  # sentence ends that end at or before pos
    after = bisect_left(starts, pos)  # the first that starts at or after pos
    start = ends[before - 1] if before else 0
    end = starts[after] + 1 if after < len(starts) else len(text)
    reach, half = MAX_SENTENCE_REACH, MAX_SENTENCE_REACH // 2
    if pos - start > reach:
        start = text.find("\n", pos - reach, pos - half) + 1 or pos - reach
    if end - pos > reach:
        cut = text.rfind("\n", pos + half, pos + reach)
        end = cut if cut >= 0 else pos + reach
    return start, end


@lru_cache(maxsize=4)
def _sentence_ends(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Where the sentence ends of a text start and end, found once per text: a block prints
    one amount per sentence or more, and scanning the block for each was quadratic (a 1.5 MB
    page of 15 000 one-line sentences took minutes)."""
    marks = [(m.start(), m.end()) for m in _SENTENCE_END.finditer(text)]
    return tuple(s for s, _ in marks), tuple(e for _, e in marks)


def _is_heading(text: str, settings: StatementSettings) -> bool:
    words = text.split()
    return 0 < len(words) <= settings.max_heading_words and not text.rstrip().endswith(".")


def _is_allocation_row(text: str) -> bool:
    """A row of an allocation table (a code or Riket, and several "kr" amounts; or, as a table
    row of cells, a code and a name or Riket, then two amount cells or more): one recipient's,
    never a total stated in words, left to the table readers (unread there, it is reported
    as an unread table, never compared as a stated total)."""
    if not _ALLOC_ROW_RE.match(text):
        return False
    if len(_KR_AMOUNT_RE.findall(text)) >= 2:
        return True
    if "|" in text:
        cells = [c.strip() for c in text.split("|") if c.strip()]
        if cells[0].isdigit():  # a code alone: a name must follow (a year row has none)
            if len(cells) < 2 or _AMOUNT_CELL_RE.match(cells[1]) or not re.search(
                    r"[^\W\d]", cells[1]):
                return False
            cells = cells[1:]
        return sum(bool(_AMOUNT_CELL_RE.match(c)) for c in cells[1:]) >= 2
    return False


def _row_cells(text: str, found: list) -> tuple[str, list[str]]:
    """A table row's label and cells as printed: the "|" cells of a Word row, or a PDF line cut
    at its amounts, with a wrapped label's rest (printed after the Mottagare cell) put back."""
    if "|" in text:
        cells = [" ".join(c.split()) for c in text.split("|")]
        return " ".join(text[: found[0][0]].replace("|", " ").split()), [c for c in cells if c]
    cuts = [0, *(p for start, end, _ in found for p in (start, end)), len(text)]
    cells = [" ".join(text[a:b].split()) for a, b in zip(cuts, cuts[1:], strict=False)]
    mottagare = MOTTAGARE_RE.match(cells[-1]) if len(cells) > 2 else None
    if mottagare and cells[-1][mottagare.end():].strip():
        cells[0] = f"{cells[0]} {cells[-1][mottagare.end():].strip()}".strip()
        cells[-1] = cells[-1][: mottagare.end()].strip()
    return cells[0], [c for c in cells if c]


def _row_context(heading: Sequence[str], text: str, found: list) -> str:
    """A table row once, " | " between its cells, after the heading row above it ("Regioner: ")
    unless the row's label already holds that heading ("Totalt regioner" under "Totalt")."""
    label, cells = _row_cells(text, found)
    head = " ".join(" ".join(h for h in heading if not _PAGE_NUMBER.match(h)).split())
    row = " | ".join(cells)
    if head and not re.search(rf"(?<!\w){re.escape(head)}(?!\w)", label, re.I):
        return f"{head}: {row}"
    return row


def _subject_code(blocks: Sequence[TextBlock]) -> tuple[str | None, int]:
    """The one region/län a document names (e.g. "Region Jämtland") and where it first does."""
    codes: dict[str, int] = {}
    for i, b in enumerate(blocks):
        for m in _SUBJECT_RE.finditer(b.text):
            codes.setdefault(REGION_CODES[m.group(1) or m.group(2)], i)
    if len(codes) != 1:
        return None, 0
    return next(iter(codes.items()))


def _is_whole(clause_lead: str, after: str) -> bool:
    """The agreement's overall total: "Överenskommelsen ... omfattar totalt X", "avsätter
    regeringen totalt X", or "totalt X ..., varav A ... och B ... till SKR"."""
    if not _TOTAL_CUE.search(clause_lead):
        return False
    if re.search(r"överenskommelse\w*(\s+\S+){0,6}?\s+omfattar\s+totalt|totalt uppgår"
                 r"|avsätter regeringen totalt", clause_lead, re.I):
        return True
    cue = _PART_CUE.search(after)
    return bool(cue and re.search(r"\b(SKR|SKL)\b", after[cue.end():]))


class _Scanner:
    """Walks the blocks of one document, keeping table, section and list state."""

    def __init__(self, source_file: str, settings: StatementSettings) -> None:
        self.source_file, self.settings = source_file, settings
        self.table_unit: str | None = None
        self.table_id = 0
        self.pending: list[str] = []
        self.section: tuple[str, ...] = ()
        self.list_id = 0
        self.current_list: int | None = None
        self.intro: dict = {"colon": False, "recipients": (), "stmts": [], "heading": False}
        self.out: list[MoneyStatement] = []

    def quiet_block(self, text: str) -> None:
        """A block without amounts: a table header, a heading, a label line or prose."""
        words = len(text.split())
        if _HEADER_RE.search(text) and words <= self.settings.max_header_words:
            unit = "tkr" if re.search(r"tusental|tkr", text, re.I) else (
                "Mkr" if re.search(r"mkr", text, re.I) else "kr")
            self.table_unit, self.pending, self.section = unit, [], ()
            self.table_id += 1
            return
        if self.table_unit and (words >= self.settings.table_end_words or _SECTION_RE.match(text)):
            self.table_unit = None
        if self.table_unit:
            if recipients_in(text) and words <= 4 and text.strip()[:1].isupper():
                self.section = recipients_in(text)
            self.pending.append(text)
            return
        heading = _is_heading(text, self.settings)
        if heading:
            self.section = recipients_in(text)
        if heading or not _BULLET_RE.match(text):
            self.current_list = None
            colon = text.rstrip().endswith(":") or "enligt följande" in text
            self.intro = {"colon": colon, "recipients": recipients_in(text) if heading else (),
                          "stmts": [], "heading": heading and bool(_LETTER.search(text))}

    def unmarked_item(self, text: str, found: list) -> bool:
        """A list item whose bullet the reader did not keep (HTML <li>): a paragraph that starts
        with its amount, after a heading, an introduction ending in a colon, or another item."""
        if not (self.current_list is not None or self.intro["colon"] or self.intro["heading"]):
            return False
        lead = text[: found[0][0]]
        return not re.search(r"\d", lead) and len(lead.split()) <= self.settings.list_lead_words

    def amount_block(self, i: int, block: TextBlock, found: list, subject: str | None,
                     pages: Sequence[tuple[int, int | None]] = ()) -> None:
        """A block with amounts: one statement per amount."""
        text = block.text
        in_table = self.table_unit is not None
        is_list = not in_table and (bool(_BULLET_RE.match(text)) or self.unmarked_item(text, found))
        list_section: tuple[str, ...] = ()
        if is_list:
            if self.current_list is None:
                self.list_id += 1
                self.current_list = self.list_id
                intro_amounts = [s for s in self.intro["stmts"] if s.role in ("amount", "whole")]
                if self.intro["colon"]:  # each may announce the list: claims pick by value
                    for stmt in intro_amounts:
                        k = self.out.index(stmt)
                        self.out[k] = replace(self.out[k], intro_of=self.current_list)
            list_section = self.intro["recipients"] or self.section
        else:
            self.current_list = None
        made = []
        row_context = _row_context(self.pending, text, found) if in_table else ""
        for n, (start, end, f) in enumerate(found):
            s0, s1 = _sentence_bounds(text, start)
            prev_end = found[n - 1][1] if n and found[n - 1][1] > s0 else s0
            next_start = found[n + 1][0] if n + 1 < len(found) else len(text)
            lead, clause_lead = text[s0:start], text[prev_end:start]
            trail = text[end:min(next_start, s1) if next_start > end else s1]
            cue_m = _PART_CUE.search(trail)
            trail = trail[: cue_m.start()] if cue_m else trail
            sentence = text[s0:s1]
            label = " ".join((" ".join(self.pending) + " " + clause_lead).replace("|", " ").split())
            own = clause_lead.replace("|", " ").strip(" \t\n:")
            row_label = own if re.search(r"[^\W\d]", own) else (self.pending or [""])[-1]
            role = "amount"
            if _RATE_AFTER.match(text, end) or _RATE_BEFORE.search(clause_lead):
                role = "rate"
            elif _APPROX.search(clause_lead):
                role = "approximate"
            elif (in_table and re.match(r"\W*totalt\W+överenskommelse", row_label, re.I)) or (
                not in_table and _is_whole(clause_lead, text[end:s1])
            ):
                role = "whole"
            head = trail[: m.start()] if (m := _RECIPIENT_END.search(trail)) else trail
            mottagare = MOTTAGARE_RE.match(trail) if in_table else None
            if mottagare:
                rest = trail[mottagare.end():].replace("|", " ")
                label, row_label = " ".join(f"{label} {rest}".split()), " ".join(
                    f"{row_label} {rest}".split())
            if in_table and re.match(r"\W*(totalt|summa)\b", row_label, re.I):
                recipients = recipients_in(row_label)
            elif in_table:
                recipients = (recipients_in(mottagare.group("who")) if mottagare else ()) or (
                    self.section or recipients_in(trail) or recipients_in(label))
            if in_table:
                words = content_words(label)
            else:
                if _SKR_SUBJECT.search(clause_lead) or _SKR_RECIPIENT.search(trail):
                    recipients = ("skr",)
                else:
                    recipients = (recipients_in(head) or list_section
                                  or recipients_in(clause_lead))
                # The clause of this amount (from the amount before it to the one after it)
                # names its column; where it names nothing, the sentence does.
                words = content_words(text[prev_end:min(next_start, s1)]) or content_words(
                    sentence)
            cues = [m for m in _PART_CUE.finditer(lead)]
            cue_id, cue = None, ""
            if cues and not _UTOVER.search(clause_lead) and not in_table:
                cue_id, cue = i * 10**9 + s0 + cues[-1].start(), cues[-1].group(1).lower()
            made.append(MoneyStatement(
                value=f["value"], text=f["text"], unit=f["unit"], precision=f["precision"],
                context=row_context or " ".join(sentence.split()),
                source_file=self.source_file, block=i, start=start,
                page=_page_at(pages, start) if pages else block.page,
                kind=block.kind, role=role,
                scope="whole" if role == "whole" else scope_of(recipients),
                recipients=recipients, words=words, label=row_label if in_table else "",
                table_id=self.table_id if in_table else None,
                list_id=self.current_list if is_list else None, cue_id=cue_id, cue=cue,
                total_cue=bool(_TOTAL_CUE.search(clause_lead)) or (
                    prev_end == s0 and bool(table_reference().search(sentence))),
                scb_code=subject,
            ))
        self.out.extend(made)
        if not is_list:
            self.intro = {"colon": text.rstrip().endswith(":") or "enligt följande" in text,
                          "recipients": (), "stmts": made, "heading": False}
        if in_table:
            self.pending = []
            if any(re.match(r"\W*(totalt|summa)\W*($|överenskommelse)", s.label, re.I)
                   for s in made):
                self.table_unit = None


_OPEN_END = re.compile(r"[^.!?:;]\s*$")


def _continues(prev: TextBlock, block: TextBlock, settings: StatementSettings) -> bool:
    """True when a page break cut one paragraph: the previous page's running text stops without
    final punctuation and the next page goes on in lower case."""
    return (prev.kind == block.kind == "paragraph" and prev.page is not None
            and block.page is not None and block.page > prev.page
            and len(prev.text.split()) >= settings.table_end_words
            and bool(_OPEN_END.search(prev.text)) and block.text.lstrip()[:1].islower())


def join_page_breaks(
    blocks: Iterable[TextBlock], settings: StatementSettings | None = None
) -> list[tuple[TextBlock, tuple[tuple[int, int | None], ...]]]:
    """Blocks with paragraphs cut by a page break joined again (the page number between them
    dropped), each with its pages as (character offset, page) from where each piece starts."""
    settings = settings or StatementSettings()
    out: list[tuple[TextBlock, tuple[tuple[int, int | None], ...]]] = []
    held: list[TextBlock] = []  # page numbers after a paragraph that may go on
    for block in blocks:
        if out and not held and _PAGE_NUMBER.match(block.text):
            held.append(block)
            continue
        if out and _continues(out[-1][0], block, settings):
            prev, pages = out.pop()
            head = prev.text.rstrip() + " "
            joined = TextBlock(head + block.text.lstrip(), prev.page, prev.kind)
            out.append((joined, (*pages, (len(head), block.page))))
            held = []
            continue
        out += [(b, ((0, b.page),)) for b in (*held, block)]
        held = []
    return out + [(b, ((0, b.page),)) for b in held]


def _page_at(pages: Sequence[tuple[int, int | None]], pos: int) -> int | None:
    return [page for start, page in pages if start <= pos][-1]


def text_to_statements(
    blocks: Iterable[TextBlock],
    source_file: str,
    settings: StatementSettings | None = None,
) -> list[MoneyStatement]:
    """Every money amount written in a document's text blocks, in reading order."""
    settings = settings or StatementSettings()
    joined = join_page_breaks(blocks, settings)
    subject, first = _subject_code([block for block, _ in joined])
    scan = _Scanner(source_file, settings)
    notation = text_notation(block.text for block, _ in joined)
    for i, (block, pages) in enumerate(joined):
        text = block.text
        if not text.strip() or _is_allocation_row(text):
            continue
        found = parse_amount_phrase(text, scan.table_unit, notation)
        if not found:
            scan.quiet_block(text)
            continue
        scan.amount_block(i, block, found, subject if subject and i >= first else None, pages)
    return mark_rates(scan.out)
