"""The terminal at 80 columns: no word broken in two, the timeline grouped and filtered, a short
headline for many frameworks, citations each once, every cell's basis shown, the stance grid."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

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
def test_no_word_is_broken_at_80_columns(run, args: tuple[str, ...]) -> None:
    wide = run(*args, columns=2000)
    narrow = run(*args, columns=80)
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


def test_list_keeps_kinds_and_titles_whole(run) -> None:
    out = run("list", columns=80).stdout
    assert "Registration" in out and "Registratio\n" not in out
    assert "political-ac" not in out.replace("political-accord", "")


def test_timeline_groups_the_acts_of_states_by_default(run) -> None:
    out = run("timeline", "ost", "artemis-accords", columns=80).stdout
    assert len(out.splitlines()) < 60
    assert "61 States signed from 13 Oct 2020 to 26 Jan 2026" in " ".join(out.split())
    assert "61 signatories: complete list as of 26 Jan 2026" in " ".join(out.split())  # the count with its coverage
    listed = json.loads(run("timeline", "artemis-accords", "--signatures", "--format", "json").stdout)
    assert sum(1 for row in listed if row["event"] == "signed" and row["party"]) == 61


def test_timeline_filters(run) -> None:
    rows = json.loads(run("timeline", "artemis-accords", "--since", "2025-06-01", "--kind", "signed", "--signatures", "-f", "json").stdout)
    assert [r["party"] for r in rows][:2] == ["Senegal", "Hungary"] and all(r["event"] == "signed" for r in rows)
    until = json.loads(run("timeline", "ost", "--until", "1967-06-30", "-f", "json").stdout)
    assert [r["event"] for r in until] == ["adopted", "opened for signature"]
    in_force = json.loads(run("timeline", "ost", "moon-agreement", "--kind", "in-force", "-f", "json").stdout)
    assert {r["event"] for r in in_force} == {"in force"} and len(in_force) == 2
    wrong = run("timeline", "--kind", "sined")
    assert wrong.exit_code == 2 and "did you mean signed?" in wrong.stderr
    assert run("timeline", "--since", "2020-13-01").exit_code == 2


def test_compare_of_many_frameworks_has_a_short_headline(run) -> None:
    out = run("compare", "--all", columns=80).stdout
    assert out.splitlines()[0] == "16 frameworks compared" or out.splitlines()[0].endswith("frameworks compared")
    assert " vs " not in out.splitlines()[0]
    five = run("compare", "ost", "us-eo-2020", "lux-2017", "artemis-accords", "russia", columns=80).stdout
    assert five.splitlines()[0] == "5 frameworks compared: ost, us-eo-2020, lux-2017, artemis-accords, russia"


def test_citations_are_merged_and_every_cell_shows_its_basis(run) -> None:
    data = json.loads(run("compare", "--all", "--format", "json").stdout)
    for topic in data["topics"]:
        for cell in topic["cells"]:
            assert len(cell["pinpoints"]) == len(set(cell["pinpoints"])), (topic["id"], cell["framework"])
    out = " ".join(run("compare", "ost", "russia", "--topic", "international-forum", columns=200).stdout.split())
    assert "TASS, 14 Dec 2020; TASS, 14 Dec 2020" not in out
    # The Liability Convention's cell on resources cites a source only: the source is shown.
    cell = " ".join(run("compare", "liability-convention", "ost", "--topic", "resource-ownership", columns=200).stdout.split())
    assert "[United Nations Office for Outer Space Affairs]" in cell
    markdown = run("compare", "liability-convention", "ost", "--topic", "resource-ownership", "--format", "markdown").stdout
    assert "*United Nations Office for Outer Space Affairs*" in markdown


@pytest.mark.parametrize("output_format", ["table", "markdown", "csv", "json", "html"])
def test_grid_in_every_format(run, output_format: str) -> None:
    result = run("compare", "--all", "--grid", "--format", output_format, columns=80)
    assert result.exit_code == 0, result.output
    out = result.stdout
    full = json.loads(run("compare", "--all", "--format", "json").stdout)
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


def test_participation_lists_a_states_acts_with_each_lists_coverage(run) -> None:
    rows = {r["framework"]: r for r in json.loads(run("participation", "japan", "--format", "json").stdout)}
    assert rows["artemis-accords"]["standing"] == "signatory" and rows["artemis-accords"]["acts"] == "signed 13 Oct 2020"
    assert rows["artemis-accords"]["coverage"].startswith("61 signatories: complete list as of 26 Jan 2026")
    # The Outer Space Treaty's party list is not recorded: Japan's standing is not known, never "not a party".
    assert rows["ost"]["standing"] == "not known" and "not recorded" in rows["ost"]["coverage"]
    assert rows["moon-agreement"]["standing"] == "not listed" and "complete list" in rows["moon-agreement"]["coverage"]
    assert "us-eo-2020" not in rows  # not an instrument States join
    before = {r["framework"]: r for r in json.loads(run("participation", "Japan", "--as-of", "2020-01-01", "-f", "json").stdout)}
    assert before["artemis-accords"]["acts"] == ""
    saudi = {r["framework"]: r for r in json.loads(run("participation", "Saudi Arabia", "-f", "json").stdout)}
    assert saudi["moon-agreement"]["standing"] == "withdrawn" and "withdrew 5 Jan 2024" in saudi["moon-agreement"]["acts"]


def test_participation_of_a_misspelt_state_suggests_the_name(run) -> None:
    result = run("participation", "Japn")
    assert result.exit_code == 2 and "did you mean Japan?" in result.stderr
