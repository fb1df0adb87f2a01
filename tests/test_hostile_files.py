"""Broken files and paths: each is refused with one clear reason naming the file (and page),
never a crash; a broken case does not stop the others (issue 9). Empty, truncated, corrupt and
mislabelled files, encrypted and scanned PDFs, odd names, folders, links, pipes and permissions,
and random byte damage. Size limits and hostile packages are in test_hostile_limits.py.

Every broken file is generated here from the fixtures or with reportlab/python-docx/xlsxwriter.
"""

from __future__ import annotations

import builtins
import io
import json
import os
import shutil
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfgen import canvas

from extractors import pdf, word
from extractors.errors import UnreadableDocumentError
from extractors.registry import detect_format
from pipeline.cli import main

ROOT = Path(__file__).resolve().parent.parent
CASE_2024 = ROOT / "fixtures" / "cases" / "2024-psykisk-halsa"
DECISION_PDF = CASE_2024 / "regeringsbeslut-2024-I6.pdf"
DECISION_DOCX = CASE_2024 / "regeringsbeslut-2024-I6.docx"
WORD_EXPORT = ROOT / "fixtures" / "cases" / "2024-psykisk-halsa-word-export"
# Region Stockholm's row of the 2024 annex (truth/2024/region.csv) and the Riket total.
STOCKHOLM = "01 Stockholm 129 530 375 kr 11 630 934 kr 23 261 868 kr 164 423 176 kr"
RIKET = "Riket 553 000 000 kr 50 000 000 kr 100 000 000 kr 703 000 000 kr"


def reason(excinfo: pytest.ExceptionInfo) -> str:
    return excinfo.value.reason


def text_pdf(path: Path, pages: int = 1, size=A4, encrypt=None) -> Path:
    """A born-digital PDF printing Stockholm's and Riket's rows on each page."""
    c = canvas.Canvas(str(path), pagesize=size, encrypt=encrypt)
    for _ in range(pages):
        c.drawString(40, 700, STOCKHOLM)
        c.drawString(40, 680, RIKET)
        c.showPage()
    c.save()
    return path


def scan_page(c: canvas.Canvas) -> None:
    image = Image.new("L", (60, 80), color=200)
    c.drawInlineImage(image, 50, 50, width=500, height=700)
    c.showPage()


# --- empty, truncated, corrupt, mislabelled -------------------------------------------------


def test_empty_pdf_is_claimed_by_name_and_refused(tmp_path: Path) -> None:
    path = tmp_path / "beslut.pdf"
    path.write_bytes(b"")
    assert detect_format(path) is pdf
    with pytest.raises(UnreadableDocumentError) as exc:
        pdf.extract(path)
    assert str(exc.value) == (
        f"{path}: the file is empty (0 bytes); download or copy the PDF again")


def test_empty_docx_is_claimed_by_name_and_refused(tmp_path: Path) -> None:
    path = tmp_path / "Bilaga 1.DOCX"
    path.write_bytes(b"")
    assert detect_format(path) is word
    with pytest.raises(UnreadableDocumentError, match=r"empty \(0 bytes\).*DOCX again"):
        word.extract(path)


def test_truncated_pdf(tmp_path: Path) -> None:
    data = DECISION_PDF.read_bytes()
    path = tmp_path / "beslut.pdf"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(UnreadableDocumentError) as exc:
        pdf.extract(path)
    assert reason(exc).startswith("not a readable PDF (")
    assert reason(exc).endswith("the file is damaged or truncated: re-export or re-download it")


def test_pdf_with_garbage_body(tmp_path: Path) -> None:
    path = tmp_path / "beslut.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 20)
    with pytest.raises(UnreadableDocumentError, match="not a readable PDF"):
        pdf.extract(path)


@pytest.mark.parametrize(("content", "looks_like"), [
    (b"<!DOCTYPE html><html><body>Logga in</body></html>", "an HTML page"),
    (b"Regeringsbeslut 2024-03-27\n", "plain text"),
    (b"\x89PNG\r\n\x1a\n" + bytes(40), "a PNG image"),
])
def test_pdf_that_is_something_else_says_what_it_looks_like(tmp_path, content, looks_like):
    path = tmp_path / "beslut.pdf"
    path.write_bytes(content)
    assert detect_format(path) is pdf
    with pytest.raises(UnreadableDocumentError) as exc:
        pdf.extract(path)
    assert reason(exc).startswith(f"not a PDF: the content looks like {looks_like}")
    assert reason(exc).endswith("get the PDF again from where it was published")


def test_docx_renamed_pdf_is_told_to_be_renamed(tmp_path: Path) -> None:
    path = tmp_path / "beslut.pdf"
    shutil.copy(DECISION_DOCX, path)
    with pytest.raises(UnreadableDocumentError) as exc:
        pdf.extract(path)
    assert reason(exc) == (
        "not a PDF: the content looks like a Word document (DOCX); rename it to .docx")


def test_xlsx_renamed_docx(tmp_path: Path) -> None:
    path = tmp_path / "bilaga.docx"
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet("Region").write_row(0, 0, ["01", "Stockholm", 164423176])
    book.close()
    assert detect_format(path) is word
    with pytest.raises(UnreadableDocumentError) as exc:
        word.extract(path)
    assert reason(exc) == (
        "not a DOCX: the content looks like an Excel workbook (XLSX); it was renamed .docx: "
        "give the decision's DOCX or PDF instead")


def test_old_word_doc_renamed_docx(tmp_path: Path) -> None:
    path = tmp_path / "bilaga.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    with pytest.raises(UnreadableDocumentError) as exc:
        word.extract(path)
    assert reason(exc) == (
        "not a DOCX: the content looks like an old Office file (Word 97-2003 .doc or Excel "
        ".xls), not the XML-based format; open it in Word and save it as .docx")


def test_truncated_docx(tmp_path: Path) -> None:
    data = DECISION_DOCX.read_bytes()
    path = tmp_path / "bilaga.docx"
    path.write_bytes(data[: len(data) - 200])  # the zip directory is at the end
    with pytest.raises(UnreadableDocumentError) as exc:
        word.extract(path)
    assert reason(exc).startswith("not a valid DOCX: the zip package is damaged or truncated")


# --- encrypted and scanned PDFs --------------------------------------------------------------


def test_encrypted_pdf_opens_with_the_empty_user_password(tmp_path: Path) -> None:
    path = text_pdf(tmp_path / "open.pdf", encrypt=StandardEncryption("", ownerPassword="o"))
    assert any("703 000 000 kr" in b.text for b in pdf.extract(path).text)


def test_encrypted_pdf_with_a_user_password_is_refused(tmp_path: Path) -> None:
    path = text_pdf(tmp_path / "locked.pdf", encrypt=StandardEncryption("hemligt"))
    with pytest.raises(UnreadableDocumentError) as exc:
        pdf.extract(path)
    assert reason(exc) == (
        "the PDF is encrypted and the empty password does not open it; ask the sender for an "
        "unprotected copy")


def test_scan_without_text_layer_says_so(tmp_path: Path) -> None:
    path = tmp_path / "skannad.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    scan_page(c)
    scan_page(c)
    c.save()
    with pytest.raises(UnreadableDocumentError) as exc:
        pdf.extract(path)
    assert reason(exc) == (
        "no page has a text layer; it looks like a scan, and OCR is not in scope: get the "
        "born-digital PDF or the DOCX")


def test_one_scanned_page_among_text_pages_is_a_problem_with_its_page(tmp_path: Path) -> None:
    path = tmp_path / "delvis.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.drawString(40, 700, RIKET)
    c.showPage()
    scan_page(c)
    c.save()
    ex = pdf.extract(path)
    assert ex.pages == 2
    [problem] = [p for p in ex.problems if p.check == "no_text_layer"]
    assert (problem.page, problem.severity, problem.source_file) == (2, "error", "delvis.pdf")
    assert any("703 000 000 kr" in b.text and b.page == 1 for b in ex.text)


# --- names and unreadable paths -------------------------------------------------------------


def test_names_with_spaces_and_swedish_letters_are_read(tmp_path: Path) -> None:
    folder = tmp_path / "Västra Götaland – beslut 2024"
    folder.mkdir()
    path = text_pdf(folder / "Regeringsbeslut Ö nr I6 (bilaga).pdf")
    ex = pdf.extract(path)
    assert ex.source_file == "Regeringsbeslut Ö nr I6 (bilaga).pdf"
    assert any("164 423 176 kr" in b.text for b in ex.text)
    empty = folder / "Överenskommelse å ä.docx"
    empty.write_bytes(b"")
    with pytest.raises(UnreadableDocumentError) as exc:
        word.extract(empty)
    assert exc.value.path == str(empty)


def test_folder_named_pdf(tmp_path: Path) -> None:
    path = tmp_path / "x.pdf"
    path.mkdir()
    with pytest.raises(UnreadableDocumentError) as exc:
        pdf.extract(path)
    assert reason(exc) == "is a folder, not a file; put the PDF file itself in the case folder"


def test_broken_link_is_claimed_and_refused(tmp_path: Path) -> None:
    path = tmp_path / "beslut.pdf"
    os.symlink(tmp_path / "gone.pdf", path)
    assert detect_format(path) is pdf
    with pytest.raises(UnreadableDocumentError) as exc:
        pdf.extract(path)
    assert reason(exc) == (
        f"is a link to {tmp_path / 'gone.pdf'}, which does not exist; copy the PDF itself into "
        "the case folder")


def test_pipe_named_docx_is_not_opened(tmp_path: Path) -> None:
    path = tmp_path / "bilaga.docx"
    os.mkfifo(path)
    assert detect_format(path) is word
    with pytest.raises(UnreadableDocumentError, match="not a regular file"):
        word.extract(path)  # opening a pipe with no writer would block forever


def test_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = text_pdf(tmp_path / "låst.pdf")
    real_open = builtins.open

    def guarded(file, *args, **kwargs):
        if os.fspath(file) == os.fspath(path):
            raise PermissionError(13, "Permission denied", os.fspath(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded)
    with pytest.raises(UnreadableDocumentError) as exc:
        pdf.extract(path)
    assert reason(exc) == (
        "permission denied; give the user running reconcile read access to the file "
        "(e.g. chmod a+r)")


# --- random damage: only UnreadableDocumentError, never anything else -----------------------


@pytest.fixture(scope="module")
def annex_pages() -> bytes:
    """Pages 5-6 of the 2024 decision (the region table and the first kommun page)."""
    new = pdfium.PdfDocument.new()
    new.import_pages(pdfium.PdfDocument(str(DECISION_PDF)), [4, 5])
    buffer = io.BytesIO()
    new.save(buffer)
    return buffer.getvalue()


def flip(data: bytes, flips: list[tuple[int, int]]) -> bytes:
    damaged = bytearray(data)
    for position, value in flips:
        damaged[position % len(damaged)] = value
    return bytes(damaged)


FLIPS = st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), min_size=1, max_size=8)
FUZZ = settings(max_examples=40, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


def test_undamaged_annex_pages_hold_the_region_table(annex_pages: bytes, tmp_path: Path) -> None:
    path = tmp_path / "bilaga.pdf"
    path.write_bytes(annex_pages)
    frame = pdf.extract(path).allocations
    riket = frame.filter(table="region", row_kind="total", measure="Totalt belopp")
    assert riket["amount_sek"].to_list() == [703_000_000]


@FUZZ
@given(flips=FLIPS)
def test_byte_flips_in_a_pdf_raise_only_unreadable(annex_pages, tmp_path, flips) -> None:
    path = tmp_path / "flipped.pdf"
    path.write_bytes(flip(annex_pages, flips))
    try:
        pdf.extract(path)
    except UnreadableDocumentError:
        pass


@FUZZ
@given(flips=FLIPS)
def test_byte_flips_in_a_docx_raise_only_unreadable(tmp_path, flips) -> None:
    path = tmp_path / "flipped.docx"
    path.write_bytes(flip(DECISION_DOCX.read_bytes(), flips))
    try:
        word.extract(path)
    except UnreadableDocumentError:
        pass


# --- a batch with one broken case -----------------------------------------------------------


def test_batch_with_one_broken_case_reconciles_the_others(tmp_path, capsys) -> None:
    broken = tmp_path / "Trasigt ärende 2024"
    broken.mkdir()
    (broken / "beslut 2024.pdf").write_bytes(b"")
    out = tmp_path / "ut"
    status = main([str(WORD_EXPORT), str(broken), "--out", str(out), "--no-data-docs"])
    err = capsys.readouterr().err
    assert status == 2
    assert err == ("Error: Trasigt ärende 2024/beslut 2024.pdf: the file is empty (0 bytes); "
                   "download or copy the PDF again\n")
    summary = {c["case"]: c for c in json.loads((out / "summary.json").read_text("utf-8"))["cases"]}
    assert summary[WORD_EXPORT.name]["exit_status"] == 0
    assert summary[WORD_EXPORT.name]["allocation_rows"] == (21 + 1) * 4 + 291 * 2 + 22 * 5
    assert summary[broken.name]["exit_status"] == 2
    findings = json.loads((out / broken.name / "findings.json").read_text("utf-8"))["findings"]
    assert [(f["check"], f["source_file"]) for f in findings] == [
        ("unreadable_document", "beslut 2024.pdf")]
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [WORD_EXPORT.name, broken.name, "summary.json"])  # no staging folder left behind
