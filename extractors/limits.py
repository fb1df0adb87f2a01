"""Checks every reader runs before parsing a file, and what a file looks like when it is not
the format its name says.

`check_file` turns the ways a path can fail to be a document (missing, a broken link, a folder,
a pipe, permission denied, empty, too large) into one `UnreadableDocumentError` whose reason says
how to fix it. `describe_content` names what the first bytes look like ("an Excel workbook
(XLSX)", "an HTML page", ...), so a reader can say "not a PDF: it looks like ...". `check_zip`
bounds a zip package (members, unpacked bytes, XML entity declarations) before it is opened.
"""

from __future__ import annotations

import os
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path

from extractors.base import ExtractSettings
from extractors.errors import DocumentTooLargeError, UnreadableDocumentError

DEFAULT_HEAD_BYTES = 4096  # bytes read to tell what a file looks like
DEFAULT_XML_SCAN_CHUNK = 1 << 20  # bytes of an XML member read at a time when scanning for a DTD

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
     "an old Office file (Word 97-2003 .doc or Excel .xls), not the XML-based format"),
    (b"{\\rtf", "an RTF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
)

_ZIP_KINDS: tuple[tuple[str, str], ...] = (
    ("word/document.xml", "a Word document (DOCX)"),
    ("xl/workbook.xml", "an Excel workbook (XLSX)"),
    ("ppt/presentation.xml", "a PowerPoint presentation (PPTX)"),
    ("content.xml", "an OpenDocument file (ODT/ODS)"),
)


def describe_content(head: bytes) -> str:
    """A few words on what a file's first bytes look like, e.g. 'a PDF' or 'an HTML page'."""
    if not head:
        return "an empty file (0 bytes)"
    if b"%PDF-" in head[:1024]:
        return "a PDF"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        return "a zip archive"
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return what
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html")) or b"<html" in text[:1024]:
        return "an HTML page (often a login or error page saved in place of the document)"
    if text.startswith(b"<?xml") or text.startswith(b"<"):
        return "an XML or markup file"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # a character cut at the end of the head is fine
            return "binary data of an unknown kind"
    return "plain text"


def describe_zip(path: Path) -> str:
    """What a zip file holds: 'a Word document (DOCX)', 'an Excel workbook (XLSX)', ..."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
    except (OSError, zipfile.BadZipFile, ValueError):
        return "a damaged or truncated zip archive"
    for member, what in _ZIP_KINDS:
        if member in names:
            return what
    return "a zip archive that is no Office document"


def check_file(path: Path, settings: ExtractSettings, kind: str) -> bytes:
    """The first bytes of a regular, readable, non-empty file within the size limit; else raise.

    `kind` names the expected format in the messages ("PDF", "DOCX").
    """
    path = Path(path)
    if path.is_symlink() and not path.exists():
        raise UnreadableDocumentError(
            str(path), f"is a link to {os.readlink(path)}, which does not exist; copy the "
            f"{kind} itself into the case folder")
    try:
        info = path.stat()
    except FileNotFoundError as exc:
        raise UnreadableDocumentError(
            str(path), "no such file; check the name and the case folder") from exc
    except OSError as exc:
        raise _os_error(path, exc, kind) from exc
    if stat.S_ISDIR(info.st_mode):
        raise UnreadableDocumentError(
            str(path), f"is a folder, not a file; put the {kind} file itself in the case folder")
    if not stat.S_ISREG(info.st_mode):
        raise UnreadableDocumentError(
            str(path), f"is not a regular file (a pipe, socket or device); copy the {kind} "
            "into the case folder as a file")
    if info.st_size == 0:
        raise UnreadableDocumentError(
            str(path), f"the file is empty (0 bytes); download or copy the {kind} again")
    if info.st_size > settings.max_file_bytes:
        raise DocumentTooLargeError(
            str(path), f"file is {info.st_size} bytes, above max_file_bytes="
            f"{settings.max_file_bytes}; split the document or raise the limit")
    try:
        with open(path, "rb") as handle:
            return handle.read(DEFAULT_HEAD_BYTES)
    except OSError as exc:
        raise _os_error(path, exc, kind) from exc


def refuse_count(path: Path, what: str, count: int, setting: str, limit: int,
                 page: int | None = None) -> DocumentTooLargeError:
    """The error for a document holding more of something (cells, rows, elements) than a
    limit of ExtractSettings allows."""
    return DocumentTooLargeError(
        str(path), f"{what}: more than {setting}={limit} ({count} read before stopping); no "
        "decision has that many: check the file or raise the limit", page=page)


def check_text_file(path: Path, settings: ExtractSettings, kind: str) -> None:
    """Refuse an HTML or text file above max_text_bytes, before it is read."""
    size = path.stat().st_size
    if size > settings.max_text_bytes:
        raise DocumentTooLargeError(
            str(path), f"the {kind} file is {size} bytes, above max_text_bytes="
            f"{settings.max_text_bytes}; a decision page is far smaller: check the file or "
            "raise the limit")


def _os_error(path: Path, exc: OSError, kind: str) -> UnreadableDocumentError:
    if isinstance(exc, PermissionError):
        return UnreadableDocumentError(
            str(path), "permission denied; give the user running reconcile read access to the "
            "file (e.g. chmod a+r)")
    reason = exc.strerror or type(exc).__name__
    return UnreadableDocumentError(
        str(path), f"the file cannot be read ({reason}); copy the {kind} again")


@dataclass(frozen=True)
class ZipSummary:
    """What `check_zip` learned from a zip package's directory."""

    names: frozenset[str]
    unpacked_bytes: int


def check_zip(path: Path, settings: ExtractSettings, kind: str) -> ZipSummary:
    """Refuse a zip package that is damaged, has too many members, unpacks to more than
    max_unpacked_bytes or declares XML entities; nothing is inflated beyond those limits."""
    members = _declared_members(path)
    if members is not None and members > settings.max_zip_members:
        raise DocumentTooLargeError(
            str(path), f"the zip package lists {members} members, above max_zip_members="
            f"{settings.max_zip_members}; an Office document has a few dozen: check the file")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            unpacked = sum(info.file_size for info in infos)
            if unpacked > settings.max_unpacked_bytes:
                raise DocumentTooLargeError(
                    str(path), f"zip members unpack to {unpacked} bytes, above "
                    f"max_unpacked_bytes={settings.max_unpacked_bytes} (a zip bomb or a "
                    "document full of pictures); check the file or raise the limit")
            for info in infos:
                if info.filename.endswith((".xml", ".rels")):
                    _refuse_dtd(path, zf, info)
            return ZipSummary(frozenset(i.filename for i in infos), unpacked)
    except UnreadableDocumentError:
        raise
    except Exception as exc:  # zipfile raises BadZipFile, zlib.error, EOFError, RuntimeError...
        raise UnreadableDocumentError(
            str(path), f"not a valid {kind}: the zip package is damaged or truncated ({exc}); "
            "save or download it again") from exc


def _declared_members(path: Path) -> int | None:
    """The member count in the zip's end record, read before the directory is loaded."""
    try:
        with open(path, "rb") as handle:
            end = zipfile._EndRecData(handle)  # the stdlib's own reader
    except (OSError, AttributeError, zipfile.BadZipFile, ValueError):
        return None
    return None if end is None else int(end[zipfile._ECD_ENTRIES_TOTAL])


_DTD_MARKERS = tuple(
    marker.encode(enc) for marker in ("<!DOCTYPE", "<!ENTITY")
    for enc in ("utf-8", "utf-16-le", "utf-16-be")
)


def _refuse_dtd(path: Path, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Office XML never declares a DTD; one that does may expand entities (billion laughs)."""
    tail = b""
    with zf.open(info) as member:
        while chunk := member.read(DEFAULT_XML_SCAN_CHUNK):
            window = tail + chunk
            if any(marker in window for marker in _DTD_MARKERS):
                raise UnreadableDocumentError(
                    str(path), f"{info.filename} declares a DTD or XML entities, which Office "
                    "never writes and which can expand to gigabytes (billion laughs); refused "
                    "(limit: no <!DOCTYPE>/<!ENTITY> in a package part): save the document "
                    "again from Word")
            tail = chunk[-32:]
