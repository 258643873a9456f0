"""The one way a record file is checked, for `frameworks validate` and for every data command.

``check_file`` runs the models (schema.load) and the checks beyond structure (schema.checks,
with the integrity of the texts quoted) over one file; ``validate`` streams it over many files:
each leaves only its problems and its names (id, aliases) behind, so memory stays flat and time
grows linearly with the number of records. The names checks (schema.names) run at the end.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

from .checks import Context, check_document
from .load import load_articles, load_record, load_topics
from .models import Article, Record
from .names import NameEntry, check_names, names_of, other_names
from .paths import locate_records, seeds_dir
from .problems import Problem


@dataclass(frozen=True)
class Checked:
    """One record file, checked: the record if it has no error, its problems, and its names."""

    path: Path
    record: Record | None
    problems: list[Problem]
    names: NameEntry | None
    # The day the outcome may change without the file changing: a last_verified still in the future.
    recheck_on: dt.date | None = None

    @property
    def errors(self) -> int:
        """How many of the problems are errors (warnings never leave a record out)."""
        return sum(1 for p in self.problems if p.severity == "error")


def check_file(context: Context, path: Path, raw: bytes | None = None) -> Checked:
    """Every problem of one record file except those of names: structure, citations, quotes, texts, dates."""
    record, document, problems = load_record(path, raw)
    names = None
    recheck_on = None
    if document is not None and isinstance(document.data, dict):
        problems.extend(check_document(context, document))
        names = names_of(document)
        verified = document.data.get("last_verified")
        if isinstance(verified, str) and len(verified) == 10:
            try:
                verified = dt.date.fromisoformat(verified)
            except ValueError:
                verified = None
        if isinstance(verified, dt.date) and verified > context.today:
            recheck_on = verified
    checked = Checked(path, record, problems, names, recheck_on)
    return replace(checked, record=None) if checked.errors else checked


def context_for(seeds: Path, today: dt.date | None = None) -> tuple[Context, dict[str, Article], list[Problem]]:
    """What records are checked against (topics, press reports, texts, today), the press reports, and their problems."""
    articles, problems = load_articles(seeds)
    return Context(load_topics(), articles, seeds, today or dt.date.today()), articles, problems


@dataclass(frozen=True)
class Validation:
    """The outcome of a run: how many files were read and what is wrong with them, sorted."""

    files: int
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        """Whether the run found no error (a --draft run's warnings do not count)."""
        return not any(p.severity == "error" for p in self.problems)


def validate(paths: list[Path] | None, root: Path | None = None, *, strict: bool = True, today: dt.date | None = None) -> Validation:
    """Validate the record files/folders in `paths` (None: the records in use under `root`).

    Every problem of every file, structural and cross-record, sorted by file, line and column;
    with the records in use, every text under seeds/texts/ is checked against its SHA-256 too.
    With `strict` (the default: what CI and the pre-commit hook run), warnings become errors; without
    it (`validate --draft`, for a record in progress), they are kept as warnings that do not fail. Raises
    paths.DataRootError if `root` has no frameworks/ folder.
    """
    base, files = locate_records(root, list(paths) if paths else None)
    context, _, problems = context_for(seeds_dir(base), today)
    names: list[NameEntry] = []
    for path in files:
        checked = check_file(context, path)
        problems.extend(checked.problems)
        if checked.names is not None:
            names.append(checked.names)
    problems.extend(check_names(names, other_names(base, files) if paths else {}))
    problems.extend(context.text_problems(every=not paths))
    if strict:
        problems = [replace(p, severity="error") for p in problems]
    return Validation(files=len(files), problems=sorted(set(problems)))
