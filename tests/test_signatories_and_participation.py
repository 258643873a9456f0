"""`frameworks signatories` and `participation`: who joined, when, and how complete the list is.

A record's participation block is checked against its list, so that no count says more than the data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import FIXTURES, GOOD, cli

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


def test_the_real_lists_state_their_coverage() -> None:
    for record in ("ost", "artemis-accords", "moon-agreement", "liability-convention", "registration-convention"):
        footer = cli("signatories", record).stdout.rstrip().split("\n\n")[-1].replace("\n", " ")  # the footer, wrapped to the terminal
        assert "participating" not in footer
        assert any(word in footer for word in ("complete list as of", "the list is partial", "not recorded")), footer


def test_show_gives_the_list_coverage_of_instruments_states_join() -> None:
    moon = cli("show", "moon-agreement").stdout
    assert "Parties: " in moon and "complete list as of" in moon.replace("\n", " ")
    assert "**Parties:** " in cli("show", "moon-agreement", "--format", "markdown").stdout
    assert "Parties: " not in cli("show", "lux-2017").stdout  # a statute has no parties


def test_signatories_as_of() -> None:
    before = json.loads(cli("signatories", "alpha", "--as-of", "2002-03-03", "--format", "json", root=FIXTURES).output)
    after = json.loads(cli("signatories", "alpha", "--as-of", "2002-03-04", "--format", "json", root=FIXTURES).output)
    assert before == [] and [r["party"] for r in after] == ["Ruritania"]


def test_participation_lists_a_states_acts_with_each_lists_coverage() -> None:
    rows = {r["framework"]: r for r in json.loads(cli("participation", "japan", "--format", "json").stdout)}
    assert rows["artemis-accords"]["standing"] == "signatory" and rows["artemis-accords"]["acts"] == "signed 13 Oct 2020"
    assert rows["artemis-accords"]["coverage"].startswith("61 signatories: complete list as of 26 Jan 2026")
    # The Outer Space Treaty's party list is not recorded: Japan's standing is not known, never "not a party".
    assert rows["ost"]["standing"] == "not known" and "not recorded" in rows["ost"]["coverage"]
    assert rows["moon-agreement"]["standing"] == "not listed" and "complete list" in rows["moon-agreement"]["coverage"]
    assert "us-eo-2020" not in rows  # not an instrument States join
    before = {r["framework"]: r for r in json.loads(cli("participation", "Japan", "--as-of", "2020-01-01", "-f", "json").stdout)}
    assert before["artemis-accords"]["acts"] == ""
    saudi = {r["framework"]: r for r in json.loads(cli("participation", "Saudi Arabia", "-f", "json").stdout)}
    assert saudi["moon-agreement"]["standing"] == "withdrawn" and "withdrew 5 Jan 2024" in saudi["moon-agreement"]["acts"]


def test_participation_of_a_misspelt_state_suggests_the_name() -> None:
    result = cli("participation", "Japn")
    assert result.exit_code == 2 and "did you mean Japan?" in result.stderr
