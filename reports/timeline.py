"""Dated events across frameworks (timeline) and one framework's parties (signatories)."""

from __future__ import annotations

import datetime as dt

from ..schema.dates import date_key, format_date, happened_by
from ..schema.models import EventType, Record
from .comparison import event_words
from .listing import Listing

# The act that makes a State a participant, and the act that ends it.
_JOINING = {EventType.signed, EventType.ratified, EventType.acceded}
_LEAVING = {EventType.withdrawal_effective}


def timeline(records: list[Record], as_of: dt.date | None = None) -> Listing:
    """Every status event of `records`, merged in date order (a year-only date sorts before the
    dated events of that year, a month-only one before that month's days)."""
    events = [
        (date_key(e.date), index, record, e)
        for index, record in enumerate(records)
        for e in record.status
        if as_of is None or happened_by(e.date, as_of)
    ]
    events.sort(key=lambda item: (item[0], item[1]))
    rows = tuple(
        (format_date(e.date), record.short_title, event_words(e.event), e.party or "", e.description) for _, _, record, e in events
    )
    title = "Timeline: " + ", ".join(r.short_title for r in records) + (f" (to {as_of.isoformat()})" if as_of else "")
    return Listing(
        title=title,
        columns=("Date", "Framework", "Event", "Party", "Description"),
        keys=("date", "framework", "event", "party", "description"),
        rows=rows,
        footer=f"{len(rows)} events",
    )


def signatories(record: Record, as_of: dt.date | None = None) -> Listing:
    """The States that had signed, ratified or acceded (and not withdrawn) by `as_of` (or today)."""
    latest: dict[str, tuple[str, str]] = {}
    joined: dict[str, str] = {}
    for event in record.status:
        if event.party is None or (as_of is not None and not happened_by(event.date, as_of)):
            continue
        if event.event in _JOINING:
            joined.setdefault(event.party, event.date)
            latest[event.party] = (event_words(event.event), event.date)
        elif event.event in _LEAVING:
            latest[event.party] = ("withdrew", event.date)
    current = [party for party, (status, _) in latest.items() if status != "withdrew"]
    rows = tuple(
        (party, status, format_date(date), format_date(joined[party]) if party in joined else "")
        for party, (status, date) in sorted(latest.items(), key=lambda item: (date_key(joined.get(item[0], item[1][1])), item[0]))
    )
    when = f"as of {as_of.isoformat()}" if as_of else "as recorded"
    return Listing(
        title=f"{record.short_title}: parties and signatories {when}",
        columns=("State", "Latest act", "Date", "First joined"),
        keys=("party", "status", "date", "joined"),
        rows=rows,
        footer=f"{len(current)} participating, {len(rows) - len(current)} withdrawn",
    )
