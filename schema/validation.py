"""One validation run, as `frameworks validate` and the pre-commit hook do it.

Files are checked one at a time and forgotten: each leaves only its problems and its names (id,
aliases) behind, so memory stays flat and time grows linearly with the number of records.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

from .checks import Context, check_document
from .names import NameEntry, check_names, names_of
from .problems import Problem
from .records import load_articles, load_record, load_topics, other_names, record_sources, seeds_dir


@dataclass(frozen=True)
class Validation:
    """The outcome of a run: how many files were read and what is wrong with them, sorted."""

    files: int
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        """Whether the run found no error (warnings that --strict did not promote are kept out)."""
        return not any(p.severity == "error" for p in self.problems)


def validate(paths: list[Path] | None, root: Path | None = None, *, strict: bool = False, today: dt.date | None = None) -> Validation:
    """Validate the record files/folders in `paths` (None: the records in use under `root`).

    Every problem of every file, structural and cross-record, sorted by file, line and column.
    Without `strict`, warnings are dropped; with it, they become errors. Raises
    records.DataRootError if `root` has no frameworks/ folder.
    """
    base, files = record_sources(root, list(paths) if paths else None)
    seeds = seeds_dir(base)
    articles, problems = load_articles(seeds)
    context = Context(load_topics(), articles, seeds, today or dt.date.today())
    names: list[NameEntry] = []
    for path in files:
        _, document, file_problems = load_record(path)
        problems.extend(file_problems)
        if document is not None and isinstance(document.data, dict):
            problems.extend(check_document(context, document))
            names.append(names_of(document))
    problems.extend(check_names(names, other_names(base, files) if paths else {}))
    if strict:
        problems = [replace(p, severity="error") for p in problems]
    else:
        problems = [p for p in problems if p.severity == "error"]
    return Validation(files=len(files), problems=sorted(set(problems)))
