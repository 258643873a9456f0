"""`frameworks history`: how each position moved, reading by reading, with dates and what each rests on."""

from __future__ import annotations

from ..schema.dates import date_key, format_date
from ..schema.models import Record, Topic
from ..schema.readings import DatedReading, readings
from .comparison import stance_words
from .listing import Listing

OUTSET = "outset"  # a reading without `since` holds for as long as the framework exists
_NOT_A_START = {"drafted"}  # a draft is not the text: the first other event of the framework itself is its outset
CURRENT = "current"


def outset(record: Record) -> str:
    """'25 Nov 2015 (outset)': when an undated reading began, the framework's first own event but a draft."""
    first = next((e for e in record.status if e.party is None and e.event.value not in _NOT_A_START), record.status[0])
    return f"{format_date(first.date)} ({OUTSET})"


def history(records: list[Record], topics: list[Topic]) -> Listing:
    """Every reading of the positions of `records` on `topics`, topic by topic, oldest first (across
    frameworks too, so that a line of instruments such as the US acts reads in order)."""
    order = {topic.id: index for index, topic in enumerate(topics)}
    labels = {topic.id: topic.label for topic in topics}
    entries: list[tuple[tuple[int, tuple[int, int, int], int], Record, str, DatedReading]] = []
    changed = 0
    for index, record in enumerate(records):
        for position in record.positions:
            if position.topic not in order:
                continue
            dated = readings(position)
            changed += len(dated) > 1
            for reading in dated:
                start = reading.start or record.status[0].date
                entries.append(((order[position.topic], date_key(start), index), record, position.topic, reading))
    entries.sort(key=lambda entry: entry[0])
    rows = tuple(
        (
            record.id,
            topic,
            labels[topic],
            format_date(reading.start) if reading.start else outset(record),
            CURRENT if reading.current else (format_date(reading.end) if reading.end else ""),
            stance_words(reading.stance),
            reading.gist or reading.summary,
            reading.summary,
            "; ".join([*reading.provisions, *reading.excerpts, *reading.sources]),
        )
        for _, record, topic, reading in entries
    )
    several = len(records) > 1
    positions = sum(1 for record in records for p in record.positions if p.topic in order)
    return Listing(
        title="History: " + ", ".join(f"{r.short_title} ({r.id})" for r in records),
        columns=("Framework", "Topic", "Label", "From", "Until", "Stance", "Gist", "Summary", "Rests on"),
        keys=("framework", "topic", "label", "from", "until", "stance", "gist", "summary", "rests_on"),
        rows=rows,
        footer=(
            f"{len(rows)} readings of {positions} positions; {changed} with more than one reading. "
            "'(outset)': an undated reading, holding for as long as the framework exists; 'until': the first day a reading no longer held."
        ),
        terminal_keys=(("framework",) if several else ()) + (("topic",) if len(topics) > 1 else ()) + ("from", "until", "stance", "gist"),
    )
