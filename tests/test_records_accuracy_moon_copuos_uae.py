"""Record accuracy, 2026 facts: the COPUOS Working Group, the Moon Agreement's participants, the UAE law.

Each checked against the record and, where we hold it, the text it rests on: the Working Group's dates
and Chair, the Moon Agreement's participants (every dated act against the UN Treaty Collection table in
seeds/texts/untc-moon-status.txt) and the UAE law's identifiers and dates."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from space_frameworks.reports.timeline import signatories
from space_frameworks.schema.dataset import load_dataset
from space_frameworks.schema.models import EventType, Record, Stance
from space_frameworks.schema.texts import normalise, read_source_text

DATASET = load_dataset()
UNTC = read_source_text(DATASET.seeds, "untc-moon-status")
UAE_REGULATIONS = read_source_text(DATASET.seeds, "uae-space-resources-regulations-2023")

# The UN Treaty Collection's names where the records use the short name.
UNTC_NAMES = {"Netherlands": "Netherlands (Kingdom of the)", "Venezuela": "Venezuela (Bolivarian Republic of)"}
SIGNED_ONLY = {"France", "Guatemala", "India", "Romania"}


def record(record_id: str) -> Record:
    assert record_id in DATASET.records, f"record {record_id} is missing"
    return DATASET.records[record_id]


def events(item: Record, kind: EventType, party: str | None = None) -> list[str]:
    return [e.date for e in item.status if e.event == kind and e.party == party]


def untc_date(value: str) -> str:
    """'2018-01-19' as the UN Treaty Collection writes it: '19 Jan 2018'."""
    return dt.date.fromisoformat(value).strftime("%d %b %Y").lstrip("0")


def untc_row(state: str) -> str:
    """The run-together table text from a State's name up to the next State's name (or the table's end)."""
    table = UNTC.body.split("Accession(a)", 1)[1].split("\n", 1)[0]
    name = UNTC_NAMES.get(state, state)
    start = table.index(name) + len(name)
    following = [table.find(other, start) for other in _untc_names() if table.find(other, start) > 0]
    return table[start : min(following, default=len(table))]


def _untc_names() -> list[str]:
    moon = record("moon-agreement")
    return [UNTC_NAMES.get(e.party, e.party) for e in moon.status if e.party]


# COPUOS Legal Subcommittee Working Group on Legal Aspects of Space Resource Activities


def test_working_group_established_2021_renamed_2022_not_created_in_2022() -> None:
    group = record("copuos-lsc-wg")
    assert [d[:4] for d in events(group, EventType.established)] == ["2021"]
    assert [d[:4] for d in events(group, EventType.renamed)] == ["2022"]
    assert not any(e.date.startswith("2022") for e in group.status if e.event == EventType.established)
    correction = next(c for c in group.corrections if c.source == "spacereview-2023")
    assert "created" in correction.claim and "sixtieth session" in correction.correction


def test_working_group_mandate_is_quoted_from_the_unoosa_page() -> None:
    group = record("copuos-lsc-wg")
    assert group.text == "unoosa-copuos-wg-page"
    quotes = {p.id: p.quote for p in group.provisions}
    assert set(quotes) >= {"mandate__a", "mandate__b", "mandate__c", "mandate__d", "mandate__e"}
    assert "consensus agreement by the Committee" in quotes["mandate__d"]
    assert "possible adoption by the General Assembly" in quotes["mandate__d"]
    assert "benefit sharing" in quotes["mandate__e"]
    page = read_source_text(DATASET.seeds, "unoosa-copuos-wg-page")
    assert "online intersessional meeting on 24 April 2025" in page.body


def test_working_group_chair_and_meetings_are_dated_and_sourced() -> None:
    group = record("copuos-lsc-wg")
    assert "Andrzej Misztal" in group.summary
    article = DATASET.articles["sapienza-2024-04-19-space-resources-conference"]
    assert any("Andrzej Misztal, Chair of the Working Group" in e.text for e in article.excerpts)
    dates = [e.date for e in group.status]
    for day in ("2023-12-19", "2024-01-22", "2024-03-26", "2024-04-15", "2024-07-22"):
        assert day in dates, day
    # The Vice-Chair is not named in any source we hold: the record must not name one.
    assert "Freeland" not in group.summary
    # Drafts of the principles (2025) rest on the one secondary account, and adoption is not claimed.
    drafted = [e for e in group.status if e.event == EventType.drafted]
    assert [e.date for e in drafted] == ["2025-03", "2025-12"]
    assert all(e.sources == ["newsbeep-2026"] for e in drafted)
    assert not any(e.event == EventType.adopted for e in group.status)
    assert "not known" in group.summary


# Moon Agreement


def test_moon_agreement_has_17_parties_since_saudi_withdrawal() -> None:
    moon = record("moon-agreement")
    assert events(moon, EventType.withdrawal_notified, "Saudi Arabia") == ["2023-01-05"]
    assert events(moon, EventType.withdrawal_effective, "Saudi Arabia") == ["2024-01-05"]
    cover = moon.participation
    assert cover is not None
    assert (cover.coverage.value, cover.counted.value, cover.known_total, cover.as_of) == ("complete", "parties", 17, "2024-01-05")
    assert "18" in (cover.note or "") and "17" in (cover.note or "")
    parties = {row[0] for row in signatories(moon, dt.date(2026, 11, 30)).rows if row[1] in ("ratified", "acceded")}
    assert len(parties) == 17 and "Saudi Arabia" not in parties
    before = {row[0] for row in signatories(moon, dt.date(2024, 1, 4)).rows if row[1] in ("ratified", "acceded")}
    assert len(before) == 18 and "Saudi Arabia" in before


def test_moon_agreement_table_counts_match_the_untc_header() -> None:
    assert "Signatories11Parties18" in normalise(UNTC.body).replace(" ", "")
    moon = record("moon-agreement")
    signed = {e.party for e in moon.status if e.event == EventType.signed}
    joined = {e.party for e in moon.status if e.event in (EventType.ratified, EventType.acceded)}
    assert len(signed) == 11  # "Signatories 11": States that signed, whether or not they ratified later
    assert len(joined) == 18  # "Parties 18": Saudi Arabia still counted in the table
    assert signed - joined == SIGNED_ONLY
    assert len(signed | joined) == 22


@pytest.mark.parametrize("kind", [EventType.signed, EventType.ratified, EventType.acceded], ids=["signed", "ratified", "acceded"])
def test_every_moon_agreement_act_stands_in_the_untc_table(kind: EventType) -> None:
    moon = record("moon-agreement")
    acts = [e for e in moon.status if e.event == kind]
    assert acts
    for act in acts:
        row = normalise(untc_row(act.party or ""))
        assert untc_date(act.date) in row, (act.party, act.date, row)
        if kind == EventType.acceded:
            assert re.search(re.escape(untc_date(act.date)) + r"\s*a\b", row), (act.party, row)


def test_no_moon_agreement_act_after_armenias_accession_except_saudi_withdrawal() -> None:
    moon = record("moon-agreement")
    later = [(e.party, e.event) for e in moon.status if e.party and e.date > "2018-01-19"]
    assert sorted(later) == [("Saudi Arabia", EventType.withdrawal_effective), ("Saudi Arabia", EventType.withdrawal_notified)]


def test_the_space_review_moon_errors_are_corrected_not_repeated() -> None:
    moon = record("moon-agreement")
    claims = " ".join(c.claim for c in moon.corrections if c.source == "sr-4706")
    for wrong in ("December 5, 1979", "July 11, 1984", "22 parties"):
        assert wrong in claims, wrong
    assert "22 parties" not in moon.summary


# United Arab Emirates


def test_uae_law_identifiers_and_dates() -> None:
    uae = record("uae-2019")
    assert "Federal Law No. (12) of 2019" in uae.identifiers
    assert events(uae, EventType.enacted) == ["2019-12-19"]
    assert events(uae, EventType.entered_into_force) == ["2020"]  # "enforced ... last month" (Feb 2020); day unknown
    assert events(uae, EventType.adopted, "UAE Cabinet") == ["2023-03-13", "2023-03-13"]
    assert events(uae, EventType.entered_into_force, "UAE Cabinet") == ["2023-05-03"]


def test_uae_space_resources_regulations_page_gives_those_dates() -> None:
    page = normalise(UAE_REGULATIONS.body)
    for field in ("Issued Date 13 Mar 2023", "Effective Date 03 May 2023", "Official Gazette Date 31 Mar 2023"):
        assert field in page, field
    assert "Law: Federal Law No. (12) of 2019 Regulating the Space Sector." in page
    secondary = UAE_REGULATIONS.body.split("SECONDARY", 1)[1]
    assert "Issued on 19/12/2019" in secondary and "Federal Decree-Law No. 1/2014" in secondary


def test_uae_positions_resting_on_unread_articles_are_not_known() -> None:
    uae = record("uae-2019")
    stances = {p.topic: p.stance for p in uae.positions}
    assert stances["resource-ownership"] == Stance.not_known
    assert Stance.silent not in stances.values()  # no article of the Law has been read, so nothing is "silent"
    assert not any("18" in p.label for p in uae.provisions)  # the space-resources article number is unverified
    heading = next(p for p in uae.provisions if p.id == "law__heading")
    assert heading.quote_basis.value == "secondary"
