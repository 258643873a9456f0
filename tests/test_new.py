"""`frameworks new ID --kind KIND`: the commented template of a new record.

It fails validation only where the contributor must still fill something in, and says so; with its
output redirected, it prints the template and names no file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import cli, cli_process
from space_frameworks.schema.models import Kind
from space_frameworks.schema.template import find_placeholders, is_placeholder
from space_frameworks.schema.validation import validate


@pytest.fixture
def root(checkout: Path) -> Path:
    """A contributor's checkout (conftest): frameworks/ with one record, seeds/, schema/; the working directory."""
    return checkout


# What a contributor would write in place of each placeholder, by field name.
FILLED = {
    "title": "Lunar Code",
    "short_title": "Lunar Code",
    "issuer": "Demo Assembly",
    "jurisdiction": "International",
    "legal_force": "binding",
    "text": "demo-treaty",
    "summary": "A test record.",
    "date": "2020-01-15",
    "description": "It happened.",
    "sources": "demo-official",
    "stance": "silent",
    "label": "Article 1",
    "quote": "are not subject to national appropriation",
    "publisher": "Demo Assembly",
    "url": "https://example.org/demo-treaty",
    "retrieved": "2026-01-05",
    "last_verified": "2026-06-01",
    "verified_against": "demo-official",
    "coverage": "not-recorded",
    "extent": "complete",
    "counted": "parties",
    "known_total": 12,
    "as_of": "2025-01-01",
    "source": "demo-official",
}


def fill(data: Any, loc: tuple[Any, ...] = ()) -> Any:
    """Replace each placeholder by a plausible value for its field (ids by the ones the values cite)."""
    if isinstance(data, dict):
        return {key: fill(value, (*loc, key)) for key, value in data.items()}
    if isinstance(data, list):
        return [fill(value, (*loc, index)) for index, value in enumerate(data)]
    if not is_placeholder(data):
        return data
    field = next(part for part in reversed(loc) if isinstance(part, str))
    if field == "id":
        return "demo-official" if loc[0] == "sources" else "art_1"
    return FILLED[field]


@pytest.mark.parametrize("kind", [kind.value for kind in Kind])
def test_a_fresh_template_fails_only_where_something_is_to_fill_in(root: Path, kind: str) -> None:
    result = cli("new", "lunar-code", "--kind", kind)
    assert result.exit_code == 0, result.output
    path = root / "frameworks" / "lunar-code.yaml"
    text = path.read_text(encoding="utf-8")
    places = sum(1 for _ in find_placeholders(yaml.safe_load(text)))
    assert result.stderr == (
        f"wrote frameworks/lunar-code.yaml: fill in the {places} values marked TODO, then run: frameworks validate frameworks/lunar-code.yaml\n"
    )
    assert text.startswith("# yaml-language-server: $schema=../schema/framework.schema.json\n")
    assert f"kind: {kind}\n" in text and "\n# " in text  # commented

    # --draft: what is still empty (a position citing nothing yet) is a warning, not one of the errors to fill in.
    check = cli("validate", "--draft", "frameworks/lunar-code.yaml")
    assert check.exit_code == 1
    lines = [line for line in check.stdout.splitlines() if ": warning: " not in line]
    assert lines[-1].startswith(f"1 file, {places} errors")
    assert all(": to fill in: " in line for line in lines[:-1]), "\n".join(line for line in lines if "to fill in" not in line)
    todo_lines = [number for number, line in enumerate(text.splitlines(), 1) if "TODO" in line and not line.lstrip().startswith("#")]
    assert sorted({int(line.split(":")[1]) for line in lines[:-1]}) == todo_lines


@pytest.mark.parametrize("kind", [kind.value for kind in Kind])
def test_a_template_with_every_placeholder_filled_in_is_valid(root: Path, kind: str) -> None:
    cli("new", "lunar-code", "--kind", kind)
    path = root / "frameworks" / "lunar-code.yaml"
    data = fill(yaml.safe_load(path.read_text(encoding="utf-8")))
    for position in data["positions"]:  # under --strict, a position must rest on something
        position["sources"] = ["demo-official"]
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    result = validate([path], root, strict=True, today=dt.date(2026, 6, 2))
    # The modeline is gone (safe_dump drops comments); everything else must pass.
    assert [p.message for p in result.problems if "modeline" not in p.message] == []


def test_new_refuses_bad_ids_unknown_kinds_taken_names_and_existing_files(root: Path) -> None:
    bad_id = cli("new", "Lunar Code", "--kind", "treaty")
    assert bad_id.exit_code == 2 and "'Lunar Code' is not a valid id" in bad_id.stderr
    bad_kind = cli("new", "lunar-code", "--kind", "law")
    assert bad_kind.exit_code == 2
    assert bad_kind.stderr == f"frameworks: unknown kind 'law': choose one of {', '.join(k.value for k in Kind)}\n"
    taken = cli("new", "demo-treaty", "--kind", "treaty")
    assert taken.exit_code == 2 and "already the id or an alias in frameworks/demo.yaml" in taken.stderr
    assert cli("new", "lunar-code", "--kind", "treaty").exit_code == 0
    again = cli("new", "lunar-code", "--kind", "statute")
    assert again.exit_code == 2 and "frameworks/lunar-code.yaml already exists" in again.stderr
    assert "kind: treaty" in (root / "frameworks" / "lunar-code.yaml").read_text(encoding="utf-8")  # untouched
    assert cli("new", "lunar-code").exit_code == 2  # --kind is required


def test_new_writes_where_told(root: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "draft.yaml"
    result = cli("new", "lunar-code", "--kind", "national-position", "--output", str(elsewhere))
    assert result.exit_code == 0
    text = elsewhere.read_text(encoding="utf-8")
    assert "\nid: lunar-code\n" in text and "provisions:" not in text  # a national position quotes no text
    schema_ref = text.splitlines()[0].removeprefix("# yaml-language-server: $schema=")
    assert (elsewhere.parent / schema_ref).resolve() == (root / "schema" / "framework.schema.json").resolve()


def test_new_with_stdout_redirected_prints_the_template_and_names_no_file(root: Path) -> None:
    result = cli_process("new", "lunar-code", "--kind", "statute", cwd=root, env={"FRAMEWORKS_ROOT": str(root)}, text=True)
    assert result.returncode == 0, result.stderr
    assert "\nid: lunar-code\n" in result.stdout
    assert not (root / "frameworks" / "lunar-code.yaml").exists()
    assert "no file written" in result.stderr and "lunar-code.yaml" not in result.stderr and "wrote" not in result.stderr
    printed = cli("new", "lunar-code", "--kind", "statute", "--output", "-")
    assert printed.exit_code == 0 and "\nid: lunar-code\n" in printed.stdout and "lunar-code.yaml" not in printed.stderr


def test_new_redirected_to_a_file_writes_the_template_there(fixture_root: Path) -> None:
    """The README's `frameworks new my-id --kind statute > frameworks/my-id.yaml`: stdout is the file."""
    target = fixture_root / "frameworks" / "my-id.yaml"
    with target.open("w", encoding="utf-8") as handle:
        result = cli_process(
            "new", "my-id", "--kind", "statute", stdout=handle, cwd=fixture_root, env={"FRAMEWORKS_ROOT": str(fixture_root)}
        )
    assert result.returncode == 0, result.stderr
    assert target.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=")
    # Where stdout went is not the tool's to know: it names no file it did not write.
    assert b"no file written" in result.stderr and b"my-id.yaml" not in result.stderr


def test_new_with_output_dash_prints_the_template(fixture_root: Path) -> None:
    result = cli("new", "my-id", "--kind", "statute", "-o", "-", root=fixture_root)
    assert result.exit_code == 0 and result.stdout.startswith("# yaml-language-server: $schema=")
    assert not (fixture_root / "frameworks" / "my-id.yaml").exists()
