"""Problem: one thing wrong with a file, reported as ``path:line:col: field.path: message``."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """An error (or, under --strict, a warning) at a place in a file."""

    path: str
    line: int
    col: int
    field: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        label = "" if self.severity == "error" else f"{self.severity}: "
        return f"{self.path}:{self.line}:{self.col}: {self.field or '(file)'}: {label}{self.message}"


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return str(path)
    return relative if not relative.startswith("..") else str(path)


def field_path(loc: tuple[int | str, ...]) -> str:
    """('positions', 3, 'stance') -> 'positions.3.stance'."""
    return ".".join(str(part) for part in loc)
