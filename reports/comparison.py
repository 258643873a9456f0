"""The Comparison: frameworks x topics, each cell with stance, summary, pinpoints, quotes, sources.

It is built once from a Dataset by ``build_comparison`` and handed, unchanged, to every renderer
(terminal, markdown, csv, json, html, pdf). Renderers never go back to the records.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..schema.dataset import Dataset
from ..schema.dates import date_key, format_date, happened_by
from ..schema.models import OFFICIAL_SOURCES, SUBSTANTIVE_STANCES, EventType, Extent, Record, SourceKind, Stance, Support
from ..schema.readings import no_reading_summary, previous_reading, reading_on
from .vocabulary import (
    AGREE,
    ALL_SILENT,
    DEGREE,
    DIFFERENCES,
    HEADLINE_ORDER,
    NOT_COMPARABLE,
    NOT_YET,
    ONE_SILENT,
    OPPOSED,
    RELATION_BY_ID,
    UNRECORDED,
    stance_words,
)

__all__ = ["AGREE", "ALL_SILENT", "DEGREE", "DIFFERENCES", "HEADLINE_ORDER", "NOT_COMPARABLE", "NOT_YET", "ONE_SILENT", "OPPOSED"]
__all__ += ["UNRECORDED", "stance_words", "build_comparison", "relation_of"]

# Events that show an instrument exists as a text (or a position as stated) from their date on.
# A draft does not: the Artemis Accords did not exist as signed text before 13 Oct 2020.
_EXISTENCE = {
    EventType.adopted,
    EventType.enacted,
    EventType.opened_for_signature,
    EventType.signed,
    EventType.published,
    EventType.entered_into_force,
    EventType.established,
    EventType.statement,
}
_EVENT_WORDS = {
    EventType.opened_for_signature: "opened for signature",
    EventType.entered_into_force: "in force",
    EventType.withdrawal_notified: "withdrawal notified",
    EventType.withdrawal_effective: "withdrawal effective",
}
_COMPARABLE = {s.value for s in SUBSTANTIVE_STANCES} | {Stance.silent.value}
# Sources that speak for a State or an intergovernmental body without being the text itself.
_STATEMENTS = {SourceKind.official_statement, SourceKind.intergovernmental, SourceKind.parliament_court}
# Stances that grant or affirm: against "denies" they make a topic OPPOSED.
_GRANTS = {Stance.affirms.value, Stance.conditional.value}


def event_words(event: EventType) -> str:
    """'entered-into-force' -> 'in force', 'signed' -> 'signed'."""
    return _EVENT_WORDS.get(event, event.value.replace("-", " "))


@dataclass(frozen=True)
class Quote:
    """Verbatim words a cell rests on: a provision of the text or a press excerpt."""

    ref: str  # pinpoint id ("art_2") or "article-id/excerpt-id"
    label: str  # "Article II" or "The Moscow Times, 7 Apr 2020"
    text: str
    secondary: bool  # the words were verified only in a third-party reproduction or press report


@dataclass(frozen=True)
class SourceRef:
    """A source a cell or framework cites."""

    id: str
    title: str
    publisher: str
    kind: str
    date: str | None
    url: str | None
    retrieved: str | None


@dataclass(frozen=True)
class Cell:
    """One framework's position on one topic."""

    framework: str
    topic: str
    stance: str  # a Stance value, or NOT_YET when the framework did not exist on the as-of date
    summary: str
    gist: str | None  # the position in one line, when the record gives one
    quotes: tuple[Quote, ...]
    sources: tuple[SourceRef, ...]
    note: str | None
    since: str | None = None  # the date the reading shown took effect, when the record dates it
    before: str | None = None  # the stance of the reading before it, if any

    @property
    def dated(self) -> str:
        """'since 25 Oct 2021' for a dated reading, '' otherwise (never the reading's end: on the
        as-of date it had not ended, and a later change is not for that date's reader)."""
        return f"since {format_date(self.since)}" if self.since else ""

    not_held: str | None = None  # for a not-known stance: the passage or statement not held that would decide it

    @property
    def why_not_known(self) -> str | None:
        """'Not held: Sec. 10(4)' for a not-known cell that names what is missing, else None."""
        return f"Not held: {self.not_held}" if self.stance == Stance.not_known.value and self.not_held else None

    @property
    def positioned(self) -> bool:
        """Whether the cell holds a position (not 'not yet' or 'not recorded')."""
        return self.stance not in (NOT_YET, UNRECORDED)

    @property
    def support(self) -> str:
        """What the cell rests on, the strongest kind it cites (schema.models.Support): official text,
        official statement, secondary reproduction, press report, or nothing cited."""
        kinds = {s.kind for s in self.sources}
        if any(not q.secondary for q in self.quotes) or kinds & {SourceKind.official_text.value, SourceKind.official_record.value}:
            return Support.official_text.value
        if kinds & {k.value for k in OFFICIAL_SOURCES | _STATEMENTS}:
            return Support.official_statement.value
        if any(q.secondary and "/" not in q.ref for q in self.quotes) or kinds - {SourceKind.press.value}:
            return Support.secondary_reproduction.value
        if self.quotes or self.sources:
            return Support.press_report.value
        return Support.nothing.value

    @property
    def pinpoints(self) -> tuple[str, ...]:
        """Labels of the provisions and excerpts cited, each once: 'Article II', 'Sec. 10(2)',
        'TASS, 14 Dec 2020' (two excerpts of one report are one citation)."""
        return tuple(dict.fromkeys(q.label for q in self.quotes))

    @property
    def cited(self) -> str:
        """'Article II; Sec. 1 (third-party reproduction)': the pinpoints as a reader cites them, each
        once, with the words verified only in a third-party reproduction marked."""
        labels = (f"{q.label} (third-party reproduction)" if q.secondary and q.ref.count("/") == 0 else q.label for q in self.quotes)
        return "; ".join(dict.fromkeys(labels))

    @property
    def rests_on(self) -> str:
        """What the cell rests on, in a line: its pinpoints (`cited`), else the sources it cites
        ('Legilux, 20 Jul 2017'), else '' (a cell that is not yet, or takes no position)."""
        if self.quotes:
            return self.cited
        named = (f"{s.publisher}, {format_date(s.date)}" if s.date else s.publisher for s in self.sources)
        return "; ".join(dict.fromkeys(named))

    @property
    def rests_on_secondary(self) -> bool:
        """True when nothing the cell cites is verified in an official text."""
        official = [q for q in self.quotes if not q.secondary]
        return not official and bool(self.quotes or self.sources)


@dataclass(frozen=True)
class Column:
    """A framework as a column of the comparison."""

    id: str
    short_title: str
    title: str
    kind: str
    legal_force: str
    jurisdiction: str
    status: str  # "in force since 10 Oct 1967" (on the as-of date, if one is given)
    exists: bool  # False when the as-of date is before the framework's first event
    last_verified: str
    as_of: str | None = None  # the date whose readings the cells show (None: the current ones)
    text_held: str = "not stated"  # "complete", "partial", "none" (schema.models.Extent) or "not stated"
    text_held_detail: str = ""  # "held: ...; missing: ..." for a partial text

    @property
    def coverage(self) -> str:
        """'text held: complete' or 'text held: partial (held: ...; missing: ...)', for a reader."""
        if self.text_held == Extent.none.value:
            return "text held: none (positions rest on descriptions or statements)"
        return f"text held: {self.text_held}" + (f" ({self.text_held_detail})" if self.text_held_detail else "")


@dataclass(frozen=True)
class Row:
    """One topic across all columns."""

    topic: str
    label: str
    question: str
    cells: tuple[Cell, ...]

    @property
    def relation(self) -> str:
        """How the frameworks relate on this topic: one of vocabulary.RELATIONS (see relation_of)."""
        return relation_of([c.stance for c in self.cells])

    @property
    def agree(self) -> bool:
        """Whether every framework takes the same substantive stance on this topic."""
        return self.relation == AGREE

    @property
    def differ(self) -> bool:
        """Whether the topic is a difference: opposed, differ in degree, or one side silent."""
        return self.relation in DIFFERENCES


def relation_of(stances: list[str]) -> str:
    """The relation of a topic's stances, read from the cells that can be compared (a substantive
    stance or silent): OPPOSED when one grants or affirms and another denies; DEGREE when those that
    speak take other different stances (a difference found holds whatever the cells not known say).
    Otherwise a cell not known, not yet or not recorded makes it NOT_COMPARABLE: it might differ, so
    neither agreement nor "one side silent" can be claimed. Else ONE_SILENT when those that speak
    agree and another is silent, AGREE (one substantive stance everywhere) or ALL_SILENT. The site's
    compare.js follows this function."""
    spoken = {s for s in stances if s in _COMPARABLE and s != Stance.silent.value}
    silent = Stance.silent.value in stances
    if spoken & _GRANTS and Stance.denies.value in spoken:
        return OPPOSED
    if len(spoken) > 1:
        return DEGREE
    if len(stances) > 1 and any(s not in _COMPARABLE for s in stances):
        return NOT_COMPARABLE
    if spoken and silent:
        return ONE_SILENT
    if not spoken and not silent:
        return NOT_COMPARABLE
    return AGREE if spoken else ALL_SILENT


@dataclass(frozen=True)
class Comparison:
    """Frameworks x topics; `rows` may be only some relations (see `shown`)."""

    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    as_of: str | None
    topics_compared: int  # topics selected, before --differences or --relation dropped the others
    counts: tuple[tuple[str, int], ...]  # (relation, number of topics), in HEADLINE_ORDER, over all topics compared
    shown: tuple[str, ...] | None = None  # the relations kept (--differences, --relation); None: all

    @property
    def differences_only(self) -> bool:
        """Whether only the differences (opposed, differ in degree, one side silent) are shown."""
        return self.shown == DIFFERENCES

    def count(self, relation: str) -> int:
        """How many of the topics compared stand in `relation` (one of vocabulary.HEADLINE_ORDER)."""
        return dict(self.counts).get(relation, 0)

    @property
    def topics_agreeing(self) -> int:
        """Topics on which every framework takes the same substantive stance."""
        return self.count(AGREE)

    def headline(self) -> list[tuple[int, str]]:
        """The counts as (number, reader's words) in HEADLINE_ORDER: (1, 'opposed'), (7, 'one side silent')..."""
        frameworks = len(self.columns)
        return [(n, RELATION_BY_ID[relation].say(frameworks)) for relation, n in self.counts]

    def agreement(self) -> str:
        """'opposed on 1 · differ in degree on 2 · one side silent on 7 · agree on 0 · both silent on 5 ·
        not comparable on 0 (of 15 topics)' (one framework: 'one framework, 15 topics')."""
        plural = "s" if self.topics_compared != 1 else ""
        if len(self.columns) < 2:
            return f"one framework, {self.topics_compared} topic{plural}"
        return " · ".join(f"{words} on {n}" for n, words in self.headline()) + f" (of {self.topics_compared} topic{plural})"


def _after_today(value: str) -> bool:
    """Whether a (possibly partial) date begins after today: '2027' in 2026, '2026-12-08' on 7 Dec 2026."""
    year, month, day = date_key(value)
    return dt.date(year, month or 1, day or 1) > dt.date.today()


def framework_status(record: Record, as_of: dt.date | None) -> tuple[str, bool]:
    """A short status line on `as_of` (or today), and whether the framework existed then."""
    # Without --as-of: every event but one dated after today, which has not happened whatever the record says.
    own = [e for e in record.status if e.party is None and (happened_by(e.date, as_of) if as_of else not _after_today(e.date))]
    exists = any(e.event in _EXISTENCE for e in own)
    if not exists:
        if own:
            return f"{NOT_YET} ({event_words(own[-1].event)} {format_date(own[-1].date)})", False
        first = next((e for e in record.status if e.party is None), record.status[0])
        return f"{NOT_YET} ({event_words(first.event)} {format_date(first.date)})", False
    if record.kind == "national-position":
        statements = [e for e in own if e.event == EventType.statement]
        if len(statements) == 1:
            return f"statement {format_date(statements[0].date)}", exists
        if statements:
            return f"statements {format_date(statements[0].date)} to {format_date(statements[-1].date)}", exists
    in_force = [e for e in own if e.event == EventType.entered_into_force]
    latest = own[-1]
    if in_force and latest.event not in (EventType.repealed, EventType.superseded):
        return f"in force since {format_date(in_force[0].date)}", exists
    return f"{event_words(latest.event)} {format_date(latest.date)}", exists


def build_comparison(
    dataset: Dataset,
    ids: list[str],
    topics: list[str] | None = None,
    as_of: dt.date | None = None,
    differences_only: bool = False,
    relations: list[str] | None = None,
) -> Comparison:
    """Compare the records `ids` (already resolved) on `topics` (default: all), as of a date.
    With `differences_only`, keep the rows that differ (DIFFERENCES); with `relations`, those
    in any of these relations (ids of vocabulary.RELATIONS); the counts cover every topic."""
    records = [dataset.records[i] for i in ids]
    vocabulary = [t for t in dataset.topics if topics is None or t.id in topics]
    columns = []
    for record in records:
        status, exists = framework_status(record, as_of)
        columns.append(
            Column(
                id=record.id,
                short_title=record.short_title,
                title=record.title,
                kind=record.kind.value,
                legal_force=record.legal_force.value,
                jurisdiction=record.jurisdiction,
                status=status,
                exists=exists,
                last_verified=record.last_verified,
                as_of=as_of.isoformat() if as_of else None,
                text_held=record.text_held.extent.value if record.text_held else "not stated",
                text_held_detail=text_held_detail(record),
            )
        )
    rows = []
    for topic in vocabulary:
        cells = tuple(_cell(dataset, record, topic.id, column) for record, column in zip(records, columns, strict=True))
        rows.append(Row(topic=topic.id, label=topic.label, question=topic.question, cells=cells))
    found = [row.relation for row in rows]
    counts = tuple((relation, found.count(relation)) for relation in HEADLINE_ORDER)
    kept = tuple(DIFFERENCES) if differences_only else ()
    kept += tuple(r for r in HEADLINE_ORDER if relations and r in relations and r not in kept)
    shown = tuple(r for r in HEADLINE_ORDER if r in kept) or None
    return Comparison(
        columns=tuple(columns),
        rows=tuple(row for row in rows if shown is None or row.relation in shown),
        as_of=as_of.isoformat() if as_of else None,
        topics_compared=len(rows),
        counts=counts,
        shown=shown,
    )


def text_held_detail(record: Record) -> str:
    """'held: ...; missing: ...' for a partial text, '' otherwise."""
    held = record.text_held
    if held is None or held.extent != Extent.partial:
        return ""
    return "; ".join(f"{label}: {value}" for label, value in (("held", held.held), ("missing", held.missing)) if value)


def _cell(dataset: Dataset, record: Record, topic: str, column: Column) -> Cell:
    position = next((p for p in record.positions if p.topic == topic), None)
    as_of = dt.date.fromisoformat(column.as_of) if column.as_of else None
    if not column.exists:
        summary = f"Did not exist yet on this date: {column.status}."
        draft = reading_on(position, as_of) if position is not None and as_of is not None else None
        if draft is not None and draft.start is not None:  # a draft made public before the text existed
            summary += f" The draft ({format_date(draft.start)}): {draft.summary}"
        return Cell(record.id, topic, NOT_YET, summary, draft.gist if draft and draft.start else None, (), (), None)
    if position is None:
        return Cell(record.id, topic, UNRECORDED, "The record takes no position on this topic yet.", None, (), (), None)
    reading = reading_on(position, as_of)
    if reading is None:  # before the first dated reading, or in a gap between two
        return Cell(record.id, topic, Stance.not_known.value, no_reading_summary(position, as_of), None, (), (), None)
    previous = previous_reading(position, reading)
    provisions = {p.id: p for p in record.provisions}
    sources = {s.id: s for s in record.sources}
    quotes = [
        Quote(ref=p.id, label=p.label, text=p.quote, secondary=p.quote_basis.value == "secondary")
        for p in (provisions[pid] for pid in reading.provisions if pid in provisions)
    ]
    for ref in reading.excerpts:
        article_id, _, excerpt_id = ref.partition("/")
        article = dataset.articles.get(article_id)
        excerpt = next((e for e in article.excerpts if e.id == excerpt_id), None) if article else None
        if article and excerpt:
            label = f"{article.outlet}, {format_date(article.date)}"
            quotes.append(Quote(ref=ref, label=label, text=excerpt.text, secondary=True))
    cited = [
        SourceRef(s.id, s.title, s.publisher, s.kind.value, s.date, s.url, s.retrieved)
        for s in (sources[sid] for sid in reading.sources if sid in sources)
    ]
    return Cell(
        framework=record.id,
        topic=topic,
        stance=reading.stance,
        summary=reading.summary,
        gist=reading.gist,
        quotes=tuple(quotes),
        sources=tuple(cited),
        note=reading.note,
        not_held=position.not_held if reading.current else None,  # an earlier reading names nothing missing
        since=reading.start,
        before=previous.stance if previous else None,
    )
