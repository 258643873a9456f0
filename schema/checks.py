"""Checks that need more than one field or more than one file: the one place for them.

Every id a record cites must exist (topics, provisions, sources, press excerpts); no id or alias
may be used twice; every quote must stand word for word in the text it cites; status events must
be in date order; a record's file is named after its id; last_verified is not in the future.
Under --strict, warnings (stale verification, a topic with no position, a position citing
nothing) count as errors.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .dates import date_key
from .models import Article, QuoteBasis, Record
from .problems import Problem, display_path, field_path
from .records import Dataset
from .texts import SourceText, read_source_text

STALE_AFTER_DAYS = 365


def check_dataset(dataset: Dataset, *, today: dt.date | None = None) -> list[Problem]:
    """All cross-field and cross-record problems of `dataset`, errors and warnings."""
    today = today or dt.date.today()
    articles = dataset.articles
    texts = _TextCache(dataset.seeds)
    problems = list(_check_names(dataset))
    for record in dataset.records.values():
        problems.extend(_check_record(dataset, record, articles, texts, today))
    return problems


def _at(dataset: Dataset, record: Record, loc: tuple[Any, ...], message: str, severity: str = "error") -> Problem:
    document = dataset.documents[record.id]
    line, col = document.position(loc)
    return Problem(display_path(dataset.files[record.id]), line, col, field_path(loc), message, severity)


def _check_names(dataset: Dataset) -> Iterator[Problem]:
    owner: dict[str, str] = {record.id: record.id for record in dataset.records.values()}
    for record in dataset.records.values():
        for index, alias in enumerate(record.aliases):
            if alias in owner and owner[alias] != record.id:
                yield _at(dataset, record, ("aliases", index), f"alias '{alias}' is already the id or an alias of '{owner[alias]}'")
            elif alias == record.id or alias in record.aliases[:index]:
                yield _at(dataset, record, ("aliases", index), f"alias '{alias}' is given twice")
            else:
                owner[alias] = record.id


class _TextCache:
    """Each seeds/texts file is read once per check run."""

    def __init__(self, seeds: Path) -> None:
        self.seeds = seeds
        self.texts: dict[str, SourceText | None] = {}

    def get(self, text_id: str) -> SourceText | None:
        if text_id not in self.texts:
            try:
                self.texts[text_id] = read_source_text(self.seeds, text_id)
            except (OSError, UnicodeDecodeError):
                self.texts[text_id] = None
        return self.texts[text_id]


def _check_record(dataset: Dataset, record: Record, articles: dict[str, Article], texts: _TextCache, today: dt.date) -> Iterator[Problem]:
    def at(loc: tuple[Any, ...], message: str, severity: str = "error") -> Problem:
        return _at(dataset, record, loc, message, severity)

    stem = dataset.files[record.id].stem
    if stem != record.id:
        yield at(("id",), f"the file is named '{stem}' but the id is '{record.id}': name it {record.id}.yaml")

    provisions = {p.id for p in record.provisions}
    sources = {s.id for s in record.sources}
    topics = {t.id for t in dataset.topics}
    excerpts = {f"{a.id}/{e.id}" for a in articles.values() for e in a.excerpts}
    yield from _duplicates(at, "provisions", [p.id for p in record.provisions])
    yield from _duplicates(at, "sources", [s.id for s in record.sources])
    yield from _duplicates(at, "positions", [p.topic for p in record.positions], key="topic")

    if record.text is not None and texts.get(record.text) is None:
        yield at(("text",), f"no text '{record.text}' under seeds/texts/ ({record.text}.txt)")

    previous: tuple[int, int, int] | None = None
    for index, event in enumerate(record.status):
        for j, source in enumerate(event.sources):
            if source not in sources:
                yield at(("status", index, "sources", j), f"unknown source '{source}'{_hint(source, sources)}")
        key = date_key(event.date)
        if previous is not None and key < previous:
            yield at(("status", index, "date"), f"status events must be in date order: {event.date} comes after a later event")
        previous = key

    for index, provision in enumerate(record.provisions):
        text_id = provision.text or record.text
        if text_id is None:
            yield at(("provisions", index, "text"), "no text to check the quote against: set the record's text or the provision's")
            continue
        text = texts.get(text_id)
        if text is None:
            if provision.text is not None:
                yield at(("provisions", index, "text"), f"no text '{text_id}' under seeds/texts/")
            continue
        found = text.find(provision.quote)
        if found is None:
            yield at(("provisions", index, "quote"), f"quote not found word for word in seeds/texts/{text_id}.txt")
        elif found == "secondary" and provision.quote_basis == QuoteBasis.official:
            yield at(
                ("provisions", index, "quote"),
                f"quote found only in a third-party quotation in {text_id}.txt: set quote_basis: secondary",
            )

    for index, position in enumerate(record.positions):
        if position.topic not in topics:
            yield at(("positions", index, "topic"), f"unknown topic '{position.topic}'{_hint(position.topic, topics)}")
        for j, pinpoint in enumerate(position.provisions):
            if pinpoint not in provisions:
                yield at(("positions", index, "provisions", j), f"unknown provision '{pinpoint}'{_hint(pinpoint, provisions)}")
        for j, source in enumerate(position.sources):
            if source not in sources:
                yield at(("positions", index, "sources", j), f"unknown source '{source}'{_hint(source, sources)}")
        for j, excerpt in enumerate(position.excerpts):
            if excerpt not in excerpts:
                yield at(
                    ("positions", index, "excerpts", j),
                    f"unknown excerpt '{excerpt}' (not in seeds/articles.yaml){_hint(excerpt, excerpts)}",
                )
        if not (position.provisions or position.sources or position.excerpts):
            yield at(("positions", index), "position cites no provision, source or excerpt", "warning")

    for index, source in enumerate(record.sources):
        if source.article is not None and source.article not in articles:
            yield at(("sources", index, "article"), f"unknown article '{source.article}' (not in seeds/articles.yaml)")

    for index, correction in enumerate(record.corrections):
        if correction.source not in sources:
            yield at(("corrections", index, "source"), f"unknown source '{correction.source}'{_hint(correction.source, sources)}")
        for j, evidence in enumerate(correction.evidence):
            if evidence not in sources and evidence not in provisions:
                yield at(("corrections", index, "evidence", j), f"unknown provision or source '{evidence}'")

    for index, source in enumerate(record.verified_against):
        if source not in sources:
            yield at(("verified_against", index), f"unknown source '{source}'{_hint(source, sources)}")

    verified = dt.date.fromisoformat(record.last_verified)
    if verified > today:
        yield at(("last_verified",), f"{record.last_verified} is in the future")
    elif (today - verified).days > STALE_AFTER_DAYS:
        yield at(("last_verified",), f"not verified for {(today - verified).days} days (over {STALE_AFTER_DAYS})", "warning")

    answered = {p.topic for p in record.positions}
    for topic in dataset.topics:
        if topic.id not in answered:
            yield at(("positions",), f"no position on topic '{topic.id}' (silent is a position)", "warning")


def _duplicates(at: Any, list_name: str, values: list[str], key: str = "id") -> Iterator[Problem]:
    seen: set[str] = set()
    for index, value in enumerate(values):
        if value in seen:
            yield at((list_name, index, key), f"'{value}' is given twice in {list_name}")
        seen.add(value)


def _hint(value: str, known: set[str]) -> str:
    close = difflib.get_close_matches(value, sorted(known), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""
