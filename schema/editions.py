"""Editions of the data for `frameworks diff` and `--since FILE`: the records as plain data, read from
a JSON export (`frameworks export -o FILE.json`), from a git revision of the records folder, or from
the records in use. Records are compared as data, not as models, so that an edition written before
a field existed (or after one was retired) can still be read.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .models import Record
from .yamlfile import YamlError, parse_yaml

EXPORT_FORMAT = "frameworks.dataset/1"  # reports.export writes it
MAX_EXPORT_BYTES = 200 * 1024 * 1024


class EditionError(Exception):
    """An edition that cannot be read: a one-line message naming the file or revision."""


@dataclass
class Edition:
    """Records by id, as plain JSON-like data, and where they came from."""

    label: str
    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)  # files that could not be read, one line each


def edition_of_records(records: Iterable[Record], label: str) -> Edition:
    """The records in use as an edition."""
    return Edition(label, {r.id: r.model_dump(mode="json") for r in records})


def edition_from_export(path: Path) -> Edition:
    """An edition from a `frameworks export` JSON file."""
    try:
        if path.stat().st_size > MAX_EXPORT_BYTES:
            raise EditionError(f"{path}: larger than {MAX_EXPORT_BYTES // (1024 * 1024)} MB; not an export of this tool")
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise EditionError(f"cannot read {path}: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise EditionError(f"{path}: not a JSON export of this tool ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT or not isinstance(data.get("frameworks"), list):
        raise EditionError(f"{path}: not a '{EXPORT_FORMAT}' export (write one with: frameworks export -o FILE.json)")
    records = {r["id"]: r for r in data["frameworks"] if isinstance(r, dict) and isinstance(r.get("id"), str)}
    return Edition(str(path), records)


def edition_from_git(revision: str, root: Path) -> Edition:
    """An edition from the frameworks/*.yaml files of a git revision of the checkout at `root`."""
    if revision.startswith("-"):
        raise EditionError(f"'{revision}': not a file or a git revision")
    listing = _git(root, "ls-tree", "--name-only", f"{revision}:./frameworks")
    edition = Edition(f"git {revision}")
    for name in sorted(listing.splitlines()):
        if not name.endswith(".yaml"):
            continue
        text = _git(root, "show", f"{revision}:./frameworks/{name}")
        try:
            document = parse_yaml(text.encode("utf-8"), Path(f"{revision}:frameworks/{name}"))
        except YamlError as exc:
            edition.skipped.append(f"{revision}:frameworks/{name}: {exc}")
            continue
        data = json.loads(json.dumps(document.data, default=str))  # YAML dates as ISO strings
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            edition.records[data["id"]] = data
        else:
            edition.skipped.append(f"{revision}:frameworks/{name}: not a record")
    return edition


def load_edition(spec: str, root: Path) -> Edition:
    """An export file if `spec` names one, else a git revision of the checkout at `root`."""
    path = Path(spec)
    if path.is_file():
        return edition_from_export(path)
    return edition_from_git(spec, root)


def _git(root: Path, *args: str) -> str:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=False, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise EditionError(f"cannot run git in {root}: {exc}") from None
    if done.returncode != 0:
        first = (done.stderr.strip().splitlines() or ["unknown revision"])[0]
        raise EditionError(f"'{args[-1]}' is neither an export file nor a git revision of {root}: {first}")
    return done.stdout
