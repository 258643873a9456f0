"""Terminal safety: text a terminal would act on (escape sequences, bells, bidi overrides) never
passes validation, so it never reaches a table, a brief or an error message from a record."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import cli


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
