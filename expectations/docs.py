"""Offline, script-free GX Data Docs for one run: a validation page per suite and an index.

Each suite's validation result is rendered by GX's own renderer and page view (no site builder,
no stores), then every page goes through ``safe_page``: an allow-list HTML sanitiser (nh3, the
Rust ammonia library) keeps text, tables, headings, lists, links, images, classes and a few
layout styles, and drops every script, event handler, form, frame, remote URL and
``javascript:`` link. The page gets a head of ours with a Content-Security-Policy that forbids
every script, so nothing a document prints (a file name, a header cell, a recipient name that
GX renders unescaped) can run. The pages need no script: the sections Bootstrap would expand
are opened by a small local stylesheet.

GX's own stylesheet and the two images the pages show are written once per output folder
(``write_static``) and linked relatively; without a shared folder they go under the site.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import nh3

SITE_NAME = "reconcile"
STATIC_VERSION = "2"  # bump when the static files below change: older copies are replaced
OFFLINE_CSS = """.collapse { display: block !important; }
body { font-family: sans-serif; margin: 1rem; }
table { border-collapse: collapse; }
td, th { border: 1px solid #ccc; padding: 2px 6px; vertical-align: top; }
.error { background: #fdd; } .warning { background: #ffd; } .info { background: #eef; }
"""
# No script at all; styles and images only from the site itself (inline styles allowed: GX sets
# layout on elements); nothing fetched, no forms, no <base>. Opened from disk, Firefox gives each
# file an origin of its own, so 'self' alone would block the shared stylesheet: file: too.
CSP = ("default-src 'none'; script-src 'none'; object-src 'none'; style-src 'self' file: "
       "'unsafe-inline'; img-src 'self' file:; font-src 'self' file:; base-uri 'none'; "
       "form-action 'none'")
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "div",
    "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "i", "img",
    "label", "li", "main", "nav", "ol", "p", "pre", "section", "small", "span", "strong", "sub",
    "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "*": {"class", "id", "title", "style"},
    "a": {"href"}, "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan", "scope"},
}  # fmt: skip
# Layout only: nothing that loads a URL or hides content.
ALLOWED_STYLES = {
    "word-break", "white-space", "overflow-wrap", "overflow", "width", "height", "max-width",
    "max-height", "min-width", "margin", "margin-top", "margin-bottom", "margin-left",
    "margin-right", "padding", "padding-top", "padding-bottom", "padding-left", "padding-right",
    "text-align", "vertical-align", "font-weight", "font-style", "color", "background-color",
}  # fmt: skip
# Dropped with what they hold (GX's footer is a newsletter form).
DROPPED_WITH_CONTENT = {"script", "style", "title", "template", "noscript", "textarea",
                        "select", "iframe", "object", "svg", "math", "footer"}
REMOTE_RE = re.compile(r"^\s*(https?:)?//", re.I)
SCHEME_RE = re.compile(r"^\s*[a-z][a-z0-9+.-]*:", re.I)
REMOTE_URL_RE = re.compile(r"url\(\s*[\"']?(https?:)?//[^)]*\)", re.I)
LOGO = "images/logo-long.png"
STATIC_FILES = ("images/logo-long.png", "images/favicon.ico")
FINDING_COLUMNS = ("severity", "check", "table", "scb_code", "measure", "source_file", "page",
                   "row", "expected", "observed", "difference", "tolerance", "message")


def _gx_static() -> Path:
    import great_expectations

    return Path(great_expectations.__file__).parent / "render" / "view" / "static"


def _local_only(static: str, index: str):
    """nh3's attribute filter: no URL with a scheme, links only within the page or to the
    site's pages, images only from ``static`` (GX's remote logo becomes the local copy); GX's
    links to its own index point at ours (``index``). nh3 lets only http(s) URLs reach this
    filter (it drops ``javascript:`` and every other scheme itself); they are dropped here."""

    def keep(tag: str, name: str, value: str) -> str | None:
        if name not in ("href", "src"):
            return value
        if tag == "img":
            return static + LOGO if REMOTE_RE.match(value) else None
        if REMOTE_RE.match(value) or SCHEME_RE.match(value):
            return None
        if value.startswith("#") or not value.startswith("../"):
            return value
        return index if value.rsplit("/", 1)[-1] == "index.html" else None

    return keep


def sanitise(fragment: str, static: str = "", index: str = "index.html") -> str:
    """An HTML fragment with only the allowed tags, attributes and styles (nh3/ammonia);
    ``static`` is the relative path to the static folder (ending in "/" unless empty),
    ``index`` the relative path to the site's index."""
    return nh3.clean(
        fragment, tags=ALLOWED_TAGS, clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES, attribute_filter=_local_only(static, index),
        filter_style_properties=ALLOWED_STYLES, url_schemes={"http", "https"}, link_rel=None,
        strip_comments=True,
    )


def safe_page(page: str, static: str, title: str, index: str = "index.html") -> str:
    """A whole HTML page rebuilt safe: its content sanitised, under a head of ours with the
    Content-Security-Policy and the local stylesheets; ``static`` is the relative path to the
    static folder (ending in "/" unless empty), ``index`` to the site's index."""
    body = sanitise(page, static, index)
    css = "".join(f'<link rel="stylesheet" href="{html.escape(static)}styles/{name}">'
                  for name in ("data_docs_default_styles.css", "offline.css"))
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1.0\">"
        f"<title>{html.escape(title)}</title>{css}</head>\n<body>{body}</body></html>\n"
    )


def write_static(folder: Path) -> Path:
    """Write the stylesheets and images the pages link into folder (GX's stylesheet with its
    remote URLs removed); return folder. A folder already holding this version is left as is."""
    stamp = folder / "VERSION"
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == STATIC_VERSION:
        return folder
    source = _gx_static()
    (folder / "styles").mkdir(parents=True, exist_ok=True)
    (folder / "images").mkdir(exist_ok=True)
    gx_css = (source / "styles" / "data_docs_default_styles.css").read_text(encoding="utf-8")
    (folder / "styles" / "data_docs_default_styles.css").write_text(
        REMOTE_URL_RE.sub("none", gx_css), encoding="utf-8")
    (folder / "styles" / "offline.css").write_text(OFFLINE_CSS, encoding="utf-8")
    for name in STATIC_FILES:
        (folder / name).write_bytes((source / name).read_bytes())
    stamp.write_text(STATIC_VERSION, encoding="utf-8")
    return folder


@cache
def _page_tools() -> tuple[Any, Any, Any]:
    """GX's result schema, page renderer and page view, made once per process: each page
    view builds a jinja environment of its own, which compiles every template again (that
    compiling was 80 % of the Data Docs' time when each page had a new view)."""
    from great_expectations.core.expectation_validation_result import (
        expectationSuiteValidationResultSchema as schema,
    )
    from great_expectations.render.renderer import ValidationResultsPageRenderer
    from great_expectations.render.view import DefaultJinjaPageView

    from expectations.render_models import cached_param_models

    cached_param_models()  # its parameter models made once per name (render_models.py)
    return schema, ValidationResultsPageRenderer(), DefaultJinjaPageView()


def render_validation(result: Any) -> str:
    """GX's HTML page of one suite's validation result (its own renderer and page view).

    The result is passed through GX's JSON schema first, as its stores would: the renderer
    formats plain numbers, not numpy ones."""
    schema, renderer, view = _page_tools()
    plain = schema.loads(schema.dumps(result))
    return view.render(renderer.render(plain))


def _cell(value: Any) -> str:
    return "" if value is None else html.escape(str(value))


def index_page(run: Any, pages: Mapping[str, str]) -> str:
    """The index's content: the suites with their counts, then every finding (escaped)."""
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
        "<h1>Validation suites</h1><table><tr><th>suite</th><th>what it checks</th>"
        "<th>expectations</th><th>evaluated</th><th>passed</th><th>failed</th>"
        f"<th>rounding only</th></tr>{suites}</table>"
        f"<h2>Findings ({len(run.findings)})</h2><table><tr>{head}</tr>{findings}</table>"
    )


def _relative(target: Path, start: Path) -> str:
    path = Path(os.path.relpath(target, start)).as_posix()
    return "" if path == "." else f"{path}/"


def build_data_docs(folder: Path, run: Any, results: Mapping[str, Any],
                    static: Path | None = None) -> Path:
    """Write the run's Data Docs into folder: validations/<suite>.html for each suite's GX
    result and index.html, every page sanitised; the static files go to ``static`` (shared by
    the cases of one output folder; written when missing) or else to folder/static. Returns
    the index's path."""
    folder = Path(folder).resolve()
    pages_dir = folder / "validations"
    pages_dir.mkdir(parents=True, exist_ok=True)
    static = write_static(Path(static).resolve() if static else folder / "static")
    pages = {}
    for suite, result in results.items():
        page = pages_dir / f"{suite}.html"
        page.write_text(safe_page(render_validation(result), _relative(static, pages_dir),
                                  f"Validation of {suite}", "../index.html"), encoding="utf-8")
        pages[suite] = page.relative_to(folder).as_posix()
    index = folder / "index.html"
    index.write_text(safe_page(index_page(run, pages), _relative(static, folder),
                               "Validation suites"), encoding="utf-8")
    return index
