"""Record accuracy, Russia and the ILRS: the dated facts of the records russia and ilrs.

Dates come from named sources (TASS, Global Times, SpaceNews, the Kremlin's notice of 12 June 2024, ...);
a test here fails if a date drifts, a partner loses its source, or the old id stops resolving."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from conftest import cli
from space_frameworks.schema.dataset import load_dataset
from space_frameworks.schema.models import EventType, Record, SourceKind, Stance
from space_frameworks.schema.texts import read_source_text

DATASET = load_dataset()
SEEDS = Path(__file__).resolve().parent.parent / "seeds"

# Each partner State with the date of its ILRS cooperation document (partial where no source gives the day).
ILRS_PARTNERS = {
    "China": "2021-03-09",
    "Russia": "2021-03-09",
    "Venezuela": "2023-07-17",
    "South Africa": "2023-09",
    "Azerbaijan": "2023-10-03",
    "Pakistan": "2023-10-18",
    "Belarus": "2023-10-23",
    "Egypt": "2023-12-06",
    "Thailand": "2024-04-05",
    "Nicaragua": "2024-04-24",
    "Serbia": "2024-05",
    "Kazakhstan": "2024-07-03",
    "Senegal": "2024-09-05",
}


def record(record_id: str) -> Record:
    assert record_id in DATASET.records, f"record {record_id} is missing"
    return DATASET.records[record_id]


def statement_dates(item: Record) -> list[str]:
    return [e.date for e in item.status if e.event == EventType.statement]


def test_russia_is_the_id_and_russia_2020_still_resolves() -> None:
    assert "russia-2020" not in DATASET.records
    assert DATASET.resolve("russia-2020").id == "russia"
    assert DATASET.resolve("russia").id == "russia"


def test_compare_by_the_old_id_gives_the_russia_record() -> None:
    by_alias = cli("compare", "ost", "russia-2020", "--format", "json")
    by_id = cli("compare", "ost", "russia", "--format", "json")
    assert by_alias.exit_code == 0, by_alias.output
    assert json.loads(by_alias.output) == json.loads(by_id.output)
    assert [f["id"] for f in json.loads(by_id.output)["frameworks"]] == ["ost", "russia"]


def test_russia_dates_after_2020() -> None:
    dates = statement_dates(record("russia"))
    for date in (
        "2020-07-13",  # Rogozin, Komsomolskaya Pravda (CNBC): Artemis "resembling NATO"
        "2020-10-12",  # Rogozin at the IAC: too US-centric, participation possible on ISS principles
        "2020-12-14",  # Ryabkov (TASS) and Saveliev (Sputnik)
        "2021-03-09",  # ILRS memorandum
        "2021-04-23",  # ILRS joint statement, COPUOS STSC side event
        "2021-10-25",  # Fourth Committee, Agaronova
        "2022-11-25",  # ILRS intergovernmental agreement signed
        "2024-05-28",  # State Duma ratifies
        "2024-06-12",  # Federal law signed
        "2024-07-18",  # agreement in force
    ):
        assert date in dates, date


def test_ilrs_memorandum_agreement_ratification_and_entry_into_force() -> None:
    ilrs = record("ilrs")
    own = {(e.event, e.date) for e in ilrs.status if e.party is None}
    assert (EventType.signed, "2021-03-09") in own
    assert (EventType.signed, "2022-11-25") in own
    assert (EventType.entered_into_force, "2024-07-18") in own
    assert [e.date for e in ilrs.status if e.event == EventType.ratified and e.party == "Russia"] == ["2024-06-12"]
    assert not any(e.date.startswith("2022-12") for e in ilrs.status)


def test_the_agreement_date_is_quoted_from_the_kremlin_notice() -> None:
    ilrs = record("ilrs")
    signed = next(p for p in ilrs.provisions if p.id == "kremlin__signed")
    text = read_source_text(SEEDS, "kremlin-2024-06-12-ilrs-ratification")
    assert text.find(signed.quote) == "official"
    assert "November 25, 2022" in signed.quote
    kremlin = next(s for s in ilrs.sources if s.id == "kremlin-2024-06-12")
    assert kremlin.kind == SourceKind.official_statement


def test_the_kremlin_text_hash_matches_its_header() -> None:
    text = read_source_text(SEEDS, "kremlin-2024-06-12-ilrs-ratification")
    assert text.header["body-sha256"] == hashlib.sha256(text.body.encode("utf-8")).hexdigest()


def test_ilrs_partners_each_dated_and_sourced() -> None:
    ilrs = record("ilrs")
    sources = {s.id: s for s in ilrs.sources}
    signed = {e.party: e for e in ilrs.status if e.event == EventType.signed and e.party}
    assert {party: e.date for party, e in signed.items()} == ILRS_PARTNERS
    for party, event in signed.items():
        assert event.sources, party
        for source_id in event.sources:
            source = sources[source_id]
            assert source.date and source.publisher and (source.url or source.article), (party, source_id)
            assert source.retrieved == "2026-11-30" or source.kind != SourceKind.press, (party, source_id)


def test_ilrs_coverage_is_partial_against_a_declared_count() -> None:
    cover = record("ilrs").participation
    assert cover is not None
    assert cover.coverage.value == "partial" and cover.counted.value == "signatories"
    assert cover.known_total == 17 and cover.as_of == "2024-09-05" and cover.source == "cgtn-2024-09-05"


def test_ilrs_states_no_position_it_cannot_source() -> None:
    ilrs = record("ilrs")
    stances = {p.topic: p.stance for p in ilrs.positions}
    # No ILRS instrument is held: even its peaceful purposes rest on a party's description (rubric, docs/rubric.md).
    assert stances["peaceful-purposes"] == Stance.not_known
    assert stances["resource-ownership"] == Stance.not_known
    assert all(p.not_held for p in ilrs.positions)
    assert ilrs.text_held is not None and ilrs.text_held.extent.value == "none"


@pytest.mark.parametrize("record_id", ["russia", "ilrs"])
def test_every_position_has_a_gist_and_was_verified_today(record_id: str) -> None:
    item = record(record_id)
    assert item.last_verified == "2026-11-30"
    assert all(p.gist for p in item.positions)


def test_compare_artemis_accords_with_ilrs() -> None:
    result = cli("compare", "artemis-accords", "ilrs", "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert [f["id"] for f in document["frameworks"]] == ["artemis-accords", "ilrs"]
    assert len(document["topics"]) == 15
    table = cli("compare", "artemis-accords", "ilrs", columns=120)
    assert table.exit_code == 0 and "ILRS" in table.output


def test_signatories_of_ilrs_prints_the_partners() -> None:
    result = cli("signatories", "ilrs")
    assert result.exit_code == 0, result.output
    for party in ILRS_PARTNERS:
        assert party in result.output
    assert "partial" in result.output


def test_no_russia_record_repeats_a_press_error() -> None:
    for record_id in ("russia", "ilrs"):
        text = json.dumps(record(record_id).model_dump(mode="json", exclude={"corrections"})).lower()
        assert "never became law" not in text
        assert "december 2022" not in text, record_id
