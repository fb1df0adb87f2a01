"""Offline Data Docs: built for the run, calling nowhere, each finding pointing at its row,
GX's static files written once and linked relatively."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from test_expectations_support import amount, reference_codes, set_amount, truth_frame

from expectations.docs import sanitise
from expectations.runner import SuiteRun, run_suites

# A reference to something fetched when the page opens: script, stylesheet, image, font, frame.
REMOTE_LOAD = re.compile(
    r"<(script|link|img|iframe|source)\b[^>]*\b(src|href)=[\"']?(https?:)?//|url\(\s*[\"']?(https?:)?//",
    re.I,
)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[SuiteRun, Path]:
    folder = tmp_path_factory.mktemp("docs")
    frame = set_amount(truth_frame(), "region", "05", "Barn och unga",
                       amount("region", "05", "Barn och unga") + 10_000)
    return run_suites(frame, reference_codes(), data_docs_dir=folder), folder


def test_pages_are_built_for_every_suite(built: tuple[SuiteRun, Path]) -> None:
    run, folder = built
    assert run.data_docs == folder.resolve() / "index.html"
    pages = {p.stem for p in (folder / "validations").glob("*.html")}
    assert pages == {c.suite for c in run.checks}
    assert not (folder / "expectations").exists()  # GX's suite pages and its index: not ours


def test_no_page_loads_anything_from_the_network(built: tuple[SuiteRun, Path]) -> None:
    run, folder = built
    files = [*folder.rglob("*.html"), *folder.rglob("*.css")]
    assert len(files) == 1 + len(run.checks) + 2  # index, a page per suite, two stylesheets
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert not REMOTE_LOAD.search(text), path
        assert "https://" not in text and "http://" not in text, path
    for page in folder.rglob("*.html"):  # every local link and image resolves
        for link in re.findall(r'(?:href|src)="([^"#]+)"', page.read_text(encoding="utf-8")):
            assert (page.parent / link).is_file(), (page, link)


def test_static_files_are_the_few_the_pages_use(built: tuple[SuiteRun, Path]) -> None:
    """GX copied 4.4 MB of fonts, GIFs and logos into every case; the pages use one
    stylesheet and one logo (the fonts are not referenced by any page or stylesheet)."""
    _, folder = built
    files = {p.relative_to(folder / "static").as_posix()
             for p in (folder / "static").rglob("*") if p.is_file()}
    assert files == {"VERSION", "styles/data_docs_default_styles.css", "styles/offline.css",
                     "images/logo-long.png", "images/favicon.ico"}
    assert sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) < 400_000


def test_shared_static_folder_is_linked_relatively(tmp_path: Path) -> None:
    """With a shared static folder (the pipeline's OUT_DIR/data_docs_static) the site holds
    no copy and its pages link two or three levels up."""
    docs, static = tmp_path / "case" / "data_docs", tmp_path / "data_docs_static"
    run = run_suites(truth_frame(), reference_codes(), data_docs_dir=docs,
                     data_docs_static=static)
    assert not (docs / "static").exists() and (static / "styles" / "offline.css").is_file()
    index = (docs / "index.html").read_text(encoding="utf-8")
    assert 'href="../../data_docs_static/styles/offline.css"' in index
    page = (docs / "validations" / "footing.html").read_text(encoding="utf-8")
    assert 'href="../../../data_docs_static/styles/offline.css"' in page
    assert 'href="../index.html"' in page
    assert run.data_docs == docs.resolve() / "index.html"


def test_each_finding_points_at_its_row(built: tuple[SuiteRun, Path]) -> None:
    run, folder = built
    index = (folder / "index.html").read_text(encoding="utf-8")
    error = next(f for f in run.findings if f["check"] == "cross_footing"
                 and f["severity"] == "error")
    row = ("<td>error</td><td>cross_footing</td><td>region</td><td>05</td>"
           "<td>Totalt belopp</td><td>beslut.pdf</td><td>10</td><td>3</td>")
    assert row in index
    assert html.escape(error["message"], quote=False) in index  # as the sanitiser writes text
    # GX's own validation page lists the failing row by the same keys.
    page = folder / "validations" / "cross_footing.html"
    text = re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8"))
    assert re.search(r"beslut\.pdf\s+10(\.0)?\s+region\s+05\s+Totalt belopp", text)


def test_sanitise_drops_remote_tags_and_points_the_logo_home() -> None:
    page = (
        '<html><head><link rel="stylesheet" href="https://maxcdn.bootstrapcdn.com/b.css"/>'
        '<script src="https://code.jquery.com/jquery-3.7.1.min.js"></script></head><body>'
        '<img src="https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/logo-long.png?d=1">'
        '<a href="https://greatexpectations.io">GX</a><a href="../../../../index.html">Home</a>'
        '</body></html>'
    )
    out = sanitise(page, "../static/", "../index.html")
    assert out == ('<img src="../static/images/logo-long.png"><a>GX</a>'
                   '<a href="../index.html">Home</a>')
