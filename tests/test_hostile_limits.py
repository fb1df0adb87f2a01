"""Size limits and hostile packages: too many pages, a huge page, a content stream or zip
member that inflates beyond the limit, too many zip members, XML entities (billion laughs) and
a file above max_file_bytes. Each is refused with its exact reason before the damage is done
(issue 9). Broken files and paths are in test_hostile_files.py.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path

import pytest
from docx import Document
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from extractors import pdf, word
from extractors.base import ExtractSettings
from extractors.errors import DocumentTooLargeError, UnreadableDocumentError

# The Riket row of the 2024 annex region table (truth/2024/region.csv).
RIKET = "Riket 553 000 000 kr 50 000 000 kr 100 000 000 kr 703 000 000 kr"


def reason(excinfo: pytest.ExceptionInfo) -> str:
    return excinfo.value.reason


def small_docx(path: Path) -> Path:
    doc = Document()
    doc.add_paragraph("Bilaga 1")
    doc.add_paragraph(RIKET)
    doc.save(str(path))
    return path


def rewrite_zip(src: Path, dest: Path, replace: dict[str, bytes]) -> Path:
    """A copy of a zip package with some members' bytes replaced or added."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, replace.pop(info.filename, None) or zin.read(info))
        for name, data in replace.items():
            zout.writestr(name, data)
    return dest


# --- size limits ----------------------------------------------------------------------------


def test_too_many_pages_is_refused_by_the_default_limit(tmp_path: Path) -> None:
    limit = ExtractSettings().max_pages
    path = tmp_path / "lång.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    for _ in range(limit + 1):
        c.drawString(40, 700, "Bilaga 1")
        c.showPage()
    c.save()
    with pytest.raises(DocumentTooLargeError) as exc:
        pdf.extract(path)
    assert reason(exc) == (
        f"{limit + 1} pages, above max_pages={limit}; split the document or raise the limit")


def test_absurd_page_size_is_refused_with_its_page(tmp_path: Path) -> None:
    path = tmp_path / "affisch.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.drawString(40, 700, RIKET)
    c.showPage()
    c.setPageSize((20_000, 500))
    c.drawString(40, 300, RIKET)
    c.showPage()
    c.save()
    with pytest.raises(DocumentTooLargeError) as exc:
        pdf.extract(path)
    assert exc.value.page == 2
    assert reason(exc) == (
        "page is 20000 x 500 pt, outside 1 to max_page_side_pt=14400.0; check the file")


def handmade_pdf(content: bytes) -> bytes:
    """A one-page PDF whose content stream is `content`, flate-compressed, with a true xref."""
    stream = zlib.compress(content, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % o for o in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, xref))
    return out.getvalue()


def test_pdf_content_that_inflates_beyond_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.pdf"
    text = b"BT /F1 12 Tf 40 700 Td (" + RIKET.encode() + b") Tj ET\n"
    path.write_bytes(handmade_pdf(text + b" " * 4_000_000))
    assert path.stat().st_size < 20_000
    with pytest.raises(DocumentTooLargeError) as exc:
        pdf.extract(path, ExtractSettings(max_unpacked_bytes=1_000_000))
    assert exc.value.page == 1
    assert reason(exc) == (
        "the page content (object 4) inflates to more than max_unpacked_bytes=1000000 "
        "bytes (a compression bomb?); check the file")  # object 4: handmade_pdf's stream
    small = tmp_path / "liten.pdf"
    small.write_bytes(handmade_pdf(text))
    assert any("703 000 000 kr" in b.text for b in pdf.extract(small).text)


def test_docx_zip_bomb_is_refused_before_inflating(tmp_path: Path) -> None:
    path = tmp_path / "bomb.docx"
    small_docx(path)
    limit = ExtractSettings().max_unpacked_bytes
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        with zf.open("word/media/image1.png", "w", force_zip64=True) as member:
            chunk = bytes(1 << 20)
            for _ in range(limit // len(chunk) + 1):
                member.write(chunk)
    assert path.stat().st_size < 2_000_000
    with pytest.raises(DocumentTooLargeError) as exc:
        word.extract(path)
    assert reason(exc).startswith("zip members unpack to ")
    assert f"above max_unpacked_bytes={limit} (a zip bomb" in reason(exc)


def test_docx_with_too_many_members(tmp_path: Path) -> None:
    path = small_docx(tmp_path / "många.docx")
    with zipfile.ZipFile(path, "a") as zf:
        for index in range(30):
            zf.writestr(f"customXml/item{index}.bin", b"x")
    with pytest.raises(DocumentTooLargeError, match=r"above max_zip_members=20;"):
        word.extract(path, ExtractSettings(max_zip_members=20))


def test_docx_billion_laughs_is_refused_before_parsing(tmp_path: Path) -> None:
    src = small_docx(tmp_path / "ren.docx")
    with zipfile.ZipFile(src) as zf:
        body = zf.read("word/document.xml").decode("utf-8")
    entities = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'
        for i in range(1, 10)]
    prolog, rest = body.split("?>", 1)
    doctype = "<!DOCTYPE w:document [" + "".join(entities) + "]>"
    laughs = prolog + "?>" + doctype + rest.replace("Bilaga 1", "&lol9;")
    path = rewrite_zip(src, tmp_path / "skratt.docx", {"word/document.xml": laughs.encode()})
    with pytest.raises(UnreadableDocumentError) as exc:
        word.extract(path)
    assert reason(exc) == (
        "word/document.xml declares a DTD or XML entities, which Office never writes and which "
        "can expand to gigabytes (billion laughs); refused (limit: no <!DOCTYPE>/<!ENTITY> in "
        "a package part): save the document again from Word")


def test_file_above_max_file_bytes(tmp_path: Path) -> None:
    path = small_docx(tmp_path / "stor.docx")
    size = path.stat().st_size
    with pytest.raises(DocumentTooLargeError) as exc:
        word.extract(path, ExtractSettings(max_file_bytes=1000))
    assert reason(exc) == (
        f"file is {size} bytes, above max_file_bytes=1000; split the document or raise the limit")
