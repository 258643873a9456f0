"""Every command through the real CLI, on the real records and on the fixture records."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from conftest import FIXTURES

FIVE = ["ost", "us-eo-2020", "lux-2017", "artemis-accords", "russia"]


def test_list_shows_the_five_frameworks_of_the_card(run) -> None:
    result = run("list")
    assert result.exit_code == 0, result.output
    for record_id in FIVE:
        assert record_id in result.output


def test_list_json_has_one_entry_per_record_file(run) -> None:
    result = run("list", "--format", "json")
    rows = json.loads(result.output)
    files = sorted(p.stem for p in (Path(__file__).parents[1] / "frameworks").glob("*.yaml"))
    assert sorted(row["id"] for row in rows) == files


def test_topics_lists_the_vocabulary(run) -> None:
    result = run("topics", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert result.exit_code == 0
    assert [r["id"] for r in rows][:2] == ["resource-ownership", "non-appropriation"]
    assert all(r["question"].endswith("?") for r in rows)


@pytest.mark.parametrize("columns", [80, 100, 160])
def test_compare_fits_the_terminal_width(run, columns: int) -> None:
    result = run("compare", "ost", "us-eo-2020", columns=columns)
    assert result.exit_code == 0, result.output
    widest = max(len(line) for line in result.output.splitlines())
    assert widest <= columns, f"a line of {widest} columns in a {columns}-column terminal"
    assert "Outer Space Treaty" in result.output
    assert "Ownership of" in result.output


def test_compare_accepts_aliases_and_names_each_framework_once(run) -> None:
    by_alias = run("compare", "outer-space-treaty", "eo-13914", "--format", "json")
    by_id = run("compare", "ost", "us-eo-2020", "--format", "json")
    assert json.loads(by_alias.output) == json.loads(by_id.output)
    twice = json.loads(run("compare", "ost", "ost", "--format", "json").output)
    assert [f["id"] for f in twice["frameworks"]] == ["ost"]


def test_unknown_framework_exits_2_with_suggestions(run) -> None:
    result = run("compare", "ots", "us-eo-2020")
    assert result.exit_code == 2
    assert "unknown framework 'ots'" in result.output
    assert "did you mean" in result.output and "ost" in result.output
    assert "Traceback" not in result.output


def test_unknown_topic_and_bad_date_are_usage_errors(run) -> None:
    topic = run("compare", "ost", "us-eo-2020", "--topic", "resource-ownershp")
    assert topic.exit_code == 2 and "did you mean resource-ownership" in topic.output
    date = run("compare", "ost", "us-eo-2020", "--as-of", "2020-02-30")
    assert date.exit_code == 2 and "--as-of" in date.output


def test_show_prints_status_positions_sources_and_verification(run) -> None:
    result = run("show", "eo-13914")
    assert result.exit_code == 0, result.output
    for heading in ("STATUS", "POSITIONS", "SOURCES", "Last verified:"):
        assert heading in result.output
    assert "Executive Order" in result.output


def test_show_json_is_the_record(run) -> None:
    data = json.loads(run("show", "ost", "--format", "json").output)
    assert data["id"] == "ost" and data["kind"] == "treaty"


def test_output_file_is_written_and_directory_refused(run, tmp_path: Path) -> None:
    target = tmp_path / "table.md"
    result = run("compare", "ost", "us-eo-2020", "--format", "markdown", "-o", str(target))
    assert result.exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("## Outer Space Treaty")
    refused = run("compare", "ost", "us-eo-2020", "-o", str(tmp_path))
    assert refused.exit_code == 2 and "cannot write" in refused.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["table.md"]  # nothing half-written left


def test_validate_passes_on_the_records(run) -> None:
    result = run("validate")
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("0 errors")


def test_validate_names_file_and_line_of_a_field_typo(run, fixture_root: Path) -> None:
    path = fixture_root / "frameworks" / "alpha.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "    stance: affirms\n    summary: No national", "    stnace: affirms\n    summary: No national"
    )
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index("    stnace: affirms") + 1
    result = run("--root", str(fixture_root), "validate")
    assert result.exit_code == 1
    assert f"alpha.yaml:{line}:" in result.output
    assert "positions.1.stnace: unknown field 'stnace' (did you mean 'stance'?)" in result.output


def test_root_option_and_environment_variable_select_the_records(run, fixture_root: Path) -> None:
    by_option = run("--root", str(fixture_root), "list", "--format", "json")
    by_env = run("list", "--format", "json", env={"FRAMEWORKS_ROOT": str(fixture_root)})
    assert [r["id"] for r in json.loads(by_option.output)] == ["alpha", "beta"]
    assert by_env.output == by_option.output


def test_commands_refuse_invalid_records_with_a_pointer_to_validate(run, fixture_root: Path) -> None:
    path = fixture_root / "frameworks" / "beta.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("kind: national-position", "kind: opinion"), encoding="utf-8")
    result = run("--root", str(fixture_root), "compare", "alpha", "beta")
    assert result.exit_code == 1
    assert "beta.yaml:5:7: kind:" in result.output and "frameworks validate" in result.output


def test_timeline_merges_events_in_date_order(run) -> None:
    rows = json.loads(run("--root", str(FIXTURES), "timeline", "--format", "json").output)
    assert [r["date"] for r in rows] == ["10 Jan 2000", "Jun 2001", "4 Mar 2002", "2 Jan 2020"]
    as_of = json.loads(run("--root", str(FIXTURES), "timeline", "alpha", "--as-of", "2001-06-15", "--format", "json").output)
    assert [r["event"] for r in as_of] == ["adopted"]  # "2001-06" is not certain before the month ends


def test_signatories_as_of(run) -> None:
    before = json.loads(run("--root", str(FIXTURES), "signatories", "alpha", "--as-of", "2002-03-03", "--format", "json").output)
    after = json.loads(run("--root", str(FIXTURES), "signatories", "alpha", "--as-of", "2002-03-04", "--format", "json").output)
    assert before == [] and [r["party"] for r in after] == ["Ruritania"]


def test_export_round_trips_every_record(run, tmp_path: Path) -> None:
    target = tmp_path / "all.json"
    assert run("export", "--format", "json", "-o", str(target)).exit_code == 0
    data = json.loads(target.read_text(encoding="utf-8"))
    assert {f["id"] for f in data["frameworks"]} >= set(FIVE)
    rows = list(csv.DictReader(io.StringIO(run("export", "--format", "csv").output)))
    assert len(rows) == len(data["frameworks"]) * len(data["topics"])
