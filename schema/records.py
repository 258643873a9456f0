"""Find and load framework records, the topic vocabulary and the press-report seeds.

``load_dataset`` is the one entry point: it reads every record file once, validates its
structure with the pydantic models and returns a Dataset of the valid records together with the
problems of the others. Cross-record checks (ids, citations, quotes) are in ``schema.checks``.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .models import Article, Record, Topic
from .problems import Problem, display_path, field_path
from .yamlfile import YamlDocument, YamlError, read_yaml

ROOT_ENV = "FRAMEWORKS_ROOT"
# Installed, the package holds frameworks/ and seeds/ beside schema/; in a checkout, so does the root.
PACKAGE_ROOT = Path(__file__).resolve().parent.parent
TOPICS_FILE = Path(__file__).resolve().parent / "topics.yaml"


class DataRootError(Exception):
    """The records folder given by --root or FRAMEWORKS_ROOT is not usable."""


class UnknownFramework(LookupError):
    """An id or alias that names no record; carries the closest known ids."""

    def __init__(self, name: str, suggestions: list[str]) -> None:
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown framework '{name}'{hint}")
        self.name = name
        self.suggestions = suggestions


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
    """The YAML files named, or found directly inside the folders named, sorted."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file()))
        else:
            found.append(path)
    return found


@dataclass
class Dataset:
    """The valid records of a records folder, with what is needed to check and compare them."""

    root: Path
    records: dict[str, Record] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)
    documents: dict[str, YamlDocument] = field(default_factory=dict)
    articles: dict[str, Article] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def seeds(self) -> Path:
        """The seeds/ folder that holds the texts and press reports these records cite."""
        return seeds_dir(self.root)

    @property
    def topics(self) -> list[Topic]:
        """The topic vocabulary, in comparison order."""
        return load_topics()

    def names(self) -> dict[str, str]:
        """Every id and alias, mapped to its record's id."""
        names: dict[str, str] = {}
        for record in self.records.values():
            names[record.id] = record.id
            for alias in record.aliases:
                names.setdefault(alias, record.id)
        return names

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
    return articles, problems


def load_record(path: Path) -> tuple[Record | None, YamlDocument | None, list[Problem]]:
    """Read and validate one record file: the record (or None) and its problems."""
    document, problems = _read(path)
    if document is None:
        return None, None, problems
    if not isinstance(document.data, dict):
        kind = "a list" if isinstance(document.data, list) else f"a single {type(document.data).__name__} value"
        return None, document, [_problem(document, (), f"a record must be a mapping of fields, not {kind}")]
    try:
        return Record.model_validate(document.data), document, []
    except ValidationError as exc:
        return None, document, _validation_problems(document, exc, Record)


def load_dataset(root: Path | None = None, paths: list[Path] | None = None) -> Dataset:
    """Load the records of `root` (or the files/folders in `paths`) into a Dataset."""
    base = data_root(root) if paths is None else (root or PACKAGE_ROOT)
    dataset = Dataset(root=base)
    dataset.articles, dataset.problems = load_articles(dataset.seeds)
    for path in record_files(paths if paths is not None else [base / "frameworks"]):
        record, document, problems = load_record(path)
        dataset.problems.extend(problems)
        if record is None or document is None:
            continue
        if record.id in dataset.records:
            line, col = document.position(("id",))
            first = display_path(dataset.files[record.id])
            dataset.problems.append(Problem(display_path(path), line, col, "id", f"id '{record.id}' is already used by {first}"))
            continue
        dataset.records[record.id] = record
        dataset.files[record.id] = path
        dataset.documents[record.id] = document
    return dataset


def _read(path: Path) -> tuple[YamlDocument | None, list[Problem]]:
    try:
        return read_yaml(path), []
    except YamlError as exc:
        return None, [Problem(display_path(path), exc.line, exc.col, field_path(exc.loc), exc.message)]


def _problem(document: YamlDocument, loc: tuple[Any, ...], message: str) -> Problem:
    line, col = document.position(loc)
    return Problem(display_path(document.path), line, col, field_path(loc), message)


def _validation_problems(
    document: YamlDocument, error: ValidationError, model: type[BaseModel], prefix: tuple[Any, ...] = ()
) -> list[Problem]:
    problems = []
    for item in error.errors(include_url=False):
        loc = (*prefix, *item["loc"])
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            allowed = _fields_at(model, item["loc"][:-1])
            close = difflib.get_close_matches(str(item["loc"][-1]), allowed, n=1)
            message = f"unknown field '{item['loc'][-1]}'" + (f" (did you mean '{close[0]}'?)" if close else "")
        elif item["type"] == "missing":
            message = "required field is missing"
        elif item["type"] in ("string_type", "list_type", "dict_type", "model_type", "enum"):
            message += f" (got {_describe(item.get('input'))})"
        elif item["type"] == "string_pattern_mismatch":
            message = f"{_describe(item.get('input'))} does not match the pattern {item['ctx']['pattern']}"
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
