"""A changelog of the data between two releases, from their JSON exports (`frameworks export`).

    python .github/scripts/data_changelog.py OLD.json NEW.json > CHANGELOG-data.md

It says which frameworks were added or removed and, for each framework, which stances, summaries,
quoted provisions and status events changed, and the new last_verified date. The release workflow
runs it against the previous tag's export; when the positions-through-time `diff` command exists, it
should take this script's place.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def _load(path: Path) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or "frameworks" not in data:
        raise ValueError(f"{path} is not a JSON export of frameworks export")
    return data


def _version(data: dict) -> str:
    return (data.get("edition") or {}).get("data_version") or data.get("tool_version") or "?"


def changelog(old: dict, new: dict) -> str:
    """The changes from `old` to `new` as Markdown."""
    before = {r["id"]: r for r in old["frameworks"]}
    after = {r["id"]: r for r in new["frameworks"]}
    lines = [f"# Data changes from {_version(old)} to {_version(new)}", ""]
    as_of = (new.get("edition") or {}).get("data_as_of")
    if as_of:
        lines += [f"Data as of {as_of}.", ""]
    added, removed = sorted(after.keys() - before.keys()), sorted(before.keys() - after.keys())
    if added:
        lines += ["## Frameworks added", ""] + [f"- `{i}`: {after[i]['short_title']}" for i in added] + [""]
    if removed:
        lines += ["## Frameworks removed", ""] + [f"- `{i}`: {before[i]['short_title']}" for i in removed] + [""]
    changed_any = False
    for record_id in sorted(after.keys() & before.keys()):
        items = _record_changes(before[record_id], after[record_id])
        if items:
            changed_any = True
            lines += [f"## {after[record_id]['short_title']} (`{record_id}`)", ""] + [f"- {item}" for item in items] + [""]
    if not (added or removed or changed_any):
        lines += ["No framework, position, provision or status event changed.", ""]
    return "\n".join(lines)


def _record_changes(old: dict, new: dict) -> list[str]:
    items = []
    old_positions = {p["topic"]: p for p in old.get("positions", [])}
    for position in new.get("positions", []):
        topic, previous = position["topic"], old_positions.get(position["topic"])
        if previous is None:
            items.append(f"position on {topic} added: {position['stance']}")
        elif previous["stance"] != position["stance"]:
            items.append(f"stance on {topic}: {previous['stance']} -> {position['stance']}")
        elif previous.get("summary") != position.get("summary"):
            items.append(f"summary on {topic} reworded (stance unchanged: {position['stance']})")
    for topic in sorted(old_positions.keys() - {p["topic"] for p in new.get("positions", [])}):
        items.append(f"position on {topic} removed")
    old_provisions = {p["id"]: p for p in old.get("provisions", [])}
    new_provisions = {p["id"]: p for p in new.get("provisions", [])}
    for pin in sorted(new_provisions.keys() - old_provisions.keys()):
        items.append(f"provision {pin} ({new_provisions[pin]['label']}) added")
    for pin in sorted(old_provisions.keys() - new_provisions.keys()):
        items.append(f"provision {pin} removed")
    for pin in sorted(new_provisions.keys() & old_provisions.keys()):
        if new_provisions[pin]["quote"] != old_provisions[pin]["quote"]:
            items.append(f"provision {pin}: quote changed")
    old_events = {(e["date"], e["event"], e.get("party")) for e in old.get("status", [])}
    for event in new.get("status", []):
        if (event["date"], event["event"], event.get("party")) not in old_events:
            who = f" ({event['party']})" if event.get("party") else ""
            items.append(f"status event added: {event['date']} {event['event']}{who}")
    if items and old.get("last_verified") != new.get("last_verified"):
        items.append(f"last verified {new.get('last_verified')} (was {old.get('last_verified')})")
    return items


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: data_changelog.py OLD.json NEW.json", file=sys.stderr)
        return 2
    try:
        old, new = _load(Path(args[0])), _load(Path(args[1]))
    except (OSError, ValueError) as exc:
        print(f"data_changelog: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(changelog(old, new))
    return 0


if __name__ == "__main__":
    sys.exit(main())
