"""Partial dates ('2019', '2019-03', '2019-03-18') as records write them: ordering and bounds."""

from __future__ import annotations

import calendar
import datetime as dt


def date_key(value: str) -> tuple[int, int, int]:
    """A sort key in which a partial date sorts before the full dates it contains."""
    parts = [int(part) for part in value.split("-")]
    parts += [0] * (3 - len(parts))
    return parts[0], parts[1], parts[2]


def last_day(value: str) -> dt.date:
    """The last day a partial date may mean: '2020-05' -> 2020-05-31."""
    year, month, day = date_key(value)
    if not month:
        return dt.date(year, 12, 31)
    if not day:
        return dt.date(year, month, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day)


def happened_by(value: str, as_of: dt.date) -> bool:
    """Whether an event dated `value` had certainly happened by `as_of` (a partial date counts
    only once its whole period has passed, so '2020-05' is not yet true on 2020-05-15)."""
    return last_day(value) <= as_of


def format_date(value: str) -> str:
    """'2020-10-13' -> '13 Oct 2020', '2020-05' -> 'May 2020', '2019' -> '2019'."""
    year, month, day = date_key(value)
    if not month:
        return str(year)
    name = calendar.month_abbr[month]
    return f"{day} {name} {year}" if day else f"{name} {year}"


# The acts that make a State a signatory or a party, and the act that ends its participation.
SIGNING = "signed"
JOINING = frozenset({"ratified", "acceded"})
LEAVING = "withdrawal-effective"


def participants(events: list[tuple[str, str, str]], as_of: dt.date | None = None) -> dict[str, str]:
    """Each State's standing from its (party, event, date) acts up to `as_of`: 'party' (ratified or
    acceded), 'signatory' (signed only) or 'withdrawn'. States with no such act are left out."""
    standing: dict[str, str] = {}
    for party, event, date in events:
        if as_of is not None and not happened_by(date, as_of):
            continue
        if event in JOINING:
            standing[party] = "party"
        elif event == SIGNING:
            standing.setdefault(party, "signatory")
            if standing[party] == "withdrawn":
                standing[party] = "signatory"
        elif event == LEAVING:
            standing[party] = "withdrawn"
    return standing
