"""Record accuracy, Executive Order 13914 (us-eo-2020): against its complete text.

Sections, pinpoints, dates, provenance. The text (seeds/texts/us-eo-13914-2020.txt) renders each
section label as a line "### Section N." (its header says so); the spans between those lines are the
sections a pinpoint sec_N... must quote.
"""

from __future__ import annotations

import hashlib
import re

import pytest

from space_frameworks.schema.dataset import load_dataset
from space_frameworks.schema.models import EventType, QuoteBasis, Record
from space_frameworks.schema.texts import SourceText, normalise, quote_found, read_source_text

DATASET = load_dataset()
RECORD: Record = DATASET.records["us-eo-2020"]
TEXT: SourceText = read_source_text(DATASET.seeds, "us-eo-13914-2020")

HEADINGS = {
    1: "Policy",
    2: "The Moon Agreement",
    3: "Encouraging International Support for the Recovery and Use of Space Resources",
    4: "Report on Efforts to Encourage International Support for the Recovery and Use of Space Resources",
    5: "General Provisions",
}
_LABEL = re.compile(r"^### Section (\d+)\.$", re.M)
_CLOSING = "THE WHITE HOUSE,"


def spans() -> dict[str, str]:
    """The text cut at its section labels: 'front' (heading, enacting clause), 'sec_1'..'sec_5', 'closing'."""
    body = TEXT.body
    labels = list(_LABEL.finditer(body))
    parts = {"front": body[: labels[0].start()]}
    for label, following in zip(labels, [*labels[1:], None], strict=True):
        parts[f"sec_{label.group(1)}"] = body[label.end() : following.start() if following else None]
    last, closing = parts["sec_5"].split(_CLOSING, 1)
    parts["sec_5"], parts["closing"] = last, _CLOSING + closing
    return {name: normalise(part) for name, part in parts.items()}


SPANS = spans()


def span_of(pinpoint: str) -> str:
    """The part of the text a provision id points into: sec_3__arrangements -> sec_3, preamble -> front."""
    section = pinpoint.split("__", 1)[0]
    if section in ("heading", "preamble"):
        return "front"
    return section


def test_the_order_has_five_sections_with_their_headings() -> None:
    assert [int(m.group(1)) for m in _LABEL.finditer(TEXT.body)] == [1, 2, 3, 4, 5]
    for number, heading in HEADINGS.items():
        assert SPANS[f"sec_{number}"].lstrip("* ").startswith(heading), (number, heading)


def test_the_text_is_complete_and_has_no_third_party_part() -> None:
    assert TEXT.header["status"].startswith("COMPLETE")
    assert "=====" not in TEXT.body  # the marker of PARTIAL texts' parts, including third-party quotations
    assert "(c) This order is not intended to, and does not, create any right or benefit" in SPANS["sec_5"]
    assert SPANS["closing"].startswith("THE WHITE HOUSE, April 6, 2020.")


def test_body_sha256_header_is_the_hash_of_the_body() -> None:
    assert TEXT.header["body-sha256"] == hashlib.sha256(TEXT.body.encode("utf-8")).hexdigest()


@pytest.mark.parametrize("provision", RECORD.provisions, ids=lambda p: p.id)
def test_each_quote_comes_from_the_section_its_pinpoint_names(provision) -> None:
    assert provision.text is None, "every provision quotes the order itself"
    assert provision.quote_basis == QuoteBasis.official
    assert TEXT.find(provision.quote) == "official"
    span = span_of(provision.id)
    assert span in SPANS, f"{provision.id}: no part '{span}' in the text"
    assert quote_found(provision.quote, SPANS[span]), f"{provision.id}: quote not in {span}"
    if span.startswith("sec_"):
        number = span.removeprefix("sec_")
        assert provision.label.startswith(f"Sec. {number}"), provision.label


def test_the_key_passages_sit_in_their_sections() -> None:
    quotes = {p.id: p.quote for p in RECORD.provisions}
    assert "Secretary of State shall object" in quotes["sec_2"]
    assert quote_found("treat the Moon Agreement as reflecting or otherwise expressing customary international law", SPANS["sec_2"])
    assert not quote_found("shall object", SPANS["sec_1"] + SPANS["sec_3"])
    assert quote_found("the United States does not view it as a global commons", SPANS["sec_1"])
    assert quote_found("joint statements and bilateral and multilateral arrangements with foreign states", SPANS["sec_3"])
    assert quote_found("No later than 180 days after the date of this order", SPANS["sec_4"])
    assert quote_found("which the United States and 108 other countries have joined", SPANS["sec_1"])


def test_every_pinpoint_of_every_position_exists_in_the_text() -> None:
    provisions = {p.id for p in RECORD.provisions}
    for position in RECORD.positions:
        for pinpoint in position.provisions:
            assert pinpoint in provisions, (position.topic, pinpoint)
            assert span_of(pinpoint) in SPANS, (position.topic, pinpoint)


def test_positions_quote_only_the_order() -> None:
    """`frameworks show us-eo-2020` quotes provisions and press excerpts: only the former, all of the order."""
    assert all(not position.excerpts for position in RECORD.positions)


def test_dates_and_federal_register_citation() -> None:
    signed = [e.date for e in RECORD.status if e.event == EventType.signed]
    published = [e.date for e in RECORD.status if e.event == EventType.published]
    assert signed == ["2020-04-06"] and published == ["2020-04-10"]
    assert {"Executive Order 13914", "85 FR 20381-20382", "FR Doc. 2020-07800"} <= set(RECORD.identifiers)
    assert "Executive Order 13914 of April 6, 2020" in SPANS["front"]
    assert "[FR Doc. 2020-07800 Filed 4-9-20; 11:15 am]" in SPANS["closing"]
    for fact in ("6 Apr 2020", "10 Apr 2020", "85 FR 20381-20382", "FR Doc. 2020-07800"):
        assert fact in TEXT.header["date"], fact


def test_no_position_rests_on_an_unverified_or_secondary_basis() -> None:
    assert all(p.quote_basis == QuoteBasis.official for p in RECORD.provisions)
    for position in RECORD.positions:
        assert position.stance.value != "not-known", position.topic
        assert "unconfirmed" not in (position.summary + (position.note or "")).lower(), position.topic


def test_the_press_errors_stay_corrected_with_the_official_enacting_clause() -> None:
    corrected = {c.source: c for c in RECORD.corrections}
    assert "never became law" in corrected["mt-2020-04-07-colonialism"].claim
    # The UK broadcaster's report is unnamed, so no record cites it; its error stays corrected with the report.
    assert "uk-2020-04-privatise-space" not in corrected and all(s.article != "uk-2020-04-privatise-space" for s in RECORD.sources)
    unnamed = DATASET.articles["uk-2020-04-privatise-space"]
    assert any("congress signed a bill" in e.claim for e in unnamed.errors)
    for correction in corrected.values():
        assert "preamble" in correction.evidence and "114-90" in correction.correction
