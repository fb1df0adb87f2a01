"""Bytes to text for the HTML and plain-text readers, the way browsers decide.

`decode_html` follows the WHATWG encoding sniffing order: a byte order mark (UTF-8, UTF-16LE,
UTF-16BE) wins; then a `<meta charset>` or `<meta http-equiv="Content-Type" content="...;
charset=...">` in the first 1024 bytes; then UTF-8 when the bytes decode as UTF-8; else
windows-1252 (the web's name for Latin-1, whose labels "iso-8859-1", "latin1" and "ascii" the
standard maps to it). `decode_text` does the same without the meta step.

UTF-8 that is only mostly UTF-8 — a page of UTF-8 with a stray Latin-1 byte pasted into one line
— is decoded line by line: the lines that are not UTF-8 are read as windows-1252 and named in
`Decoded.fallback_lines`, so one bad byte changes one line, not the whole page, and the reader
says which.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from model import Problem

DEFAULT_PRESCAN_BYTES = 1024  # the WHATWG prescan's window for a <meta> charset
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be"))
_META = re.compile(
    rb"<meta\b[^>]*?(?:charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)"
    rb"|content\s*=\s*[\"'][^\"']*?charset\s*=\s*([A-Za-z0-9_.:-]+))", re.IGNORECASE)
# Labels the standard maps elsewhere than Python would (WHATWG Encoding, 4.2).
_WHATWG = {"iso-8859-1": "windows-1252", "latin1": "windows-1252", "latin-1": "windows-1252",
           "l1": "windows-1252", "ascii": "windows-1252", "us-ascii": "windows-1252",
           "iso8859-1": "windows-1252", "cp819": "windows-1252", "x-user-defined":
           "windows-1252", "utf-16": "utf-8", "utf-16le": "utf-8", "utf-16be": "utf-8",
           "utf8": "utf-8", "unicode-1-1-utf-8": "utf-8"}


def _windows_1252_gaps(error: UnicodeDecodeError) -> tuple[str, int]:
    """The five bytes Python's cp1252 leaves undefined decode, as in browsers, to U+0081..."""
    return error.object[error.start:error.end].decode("latin-1"), error.end


codecs.register_error("whatwg-1252", _windows_1252_gaps)


@dataclass(frozen=True)
class Decoded:
    """The text, the encoding it was read in and how that was decided, and the 1-based lines
    that were not UTF-8 like the rest (read as windows-1252)."""

    text: str
    encoding: str
    source: str  # "byte order mark", "meta", "utf-8", "windows-1252 (not UTF-8)"
    fallback_lines: tuple[int, ...] = field(default=())


def decode_html(raw: bytes) -> Decoded:
    """An HTML page's text, its encoding sniffed as a browser would (see the module text)."""
    by_bom = _by_bom(raw)
    if by_bom is not None:
        return by_bom
    declared = meta_charset(raw[:DEFAULT_PRESCAN_BYTES])
    if declared is not None and declared != "utf-8":
        return Decoded(_decode(raw, declared), declared, "meta")
    return _utf8_or_1252(raw, "meta" if declared else "utf-8")


def decode_text(raw: bytes) -> Decoded:
    """A text file's text: byte order mark, else UTF-8, else windows-1252 (see the module)."""
    return _by_bom(raw) or _utf8_or_1252(raw, "utf-8")


def meta_charset(head: bytes) -> str | None:
    """The encoding a <meta> in the first bytes declares (WHATWG name), or None."""
    for match in _META.finditer(head):
        label = (match.group(1) or match.group(2) or b"").decode("ascii").lower()
        name = _WHATWG.get(label, label)
        try:
            python = codecs.lookup(name).name
        except LookupError:
            continue  # an unknown label is ignored, as the prescan does
        return "utf-8" if python == "utf-8" else "windows-1252" if python == "cp1252" else name
    return None


def _by_bom(raw: bytes) -> Decoded | None:
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return Decoded(raw[len(bom):].decode(encoding, errors="replace"), encoding,
                           "byte order mark")
    return None


def _decode(raw: bytes, encoding: str) -> str:
    if encoding == "windows-1252":
        return raw.decode("cp1252", errors="whatwg-1252")
    return raw.decode(encoding, errors="replace")


def _utf8_or_1252(raw: bytes, source: str) -> Decoded:
    """UTF-8 when it decodes; windows-1252 when no line is UTF-8 beyond ASCII; else line by
    line, the lines that are not UTF-8 read as windows-1252."""
    try:
        return Decoded(raw.decode("utf-8"), "utf-8", source)
    except UnicodeDecodeError:
        pass
    lines = raw.splitlines(keepends=True)
    texts, fallback, utf8_beyond_ascii = [], [], False
    for number, line in enumerate(lines, start=1):
        try:
            text = line.decode("utf-8")
            utf8_beyond_ascii |= not line.isascii()
        except UnicodeDecodeError:
            text = line.decode("cp1252", errors="whatwg-1252")
            fallback.append(number)
        texts.append(text)
    if not utf8_beyond_ascii and source != "meta":  # Latin-1 throughout, as browsers read it
        return Decoded(_decode(raw, "windows-1252"), "windows-1252",
                       "windows-1252 (not UTF-8)")
    return Decoded("".join(texts), "utf-8", source, tuple(fallback))


def fallback_problem(decoded: Decoded, source_file: str) -> Problem | None:
    """A decoder warning naming the lines read as windows-1252 in a UTF-8 document."""
    lines = decoded.fallback_lines
    if not lines:
        return None
    first = decoded.text.splitlines()[lines[0] - 1].strip() if decoded.text else ""
    shown = ", ".join(map(str, lines[:10])) + (f" and {len(lines) - 10} more" if
                                                len(lines) > 10 else "")
    one = len(lines) == 1
    return Problem(
        "decoder_warning", f"{'One line' if one else f'{len(lines)} lines'} of {source_file} "
        f"{'is' if one else 'are'} not UTF-8 like the rest ({'line' if one else 'lines'} "
        f"{shown}) and {'was' if one else 'were'} read as Windows-1252; line {lines[0]} reads "
        f"«{first[:120]}»: check the names and amounts on {'it' if one else 'those lines'}, or "
        "save the file as UTF-8",
        source_file, observed_text=first[:200], severity="warning")
