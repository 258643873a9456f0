"""Reading one record file, the topic vocabulary and the press excerpts into the pydantic models,
with every problem named by file, line, column and field.

``load_record`` checks one file's structure. The checks that need more than one field or file are
in ``schema.checks``; the one pipeline that runs both over a folder of records (for validate and
for every data command) is ``schema.dataset.load_dataset``.
"""

from __future__ import annotations

import difflib
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .language import text_problems
from .models import EXCERPT_REF_PATTERN, ID_PATTERN, PINPOINT_PATTERN, URL_PATTERN, Article, Record, Topic
from .paths import TOPICS_FILE
from .problems import Problem, display_path, field_path
from .yamlfile import INVALID, YamlDocument, YamlError, is_placeholder, parse_yaml, placeholder_message, read_yaml

# What each pattern of the models means, in words a contributor can act on (an unknown pattern is
# shown as it is).
_PATTERN_NAMES = {
    ID_PATTERN: "an id: lower-case letters and digits, words joined by dashes, e.g. moon-agreement",
    PINPOINT_PATTERN: "a pinpoint such as art_2, sec_1 or art_6__para_2 (lower-case, '_' inside, '__' between levels)",
    URL_PATTERN: "a web address starting with http:// or https://",
    EXCERPT_REF_PATTERN: "an excerpt reference: article-id/excerpt-id, as in seeds/articles.yaml",
}


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
