"""The parts of a DOCX besides its body that print running text: footnotes and endnotes, page
headers and footers. Their amounts are the document's text like any paragraph's ("Totalt
betalas 713 000 000 kronor ut" in a footnote states a total), so the Word reader gives their
paragraphs to the text and the control total (extractors/tally.py) counts them."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable
from pathlib import Path

from lxml import etree

from extractors.base import TextBlock

NOTE_PARTS = ("word/footnotes.xml", "word/endnotes.xml")
_HEADER_FOOTER_RE = re.compile(r"^word/(?:header|footer)\d*\.xml$")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TEXT = {f"{_W}t": None, f"{_W}tab": "\t", f"{_W}br": "\n", f"{_W}cr": "\n",
         f"{_W}noBreakHyphen": "-"}


def running_text_parts(names: Iterable[str]) -> list[str]:
    """The parts of a package (by name) that print running text besides the body: footnotes,
    endnotes, headers and footers."""
    names = set(names)
    return [p for p in NOTE_PARTS if p in names] + sorted(
        n for n in names if _HEADER_FOOTER_RE.match(n))


def part_paragraphs(archive: zipfile.ZipFile, name: str) -> list[str]:
    """The text of every paragraph of one XML part, as Word shows it (deleted text left out)."""
    out = []
    with archive.open(name) as part:
        for _, p in etree.iterparse(part, events=("end",), tag=f"{_W}p",
                                    resolve_entities=False, no_network=True):
            out.append("".join((node.text or "") if _TEXT[node.tag] is None else _TEXT[node.tag]
                               for node in p.iter(*_TEXT)))
            p.clear(keep_tail=True)
    return out


def notes_text(path: Path) -> list[TextBlock]:
    """The paragraphs of a DOCX's footnotes and endnotes, each a text block (no page)."""
    blocks = []
    with zipfile.ZipFile(path) as archive:
        for name in running_text_parts(archive.namelist()):
            if name not in NOTE_PARTS:
                continue
            for text in part_paragraphs(archive, name):
                text = " ".join(text.split())
                if text:
                    blocks.append(TextBlock(text, None, "paragraph"))
    return blocks
