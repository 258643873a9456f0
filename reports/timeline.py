"""Dated events across frameworks (timeline) and one framework's parties (signatories)."""

from __future__ import annotations

import datetime as dt
import difflib

from ..schema.dates import JOINING, LEAVING, SIGNING, date_key, format_date, happened_by, last_day, participants
from ..schema.models import JOINED_KINDS, Counted, Coverage, EventType, Record, StatusEvent
from .comparison import event_words
from .listing import Listing

# The acts that make a State a signatory or party, or end its participation (schema.dates.participants).
_ACTS = {SIGNING, LEAVING, *JOINING}


def timeline(
    records: list[Record],
    as_of: dt.date | None = None,
    *,
    since: dt.date | None = None,
    kinds: frozenset[str] | None = None,
    signatures: bool = True,
) -> Listing:
    """Every status event of `records`, merged in date order (a year-only date sorts before the
    dated events of that year, a month-only one before that month's days): those up to `as_of`,
    from `since` on (an event counts if it may have happened on or after that day), of the event
    `kinds` given. Without `signatures`, the acts of States (signed, ratified, acceded, withdrew)
    take one row per framework and act, with the count and how complete the list is."""
    events = [
        (date_key(e.date), index, record, e)
        for index, record in enumerate(records)
        for e in record.status
        if (as_of is None or happened_by(e.date, as_of))
        and (since is None or last_day(e.date) >= since)
        and (kinds is None or e.event.value in kinds)
    ]
    events.sort(key=lambda item: (item[0], item[1]))
    rows: list[tuple[str, ...]] = []
    grouped: dict[tuple[str, str], list[StatusEvent]] = {}  # (record id, act) -> the acts, in date order
    for _, _, record, e in events:
        if not signatures and e.party and e.event.value in _ACTS:
            acts = grouped.setdefault((record.id, e.event.value), [])
            if not acts:  # the group's row stands where its first act falls
                rows.append((record.id, e.event.value))
            acts.append(e)
            continue
        rows.append(_event_row(record, e))
    by_id = {r.id: r for r in records}
    for index, row in enumerate(rows):
        if len(row) == 2:
            rows[index] = _acts_row(by_id[row[0]], row[1], grouped[row], as_of)
    title = "Timeline: " + ", ".join(r.short_title for r in records)
    window = " ".join(part for part in (f"from {since.isoformat()}" if since else "", f"to {as_of.isoformat()}" if as_of else "") if part)
    merged = any(len(acts) > 1 for acts in grouped.values())
    grouped_note = "; the acts of States are grouped (--signatures lists each)" if merged else ""
    return Listing(
        title=title + (f" ({window})" if window else ""),
        columns=("Date", "Framework", "Event", "Party", "Description"),
        keys=("date", "framework", "event", "party", "description"),
        rows=tuple(rows),
        footer=f"{len(rows)} {'entry' if len(rows) == 1 else 'entries'}{grouped_note}",
        terminal_entries=True,
    )


def _event_row(record: Record, e: StatusEvent) -> tuple[str, ...]:
    return (format_date(e.date), record.short_title, event_words(e.event), e.party or "", e.description)


def _acts_row(record: Record, act: str, acts: list[StatusEvent], as_of: dt.date | None) -> tuple[str, ...]:
    """One row for every `act` (signed, ratified ...) of States on `record`: when, how many, who
    first, and the coverage of the list (a count is never bare)."""
    if len(acts) == 1:
        return _event_row(record, acts[0])
    word = _act_words(act)
    first, last = acts[0].date, acts[-1].date
    when = f"from {format_date(first)} to {format_date(last)}" if first != last else f"on {format_date(first)}"
    names = ", ".join(str(e.party) for e in acts[:3])
    coverage = participation_line(record, as_of)
    described = f"{len(acts)} States {word} {when} (first {names}; the list: frameworks signatories {record.id})."
    return (format_date(first), record.short_title, word, f"{len(acts)} States", described + (f" {coverage}." if coverage else ""))


def signatories(record: Record, as_of: dt.date | None = None) -> Listing:
    """The States that had signed, ratified or acceded (and those that withdrew) by `as_of` (or
    today), with how complete the list is (the record's `participation`): a count is never bare."""
    acts = [(e.party, e.event.value, e.date) for e in record.status if e.party and e.event.value in _ACTS]
    standing = participants(acts, as_of)
    latest: dict[str, tuple[str, str]] = {}
    joined: dict[str, str] = {}
    for party, event, date in acts:
        if party in standing and (as_of is None or happened_by(date, as_of)):
            joined.setdefault(party, date)
            latest[party] = ("withdrew" if event == LEAVING else event_words(EventType(event)), date)
    order = sorted(latest, key=lambda party: (date_key(joined[party]), party))
    rows = tuple((party, latest[party][0], format_date(latest[party][1]), format_date(joined[party])) for party in order)
    when = f"as of {as_of.isoformat()}" if as_of else "as recorded"
    return Listing(
        title=f"{record.short_title}: parties and signatories {when}",
        columns=("State", "Latest act", "Date", "First joined"),
        keys=("party", "status", "date", "joined"),
        rows=rows,
        footer=coverage_line(record, list(standing.values()), as_of),
    )


def participation_line(record: Record, as_of: dt.date | None = None) -> str | None:
    """The coverage line of `signatories` for a record States join (or that lists party acts); None otherwise."""
    acts = [(e.party, e.event.value, e.date) for e in record.status if e.party and e.event.value in _ACTS]
    if not acts and record.participation is None and record.kind not in JOINED_KINDS:
        return None
    return coverage_line(record, list(participants(acts, as_of).values()), as_of)


def coverage_line(record: Record, standing: list[str], as_of: dt.date | None = None) -> str:
    """What the list holds and how complete it is, in words a reader can cite: '17 signatories
    recorded of 60 known as of 26 Jan 2026 (NASA): the list is partial', 'Party list not recorded:
    115 parties as at 1 Jan 2025 (UNOOSA)', '17 parties, 4 signatories that have not ratified,
    1 withdrawn: complete list as of 1 Jan 2026 (United Nations Treaty Collection)'."""
    parties, signed, withdrawn = (standing.count(s) for s in ("party", "signatory", "withdrawn"))
    cover = record.participation
    counts = [_count(parties, "party", "parties") if parties or not signed else ""]
    if signed:
        unratified = (" that has" if signed == 1 else " that have") + " not ratified" if parties else ""
        counts.append(_count(signed, "signatory", "signatories") + unratified)
    if cover is not None and cover.counted == Counted.signatories:
        counts = [_count(parties + signed, "signatory", "signatories")]
    if withdrawn:
        counts.append(f"{withdrawn} withdrawn")
    held = ", ".join(c for c in counts if c)
    if cover is None:
        if standing:
            return f"{held} recorded; how complete this list is is not known"
        if record.kind in JOINED_KINDS:
            return "List of parties and signatories not recorded; the count is not known"
        return f"{record.short_title} is not an instrument that States join: no list of parties"
    source = next((s.publisher for s in record.sources if s.id == cover.source), cover.source)
    since = f"as of {format_date(cover.as_of)} ({source})" if cover.as_of else ""
    if cover.known_total is None or cover.as_of is None:
        named = f"; {held} named in the record" if standing else ""
        return f"List of {cover.counted.value} not recorded; the count is not verified{named}"
    if cover.coverage == Coverage.not_recorded:
        named = f"; {held} named in the record" if standing else ""
        return f"List of {cover.counted.value} not recorded: {cover.known_total} {cover.counted.value} {since}{named}"
    by = f" by {as_of.isoformat()}" if as_of else ""
    if cover.coverage == Coverage.complete:
        if as_of is not None and last_day(cover.as_of) < as_of:
            return f"{held} recorded{by}; the list is complete only to {format_date(cover.as_of)} ({source}): later acts may be missing"
        later = "; acts after that date are not recorded" if as_of is None and last_day(cover.as_of) < dt.date.today() else ""
        return f"{held}{by}: complete list {since}{later}"
    return f"{held} recorded{by}, of {cover.known_total} {cover.counted.value} known {since}: the list is partial"


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def party_names(records: list[Record]) -> list[str]:
    """Every State named in an act (signed, ratified, acceded, withdrew) of `records`, sorted."""
    return sorted({e.party for r in records for e in r.status if e.party and e.event.value in _ACTS})


def party_names_like(records: list[Record], state: str) -> list[str] | None:
    """None when an act of `records` names `state` (any case); else up to three names the records
    spell like it, closest first (none when nothing is close)."""
    names = party_names(records)
    if state.strip().casefold() in {n.casefold() for n in names}:
        return None
    return difflib.get_close_matches(state.strip(), names, n=3)


def participation(records: list[Record], state: str, as_of: dt.date | None = None) -> Listing:
    """Every instrument of `records` that `state` (its name as the records spell it, any case) has
    signed, ratified, acceded to or withdrawn from by `as_of`, with the dates; then the instruments
    States join whose lists do not name it, saying whether that means it is not a party (a complete
    list) or that it is not known (a partial or unrecorded list). Each row gives the list's coverage."""
    wanted = state.strip().casefold()
    rows: list[tuple[str, ...]] = []
    absent: list[tuple[str, ...]] = []
    name = state.strip()
    for record in records:
        acts = [(e.party, e.event.value, e.date) for e in record.status if e.party and e.event.value in _ACTS]
        own = [(party, event, date) for party, event, date in acts if party.casefold() == wanted]
        own = [act for act in own if as_of is None or happened_by(act[2], as_of)]
        coverage = participation_line(record, as_of) or ""
        if own:
            name = own[0][0]
            standing = participants(own, as_of).get(name, "")
            done = "; ".join(f"{_act_words(event)} {format_date(date)}" for _, event, date in own)
            rows.append((record.id, record.short_title, standing, done, coverage))
            continue
        if not acts and record.participation is None and record.kind not in JOINED_KINDS:
            continue  # not an instrument States join
        complete = record.participation is not None and record.participation.coverage == Coverage.complete
        if complete and as_of is not None and last_day(record.participation.as_of or "9999") < as_of:
            complete = False  # later acts may be missing
        absent.append((record.id, record.short_title, "not listed" if complete else "not known", "", coverage))
    when = f" as of {as_of.isoformat()}" if as_of else ""
    return Listing(
        title=f"{name}: the instruments it has signed, ratified or joined{when}",
        columns=("Id", "Framework", "Standing", "Acts", "Coverage of the list"),
        keys=("framework", "short_title", "standing", "acts", "coverage"),
        rows=tuple(rows) + tuple(absent),
        footer=(
            f"{len(rows)} instrument{'s' if len(rows) != 1 else ''} with an act of {name} recorded; "
            "'not listed': the list is complete and does not name it; 'not known': the list is partial or not recorded"
        ),
        terminal_entries=True,
    )


def _act_words(act: str) -> str:
    """'signed', 'ratified', 'acceded', 'withdrew'."""
    return "withdrew" if act == LEAVING else event_words(EventType(act))
