"""`frameworks export`: the whole dataset as one JSON document, written record by record."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

from .. import __version__
from ..schema.dataset import Dataset
from .comparison import build_comparison
from .edition import edition_metadata
from .render import comparison_to_csv

DATASET_FORMAT = "frameworks.dataset/1"


def dataset_to_json(dataset: Dataset, as_of: dt.date | None = None) -> str:
    """Every record (as validated), the topic vocabulary and the press reports, in one document."""
    return "".join(dataset_json_chunks(dataset, as_of))


def dataset_csv(dataset: Dataset, as_of: dt.date | None = None) -> str:
    """Every position of every record as CSV, one row per framework and topic (as of a date)."""
    return comparison_to_csv(build_comparison(dataset, list(dataset.records), as_of=as_of))


def dataset_json_chunks(dataset: Dataset, as_of: dt.date | None = None) -> Iterator[str]:
    """The document of dataset_to_json in pieces, one record at a time, so that exporting 2,000
    records holds one record (and the piece being written), never the whole dataset. With `as_of`,
    the document says so: its records are those of schema.readings.dataset_as_of."""
    yield "{\n"
    yield f'  "format": {json.dumps(DATASET_FORMAT)},\n'
    yield f'  "tool_version": {json.dumps(__version__)},\n'
    if as_of is not None:
        yield f'  "as_of": {json.dumps(as_of.isoformat())},\n'
    yield f'  "topics": {_dump([t.model_dump(mode="json") for t in dataset.topics])},\n'
    yield '  "frameworks": ['
    read: list[str] = []  # the last_verified date of each record streamed, for the edition's as-of date
    for index, record in enumerate(dataset.records.stream()):
        read.append(record.last_verified)
        yield ("," if index else "") + "\n    " + _dump(record.model_dump(mode="json"), 2)
    yield "\n  ],\n" if dataset.records else "],\n"
    yield f'  "articles": {_dump([a.model_dump(mode="json") for a in dataset.articles.values()])},\n'
    # Last, so that the records are read once: the data version, as-of date and licences (reports.edition).
    yield f'  "edition": {_dump(edition_metadata(read))}\n'
    yield "}\n"


def _dump(value: Any, level: int = 1) -> str:
    """`value` as indented JSON, its lines after the first indented `level` steps further."""
    return json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n" + "  " * level)
