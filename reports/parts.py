"""The pack typeset a part at a time (`typeset_in_parts`), so that its pages are never all in memory.

This module alone reads WeasyPrint internals (a page's box tree, in `units_on`); should a WeasyPrint
release change them, `units_on` raises PartsUnavailable and the document is laid out in one piece
by reports/typeset.py instead: the same pages, at a higher peak of memory.
"""

from __future__ import annotations

import gc
import io
from collections.abc import Iterator
from types import ModuleType
from typing import Any

from .templating import css_string
from .typeset import (
    PDF_VARIANT,
    PdfJob,
    RenderedPdf,
    anchor_pages,
    asset_fetcher,
    attached_files,
    captured_warnings,
    font_configuration,
    load_weasyprint,
    needs_numbers,
    number_pages,
    typeset,
)


class PartsUnavailable(Exception):
    """WeasyPrint's pages no longer show the box tree that `units_on` reads."""


# # WeasyPrint keeps every laid-out page in memory until the PDF is written: ~1.5 MiB a page, so a
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


def typeset_in_parts(job: PdfJob, part_chars: int = PART_HTML_CHARS) -> RenderedPdf:
    """Typeset `job` (HTML whose flow is made of data-unit elements) a part at a time, joined into one
    tagged PDF with the same pages as one layout would give. See the comment above.

    When the HTML holds page numbers no part can know (`needs_numbers`: the total in the footer, the
    pages of a contents list), the parts are laid out twice: once to learn the numbers, and once,
    with the numbers written in, to make the PDF. Their text sits on pages of their own or in the
    margins, so writing them in moves nothing: the second layout's anchors are checked against the first."""

    weasyprint = load_weasyprint()
    fetcher = asset_fetcher()
    try:
        with font_configuration() as fonts:  # one for every part and both layouts: the fonts are loaded once
            return _typeset_parts(weasyprint, job, part_chars, fetcher, fonts)
    except PartsUnavailable:
        return typeset(job)  # one layout: the same pages, every one of them in memory at once


def _typeset_parts(weasyprint: ModuleType, job: PdfJob, part_chars: int, fetcher: Any, fonts: Any) -> RenderedPdf:
    """typeset_in_parts with its fetcher and font configuration."""
    import lxml.html

    html, anchors = job.html, None
    if needs_numbers(html):
        anchors, total = {}, 0
        for _, part, pages_done in _laid_out_parts(lxml.html.document_fromstring(html), part_chars, fetcher, fonts, []):
            anchors = anchor_pages(part.pages, pages_done + 1) | anchors  # an earlier part's page stands
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
        placed = anchor_pages(part.pages, pages_done + 1) | placed
        attachments = attached_files(weasyprint, job, fetcher) if following is None else []
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
    units = [units_on(page) for page in pages]
    for number in range(len(pages) - 1, lead, -1):
        if units[number] and units[number][0] not in units[number - 1]:
            return number, units[number][0]
    return lead, None


def units_on(page: Any) -> list[int]:
    """The data-unit numbers of the elements with a box on `page`, in document order.

    The one place that reads WeasyPrint internals (the page's box tree, the margin boxes' class,
    the boxes' element and element_tag, as in WeasyPrint 70): if they are not there, PartsUnavailable."""
    try:
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
    except (AttributeError, TypeError) as exc:
        raise PartsUnavailable(f"WeasyPrint's page boxes are not as this module expects: {exc}") from exc


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
