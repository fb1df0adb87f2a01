"""Issue 18 item 8: the HTML and text readers refuse pages beyond their limits (bytes, elements,
table cells and rows, lines, line length) with one line naming the file, and read a page near
the limits with bounded memory. The pages are generated here.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from extractors import plaintext, web
from extractors.base import DEFAULT_MAX_TABLE_CELLS, ExtractSettings
from extractors.errors import DocumentTooLargeError
from pipeline.reading import read_document

ROOT = Path(__file__).resolve().parent.parent
KOMMUNER = (("0114", "Upplands Väsby"), ("0115", "Vallentuna"), ("0117", "Österåker"),
            ("0120", "Värmdö"))


def kommun_table(rows: int, amounts: int) -> str:
    """An HTML table of `rows` kommun rows (code, name, `amounts` money cells)."""
    head = "<tr><th>Kod</th><th>Kommun</th>" + "".join(
        f"<th>Belopp {c + 1} (kr)</th>" for c in range(amounts)) + "</tr>"
    body = "".join(
        f"<tr><td>{KOMMUNER[r % 4][0]}</td><td>{KOMMUNER[r % 4][1]}</td>"
        + "".join(f"<td>{(r * 7 + c) % 900 + 100} 000</td>" for c in range(amounts)) + "</tr>"
        for r in range(rows))
    return f"<html><head><meta charset=utf-8></head><body><table>{head}{body}</table></body></html>"


def reason(path: Path, module, settings: ExtractSettings) -> str:
    with pytest.raises(DocumentTooLargeError) as exc:
        module.extract(path, settings)
    return exc.value.reason


def test_html_beyond_its_limits_is_refused_with_one_line(tmp_path):
    path = tmp_path / "sida.html"
    path.write_text(kommun_table(10, 3), encoding="utf-8")  # 10 rows of 5 cells, +1 header
    assert reason(path, web, ExtractSettings(max_table_cells=40)) == (
        "the page has too many table cells: more than max_table_cells=40 (41 read before "
        "stopping); no decision has that many: check the file or raise the limit")
    assert reason(path, web, ExtractSettings(max_table_rows=8)).startswith(
        "the page has too many table rows: more than max_table_rows=8 (9 read")
    # html, head, meta, body, table and the 11 rows of 1 + 5 cells each: 5 + 11 * 6 = 71
    assert reason(path, web, ExtractSettings(max_dom_nodes=70)).startswith(
        "the page has too many HTML elements: more than max_dom_nodes=70 (71 read")
    assert len(web.extract(path, ExtractSettings(max_dom_nodes=71)).allocations) == 30
    size = path.stat().st_size
    assert reason(path, web, ExtractSettings(max_text_bytes=size - 1)) == (
        f"the HTML file is {size} bytes, above max_text_bytes={size - 1}; a decision page is "
        "far smaller: check the file or raise the limit")


def test_text_beyond_its_limits_is_refused_with_one_line(tmp_path):
    path = tmp_path / "text.md"
    lines = ["| Kommun | Belopp |", "| --- | ---: |"] + [
        f"| {name} | {n + 1} 000 000 |" for n, (_, name) in enumerate(KOMMUNER)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")  # 6 lines and a final newline
    assert reason(path, plaintext, ExtractSettings(max_table_cells=9)).startswith(
        "the text's tables have too many table cells: more than max_table_cells=9 (10 read")
    assert reason(path, plaintext, ExtractSettings(max_text_lines=6)).startswith(
        "the text has too many lines: more than max_text_lines=6 (7 read")
    # line 3, "| Upplands Väsby | 1 000 000 |": 30 characters, 31 bytes (ä takes 2)
    assert reason(path, plaintext, ExtractSettings(max_line_bytes=20)) == (
        "line 3 is 31 bytes long, above max_line_bytes=20; a text line of a decision is far "
        "shorter: check the file or raise the limit")
    outcome = read_document(path, "extractors.plaintext", ExtractSettings(max_text_lines=6),
                            False, "sub/text.md")
    assert outcome.extraction is None and outcome.reason.startswith("the text has too many")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads Linux's VmHWM")
def test_a_page_near_the_cell_limit_is_read_in_bounded_memory(tmp_path):
    rows, amounts = 2_490, 18  # (2 + 18) x 2 490 = 49 800 cells, with the header 49 820
    assert (amounts + 2) * (rows + 1) < DEFAULT_MAX_TABLE_CELLS
    path = tmp_path / "nara.html"
    path.write_text(kommun_table(rows, amounts), encoding="utf-8")
    probe = ("import re, sys; from pathlib import Path; from extractors import web\n"
             "e = web.extract(Path(sys.argv[1]))\nprint(len(e.allocations))\n"
             "status = Path('/proc/self/status').read_text()\n"
             "print(int(re.search(r'VmHWM:\\s+(\\d+)', status).group(1)) // 1024)\n")
    run = subprocess.run([sys.executable, "-c", probe, str(path)], capture_output=True,
                         text=True, timeout=300, cwd=ROOT, check=True)
    amounts_read, peak_mb = map(int, run.stdout.split())
    assert amounts_read == rows * amounts  # every money cell, none lost
    assert peak_mb < 1024
