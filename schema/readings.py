"""Positions through time: which reading of a position is in force on a date.

A position's top-level fields are its current reading; `since` says when that reading took
effect and `earlier` holds the readings before it, each from one date until another. This module
is the one place that decides which reading holds on a date: the comparison, `show`, `history`,
the exports, the brief and the site all ask `reading_on`.

Dates follow schema.dates: a partial date counts only once its whole period has passed, so a
reading from '2020-05' holds from 1 June 2020, and one `until` '2020-05' holds to 31 May 2020.
`until` is the first day a reading no longer holds: a reading until 2020-04-07 and the next from
2020-04-07 meet without overlap.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from functools import partial

from .dataset import Dataset
from .dates import date_key, format_date, happened_by
from .models import Position, Reading, Record, Stance


@dataclass(frozen=True)
class DatedReading:
    """One reading of a position with the dates it holds between."""

    start: str | None  # None: from the framework's beginning (a position without `since`)
    end: str | None  # None: still in force
    stance: str
    summary: str
    gist: str | None
    provisions: tuple[str, ...]
    excerpts: tuple[str, ...]
    sources: tuple[str, ...]
    note: str | None
    current: bool  # the position's top-level reading


def readings(position: Position) -> list[DatedReading]:
    """Every reading of `position`, oldest first, the current one last; an earlier reading without
    `until` ends when the next one takes effect."""
    earlier = sorted(position.earlier, key=lambda r: date_key(r.start))
    starts = ([r.start for r in earlier] + [position.since])[1:]
    dated = [_dated(r, r.start, r.until or following, current=False) for r, following in zip(earlier, starts, strict=True)]
    return [*dated, _dated(position, position.since, None, current=True)]


def _dated(reading: Reading | Position, start: str | None, end: str | None, *, current: bool) -> DatedReading:
    """An earlier reading or a position's own (current) one, with the dates it holds between."""
    return DatedReading(
        start=start,
        end=end,
        stance=reading.stance.value,
        summary=reading.summary,
        gist=reading.gist,
        provisions=tuple(reading.provisions),
        excerpts=tuple(reading.excerpts),
        sources=tuple(reading.sources),
        note=reading.note,
        current=current,
    )


def holds_on(reading: DatedReading, as_of: dt.date) -> bool:
    """Whether `reading` is in force on `as_of`: begun (its whole start period passed) and not ended."""
    begun = reading.start is None or happened_by(reading.start, as_of)
    return begun and (reading.end is None or not happened_by(reading.end, as_of))


def reading_on(position: Position, as_of: dt.date | None) -> DatedReading | None:
    """The reading of `position` in force on `as_of` (None: the current one), or None when no reading
    holds then: before the first recorded reading, or in a gap between two."""
    dated = readings(position)
    if as_of is None:
        return dated[-1]
    return next((r for r in reversed(dated) if holds_on(r, as_of)), None)


def previous_reading(position: Position, reading: DatedReading) -> DatedReading | None:
    """The reading that came before `reading` (None for the first)."""
    dated = readings(position)
    index = next((i for i, r in enumerate(dated) if r == reading), 0)
    return dated[index - 1] if index > 0 else None


def no_reading_summary(position: Position, as_of: dt.date) -> str:
    """What a reader is told when no reading holds on `as_of`: before the first, or in a gap."""
    dated = readings(position)
    later = [r for r in dated if r.start is not None and not happened_by(r.start, as_of)]
    before = [r for r in dated if r not in later]
    if not before and later:
        return f"No statement on this topic is recorded before {format_date(later[0].start)}."
    ended = format_date(before[-1].end) if before and before[-1].end else "the last reading's end"
    upto = f" and {format_date(later[0].start)}" if later else ""
    return f"No reading is recorded between {ended}{upto}."


def record_as_of(record: Record, as_of: dt.date | None) -> Record:
    """`record` as it stood on `as_of`: status events up to that date, and each position reduced to the
    reading then in force (with the readings before it as `earlier`); a position with no reading then
    becomes 'not known' citing nothing. The whole record when `as_of` is None."""
    if as_of is None:
        return record
    positions = []
    for position in record.positions:
        reading = reading_on(position, as_of)
        kept = [r for r in position.earlier if happened_by(r.start, as_of)]
        if reading is None:
            update = {
                "stance": Stance.not_known,
                "summary": no_reading_summary(position, as_of),
                "gist": None,
                "provisions": [],
                "excerpts": [],
                "sources": [],
                "note": None,
                "since": None,
                "earlier": kept,
            }
        else:
            update = {
                "stance": Stance(reading.stance),
                "summary": reading.summary,
                "gist": reading.gist,
                "provisions": list(reading.provisions),
                "excerpts": list(reading.excerpts),
                "sources": list(reading.sources),
                "note": reading.note,
                "since": reading.start,
                "earlier": [r for r in kept if reading.start is None or date_key(r.start) < date_key(reading.start)],
            }
        positions.append(position.model_copy(update=update))
    status = [e for e in record.status if happened_by(e.date, as_of)] or record.status[:1]
    update: dict[str, object] = {"positions": positions, "status": status}
    if len(status) < len(record.status):  # the record's summary speaks of later events: not for this date's reader
        update["summary"] = (
            f"As it stood on {format_date(as_of.isoformat())}: the status events up to that date and, for each topic, the reading "
            f"then in force. The record's own summary covers events up to {format_date(record.status[-1].date)} and is left out."
        )
    return record.model_copy(update=update)


def dataset_as_of(dataset: Dataset, as_of: dt.date | None) -> Dataset:
    """`dataset` with every record as it stood on `as_of` (record_as_of), fetched lazily as before."""
    if as_of is None:
        return dataset
    return replace(dataset, records=dataset.records.mapped(partial(record_as_of, as_of=as_of)))
