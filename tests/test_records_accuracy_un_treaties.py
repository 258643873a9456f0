"""Record accuracy, UN treaties and declarations: the OST, the Liability and Registration Conventions.

Also the 1963 and 1996 declarations, checked against the fact sheet: dates, party counts with their
dates and sources, what `signatories` tells a reader, and record text that speaks of the law rather
than of our files."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import cli
from space_frameworks.reports.timeline import signatories
from space_frameworks.schema.dataset import load_dataset
from space_frameworks.schema.language import text_problems
from space_frameworks.schema.models import Counted, Coverage, EventType, Record, SourceKind, Stance
from space_frameworks.schema.texts import read_source_text

DATASET = load_dataset()
TREATIES = ["ost", "liability-convention", "registration-convention"]
DECLARATIONS = ["declaration-1963", "benefits-declaration-1996"]
ALL = TREATIES + DECLARATIONS


def record(record_id: str) -> Record:
    assert record_id in DATASET.records, f"record {record_id} is missing"
    return DATASET.records[record_id]


def dates(item: Record, kind: EventType) -> list[str]:
    return [e.date for e in item.status if e.event == kind and e.party is None]


def footer(record_id: str) -> str:
    return signatories(record(record_id)).footer


# --- dates (fact sheet sections 0 and 1) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("record_id", "resolution", "adopted", "opened", "in_force"),
    [
        ("ost", "2222 (XXI)", "1966-12-19", "1967-01-27", "1967-10-10"),
        ("liability-convention", "2777 (XXVI)", "1971-11-29", "1972-03-29", "1972-09-01"),
        ("registration-convention", "3235 (XXIX)", "1974-11-12", "1975-01-14", "1976-09-15"),
    ],
)
def test_treaty_dates_and_resolution(record_id: str, resolution: str, adopted: str, opened: str, in_force: str) -> None:
    item = record(record_id)
    assert any(resolution in identifier for identifier in item.identifiers)
    assert dates(item, EventType.adopted) == [adopted]
    assert dates(item, EventType.opened_for_signature) == [opened]
    assert dates(item, EventType.entered_into_force) == [in_force]


def test_declaration_dates_and_resolutions() -> None:
    assert dates(record("declaration-1963"), EventType.adopted) == ["1963-12-13"]
    assert any("1962 (XVIII)" in i for i in record("declaration-1963").identifiers)
    assert dates(record("benefits-declaration-1996"), EventType.adopted) == ["1996-12-13"]
    assert any("51/122" in i for i in record("benefits-declaration-1996").identifiers)


def test_the_ost_opened_for_signature_in_the_three_depositary_capitals() -> None:
    opened = next(e for e in record("ost").status if e.event == EventType.opened_for_signature)
    assert all(city in opened.description for city in ("London", "Moscow", "Washington"))


# --- commonly confused facts C1-C3 ---------------------------------------------------------------


def test_c2_the_ost_has_five_authentic_languages_not_arabic() -> None:
    ost = record("ost")
    article_17 = next(p for p in ost.provisions if p.id == "art_17")
    assert "English, Russian, French, Spanish and Chinese texts are equally authentic" in article_17.quote
    assert "Arabic" not in article_17.quote
    # The mirror that lists Arabic is cited only with a correction of that claim.
    assert any("Arabic" in c.claim and c.source == "encyclopedia-mirror-ost-2025" for c in ost.corrections)


def test_c1_the_ost_says_province_of_all_mankind() -> None:
    ost = record("ost")
    assert any("shall be the province of all mankind" in p.quote for p in ost.provisions)
    assert not any("common heritage" in p.quote.lower() for p in ost.provisions)


def test_c3_state_concerned_is_the_1963_declaration_and_not_the_ost() -> None:
    declaration = record("declaration-1963")
    para_5 = next(p for p in declaration.provisions if p.id == "para_5")
    assert "continuing supervision by the State concerned" in para_5.quote
    ost_6 = next(p for p in declaration.provisions if p.id == "ost_art_6")
    assert ost_6.text == "ost-1967" and "appropriate State Party to the Treaty" in ost_6.quote
    assert not any("State concerned" in p.quote for p in record("ost").provisions)


# --- party counts: dated, sourced, never bare ----------------------------------------------------


def test_ost_party_count_is_the_un_audiovisual_library_count_of_1_january_2008() -> None:
    ost = record("ost")
    cover = ost.participation
    assert cover is not None
    assert (cover.coverage, cover.counted, cover.known_total, cover.as_of) == (Coverage.not_recorded, Counted.parties, 99, "2008-01-01")
    source = next(s for s in ost.sources if s.id == cover.source)
    assert source.publisher == "United Nations Audiovisual Library of International Law"
    assert source.url and source.retrieved
    assert "99 ratifications and 25 signatures" in (source.note or "")
    # The note warns that the count is old and names the later, non-UN figure as such.
    assert "out of date" in (cover.note or "") and "117" in (cover.note or "")


@pytest.mark.parametrize("record_id", ["liability-convention", "registration-convention"])
def test_convention_party_counts_are_not_claimed_without_a_verified_source(record_id: str) -> None:
    cover = record(record_id).participation
    assert cover is not None
    assert (cover.coverage, cover.counted) == (Coverage.not_recorded, Counted.parties)
    assert cover.known_total is None and cover.as_of is None and cover.source is None
    assert "not been verified" in (cover.note or "")


def test_signatories_ost_prints_the_dated_count_with_its_source() -> None:
    assert (
        footer("ost")
        == "List of parties not recorded: 99 parties as of 1 Jan 2008 (United Nations Audiovisual Library of International Law)"
    )


@pytest.mark.parametrize("record_id", ["liability-convention", "registration-convention"])
def test_signatories_conventions_say_the_count_is_not_verified(record_id: str) -> None:
    assert footer(record_id) == "List of parties not recorded; the count is not verified"


@pytest.mark.parametrize("record_id", DECLARATIONS)
def test_signatories_declarations_say_states_do_not_join_them(record_id: str) -> None:
    assert footer(record_id).endswith("is not an instrument that States join: no list of parties")


@pytest.mark.parametrize("record_id", TREATIES)
def test_the_signatories_command_never_prints_a_bare_zero(record_id: str) -> None:
    result = cli("signatories", record_id, columns=200)
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "List of parties not recorded" in text
    assert "0 participating" not in text and "0 parties" not in text


@pytest.mark.parametrize("record_id", TREATIES)
def test_the_count_is_the_same_on_any_later_date(record_id: str) -> None:
    """A not-recorded list has no per-State events, so --as-of cannot change the line (nor show 0)."""
    assert signatories(record(record_id), dt.date(2030, 1, 1)).footer == footer(record_id)


# --- reader-facing text and the basis of every position ------------------------------------------


@pytest.mark.parametrize("record_id", ALL)
def test_record_text_speaks_of_the_law_not_of_our_files(record_id: str) -> None:
    assert text_problems(record(record_id).model_dump(mode="json")) == []


@pytest.mark.parametrize("record_id", ALL)
def test_silent_rests_on_a_complete_text_that_was_read(record_id: str) -> None:
    """'silent' means the held text says nothing: the record's text must be complete, and each silent
    position must cite that text (a provision of it, or the official-text source it comes from)."""
    item = record(record_id)
    assert item.text is not None
    assert read_source_text(DATASET.seeds, item.text).header["status"].startswith("COMPLETE")
    official = {s.id for s in item.sources if s.kind == SourceKind.official_text}
    own = {p.id for p in item.provisions if p.text in (None, item.text)}
    for position in item.positions:
        if position.stance == Stance.silent:
            assert set(position.provisions) & own or set(position.sources) & official, (record_id, position.topic)


@pytest.mark.parametrize("record_id", ALL)
def test_every_position_has_a_gist_and_the_record_was_rechecked(record_id: str) -> None:
    item = record(record_id)
    assert all(p.gist and len(p.gist) <= 90 for p in item.positions)
    assert item.last_verified == "2026-11-30"
