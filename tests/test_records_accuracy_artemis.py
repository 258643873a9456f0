"""Record accuracy, Artemis Accords: the signatory list against the dated official counts it rests on.

NASA numbers each signatory ("the 9th", "the 50th", "the 61st"); these tests pin the founders, the
first later signatures, the count per year and the coverage line a reader sees, and that every
signing event cites a source a reader can open (url) and knows when it was read (retrieved)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from space_frameworks.reports.timeline import signatories
from space_frameworks.schema.dataset import load_dataset
from space_frameworks.schema.models import EventType, Record

DATASET = load_dataset()
ARTEMIS: Record = DATASET.records["artemis-accords"]
FOUNDERS = ["Australia", "Canada", "Italy", "Japan", "Luxembourg", "United Arab Emirates", "United Kingdom", "United States"]


def signings() -> list[tuple[str, str]]:
    """(party, date) of every State's signature, in record order."""
    return [(e.party, e.date) for e in ARTEMIS.status if e.event == EventType.signed and e.party]


def signed_by(as_of: dt.date) -> list[str]:
    return [row[0] for row in signatories(ARTEMIS, as_of).rows]


def test_the_eight_founders_signed_on_13_october_2020() -> None:
    founders = sorted(party for party, date in signings() if date == "2020-10-13")
    assert founders == sorted(FOUNDERS)
    assert signed_by(dt.date(2020, 10, 12)) == []
    assert not any(date.startswith("2020-09") for _, date in signings())


def test_ukraine_was_the_ninth_signatory_on_12_november_2020() -> None:
    assert ("Ukraine", "2020-11-12") in signings()
    assert len(signed_by(dt.date(2020, 11, 12))) == 9
    assert signed_by(dt.date(2020, 11, 12))[-1] == "Ukraine"


@pytest.mark.parametrize(
    ("as_of", "count", "latest"),
    [
        (dt.date(2022, 12, 13), 23, {"Nigeria", "Rwanda"}),  # State Department: "The Accords now boast 23 signatories"
        (dt.date(2024, 12, 11), 50, {"Panama", "Austria"}),  # NASA: Panama and Austria 49th and 50th
        (dt.date(2024, 12, 20), 52, {"Liechtenstein"}),
        (dt.date(2025, 10, 27), 59, {"Philippines"}),  # NASA: Hungary, Malaysia, the Philippines bring the total to 59
        (dt.date(2026, 1, 26), 61, {"Oman"}),  # NASA: Oman the 61st
    ],
)
def test_the_list_matches_the_official_count_on_each_milestone(as_of: dt.date, count: int, latest: set[str]) -> None:
    names = signed_by(as_of)
    assert len(names) == count
    assert latest <= set(names[-len(latest) :])


def test_signatories_per_year() -> None:
    per_year = Counter(date[:4] for _, date in signings())
    assert dict(per_year) == {"2020": 9, "2021": 5, "2022": 9, "2023": 10, "2024": 19, "2025": 7, "2026": 2}
    assert sum(per_year[year] for year in ("2020", "2021", "2022", "2023", "2024", "2025")) == 59


def test_the_coverage_line_names_the_count_its_date_and_source() -> None:
    assert (
        signatories(ARTEMIS).footer
        == "61 signatories: complete list as of 26 Jan 2026 (Starlust, reporting a NASA release); acts after that date are not recorded"
    )
    later = signatories(ARTEMIS, dt.date(2026, 11, 30)).footer
    assert "complete only to 26 Jan 2026" in later and "later acts may be missing" in later
    assert ARTEMIS.participation is not None and ARTEMIS.participation.known_total == 61


def test_no_state_signs_twice() -> None:
    parties = [party for party, _ in signings()]
    assert len(parties) == len(set(parties)) == 61


def test_every_signing_cites_a_source_with_a_url_and_a_retrieval_date() -> None:
    sources = {s.id: s for s in ARTEMIS.sources}
    for event in ARTEMIS.status:
        if event.event != EventType.signed or not event.party:
            continue
        readable = [sources[i] for i in event.sources if sources[i].url and sources[i].retrieved]
        assert readable, event.party


def test_known_press_date_errors_are_kept_as_corrections() -> None:
    claims = {c.source: c.claim for c in ARTEMIS.corrections}
    assert "September 13, 2020" in claims["ilm-2023"]
    assert "12 Principles" in claims["spacewatch-2020-10"]
    assert "May 27" in claims["spacenews-2021-05-korea"]
    assert ("Republic of Korea", "2021-05-24") in signings()
    assert ("Saudi Arabia", "2022-07-14") in signings()
    assert ("Estonia", "2024-10-13") in signings()
    assert "Latvia" not in {party for party, _ in signings()}
