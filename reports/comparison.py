"""The Comparison: frameworks x topics, each cell with stance, summary, pinpoints, quotes, sources.

It is built once from a Dataset by ``build_comparison`` and handed, unchanged, to every renderer
(terminal, markdown, csv, json, html, pdf). Renderers never go back to the records.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..schema.dates import format_date, happened_by
from ..schema.models import STANCE_WORDS, SUBSTANTIVE_STANCES, EventType, Record, Stance
from ..schema.records import Dataset

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
NOT_YET = "not yet"
UNRECORDED = "not recorded"
# How the frameworks of one row relate. A row differs as soon as two comparable cells take
# different stances, whatever the others say; otherwise a cell that is not yet, not known or not
# recorded makes the row not comparable; otherwise all cells share one stance: agreement if it is
# substantive, "silent" if every text says nothing.
DIFFER = "differ"
AGREE = "agree"
SILENT = "silent"
NOT_COMPARABLE = "not comparable"
_COMPARABLE = {s.value for s in SUBSTANTIVE_STANCES} | {Stance.silent.value}


def stance_words(stance: str) -> str:
    """How a reader sees a stance: 'not-known' -> 'not known'; others as they are."""
    return STANCE_WORDS.get(stance, stance)


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


@dataclass(frozen=True)
class Row:
    """One topic across all columns."""

    topic: str
    label: str
    question: str
    cells: tuple[Cell, ...]

    @property
    def relation(self) -> str:
        """DIFFER, AGREE, SILENT or NOT_COMPARABLE (see the module's constants)."""
        comparable = {c.stance for c in self.cells if c.stance in _COMPARABLE}
        if len(comparable) > 1:
            return DIFFER
        if len(self.cells) > 1 and (not comparable or any(c.stance not in _COMPARABLE for c in self.cells)):
            return NOT_COMPARABLE
        return SILENT if comparable <= {Stance.silent.value} else AGREE

    @property
    def agree(self) -> bool:
        """Whether every framework takes the same substantive stance on this topic."""
        return self.relation == AGREE

    @property
    def differ(self) -> bool:
        """Whether two frameworks take different stances on this topic (shown as DIFFER)."""
        return self.relation == DIFFER


@dataclass(frozen=True)
class Comparison:
    """Frameworks x topics; `rows` may be only the differing topics (see `differences_only`)."""

    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    as_of: str | None
    topics_compared: int  # topics selected, before --differences dropped the others
    counts: tuple[tuple[str, int], ...]  # (relation, number of topics), in HEADLINE_ORDER, over all topics compared
    differences_only: bool

    def count(self, relation: str) -> int:
        """How many of the topics compared stand in `relation` (DIFFER, AGREE, SILENT, NOT_COMPARABLE)."""
        return dict(self.counts).get(relation, 0)

    @property
    def topics_agreeing(self) -> int:
        """Topics on which every framework takes the same substantive stance."""
        return self.count(AGREE)

    def agreement(self) -> str:
        """'differ on 9 · agree on 1 · both silent on 3 · not comparable on 2'
        (one framework: 'one framework, 15 topics')."""
        plural = "s" if self.topics_compared != 1 else ""
        if len(self.columns) < 2:
            return f"one framework, {self.topics_compared} topic{plural}"
        silent = "both silent" if len(self.columns) == 2 else "all silent"
        words = {DIFFER: "differ", AGREE: "agree", SILENT: silent, NOT_COMPARABLE: "not comparable"}
        return " · ".join(f"{words[relation]} on {n}" for relation, n in self.counts) + f" (of {self.topics_compared} topic{plural})"


HEADLINE_ORDER = (DIFFER, AGREE, SILENT, NOT_COMPARABLE)


def framework_status(record: Record, as_of: dt.date | None) -> tuple[str, bool]:
    """A short status line on `as_of` (or today), and whether the framework existed then."""
    own = [e for e in record.status if e.party is None and (as_of is None or happened_by(e.date, as_of))]
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
) -> Comparison:
    """Compare the records `ids` (already resolved) on `topics` (default: all), as of a date."""
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
            )
        )
    rows = []
    for topic in vocabulary:
        cells = tuple(_cell(dataset, record, topic.id, column) for record, column in zip(records, columns, strict=True))
        rows.append(Row(topic=topic.id, label=topic.label, question=topic.question, cells=cells))
    relations = [row.relation for row in rows]
    counts = tuple((relation, relations.count(relation)) for relation in HEADLINE_ORDER)
    shown = [row for row in rows if row.relation in (DIFFER, NOT_COMPARABLE)] if differences_only else rows
    return Comparison(
        columns=tuple(columns),
        rows=tuple(shown),
        as_of=as_of.isoformat() if as_of else None,
        topics_compared=len(rows),
        counts=counts,
        differences_only=differences_only,
    )


def _cell(dataset: Dataset, record: Record, topic: str, column: Column) -> Cell:
    if not column.exists:
        return Cell(record.id, topic, NOT_YET, f"Did not exist yet on this date: {column.status}.", None, (), (), None)
    position = next((p for p in record.positions if p.topic == topic), None)
    if position is None:
        return Cell(record.id, topic, UNRECORDED, "The record takes no position on this topic yet.", None, (), (), None)
    provisions = {p.id: p for p in record.provisions}
    sources = {s.id: s for s in record.sources}
    quotes = [
        Quote(ref=p.id, label=p.label, text=p.quote, secondary=p.quote_basis.value == "secondary")
        for p in (provisions[pid] for pid in position.provisions if pid in provisions)
    ]
    for ref in position.excerpts:
        article_id, _, excerpt_id = ref.partition("/")
        article = dataset.articles.get(article_id)
        excerpt = next((e for e in article.excerpts if e.id == excerpt_id), None) if article else None
        if article and excerpt:
            label = f"{article.outlet}, {format_date(article.date)}"
            quotes.append(Quote(ref=ref, label=label, text=excerpt.text, secondary=True))
    cited = [
        SourceRef(s.id, s.title, s.publisher, s.kind.value, s.date, s.url, s.retrieved)
        for s in (sources[sid] for sid in position.sources if sid in sources)
    ]
    return Cell(
        framework=record.id,
        topic=topic,
        stance=position.stance.value,
        summary=position.summary,
        gist=position.gist,
        quotes=tuple(quotes),
        sources=tuple(cited),
        note=position.note,
    )
