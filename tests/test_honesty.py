"""Outputs say exactly what the data supports: list coverage, the participation checks, and the
check that keeps words about our files (not the law) out of record text."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import cli
from space_frameworks.schema.language import PROCESS_WORDS, text_problems

BAD = Path(__file__).parent / "bad"
GOOD = BAD / "good" / "demo.yaml"
PARTIES = """  - date: 2020-07-01
    event: ratified
    party: Alphaland
    description: Ratified.
    sources: [demo-official]
  - date: 2020-08-01
    event: signed
    party: Betaland
    description: Signed.
    sources: [demo-official]
  - date: 2021-05-01
    event: acceded
    party: Gammaland
    description: Acceded.
    sources: [demo-official]
"""
NOT_RECORDED = "participation:\n  coverage: not-recorded\n  counted: parties\n"


def write_demo(root: Path, participation: str, parties: str = PARTIES, **replace: str) -> None:
    """The corpus' good record with party events and a participation block of our choosing."""
    text = GOOD.read_text(encoding="utf-8").replace(NOT_RECORDED, "")
    text = text.replace("provisions:\n  - id: art_1\n", parties + "provisions:\n  - id: art_1\n", 1)
    for old, new in replace.items():
        assert old in text
        text = text.replace(old, new)
    (root / "frameworks" / "demo.yaml").write_text(text + participation, encoding="utf-8")


def flat(text: str) -> str:
    """Terminal output with its lines joined: footers wrap to the terminal's width."""
    return " ".join(text.split())


def test_a_list_complete_as_of_a_date_says_so_with_its_source(checkout: Path) -> None:
    block = "participation:\n  coverage: complete\n  counted: parties\n  known_total: 2\n  as_of: 2022-01-01\n  source: demo-official\n"
    write_demo(checkout, block)
    assert cli("validate", "--strict").stdout == "1 file, 0 errors\n"
    out = flat(cli("signatories", "demo").stdout)
    assert out.endswith(
        "2 parties, 1 signatory that has not ratified: complete list as of 1 Jan 2022 (Demo Assembly); acts after that date are not recorded"
    )
    # Before the list's date the count is the list's, after it later acts may be missing.
    early = flat(cli("signatories", "demo", "--as-of", "2020-12-31").stdout)
    assert early.endswith("1 party, 1 signatory that has not ratified by 2020-12-31: complete list as of 1 Jan 2022 (Demo Assembly)")
    late = flat(cli("signatories", "demo", "--as-of", "2024-01-01").stdout)
    assert "the list is complete only to 1 Jan 2022 (Demo Assembly): later acts may be missing" in late


def test_a_partial_list_gives_the_known_total(checkout: Path) -> None:
    block = "participation:\n  coverage: partial\n  counted: signatories\n  known_total: 60\n  as_of: '2026-01'\n  source: demo-official\n"
    write_demo(checkout, block)
    assert cli("validate", "--strict").stdout == "1 file, 0 errors\n"
    out = flat(cli("signatories", "demo").stdout)
    assert out.endswith("3 signatories recorded, of 60 signatories known as of Jan 2026 (Demo Assembly): the list is partial")
    assert "participating" not in out


def test_a_list_not_recorded_gives_the_declared_count_never_a_bare_zero(checkout: Path) -> None:
    block = (
        "participation:\n  coverage: not-recorded\n  counted: parties\n  known_total: 115\n  as_of: 2025-01-01\n  source: demo-official\n"
    )
    write_demo(checkout, block, parties="")
    out = flat(cli("signatories", "demo").stdout)
    assert out.endswith("List of parties not recorded: 115 parties as of 1 Jan 2025 (Demo Assembly)")
    assert "0 parties" not in out and "participating" not in out
    write_demo(checkout, NOT_RECORDED, parties="")
    assert flat(cli("signatories", "demo").stdout).endswith("List of parties not recorded; the count is not verified")


@pytest.mark.parametrize(
    ("block", "message"),
    [
        ("", "(file): say how complete the party/signatory list is: add participation"),
        (
            "participation:\n  coverage: complete\n  counted: parties\n  known_total: 5\n  as_of: 2022-01-01\n  source: demo-official\n",
            "participation.known_total: coverage complete, but the list holds 2 by 2022-01-01, not 5",
        ),
        (
            "participation:\n  coverage: partial\n  counted: signatories\n  known_total: 3\n  as_of: 2022-01-01\n  source: demo-official\n",
            "participation.coverage: the list holds 3 by 2022-01-01, as many as known_total 3: is it complete?",
        ),
        ("participation:\n  coverage: partial\n  counted: parties\n", "participation: coverage partial needs known_total"),
        (
            "participation:\n  coverage: not-recorded\n  counted: parties\n  known_total: 9\n  as_of: 2022-01-01\n  source: nobody\n",
            "participation.source: unknown source 'nobody'",
        ),
    ],
)
def test_participation_must_agree_with_the_list(checkout: Path, block: str, message: str) -> None:
    write_demo(checkout, block)
    result = cli("validate")
    assert result.exit_code == 1
    assert any(message in line for line in result.stdout.splitlines()), result.stdout


@pytest.mark.parametrize(
    "words",
    ["Read in a stored copy of the page.", "as in the stored text", "not named in the seed set", "section number unconfirmed"],
)
def test_words_about_our_files_are_a_strict_error_in_records(checkout: Path, words: str) -> None:
    write_demo(checkout, NOT_RECORDED, parties="", **{"description: Adopted by the Demo Assembly.": f"description: {words}"})
    text = (checkout / "frameworks" / "demo.yaml").read_text(encoding="utf-8")
    assert cli("validate", "--draft").stdout.endswith("1 file, 0 errors, 1 warning\n")  # a warning: drafts still compare
    strict = cli("validate")
    assert strict.exit_code == 1
    [line] = [line for line in strict.stdout.splitlines() if "speaks of our files" in line]
    assert line.startswith(f"frameworks/demo.yaml:{text[: text.index(words)].count(chr(10)) + 1}:") and "status.0.description" in line


def test_words_about_our_files_are_flagged_in_press_reports_too(checkout: Path) -> None:
    articles = checkout / "seeds" / "articles.yaml"
    text = articles.read_text(encoding="utf-8")
    outlet = text.split("outlet: ", 1)[1].split("\n", 1)[0]
    articles.write_text(text.replace(f"outlet: {outlet}", "outlet: A broadcaster (not named in the seed set)", 1), encoding="utf-8")
    strict = cli("validate", "--strict")
    assert strict.exit_code == 1
    assert any(line.startswith("seeds/articles.yaml:") and "'seed set'" in line for line in strict.stdout.splitlines())
    assert cli("list").exit_code == 0  # a warning never stops the data commands


# Pieces of the patterns' words in several cases, with look-alikes that re.I also folds (long s,
# dotless i, dotted capital I) and other text around them.
_PIECES = ["stored", "Stored", "STORED", "\u017ftored", "seed", "SEED", "Seed", "unconfirmed", "UNCONFIRMED", "unconf\u0131rmed"]
_PIECES += ["AVA\u0130LABLE", "available", "Available", " ", "  ", "\n", "copy", "Copies", "text", "here", "in the", "not", "set"]
_PIECES += ["files", "articles", "section", "Number", "é", "-", ".", "x", "\x1b"]
_PIECES += ["a stored copy", "Seed Set", "article unconfirmed", "the available text", "AVAILABLE TEXT", "not stored"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=10).map("".join) | st.text(max_size=30))
def test_words_about_our_files_are_found_in_any_case_and_script(text: str) -> None:
    """What text_problems reports is what the patterns find (its fast path for ASCII text hides nothing)."""
    first = next((match.group(0) for pattern, _, _ in PROCESS_WORDS if (match := pattern.search(text))), None)
    found = [message for _, message, severity in text_problems({"note": text}) if severity == "warning"]
    if first is None:
        assert found == []
    else:
        assert len(found) == 1 and found[0].startswith(f"'{first}' speaks of our files"), found


def test_the_real_lists_state_their_coverage(run) -> None:
    for record in ("ost", "artemis-accords", "moon-agreement", "liability-convention", "registration-convention"):
        footer = run("signatories", record).stdout.rstrip().split("\n\n")[-1].replace("\n", " ")  # the footer, wrapped to the terminal
        assert "participating" not in footer
        assert any(word in footer for word in ("complete list as of", "the list is partial", "not recorded")), footer


def test_show_gives_the_list_coverage_of_instruments_states_join(run) -> None:
    moon = run("show", "moon-agreement").stdout
    assert "Parties: " in moon and "complete list as of" in moon.replace("\n", " ")
    assert "**Parties:** " in run("show", "moon-agreement", "--format", "markdown").stdout
    assert "Parties: " not in run("show", "lux-2017").stdout  # a statute has no parties
