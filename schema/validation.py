"""One validation run, as `frameworks validate` and the pre-commit hook do it: load, check, sort."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

from .checks import check_dataset
from .problems import Problem
from .records import load_dataset


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
    dataset = load_dataset(root, paths=list(paths) if paths else None)
    problems = dataset.problems + check_dataset(dataset, today=today)
    if strict:
        problems = [replace(p, severity="error") for p in problems]
    else:
        problems = [p for p in problems if p.severity == "error"]
    return Validation(files=len(dataset.paths), problems=sorted(set(problems)))
