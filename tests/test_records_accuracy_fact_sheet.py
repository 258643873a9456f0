"""Record accuracy: the fact sheet's commonly confused facts (section 0, C1-C12), against the records.

A record may mention a wrong claim only in `corrections` (as the claim it corrects)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from space_frameworks.reports.timeline import signatories
from space_frameworks.schema.dataset import load_dataset
from space_frameworks.schema.models import EventType, Record

DATASET = load_dataset()


def record(record_id: str) -> Record:
    assert record_id in DATASET.records, f"record {record_id} is missing"
    return DATASET.records[record_id]


def own_words(item: Record) -> str:
    """Everything a record asserts: all its text except the claims it quotes in order to correct them."""
    data = item.model_dump(mode="json")
    for correction in data["corrections"]:
        correction.pop("claim")

    def strings(value: Any) -> list[str]:
        if isinstance(value, dict):
            return [s for v in value.values() for s in strings(v)]
        if isinstance(value, list):
            return [s for v in value for s in strings(v)]
        return [value] if isinstance(value, str) else []

    return "\n".join(strings(data))


def events(item: Record, kind: EventType, party: str | None = None) -> list[str]:
    return [e.date for e in item.status if e.event == kind and e.party == party]


def test_c1_common_heritage_is_the_moon_agreement_not_the_ost() -> None:
    ost = record("ost")
    assert not any("common heritage" in p.quote.lower() for p in ost.provisions)
    commons = next(p for p in ost.positions if p.topic == "global-commons")
    quoted = " ".join(p.quote for p in ost.provisions if p.id in commons.provisions)
    assert "province of all mankind" in quoted
    moon = record("moon-agreement")
    assert any("common heritage of mankind" in p.quote and "11" in p.label for p in moon.provisions)
    for item in DATASET.records.values():
        for position in item.positions:
            if item.id != "moon-agreement" and "common heritage" in position.summary.lower():
                assert "moon agreement" in position.summary.lower() or "not" in position.summary.lower(), (item.id, position.topic)


def test_c3_ost_article_vi_says_appropriate_state_party() -> None:
    ost = record("ost")
    article_6 = [p for p in ost.provisions if p.label.replace(" ", "").lower().startswith("articlevi") and "VII" not in p.label]
    assert any("appropriate State Party to the Treaty" in p.quote for p in article_6)
    assert not any("State concerned" in p.quote for p in ost.provisions)


def test_c4_the_cslca_became_public_law_114_90() -> None:
    cslca = record("us-cslca-2015")
    assert any("114-90" in identifier for identifier in cslca.identifiers)
    assert "2015-11-25" in [e.date for e in cslca.status]
    for item in DATASET.records.values():
        assert "never became law" not in own_words(item).lower(), item.id


def test_c5_moon_agreement_dates() -> None:
    moon = record("moon-agreement")
    assert events(moon, EventType.adopted) == ["1979-12-05"]
    assert events(moon, EventType.opened_for_signature) == ["1979-12-18"]
    assert events(moon, EventType.entered_into_force) == ["1984-07-11"]
    austria = events(moon, EventType.ratified, "Austria")
    assert austria in ([], ["1984-06-11"])


def test_c6_artemis_accords_signed_13_october_2020_by_eight() -> None:
    artemis = record("artemis-accords")
    founders = [e.party for e in artemis.status if e.event == EventType.signed and e.date == "2020-10-13" and e.party]
    assert sorted(founders) == sorted(
        ["Australia", "Canada", "Italy", "Japan", "Luxembourg", "United Arab Emirates", "United Kingdom", "United States"]
    )
    assert not any(e.date.startswith("2020-09") for e in artemis.status)
    text = own_words(artemis)
    assert "13 September 2020" not in text and "September 13, 2020" not in text


def test_c7_moon_agreement_saudi_withdrawal_and_party_count() -> None:
    moon = record("moon-agreement")
    assert events(moon, EventType.withdrawal_notified, "Saudi Arabia") == ["2023-01-05"]
    assert events(moon, EventType.withdrawal_effective, "Saudi Arabia") == ["2024-01-05"]
    before = {row[0] for row in signatories(moon, dt.date(2024, 1, 4)).rows if row[1] != "withdrew"}
    after = {row[0] for row in signatories(moon, dt.date(2024, 1, 5)).rows if row[1] != "withdrew"}
    assert "Saudi Arabia" in before and "Saudi Arabia" not in after


def test_c8_luxembourg_article_1_is_quoted_in_the_authentic_french() -> None:
    lux = record("lux-2017")
    assert any("Les ressources de l'espace sont susceptibles d'appropriation." in p.quote for p in lux.provisions)
    assert not any("can be owned" in p.quote for p in lux.provisions)


def test_c9_japan_act_no_83_of_23_june_2021_in_force_23_december() -> None:
    japan = record("japan-2021")
    assert "2021-12-23" in events(japan, EventType.entered_into_force)
    assert "2021-06-23" in [e.date for e in japan.status]
    assert "Act No. 83 of December 23, 2021" not in "\n".join(japan.identifiers)


def test_c10_copuos_working_group_established_2021_renamed_2022() -> None:
    group = record("copuos-lsc-wg")
    assert [d[:4] for d in events(group, EventType.established)] == ["2021"]
    assert [d[:4] for d in events(group, EventType.renamed)] == ["2022"]


def test_c12_us_law_entitles_only_united_states_citizens() -> None:
    cslca = record("us-cslca-2015")
    ownership = next(p for p in cslca.positions if p.topic == "resource-ownership")
    assert ownership.stance.value == "conditional"
    assert "citizen" in ownership.summary.lower()


@pytest.mark.parametrize("record_id", ["ost", "moon-agreement", "artemis-accords", "lux-2017", "us-eo-2020", "russia"])
def test_no_record_repeats_a_known_press_error(record_id: str) -> None:
    text = own_words(record(record_id)).lower()
    for wrong in ("never became law", "signed on 13 september", "created in 2022"):
        assert wrong not in text, (record_id, wrong)
