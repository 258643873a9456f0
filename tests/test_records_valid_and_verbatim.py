"""The real records: valid, complete, every quote verbatim, every press excerpt verbatim."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from conftest import SHARED
from space_frameworks.schema.dataset import load_dataset
from space_frameworks.schema.models import QuoteBasis
from space_frameworks.schema.texts import normalise, quote_found, read_source_text
from space_frameworks.schema.validation import validate

DATASET = load_dataset()
RECORDS = sorted(DATASET.records)
CARD = ["ost", "us-eo-2020", "lux-2017", "artemis-accords", "russia"]


def test_every_record_file_loads() -> None:
    assert DATASET.problems == []
    assert set(CARD) <= set(RECORDS)


def test_the_records_pass_validation_as_the_validate_command_checks_them() -> None:
    """Through the one pipeline `frameworks validate` and every data command use (schema.validation)."""
    result = validate(None)
    assert [str(p) for p in result.problems] == []
    assert result.files == len(RECORDS)


@pytest.mark.parametrize("record_id", RECORDS)
def test_every_topic_has_exactly_one_position(record_id: str) -> None:
    topics = [p.topic for p in DATASET.records[record_id].positions]
    assert sorted(topics) == sorted(t.id for t in DATASET.topics)


@pytest.mark.parametrize("record_id", RECORDS)
def test_every_quote_is_verbatim_in_the_text_it_cites(record_id: str) -> None:
    """The quote test: each provision's words stand in seeds/texts/<text>.txt, word for word
    (whitespace and typographic quotes folded), official quotes in the official part of the text."""
    record = DATASET.records[record_id]
    for provision in record.provisions:
        text = read_source_text(DATASET.seeds, provision.text or record.text)
        found = text.find(provision.quote)
        assert found is not None, f"{record_id} {provision.id}: quote not in {text.path.name}"
        if provision.quote_basis == QuoteBasis.official:
            assert found == "official", f"{record_id} {provision.id}: found only in a secondary quotation"


def test_quote_matching_is_exact_apart_from_whitespace_and_typography() -> None:
    text = normalise("The moon and its natural resources are the “common heritage of mankind”,\n which finds")
    assert quote_found('its natural resources are the "common heritage of mankind", which', text)
    assert quote_found("The moon ... which finds", text)
    assert not quote_found("the common heritage of mankind", text)  # quotes marks are part of the text
    assert not quote_found("The Moon and its", text)  # case matters
    assert not quote_found("which finds ... The moon", text)  # omitted parts must come in order


def test_texts_keep_their_provenance_header() -> None:
    for path in sorted((DATASET.seeds / "texts").glob("*.txt")):
        text = read_source_text(DATASET.seeds, path.stem)
        assert {"id", "source-url", "status"} <= set(text.header), path.name
        assert text.header["id"] == path.stem


def test_every_press_excerpt_is_verbatim_in_its_seed_report() -> None:
    # The whole press reports are not in the repository (they are others' copyrighted articles; seeds/
    # keeps citations and short excerpts): they sit beside the checkout, in ../shared/seeds, as they do
    # in CI. There their absence is a failure, never a quiet skip; a contributor without them is told.
    if not (SHARED / "seeds").is_dir():
        if os.environ.get("CI"):
            pytest.fail("../shared/seeds is missing in CI: the press excerpts cannot be checked")
        pytest.skip("the press reports (../shared/seeds) are not beside this checkout; CI checks the excerpts")
    checked = 0
    for article in DATASET.articles.values():
        if article.seed_file is None:
            continue
        body = normalise((SHARED / "seeds" / article.seed_file).read_text(encoding="utf-8"))
        for excerpt in article.excerpts:
            assert quote_found(excerpt.text, body), f"{article.id}/{excerpt.id} not in {article.seed_file}"
            checked += 1
    assert checked >= 5


def test_last_verified_dates_are_not_in_the_future() -> None:
    today = dt.date.today()
    for record in DATASET.records.values():
        assert dt.date.fromisoformat(record.last_verified) <= today


@pytest.mark.parametrize("record_id", RECORDS)
def test_every_position_has_a_one_line_gist(record_id: str) -> None:
    """Matrices and overviews show the gist; the model caps its length, this asks that ours give one."""
    missing = [p.topic for p in DATASET.records[record_id].positions if not p.gist]
    assert missing == [], f"{record_id}: no gist on {missing}"
