"""The records of a folder, as the data commands use them: the Dataset, and the one pipeline that
fills it through the same checks as `validate`.

``load_dataset`` streams every record file through schema.validation.check_file (models,
cross-record checks, text integrity), then checks names across files. A file with any error is
left out of the Dataset (``Dataset.left_out`` says which and how many errors), so one unfinished
draft does not stop anyone comparing its neighbours. With the record cache (schema.cache), a file
whose bytes (and everything its checks depend on) are unchanged is not read as YAML again, and a
valid record's data is read only when a command asks for it.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from .cache import RecordCache
from .models import Article, Record, Topic
from .names import NameEntry, check_names, other_names
from .paths import locate_records, seeds_dir
from .problems import Problem, display_path
from .yamlfile import YamlError, read_bytes

# The checks (schema.checks, .validation, .load) are imported where a file must be read as YAML and
# checked: a run whose records all come from the cache does without them, and starts faster.
if TYPE_CHECKING:
    from .checks import Context


class UnknownFramework(LookupError):
    """An id or alias that names no record; carries the closest known ids."""

    def __init__(self, name: str, suggestions: list[str]) -> None:
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown framework '{name}'{hint}")
        self.name = name
        self.suggestions = suggestions


class UnknownTopic(LookupError):
    """A topic id that is not in the vocabulary; the message names the closest ones."""

    def __init__(self, name: str, suggestions: list[str]) -> None:
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else "; see 'frameworks topics'"
        super().__init__(f"unknown topic '{name}'{hint}")


class Shelf(Mapping[str, Record]):
    """The valid records of a Dataset by id, each read only when asked for (from the record cache,
    or by reading its file again), so that comparing two of 2,000 records holds two in memory."""

    def __init__(self) -> None:
        self._fetch: dict[str, Callable[[], Record]] = {}
        self._held: dict[str, Record] = {}

    def put(self, record_id: str, fetch: Callable[[], Record] | Record) -> None:
        """Shelve a record, or the way to fetch it."""
        if isinstance(fetch, Record):
            self._held[record_id] = fetch
            self._fetch[record_id] = lambda: fetch
        else:
            self._fetch[record_id] = fetch

    def __getitem__(self, record_id: str) -> Record:
        if record_id not in self._held:
            self._held[record_id] = self._fetch[record_id]()
        return self._held[record_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._fetch)

    def mapped(self, change: Callable[[Record], Record]) -> Shelf:
        """A shelf of the same records, each passed through `change` when it is fetched."""
        shelf = Shelf()
        for record_id, fetch in self._fetch.items():
            shelf.put(record_id, lambda fetch=fetch: change(fetch()))
        return shelf

    def stream(self) -> Iterator[Record]:
        """Every record in turn, fetched and let go: listing or exporting 2,000 records holds one at
        a time (records already held, such as those a command asked for by id, are reused)."""
        for record_id, fetch in self._fetch.items():
            held = self._held.get(record_id)
            yield held if held is not None else fetch()

    def __len__(self) -> int:
        return len(self._fetch)

    def __contains__(self, record_id: object) -> bool:
        return record_id in self._fetch


@dataclass(frozen=True)
class LeftOut:
    """A record file left out of the data commands: how many errors it has, and the names it uses."""

    path: Path
    errors: int
    names: tuple[str, ...] = ()

    def __str__(self) -> str:
        shown = display_path(self.path)
        return f"{shown} left out: {self.errors} problem{'s' if self.errors != 1 else ''}; run frameworks validate {shown}"


@dataclass
class Dataset:
    """The valid records of a records folder, with what is needed to check and compare them."""

    root: Path
    records: Shelf = field(default_factory=Shelf)
    files: dict[str, Path] = field(default_factory=dict)
    articles: dict[str, Article] = field(default_factory=dict)
    # The problems found in this run, errors and warnings (a file served from the cache adds none).
    problems: list[Problem] = field(default_factory=list)
    # The record files that have errors, left out of `records`, in file order.
    left_out: list[LeftOut] = field(default_factory=list)
    # Every record file read.
    paths: list[Path] = field(default_factory=list)
    # Ids and aliases of the records in the root's frameworks/ that were not named (when only some
    # files are validated, e.g. the changed ones in CI), mapped to their file.
    others: dict[str, Path] = field(default_factory=dict)
    # Every id and alias of the valid records, mapped to the record's id.
    aliases: dict[str, str] = field(default_factory=dict)
    # The topic vocabulary when it came with the records from the cache (schema.cache).
    vocabulary: list[Topic] | None = None

    @property
    def seeds(self) -> Path:
        """The seeds/ folder that holds the texts and press reports these records cite."""
        return seeds_dir(self.root)

    @property
    def topics(self) -> list[Topic]:
        """The topic vocabulary, in comparison order."""
        if self.vocabulary is not None:
            return self.vocabulary
        from .load import load_topics

        return load_topics()

    def names(self) -> dict[str, str]:
        """Every id and alias, mapped to its record's id."""
        return self.aliases

    def left_out_named(self, name: str) -> LeftOut | None:
        """The left-out file that uses `name` as its id or an alias, if any."""
        key = name.strip().lower()
        return next((entry for entry in self.left_out if key in entry.names), None)

    def topic_ids(self, names: list[str] | None) -> list[str] | None:
        """The topic ids asked for, each once (None: every topic); UnknownTopic for one not in the vocabulary."""
        known = [t.id for t in self.topics]
        for name in names or []:
            if name not in known:
                raise UnknownTopic(name, difflib.get_close_matches(name, known, n=3))
        return list(dict.fromkeys(names)) if names else None

    def resolve(self, name: str) -> Record:
        """The record with this id or alias; UnknownFramework (with suggestions) otherwise."""
        names = self.names()
        key = name.strip().lower()
        if key in names:
            return self.records[names[key]]
        close = difflib.get_close_matches(key, list(names), n=3, cutoff=0.5)
        suggestions = list(dict.fromkeys(names[c] for c in close)) or sorted(self.records)[:5]
        raise UnknownFramework(name, suggestions)


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
    """Load the records of `root` (or the files/folders in `paths`, see paths.locate_records).

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
        from .load import load_articles, load_topics

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
        from .checks import Context

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
    from .validation import check_file

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
    from .validation import check_file

    try:
        checked = check_file(context(), path, read_bytes(path))
    except YamlError:
        checked = None
    if checked is None or checked.record is None or checked.names is None or checked.names.id != record_id:
        raise RecordUnavailable(f"{display_path(path)} was changed while the command ran and is no longer valid; run the command again")
    store.store(checked.record, rewrite=True)
    return checked.record
