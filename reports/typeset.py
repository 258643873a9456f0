"""Typesetting: an HTML document (from reports/pdf.py) laid out into PDF bytes by WeasyPrint.

WeasyPrint is imported on first use, so that only the PDF commands pay for it; reports/parts.py,
which typesets the pack a part at a time, is the one other module that uses it.

Safety: WeasyPrint gets a URL fetcher that serves only this package's bundled assets (the stylesheet
and the fonts) and refuses every other URL (file:, http(s):, data: ...).

Memory: WeasyPrint holds every laid-out page until the PDF is written, so the pack is typeset a
part at a time and the parts joined (`typeset_in_parts`), with the pages, links, bookmarks and tags
one layout would give.
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from types import ModuleType
from typing import Any

from .templating import TEMPLATES

ASSET_SCHEME = "asset:"
PDF_VARIANT = "pdf/ua-1"
GC_PAGES = 20  # documents longer than this free layout's garbage before the PDF is assembled
_FONT_FILES = {
    "font_source_serif_pro": ("SourceSerifPro-Regular", "SourceSerifPro-It", "SourceSerifPro-Semibold", "SourceSerifPro-Bold"),
    "font_source_sans_pro": ("SourceSansPro-Regular", "SourceSansPro-It", "SourceSansPro-Semibold", "SourceSansPro-Bold"),
}
_MEDIA_TYPES = {".css": "text/css", ".ttf": "font/ttf", ".otf": "font/otf"}


@dataclass(frozen=True)
class AttachedFile:
    """A file to embed in the PDF (a record's YAML)."""

    name: str
    data: bytes
    description: str


@dataclass(frozen=True)
class PdfJob:
    """What to typeset: the HTML, the files to attach, and the time to stamp on them."""

    html: str
    attachments: tuple[AttachedFile, ...]
    generated: dt.datetime  # attachments default to the current time; this keeps the bytes reproducible


@dataclass(frozen=True)
class RenderedPdf:
    """The PDF bytes, its page count and any warning WeasyPrint logged while making it."""

    data: bytes
    pages: int
    warnings: tuple[str, ...]


def typeset(job: PdfJob) -> RenderedPdf:
    """Lay `job` out as a tagged PDF (PDF/UA-1); every URL goes through the asset-only fetcher."""
    weasyprint = load_weasyprint()
    fetcher = asset_fetcher()
    attachments = attached_files(weasyprint, job, fetcher)
    html = job.html
    with font_configuration() as fonts, captured_warnings() as warnings:
        if needs_numbers(html):  # a first layout finds the page numbers to write in (see typeset_in_parts)
            first = weasyprint.HTML(string=html, url_fetcher=fetcher).render(font_config=fonts)
            html = number_pages(html, anchor_pages(first.pages, 1), len(first.pages))
            del first
        document = weasyprint.HTML(string=html, url_fetcher=fetcher).render(font_config=fonts)
        # Layout leaves many reference cycles behind; freeing them before the PDF is assembled keeps
        # the two phases' memory from adding up (~20 MiB in the pack). A short brief has little to
        # free and would pay ~0.05 s for it.
        if len(document.pages) > GC_PAGES:
            gc.collect()
        # PDF/UA-1: tagged structure (headings, lists, tables with header cells), the document title
        # shown by viewers (DisplayDocTitle), the language, and described link annotations.
        data = document.write_pdf(attachments=attachments, pdf_identifier=False, pdf_variant=PDF_VARIANT)
    if fetcher.refused:
        warnings.append("refused to fetch: " + ", ".join(sorted(set(fetcher.refused))))
    return RenderedPdf(data=data, pages=len(document.pages), warnings=tuple(warnings))


def load_weasyprint() -> ModuleType:
    """WeasyPrint, imported on first use."""
    import weasyprint

    return weasyprint


@contextmanager
def font_configuration() -> Iterator[Any]:
    """WeasyPrint's font configuration for one document, whose temporary folder is removed when the
    document is done, failed or not. WeasyPrint writes each @font-face font to a `weasyprint-*`
    folder in the temporary directory and removes it only in FontConfiguration.__del__, which Python
    does not promise to call before the process ends (Kozea/WeasyPrint#2090); so we call it."""
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    try:
        yield fonts
    finally:
        fonts.__del__()  # WeasyPrint's own clean-up; running it again at collection is harmless


@contextmanager
def captured_warnings() -> Iterator[list[str]]:
    """Collect what WeasyPrint logs at WARNING and above (it logs to a NullHandler by default, so
    without this a missing font or a refused URL would pass unnoticed)."""
    messages: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            messages.append(record.getMessage())

    logger = logging.getLogger("weasyprint")
    handler = Collect(logging.WARNING)
    logger.addHandler(handler)
    try:
        yield messages
    finally:
        logger.removeHandler(handler)


@cache
def assets() -> dict[str, Path]:
    """Every URL the templates may load ('asset:<name>'), mapped to its bundled file. Only these
    names are served: there is no path to traverse, so 'asset:../../etc/passwd' is just unknown."""
    found = {name: TEMPLATES / name for name in ("brief.css", "brief-cjk.css", "brief-cjk.otf")}
    for package, stems in _FONT_FILES.items():
        folder = Path(str(resources.files(package) / "files"))
        for stem in stems:
            found[f"fonts/{stem}.ttf"] = folder / f"{stem}.ttf"
    return found


def asset_fetcher() -> Any:
    """A new WeasyPrint URL fetcher that serves the bundled assets and refuses everything else.

    It remembers what it served and refused (`served`, `refused`) so callers and tests can check.
    """
    return _fetcher_class()()


@cache
def _fetcher_class() -> type:
    # Defined on first use because the base class lives in WeasyPrint, which is imported lazily.
    load_weasyprint()
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class AssetFetcher(URLFetcher):
        """Serves 'asset:<name>' for the names of `assets()`; raises for any other URL."""

        def __init__(self) -> None:
            # No protocol at all is allowed to the base class, should anything reach it.
            super().__init__(timeout=1, allowed_protocols=(), allow_redirects=False, fail_on_errors=False)
            self.served: list[str] = []
            self.refused: list[str] = []

        def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> URLFetcherResponse:
            name = url[len(ASSET_SCHEME) :] if url.startswith(ASSET_SCHEME) else None
            if name is None or name not in assets():
                self.refused.append(url[:200])
                raise ValueError(f"refused: only the brief's bundled assets are served, not {url[:80]!r}")
            self.served.append(url)
            path = assets()[name]
            # Read on each request, not cached: WeasyPrint keeps its own copy of each font file.
            media_type = _MEDIA_TYPES.get(path.suffix, "application/octet-stream")
            return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": media_type}, status=200)

    return AssetFetcher


# --- Page numbers that only a finished layout knows ---------------------------------------------

# What no part can know, filled in after a first layout (`number_pages`): the page total, written
# in the HTML (in a CSS string, for the footer) as PAGES_MARK, and the page an anchor falls on,
# written as the text of an element with a PAGE_OF attribute naming the anchor (the contents list).
PAGES_MARK = "@@PAGES@@"
PAGE_OF = "data-page-of"
_PAGE_OF = re.compile(r"(<[^<>]*\s" + PAGE_OF + r'="([^"]+)"[^<>]*>)[^<]*(<)')


def needs_numbers(html: str) -> bool:
    """Whether `html` holds page numbers only a finished layout knows (PAGES_MARK, PAGE_OF)."""
    return PAGES_MARK in html or f" {PAGE_OF}=" in html


def number_pages(html: str, anchors: Mapping[str, int], total: int) -> str:
    """`html` with PAGES_MARK replaced by `total` and each PAGE_OF element's text by the page its
    anchor falls on ('?' for an anchor the layout did not place, which `typeset_in_parts` reports)."""
    html = html.replace(PAGES_MARK, str(total))
    return _PAGE_OF.sub(lambda m: f"{m[1]}{anchors.get(m[2], '?')}{m[3]}", html)


def anchor_pages(pages: list[Any], first_number: int) -> dict[str, int]:
    """The page number (from `first_number`) on which each anchor of `pages` first falls (an element
    that runs over several pages has its anchor on each)."""
    found: dict[str, int] = {}
    for number, page in enumerate(pages, start=first_number):
        for name in page.anchors:
            found.setdefault(name, number)
    return found


def attached_files(weasyprint: ModuleType, job: PdfJob, fetcher: Any) -> list[Any]:
    """The job's files as WeasyPrint attachments, dated at the job's generation time, not now."""
    return [
        weasyprint.Attachment(
            string=file.data,
            name=file.name,
            description=file.description,
            created=job.generated,
            modified=job.generated,
            relationship="Source",
            url_fetcher=fetcher,
        )
        for file in job.attachments
    ]
