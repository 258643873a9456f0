"""One record file and what it is read with: where records live, the topic vocabulary, the
press-report seeds, the Dataset that holds the valid records of a folder.

``load_record`` reads one file and checks its structure with the pydantic models. The checks that
need more than one field or file are in ``schema.checks``; the one pipeline that runs both over a
folder of records (for validate and for every data command) is ``schema.records.load_dataset``.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .language import text_problems
from .models import ID_PATTERN, PINPOINT_PATTERN, Article, Record, Topic
from .problems import Problem, display_path, field_path
from .yamlfile import INVALID, YamlDocument, YamlError, is_placeholder, parse_yaml, placeholder_message, read_yaml

ROOT_ENV = "FRAMEWORKS_ROOT"
# Installed, the package holds frameworks/ and seeds/ beside schema/; in a checkout, so does the root.
PACKAGE_ROOT = Path(__file__).resolve().parent.parent
TOPICS_FILE = Path(__file__).resolve().parent / "topics.yaml"


# The patterns of models.Url and models.ExcerptRef (an unknown pattern is shown as it is).
URL_PATTERN = r"^https?://[^\s]+$"
EXCERPT_REF_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*/[a-z0-9]+(-[a-z0-9]+)*$"
# What each pattern of the models means, in words a contributor can act on.
_PATTERN_NAMES = {
    ID_PATTERN: "an id: lower-case letters and digits, words joined by dashes, e.g. moon-agreement",
    PINPOINT_PATTERN: "a pinpoint such as art_2, sec_1 or art_6__para_2 (lower-case, '_' inside, '__' between levels)",
    URL_PATTERN: "a web address starting with http:// or https://",
    EXCERPT_REF_PATTERN: "an excerpt reference: article-id/excerpt-id, as in seeds/articles.yaml",
}


class DataRootError(Exception):
    """The records folder given by --root or FRAMEWORKS_ROOT is not usable."""


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


def data_root(root: Path | None = None) -> Path:
    """The folder holding frameworks/ (and seeds/): `root`, else $FRAMEWORKS_ROOT, else the package's."""
    chosen = root or (Path(os.environ[ROOT_ENV]) if os.environ.get(ROOT_ENV) else PACKAGE_ROOT)
    if not (chosen / "frameworks").is_dir():
        raise DataRootError(f"{chosen}: no frameworks/ folder of records here")
    return chosen


def seeds_dir(root: Path) -> Path:
    """seeds/ of `root` if it has one (a contributor's checkout), else the package's own."""
    return root / "seeds" if (root / "seeds").is_dir() else PACKAGE_ROOT / "seeds"


def record_files(paths: list[Path]) -> list[Path]:
    """The YAML files named, or found directly inside the folders named (sorted), each once.

    Every entry named *.yaml or *.yml counts, whatever it is: a dangling symlink, a symlink to a
    device, an editor's lock file (.#ost.yaml) or a folder is then reported by the reader with
    its name, never skipped without a word."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            with os.scandir(path) as scan:  # names only: what each entry is, the reader checks
                names = sorted(e.name for e in scan if e.name.endswith((".yaml", ".yml")))
            found.extend(path / name for name in names)
        else:
            found.append(path)
    # A file named twice (or named and inside a named folder) is read once.
    unique: dict[str, Path] = {}
    for path in found:
        unique.setdefault(os.path.abspath(path), path)
    return list(unique.values())


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
        return self.vocabulary if self.vocabulary is not None else load_topics()

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


@cache
def load_topics() -> list[Topic]:
    """The topic vocabulary of schema/topics.yaml (validated; a broken vocabulary is a bug)."""
    document = read_yaml(TOPICS_FILE)
    return [Topic.model_validate(item) for item in document.data]


def load_articles(seeds: Path) -> tuple[dict[str, Article], list[Problem]]:
    """The press reports of seeds/articles.yaml, by id, and the problems of that file."""
    path = seeds / "articles.yaml"
    if not path.exists():
        return {}, []
    document, problems = _read(path)
    if document is None:
        return {}, problems
    if not isinstance(document.data, list):
        return {}, [_problem(document, (), "the file must be a list of articles")]
    articles: dict[str, Article] = {}
    for index, item in enumerate(document.data):
        try:
            article = Article.model_validate(item)
        except ValidationError as exc:
            problems.extend(_validation_problems(document, exc, Article, prefix=(index,)))
            continue
        articles[article.id] = article
    for loc, message, severity in text_problems(document.data):
        line, col = document.position(loc)
        problems.append(Problem(display_path(document.path), line, col, field_path(loc, document.data), message, severity))
    return articles, problems


def load_record(path: Path, raw: bytes | None = None) -> tuple[Record | None, YamlDocument | None, list[Problem]]:
    """Read and validate one record file (or `raw`, its bytes already read): the record (None unless
    it has no problem at all), the parsed document (None if the file is not YAML), and every
    problem of the file's structure."""
    try:
        return _load_record(path, raw)
    except Exception as exc:  # noqa: BLE001 - the validator must never show a traceback; tests assert this never happens
        return None, None, [Problem(display_path(path), 1, 1, "", f"internal error while checking this file ({exc!r}); please report it")]


def _load_record(path: Path, raw: bytes | None) -> tuple[Record | None, YamlDocument | None, list[Problem]]:
    if raw is None:
        document, problems = _read(path)
    else:
        try:
            document, problems = parse_yaml(raw, path, keep_text=False), []
        except YamlError as exc:
            document, problems = None, [Problem(display_path(path), exc.line, exc.col, field_path(exc.loc), exc.message)]
    if document is None:
        return None, None, problems
    problems = [_problem(document, issue.loc, issue.message, issue.line, issue.col) for issue in document.issues]
    if not isinstance(document.data, dict):
        kind = "a list" if isinstance(document.data, list) else f"a single {type(document.data).__name__} value"
        problems.append(_problem(document, (), f"a record must be a mapping of fields (id: ..., title: ...), not {kind}"))
        return None, document, problems
    problems.extend(_problem(document, loc, placeholder_message(value)) for loc, value in document.placeholders)
    try:
        record = Record.model_validate(document.data)
    except ValidationError as exc:
        problems.extend(_validation_problems(document, exc, Record))
        return None, document, problems
    return (None if problems else record), document, problems


def locate_records(root: Path | None, paths: list[Path] | None) -> tuple[Path, list[Path]]:
    """The records root and the record files to read.

    Without `paths`: `root` (else $FRAMEWORKS_ROOT, else the package's), all of its frameworks/.
    With `paths`: those files and folders; the root (for seeds/ and the other records) is `root`,
    else the folder whose frameworks/ holds the first path, else the working directory if it has
    a frameworks/ folder, else the package's own. Raises DataRootError for an unusable root.
    """
    if paths is None:
        base = data_root(root)
        return base, record_files([base / "frameworks"])
    return root or _infer_root(paths), record_files(paths)


def _infer_root(paths: list[Path]) -> Path:
    for path in paths:
        absolute = Path(os.path.abspath(path))
        for folder in [absolute, *absolute.parents][:3]:
            if folder.name == "frameworks" and folder.is_dir():
                return folder.parent
    cwd = Path.cwd()
    return cwd if (cwd / "frameworks").is_dir() else PACKAGE_ROOT


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


def _read(path: Path) -> tuple[YamlDocument | None, list[Problem]]:
    try:
        return read_yaml(path), []
    except YamlError as exc:
        return None, [Problem(display_path(path), exc.line, exc.col, field_path(exc.loc), exc.message)]


def _problem(document: YamlDocument, loc: tuple[Any, ...], message: str, line: int = 0, col: int = 0) -> Problem:
    if not line:
        line, col = document.position(loc)
    return Problem(display_path(document.path), line, col, field_path(loc, document.data), message)


def _validation_problems(
    document: YamlDocument, error: ValidationError, model: type[BaseModel], prefix: tuple[Any, ...] = ()
) -> list[Problem]:
    problems = []
    errors = error.errors(include_url=False)
    # A misspelt field is both unknown and missing: report it once, as the misspelling.
    misspelt: set[tuple[Any, ...]] = set()
    for item in errors:
        if item["type"] == "extra_forbidden":
            close = difflib.get_close_matches(str(item["loc"][-1]), _fields_at(model, item["loc"][:-1]), n=1)
            if close:
                misspelt.add((*item["loc"][:-1], close[0]))
    for item in errors:
        if item["type"] == "missing" and tuple(item["loc"]) in misspelt:
            continue
        value = item.get("input")
        if value is INVALID or is_placeholder(value):
            continue  # already reported: by the YAML reader, or as a place still to fill in
        loc = (*prefix, *item["loc"])
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            allowed = _fields_at(model, item["loc"][:-1])
            close = difflib.get_close_matches(str(item["loc"][-1]), allowed, n=1)
            message = f"unknown field '{item['loc'][-1]}'" + (f" (did you mean '{close[0]}'?)" if close else "")
            problems.append(_problem(document, loc, message, *document.key_position(loc)))
            continue
        if item["type"] == "missing":
            message = "required field is missing"
        elif value is None and item["type"] in ("string_type", "list_type", "enum", "dict_type", "model_type"):
            message = "has no value: write one (or, if the field is optional, delete the line)"
        elif item["type"] == "string_too_long" and isinstance(value, str):
            message += f" (it has {len(value):,})"
        elif item["type"] in ("string_type", "list_type", "dict_type", "model_type", "enum", "model_attributes_type"):
            message += f" (got {_describe(value)})"
        elif item["type"] == "too_short" and isinstance(value, list):
            wanted = item["ctx"]["min_length"]
            message = f"must list at least {wanted} item{'s' if wanted != 1 else ''}" + (" (it is empty)" if not value else "")
        elif item["type"] == "string_pattern_mismatch":
            pattern = item["ctx"]["pattern"]
            wanted = _PATTERN_NAMES.get(pattern, f"of the form {pattern}")
            message = f"{_describe(value)} is not {wanted}"
        problems.append(_problem(document, loc, message))
    return problems


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The field names allowed at `loc` inside `model` (for 'did you mean')."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        info = getattr(current, "model_fields", {}).get(part)
        if info is None:
            return []
        current = _inner_model(info.annotation)
    return list(getattr(current, "model_fields", {}))


def _inner_model(annotation: Any) -> Any:
    for arg in getattr(annotation, "__args__", ()):
        inner = _inner_model(arg)
        if inner is not None:
            return inner
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None
