"""Positions through time: readings picked by --as-of, `history`, `diff` and `--since`.

Dated readings and their validation, on fixtures and on the real Russia record (issue 22)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from conftest import cli
from space_frameworks.schema.models import Position
from space_frameworks.schema.readings import no_reading_summary, reading_on

D = dt.date.fromisoformat


def position(**fields: Any) -> Position:
    return Position.model_validate({"topic": "resource-ownership", "stance": "affirms", "summary": "Now.", **fields})


# --- which reading holds on a date --------------------------------------------------------------


def test_an_undated_position_holds_whatever_the_date() -> None:
    p = position()
    assert reading_on(p, D("1900-01-01")).summary == "Now."
    assert reading_on(p, None).current


def test_a_reading_holds_from_the_day_it_takes_effect_and_the_one_before_ends_that_day() -> None:
    p = position(since="2020-04-07", earlier=[{"from": "2019-03-06", "stance": "conditional", "summary": "Then."}])
    assert reading_on(p, D("2020-04-06")).summary == "Then."
    assert reading_on(p, D("2020-04-07")).summary == "Now."
    assert reading_on(p, D("2019-03-06")).summary == "Then."
    assert reading_on(p, D("2019-03-05")) is None  # before the first reading: nothing is shown for it


def test_the_current_reading_is_open_ended() -> None:
    p = position(since="2020-04-07")
    assert reading_on(p, D("2999-12-31")).current
    assert reading_on(p, D("2999-12-31")).end is None


def test_a_partial_date_counts_once_its_whole_period_has_passed() -> None:
    p = position(since="2020-05", earlier=[{"from": "2019", "stance": "denies", "summary": "Then."}])
    assert reading_on(p, D("2019-12-31")).summary == "Then."
    assert reading_on(p, D("2019-06-30")) is None  # '2019' is certain only from 31 Dec 2019
    assert reading_on(p, D("2020-05-15")).summary == "Then."
    assert reading_on(p, D("2020-06-01")).summary == "Now."


def test_a_gap_between_readings_shows_no_reading_and_says_so() -> None:
    p = position(since="2021-01-01", earlier=[{"from": "2020-01-01", "until": "2020-06-01", "stance": "denies", "summary": "Then."}])
    assert reading_on(p, D("2020-05-31")).summary == "Then."
    assert reading_on(p, D("2020-06-01")) is None
    assert reading_on(p, D("2020-12-31")) is None
    assert no_reading_summary(p, D("2020-09-01")) == "No reading is recorded between 1 Jun 2020 and 1 Jan 2021."
    assert no_reading_summary(p, D("2019-09-01")) == "No statement on this topic is recorded before 1 Jan 2020."
    assert reading_on(p, D("2021-01-01")).current


def test_earlier_readings_are_taken_in_date_order_whatever_order_they_are_written_in() -> None:
    p = position(
        since="2022-01-01",
        earlier=[
            {"from": "2021-01-01", "stance": "denies", "summary": "Second."},
            {"from": "2020-01-01", "stance": "conditional", "summary": "First."},
        ],
    )
    assert reading_on(p, D("2020-12-31")).summary == "First."
    assert reading_on(p, D("2021-06-01")).summary == "Second."


# --- fixture records with a history ------------------------------------------------------------

BETA_HISTORY = """
    since: 2021-03-01
    earlier:
      - from: 2020-01-02
        stance: affirms
        gist: Accepted ownership rules at first
        summary: At first accepted national ownership rules.
        sources: [daily-news]
"""


def give_beta_a_history(root: Path, text: str = BETA_HISTORY) -> Path:
    """beta's resource-ownership: 'affirms' from 2 Jan 2020, 'disputed' from 1 Mar 2021 (a second report)."""
    path = root / "frameworks" / "beta.yaml"
    source = path.read_text(encoding="utf-8")
    source = source.replace(
        "    sources: [daily-news]\n  - topic: non-appropriation",
        "    sources: [daily-news-2021]" + text.rstrip() + "\n  - topic: non-appropriation",
        1,
    )
    source = source.replace(
        "positions:\n",
        "  - date: 2021-03-01\n    event: statement\n    description: The minister rejects unilateral ownership rules.\n"
        "    sources: [daily-news-2021]\npositions:\n",
        1,
    )
    source = source.replace(
        "last_verified:",
        "  - id: daily-news-2021\n    title: A later fixture report\n    publisher: Daily News\n    kind: press\n"
        "    date: 2021-03-01\nlast_verified:",
        1,
    )
    path.write_text(source, encoding="utf-8")
    return path


def test_compare_as_of_picks_the_reading_in_force_on_either_side_of_the_day_it_took_effect(fixture_root: Path) -> None:
    give_beta_a_history(fixture_root)
    assert cli("validate", "--draft", root=fixture_root).exit_code == 0  # the fixtures are drafts (topics left out)

    def stance(day: str | None) -> dict[str, Any]:
        args = ["--root", str(fixture_root), "compare", "beta", "-t", "resource-ownership", "--format", "json"]
        result = cli(*args, *(["--as-of", day] if day else []))
        assert result.exit_code == 0, result.output
        return json.loads(result.output)["topics"][0]["cells"][0]

    assert stance("2021-02-28")["stance"] == "affirms"
    assert stance("2021-02-28")["since"] == "2020-01-02"
    assert stance("2021-03-01")["stance"] == "disputed"
    assert stance("2021-03-01")["before"] == "affirms"
    assert stance(None)["stance"] == "disputed"


def test_show_and_export_as_of_hold_nothing_said_later(fixture_root: Path) -> None:
    give_beta_a_history(fixture_root)
    shown = cli("show", "beta", "--as-of", "2020-06-01", "--format", "json", root=fixture_root)
    record = json.loads(shown.output)
    assert record["positions"][0]["stance"] == "affirms"
    assert [e["date"] for e in record["status"]] == ["2020-01-02"]
    exported = json.loads(cli("export", "--as-of", "2020-06-01", root=fixture_root).output)
    assert exported["as_of"] == "2020-06-01"
    beta = next(r for r in exported["frameworks"] if r["id"] == "beta")
    assert beta["positions"][0]["summary"] == "At first accepted national ownership rules."
    assert "daily-news-2021" not in json.dumps(beta["positions"])


def test_history_lists_each_reading_in_every_format(fixture_root: Path) -> None:
    give_beta_a_history(fixture_root)
    base = ("--root", str(fixture_root), "history", "beta", "--topic", "resource-ownership")
    rows = json.loads(cli(*base, "--format", "json").output)
    assert [(r["from"], r["until"], r["stance"]) for r in rows] == [
        ("2 Jan 2020", "1 Mar 2021", "affirms"),
        ("1 Mar 2021", "current", "disputed"),
    ]
    assert rows[0]["rests_on"] == "daily-news"
    for output_format in ("table", "markdown", "csv", "html"):
        result = cli(*base, "--format", output_format)
        assert result.exit_code == 0 and "1 Mar 2021" in result.output, output_format
    assert cli("history", "beta", "--topic", "no-such-topic", root=fixture_root).exit_code == 2


# --- validation of bad readings ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("history", "message"),
    [
        (
            "\n    earlier:\n      - {from: 2020-01-02, stance: affirms, summary: Then., sources: [daily-news]}\n",
            "earlier readings need `since`",
        ),
        (
            "\n    since: 2021-03-01\n    earlier:\n      - {from: 2021-03-01, stance: affirms, summary: Then., sources: [daily-news]}\n",
            "readings must be in date order",
        ),
        (
            "\n    since: 2021-03-01\n    earlier:\n      - {from: 2020-01-02, until: 2021-06-01, stance: affirms, summary: Then., sources: [daily-news]}\n",
            "readings overlap",
        ),
        (
            "\n    since: 2021-03-01\n    earlier:\n      - {from: 2020-01-02, until: 2019-01-01, stance: affirms, summary: Then., sources: [daily-news]}\n",
            "a reading must end after it begins",
        ),
        (
            "\n    since: 2021-03-01\n    earlier:\n      - {from: 2020-01-02, stance: affirms, summary: Then., sources: [daily-news-2021]}\n",
            "rests on 'daily-news-2021' of 2021-03-01, later than the date this reading took effect (2020-01-02)",
        ),
        (
            "\n    since: 2021-03-01\n    earlier:\n      - {from: 2020-05-05, stance: affirms, summary: Then., sources: [daily-news]}\n",
            "2020-05-05 is not the date of a status event of this record or of a source or excerpt this reading cites",
        ),
        ("\n    since: 2021-02-01\n", "rests on 'daily-news-2021' of 2021-03-01"),
        ("\n    since: 2021-03-01\n    earlier:\n      - {from: 2020-01-02, stance: maybe, summary: Then.}\n", "stance"),
        ("\n    since: 2021-03-01\n    earlier:\n      - {from: 2020-01-02, stance: affirms, summary: Then., start: x}\n", "start"),
        ("\n    since: 2021-03-01\n    earlier:\n      - {from: '2020-13', stance: affirms, summary: Then.}\n", "from"),
        # The stance rubric holds for an earlier reading as for the current one.
        (
            "\n    since: 2021-03-01\n    earlier:\n      - {from: 2020-01-02, stance: denies, summary: Then., sources: [daily-news]}\n",
            "'denies' needs the framework's own words",
        ),
        (
            "\n    since: 2021-03-01\n    earlier:\n      - {from: 2020-01-02, stance: affirms, summary: Not at all., sources: [daily-news]}\n",
            "which contradicts the stance 'affirms'",
        ),
    ],
)
def test_a_bad_reading_is_one_line_naming_file_line_and_field(fixture_root: Path, history: str, message: str) -> None:
    path = give_beta_a_history(fixture_root, history)
    result = cli("validate", str(path), root=fixture_root)
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if message in line]
    assert errors, result.output
    assert errors[0].startswith(f"{path}:") or "beta.yaml:" in errors[0]
    assert "positions[resource-ownership]" in errors[0] or "positions.0" in errors[0]


# --- what changed ------------------------------------------------------------------------------


def test_diff_of_two_exports_names_the_stance_the_readings_and_the_sources(fixture_root: Path, tmp_path: Path) -> None:
    before = tmp_path / "before.json"
    assert cli("export", "-o", str(before), root=fixture_root).exit_code == 0
    give_beta_a_history(fixture_root)
    (fixture_root / "frameworks" / "alpha.yaml").unlink()
    after = tmp_path / "after.json"
    assert cli("export", "-o", str(after), root=fixture_root).exit_code == 0
    data = json.loads(cli("diff", str(before), str(after), "--format", "json", root=fixture_root).output)
    kinds = {(c["framework"], c["topic"], c["kind"]) for c in data["changes"]}
    assert ("alpha", "", "framework removed") in kinds
    assert ("beta", "resource-ownership", "readings") in kinds
    assert ("beta", "", "source") in kinds
    assert ("beta", "", "status") in kinds
    assert ("beta", "resource-ownership", "stance") not in kinds  # the current reading did not change
    markdown = cli("diff", str(before), str(after), "--format", "markdown", root=fixture_root).output
    assert "### `beta`" in markdown and "framework removed" in markdown
    text = cli("diff", str(before), "--format", "table", root=fixture_root).output  # NEW: the records in use
    assert "readings: undated (one reading) -> 2020-01-02, 2021-03-01" in text


def test_diff_of_two_git_revisions_and_a_bad_one(fixture_root: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")

    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-C", str(fixture_root), "-c", "user.name=t", "-c", "user.email=t@t.invalid", *args], check=True, capture_output=True
        )

    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "one")
    path = fixture_root / "frameworks" / "beta.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("stance: disputed", "stance: denies", 1), encoding="utf-8")
    git("commit", "-qam", "two")
    data = json.loads(cli("diff", "HEAD~1", "HEAD", "--format", "json", root=fixture_root).output)
    assert {"framework": "beta", "topic": "resource-ownership", "kind": "stance", "old": "disputed", "new": "denies", "date": ""} in data[
        "changes"
    ]
    bad = cli("diff", "no-such-revision", root=fixture_root)
    assert bad.exit_code == 2  # an edition that cannot be read is a usage mistake
    assert "neither an export file nor a git revision" in bad.output


def test_since_a_date_lists_the_readings_and_events_after_it(fixture_root: Path) -> None:
    from space_frameworks.reports.diff import changes_in_history
    from space_frameworks.schema.dataset import load_dataset

    give_beta_a_history(fixture_root)
    dataset = load_dataset(fixture_root)
    changes = changes_in_history([dataset.records["beta"]], D("2021-01-01"))
    assert [(c.date, c.kind) for c in changes.changes] == [
        ("2021-03-01", "event"),
        ("2021-03-01", "reading"),
    ]  # the statement, then the reading it moved
    assert (
        changes.changes[1].words()
        == "new reading (affirms -> disputed): Rejects unilateral ownership rules <script>alert(1)</script> & more."
    )
    assert changes_in_history([dataset.records["beta"]], D("2021-03-01")).changes == ()


# --- the real records: Russia ------------------------------------------------------------------


def test_russia_in_mid_2019_rests_on_nothing_said_after_mid_2019() -> None:
    data = json.loads(cli("compare", "russia", "ost", "--as-of", "2019-06-01", "--format", "json").output)
    russia = [row["cells"][0] for row in data["topics"]]
    cited = [s["date"] for cell in russia for s in cell["sources"] if s["date"]]
    cited += [q["label"] for cell in russia for q in cell["quotes"] if "/" in q["ref"]]
    assert cited and not any(("2020" in c or "2021" in c or "2024" in c) for c in cited), cited
    ownership = next(row["cells"][0] for row in data["topics"] if row["id"] == "resource-ownership")
    assert ownership["stance"] == "not-known" and ownership["since"] == "2019-03"  # no statement on the right itself (docs/rubric.md)
    assert "Golikova" in ownership["summary"]
    appropriation = next(row["cells"][0] for row in data["topics"] if row["id"] == "non-appropriation")
    assert appropriation["stance"] == "not-known"
    assert appropriation["summary"] == "No statement on this topic is recorded before 7 Apr 2020."


def test_russia_at_the_end_of_2021_reads_the_fourth_committee_statement_and_not_the_ilrs_ratification() -> None:
    data = json.loads(cli("compare", "russia", "ost", "--as-of", "2021-12-31", "--format", "json").output)
    ownership = next(row["cells"][0] for row in data["topics"] if row["id"] == "resource-ownership")
    assert ownership["since"] == "2021-10-25"
    assert "fully applicable" in ownership["summary"]
    assert not any("2024" in q["label"] for q in ownership["quotes"])
    now = json.loads(cli("compare", "russia", "--format", "json").output)
    current = next(row["cells"][0] for row in now["topics"] if row["id"] == "resource-ownership")
    assert current["since"] == "2024-05-28"


def test_russia_history_places_the_statements_in_order() -> None:
    rows = json.loads(cli("history", "russia", "--topic", "resource-ownership", "--format", "json").output)
    assert [r["from"] for r in rows] == ["Mar 2019", "7 Apr 2020", "14 Dec 2020", "25 Oct 2021", "28 May 2024"]
    assert rows[-1]["until"] == "current"
    assert all(r["until"] == n["from"] for r, n in zip(rows, rows[1:], strict=False))


def test_the_site_shows_a_position_history_and_what_changed(fixture_root: Path, tmp_path: Path) -> None:
    from space_frameworks.reports.diff import changes_in_history
    from space_frameworks.reports.site import write_site
    from space_frameworks.schema.dataset import load_dataset
    from space_frameworks.schema.readings import dataset_as_of

    give_beta_a_history(fixture_root)
    dataset = load_dataset(fixture_root)
    write_site(dataset, tmp_path / "now", changes=changes_in_history(dataset.records.stream(), D("2021-01-01")))
    page = (tmp_path / "now" / "frameworks" / "beta" / "index.html").read_text(encoding="utf-8")
    assert "History: 2 readings" in page and "From 2 Jan 2020 until 1 Mar 2021" in page
    changed = (tmp_path / "now" / "changes" / "index.html").read_text(encoding="utf-8")
    assert "new reading (affirms -&gt; disputed)" in changed and "&lt;script&gt;" in changed and "<script>alert" not in changed
    then = dataset_as_of(load_dataset(fixture_root), D("2020-06-01"))
    write_site(then, tmp_path / "then", day=D("2020-06-01"))
    page = (tmp_path / "then" / "frameworks" / "beta" / "index.html").read_text(encoding="utf-8")
    assert "At first accepted national ownership rules." in page and "Rejects unilateral ownership rules" not in page


def test_the_brief_says_since_when_a_reading_changed_within_the_year() -> None:
    from space_frameworks.reports.comparison import Cell
    from space_frameworks.reports.pdf import since_line

    printed = dt.datetime(2022, 6, 1, tzinfo=dt.UTC)
    cell = Cell("russia", "resource-ownership", "conditional", "s", None, (), (), None, since="2021-10-25", before="conditional")
    assert since_line(cell, "2021-12-31", printed) == "Since 25 Oct 2021 (earlier: conditional)"
    assert since_line(cell, None, printed) == "Since 25 Oct 2021 (earlier: conditional)"
    assert since_line(cell, "2023-01-01", printed) == ""  # over a year before the as-of date
    first = Cell("russia", "heritage", "not-known", "s", None, (), (), None, since="2021-10-25", before=None)
    assert since_line(first, "2021-12-31", printed) == ""  # the first reading did not change anything


def test_diff_of_a_hostile_or_broken_export_is_one_line_or_escaped(fixture_root: Path, tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    cli("export", "-o", str(good), root=fixture_root)
    data = json.loads(good.read_text(encoding="utf-8"))
    data["frameworks"][0]["positions"][0]["summary"] = "\x1b]0;owned\x07 changed"
    hostile = tmp_path / "hostile.json"
    hostile.write_text(json.dumps(data), encoding="utf-8")
    text = cli("diff", str(good), str(hostile), root=fixture_root).output
    assert "\x1b" not in text and "\\x1b" in text
    broken = tmp_path / "broken.json"
    broken.write_bytes(b"\xff\xfe not json")
    result = cli("diff", str(broken), str(good), root=fixture_root)
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1  # an unreadable edition is a usage mistake
    other = tmp_path / "other.json"
    other.write_text('{"format": "something else"}', encoding="utf-8")
    assert "not a 'frameworks.dataset/1' export" in cli("diff", str(other), str(good), root=fixture_root).output
