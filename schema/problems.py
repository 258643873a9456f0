"""Problem: one thing wrong with a file, reported as ``path:line:col: field.path: message``."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from .models import ID_PATTERN


@dataclass(frozen=True, order=True)
class Problem:
    """An error (or, under --strict, a warning) at a place in a file."""

    path: str
    line: int
    col: int
    field: str
    message: str
    severity: str = "error"

    def __post_init__(self) -> None:
        # A field or message may quote what the file holds: keep each problem on one line.
        object.__setattr__(self, "path", printable(self.path))
        object.__setattr__(self, "field", printable(self.field))
        object.__setattr__(self, "message", printable(self.message))

    def __str__(self) -> str:
        label = "" if self.severity == "error" else f"{self.severity}: "
        return f"{self.path}:{self.line}:{self.col}: {self.field or '(file)'}: {label}{self.message}"


# Control characters and the Unicode line and paragraph separators (which splitlines() honours).
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def printable(text: str) -> str:
    """`text` with control characters and line separators written as escapes (\\t, \\x1e, \\u2028)."""
    return _UNPRINTABLE.sub(lambda match: match.group().encode("unicode_escape").decode("ascii"), text)


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return str(path)
    return relative if not relative.startswith("..") else str(path)


# A topic id as the vocabulary writes them: safe to show inside [...].
_TOPIC = re.compile(ID_PATTERN)


def field_path(loc: tuple[int | str, ...], data: object = None) -> str:
    """('positions', 3, 'stance') -> 'positions.3.stance', or, given the record's `data`, the
    position named by its topic: 'positions[resource-ownership].stance' (a contributor finds a
    topic in the file; nobody counts positions)."""
    parts = [str(part) for part in loc]
    if data is not None and len(loc) >= 2 and loc[0] == "positions" and isinstance(loc[1], int) and isinstance(data, dict):
        positions = data.get("positions")
        item = positions[loc[1]] if isinstance(positions, list) and 0 <= loc[1] < len(positions) else None
        topic = item.get("topic") if isinstance(item, dict) else None
        if isinstance(topic, str) and _TOPIC.match(topic):
            parts[:2] = [f"positions[{topic}]"]
    return ".".join(parts)
