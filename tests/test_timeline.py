"""`frameworks timeline`: status events in date order, the acts of States grouped, and its filters.

Grouped unless --signatures; --since, --until, --kind and --as-of."""

from __future__ import annotations

import json

from conftest import FIXTURES, cli


def test_timeline_merges_events_in_date_order() -> None:
    rows = json.loads(cli("timeline", "--format", "json", root=FIXTURES).output)
    assert [r["date"] for r in rows] == ["10 Jan 2000", "Jun 2001", "4 Mar 2002", "2 Jan 2020"]
    as_of = json.loads(cli("timeline", "alpha", "--as-of", "2001-06-15", "--format", "json", root=FIXTURES).output)
    assert [r["event"] for r in as_of] == ["adopted"]  # "2001-06" is not certain before the month ends


def test_timeline_groups_the_acts_of_states_by_default() -> None:
    out = cli("timeline", "ost", "artemis-accords", columns=80).stdout
    assert len(out.splitlines()) < 60
    assert "61 States signed from 13 Oct 2020 to 26 Jan 2026" in " ".join(out.split())
    assert "61 signatories: complete list as of 26 Jan 2026" in " ".join(out.split())  # the count with its coverage
    listed = json.loads(cli("timeline", "artemis-accords", "--signatures", "--format", "json").stdout)
    assert sum(1 for row in listed if row["event"] == "signed" and row["party"]) == 61


def test_timeline_filters() -> None:
    rows = json.loads(cli("timeline", "artemis-accords", "--since", "2025-06-01", "--kind", "signed", "--signatures", "-f", "json").stdout)
    assert [r["party"] for r in rows][:2] == ["Senegal", "Hungary"] and all(r["event"] == "signed" for r in rows)
    until = json.loads(cli("timeline", "ost", "--until", "1967-06-30", "-f", "json").stdout)
    assert [r["event"] for r in until] == ["adopted", "opened for signature"]
    in_force = json.loads(cli("timeline", "ost", "moon-agreement", "--kind", "in-force", "-f", "json").stdout)
    assert {r["event"] for r in in_force} == {"in force"} and len(in_force) == 2
    wrong = cli("timeline", "--kind", "sined")
    assert wrong.exit_code == 2 and "did you mean signed?" in wrong.stderr
    assert cli("timeline", "--since", "2020-13-01").exit_code == 2
