"""Output at the terminal's width: no line too long and no word broken in two, at 80 columns and more."""

from __future__ import annotations

import re

import pytest

from conftest import cli

COMMANDS = [
    ("list",),
    ("topics",),
    ("show", "artemis-accords"),
    ("compare", "ost", "us-eo-2020"),
    ("compare", "ost", "russia", "lux-2017", "--quotes"),
    ("compare", "--all"),
    ("compare", "--all", "--grid"),
    ("timeline", "ost", "artemis-accords"),
    ("timeline", "--signatures"),
    ("signatories", "artemis-accords"),
    ("participation", "Japan"),
]


def words(text: str) -> set[str]:
    """The words of `text`, lower-cased, without the punctuation and table drawing around them."""
    found = set()
    for token in text.split():
        word = token.strip("|+-=.,;:()[]“”\"'!?*").lower()
        if re.search(r"\w", word):
            found.add(word)
    return found


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_no_word_is_broken_at_80_columns(args: tuple[str, ...]) -> None:
    wide = cli(*args, columns=2000)
    narrow = cli(*args, columns=80)
    assert narrow.exit_code == 0, narrow.output
    whole = words(wide.stdout)
    # A line may end after a hyphen ('political-' / 'accord'): each run of parts of a hyphenated word counts.
    parts = set()
    for word in whole:
        pieces = word.split("-")
        parts |= {"-".join(pieces[i:j]) for i in range(len(pieces)) for j in range(i + 1, len(pieces) + 1)}
    known = whole | parts
    broken = sorted(w for w in words(narrow.stdout) if w not in known and not all(p in known for p in w.strip("-").split("-")))
    assert not broken, broken
    long_lines = [line for line in narrow.stdout.splitlines() if len(line) > 80 and "://" not in line]
    assert not long_lines, long_lines


def test_list_keeps_kinds_and_titles_whole() -> None:
    out = cli("list", columns=80).stdout
    assert "Registration" in out and "Registratio\n" not in out
    assert "political-ac" not in out.replace("political-accord", "")


@pytest.mark.parametrize("columns", [80, 100, 160])
def test_compare_fits_the_terminal_width(columns: int) -> None:
    result = cli("compare", "ost", "us-eo-2020", columns=columns)
    assert result.exit_code == 0, result.output
    widest = max(len(line) for line in result.output.splitlines())
    assert widest <= columns, f"a line of {widest} columns in a {columns}-column terminal"
    assert "Outer Space Treaty" in result.output
    assert "Ownership of" in result.output
