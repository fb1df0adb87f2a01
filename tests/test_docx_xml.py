"""The DOCX reader reads the body XML with lxml, not python-docx's object layer: the same
paragraph styles and the same table cells as python-docx on every DOCX fixture, and a table
beyond the limits refused before it is built.

python-docx is the reference here: where the two agree on every fixture, the reader may skip
python-docx's `paragraph.style` (which walks every style of the document for each paragraph).
"""

from __future__ import annotations

import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from extractors import word
from extractors.base import (
    DEFAULT_MAX_DOCX_TABLE_CELLS,
    DEFAULT_MAX_DOCX_TABLE_ROWS,
    ExtractSettings,
)
from extractors.errors import DocumentTooLargeError, SettingsError
from pipeline.cli import main

ROOT = Path(__file__).resolve().parent.parent
DOCX_FIXTURES = sorted(ROOT.glob("fixtures/*/*/*.docx"))
TEMPLATE = ROOT / "fixtures" / "cases" / "2024-psykisk-halsa" / "regeringsbeslut-2024-I6.docx"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def python_docx_style(p, document) -> str:
    """The style name python-docx gives a w:p, as the reader used to ask it."""
    style = Paragraph(p, document).style
    return (style.name if style is not None else "") or ""


def python_docx_rows(document) -> list[tuple[object, list[str]]]:
    """Every table row python-docx reaches (tables in cells included), with its cells' texts in
    the reader's convention: a merged cell's text in its first grid position, "" in the others
    and in a vertically continued cell."""
    found, seen = [], set()

    def tables(container):
        for table in container.tables:
            yield table
            for row in table.rows:
                for cell in row.cells:
                    yield from tables(cell)

    for table in tables(document):
        for row in table.rows:
            if id(row._tr) in seen:
                continue
            seen.add(id(row._tr))
            texts, previous = [""] * row.grid_cols_before, None
            for cell in row.cells:
                continued = cell._tc is not previous and cell._tc.getparent() is not row._tr
                texts.append("" if cell._tc is previous or continued else cell.text)
                previous = cell._tc
            found.append((row._tr, texts))
    return found


@pytest.mark.parametrize("path", DOCX_FIXTURES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_styles_and_cells_are_python_docx_s(path: Path) -> None:
    document = Document(str(path))
    styles = word.ParagraphStyles(document.styles.element)
    paragraphs = list(document.element.body.iter(qn("w:p")))
    assert paragraphs
    assert [styles.name(p) for p in paragraphs] == [
        python_docx_style(p, document) for p in paragraphs]
    for tr, texts in python_docx_rows(document):
        assert [c.text for c in word._tr_cells(tr)] == texts


def styled_docx(tmp_path: Path, styles_xml: str, body_xml: str) -> Path:
    """A copy of the template DOCX with its styles part and body replaced."""
    path = tmp_path / "stilar.docx"
    replace = {"word/styles.xml": styles_xml, "word/document.xml":
               f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{body_xml}'
               "</w:body></w:document>"}
    with zipfile.ZipFile(TEMPLATE) as zin, zipfile.ZipFile(path, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, replace.get(info.filename) or zin.read(info))
    return path


def test_style_lookup_follows_python_docx_in_the_odd_cases(tmp_path: Path) -> None:
    # Two default paragraph styles (the last one counts), an id used twice (the first one
    # counts, even when it is a character style), a table style named by a paragraph, a style
    # without a name, and an id that does not exist: each falls back to the default but the
    # unnamed paragraph style, whose name is "".
    styles = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:styles {W}>'
        '<w:style w:type="paragraph" w:default="1" w:styleId="A"><w:name w:val="Normal"/>'
        '</w:style>'
        '<w:style w:type="paragraph" w:default="true" w:styleId="B"><w:name w:val="Brödtext"/>'
        '</w:style>'
        '<w:style w:type="character" w:styleId="Dup"><w:name w:val="Tecken"/></w:style>'
        '<w:style w:type="paragraph" w:styleId="Dup"><w:name w:val="heading 2"/></w:style>'
        '<w:style w:type="paragraph" w:styleId="R1"><w:name w:val="Rubrik 1"/></w:style>'
        '<w:style w:type="table" w:styleId="T"><w:name w:val="Table Grid"/></w:style>'
        '<w:style w:type="paragraph" w:styleId="Nameless"/>'
        '</w:styles>')
    ids = ["R1", "Dup", "T", "Nameless", "Saknas", None, ""]
    body = "".join(
        (f'<w:p><w:pPr><w:pStyle w:val="{i}"/></w:pPr><w:r><w:t>{n}</w:t></w:r></w:p>'
         if i is not None else f"<w:p><w:r><w:t>{n}</w:t></w:r></w:p>")
        for n, i in enumerate(ids))
    document = Document(str(styled_docx(tmp_path, styles, body)))
    paragraphs = list(document.element.body.iter(qn("w:p")))
    ours = [word.ParagraphStyles(document.styles.element).name(p) for p in paragraphs]
    assert ours == ["Rubrik 1", "Brödtext", "Brödtext", "", "Brödtext", "Brödtext", "Brödtext"]
    assert ours == [python_docx_style(p, document) for p in paragraphs]


def big_table_docx(path: Path, rows: int, columns: int) -> Path:
    """A DOCX whose body is one table of rows x columns numbers, written as XML directly."""
    row = "<w:tr>" + "".join(f"<w:tc><w:p><w:r><w:t>{c} 000</w:t></w:r></w:p></w:tc>"
                             for c in range(columns)) + "</w:tr>"
    body = f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body><w:tbl>'
    with zipfile.ZipFile(TEMPLATE) as zin, zipfile.ZipFile(path, "w",
                                                           zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename != "word/document.xml":
                zout.writestr(info.filename, zin.read(info))
        zout.writestr("word/document.xml",
                      body + row * rows + "</w:tbl></w:body></w:document>")
    return path


def test_a_table_beyond_the_limits_is_refused_quickly(tmp_path: Path) -> None:
    # 5 000 rows x 50 cells: the 60 000th cell is reached in row 1 200 (1 200 x 50), before
    # the 4 000-row limit, so the cell limit is the one named.
    path = big_table_docx(tmp_path / "jättetabell.docx", 5_000, 50)
    start = time.perf_counter()
    with pytest.raises(DocumentTooLargeError) as exc:
        word.extract(path)
    assert time.perf_counter() - start < 10
    assert exc.value.reason == (
        f"Word table 1 has more than {DEFAULT_MAX_DOCX_TABLE_CELLS} cells, above "
        f"max_docx_table_cells={DEFAULT_MAX_DOCX_TABLE_CELLS}; no decision's table is that "
        "large: check the file, split the table or raise the limit")


def test_row_and_document_limits_are_settings(tmp_path: Path) -> None:
    # 30 rows x 2 cells: 60 cells. Rows above 20 are refused by the row limit; with rows
    # allowed, 60 cells are above a document limit of 50.
    path = big_table_docx(tmp_path / "tabell.docx", 30, 2)
    with pytest.raises(DocumentTooLargeError, match=r"more than 20 rows, above "
                       r"max_docx_table_rows=20;"):
        word.extract(path, ExtractSettings(max_docx_table_rows=20))
    with pytest.raises(DocumentTooLargeError, match=r"above max_docx_cells=50;"):
        word.extract(path, ExtractSettings(max_docx_cells=50))
    assert word.extract(path, ExtractSettings(max_docx_table_rows=30)).source_format == "docx"
    assert DEFAULT_MAX_DOCX_TABLE_ROWS > 290 * 10  # ten times the kommuner of Sweden
    with pytest.raises(SettingsError, match="max_docx_table_cells must be positive"):
        ExtractSettings(max_docx_table_cells=0)


PEAK = """
import sys
from extractors import word
try:
    word.extract(sys.argv[1])
except Exception as exc:
    print(type(exc).__name__)
status = open("/proc/self/status").read().split("VmHWM:")[1].split()[0]
print(int(status) // 1024)
"""


def test_the_refusal_keeps_memory_bounded(tmp_path: Path) -> None:
    # Read in a child so its peak (VmHWM) is the reading's alone: the reader's imports take
    # about 55 MB, and reading the whole table without the limits peaked at 360 MB (and 50 s)
    # before the case had even built its frames. The refusal stays below 150 MB.
    path = big_table_docx(tmp_path / "jättetabell.docx", 5_000, 50)
    done = subprocess.run([sys.executable, "-c", PEAK, str(path)], cwd=ROOT, check=True,
                          capture_output=True, text=True, timeout=120)
    error, peak_mb = done.stdout.split()
    assert error == "DocumentTooLargeError"
    assert int(peak_mb) < 150


def test_the_cli_names_the_file_and_exits_2(tmp_path: Path, capsys) -> None:
    case = tmp_path / "Stor tabell 2024"
    case.mkdir()
    big_table_docx(case / "bilaga.docx", 5_000, 50)
    status = main([str(case), "--out", str(tmp_path / "ut"), "--no-data-docs"])
    err = capsys.readouterr().err
    assert status == 2
    assert err == (
        f"Error: Stor tabell 2024/bilaga.docx: Word table 1 has more than "
        f"{DEFAULT_MAX_DOCX_TABLE_CELLS} cells, above max_docx_table_cells="
        f"{DEFAULT_MAX_DOCX_TABLE_CELLS}; no decision's table is that large: check the file, "
        "split the table or raise the limit\n")
