"""The records of a folder, loaded for the data commands through the same checks as `validate`.

``load_dataset`` streams every record file through schema.validation.check_file (models,
cross-record checks, text integrity), then checks names across files. A file with any error is
left out of the Dataset (``Dataset.left_out`` says which and how many errors), so one unfinished
draft does not stop anyone comparing its neighbours. With the record cache (schema.cache), a file
whose bytes (and everything its checks depend on) are unchanged is not read as YAML again, and a
valid record's data is read only when a command asks for it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from .cache import RecordCache
from .checks import Context
from .models import Record
from .names import NameEntry, check_names
from .problems import Problem, display_path
from .recordfile import (
    PACKAGE_ROOT,
    ROOT_ENV,
    DataRootError,
    Dataset,
    LeftOut,
    UnknownFramework,
    UnknownTopic,
    data_root,
    load_articles,
    load_topics,
    locate_records,
    other_names,
    record_files,
    seeds_dir,
)
from .validation import check_file
from .yamlfile import YamlError, read_bytes

__all__ = [
    "PACKAGE_ROOT",
    "ROOT_ENV",
    "DataRootError",
    "Dataset",
    "LeftOut",
    "RecordUnavailable",
    "UnknownFramework",
    "UnknownTopic",
    "data_root",
    "load_articles",
    "load_dataset",
    "load_topics",
    "record_files",
    "seeds_dir",
]


class RecordUnavailable(Exception):
    """A record checked valid at the start of the run is no longer valid when it is read (its file
    was changed into an invalid record while the command ran, and its cache entry is gone)."""


@dataclass
class _Outcome:
    path: Path
    errors: int
    names: NameEntry | None
    record: Record | None = None
    entry: str | None = None  # the record's entry in the cache, read when a command asks for it


def load_dataset(
    root: Path | None = None, paths: list[Path] | None = None, *, cached: bool = False, today: dt.date | None = None
) -> Dataset:
    """Load the records of `root` (or the files/folders in `paths`, see recordfile.locate_records).

    Every file is checked as `validate` checks it; the valid records go into ``records``, the others
    into ``left_out``. ``problems`` holds what this run found (with `cached`, a file served from the
    cache adds none). With `paths`, the ids and aliases of the root's records that were not named
    are kept in ``others`` so that a new record is checked against them.
    """
    base, files = locate_records(root, paths)
    seeds = seeds_dir(base)
    today = today or dt.date.today()
    store = RecordCache.open(base, seeds, today) if cached else None
    # The topics and press reports: from the cache (no YAML read at all on a warm run), else read.
    shared = store.shared() if store is not None else None
    problems: list[Problem] = []
    if shared is not None:
        topics, articles, article_errors = shared
    else:
        topics = load_topics()
        articles, problems = load_articles(seeds)
        article_errors = sum(1 for p in problems if p.severity == "error")
        if store is not None:
            store.keep_shared(topics, articles, article_errors)
    dataset = Dataset(root=base, articles=articles, problems=problems, vocabulary=topics)
    if paths is not None:
        dataset.others = other_names(base, files)
    contexts: list[Context] = []  # made on the first file the cache cannot answer for

    def context() -> Context:
        if not contexts:
            contexts.append(Context(topics, articles, seeds, today))
        return contexts[0]

    outcomes = [_check(context, store, path, dataset.problems) for path in files]
    dataset.paths = list(files)
    if store is not None:
        store.save()

    name_problems = check_names([o.names for o in outcomes if o.names is not None], dataset.others)
    dataset.problems.extend(name_problems)
    if contexts:
        dataset.problems.extend(contexts[0].text_problems())
    name_errors = Counter(p.path for p in name_problems if p.severity == "error")
    if article_errors:
        dataset.left_out.append(LeftOut(seeds / "articles.yaml", article_errors))
    for outcome in outcomes:
        errors = outcome.errors + (name_errors[display_path(outcome.path)] if name_errors else 0)
        names = outcome.names
        if errors or names is None or names.id is None or (outcome.record is None and outcome.entry is None):
            used = () if names is None else tuple(n for n in [names.id, *(a for _, a, _ in names.aliases)] if n)
            dataset.left_out.append(LeftOut(outcome.path, max(errors, 1), used))
            continue
        if outcome.record is not None:
            dataset.records.put(names.id, outcome.record)
        else:
            dataset.records.put(names.id, partial(_fetch, store, outcome.entry, outcome.path, names.id, context))
        dataset.files[names.id] = outcome.path
        dataset.aliases[names.id] = names.id
        for _, alias, _ in names.aliases:
            dataset.aliases.setdefault(alias, names.id)
    return dataset


def _check(context: Callable[[], Context], store: RecordCache | None, path: Path, problems: list[Problem]) -> _Outcome:
    """One file: from the cache when its bytes were checked before, else checked now (its problems
    added to `problems`) and remembered."""
    try:
        raw: bytes | None = read_bytes(path)
    except YamlError:
        raw = None  # check_file reads it again and reports why it cannot
    if store is not None and raw is not None:
        entry = store.lookup(raw)
        if entry is not None:
            return _Outcome(path, entry.errors, entry.names(path), entry=entry.entry)
    checked = check_file(context(), path, raw)
    problems.extend(checked.problems)
    outcome = _Outcome(path, checked.errors, checked.names, record=checked.record)
    if store is not None and raw is not None:
        stored = store.keep(raw, checked.errors, checked.names, checked.record, checked.recheck_on)
        if stored is not None:
            outcome.record, outcome.entry = None, stored  # read back when asked for: memory stays flat
    return outcome


def _fetch(store: RecordCache, entry: str, path: Path, record_id: str, context: Callable[[], Context]) -> Record:
    """The record stored as `entry`; if that entry is missing or damaged, the record rebuilt from its
    file (and stored again), so that a cache in any state gives what a run without it gives."""
    record = store.fetch(entry)
    if record is not None:
        return record
    try:
        checked = check_file(context(), path, read_bytes(path))
    except YamlError:
        checked = None
    if checked is None or checked.record is None or checked.names is None or checked.names.id != record_id:
        raise RecordUnavailable(f"{display_path(path)} was changed while the command ran and is no longer valid; run the command again")
    store.store(checked.record, rewrite=True)
    return checked.record
