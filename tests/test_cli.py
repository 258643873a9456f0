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
    assert refused.exit_code == 2 and refused.stderr == f"frameworks: cannot write {tmp_path}: it is a folder; give a regular file\n"
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
    assert "positions[non-appropriation].stnace: unknown field 'stnace' (did you mean 'stance'?)" in result.output


def test_root_option_and_environment_variable_select_the_records(run, fixture_root: Path) -> None:
    by_option = run("--root", str(fixture_root), "list", "--format", "json")
    by_env = run("list", "--format", "json", env={"FRAMEWORKS_ROOT": str(fixture_root)})
    assert [r["id"] for r in json.loads(by_option.output)] == ["alpha", "beta"]
    assert by_env.output == by_option.output


def test_an_invalid_record_is_left_out_with_one_line_and_its_neighbours_still_compare(run, fixture_root: Path) -> None:
    path = fixture_root / "frameworks" / "beta.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("kind: national-position", "kind: opinion"), encoding="utf-8")
    shown = str(path)
    left_out = f"frameworks: {shown} left out: 1 problem; run frameworks validate {shown}"
    listed = run("--root", str(fixture_root), "list", "--format", "json")
    assert listed.exit_code == 0 and [r["id"] for r in json.loads(listed.stdout)] == ["alpha"]
    assert listed.stderr.splitlines() == [left_out]
    asked = run("--root", str(fixture_root), "compare", "alpha", "beta")
    assert asked.exit_code == 1  # a requested id is itself invalid
    assert asked.stderr.splitlines() == [left_out, f"frameworks: 'beta' is left out as invalid: fix {shown} first"]
    assert "beta.yaml:5:7: kind:" in run("--root", str(fixture_root), "validate").stdout


def test_a_record_citing_a_provision_it_lacks_is_left_out_of_compare(run, fixture_root: Path) -> None:
    path = fixture_root / "frameworks" / "alpha.yaml"
    text = path.read_text(encoding="utf-8")
    assert "provisions: [art_1]" in text
    path.write_text(text.replace("provisions: [art_1]", "provisions: [art_999]", 1), encoding="utf-8")
    assert run("--root", str(fixture_root), "validate").exit_code == 1
    result = run("--root", str(fixture_root), "compare", "alpha", "beta")
    assert result.exit_code == 1 and "alpha.yaml left out: 1 problem" in result.stderr
    assert run("--root", str(fixture_root), "show", "beta").exit_code == 0


def test_a_fresh_draft_does_not_stop_the_other_commands(run, fixture_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(fixture_root)
    assert run("--root", str(fixture_root), "new", "test-law", "--kind", "statute").exit_code == 0
    result = run("--root", str(fixture_root), "compare", "alpha", "beta", "--format", "json")
    assert result.exit_code == 0
    [line] = result.stderr.splitlines()
    assert line.startswith("frameworks: frameworks/test-law.yaml left out: ")
    assert line.endswith(" problems; run frameworks validate frameworks/test-law.yaml")


def test_version(run) -> None:
    from space_frameworks import __version__

    result = run("--version")
    assert result.exit_code == 0 and result.stdout == f"frameworks {__version__}\n"


@pytest.mark.parametrize(
    ("name", "starts"),
    [("cmp.html", "<!DOCTYPE html>"), ("cmp.json", "{"), ("cmp.csv", "framework,topic,"), ("cmp.md", "## "), ("cmp.txt", "Outer Space")],
)
def test_the_output_file_extension_picks_the_format(run, tmp_path: Path, name: str, starts: str) -> None:
    target = tmp_path / name
    assert run("compare", "ost", "us-eo-2020", "-o", str(target)).exit_code == 0
    assert target.read_text(encoding="utf-8").startswith(starts)


def test_export_to_a_csv_file_writes_csv(run, tmp_path: Path) -> None:
    target = tmp_path / "ds.csv"
    assert run("export", "-o", str(target)).exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("framework,topic,")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["compare", "ost", "--format", "json", "-o", "x.csv"], "--format json contradicts x.csv (a .csv file is csv)"),
        (["compare", "ost", "--format", "pdf"], "--format pdf: PDF is written by: frameworks brief ID ID -o FILE.pdf"),
        (["compare", "ost", "-o", "x.pdf"], "x.pdf: PDF is written by: frameworks brief"),
        (["compare", "ost", "--format", "jsno"], "--format 'jsno': unknown format; did you mean json?"),
        (["export", "-o", "x.md"], "x.md: this command cannot write markdown"),
        (["brief", "ost", "us-eo-2020", "-o", "brief.html"], "brief.html: brief and pack write PDF: name the file .pdf"),
        (["brief", "ost", "us-eo-2020", "-o", "brief.docx"], "brief.docx: brief and pack write PDF: name the file .pdf"),
        (["pack", "-o", "pack"], "pack: brief and pack write PDF: name the file .pdf"),
        (["compare", "ost", "--as-of", "2020-02-30"], "--as-of '2020-02-30': 2020-02-30 is not a real date"),
        (["compare", "ost", "--as-of", "2020/02/03"], "--as-of '2020/02/03': give a date as YYYY-MM-DD"),
    ],
)
def test_usage_mistakes_are_one_line_and_exit_2(
    run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run(*args)
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith(f"frameworks: {message}")
    assert list(tmp_path.iterdir()) == []


def test_help_reads_like_a_person_wrote_it(run) -> None:
    main = run("--help").stdout
    assert main.index("Analysis commands:") < main.index("compare") < main.index("Contributing commands:") < main.index("validate")
    for command in ("list", "topics", "show", "compare", "timeline", "signatories", "export", "brief", "pack", "validate", "schema", "new"):
        text = run(command, "--help").stdout
        assert "<" not in text and "list[" not in text, command
        assert f"Example: frameworks {command}" in " ".join(text.split()), command
    assert "--as-of DATE" in run("compare", "--help").stdout and "--topic TOPIC" in run("compare", "--help").stdout


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


def test_new_redirected_to_a_file_writes_the_template_there(tmp_path: Path, fixture_root: Path) -> None:
    """The README's `frameworks new my-id --kind statute > frameworks/my-id.yaml`: stdout is the file."""
    import subprocess
    import sys

    target = fixture_root / "frameworks" / "my-id.yaml"
    script = Path(sys.executable).with_name("frameworks")
    env = {"PATH": "/usr/bin:/bin", "FRAMEWORKS_ROOT": str(fixture_root), "FRAMEWORKS_NO_CACHE": "1", "HOME": str(tmp_path)}
    with target.open("w", encoding="utf-8") as handle:
        result = subprocess.run(
            [str(script), "new", "my-id", "--kind", "statute"], stdout=handle, stderr=subprocess.PIPE, env=env, cwd=fixture_root
        )
    assert result.returncode == 0, result.stderr
    assert target.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=")
    # Where stdout went is not the tool's to know: it names no file it did not write.
    assert b"no file written" in result.stderr and b"my-id.yaml" not in result.stderr


def test_new_with_output_dash_prints_the_template(run, fixture_root: Path) -> None:
    result = run("--root", str(fixture_root), "new", "my-id", "--kind", "statute", "-o", "-")
    assert result.exit_code == 0 and result.stdout.startswith("# yaml-language-server: $schema=")
    assert not (fixture_root / "frameworks" / "my-id.yaml").exists()


def test_a_left_out_line_shows_control_characters_of_a_file_name_escaped(run, fixture_root: Path) -> None:
    (fixture_root / "frameworks" / "evil\x1b]0;x\x07.yaml").write_text("id: evil\n", encoding="utf-8")
    result = run("--root", str(fixture_root), "list")
    assert result.exit_code == 0
    [line] = result.stderr.splitlines()
    assert "\x1b" not in line and "\x07" not in line and "evil\\x1b]0;x\\x07.yaml left out:" in line
