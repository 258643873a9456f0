"""`frameworks export`: the whole dataset as one JSON document."""

from __future__ import annotations

import json

from .. import __version__
from ..schema.records import Dataset


def dataset_to_json(dataset: Dataset) -> str:
    """Every record (as validated), the topic vocabulary and the press reports, in one document."""
    payload = {
        "format": "frameworks.dataset/1",
        "tool_version": __version__,
        "topics": [t.model_dump(mode="json") for t in dataset.topics],
        "frameworks": [r.model_dump(mode="json") for r in dataset.records.values()],
        "articles": [a.model_dump(mode="json") for a in dataset.articles.values()],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
