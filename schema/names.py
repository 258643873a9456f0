"""The ids and aliases of record files, and the checks that need all of them at once.

Everything else about a record can be checked file by file; names cannot: no id or alias may
name two records, and a record's file is named after its id. So each file leaves a small
NameEntry behind (its id and aliases, with their positions), and these checks run at the end.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .models import ID_PATTERN
from .paths import record_files
from .problems import Problem, display_path
from .yamlfile import PLACEHOLDER, YamlDocument, YamlError, read_yaml


@dataclass
class NameEntry:
    """One record file's id and aliases, with where each is written."""

    path: Path
    id: str | None = None
    id_at: tuple[int, int] = (1, 1)
    aliases: list[tuple[int, str, tuple[int, int]]] = field(default_factory=list)

    @cached_property
    def display(self) -> str:
        """The file's path as problems show it."""
        return display_path(self.path)


def names_of(document: YamlDocument) -> NameEntry:
    """The id and aliases of a parsed record (values of the wrong type, or placeholders, are left out)."""
    data = document.data if isinstance(document.data, dict) else {}
    entry = NameEntry(document.path)
    record_id = data.get("id")
    if isinstance(record_id, str) and not record_id.startswith(PLACEHOLDER):
        entry.id, entry.id_at = record_id, document.position(("id",))
    aliases = data.get("aliases")
    if isinstance(aliases, list):
        for index, alias in enumerate(aliases):
            if isinstance(alias, str) and not alias.startswith(PLACEHOLDER):
                entry.aliases.append((index, alias, document.position(("aliases", index))))
    return entry


def owners(entries: list[NameEntry]) -> dict[str, Path]:
    """The file each id belongs to: the one named after it, else the first that uses it."""
    owner: dict[str, Path] = {}
    for entry in entries:
        if entry.id is None:
            continue
        current = owner.get(entry.id)
        if current is None or (entry.path.stem == entry.id and current.stem != entry.id):
            owner[entry.id] = entry.path
    return owner


def duplicate_id_problem(entry: NameEntry, owner: Path) -> Problem:
    """The problem of a file whose id another file owns, with the fix (renaming the file is not one)."""
    message = f"id '{entry.id}' is already used by {display_path(owner)}: give this record its own id"
    if re.fullmatch(ID_PATTERN, entry.path.stem):
        message += f" (its file name suggests '{entry.path.stem}')"
    return Problem(entry.display, *entry.id_at, "id", message)


def check_names(entries: list[NameEntry], others: dict[str, Path], *, duplicate_ids: bool = True) -> list[Problem]:
    """Ids used twice (if `duplicate_ids`: the loader may have reported them), files not named after
    their id, and aliases that name another record, here or among `others` (records not named)."""
    owner = owners(entries)
    problems: list[Problem] = []
    taken: dict[str, NameEntry] = {}  # id or alias -> the record it names (paths are shown only in problems)
    for entry in entries:
        if entry.id is None:
            continue
        if owner[entry.id] != entry.path:
            if duplicate_ids:
                problems.append(duplicate_id_problem(entry, owner[entry.id]))
            continue
        taken[entry.id] = entry
        if entry.id in others:
            message = f"id '{entry.id}' is already the id or an alias in {display_path(others[entry.id])}"
            problems.append(Problem(entry.display, *entry.id_at, "id", message))
        elif entry.path.stem != entry.id and re.fullmatch(ID_PATTERN, entry.id):
            message = f"the file is named '{entry.path.stem}' but the id is '{entry.id}': name it {entry.id}.yaml"
            problems.append(Problem(entry.display, *entry.id_at, "id", message))
    for entry in entries:
        seen: set[str] = set()
        for index, alias, at in entry.aliases:
            here = f"aliases.{index}"
            if alias == entry.id or alias in seen:
                problems.append(Problem(entry.display, *at, here, f"alias '{alias}' is given twice"))
            elif alias in taken and taken[alias].path != entry.path:
                message = f"alias '{alias}' is already the id or an alias in {taken[alias].display}"
                problems.append(Problem(entry.display, *at, here, message))
            elif alias in others:
                message = f"alias '{alias}' is already the id or an alias in {display_path(others[alias])}"
                problems.append(Problem(entry.display, *at, here, message))
            else:
                taken[alias] = entry
            seen.add(alias)
    return problems


def other_names(root: Path, validated: list[Path]) -> dict[str, Path]:
    """Ids and aliases of the records under root/frameworks/ that are not among `validated`."""
    seen = {os.path.abspath(path) for path in validated}
    names: dict[str, Path] = {}
    folder = root / "frameworks"
    for path in record_files([folder]) if folder.is_dir() else []:
        if os.path.abspath(path) in seen:
            continue
        try:
            data = read_yaml(path).data
        except YamlError:
            continue  # not ours to report: only the named files are being validated
        if isinstance(data, dict):
            for name in [data.get("id"), *(data.get("aliases") if isinstance(data.get("aliases"), list) else [])]:
                if isinstance(name, str):
                    names.setdefault(name, path)
    return names
