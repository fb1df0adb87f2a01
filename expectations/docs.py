"""Offline GX Data Docs for one run: the validation pages plus an index of the findings.

GX's pages load Bootstrap, jQuery and Vega from CDNs and a logo from a remote bucket. None of
those ship with the package, so the built pages are rewritten to call nowhere: remote scripts
and stylesheets are dropped (with every script, which needs them), the logo points at the copy
GX installs under static/images, remote links lose their href, and a small local stylesheet
opens the sections Bootstrap would have expanded. Our own index.html replaces GX's, whose
tables are drawn by the dropped scripts.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

SITE_NAME = "reconcile"
OFFLINE_CSS = """.collapse { display: block !important; }
body { font-family: sans-serif; margin: 1rem; }
table { border-collapse: collapse; }
td, th { border: 1px solid #ccc; padding: 2px 6px; vertical-align: top; }
.error { background: #fdd; } .warning { background: #ffd; } .info { background: #eef; }
"""
REMOTE = r"https?://"
SCRIPT_RE = re.compile(r"<script\b[^>]*>.*?</script\s*>", re.S | re.I)
REMOTE_LINK_RE = re.compile(rf"<link\b[^>]*\bhref=[\"']{REMOTE}[^>]*>", re.I)
REMOTE_IMG_RE = re.compile(rf"(<img\b[^>]*\bsrc=)[\"']{REMOTE}[^\"']*[\"']", re.I)
REMOTE_HREF_RE = re.compile(rf"\s(?:href|src)=[\"']{REMOTE}[^\"']*[\"']", re.I)
REMOTE_URL_RE = re.compile(rf"url\(\s*[\"']?{REMOTE}[^)]*\)", re.I)
FINDING_COLUMNS = ("severity", "check", "table", "scb_code", "measure", "source_file", "page",
                   "row", "expected", "observed", "difference", "tolerance", "message")


def make_offline(text: str, root: str) -> str:
    """A page or stylesheet with nothing that calls out; root is the relative path to the site."""
    text = SCRIPT_RE.sub("", text)
    text = REMOTE_LINK_RE.sub("", text)
    text = REMOTE_IMG_RE.sub(rf'\1"{root}static/images/logo-long.png"', text)
    text = REMOTE_HREF_RE.sub("", text)
    text = REMOTE_URL_RE.sub("none", text)
    stylesheet = f'<link rel="stylesheet" href="{root}static/styles/offline.css">'
    return text.replace("</head>", f"{stylesheet}\n</head>", 1)


def _rewrite_site(folder: Path) -> None:
    (folder / "static" / "styles").mkdir(parents=True, exist_ok=True)
    (folder / "static" / "styles" / "offline.css").write_text(OFFLINE_CSS, encoding="utf-8")
    for page in [*folder.rglob("*.html"), *folder.rglob("*.css")]:
        depth = len(page.relative_to(folder).parts) - 1
        original = page.read_text(encoding="utf-8")
        page.write_text(make_offline(original, "../" * depth), encoding="utf-8")


def _validation_pages(folder: Path) -> dict[str, str]:
    """Each suite's newest validation page, relative to the site folder."""
    pages: dict[str, str] = {}
    for page in sorted((folder / "validations").rglob("*.html")):
        pages[page.relative_to(folder / "validations").parts[0]] = (
            page.relative_to(folder).as_posix())
    return pages


def _cell(value: Any) -> str:
    return "" if value is None else html.escape(str(value))


def index_page(run: Any, pages: dict[str, str]) -> str:
    """A self-contained HTML index: the suites with their counts, then every finding."""
    suites = "".join(
        f"<tr><td><a href=\"{html.escape(pages.get(c.suite, '#'))}\">{html.escape(c.suite)}</a>"
        f"</td><td>{html.escape(c.description)}</td><td>{c.expectations}</td>"
        f"<td>{c.evaluated} {html.escape(c.unit)}</td><td>{c.passed}</td><td>{c.failed}</td>"
        f"<td>{c.noted}</td></tr>"
        for c in run.checks
    )
    findings = "".join(
        f"<tr class=\"{_cell(f['severity'])}\">"
        + "".join(f"<td>{_cell(f[k])}</td>" for k in FINDING_COLUMNS) + "</tr>"
        for f in run.findings
    )
    head = "".join(f"<th>{k}</th>" for k in FINDING_COLUMNS)
    return (
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<title>Validation suites</title>"
        "<link rel=\"stylesheet\" href=\"static/styles/offline.css\"></head><body>"
        "<h1>Validation suites</h1><table><tr><th>suite</th><th>what it checks</th>"
        "<th>expectations</th><th>evaluated</th><th>passed</th><th>failed</th>"
        f"<th>rounding only</th></tr>{suites}</table>"
        f"<h2>Findings ({len(run.findings)})</h2><table><tr>{head}</tr>{findings}</table>"
        "</body></html>"
    )


def build_data_docs(context: Any, folder: Path, run: Any) -> Path:
    """Build the run's Data Docs into folder, rewrite them to work offline; the index path."""
    folder = folder.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    context.add_data_docs_site(site_name=SITE_NAME, site_config={
        "class_name": "SiteBuilder",
        "store_backend": {"class_name": "TupleFilesystemStoreBackend",
                          "base_directory": str(folder)},
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
    })
    context.build_data_docs(site_names=[SITE_NAME])
    _rewrite_site(folder)
    index = folder / "index.html"
    index.write_text(index_page(run, _validation_pages(folder)), encoding="utf-8")
    return index
