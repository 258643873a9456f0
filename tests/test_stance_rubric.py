"""The stance rubric (docs/rubric.md) and the kinds of difference (compare --relation, --differences).

Their mechanical parts, on fixture rows and on the real records. What a specialist reads into the
records must hold here: a silence is never counted or worded as a departure, and every headline counts
each kind apart."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from conftest import cli
from space_frameworks.reports import pdf
from space_frameworks.reports.comparison import (
    ALL_SILENT,
    DEGREE,
    HEADLINE_ORDER,
    NOT_COMPARABLE,
    ONE_SILENT,
    OPPOSED,
    Cell,
    Quote,
    Row,
    SourceRef,
    build_comparison,
)
from space_frameworks.reports.render import JSON_FORMAT, render_comparison
from space_frameworks.reports.site import compare_data, rubric_html
from space_frameworks.reports.vocabulary import RELATIONS, STANCES
from space_frameworks.schema.dataset import load_dataset
from space_frameworks.schema.models import OFFICIAL_SOURCES, SourceKind, Stance

FIVE = ["ost", "us-eo-2020", "lux-2017", "artemis-accords", "russia"]


@pytest.fixture(scope="module")
def real():
    return load_dataset()


def _row(*stances: str) -> Row:
    cells = tuple(Cell(f"f{i}", "t", s, "x.", None, (), (), None) for i, s in enumerate(stances))
    return Row(topic="t", label="T", question="?", cells=cells)


# --- the kinds of difference -------------------------------------------------------------------


def test_the_two_frameworks_of_the_issue_are_counted_by_kind(real) -> None:
    """`compare ost us-eo-2020` said 'differ on 10', of which one was a conflict and seven a silence."""
    c = build_comparison(real, ["ost", "us-eo-2020"])
    assert dict(c.counts) == {OPPOSED: 1, DEGREE: 1, ONE_SILENT: 7, "agree": 0, ALL_SILENT: 6, NOT_COMPARABLE: 0}
    assert c.agreement() == (
        "opposed on 1 · differ in degree on 1 · one side silent on 7 · agree on 0 · both silent on 6 · not comparable on 0 (of 15 topics)"
    )
    by_topic = {row.topic: row.relation for row in c.rows}
    assert by_topic["global-commons"] == OPPOSED  # OST Art. I against EO Sec. 1
    assert by_topic["non-appropriation"] == ONE_SILENT  # the EO does not address it: not a departure
    assert by_topic["resource-ownership"] == DEGREE  # disputed against conditional


def test_every_headline_format_gives_each_count(real) -> None:
    c = build_comparison(real, FIVE)
    words = [f"{words} on {n}" for n, words in c.headline()]
    assert len(words) == len(RELATIONS) == 6
    for output_format in ("table", "markdown", "html"):
        text = render_comparison(c, output_format, width=200)
        for phrase in words:
            assert phrase in text, (output_format, phrase)
    data = json.loads(render_comparison(c, "json"))
    assert data["format"] == JSON_FORMAT == "frameworks.comparison/3"
    assert list(data["summary"]["counts"]) == list(HEADLINE_ORDER)
    assert sum(data["summary"]["counts"].values()) == 15
    rows = list(csv.DictReader(io.StringIO(render_comparison(c, "csv"))))
    assert {r["relation"] for r in rows} <= set(HEADLINE_ORDER)
    assert {r["support"] for r in rows} <= {
        "official text",
        "official statement",
        "secondary reproduction",
        "press report",
        "nothing cited",
    }
    site = compare_data(real, build_comparison(real, list(real.records)))
    assert site["order"] == list(HEADLINE_ORDER) and set(site["relations"]) == set(HEADLINE_ORDER)
    brief = pdf.headline(c)
    assert [words for _, words in brief] == [r.say(5) for r in RELATIONS]


def test_a_one_side_silent_topic_is_never_worded_as_a_departure() -> None:
    names = {"f0": "OST", "f1": "EO", "f2": "Lux"}
    assert pdf.verdict(_row("affirms", "silent"), names) == "OST affirms; EO does not address it (silence is not a departure)."
    assert pdf.verdict(_row("affirms", "silent", "silent"), names) == (
        "OST affirms; EO and Lux do not address it (silence is not a departure)."
    )
    assert pdf.verdict(_row("affirms", "denies"), names).startswith("Opposed — ")
    assert pdf.verdict(_row("affirms", "conditional"), names).startswith("Differ in degree — ")


def test_page_one_takes_opposed_first_then_degree_then_one_side_silent(real) -> None:
    c = build_comparison(real, ["ost", "us-eo-2020"])
    keys = pdf.key_differences(c)
    assert [row.relation for row in keys] == [OPPOSED, DEGREE, ONE_SILENT, ONE_SILENT, ONE_SILENT]


def test_differences_and_relation_filters_from_the_command_line() -> None:
    differences = cli("compare", "ost", "us-eo-2020", "--differences", "--format", "json").output
    assert {t["relation"] for t in json.loads(differences)["topics"]} <= {OPPOSED, DEGREE, ONE_SILENT}
    opposed = json.loads(cli("compare", "ost", "us-eo-2020", "--relation", "opposed", "--format", "json").output)
    assert [t["id"] for t in opposed["topics"]] == ["global-commons"] and opposed["summary"]["shown"] == [OPPOSED]
    bad = cli("compare", "ost", "us-eo-2020", "--relation", "differ")
    assert bad.exit_code == 2 and "unknown relation 'differ'" in bad.stderr


# --- one vocabulary ----------------------------------------------------------------------------


def test_the_vocabulary_is_the_one_place_of_words_and_colours() -> None:
    from pathlib import Path

    reports = Path(pdf.__file__).parent
    for css in (reports / "templates" / "brief.css", reports / "templates" / "site" / "site.css"):
        assert not re.search(r"\.s-(affirms|denies|conditional)\s*\{", css.read_text(encoding="utf-8")), css
    js = (reports / "templates" / "site" / "compare.js").read_text(encoding="utf-8")
    assert "both silent" not in js and "differ in degree" not in js  # words come from compare.json
    assert {s.stance for s in STANCES} >= {s.value for s in Stance if s != Stance.not_known} | {"not-known"}


# --- the records, read against the rubric -------------------------------------------------------


def test_every_record_says_how_much_of_its_text_is_held(real) -> None:
    for record in real.records.values():
        assert record.text_held is not None, record.id
        if record.text_held.extent.value == "partial":
            assert record.text_held.held and record.text_held.missing, record.id


def test_every_not_known_position_names_what_is_not_held(real) -> None:
    for record in real.records.values():
        for position in record.positions:
            if position.stance == Stance.not_known:
                assert position.not_held, (record.id, position.topic)


def test_denies_rests_on_the_framework_s_own_words(real) -> None:
    official = {k.value for k in OFFICIAL_SOURCES}
    for record in real.records.values():
        provisions = {p.id: p for p in record.provisions}
        kinds = {s.id: s.kind.value for s in record.sources}
        for position in record.positions:
            if position.stance != Stance.denies:
                continue
            own = [p for p in position.provisions if provisions[p].quote_basis.value == "official"]
            assert own or any(kinds[s] in official for s in position.sources), (record.id, position.topic)


def test_the_cases_the_issue_found_are_decided_by_the_rubric(real) -> None:
    stance = {(r.id, p.topic): p.stance.value for r in real.records.values() for p in r.positions}
    # A right granted under authorisation is one stance everywhere.
    assert {stance[(r, "resource-ownership")] for r in ("lux-2017", "us-cslca-2015", "japan-2021")} == {"conditional"}
    # "denies" needs express rejection; critics' readings decide nothing; missing passages are named.
    assert stance[("artemis-accords", "international-forum")] == "not-known"
    assert "10(4)" in next(p.not_held for p in real.records["artemis-accords"].positions if p.topic == "international-forum")
    assert stance[("us-eo-2020", "international-forum")] == "silent"
    assert stance[("russia", "moon-agreement")] == "not-known"
    assert stance[("russia", "global-commons")] == "not-known" and stance[("russia", "authorization-supervision")] == "not-known"
    # A kept regime is not silence; "disputed" on two cited readings.
    assert stance[("moon-agreement", "liability")] == "affirms"
    assert stance[("ost", "resource-ownership")] == "disputed"
    ost = next(p for p in real.records["ost"].positions if p.topic == "resource-ownership")
    assert len(ost.provisions) + len(ost.excerpts) >= 2
    # The Moon Agreement's gist no longer says the opposite of its stance; its ownership summary keeps to Art. 11(3).
    ma = {p.topic: p for p in real.records["moon-agreement"].positions}
    assert not ma["safety-zones"].gist.lower().startswith("no ")
    assert "No right to own extracted resources" not in ma["resource-ownership"].summary


def test_sources_fit_for_a_legal_reader(real) -> None:
    for record in real.records.values():
        kinds = {s.id: s.kind for s in record.sources}
        assert all(kinds[v] != SourceKind.reference_work for v in record.verified_against), record.id
        assert not any(re.search(r"\bunnamed\b", s.publisher, re.I) for s in record.sources), record.id


def test_a_cell_says_what_it_rests_on() -> None:
    official = Quote(ref="art_2", label="Article II", text="x", secondary=False)
    press = Quote(ref="article/excerpt", label="The Times, 2020", text="x", secondary=True)
    statement = SourceRef("s", "t", "p", "official-statement", None, None, None)
    cell = Cell("f", "t", "affirms", "x", None, (official, press), (), None)
    assert cell.support == "official text"
    assert Cell("f", "t", "affirms", "x", None, (press,), (statement,), None).support == "official statement"
    assert Cell("f", "t", "affirms", "x", None, (press,), (), None).support == "press report"
    assert Cell("f", "t", "silent", "x", None, (), (), None).support == "nothing cited"
    not_known = Cell("f", "t", "not-known", "x", None, (), (), None, not_held="Sec. 10(4)")
    assert not_known.why_not_known == "Not held: Sec. 10(4)"


def test_the_rubric_is_on_the_site_s_method_page() -> None:
    html = str(rubric_html())
    assert "<h2>The stance rubric</h2>" in html and "<table>" in html
    assert "<h1>" not in html  # one level under the page's own title
