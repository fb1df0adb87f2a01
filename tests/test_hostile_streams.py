"""Issue 18 item 7: every stream a PDF reader decodes is bounded, not only page /Contents.

Each hostile PDF is a few objects written here by hand (`pdf_bytes` of test_hostile_faults).
A bomb is a deflate stream of zeros built without compressing them: after a full flush deflate
starts afresh, so the block that encodes 1 MiB of zeros is the same every time and is repeated;
the zlib trailer is the Adler-32 of n zeros, ((n mod 65521) << 16) | 1 (a stays 1, b adds 1 per
byte). 1 GiB of zeros is then a ~1 MB stream, as in the issue.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from pdfminer import pdftypes

from extractors import pdf
from extractors.base import ExtractSettings
from extractors.errors import DocumentTooLargeError
from extractors.pdf_streams import bounded_decoding
from pipeline.reading import read_document
from tests.test_hostile_faults import pdf_bytes

TEXT = b"BT /F1 12 Tf 72 700 Td (Riket 100 kr) Tj ET\n"
SMALL = ExtractSettings(max_unpacked_bytes=1_000_000)
DEFAULTS = ExtractSettings()
DEFAULT_LIMIT = 200 * 1024 * 1024  # DEFAULT_MAX_UNPACKED_BYTES, as the README states it


def zeros_bomb(mib: int) -> bytes:
    """A zlib stream that inflates to `mib` MiB of zero bytes, about 1 KB per MiB."""
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = bytes(1 << 20)
    first = deflate.compress(chunk) + deflate.flush(zlib.Z_FULL_FLUSH)
    again = deflate.compress(chunk) + deflate.flush(zlib.Z_FULL_FLUSH)
    end = deflate.flush(zlib.Z_FINISH)
    adler = (((mib << 20) % 65521) << 16) | 1
    return b"\x78\xda" + first + again * (mib - 1) + end + adler.to_bytes(4, "big")


def stream(attrs: bytes, data: bytes) -> bytes:
    return b"<< %s /Length %d >>\nstream\n" % (attrs, len(data)) + data + b"\nendstream"


def form(data: bytes, resources: bytes = b"") -> bytes:
    return stream(b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Filter /FlateDecode"
                  + resources, data)


def one_page(resources: bytes, objects: list[tuple[int, bytes]], content: bytes = TEXT
             ) -> bytes:
    """A page showing `content` with the Helvetica font F1 and the given extra resources."""
    return pdf_bytes([
        (1, b"<< /Type /Catalog /Pages 2 0 R >>"),
        (2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
        (3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> " + resources + b" >> >>"),
        (4, stream(b"", content)),
        (5, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"),
        *objects,
    ])


def refusal(path: Path, settings: ExtractSettings = DEFAULTS) -> tuple[int | None, str]:
    with pytest.raises(DocumentTooLargeError) as exc:
        pdf.extract(path, settings)
    return exc.value.page, exc.value.reason


def bomb_line(what: str, limit: int, verb: str = "inflates") -> str:
    return (f"{what} {verb} to more than max_unpacked_bytes={limit} bytes (a compression "
            "bomb?); check the file")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads Linux's VmHWM")
def test_a_form_that_inflates_to_a_gibibyte_is_refused_with_bounded_memory(tmp_path):
    path = tmp_path / "formular.pdf"
    path.write_bytes(one_page(b"/XObject << /X1 6 0 R >>", [(6, form(zeros_bomb(1024)))],
                              TEXT + b"/X1 Do\n"))
    assert path.stat().st_size < 1_200_000  # a 1 MB file
    # In a fresh process, so its peak memory is this reading's: before the bound it read the
    # page and peaked at 2.1 GB; the bounded inflate keeps one 1 MiB chunk at a time. VmHWM,
    # not getrusage: Linux carries ru_maxrss over exec from the forked (large) test process.
    probe = ("import re, sys; from pathlib import Path; from extractors import pdf\n"
             "try:\n    pdf.extract(Path(sys.argv[1]))\nexcept Exception as exc:\n"
             "    print(exc.page, exc.reason)\n"
             "status = Path('/proc/self/status').read_text()\n"
             "print(int(re.search(r'VmHWM:\\s+(\\d+)', status).group(1)) // 1024)\n")
    run = subprocess.run([sys.executable, "-c", probe, str(path)], capture_output=True,
                         text=True, timeout=120, cwd=Path(__file__).parent.parent, check=True)
    line, peak_mb = run.stdout.splitlines()
    assert line == "1 " + bomb_line("a form (XObject) the page draws (object 6)", DEFAULT_LIMIT)
    assert int(peak_mb) < 400  # the imports alone take ~100 MB; the bomb would take 1 GiB
    assert run.stderr == ""


def test_a_bomb_in_a_form_inside_a_form_is_refused(tmp_path):
    path = tmp_path / "inre.pdf"
    outer = form(zlib.compress(b"/X2 Do\n"), b" /Resources << /XObject << /X2 7 0 R >> >>")
    path.write_bytes(one_page(b"/XObject << /X1 6 0 R >>",
                              [(6, outer), (7, form(zeros_bomb(3)))], TEXT + b"/X1 Do\n"))
    assert refusal(path, SMALL) == (1, bomb_line(
        "a form (XObject) the page draws (object 7)", 1_000_000))


def test_a_bomb_in_an_embedded_font_is_refused(tmp_path):
    path = tmp_path / "typsnitt.pdf"
    font = (b"<< /Type /Font /Subtype /TrueType /BaseFont /Bomb /FirstChar 32 /LastChar 32 "
            b"/Widths [250] /FontDescriptor 7 0 R >>")
    descriptor = (b"<< /Type /FontDescriptor /FontName /Bomb /Flags 32 /FontBBox [0 0 1 1] "
                  b"/ItalicAngle 0 /Ascent 1 /Descent 0 /CapHeight 1 /StemV 1 "
                  b"/FontFile2 8 0 R >>")
    path.write_bytes(one_page(b"/Font << /F2 6 0 R >>", [
        (6, font), (7, descriptor), (8, stream(b"/Filter /FlateDecode", zeros_bomb(3)))]))
    # the page's /Resources names /Font twice; pdfminer keeps the last, so F2 is the font
    assert refusal(path, SMALL) == (1, bomb_line("an embedded font (object 8)", 1_000_000))


def test_a_picture_declaring_gigapixels_is_refused_before_it_is_decoded(tmp_path):
    path = tmp_path / "bild.pdf"
    picture = stream(b"/Type /XObject /Subtype /Image /Width 100000 /Height 100000 "
                     b"/ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode",
                     b"\xff\xd8\xff\xe0 not really a JPEG")
    path.write_bytes(one_page(b"/XObject << /Im1 6 0 R >>", [(6, picture)],
                              TEXT + b"q 100 0 0 100 0 0 cm /Im1 Do Q\n"))
    # 100 000 x 100 000 pixels x 3 colours x 8 bits = 3e10 bytes, far above 200 MiB
    assert refusal(path) == (1, bomb_line("a picture the page draws (object 6)",
                                          DEFAULT_LIMIT, "declares pixels that unpack"))


def test_a_cross_reference_stream_bomb_is_refused_when_the_file_is_opened(tmp_path):
    """PDF 1.5 keeps its object table in a compressed stream that pdfminer unpacks before any
    page: 3 MiB of zero rows after the true entries, refused by the bounded decoding."""
    body, offsets = b"%PDF-1.5\n", {}
    for number, obj in [(1, b"<< /Type /Catalog /Pages 2 0 R >>"),
                        (2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
                        (3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                            b"/Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"),
                        (4, stream(b"", TEXT)),
                        (5, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")]:
        offsets[number] = len(body)
        body += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    offsets[6] = len(body)
    rows = b"\x00" + bytes(4) + b"\xff\xff" + b"".join(
        b"\x01" + offsets[n].to_bytes(4, "big") + b"\x00\x00" for n in range(1, 7))
    xref = stream(b"/Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Filter /FlateDecode",
                  zlib.compress(rows + bytes(3 << 20)))
    body += b"6 0 obj\n" + xref + b"\nendobj\nstartxref\n%d\n%%%%EOF\n" % offsets[6]
    path = tmp_path / "xref.pdf"
    path.write_bytes(body)
    assert refusal(path, SMALL) == (None, bomb_line("a stream", 1_000_000))
    # the same file within the limit reads: the entries are right, only the padding is big
    assert any("Riket 100 kr" in b.text for b in pdf.extract(path).text)


def test_all_streams_of_a_document_together_are_bounded(tmp_path):
    """Two pages of 600 000 bytes of content each: each within 1 000 000, both not."""
    content = zlib.compress(TEXT + b" " * 600_000)
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R " \
           b"/Resources << /Font << /F1 5 0 R >> >> >>"
    path = tmp_path / "tva-sidor.pdf"
    path.write_bytes(pdf_bytes([
        (1, b"<< /Type /Catalog /Pages 2 0 R >>"),
        (2, b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>"),
        (3, page % 6), (4, page % 7),
        (5, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"),
        (6, stream(b"/Filter /FlateDecode", content)),
        (7, stream(b"/Filter /FlateDecode", content)),
    ]))
    assert refusal(path, SMALL) == (2, bomb_line(
        "the streams of the pages up to this one together", 1_000_000, "inflate"))
    assert len(pdf.extract(path, ExtractSettings(max_unpacked_bytes=1_300_000)).text) == 2


def test_a_damaged_form_is_a_decoder_warning_whichever_reader_draws_it(tmp_path, capfd):
    """pdfium recovers a form whose checksum is damaged without a word; the bound measures
    every stream of the page, so the damage is a finding with either glyph reader."""
    data = zlib.compress(b"BT /F1 12 Tf 72 650 Td (Summa 5 kr) Tj ET\n")
    damaged = data[:-2] + bytes(b ^ 0x5A for b in data[-2:])
    path = tmp_path / "skadad.pdf"
    path.write_bytes(one_page(b"/XObject << /X1 6 0 R >>", [(6, form(damaged))],
                              TEXT + b"/X1 Do\n"))
    for source in ("pdfium", "pdfminer"):
        outcome = read_document(path, "extractors.pdf", ExtractSettings(glyph_source=source),
                                False)
        warned = [p for p in outcome.extraction.problems if p.check == "decoder_warning"]
        assert len(warned) == 1, source
        assert "a form (XObject) the page draws (object 6)" in warned[0].message
    assert capfd.readouterr().err == ""


def test_bounded_decoding_gives_what_pdfminer_gives(caplog):
    """Inside the bound pdfminer's decode yields the same bytes, the same recovery of a
    damaged checksum (with its warning) and the same empty result for damage mid-stream."""
    text = b"".join(b"%d 0 Td (rad %d) Tj\n" % (n, n) for n in range(3_000))
    packed = zlib.compress(text)
    cases = {"intact": packed, "checksum": packed[:-2] + b"\x00\x00",
             "middle": packed[:100] + bytes(b ^ 0xFF for b in packed[100:120]) + packed[120:]}

    def decoded(data: bytes) -> bytes:
        stream = pdftypes.PDFStream({"Filter": pdftypes.LITERALS_FLATE_DECODE[0]}, data)
        return stream.get_data()

    for name, data in cases.items():
        with caplog.at_level(logging.WARNING):
            caplog.clear()
            plain = decoded(data)
            plain_warnings = [r.getMessage() for r in caplog.records]
            caplog.clear()
            with bounded_decoding(DEFAULT_LIMIT):
                bounded = decoded(data)
            assert bounded == plain, name
            assert [r.getMessage() for r in caplog.records] == plain_warnings, name
    assert decoded(cases["checksum"]) == text  # only the checksum was lost
