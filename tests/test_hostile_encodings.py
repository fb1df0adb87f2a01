"""Issue 18 item 9: HTML and text pages are decoded as browsers decode them (byte order mark,
then <meta charset>, then UTF-8, else windows-1252), and a stray Latin-1 byte in a UTF-8 page
changes its line only, with a decoder warning naming the line. The pages are fixture pages
re-encoded here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors import plaintext, web
from extractors.decoding import decode_html, meta_charset
from tests.test_hostile_values import REGION_PAGE

ROOT = Path(__file__).resolve().parent.parent
MD_PAGE = ROOT / "fixtures" / "cases" / "2024-regioner-organisationsnamn" / \
    "regionernas-barn-och-unga-medel-2024.md"


def read_page(tmp_path: Path, data: bytes, name: str = "regioner.html"):
    path = tmp_path / name
    path.write_bytes(data)
    return (web if name.endswith(".html") else plaintext).extract(path)


def facts(extraction) -> tuple:
    """What the reading must keep whatever the encoding: amounts, their sum, the names."""
    frame = extraction.allocations
    return len(frame), int(frame["amount_sek"].sum()), sorted(set(frame["name_raw"]))


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-8-sig"])
def test_a_page_with_a_byte_order_mark_reads_as_its_utf8_original(tmp_path, encoding):
    text = REGION_PAGE.read_text(encoding="utf-8")
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data  # Python's utf-16 writes a little-endian BOM; this is BE
    original, reencoded = web.extract(REGION_PAGE), read_page(tmp_path, data)
    assert facts(reencoded) == facts(original)
    # by hand from the page: Stockholm's row total, and a name with letters beyond ASCII
    stockholm = reencoded.allocations.filter(code="01", measure="Totalt (kr)")
    assert stockholm["amount_sek"].to_list() == [164_423_176]
    assert "Östergötland" in facts(reencoded)[2]


@pytest.mark.parametrize("meta", [b'<meta charset="windows-1252">', b"<meta charset=ISO-8859-1>",
                                  b'<meta http-equiv="Content-Type" content="text/html; '
                                  b'charset=latin1">'])
def test_a_page_declaring_latin1_in_a_meta_reads_its_names_right(tmp_path, meta):
    text = REGION_PAGE.read_text(encoding="utf-8").replace('<meta charset="utf-8">', "")
    data = text.encode("cp1252").replace(b"<head>", b"<head>" + meta, 1)
    assert facts(read_page(tmp_path, data)) == facts(web.extract(REGION_PAGE))


def test_meta_charset_follows_the_whatwg_labels():
    assert meta_charset(b'<html><head><meta charset="UTF-8">') == "utf-8"
    assert meta_charset(b"<meta http-equiv=Content-Type content='text/html; charset=us-ascii'>"
                        ) == "windows-1252"  # WHATWG: "us-ascii" is windows-1252
    assert meta_charset(b'<meta charset="utf-16">') == "utf-8"  # a meta cannot say UTF-16
    assert meta_charset(b'<meta charset="no-such-thing"><p>') is None
    # beyond the first 1024 bytes a meta is not looked at
    assert decode_html(b" " * 1100 + b"<meta charset=windows-1252>\xf6").encoding == \
        "windows-1252"  # found by the fallback (not UTF-8), not by the meta


def test_one_latin1_byte_in_a_utf8_page_changes_its_line_only(tmp_path):
    lines = REGION_PAGE.read_bytes().split(b"\n")
    number = next(i for i, ln in enumerate(lines, start=1) if b"<td>Uppsala</td>" in ln)
    lines[number - 1] = lines[number - 1].replace(b"Uppsala", b"Upps\xe4la")  # ä in Latin-1
    extraction = read_page(tmp_path, b"\n".join(lines))
    original = web.extract(REGION_PAGE)
    count, total, names = facts(extraction)
    # every amount is read; only the changed line's name differs, and it reads right
    assert (count, total) == facts(original)[:2]
    assert set(names) ^ set(facts(original)[2]) == {"Uppsala", "Uppsäla"}
    assert "Östergötland" in names  # the page's real UTF-8 stays UTF-8
    [warning] = [p for p in extraction.problems if p.check == "decoder_warning"]
    assert f"(line {number})" in warning.message and "Uppsäla" in warning.observed_text


def test_a_text_page_with_a_latin1_line_is_read_with_a_warning(tmp_path):
    text = MD_PAGE.read_text(encoding="utf-8")
    assert "Region Östergötland" in text  # the line changed below
    lines = text.encode("utf-8").split(b"\n")
    number = next(i for i, ln in enumerate(lines, start=1) if "Östergötland".encode() in ln)
    lines[number - 1] = lines[number - 1].decode("utf-8").encode("cp1252")
    extraction = read_page(tmp_path, b"\n".join(lines), "regioner.md")
    assert facts(extraction) == facts(plaintext.extract(MD_PAGE))
    [warning] = [p for p in extraction.problems if p.check == "decoder_warning"]
    assert f"(line {number})" in warning.message


def test_a_windows_1252_text_file_throughout_is_read_without_warning(tmp_path):
    data = MD_PAGE.read_text(encoding="utf-8").encode("cp1252")
    path = tmp_path / "regioner.md"
    path.write_bytes(data)
    assert plaintext.detect(path)  # it was "unrecognised" while only UTF-8 was text
    extraction = plaintext.extract(path)
    assert facts(extraction) == facts(plaintext.extract(MD_PAGE))
    assert [p for p in extraction.problems if p.check == "decoder_warning"] == []
