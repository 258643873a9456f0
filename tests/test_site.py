"""`frameworks site`: the pages it writes, their links, escaping, reproducible bytes, atomic writing.

Also the output folders it refuses or keeps (one it did not make, one holding the current folder, a
symlink). The browser side (JavaScript, screenshots, contrast measured on the rendered page) is in
test_site_in_browser.py; these tests read the files.
"""

from __future__ import annotations

import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from conftest import REPO, cli, cli_process
from space_frameworks.reports import site as site_module
from space_frameworks.reports.comparison import build_comparison
from space_frameworks.reports.site import MARKER, SiteError, featured_pairs, ordered_ids, pair_path, write_site
from space_frameworks.schema.dataset import Dataset, load_dataset

CSS = REPO / "reports" / "templates" / "site" / "site.css"


class Page(HTMLParser):
    """What the tests look at in one HTML page: links, ids, headings, the <html> lang, the title."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.headings: list[int] = []
        self.lang = ""
        self.title = ""
        self._in_title = False
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "html":
            self.lang = values.get("lang") or ""
        if tag == "title":
            self._in_title = True
        if values.get("id"):
            self.ids.add(values["id"] or "")
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        for name in ("href", "src", "data-source"):
            if values.get(name):
                self.links.append(values[name] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


@pytest.fixture(scope="module")
def built(dataset: Dataset, tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("site") / "site"
    write_site(dataset, output)
    return output


def pages(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*.html"))}


def test_the_site_has_a_page_for_every_framework_and_topic_at_a_stable_url(built: Path, dataset: Dataset) -> None:
    for record_id in dataset.records:
        assert (built / "frameworks" / record_id / "index.html").is_file()
    for topic in dataset.topics:
        assert (built / "topics" / topic.id / "index.html").is_file()
    for pair in featured_pairs(dataset):
        assert (built / pair_path(pair) / "index.html").is_file()
    pages_ = (
        "index.html",
        "compare/index.html",
        "timeline/index.html",
        "changes/index.html",
        "signatories/index.html",
        "method/index.html",
        "search/index.html",
    )
    for page in (*pages_, "404.html"):
        assert (built / page).is_file()
    expected = 1 + len(dataset.records) + len(dataset.topics) + 1 + len(featured_pairs(dataset)) + len(pages_) - 2 + 1
    assert len(pages(built)) == expected
    assert (built / "assets" / "site.css").is_file() and (built / "assets" / "compare.js").is_file()
    assert (built / "assets" / "search.js").is_file()


def test_the_compare_and_search_data_are_scripts_a_page_from_disk_can_load(built: Path, dataset: Dataset) -> None:
    """A browser will not fetch a JSON file for a page opened from disk; it will run a script beside it."""
    compare = (built / "data" / "compare.js").read_text(encoding="utf-8")
    assert compare.startswith("window.FRAMEWORKS_COMPARE = {") and compare.endswith("};\n")
    assert json.loads(compare.removeprefix("window.FRAMEWORKS_COMPARE = ").removesuffix(";\n")) == json.loads(
        (built / "data" / "compare.json").read_text(encoding="utf-8")
    )
    assert '<script src="../data/compare.js" defer></script>' in (built / "compare" / "index.html").read_text(encoding="utf-8")
    search = (built / "data" / "search.js").read_text(encoding="utf-8")
    entries = json.loads(search.removeprefix("window.FRAMEWORKS_SEARCH = ").removesuffix(";\n"))
    kinds = {kind for kind, *_ in entries}
    assert kinds == {"framework", "topic", "position", "quote"}
    assert sum(1 for e in entries if e[0] == "position") == len(dataset.records) * len(dataset.topics)
    assert "<" not in search  # record text can never close a script element
    assert all((built / e[3].partition("#")[0] / "index.html").is_file() for e in entries)


def test_the_design_cards_pair_has_a_static_page(built: Path) -> None:
    assert (built / "compare" / "ost--us-eo-2020" / "index.html").is_file()
    assert (built / "frameworks" / "ost" / "index.html").is_file()
    assert (built / "topics" / "resource-ownership" / "index.html").is_file()


def test_every_page_has_lang_a_title_one_h1_and_headings_in_order(built: Path) -> None:
    for name, text in pages(built).items():
        page = Page(text)
        assert page.lang == "en", name
        assert page.title.strip(), name
        assert page.headings.count(1) == 1, name
        for before, after in zip(page.headings, page.headings[1:], strict=False):
            assert after <= before + 1, f"{name}: h{before} then h{after}"


def test_every_link_inside_the_site_leads_to_a_file_and_an_anchor_that_exist(built: Path) -> None:
    ids = {name: Page(text).ids for name, text in pages(built).items()}
    checked = 0
    for name, text in pages(built).items():
        for link in Page(text).links:
            parts = urlsplit(link)
            if parts.scheme in ("http", "https"):
                continue
            assert not parts.scheme and not parts.netloc, f"{name}: {link} leaves the site"
            target = urlsplit(urljoin("http://site/" + name, link))
            path = target.path.lstrip("/")
            if path.endswith("/") or path == "":
                path += "index.html"
            assert (built / path).is_file(), f"{name}: {link} -> {path}"
            if target.fragment and path != "compare/index.html":  # the compare page reads its #fragment as a choice
                assert target.fragment in ids[path], f"{name}: {link} has no anchor #{target.fragment}"
            checked += 1
    assert checked > 500


def test_no_page_loads_anything_from_outside(built: Path) -> None:
    for name, text in pages(built).items():
        for tag in re.findall(r"<(?:script|link|img|iframe)\b[^>]*>", text):
            assert "http" not in tag, f"{name}: {tag}"
        assert "default-src 'none'" in text


def test_each_framework_page_shows_its_stances_as_words_and_its_list_coverage(built: Path, dataset: Dataset) -> None:
    from space_frameworks.reports.timeline import signatories

    for record_id, record in dataset.records.items():
        text = (built / "frameworks" / record_id / "index.html").read_text(encoding="utf-8")
        single = build_comparison(dataset, [record_id])
        assert text.count('class="stance s-') == len(dataset.topics)
        for row in single.rows:
            assert f'id="{row.topic}"' in text
        listing = signatories(record)
        if record.participation is not None or listing.rows:
            assert _escaped(listing.footer) in text


def _escaped(value: str) -> str:
    from markupsafe import escape

    return str(escape(value))


def test_the_compare_data_holds_the_same_cells_as_the_comparison(built: Path, dataset: Dataset) -> None:
    data = json.loads((built / "data" / "compare.json").read_text(encoding="utf-8"))
    ids = ordered_ids(dataset)
    assert [f["id"] for f in data["frameworks"]] == ids
    assert [t["id"] for t in data["topics"]] == [t.id for t in dataset.topics]
    comparison = build_comparison(dataset, ids)
    for index, framework in enumerate(data["frameworks"]):
        assert [cell[0] for cell in framework["cells"]] == [row.cells[index].stance for row in comparison.rows]
    assert set(data["comparable"]) == {"affirms", "conditional", "denies", "disputed", "silent"}


def test_a_pair_page_gives_the_comparisons_headline(built: Path, dataset: Dataset) -> None:
    for pair in featured_pairs(dataset):
        text = (built / pair_path(pair) / "index.html").read_text(encoding="utf-8")
        assert _escaped(build_comparison(dataset, list(pair)).agreement()) in text


def test_the_same_records_give_the_same_bytes(dataset: Dataset, built: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    write_site(dataset, again)
    first = {p.relative_to(built): p.read_bytes() for p in built.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first == second


def test_record_text_is_escaped_everywhere(fixture_root: Path, tmp_path: Path) -> None:
    record = fixture_root / "frameworks" / "alpha.yaml"
    hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    text = record.read_text(encoding="utf-8")
    text = text.replace("summary: Licensed operators may own, use and sell what they extract.", f"summary: '{hostile}'")
    text = text.replace("short_title: Alpha Treaty", "short_title: 'Alpha <b>Treaty</b>'")
    record.write_text(text, encoding="utf-8")
    output = tmp_path / "site"
    result = cli("site", "-o", str(output), root=fixture_root)
    assert result.exit_code == 0, result.output
    for name, page in pages(output).items():
        assert "<script>alert" not in page and "<img src=x" not in page and "<b>Treaty" not in page, name
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in (output / "frameworks" / "alpha" / "index.html").read_text(encoding="utf-8")


def test_the_site_command_reports_pages_and_builds_from_other_records(fixture_root: Path, tmp_path: Path) -> None:
    output = tmp_path / "site"
    result = cli("site", "-o", str(output), root=fixture_root)
    assert result.exit_code == 0, result.output
    assert "pages" in result.output
    assert (output / "frameworks" / "alpha" / "index.html").is_file()
    assert (output / "compare" / "alpha--beta" / "index.html").is_file()  # no card pair among them: the first two
    assert (output / MARKER).is_file()
    # The output folder and its files are readable by a web server, whatever mkdtemp made.
    assert output.stat().st_mode & 0o755 == 0o755


def test_a_rebuild_replaces_the_site_whole(fixture_root: Path, tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    output = tmp_path / "out" / "site"
    assert cli("site", "-o", str(output), root=fixture_root).exit_code == 0
    (output / "frameworks" / "gone").mkdir()
    (output / "frameworks" / "gone" / "index.html").write_text("old", encoding="utf-8")
    assert cli("site", "-o", str(output), root=fixture_root).exit_code == 0
    assert not (output / "frameworks" / "gone").exists()
    assert sorted(p.name for p in output.parent.iterdir()) == ["site"]  # nothing left beside it


def test_a_folder_a_build_did_not_make_is_never_replaced(fixture_root: Path, tmp_path: Path) -> None:
    output = tmp_path / "mine"
    output.mkdir()
    (output / "notes.txt").write_text("keep me", encoding="utf-8")
    result = cli("site", "-o", str(output), root=fixture_root)
    assert result.exit_code == 4
    assert "did not make" in result.output
    assert (output / "notes.txt").read_text(encoding="utf-8") == "keep me"
    assert cli("site", "-o", str(output / "notes.txt"), root=fixture_root).exit_code == 4
    assert cli("site", "-o", str(tmp_path / "no" / "such"), root=fixture_root).exit_code == 4


def test_a_failed_build_leaves_the_earlier_site_and_no_half_site(
    fixture_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dataset = load_dataset(fixture_root)
    (tmp_path / "out").mkdir()
    output = tmp_path / "out" / "site"
    write_site(dataset, output)
    before = {p.relative_to(output): p.read_bytes() for p in output.rglob("*") if p.is_file()}
    real = site_module.site_files

    def failing(dataset: Dataset, *args):  # type: ignore[no-untyped-def]
        for count, item in enumerate(real(dataset, *args)):
            if count == 3:
                raise RuntimeError("disk full")
            yield item

    monkeypatch.setattr(site_module, "site_files", failing)
    with pytest.raises(RuntimeError):
        write_site(dataset, output)
    assert {p.relative_to(output): p.read_bytes() for p in output.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in output.parent.iterdir()) == ["site"]
    with pytest.raises(RuntimeError):
        write_site(dataset, output.parent / "fresh")
    assert sorted(p.name for p in output.parent.iterdir()) == ["site"]


def test_check_output_refuses_a_file(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(SiteError):
        site_module.check_output(tmp_path / "file")


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_every_stance_badge_meets_wcag_aa_contrast() -> None:
    from space_frameworks.reports.vocabulary import STANCES, stance_css

    css = CSS.read_text(encoding="utf-8") + stance_css()
    rules = re.findall(r"\.(s-[a-z-]+|r-[a-z-]+)[^{]*\{\s*color:\s*(#[0-9a-f]{6});\s*background:\s*(#[0-9a-f]{6}|var\(--navy\))", css)
    assert len(rules) >= len(STANCES) + 3
    for name, colour, background in rules:
        background = "#1d3557" if background == "var(--navy)" else background
        assert _contrast(colour, background) >= 4.5, name


def test_stance_colours_stay_apart_in_greyscale_and_are_not_red_or_green() -> None:
    """Each stance's fill differs from every other's in lightness, or in its outline, so a greyscale
    print or a colour-blind reader still tells them apart; no fill is a red or a green (good/bad)."""
    import colorsys

    from space_frameworks.reports.vocabulary import STANCES

    shown = [s for s in STANCES if s.stance in ("affirms", "conditional", "denies", "disputed", "silent", "not-known")]
    for i, a in enumerate(shown):
        for b in shown[i + 1 :]:
            apart = abs(_luminance(a.fill) - _luminance(b.fill)) >= 0.08
            assert apart or a.outline != b.outline, (a.stance, b.stance)
        red, green, blue = (int(a.fill[k : k + 2], 16) / 255 for k in (1, 3, 5))
        hue, lightness, saturation = colorsys.rgb_to_hls(red, green, blue)
        if saturation > 0.2 and 0.1 < lightness < 0.95:
            degrees = hue * 360
            assert not (degrees < 20 or degrees > 340), f"{a.stance}: a red fill reads as 'bad'"
            assert not (80 < degrees < 160), f"{a.stance}: a green fill reads as 'good'"


def test_a_symlinked_site_folder_stays_a_link_to_the_new_build(tmp_path: Path, fixture_root: Path) -> None:
    builds = tmp_path / "builds"
    builds.mkdir()
    assert cli_process("site", "-o", str(builds / "v1"), root=fixture_root).returncode == 0
    (builds / "v1" / "stale.html").write_text("from the earlier build", encoding="utf-8")
    public = tmp_path / "public"
    public.symlink_to("builds/v1")
    result = cli_process("site", "-o", str(public), root=fixture_root)
    assert result.returncode == 0, result.stderr
    assert public.is_symlink() and os.readlink(public) == "builds/v1"
    assert (public / "index.html").is_file() and not (public / "stale.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["builds", "public", "records"]
    assert sorted(p.name for p in builds.iterdir()) == ["v1"]  # nothing left beside the build


@pytest.mark.parametrize("given", [".", "..", "../here", "{parent}"])
def test_a_site_folder_that_holds_the_current_folder_is_refused(tmp_path: Path, fixture_root: Path, given: str) -> None:
    here = tmp_path / "work" / "here"
    here.mkdir(parents=True)
    (here / "notes.txt").write_text("mine", encoding="utf-8")
    output = given.format(parent=str(tmp_path / "work"))
    result = cli_process("site", "-o", output, root=fixture_root, cwd=here)
    assert result.returncode == 4
    assert result.stderr.decode().splitlines() == [
        f"frameworks: cannot write the site to {output}: it holds the current folder, and a build replaces its folder whole; give another, e.g. -o site"
    ]
    assert (here / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in (tmp_path / "work").iterdir()) == ["here"]
