"""The command line as a whole: --help, --version, --root, usage mistakes, invalid records left out.

A usage mistake is one line, exit 2 and nothing written; a record that fails validation is left out with
one line while the others still work. Each command has its own file (test_compare.py, test_validate.py, ...)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import cli


def test_root_option_and_environment_variable_select_the_records(fixture_root: Path) -> None:
    by_option = cli("list", "--format", "json", root=fixture_root)
    by_env = cli("list", "--format", "json", env={"FRAMEWORKS_ROOT": str(fixture_root)})
    assert [r["id"] for r in json.loads(by_option.output)] == ["alpha", "beta"]
    assert by_env.output == by_option.output


def test_an_invalid_record_is_left_out_with_one_line_and_its_neighbours_still_compare(fixture_root: Path) -> None:
    path = fixture_root / "frameworks" / "beta.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("kind: national-position", "kind: opinion"), encoding="utf-8")
    shown = str(path)
    left_out = f"frameworks: {shown} left out: 1 problem; run frameworks validate {shown}"
    listed = cli("list", "--format", "json", root=fixture_root)
    assert listed.exit_code == 0 and [r["id"] for r in json.loads(listed.stdout)] == ["alpha"]
    assert listed.stderr.splitlines() == [left_out]
    asked = cli("compare", "alpha", "beta", root=fixture_root)
    assert asked.exit_code == 1  # a requested id is itself invalid
    assert asked.stderr.splitlines() == [left_out, f"frameworks: 'beta' is left out as invalid: fix {shown} first"]
    assert "beta.yaml:5:7: kind:" in cli("validate", root=fixture_root).stdout


def test_a_record_citing_a_provision_it_lacks_is_left_out_of_compare(fixture_root: Path) -> None:
    path = fixture_root / "frameworks" / "alpha.yaml"
    text = path.read_text(encoding="utf-8")
    assert "provisions: [art_1]" in text
    path.write_text(text.replace("provisions: [art_1]", "provisions: [art_999]", 1), encoding="utf-8")
    assert cli("validate", root=fixture_root).exit_code == 1
    result = cli("compare", "alpha", "beta", root=fixture_root)
    assert result.exit_code == 1 and "alpha.yaml left out: 1 problem" in result.stderr
    assert cli("show", "beta", root=fixture_root).exit_code == 0


def test_a_fresh_draft_does_not_stop_the_other_commands(fixture_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(fixture_root)
    assert cli("new", "test-law", "--kind", "statute", root=fixture_root).exit_code == 0
    result = cli("compare", "alpha", "beta", "--format", "json", root=fixture_root)
    assert result.exit_code == 0
    [line] = result.stderr.splitlines()
    assert line.startswith("frameworks: frameworks/test-law.yaml left out: ")
    assert line.endswith(" problems; run frameworks validate frameworks/test-law.yaml")


def test_version() -> None:
    from space_frameworks import __version__

    result = cli("--version")
    assert result.exit_code == 0 and result.stdout == f"frameworks {__version__}\n"


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
def test_usage_mistakes_are_one_line_and_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli(*args)
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith(f"frameworks: {message}")
    assert list(tmp_path.iterdir()) == []


def test_help_reads_like_a_person_wrote_it() -> None:
    main = cli("--help").stdout
    assert main.index("Analysis commands:") < main.index("compare") < main.index("Contributing commands:") < main.index("validate")
    for command in ("list", "topics", "show", "compare", "timeline", "signatories", "export", "brief", "pack", "validate", "schema", "new"):
        text = cli(command, "--help").stdout
        assert "<" not in text and "list[" not in text, command
        assert f"Example: frameworks {command}" in " ".join(text.split()), command
    assert "--as-of DATE" in cli("compare", "--help").stdout and "--topic TOPIC" in cli("compare", "--help").stdout
