"""`frameworks brief` and `frameworks pack`: the PDFs, read back (pypdf; pdftotext where installed).

Every PDF here is made by the `frameworks` command itself; any warning WeasyPrint logs fails the test
(autouse fixture), as does any Python warning (pytest runs with -W error). A plain `pytest` makes PDFs
of the small fixture records (tests/fixtures) only; the briefs and the pack of the real records, which
check the quotes and the layout, are heavy (`pytest --heavy`).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pypdf
import pytest

from conftest import cli, cli_process
from space_frameworks.reports import parts, pdf, typeset
from space_frameworks.reports.comparison import build_comparison
from space_frameworks.reports.edition import DATA_VERSION
from space_frameworks.reports.vocabulary import KIND_ORDER, reading_order
from space_frameworks.schema.dataset import load_dataset

PDFTOTEXT = shutil.which("pdftotext")


# --- helpers ---------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def weasyprint_warnings() -> Iterator[list[str]]:
    """Fail the test if WeasyPrint logs a warning or an error (missing glyph, refused URL, bad CSS)."""
    messages: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            messages.append(record.getMessage())

    handler = Collect(logging.WARNING)
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    yield messages
    logger.removeHandler(handler)
    assert messages == [], messages


def text_of(path: Path) -> str:
    """The PDF's text, whitespace collapsed (pdftotext when installed, pypdf otherwise)."""
    if PDFTOTEXT:
        raw = subprocess.run([PDFTOTEXT, "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True).stdout
    else:
        raw = "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)
    return " ".join(raw.split())


def bare(value: str) -> str:
    """`value` without whitespace and hyphens: a line may break after the hyphen of "co-operation",
    and the text extractor then joins the word without it."""
    return re.sub(r"[\s-]", "", value)


def page_texts(path: Path) -> list[str]:
    """The text of each page, whitespace collapsed (pypdf)."""
    return [" ".join(page.extract_text().split()) for page in pypdf.PdfReader(path).pages]


def outline(reader: pypdf.PdfReader) -> list[tuple[int, str, int]]:
    """The bookmarks as (level, title, 1-based page), in order."""
    found: list[tuple[int, str, int]] = []

    def walk(items: list[Any], level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                found.append((level, item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 1)
    return found


def font_names(reader: pypdf.PdfReader) -> set[str]:
    """Base names of every font used on any page, without the subset tag ('ABCDEF+')."""
    names = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]).lstrip("/").split("+", 1)[-1])
    return names


@pytest.fixture
def fixture_records(fixture_root: Path) -> Path:
    """The fixture records root with two more frameworks (gamma, delta: copies of alpha)."""
    alpha = (fixture_root / "frameworks" / "alpha.yaml").read_text(encoding="utf-8")
    for name in ("gamma", "delta"):
        text = alpha.replace("id: alpha\n", f"id: {name}\n").replace("aliases: [alpha-treaty]\n", "")
        text = text.replace("short_title: Alpha Treaty", f"short_title: {name.title()} Treaty")
        (fixture_root / "frameworks" / f"{name}.yaml").write_text(text, encoding="utf-8")
    return fixture_root


def framework_ids(*names: str) -> list[str]:
    """Record ids through Dataset.resolve, so a renamed record (an id kept as an alias) still works."""
    dataset = load_dataset()
    return [dataset.resolve(name).id for name in names]


def make_pdf(folder: Path, name: str, *args: str) -> Path:
    """Run `frameworks ARGS -o folder/name` and return the PDF's path; no warning allowed."""
    path = folder / name
    result = cli(*args, "-o", str(path))
    assert result.exit_code == 0, result.output
    assert "warning" not in result.stderr, result.stderr
    return path


@pytest.fixture(scope="module")
def real_brief(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`frameworks brief ost us-eo-2020` of the real records, made once for this module."""
    return make_pdf(tmp_path_factory.mktemp("real"), "brief.pdf", "brief", *framework_ids("ost", "us-eo-2020"))


@pytest.fixture(scope="module")
def real_brief5(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A five-framework brief of the real records."""
    ids = framework_ids("ost", "us-eo-2020", "lux-2017", "artemis-accords", "russia-2020")
    return make_pdf(tmp_path_factory.mktemp("real5"), "brief5.pdf", "brief", *ids)


@pytest.fixture(scope="module")
def real_full(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`frameworks brief --full ost us-eo-2020`: the detailed edition."""
    return make_pdf(tmp_path_factory.mktemp("full"), "full.pdf", "brief", "--full", *framework_ids("ost", "us-eo-2020"))


@pytest.fixture(scope="module")
def real_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`frameworks pack` of every real record."""
    return make_pdf(tmp_path_factory.mktemp("pack"), "pack.pdf", "pack")


FOOTER = re.compile(r"^(Page \d+( of \d+)?|Data version .*)$")


def page_fill(path: Path) -> list[float]:
    """How far down each page its text reaches, as a share of the page height (0 = nothing below the
    top edge, 1 = text at the very bottom), from the lowest text position of the page; the running
    footer ('Page N of M', the pack's 'Page N', 'Data version ...') does not count."""
    fills = []
    for page in pypdf.PdfReader(path).pages:
        height = float(page.mediabox.height)
        lowest = height

        def visit(text: str, cm: list[float], tm: list[float], *_: Any) -> None:
            nonlocal lowest
            if text.strip() and not FOOTER.match(text.strip()):
                y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]  # the text's baseline in page space (y up)
                lowest = min(lowest, y)

        page.extract_text(visitor_text=visit)
        fills.append((height - lowest) / height)
    return fills


def assert_no_near_empty_pages(path: Path) -> None:
    """Every page but the last is at least a third full."""
    fills = page_fill(path)
    thin = [(number, round(fill, 2)) for number, fill in enumerate(fills[:-1], start=1) if fill < 1 / 3]
    assert not thin, f"pages less than a third full: {thin}"


def landscape_pages(path: Path) -> list[int]:
    """1-based numbers of the landscape pages."""
    return [i + 1 for i, p in enumerate(pypdf.PdfReader(path).pages) if p.mediabox.width > p.mediabox.height]


# --- the brief of the real records -------------------------------------------------------------


@pytest.mark.heavy  # typesets a brief of the real records
def test_brief_of_two_frameworks_is_at_most_four_pages(real_brief: Path) -> None:
    assert len(pypdf.PdfReader(real_brief).pages) <= 4


@pytest.mark.heavy  # typesets a brief of the real records
def test_brief_page_1_has_title_as_of_counts_and_key_differences(real_brief: Path) -> None:
    dataset = load_dataset()
    ids = framework_ids("ost", "us-eo-2020")
    comparison = build_comparison(dataset, ids)
    page1 = page_texts(real_brief)[0]
    titles = [dataset.records[i].short_title for i in ids]
    assert " vs ".join(titles) in page1
    latest = max(dataset.records[i].last_verified for i in ids)
    assert f"data as of {pdf.format_date(latest)}".lower() in page1.lower()
    for number, words in pdf.headline(comparison):
        assert f"{number} {words}" in page1
    assert sum(n for n, _ in pdf.headline(comparison)) == comparison.topics_compared
    keys = pdf.key_differences(comparison)
    assert 1 <= len(keys) <= 5 and all(row.differ for row in keys)
    ranks = [pdf.difference_rank(row) for row in keys]
    assert ranks == sorted(ranks)  # opposed first, then in degree, then one side silent
    for row in keys:
        assert bare(row.label) in bare(page1)
        for cell in row.cells:
            assert bare(pdf.gist_of(cell)[:40]) in bare(page1)
    # The release (reports.edition.DATA_VERSION), the latest verification, the records' hash.
    assert re.search(rf"data version {re.escape(DATA_VERSION)} · (\d{{4}}-\d{{2}}-\d{{2}}) · [0-9a-f]{{8}}", page1, re.IGNORECASE)


@pytest.mark.heavy
def test_brief_matrix_is_one_landscape_page_with_every_topic_and_gist(real_brief: Path, real_brief5: Path) -> None:
    dataset = load_dataset()
    for path, names in (
        (real_brief, ("ost", "us-eo-2020")),
        (real_brief5, ("ost", "us-eo-2020", "lux-2017", "artemis-accords", "russia-2020")),
    ):
        assert landscape_pages(path) == [2], path.name
        matrix = bare(page_texts(path)[1])
        comparison = build_comparison(dataset, framework_ids(*names))
        assert "Ataglance" in matrix
        for row in comparison.rows:
            assert bare(row.label) in matrix
            for cell in row.cells:
                assert bare(pdf.gist_of(cell)[:30]) in matrix


@pytest.mark.heavy  # typesets a brief of the real records
def test_brief_annex_gives_pinpoints_and_sources(real_brief: Path) -> None:
    dataset = load_dataset()
    comparison = build_comparison(dataset, framework_ids("ost", "us-eo-2020"))
    text = re.sub(r"[\s-]", "", text_of(real_brief))
    for row in comparison.rows:
        for cell in row.cells:
            for label in cell.pinpoints:
                assert re.sub(r"[\s-]", "", label) in text, label
    assert "What each cell rests on" in text_of(real_brief) and "Annex A. Sources" in text_of(real_brief)


@pytest.mark.heavy
def test_brief_bookmarks_point_at_their_sections(real_brief: Path, real_full: Path) -> None:
    for path, expected in (
        (real_brief, ["Summary", "At a glance", "What each cell rests on", "Annex A. Sources", "Annex B. Attached records"]),
        (
            real_full,
            ["Summary", "At a glance", "Topic by topic", "Timeline of status events", "Annex A. Sources", "Annex B. Attached records"],
        ),
    ):
        reader = pypdf.PdfReader(path)
        marks = outline(reader)
        assert [title for level, title, _ in marks if level == 1] == expected
        texts = page_texts(path)
        for _, title, page in marks:
            if title != "Summary":
                assert title in texts[page - 1], (title, page)
    topics = [
        title for level, title, _ in outline(pypdf.PdfReader(real_full)) if level == 2 and title in {t.label for t in load_dataset().topics}
    ]
    assert len(topics) == 15


@pytest.mark.heavy  # typesets a brief of the real records
def test_brief_pages_carry_running_header_and_page_x_of_y(real_brief: Path) -> None:
    texts = page_texts(real_brief)
    total = len(texts)
    title = pypdf.PdfReader(real_brief).metadata.title
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {total}" in text
        assert "Data version" in text
        if number > 1:  # page 1 shows the title itself
            assert title in text


@pytest.mark.heavy
def test_full_edition_holds_every_quote_with_its_pinpoint(real_full: Path) -> None:
    dataset = load_dataset()
    comparison = build_comparison(dataset, framework_ids("ost", "us-eo-2020"))

    text = bare(text_of(real_full))
    quotes = [q for row in comparison.rows for cell in row.cells for q in cell.quotes]
    assert quotes
    for quote in quotes:
        assert bare(quote.text) in text, quote.ref
        assert bare(quote.label) in text
    for row in comparison.rows:
        for cell in row.cells:
            assert bare(cell.summary) in text


@pytest.mark.heavy
def test_no_edition_has_a_near_empty_page(real_brief: Path, real_brief5: Path, real_full: Path, real_pack: Path) -> None:
    for path in (real_brief, real_brief5, real_full, real_pack):
        assert_no_near_empty_pages(path)


@pytest.mark.heavy  # typesets a brief of the real records
def test_a_short_matrix_follows_page_1_in_portrait(tmp_path: Path) -> None:
    """Two topics: the matrix would leave a landscape page nearly empty, so it flows after page 1."""
    ids = framework_ids("ost", "us-eo-2020")
    path = make_pdf(tmp_path, "short.pdf", "brief", *ids, "--topic", "resource-ownership", "--topic", "non-appropriation")
    assert landscape_pages(path) == []
    assert "At a glance" in page_texts(path)[0]
    assert_no_near_empty_pages(path)


@pytest.mark.heavy
def test_after_a_landscape_matrix_what_each_cell_rests_on_starts_a_portrait_page(tmp_path: Path) -> None:
    """Seven topics: the matrix takes a landscape page of its own, with room below it; the annex that
    follows is portrait, on a page of its own (WeasyPrint would otherwise start it on the landscape page)."""
    topics = [t for topic in load_dataset().topics[:7] for t in ("--topic", topic.id)]
    path = make_pdf(tmp_path, "seven.pdf", "brief", *framework_ids("ost", "us-eo-2020"), *topics)
    texts = page_texts(path)
    assert landscape_pages(path) == [2]
    assert "What each cell rests on" not in texts[1] and "What each cell rests on" in texts[2]


def test_page_fill_measures_the_lowest_text(tmp_path: Path) -> None:
    from weasyprint import HTML

    path = tmp_path / "fill.pdf"
    html = '<style>@page { size: A4; margin: 0 } p { margin: 0; font-size: 10pt }</style><p>top</p><p style="break-before: page; margin-top: 148.5mm">half</p>'
    HTML(string=html).write_pdf(path)
    top, half = page_fill(path)
    assert top < 0.05 and 0.5 < half < 0.55


@pytest.mark.heavy
def test_pdfs_are_tagged_pdf_ua_with_title_shown_and_language(real_brief: Path, real_full: Path, real_pack: Path) -> None:
    for path in (real_brief, real_full, real_pack):
        reader = pypdf.PdfReader(path)
        root = reader.trailer["/Root"]
        assert bool(root["/MarkInfo"]["/Marked"])
        assert "/StructTreeRoot" in root
        assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
        assert str(root["/Lang"]).startswith("en")
        assert b"pdfuaid" in root["/Metadata"].get_object().get_data()
        tags = structure_tags(root["/StructTreeRoot"])
        assert {"/H1", "/H2", "/Table", "/TH", "/TD", "/Link"} <= tags, tags


def structure_tags(node: Any, found: set[str] | None = None) -> set[str]:
    """Every structure type (/H1, /Table, /TH ...) under a structure tree node."""
    found = set() if found is None else found
    node = node.get_object()
    if isinstance(node, pypdf.generic.ArrayObject):
        for kid in node:
            structure_tags(kid, found)
        return found
    if not isinstance(node, pypdf.generic.DictionaryObject):
        return found
    if "/S" in node:
        found.add(str(node["/S"]))
    if "/K" in node:
        structure_tags(node["/K"], found)
    return found


@pytest.mark.heavy
def test_pdfua_checker_finds_no_error(real_brief: Path, real_full: Path, real_pack: Path) -> None:
    """`pdfua check` (PyPI, in the test extras) reports no error; its warnings (header cells without
    /Scope, which WeasyPrint does not write) are allowed."""
    checker = shutil.which("pdfua", path=str(Path(sys.executable).parent)) or shutil.which("pdfua")
    assert checker, "install the test extras: pip install -e '.[test]' (pdfua)"
    for path in (real_brief, real_full, real_pack):
        result = subprocess.run([checker, "check", "--min-severity", "error", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout[-3000:]


@pytest.mark.heavy  # typesets a brief of the real records
def test_brief_attaches_the_source_yaml_of_each_framework(real_brief: Path) -> None:
    reader = pypdf.PdfReader(real_brief)
    dataset = load_dataset()
    ids = framework_ids("ost", "us-eo-2020")
    assert set(reader.attachments) == {dataset.files[i].name for i in ids}
    for record_id in ids:
        assert reader.attachments[dataset.files[record_id].name] == [dataset.files[record_id].read_bytes()]


@pytest.mark.heavy  # typesets a brief of the real records
def test_brief_uses_only_the_bundled_fonts(real_brief: Path) -> None:
    names = font_names(pypdf.PdfReader(real_brief))
    assert names and all(name.startswith("Brief-") for name in names), names
    assert not any("CJK" in name for name in names)  # the CJK font is loaded only when needed


@pytest.mark.heavy  # typesets a brief of the real records
def test_brief_metadata(real_brief: Path) -> None:
    meta = pypdf.PdfReader(real_brief).metadata
    assert meta.title == "Outer Space Treaty (1967) vs US Executive Order 13914 (2020)"
    assert "compared on 15 topics" in meta.subject
    assert "space resources" in meta["/Keywords"] and "us-eo-2020" in meta["/Keywords"]


# --- the pack ----------------------------------------------------------------------------------


@pytest.mark.heavy
def test_pack_of_named_frameworks_has_an_overview_then_a_chapter_each(fixture_records: Path, tmp_path: Path) -> None:
    path = tmp_path / "pack.pdf"
    result = cli("pack", "beta", "gamma", "alpha", "-o", str(path), root=fixture_records)
    assert result.exit_code == 0, result.output
    assert re.search(r"wrote .*pack\.pdf \(\d+ pages\)", result.stderr)
    reader = pypdf.PdfReader(path)
    marks = outline(reader)
    top = [t for level, t, _ in marks if level == 1]
    assert top == ["Overview", "Contents", "The frameworks", "Timeline of status events", "Annex A. Sources", "Annex B. Attached records"]
    start, end = (next(i for i, m in enumerate(marks) if m[1] == title) for title in ("The frameworks", "Timeline of status events"))
    # Treaties first (alpha and gamma: same date, so by id), then the national position.
    assert [t for _, t, _ in marks[start + 1 : end]] == ["Alpha Treaty", "Gamma Treaty", "Beta position"]
    assert set(reader.attachments) == {"alpha.yaml", "beta.yaml", "gamma.yaml"}
    first = page_texts(path)[0]
    assert first.lower().startswith("briefing pack")
    assert first.index("Alpha Treaty") < first.index("Gamma Treaty") < first.index("Beta position")
    for words in ("not known", "not yet", "affirms", "silent"):
        assert words in first.lower()  # the legend
    assert landscape_pages(path) == [1]


@pytest.mark.heavy
def test_real_pack_pages_are_numbered_on_with_the_running_header_on_each(real_pack: Path) -> None:
    texts = page_texts(real_pack)
    reader = pypdf.PdfReader(real_pack)
    assert len(texts) > 60  # long enough to be typeset in several parts
    for number, text in enumerate(texts, start=1):
        footer = re.search(r"Page (\d+) of (\d+)\s*$", text)
        assert footer and footer[1] == str(number) and footer[2] == str(len(texts))  # the total, learnt by a first layout
        assert "Data version" in text
        if number > 1:  # page 1, the overview, shows the title itself
            assert reader.metadata.title in text


@pytest.mark.heavy
def test_real_pack_links_bookmarks_and_tags_survive_the_parts(real_pack: Path) -> None:
    import pikepdf

    with pikepdf.open(real_pack) as document:
        destinations = {str(name) for name, _ in pikepdf.NameTree(document.Root.Names.Dests).items()}
        links = [a for page in document.pages for a in page.obj.get("/Annots", []) if a.get("/Subtype") == "/Link"]
        assert len(links) > 200
        # Every link is internal again (none left as a part's placeholder) and leads somewhere.
        assert all("/A" not in link and str(link.Dest) in destinations for link in links)
        assert {f"fw-{i}" for i in load_dataset().records} <= destinations  # the overview's links to the chapters
        # One tag tree: every page and link annotation has its own entry in the parent tree, and
        # the tree's keys are in order (a number tree's rule).
        numbers = document.Root.StructTreeRoot.ParentTree.Nums
        keys = [int(numbers[i]) for i in range(0, len(numbers), 2)]
        assert keys == sorted(set(keys))
        owners = [int(page.obj.StructParents) for page in document.pages] + [int(link.StructParent) for link in links]
        assert sorted(owners) == keys
        for child in document.Root.StructTreeRoot.K[0].K:
            assert child.P == document.Root.StructTreeRoot.K[0]
    levels = [level for level, _, _ in outline(pypdf.PdfReader(real_pack))]
    assert levels.count(1) == 6  # overview, contents, the frameworks, timeline, annex A, annex B; chapters under theirs


@pytest.mark.heavy
def test_a_document_in_parts_has_the_pages_of_one_layout(fixture_records: Path, tmp_path: Path) -> None:
    """typeset_in_parts, cut into many small parts, gives the pages that typeset gives at once."""
    dataset = load_dataset(fixture_records)
    ids = list(dataset.records)
    sources = {i: dataset.files[i].read_bytes() for i in ids}
    brief = pdf.build_brief(dataset, ids, sources=sources, pack=True, generated=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    job = typeset.PdfJob(html=pdf.render_html(brief), attachments=(), generated=brief.generated)
    whole, in_parts = tmp_path / "whole.pdf", tmp_path / "parts.pdf"
    whole.write_bytes(typeset.typeset(job).data)
    rendered = parts.typeset_in_parts(job, part_chars=2_000)
    in_parts.write_bytes(rendered.data)
    one, many = page_texts(whole), page_texts(in_parts)
    assert rendered.pages == len(one) == len(many) >= 4
    for number, (a, b) in enumerate(zip(one, many, strict=True), start=1):
        assert a.replace(f"Page {number}\n", "") == b.replace(f"Page {number}\n", ""), number
    assert outline(pypdf.PdfReader(whole)) == outline(pypdf.PdfReader(in_parts))
    assert parts.typeset_in_parts(job, part_chars=2_000).data == rendered.data  # the joined bytes are reproducible


@pytest.mark.heavy
def test_without_the_weasyprint_internals_the_pack_is_laid_out_in_one_piece(fixture_records: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Should a WeasyPrint release change the page boxes that parts.units_on reads, the document is
    typeset in one layout instead: the same pages, never an error."""
    dataset = load_dataset(fixture_records)
    ids = list(dataset.records)
    sources = {i: dataset.files[i].read_bytes() for i in ids}
    brief = pdf.build_brief(dataset, ids, sources=sources, pack=True, generated=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    job = typeset.PdfJob(html=pdf.render_html(brief), attachments=(), generated=brief.generated)
    whole = typeset.typeset(job)

    class Page:  # a page as a changed WeasyPrint might give it: no _page_box
        pass

    with pytest.raises(parts.PartsUnavailable):
        parts.units_on(Page())
    original = parts.units_on
    monkeypatch.setattr(parts, "units_on", lambda page: original(Page()))
    rendered = parts.typeset_in_parts(job, part_chars=2_000)
    assert rendered.pages == whole.pages and rendered.data == whole.data


@pytest.mark.heavy
def test_pack_defaults_to_every_framework(fixture_records: Path, tmp_path: Path) -> None:
    path = tmp_path / "pack.pdf"
    result = cli("pack", "-o", str(path), root=fixture_records)
    assert result.exit_code == 0, result.output
    assert set(pypdf.PdfReader(path).attachments) == {"alpha.yaml", "beta.yaml", "gamma.yaml", "delta.yaml"}


@pytest.mark.heavy
def test_real_pack_opens_with_a_one_page_overview_of_every_framework(real_pack: Path) -> None:
    dataset = load_dataset()
    texts = page_texts(real_pack)
    assert landscape_pages(real_pack) == [1]
    overview = texts[0]
    order = reading_order(dataset.records.values())
    assert order[0].kind.value == "treaty"
    kinds = [r.kind for r in order]
    assert kinds == sorted(kinds, key=KIND_ORDER.index)
    # Each title after the one before ("Russia" also stands inside "ILRS (China-Russia)").
    position = 0
    for record in order:
        position = overview.find(record.short_title, position)
        assert position != -1, f"{record.short_title} missing or out of order"
        position += len(record.short_title)
    for topic in dataset.topics:
        assert bare(topic.label)[:12] in bare(overview)
    marks = outline(pypdf.PdfReader(real_pack))
    chapters = [t for level, t, _ in marks if level == 2][: len(order)]
    assert chapters == [r.short_title for r in order]


@pytest.mark.heavy
def test_matrix_splits_many_frameworks_into_column_groups_with_headers_repeated(fixture_records: Path, tmp_path: Path) -> None:
    for index in range(3):  # seven frameworks: more than one landscape page holds side by side
        text = (fixture_records / "frameworks" / "gamma.yaml").read_text(encoding="utf-8")
        text = text.replace("id: gamma\n", f"id: extra{index}\n").replace("Gamma Treaty", f"Extra {index} Treaty")
        (fixture_records / "frameworks" / f"extra{index}.yaml").write_text(text, encoding="utf-8")
    path = tmp_path / "brief.pdf"
    ids = ["alpha", "beta", "gamma", "delta", "extra0", "extra1", "extra2"]
    assert cli("brief", *ids, "-o", str(path), root=fixture_records).exit_code == 0
    texts = page_texts(path)
    landscape = [i - 1 for i in landscape_pages(path)]
    matrix = " ".join(texts[i] for i in landscape)
    assert "Frameworks 1–4 of 7" in matrix and "Frameworks 5–7 of 7" in matrix
    for i in landscape:  # every matrix page starts with the header row
        assert "Topic" in texts[i]
    assert pdf.column_groups(tuple(range(7))) == [[0, 1, 2, 3], [4, 5, 6]]  # type: ignore[arg-type]
    assert pdf.column_groups(tuple(range(5))) == [[0, 1, 2, 3, 4]]  # type: ignore[arg-type]
    assert [len(g) for g in pdf.column_groups(tuple(range(15)))] == [5, 5, 5]  # type: ignore[arg-type]


# --- the parts of page 1 and the matrix, from the data ------------------------------------------


def test_gist_falls_back_to_the_first_sentence_clipped_on_a_word() -> None:
    from space_frameworks.reports.comparison import Cell

    def cell(summary: str, gist: str | None = None) -> Cell:
        return Cell("x", "t", "affirms", summary, gist, (), (), None)

    assert pdf.gist_of(cell("Anything.", "The record's own line")) == "The record's own line"
    assert pdf.gist_of(cell("Extraction is allowed (Art. 1). More follows here.")) == "Extraction is allowed (Art. 1)."
    assert pdf.gist_of(cell("The U.S. position holds. Second.")) == "The U.S. position holds."
    long = "Word " * 40
    clipped = pdf.gist_of(cell(long))
    assert len(clipped) <= pdf.GIST_MAX and clipped.endswith("Word…")


def test_key_differences_put_affirms_against_denies_first(fixture_records: Path) -> None:
    from space_frameworks.reports.comparison import Cell, Row

    def row(topic: str, *stances: str) -> Row:
        return Row(topic, topic, "?", tuple(Cell(f"f{i}", topic, s, "x.", None, (), (), None) for i, s in enumerate(stances)))

    rows = (
        row("a", "affirms", "silent"),
        row("b", "affirms", "conditional"),
        row("c", "affirms", "denies"),
        row("d", "silent", "silent"),
        row("e", "denies", "affirms"),
    )
    comparison = pdf.Comparison(columns=(None, None), rows=rows, as_of=None, topics_compared=5, counts=())  # type: ignore[arg-type]
    assert [r.topic for r in pdf.key_differences(comparison)] == ["c", "e", "b", "a"]
    assert [r.topic for r in pdf.key_differences(comparison, limit=2)] == ["c", "e"]
    assert pdf.key_difference_limit(2) == 5 and pdf.key_difference_limit(5) == 3


# --- options -----------------------------------------------------------------------------------


def test_topic_and_as_of_narrow_the_brief(fixture_records: Path, tmp_path: Path) -> None:
    path = tmp_path / "brief.pdf"
    result = cli(
        "brief", "--full", "alpha", "beta", "--topic", "resource-ownership", "--as-of", "2010-05-01", "-o", str(path), root=fixture_records
    )
    assert result.exit_code == 0, result.output
    marks = outline(pypdf.PdfReader(path))
    start, end = (next(i for i, m in enumerate(marks) if m[1] == title) for title in ("Topic by topic", "Timeline of status events"))
    assert [t for _, t, _ in marks[start + 1 : end]] == ["Ownership of extracted resources"]
    text = text_of(path)
    assert "as of 1 may 2010" in text.lower()
    assert "not yet" in text.lower()  # beta's first statement is of 2020


def test_chinese_and_japanese_text_use_the_bundled_cjk_font(fixture_records: Path, tmp_path: Path) -> None:
    beta = fixture_records / "frameworks" / "beta.yaml"
    beta.write_text(
        beta.read_text(encoding="utf-8").replace("Insists on non-appropriation.", "宇宙資源の所有権 (空间资源)."), encoding="utf-8"
    )
    path = tmp_path / "brief.pdf"
    assert cli("brief", "alpha", "beta", "-o", str(path), root=fixture_records).exit_code == 0
    assert "宇宙資源の所有権 (空间资源)." in text_of(path)
    assert "Brief-CJK" in font_names(pypdf.PdfReader(path))


@pytest.mark.heavy
def test_source_date_epoch_makes_the_pdf_byte_reproducible(fixture_records: Path, tmp_path: Path) -> None:
    epoch = str(int(dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=dt.UTC).timestamp()))
    first, second = tmp_path / "first.pdf", tmp_path / "second.pdf"
    for path in (first, second):
        result = cli("pack", "alpha", "beta", "-o", str(path), env={"SOURCE_DATE_EPOCH": epoch}, root=fixture_records)
        assert result.exit_code == 0, result.output
    assert first.read_bytes() == second.read_bytes()
    reader = pypdf.PdfReader(first)
    assert reader.metadata["/CreationDate"].startswith("D:20231114221320")
    assert "generated 14 nov 2023, 22:13 utc" in page_texts(first)[0].lower()
    # Attachment dates come from SOURCE_DATE_EPOCH too, not from the clock.
    names = reader.trailer["/Root"]["/Names"]["/EmbeddedFiles"]["/Names"]
    params = names[1].get_object()["/EF"]["/F"].get_object()["/Params"]
    assert params["/CreationDate"] == params["/ModDate"] == "D:20231114221320Z"


def test_a_bad_source_date_epoch_is_a_one_line_error(fixture_records: Path, tmp_path: Path) -> None:
    path = tmp_path / "brief.pdf"
    result = cli("brief", "alpha", "beta", "-o", str(path), env={"SOURCE_DATE_EPOCH": "yesterday"}, root=fixture_records)
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0 and "SOURCE_DATE_EPOCH" in result.stderr
    assert not path.exists()


# --- errors: one line, non-zero exit, nothing left behind --------------------------------------


def _assert_clean_failure(result: Any, folder: Path, message: str, code: int = 2) -> None:
    assert result.exit_code == code, result.output
    assert result.stdout == ""
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert message in result.stderr
    assert not [p for p in folder.rglob("*") if p.suffix in (".pdf", ".tmp") and not p.is_dir()]


def test_output_that_is_a_directory_is_refused(fixture_records: Path, tmp_path: Path) -> None:
    folder = tmp_path / "out.pdf"  # named .pdf, so that what is refused is the folder
    folder.mkdir()
    result = cli("brief", "alpha", "beta", "-o", str(folder), root=fixture_records)
    _assert_clean_failure(result, tmp_path, "it is a folder; give a regular file", code=4)


def test_output_in_a_missing_folder_is_refused(fixture_records: Path, tmp_path: Path) -> None:
    result = cli("pack", "-o", str(tmp_path / "missing" / "pack.pdf"), root=fixture_records)
    _assert_clean_failure(result, tmp_path, "no such folder", code=4)


def test_output_under_a_file_is_refused(fixture_records: Path, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    result = cli("pack", "-o", str(tmp_path / "file" / "pack.pdf"), root=fixture_records)
    _assert_clean_failure(result, tmp_path, "is not a folder", code=4)


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into a read-only folder")
def test_output_in_a_read_only_folder_is_refused(fixture_records: Path, tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir(mode=0o500)
    result = cli("pack", "-o", str(folder / "pack.pdf"), root=fixture_records)
    _assert_clean_failure(result, tmp_path, "permission denied", code=4)


def test_a_failed_write_leaves_no_partial_pdf_and_keeps_the_old_one(
    fixture_records: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "brief.pdf"
    target.write_bytes(b"%PDF- the previous brief")

    def full_disk(source: Any, destination: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)  # the rename that would publish the new PDF
    result = cli("brief", "alpha", "beta", "-o", str(target), root=fixture_records)
    assert result.exit_code == 4
    assert result.stderr.strip() == f"frameworks: cannot write {target}: No space left on device"
    assert target.read_bytes() == b"%PDF- the previous brief"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief.pdf", "records"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["brief", "alpha", "nosuch"], "unknown framework 'nosuch'"),
        (["brief", "alpha"], "a brief compares two or more frameworks"),
        (["brief", "alpha", "beta", "--topic", "resource-ownershp"], "unknown topic 'resource-ownershp'; did you mean resource-ownership?"),
        (["brief", "alpha", "beta", "--as-of", "2020-13-01"], "--as-of '2020-13-01'"),
        (["pack", "nosuch"], "unknown framework 'nosuch'"),
        (["pack"], "give the PDF file to write with -o FILE"),
    ],
)
def test_mistakes_are_one_line_errors(fixture_records: Path, tmp_path: Path, args: list[str], message: str) -> None:
    output = [] if args == ["pack"] else ["-o", str(tmp_path / "out.pdf")]
    result = cli(*args, *output, root=fixture_records)
    _assert_clean_failure(result, tmp_path, message)


def test_brief_requires_an_output_file(fixture_records: Path) -> None:
    result = cli("brief", "alpha", "beta", root=fixture_records)
    assert result.exit_code == 2
    assert "Missing option '--output'" in result.stderr


# --- safety: hostile record text, and the URL fetcher --------------------------------------------


HOSTILE = [
    '<img src="file:///etc/passwd">',
    '<link rel="stylesheet" href="http://127.0.0.1:{port}/x">',
    "<script>document.write('pwned')</script>",
    '<a href="file:///etc/passwd">passwd</a>',
    "<style>@import url(http://127.0.0.1:{port}/y); body {{ background: url(file:///etc/passwd) }}</style>",
    '<object data="http://127.0.0.1:{port}/z"></object>',
    '<svg><image href="file:///etc/passwd"/></svg>',
]


@pytest.fixture
def listener() -> Iterator[tuple[int, list[str]]]:
    """A TCP server on 127.0.0.1 that records every connection made to it."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    connections: list[str] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, address = server.accept()
            except OSError:
                continue
            connections.append(str(address))
            connection.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], connections
    stop.set()
    thread.join()
    server.close()


def test_hostile_record_text_leaves_no_trace_and_makes_no_request(
    fixture_records: Path, tmp_path: Path, listener: tuple[int, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    port, connections = listener
    payload = " ".join(item.format(port=port) for item in HOSTILE)
    beta = fixture_records / "frameworks" / "beta.yaml"
    text = beta.read_text(encoding="utf-8")
    # JSON strings are YAML double-quoted scalars: the payload goes in exactly as written.
    text = text.replace("summary: Insists on non-appropriation.", f"summary: {json.dumps('Insists ' + payload)}")
    title = json.dumps('Beta <img src="file:///etc/passwd"> position')
    text = text.replace("short_title: Beta position", f"short_title: {title}")
    beta.write_text(text, encoding="utf-8")

    attempts: list[Any] = []
    real_connect = socket.socket.connect

    def no_network(self: socket.socket, address: Any) -> Any:
        attempts.append(address)
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", no_network)
    path = tmp_path / "brief.pdf"
    # The full edition shows every summary whole (the brief shows its first sentence).
    result = cli("brief", "--full", "alpha", "beta", "-o", str(path), root=fixture_records)
    assert result.exit_code == 0, result.output
    assert "warning" not in result.stderr  # nothing was even asked of the fetcher

    assert attempts == [] and connections == []
    secret = Path("/etc/passwd").read_text(encoding="utf-8").splitlines()[0]
    reader = pypdf.PdfReader(path)
    raw = b"".join(obj.get_object().get_data() for obj in _streams(reader))
    assert secret.encode() not in raw
    text = text_of(path)
    assert secret not in text and "pwned" not in text.replace("document.write('pwned')", "")
    # The markup is shown as the text the contributor wrote, never interpreted.
    assert '<img src="file:///etc/passwd">' in text
    assert "<script>document.write('pwned')</script>" in text
    assert not any(page.get("/Annots") and _external_links(page) for page in reader.pages)
    assert not any("/XObject" in page["/Resources"] and _images(page) for page in reader.pages)


def _streams(reader: pypdf.PdfReader) -> Iterator[Any]:
    for number in range(1, int(reader.trailer["/Size"])):
        obj = reader.get_object(number)
        if isinstance(obj, pypdf.generic.StreamObject):
            yield obj


def _external_links(page: Any) -> list[str]:
    links = []
    for annotation in page["/Annots"]:
        action = annotation.get_object().get("/A")
        if action and "/URI" in action:
            links.append(str(action["/URI"]))
    return links


def _images(page: Any) -> list[str]:
    xobjects = page["/Resources"]["/XObject"]
    return [name for name, obj in xobjects.items() if obj.get_object().get("/Subtype") == "/Image"]


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "FILE:///etc/passwd",
        "http://127.0.0.1:9/x",
        "https://example.org/font.ttf",
        "data:text/css,body{}",
        "data:image/png;base64,iVBORw0KGgo=",
        "ftp://example.org/x",
        "asset:../../../etc/passwd",
        "asset:/etc/passwd",
        "asset:fonts/../brief.css",
        "brief.css",
    ],
)
def test_fetcher_refuses_everything_but_bundled_assets(url: str) -> None:
    fetcher = typeset.asset_fetcher()
    with pytest.raises(ValueError, match="refused"):
        fetcher.fetch(url)
    assert fetcher.refused == [url] and fetcher.served == []


def test_fetcher_serves_the_stylesheet_and_fonts() -> None:
    fetcher = typeset.asset_fetcher()
    for name, path in typeset.assets().items():
        response = fetcher.fetch(f"asset:{name}")
        assert response.read() == path.read_bytes()
    assert fetcher.fetch("asset:brief.css").content_type == "text/css"
    assert len(fetcher.served) == len(typeset.assets()) + 1


def test_markup_that_escaped_the_templates_would_still_fetch_nothing(weasyprint_warnings: list[str]) -> None:
    """Defence in depth: even raw markup given straight to WeasyPrint loads nothing outside the package."""
    from weasyprint import HTML

    fetcher = typeset.asset_fetcher()
    html = '<link rel="stylesheet" href="file:///etc/passwd"><p>x<img src="file:///etc/passwd"><img src="http://127.0.0.1:9/i.png">'
    data = HTML(string=html, url_fetcher=fetcher).write_pdf()
    assert sorted(fetcher.refused) == ["file:///etc/passwd", "file:///etc/passwd", "http://127.0.0.1:9/i.png"]
    assert b"/Image" not in data
    assert weasyprint_warnings and all("refused" in m for m in weasyprint_warnings)
    weasyprint_warnings.clear()  # expected here, and only here


# --- cost: WeasyPrint only for the PDF commands -------------------------------------------------


def test_weasyprint_is_imported_only_by_the_pdf_commands() -> None:
    """Checked in new processes (this one has loaded WeasyPrint already): importing the PDF module
    loads none of it, and neither does a command that writes no PDF."""
    script = "import sys, space_frameworks.reports.pdf; print('weasyprint' in sys.modules)"
    imported = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert imported.stdout.strip() == "False"
    compare = cli_process("compare", "ost", "us-eo-2020", env={"PYTHONPROFILEIMPORTTIME": "1"})  # each import on stderr
    assert compare.returncode == 0, compare.stderr
    modules = [line.rpartition("|")[2].strip() for line in compare.stderr.decode().splitlines() if line.startswith("import time:")]
    assert "space_frameworks.cli" in modules
    assert [name for name in modules if name.split(".")[0] == "weasyprint"] == []


@pytest.mark.heavy
def test_the_command_as_a_process_makes_the_same_pdf_as_in_process(fixture_records: Path, tmp_path: Path) -> None:
    """`frameworks brief` as a process, through the guarded entry point (__main__.py)."""
    epoch = {"SOURCE_DATE_EPOCH": "1700000000"}
    here, process = tmp_path / "here.pdf", tmp_path / "process.pdf"
    assert cli("brief", "alpha", "beta", "-o", str(here), env=epoch, root=fixture_records).exit_code == 0
    result = cli_process("brief", "alpha", "beta", "-o", str(process), env=epoch, root=fixture_records)
    assert result.returncode == 0, result.stderr
    assert result.stderr.decode().startswith(f"wrote {process} (")
    assert process.read_bytes() == here.read_bytes()


# --- issue 25: what a reader of the PDFs meets ---------------------------------------------------


def lines_of(page: Any) -> dict[int, str]:
    """The text of `page` by line: its runs joined by the height of their baseline (rounded)."""
    runs: dict[int, list[tuple[float, str]]] = {}

    def visit(text: str, cm: list[float], tm: list[float], *_: Any) -> None:
        if text.strip():
            x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
            y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
            runs.setdefault(round(y), []).append((x, text.strip()))

    page.extract_text(visitor_text=visit)
    return {y: " ".join(text for _, text in sorted(parts)) for y, parts in runs.items()}


@pytest.mark.heavy
def test_real_pack_opens_with_a_contents_list_whose_page_numbers_are_true(real_pack: Path) -> None:
    reader = pypdf.PdfReader(real_pack)
    assert "Contents" in page_texts(real_pack)[1]
    lines = list(lines_of(reader.pages[1]).values())
    marks: dict[str, int] = {}
    for _, title, page in outline(reader):
        marks.setdefault(title, page)  # a chapter's, not its sources' in the annex
    titles = [r.short_title for r in load_dataset().records.values()]
    for title in [*titles, "Timeline of status events", "Annex A. Sources", "Annex B. Attached records"]:
        found = [line for line in lines if re.fullmatch(re.escape(title) + r" (\d+)", line)]
        assert found, (title, lines)
        assert int(found[0].rpartition(" ")[2]) == marks[title], title  # the page its chapter or part starts on


@pytest.mark.heavy  # typesets a brief of the real records
def test_annex_urls_stand_apart_from_the_next_word(real_brief: Path) -> None:
    text = text_of(real_brief)
    assert re.search(r"\.html?Retrieved", text) is None
    assert "outerspacetreaty.html. Retrieved" in text.replace(" ", " ")


@pytest.mark.heavy
def test_no_edition_shows_internal_ids_or_notes(real_brief: Path, real_full: Path) -> None:
    for path in (real_brief, real_full):
        text = text_of(path)
        assert re.search(r"\[(art|sec|para|annex)_[a-z0-9_]+\]", text) is None, path.name
        assert "Stance chosen with care" not in text, path.name


def heading_height(page: Any, heading: str) -> float:
    """How far down `page` the text `heading` stands, as a share of the page height (0 = top)."""
    found: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: Any) -> None:
        if text.strip().startswith(heading):
            found.append(cm[1] * tm[4] + cm[3] * tm[5] + cm[5])

    page.extract_text(visitor_text=visit)
    assert found, heading
    return 1 - max(found) / float(page.mediabox.height)


@pytest.mark.heavy
def test_a_five_framework_brief_spends_at_most_a_page_on_sources(real_brief5: Path) -> None:
    reader = pypdf.PdfReader(real_brief5)
    marks = {title: page for _, title, page in outline(reader)}
    start, end = marks["Annex A. Sources"], marks["Annex B. Attached records"]
    assert end - start <= 1
    # The page's text area runs from 15 mm to 297 - 14 mm (brief.css); the annex from its heading to Annex B's.
    top, bottom = 15 / 297, 1 - 14 / 297
    used = heading_height(reader.pages[end - 1], "Annex B") - heading_height(reader.pages[start - 1], "Annex A")
    if end > start:
        used += bottom - top
    assert used <= (bottom - top) * 1.02, used / (bottom - top)
    text = text_of(real_brief5)
    # The 61 signatures' press releases take one line, and the attached record holds them.
    assert re.search(r"The signed acts of 61 States rest on \d+ sources .*listed in the attached record artemis-accords\.yaml", text)


@pytest.mark.heavy
def test_headings_are_kept_with_what_follows_and_running_heads_are_true(real_brief5: Path) -> None:
    reader = pypdf.PdfReader(real_brief5)
    texts = page_texts(real_brief5)
    marks = {title: page for _, title, page in outline(reader)}
    annex_a = texts[marks["Annex A. Sources"] - 1]
    after = annex_a[annex_a.index("Annex A. Sources") :]
    assert "Outer Space Treaty (1967)" in after and "Treaty on Principles Governing" in after  # the heading, then its first source
    annex_b = texts[marks["Annex B. Attached records"] - 1]
    if not annex_b.split("Page")[0].strip().startswith(pypdf.PdfReader(real_brief5).metadata.title + " Annex B"):
        # Annex B begins lower down the page: the running head names the section the page starts in.
        assert annex_b.count("Annex B. Attached records") == 1 and "Annex A. Sources" in annex_b
