"""`frameworks compare`: one Comparison in every format, the same cells everywhere.

Round trips, escaping, filters, names and aliases, the headline of many frameworks, the stance grid,
colour, and layout snapshots of the fixture records (tests/snapshots)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import FIXTURES, cli
from space_frameworks.reports.comparison import (
    AGREE,
    ALL_SILENT,
    DEGREE,
    DIFFERENCES,
    HEADLINE_ORDER,
    NOT_COMPARABLE,
    NOT_YET,
    ONE_SILENT,
    OPPOSED,
    Cell,
    Row,
    build_comparison,
    stance_words,
)
from space_frameworks.reports.render import comparison_from_dict, comparison_to_dict, render_comparison
from space_frameworks.schema.dataset import load_dataset

SNAPSHOTS = Path(__file__).parent / "snapshots"
FIVE = ["ost", "us-eo-2020", "lux-2017", "artemis-accords", "russia"]


@pytest.fixture(scope="module")
def real():
    return load_dataset()


@pytest.fixture(scope="module")
def fixture_dataset_with_not_known(tmp_path_factory):
    """The fixture records with one of beta's positions moved to not-known."""
    import shutil

    root = tmp_path_factory.mktemp("not-known")
    shutil.copytree(FIXTURES, root, dirs_exist_ok=True)
    beta = root / "frameworks" / "beta.yaml"
    text = beta.read_text(encoding="utf-8")
    assert "stance: disputed" in text
    beta.write_text(text.replace("stance: disputed", "stance: not-known", 1), encoding="utf-8")
    dataset = load_dataset(root)
    assert not [p for p in dataset.problems if p.severity == "error"]
    return dataset


@pytest.fixture(scope="module")
def fixture_comparison():
    return build_comparison(load_dataset(FIXTURES), ["alpha", "beta"])


def test_json_round_trips_to_the_same_comparison(real) -> None:
    comparison = build_comparison(real, FIVE, as_of=dt.date(2021, 1, 1))
    text = render_comparison(comparison, "json")
    assert comparison_from_dict(json.loads(text)) == comparison
    assert comparison_to_dict(comparison_from_dict(json.loads(text))) == json.loads(text)


def test_csv_round_trips_every_cell(real) -> None:
    comparison = build_comparison(real, FIVE)
    rows = list(csv.DictReader(io.StringIO(render_comparison(comparison, "csv"))))
    cells = [cell for row in comparison.rows for cell in row.cells]
    assert len(rows) == len(cells) == 5 * comparison.topics_compared
    for parsed, cell in zip(rows, cells, strict=True):
        assert (parsed["framework"], parsed["topic"], parsed["stance"], parsed["summary"]) == (
            cell.framework,
            cell.topic,
            cell.stance,
            cell.summary,
        )
        assert parsed["pinpoints"] == "; ".join(cell.pinpoints)


def _squash(text: str) -> str:
    """Text without table drawing and line breaks, for finding wrapped cell text."""
    return re.sub(r"[\s|+=\-]+", " ", text)


def test_every_format_shows_the_same_cells(real) -> None:
    comparison = build_comparison(real, ["ost", "us-eo-2020", "russia"])
    markdown = render_comparison(comparison, "markdown")
    html_page = render_comparison(comparison, "html")
    table = render_comparison(comparison, "table", width=400)
    for row in comparison.rows:
        assert row.label in markdown and row.label in html_page
        for cell in row.cells:
            summary_words = " ".join(cell.summary.split()[:6])
            assert _squash(summary_words) in _squash(table), cell.summary
            escaped_md = cell.summary.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")
            assert escaped_md in markdown
            escaped_html = (
                cell.summary.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;").replace("'", "&#39;")
            )
            assert escaped_html in html_page
    # stances appear in row order in the terminal table
    for row in comparison.rows:
        line_stances = [stance_words(c.stance) for c in row.cells]  # as readers see them: "not known"
        assert any(all(s in line for s in line_stances) for line in table.splitlines()), row.label


class _TagChecker(HTMLParser):
    VOID = {"meta", "br", "link", "img", "hr", "input"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1] if self.stack else None}>"
        self.stack.pop()


def test_html_is_well_formed_self_contained_and_escapes_record_text(fixture_comparison) -> None:
    page = render_comparison(fixture_comparison, "html", quotes=True)
    checker = _TagChecker()
    checker.feed(page)
    assert checker.stack == []
    assert "script" not in checker.tags and "link" not in checker.tags and "img" not in checker.tags
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in page
    assert "http" not in page.split("<body>")[0].replace("http-equiv", "")  # no external assets


def test_markdown_escapes_record_text(fixture_comparison) -> None:
    markdown = render_comparison(fixture_comparison, "markdown")
    assert "<script>" not in markdown and "&lt;script&gt;" in markdown


def test_as_of_before_signature_shows_not_yet(real) -> None:
    before = build_comparison(real, ["ost", "artemis-accords"], as_of=dt.date(2020, 10, 12))
    after = build_comparison(real, ["ost", "artemis-accords"], as_of=dt.date(2020, 10, 13))
    assert not before.columns[1].exists and before.columns[0].exists
    assert {row.cells[1].stance for row in before.rows} == {NOT_YET}
    assert after.columns[1].exists and NOT_YET not in {row.cells[1].stance for row in after.rows}


def test_differences_keep_the_three_kinds_of_difference_and_count_all(real) -> None:
    full = build_comparison(real, FIVE)
    differing = build_comparison(real, FIVE, differences_only=True)
    assert {row.relation for row in differing.rows} <= set(DIFFERENCES) == {OPPOSED, DEGREE, ONE_SILENT}
    assert len(differing.rows) == sum(full.count(r) for r in DIFFERENCES)
    assert differing.agreement() == full.agreement()
    assert sum(n for _, n in full.counts) == full.topics_compared == 15


@pytest.mark.parametrize("relation", HEADLINE_ORDER)
def test_relation_picks_one_kind(real, relation: str) -> None:
    full = build_comparison(real, FIVE)
    picked = build_comparison(real, FIVE, relations=[relation])
    assert [row.topic for row in picked.rows] == [row.topic for row in full.rows if row.relation == relation]
    assert len(picked.rows) == full.count(relation)


def _row(*stances: str) -> Row:
    cells = tuple(Cell(f"f{i}", "t", stance, "", None, (), (), None) for i, stance in enumerate(stances))
    return Row(topic="t", label="T", question="?", cells=cells)


@pytest.mark.parametrize(
    ("stances", "relation"),
    [
        (("affirms", "affirms"), AGREE),
        (("denies", "denies", "denies"), AGREE),
        (("disputed", "disputed"), AGREE),
        (("silent", "silent"), ALL_SILENT),  # silence is not agreement
        (("affirms", "silent"), ONE_SILENT),  # silence is not a departure
        (("denies", "silent", "silent"), ONE_SILENT),
        (("affirms", "affirms", "silent"), ONE_SILENT),
        (("affirms", "denies"), OPPOSED),
        (("conditional", "denies"), OPPOSED),  # a right granted under conditions against a denial
        (("affirms", "denies", "silent"), OPPOSED),
        (("affirms", "conditional"), DEGREE),
        (("disputed", "denies"), DEGREE),
        (("affirms", "conditional", "silent"), DEGREE),
        (("affirms", "denies", "not-known"), OPPOSED),  # two comparable cells already differ
        (("affirms", "not-known"), NOT_COMPARABLE),
        (("silent", "not-known"), NOT_COMPARABLE),
        (("not-known", "not-known"), NOT_COMPARABLE),
        (("affirms", NOT_YET), NOT_COMPARABLE),
        ((NOT_YET, NOT_YET), NOT_COMPARABLE),
        (("affirms", "affirms", NOT_YET), NOT_COMPARABLE),
    ],
)
def test_a_topic_agrees_only_on_one_substantive_stance(stances: tuple[str, ...], relation: str) -> None:
    assert _row(*stances).relation == relation
    assert _row(*stances).agree == (relation == AGREE)


def test_as_of_before_a_framework_existed_nothing_is_comparable(real) -> None:
    comparison = build_comparison(real, ["ost", "artemis-accords"], as_of=dt.date(2019, 1, 1))
    assert comparison.agreement() == (
        "opposed on 0 · differ in degree on 0 · one side silent on 0 · agree on 0 · both silent on 0 · not comparable on 15 (of 15 topics)"
    )
    assert comparison.topics_agreeing == 0


def test_silent_pairs_are_not_counted_as_agreement(real) -> None:
    comparison = build_comparison(real, ["ost", "us-eo-2020"])
    silent = [row for row in comparison.rows if {c.stance for c in row.cells} == {"silent"}]
    assert comparison.count(ALL_SILENT) == len(silent)
    assert comparison.topics_agreeing == sum(1 for row in comparison.rows if row.relation == AGREE)
    for row in silent:
        assert not row.agree


def test_not_known_reads_as_words_in_every_format(fixture_dataset_with_not_known) -> None:
    comparison = build_comparison(fixture_dataset_with_not_known, ["alpha", "beta"])
    for output_format in ("table", "markdown", "html"):
        text = render_comparison(comparison, output_format, width=200)
        shown = re.sub(r"<style>.*?</style>|class=\"[^\"]*\"", "", text, flags=re.S)  # what a reader sees
        assert "not known" in shown and "not-known" not in shown
    assert '"stance": "not-known"' in render_comparison(comparison, "json")
    rows = list(csv.DictReader(io.StringIO(render_comparison(comparison, "csv"))))
    assert "not-known" in {r["stance"] for r in rows}
    assert {r["relation"] for r in rows} <= set(HEADLINE_ORDER)


def test_differing_rows_are_marked_in_table_markdown_and_csv(fixture_comparison) -> None:
    differing = [row for row in fixture_comparison.rows if row.differ]
    assert differing, "the fixtures must differ somewhere"
    marks = {"OPPOSED", "DIFFER IN DEGREE", "ONE SIDE SILENT"}
    table = render_comparison(fixture_comparison, "table", width=160)
    assert sum(table.count(mark) for mark in marks) == len(differing)
    markdown = render_comparison(fixture_comparison, "markdown")
    assert sum(markdown.count(f"<br>*{mark}*") for mark in marks) == len(differing)
    rows = list(csv.DictReader(io.StringIO(render_comparison(fixture_comparison, "csv"))))
    assert sum(r["relation"] in DIFFERENCES for r in rows) == 2 * len(differing)


def test_topic_filter_restricts_rows_in_vocabulary_order(real) -> None:
    comparison = build_comparison(real, FIVE, topics=["liability", "resource-ownership"])
    assert [row.topic for row in comparison.rows] == ["resource-ownership", "liability"]


def test_colour_only_when_asked() -> None:
    plain = cli("compare", "ost", "us-eo-2020")
    assert "\x1b[" not in plain.output  # CliRunner output is not a TTY


@pytest.mark.parametrize(
    ("name", "args", "columns"),
    [
        ("compare-80.txt", ["compare", "alpha", "beta"], 80),
        ("compare-120-quotes.txt", ["compare", "alpha", "beta", "--quotes", "--differences"], 120),
        ("compare-50-stacked.txt", ["compare", "alpha", "beta", "-t", "resource-ownership", "-t", "non-appropriation"], 50),
        ("compare.md", ["compare", "alpha", "beta", "--format", "markdown", "--quotes"], 100),
        ("show-alpha.txt", ["show", "alpha"], 90),
    ],
)
def test_snapshots(name: str, args: list[str], columns: int) -> None:
    """Layout snapshots on the fixture records; UPDATE_SNAPSHOTS=1 rewrites them after a deliberate change."""
    output = cli(*args, columns=columns, root=FIXTURES).output
    path = SNAPSHOTS / name
    if os.environ.get("UPDATE_SNAPSHOTS"):
        path.write_text(output, encoding="utf-8")
    assert output == path.read_text(encoding="utf-8")


def test_colour_only_on_a_terminal_without_no_color(monkeypatch: pytest.MonkeyPatch, fixture_comparison) -> None:
    import sys

    from space_frameworks import cli

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert cli.use_colour(None) is True
    assert cli.use_colour(Path("out.txt")) is False  # never into a file
    monkeypatch.setenv("NO_COLOR", "1")
    assert cli.use_colour(None) is False
    monkeypatch.setattr(sys.stdout, "isatty", lambda: False, raising=False)
    monkeypatch.delenv("NO_COLOR")
    assert cli.use_colour(None) is False  # piped
    coloured = render_comparison(fixture_comparison, "table", width=120, colour=True)
    assert "\x1b[1;34maffirms\x1b[0m" in coloured


def test_compare_all_the_pack_and_the_site_list_frameworks_in_one_order(dataset) -> None:
    """One reading order (vocabulary.reading_order): treaties first, then by kind and date."""
    from space_frameworks.reports.site import ordered_ids

    data = json.loads(cli("compare", "--all", "--format", "json").stdout)
    listed = [c["id"] for c in data["frameworks"]]
    assert listed == ordered_ids(dataset)
    assert listed[0] == "ost" and listed.index("us-cslca-2015") < listed.index("us-eo-2020") < listed.index("us-eo-2025")


def test_compare_accepts_aliases_and_names_each_framework_once() -> None:
    by_alias = cli("compare", "outer-space-treaty", "eo-13914", "--format", "json")
    by_id = cli("compare", "ost", "us-eo-2020", "--format", "json")
    assert json.loads(by_alias.output) == json.loads(by_id.output)
    twice = json.loads(cli("compare", "ost", "ost", "--format", "json").output)
    assert [f["id"] for f in twice["frameworks"]] == ["ost"]


def test_unknown_framework_exits_2_with_suggestions() -> None:
    result = cli("compare", "ots", "us-eo-2020")
    assert result.exit_code == 2
    assert "unknown framework 'ots'" in result.output
    assert "did you mean" in result.output and "ost" in result.output
    assert "Traceback" not in result.output


def test_unknown_topic_and_bad_date_are_usage_errors() -> None:
    topic = cli("compare", "ost", "us-eo-2020", "--topic", "resource-ownershp")
    assert topic.exit_code == 2 and "did you mean resource-ownership" in topic.output
    date = cli("compare", "ost", "us-eo-2020", "--as-of", "2020-02-30")
    assert date.exit_code == 2 and "--as-of" in date.output


def test_compare_of_many_frameworks_has_a_short_headline() -> None:
    out = cli("compare", "--all", columns=80).stdout
    assert out.splitlines()[0] == "16 frameworks compared" or out.splitlines()[0].endswith("frameworks compared")
    assert " vs " not in out.splitlines()[0]
    five = cli("compare", "ost", "us-eo-2020", "lux-2017", "artemis-accords", "russia", columns=80).stdout
    assert five.splitlines()[0] == "5 frameworks compared: ost, us-eo-2020, lux-2017, artemis-accords, russia"


def test_citations_are_merged_and_every_cell_shows_its_basis() -> None:
    data = json.loads(cli("compare", "--all", "--format", "json").stdout)
    for topic in data["topics"]:
        for cell in topic["cells"]:
            assert len(cell["pinpoints"]) == len(set(cell["pinpoints"])), (topic["id"], cell["framework"])
    out = " ".join(cli("compare", "ost", "russia", "--topic", "international-forum", columns=200).stdout.split())
    assert "TASS, 14 Dec 2020; TASS, 14 Dec 2020" not in out
    # The Liability Convention's cell on resources cites a source only: the source is shown.
    cell = " ".join(cli("compare", "liability-convention", "ost", "--topic", "resource-ownership", columns=200).stdout.split())
    assert "[United Nations Office for Outer Space Affairs]" in cell
    markdown = cli("compare", "liability-convention", "ost", "--topic", "resource-ownership", "--format", "markdown").stdout
    assert "*United Nations Office for Outer Space Affairs*" in markdown


@pytest.mark.parametrize("output_format", ["table", "markdown", "csv", "json", "html"])
def test_grid_in_every_format(output_format: str) -> None:
    result = cli("compare", "--all", "--grid", "--format", output_format, columns=80)
    assert result.exit_code == 0, result.output
    out = result.stdout
    full = json.loads(cli("compare", "--all", "--format", "json").stdout)
    ost = {t["id"]: next(c["stance"] for c in t["cells"] if c["framework"] == "ost") for t in full["topics"]}
    if output_format == "json":
        grid = json.loads(out)
        assert grid["format"] == "frameworks.grid/1" and grid["summary"] == full["summary"]
        row = next(f for f in grid["frameworks"] if f["id"] == "ost")
        assert dict(zip([t["id"] for t in grid["topics"]], row["stances"], strict=True)) == ost
    elif output_format == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        assert {k: v for k, v in next(r for r in rows if r["framework"] == "ost").items() if k != "framework"} == ost
        assert len(rows) == len(full["frameworks"]) + 1  # every framework, and the relation
    elif output_format == "table":
        lines = out.splitlines()
        assert max(len(line) for line in lines) <= 80
        codes = {"affirms": "af", "silent": "si", "conditional": "co", "denies": "de", "not-known": "nk", "disputed": "di"}
        assert next(line for line in lines if line.startswith("ost ")).split()[1:] == [codes[s] for s in ost.values()]
        assert "Stances: af affirms" in out.replace("\u00a0", " ")
    else:
        assert "Outer Space Treaty" in out and "Dispute settlement" in out
