"""Offline Data Docs: built for the run, calling nowhere, each finding pointing at its row."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_expectations_support import amount, reference_codes, set_amount, truth_frame

from expectations.docs import make_offline
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
    pages = {p.relative_to(folder).parts[1] for p in (folder / "validations").rglob("*.html")}
    assert pages == {c.suite for c in run.checks}


def test_no_page_loads_anything_from_the_network(built: tuple[SuiteRun, Path]) -> None:
    _, folder = built
    files = [*folder.rglob("*.html"), *folder.rglob("*.css")]
    assert len(files) > 10
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert not REMOTE_LOAD.search(text), path
        assert "https://" not in text and "http://" not in text, path
    index = (folder / "index.html").read_text(encoding="utf-8")
    for link in re.findall(r'href="([^"#]+)"', index):
        assert (folder / link).exists(), link


def test_each_finding_points_at_its_row(built: tuple[SuiteRun, Path]) -> None:
    run, folder = built
    index = (folder / "index.html").read_text(encoding="utf-8")
    error = next(f for f in run.findings if f["check"] == "cross_footing"
                 and f["severity"] == "error")
    row = ("<td>error</td><td>cross_footing</td><td>region</td><td>05</td>"
           "<td>Totalt belopp</td><td>beslut.pdf</td><td>10</td><td>3</td>")
    assert row in index
    assert error["message"].replace("'", "&#x27;") in index
    # GX's own validation page lists the failing row by the same keys.
    page = next((folder / "validations" / "cross_footing").rglob("*.html"))
    text = re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8"))
    assert re.search(r"beslut\.pdf\s+10(\.0)?\s+region\s+05\s+Totalt belopp", text)


def test_make_offline_strips_cdn_tags_and_points_the_logo_home() -> None:
    page = (
        '<html><head><link rel="stylesheet" href="https://maxcdn.bootstrapcdn.com/b.css"/>'
        '<script src="https://code.jquery.com/jquery-3.7.1.min.js"></script></head><body>'
        '<img src="https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/logo-long.png?d=1">'
        '<a href="https://greatexpectations.io">GX</a></body></html>'
    )
    out = make_offline(page, "../")
    assert "http" not in out
    assert '<img src="../static/images/logo-long.png">' in out
    assert '<link rel="stylesheet" href="../static/styles/offline.css">' in out
    assert "<a>GX</a>" in out
