"""Nothing a document prints runs as script in the Data Docs (issue 18, item 10).

GX renders index values (source_file, measure) into its pages unescaped, and the old offline
filter removed only literal <script>…</script>, which ``<scr<script></script>ipt>`` rebuilds.
Here a DOCX is built in the test with payloads in two header cells (so in ``measure``) and in
its file name (so in ``source_file``); one of its amounts is misprinted, so GX's pages list the
failing rows with those values. Every page written is then parsed as a browser would tokenise
it (html.parser), not grepped: no script element, no event-handler attribute, no URL with a
scheme, and a Content-Security-Policy that forbids every script; and the payloads are still
shown, as text.
"""

from __future__ import annotations

import csv
from html.parser import HTMLParser
from pathlib import Path

import pytest
from docx import Document

from pipeline.orchestrate import reconcile_case
from pipeline.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
TRUTH = ROOT / "fixtures" / "sources" / "truth" / "2024" / "region.csv"
SCRIPT = "<scr<script></script>ipt>alert(1)</script>"
IMG = "<img src=x onerror=alert(2)>"
LINK = '<a href="javascript:alert(3)">Traumavård</a>'
MEASURES = ("Barn och unga", "Traumavård")
HEADER = ("Kod", "Region", f"Barn och unga {SCRIPT}", LINK, "Totalt belopp")
FILE_NAME = f"bilaga {IMG}.docx"  # no "/" may be in a file name; the other two are headers
MISPRINT = 1_000_000  # added to Stockholm's (01) first amount: its row and column break
FORBIDDEN_TAGS = {"script", "iframe", "object", "embed", "form", "input", "base", "svg",
                  "math", "frame", "meta_refresh"}


def draw_case(folder: Path) -> Path:
    """One region table of the 2024 annex (truth CSV): two measures, a row total that is
    their sum, and the Riket row; Stockholm's first amount misprinted by MISPRINT."""
    with open(TRUTH, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    document = Document()
    document.add_paragraph("Fördelning till regionerna")
    table = document.add_table(rows=len(rows) + 1, cols=len(HEADER))
    for cell, text in zip(table.rows[0].cells, HEADER, strict=True):
        cell.text = text
    for row, truth in zip(table.rows[1:], rows, strict=True):
        values = [int(truth[m]) for m in MEASURES]
        total = sum(values)
        if truth["lan_code"] == "01":
            values[0] += MISPRINT
        texts = [truth["lan_code"], truth["name"], *(f"{v:,}".replace(",", " ") for v in
                                                     [*values, total])]
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
    folder.mkdir(parents=True)
    document.save(str(folder / FILE_NAME))
    return folder


class Page(HTMLParser):
    """Every start tag with its attributes, and the text, of one page."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _url(value: str | None) -> str:
    """A URL as a browser compares its scheme: control characters and spaces dropped."""
    return "".join(c for c in (value or "") if c > " ").casefold()


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile-docs")
    case = draw_case(root / "cases" / "hostile-names")
    result = reconcile_case(case, root / "out", Settings(workers=1, evidence_images=False))
    # The misprint is found, so GX's pages list failing rows with the hostile values.
    checks = {f.check for f in result.findings if f.severity == "error"}
    assert {"cross_footing", "footing"} <= checks
    return root / "out" / "hostile-names"


def test_no_page_can_run_a_script(out: Path) -> None:
    pages = sorted((out / "data_docs").rglob("*.html"))
    assert len(pages) >= 6  # the index and a validation page per suite
    for path in pages:
        page = Page(path.read_text(encoding="utf-8"))
        names = {tag for tag, _ in page.tags}
        assert not names & FORBIDDEN_TAGS, path
        for tag, attrs in page.tags:
            assert not [a for a in attrs if a.startswith("on")], (path, tag, attrs)
            for name in ("href", "src", "action", "formaction", "srcset", "data"):
                url = _url(attrs.get(name))
                assert ":" not in url.split("/", 1)[0], (path, tag, attrs)  # no scheme
        policies = [a["content"] for tag, a in page.tags if tag == "meta"
                    and (a.get("http-equiv") or "").casefold() == "content-security-policy"]
        assert len(policies) == 1, path
        assert "script-src 'none'" in policies[0] and "default-src 'none'" in policies[0]


def test_the_payloads_are_shown_as_text(out: Path) -> None:
    """Escaped, not lost: the auditor still reads what the document printed."""
    index = "".join(Page((out / "data_docs" / "index.html").read_text(encoding="utf-8")).text)
    assert FILE_NAME in index and HEADER[2] in index and HEADER[3] in index
    footing = "".join(Page((out / "data_docs" / "validations" / "cross_footing.html")
                           .read_text(encoding="utf-8")).text)
    assert FILE_NAME in footing  # GX's table of failing rows names the document


def test_report_links_to_the_data_docs(out: Path) -> None:
    report = Page((out / "report.html").read_text(encoding="utf-8"))
    links = [a["href"] for tag, a in report.tags if tag == "a" and a.get("href")]
    assert "data_docs/index.html" in links
    assert (out / "data_docs" / "index.html").is_file()
    static = out.parent / "data_docs_static"
    assert (static / "styles" / "offline.css").is_file()
