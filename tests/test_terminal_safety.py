"""Terminal safety: escape sequences, bells and bidi overrides never reach the terminal.

In record text they fail validation; in a file name or a command-line argument they are shown escaped."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import cli, cli_process, no_traceback


@pytest.mark.parametrize(
    ("escaped", "code"),
    [
        ("\\e]0;pwned\\a\\e[2J", "U+001B"),
        ("bell\\a", "U+0007"),
        ("\\r\\u001b[1A", "U+000D"),
        ("\\u202eevil", "U+202E"),
        ("\\x9b31m", "U+009B"),
    ],
)
def test_control_characters_in_record_text_are_errors_with_their_line(checkout: Path, escaped: str, code: str) -> None:
    path = checkout / "frameworks" / "demo.yaml"
    text = path.read_text(encoding="utf-8").replace("short_title: Demo Treaty", f'short_title: "Demo {escaped} Treaty"')
    path.write_text(text, encoding="utf-8")
    result = cli("validate")
    assert result.exit_code == 1
    assert (
        result.stdout.splitlines()[0]
        == f"frameworks/demo.yaml:5:14: short_title: control character {code} in the text: remove it (terminals act on it)"
    )
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout


def test_a_left_out_line_shows_control_characters_of_a_file_name_escaped(fixture_root: Path) -> None:
    (fixture_root / "frameworks" / "evil\x1b]0;x\x07.yaml").write_text("id: evil\n", encoding="utf-8")
    result = cli("list", root=fixture_root)
    assert result.exit_code == 0
    [line] = result.stderr.splitlines()
    assert "\x1b" not in line and "\x07" not in line and "evil\\x1b]0;x\\x07.yaml left out:" in line


@pytest.mark.parametrize("name", ["ost\x1b]0;pwned\x07", "ost\x1b[2J", "\x9b31most"])
def test_ids_given_on_the_command_line_reach_the_error_escaped(name: str) -> None:
    result = cli_process("compare", name, "us-eo-2020")
    assert result.returncode == 2
    no_traceback(result)
    for raw in (b"\x1b", b"\x07", "\x9b".encode()):
        assert raw not in result.stderr and raw not in result.stdout
    assert b"\\x1b" in result.stderr or b"\\x9b" in result.stderr or b"\\u009b" in result.stderr


def test_a_path_given_on_the_command_line_reaches_the_error_escaped(tmp_path: Path) -> None:
    result = cli_process("validate", str(tmp_path / "evil\x1b[2J.yaml"))
    assert result.returncode in (1, 2)
    no_traceback(result)
    assert b"\x1b" not in result.stderr + result.stdout
