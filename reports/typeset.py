"""Typesetting: an HTML document (from reports/pdf.py) laid out into PDF bytes by WeasyPrint.

This module is the only one that touches WeasyPrint (imported on first use: it costs ~0.3 s, which
only the PDF commands pay).

Safety: WeasyPrint gets a URL fetcher that serves only this package's bundled assets (the stylesheet
and the fonts) and refuses every other URL (file:, http(s):, data: ...).

Memory: WeasyPrint holds every laid-out page until the PDF is written (~1.5 MiB a page). The pack
is therefore typeset a part at a time and the parts joined (`typeset_in_parts`), with the pages,
links, bookmarks and tags one layout would give.
"""

from __future__ import annotations

import datetime as dt
import gc
import io
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

from .html import TEMPLATES, css_string

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
    attachments = _attachments(weasyprint, job, fetcher)
    html = job.html
    with font_configuration() as fonts, captured_warnings() as warnings:
        if needs_numbers(html):  # a first layout finds the page numbers to write in (see typeset_in_parts)
            first = weasyprint.HTML(string=html, url_fetcher=fetcher).render(font_config=fonts)
            html = number_pages(html, _anchor_pages(first.pages, 1), len(first.pages))
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


# --- Long documents in parts: the pack ------------------------------------------------------------
#
# WeasyPrint keeps every laid-out page in memory until the PDF is written: ~1.5 MiB a page, so a
# 100-page pack peaks near 230 MiB. `typeset_in_parts` lays the document out a part at a time and
# keeps only the PDF bytes of each, then joins them with pikepdf (qpdf).
#
# The pages must be the ones a single layout would give, or the layout rules (no page less than a
# third full but the last) would break at every seam. So a part is laid out from a "unit" (an
# element marked data-unit: a chapter's heading, a topic, a table...) that starts at the top of a
# page, and it ends where the last page that starts with a fresh unit begins: the pages after that
# are laid out again, with what follows, in the next part. Units are never cut between parts, so
# lists and tables keep their numbering and headers.
#
# What a part cannot know is fixed when the parts are joined: links that lead into another part
# (written as LINK_MARK + anchor, made internal again), bookmarks (rebuilt from every page's), the
# tag tree (each part's, under one Document), the named destinations and the attached files. Pages
# are numbered on: each part starts its page counter where the last one stopped. What a part cannot
# know (the total of pages, the pages of a contents list) is learnt from a first layout of every part
# and written into the HTML as plain text before the second (`number_pages`): twice the layout time,
# the same peak memory.

LINK_MARK = "frameworks-part-link:"
PART_HTML_CHARS = 150_000  # HTML per part: ~30 pages of the pack, ~60 MiB of layout
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


def _anchor_pages(pages: list[Any], first_number: int) -> dict[str, int]:
    """The page number (from `first_number`) on which each anchor of `pages` first falls (an element
    that runs over several pages has its anchor on each)."""
    found: dict[str, int] = {}
    for number, page in enumerate(pages, start=first_number):
        for name in page.anchors:
            found.setdefault(name, number)
    return found


def typeset_in_parts(job: PdfJob, part_chars: int = PART_HTML_CHARS) -> RenderedPdf:
    """Typeset `job` (HTML whose flow is made of data-unit elements) a part at a time, joined into one
    tagged PDF with the same pages as one layout would give. See the comment above.

    When the HTML holds page numbers no part can know (`needs_numbers`: the total in the footer, the
    pages of a contents list), the parts are laid out twice: once to learn the numbers, and once,
    with the numbers written in, to make the PDF. Their text sits on pages of their own or in the
    margins, so writing them in moves nothing: the second layout's anchors are checked against the first."""

    weasyprint = load_weasyprint()
    fetcher = asset_fetcher()
    with font_configuration() as fonts:  # one for every part and both layouts: the fonts are loaded once
        return _typeset_parts(weasyprint, job, part_chars, fetcher, fonts)


def _typeset_parts(weasyprint: ModuleType, job: PdfJob, part_chars: int, fetcher: Any, fonts: Any) -> RenderedPdf:
    """typeset_in_parts with its fetcher and font configuration."""
    import lxml.html

    html, anchors = job.html, None
    if needs_numbers(html):
        anchors, total = {}, 0
        for _, part, pages_done in _laid_out_parts(lxml.html.document_fromstring(html), part_chars, fetcher, fonts, []):
            anchors = _anchor_pages(part.pages, pages_done + 1) | anchors  # an earlier part's page stands
            total = pages_done + len(part.pages)
            del part  # this part's layout, before the next is made
        html = number_pages(html, anchors, total)
    tree = lxml.html.document_fromstring(html)
    if not tree.xpath("//*[@data-unit]"):
        return typeset(PdfJob(html=html, attachments=job.attachments, generated=job.generated))
    parts: list[bytes] = []
    bookmarks: list[tuple[int, str, int, float]] = []  # level, label, page index, y (CSS px from the top)
    warnings: list[str] = []
    placed: dict[str, int] = {}
    total = 0
    for following, part, pages_done in _laid_out_parts(tree, part_chars, fetcher, fonts, warnings):
        for number, page in enumerate(part.pages, start=pages_done):
            bookmarks += [(level, label, number, y) for level, label, (_, y), _ in page.bookmarks]
        placed = _anchor_pages(part.pages, pages_done + 1) | placed
        attachments = _attachments(weasyprint, job, fetcher) if following is None else []
        with captured_warnings() as logged:
            parts.append(part.write_pdf(attachments=attachments, pdf_identifier=False, pdf_variant=PDF_VARIANT))
        warnings += logged
        total = pages_done + len(part.pages)
        del part  # this part's layout, before the next is made
    if anchors is not None and any(placed.get(name) != number for name, number in anchors.items()):
        warnings.append("page numbers moved when they were written in: the contents list may be off")
    if fetcher.refused:
        warnings.append("refused to fetch: " + ", ".join(sorted(set(fetcher.refused))))
    return RenderedPdf(data=join_parts(parts, bookmarks), pages=total, warnings=tuple(warnings))


def _laid_out_parts(tree: Any, part_chars: int, fetcher: Any, fonts: Any, warnings: list[str]) -> Iterator[tuple[int | None, Any, int]]:
    """Lay `tree` out a part at a time: yields (the unit the next part starts with, or None after the
    last part; a WeasyPrint document of the part's pages; the number of pages before them). The
    caller drops the document before asking for the next part, so that only one part's layout is in
    memory at a time."""
    import lxml.html

    weasyprint = load_weasyprint()
    units = tree.xpath("//*[@data-unit]")
    for index, unit in enumerate(units):
        unit.set("data-unit", str(index))
    sizes = [len(lxml.html.tostring(unit)) for unit in units]
    first, pages_done = 0, 0
    while first < len(units):
        chars = part_chars
        last = _part_end(sizes, first, chars)
        while True:
            html = _part_html(tree, first, last, pages_done + 1)
            with captured_warnings() as logged:
                document = weasyprint.HTML(string=html, url_fetcher=fetcher).render(font_config=fonts)
            lead = 1 if first else 0
            keep, following = _part_break(document.pages, last == len(units), lead)
            if keep > lead or last == len(units):
                break
            chars *= 2  # no page starts with a fresh unit yet: a longer part
            last = max(last + 1, _part_end(sizes, first, chars))
            del document
            gc.collect()
        warnings += logged
        part = document.copy(document.pages[lead:keep])
        del document, html
        yield following, part, pages_done
        pages_done += len(part.pages)
        del part
        gc.collect()
        first = len(units) if following is None else following


def _part_end(sizes: list[int], first: int, chars: int) -> int:
    """The index after the last unit of a part that starts at unit `first` and holds ~`chars` of HTML."""
    total, end = 0, first
    while end < len(sizes) and (end == first or total + sizes[end] <= chars):
        total += sizes[end]
        end += 1
    return end


def _part_html(tree: Any, first: int, end: int, first_page: int) -> str:
    """The document with only units [first, end). Wrappers left without a unit are dropped, and one
    whose start went to an earlier part is marked `continued` (no id, no top rule). A part after the
    first opens with a lead page, thrown away once laid out, that carries on what earlier pages set:
    the running header's section name, and that the next page is not the document's first. Internal
    links become LINK_MARK links; the page counter starts at `first_page`."""
    import copy

    import lxml.html

    part = copy.deepcopy(tree)
    kept = part.xpath("//*[@data-unit]")
    start = kept[first]
    for wrapper in start.iterancestors():
        if wrapper.tag == "body":
            break
        if wrapper.xpath(".//*[@data-unit]")[0] is not start:
            wrapper.set("class", (wrapper.get("class", "") + " continued").strip())
            wrapper.attrib.pop("id", None)
    if first > 0:
        # In one layout this unit follows an unforced page break, which truncates the margins at the
        # top of the page; here it follows the lead page's forced break, which would keep them.
        top = [a for a in start.iterancestors() if a.tag != "body" and "continued" not in a.get("class", "")]
        element = start
        while element is not None:
            top.append(element)
            element = next(iter(element), None)
            element = element if element is not None and isinstance(element.tag, str) else None
        for element in top:
            element.set("style", (element.get("style", "") + "; margin-top: 0").lstrip("; "))
        sections = [a.get("data-section") for a in kept[first - 1].iterancestors() if a.get("data-section")]
        lead = part.makeelement("div", {"class": "part-lead"})
        lead.text = "\u00a0"
        lead.set("style", f"break-after: page; string-set: section {css_string(sections[0] if sections else '')}")
        part.find("body").insert(0, lead)
        first_page -= 1  # the lead page is counted, and thrown away
    for unit in kept[:first] + kept[end:]:
        unit.getparent().remove(unit)
    for element in part.xpath("//body//*[not(@data-unit)][not(ancestor::*[@data-unit])][not(@class='part-lead')]"):
        if not element.xpath(".//*[@data-unit]") and element.getparent() is not None:
            element.getparent().remove(element)
    for link in part.xpath("//a[starts-with(@href, '#')]"):
        link.set("href", LINK_MARK + link.get("href")[1:])
    style = part.makeelement("style")
    style.text = f"@page :first {{ counter-reset: page {first_page} }}"
    part.find("head").append(style)
    return lxml.html.tostring(part, encoding="unicode", doctype="<!DOCTYPE html>")


def _part_break(pages: list[Any], final: bool, lead: int) -> tuple[int, int | None]:
    """(the index after the last page to keep, the unit the next part starts with): the part ends
    before the last page whose first unit starts on it; the final part keeps every page. `lead` pages
    at the start are never a break (0 or 1: see `_part_html`)."""
    if final:
        return len(pages), None
    units_on = [_units_on(page) for page in pages]
    for number in range(len(pages) - 1, lead, -1):
        if units_on[number] and units_on[number][0] not in units_on[number - 1]:
            return number, units_on[number][0]
    return lead, None


def _units_on(page: Any) -> list[int]:
    """The data-unit numbers of the elements with a box on `page`, in document order."""
    found: list[int] = []
    stack = [child for child in page._page_box.children if type(child).__name__ != "MarginBox"]
    stack.reverse()
    while stack:
        box = stack.pop()
        element = getattr(box, "element", None)
        unit = element.get("data-unit") if element is not None and box.element_tag is not None else None
        if unit is not None and (not found or found[-1] != int(unit)):
            found.append(int(unit))
        stack.extend(reversed(getattr(box, "children", ())))
    return found


def _attachments(weasyprint: ModuleType, job: PdfJob, fetcher: Any) -> list[Any]:
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


def join_parts(parts: list[bytes], bookmarks: list[tuple[int, str, int, float]]) -> bytes:
    """One tagged PDF from the parts' PDFs (in order): pages, tag trees, named destinations, links
    between parts, bookmarks, attached files. Document information and metadata are the first part's."""
    import pikepdf

    merged = pikepdf.Pdf.open(io.BytesIO(parts[0]))
    tree_root = merged.Root.StructTreeRoot
    document = tree_root.K[0]
    numbers = tree_root.ParentTree.Nums
    next_key = _next_key(numbers)
    destinations = _named_destinations(merged)
    for data in parts[1:]:
        part = pikepdf.Pdf.open(io.BytesIO(data))
        start = len(merged.pages)
        merged.pages.extend(part.pages)
        for child in part.Root.StructTreeRoot.K[0].K:
            copied = _copy(merged, child)
            copied.P = document
            document.K.append(copied)
        part_numbers = part.Root.StructTreeRoot.ParentTree.Nums
        for index in range(0, len(part_numbers), 2):
            numbers.append(int(part_numbers[index]) + next_key)
            numbers.append(_copy(merged, part_numbers[index + 1]))
        for page in merged.pages[start:]:
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + next_key
            for annotation in page.obj.get("/Annots", []):
                if "/StructParent" in annotation:
                    annotation.StructParent = int(annotation.StructParent) + next_key
        next_key = _next_key(numbers)
        for name, destination in _named_destinations(part).items():
            destinations.setdefault(name, _copy(merged, destination))
        files = part.Root.get("/Names", {}).get("/EmbeddedFiles")
        if files is not None:
            merged.Root.Names.EmbeddedFiles = _copy(merged, files)
    if "/ParentTreeNextKey" in tree_root:
        tree_root.ParentTreeNextKey = next_key
    _set_named_destinations(merged, destinations)
    _resolve_part_links(merged, destinations)
    _set_bookmarks(merged, bookmarks)
    output = io.BytesIO()
    # Object streams: the parts' many small objects (tags, link annotations) take half the bytes.
    merged.save(output, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return output.getvalue()


def _copy(pdf: Any, value: Any) -> Any:
    """`value` of another PDF, copied into `pdf` (qpdf maps objects already copied, such as pages)."""
    import pikepdf

    if not isinstance(value, pikepdf.Object):  # numbers and the like come back as Python values
        return value
    if value.is_indirect:
        return pdf.copy_foreign(value)
    if isinstance(value, pikepdf.Array):
        return pikepdf.Array([_copy(pdf, item) for item in value])
    if isinstance(value, pikepdf.Dictionary):
        return pikepdf.Dictionary({key: _copy(pdf, item) for key, item in value.items()})
    return value


def _next_key(numbers: Any) -> int:
    return max((int(numbers[i]) for i in range(0, len(numbers), 2)), default=-1) + 1


def _named_destinations(pdf: Any) -> dict[str, Any]:
    import pikepdf

    names = pdf.Root.get("/Names", {}).get("/Dests")
    return {} if names is None else {str(k): v for k, v in pikepdf.NameTree(names).items()}


def _set_named_destinations(pdf: Any, destinations: dict[str, Any]) -> None:
    import pikepdf

    if "/Names" not in pdf.Root:
        pdf.Root.Names = pikepdf.Dictionary()
    flat = pikepdf.Array()
    for name in sorted(destinations):
        flat.append(pikepdf.String(name))
        flat.append(destinations[name])
    pdf.Root.Names.Dests = pdf.make_indirect(pikepdf.Dictionary(Names=flat))


def _resolve_part_links(pdf: Any, destinations: dict[str, Any]) -> None:
    """Links written as LINK_MARK + anchor become internal links again, as WeasyPrint writes them."""
    import pikepdf

    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", []):
            action = annotation.get("/A")
            uri = str(action.get("/URI", "")) if action is not None else ""
            if uri.startswith(LINK_MARK) and uri[len(LINK_MARK) :] in destinations:
                name = uri[len(LINK_MARK) :]
                del annotation["/A"]
                annotation.Dest = pikepdf.String(name)
                annotation.Contents = pikepdf.String(name)


def _set_bookmarks(pdf: Any, bookmarks: list[tuple[int, str, int, float]]) -> None:
    """The outline from every page's bookmarks (level, label, page, y in CSS px), nested by level."""
    import pikepdf

    with pdf.open_outline() as outline:
        outline.root.clear()
        stack: list[tuple[int, Any]] = []
        for level, label, number, y in bookmarks:
            height = float(pdf.pages[number].mediabox[3])
            item = pikepdf.OutlineItem(label, number, "XYZ", left=0, top=height - y * 0.75)
            while stack and stack[-1][0] >= level:
                stack.pop()
            (stack[-1][1].children if stack else outline.root).append(item)
            stack.append((level, item))
