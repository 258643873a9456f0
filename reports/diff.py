"""What changed: between two editions of the data (`frameworks diff OLD NEW`, `--since FILE`), or in
the records' own dated history since a date (`--since DATE`, the site's "what changed" page).

Both give one `Changes` value, rendered as text, markdown or JSON here and laid out by the brief,
the pack and the site.
"""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ..schema.dates import date_key, format_date, happened_by
from ..schema.editions import Edition, edition_from_export, edition_of_records
from ..schema.models import Record
from ..schema.problems import printable
from ..schema.readings import readings
from .comparison import event_words, stance_words
from .wrapping import escape_markdown

DIFF_FORMAT = "frameworks.diff/1"


@dataclass(frozen=True)
class Change:
    """One difference: in a framework, on a topic (or the framework as a whole), of one kind."""

    framework: str
    topic: str  # "" for a change to the framework as a whole
    # framework added/removed, position added/removed, stance, summary, gist, readings, party, status, source,
    # last verified (between editions); reading, event (from the records' history)
    kind: str
    old: str
    new: str
    date: str = ""  # when it took effect, for changes read from the records' history

    def words(self) -> str:
        """'stance: conditional -> affirms' and the like, in a line a reader follows."""
        if self.kind == "reading":  # from the records' history: a reading took effect
            return f"new reading ({self.old}): {self.new}"
        if self.kind == "event":
            return self.new
        if self.kind in ("framework added", "framework removed", "position added", "position removed"):
            return self.kind + (f": {self.new or self.old}" if (self.new or self.old) else "")
        if not self.old:
            return f"{self.kind} added: {self.new}"
        if not self.new:
            return f"{self.kind} removed: {self.old}"
        return f"{self.kind}: {self.old} -> {self.new}"


@dataclass(frozen=True)
class Changes:
    """The changes between two editions (or since a date), framework by framework."""

    old: str  # "git 62089ca", "old.json" or "2025-12-07"
    new: str
    changes: tuple[Change, ...]
    notes: tuple[str, ...] = ()  # files of an edition that could not be read

    @property
    def title(self) -> str:
        return f"Changes from {self.old} to {self.new}"


def _position_stance(position: dict[str, Any]) -> str:
    return stance_words(str(position.get("stance", "")))


def _clip(text: Any, limit: int = 160) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def diff_editions(old: Edition, new: Edition, ids: Iterable[str] | None = None) -> Changes:
    """Frameworks added or removed; per framework, positions' stances, summaries, gists and
    readings, parties, other status events, sources and the verification date that changed."""
    wanted = set(ids) if ids is not None else None
    changes: list[Change] = []
    for record_id in sorted(set(old.records) | set(new.records)):
        if wanted is not None and record_id not in wanted:
            continue
        before, after = old.records.get(record_id), new.records.get(record_id)
        if before is None or after is None:
            kept = after or before or {}
            kind = "framework added" if before is None else "framework removed"
            changes.append(Change(record_id, "", kind, "", str(kept.get("short_title", ""))))
            continue
        changes += _record_changes(record_id, before, after)
    notes = tuple(old.skipped) + tuple(new.skipped)
    return Changes(old.label, new.label, tuple(changes), notes)


def _by(items: Any, key: str) -> dict[str, dict[str, Any]]:
    return {str(item.get(key)): item for item in items or [] if isinstance(item, dict)}


def _record_changes(record_id: str, before: dict[str, Any], after: dict[str, Any]) -> list[Change]:
    changes = []
    old_positions, new_positions = _by(before.get("positions"), "topic"), _by(after.get("positions"), "topic")
    for topic in list(dict.fromkeys([*old_positions, *new_positions])):
        was, now = old_positions.get(topic), new_positions.get(topic)
        if was is None or now is None:
            kind = "position added" if was is None else "position removed"
            changes.append(Change(record_id, topic, kind, "", _position_stance(now or was or {})))
            continue
        if was.get("stance") != now.get("stance"):
            changes.append(Change(record_id, topic, "stance", _position_stance(was), _position_stance(now)))
        for key in ("summary", "gist"):
            if (was.get(key) or "") != (now.get(key) or ""):
                changes.append(Change(record_id, topic, key, _clip(was.get(key)), _clip(now.get(key))))
        old_dates = [r.get("from") for r in was.get("earlier") or [] if isinstance(r, dict)] + [was.get("since")]
        new_dates = [r.get("from") for r in now.get("earlier") or [] if isinstance(r, dict)] + [now.get("since")]
        if old_dates != new_dates:
            changes.append(Change(record_id, topic, "readings", _dates(old_dates), _dates(new_dates)))
    old_events, new_events = _events(before), _events(after)
    for event in sorted(old_events - new_events, key=lambda e: date_key(e[0])):
        changes.append(Change(record_id, "", "party" if event[2] else "status", _event_words(event), "", event[0]))
    for event in sorted(new_events - old_events, key=lambda e: date_key(e[0])):
        changes.append(Change(record_id, "", "party" if event[2] else "status", "", _event_words(event), event[0]))
    old_sources, new_sources = _by(before.get("sources"), "id"), _by(after.get("sources"), "id")
    for source in sorted(set(old_sources) | set(new_sources)):
        was, now = old_sources.get(source), new_sources.get(source)
        if was is None or now is None:
            changes.append(Change(record_id, "", "source", "" if was is None else source, "" if now is None else source))
        elif {k: v for k, v in was.items() if v is not None} != {k: v for k, v in now.items() if v is not None}:
            changes.append(Change(record_id, "", "source", f"{source} (as was)", f"{source} (changed)"))
    if before.get("last_verified") != after.get("last_verified"):
        verified = str(before.get("last_verified") or ""), str(after.get("last_verified") or "")
        changes.append(Change(record_id, "", "last verified", *verified))
    return changes


def _dates(dates: list[Any]) -> str:
    shown = [str(d) for d in dates if d]
    return ", ".join(shown) if shown else "undated (one reading)"


def _events(record: dict[str, Any]) -> set[tuple[str, str, str]]:
    return {
        (str(e.get("date")), str(e.get("event")), str(e.get("party") or ""))
        for e in record.get("status") or []
        if isinstance(e, dict) and e.get("date")
    }


def _event_words(event: tuple[str, str, str]) -> str:
    date, kind, party = event
    return f"{format_date(date)} {kind.replace('-', ' ')}" + (f" ({party})" if party else "")


def changes_since_export(export: Path, records: list[Record]) -> Changes:
    """What changed in `records` since an earlier export of the data (frameworks export -o FILE.json);
    EditionError when the file is not one."""
    return diff_editions(edition_from_export(export), edition_of_records(records, "this edition"), [r.id for r in records])


def changes_in_history(records: Iterable[Record], since: dt.date, as_of: dt.date | None = None) -> Changes:
    """What the records' own dated history shows after `since` (up to `as_of`): readings that took
    effect, with the reading they replaced, and status events."""
    changes: list[Change] = []
    for record in records:
        for position in record.positions:
            dated = readings(position)
            for previous, reading in zip(dated, dated[1:], strict=False):
                start = reading.start
                if start is None or happened_by(start, since) or (as_of is not None and not happened_by(start, as_of)):
                    continue
                old, new = stance_words(previous.stance), stance_words(reading.stance)
                what = f"{old} -> {new}" if old != new else f"still {new}"
                changes.append(Change(record.id, position.topic, "reading", what, reading.gist or _clip(reading.summary), start))
        for event in record.status:
            if happened_by(event.date, since) or (as_of is not None and not happened_by(event.date, as_of)):
                continue
            kind = "event"
            words = f"{event_words(event.event)}" + (f" ({event.party})" if event.party else "") + f": {_clip(event.description, 120)}"
            changes.append(Change(record.id, "", kind, "", words, event.date))
    changes.sort(key=lambda c: (date_key(c.date), c.framework, c.topic))
    upto = as_of.isoformat() if as_of else "the latest data"
    return Changes(since.isoformat(), upto, tuple(changes))


def render_changes(changes: Changes, output_format: str, width: int = 100) -> str:
    """`changes` as text (table), markdown or json. An export file is not checked as records are, so
    control characters from it are written as escapes (json escapes them itself)."""
    if output_format != "json":
        return "\n".join(printable(line) for line in _render_lines(changes, output_format, width).split("\n"))
    return _render_lines(changes, output_format, width)


def _render_lines(changes: Changes, output_format: str, width: int) -> str:
    if output_format == "json":
        data = {"format": DIFF_FORMAT, "old": changes.old, "new": changes.new, "changes": [asdict(c) for c in changes.changes]}
        data["notes"] = list(changes.notes)
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    groups: dict[str, list[Change]] = {}
    for change in changes.changes:
        groups.setdefault(change.framework, []).append(change)
    total = len(changes.changes)
    count = f"{total} change{'s' if total != 1 else ''} in {len(groups)} framework{'s' if len(groups) != 1 else ''}"
    if output_format == "markdown":
        e = escape_markdown
        lines = [f"## {e(changes.title)}", "", count, ""]
        for framework, items in groups.items():
            lines += [f"### `{framework}`", ""]
            for c in items:
                where = f"{e(c.topic)}: " if c.topic else ""
                when = f"{format_date(c.date)}: " if c.date else ""
                lines.append(f"- {when}{where}{e(c.words())}")
            lines.append("")
        lines += [f"*{e(note)}*" for note in changes.notes]
        return "\n".join(lines).rstrip("\n") + "\n"
    lines = [changes.title, count, ""]
    for framework, items in groups.items():
        lines.append(framework)
        for c in items:
            where = f"{c.topic}: " if c.topic else ""
            when = f"{format_date(c.date)}: " if c.date else ""
            lines.append(textwrap.fill(f"{when}{where}{c.words()}", width, initial_indent="  ", subsequent_indent="    "))
        lines.append("")
    lines += [f"note: {note}" for note in changes.notes]
    return "\n".join(lines).rstrip("\n") + "\n"
