"""The JSON Schema of a framework record, for editors (via the yaml-language-server modeline) and
external validators such as check-jsonschema. Committed as schema/framework.schema.json; a test
fails when that file drifts from the models (regenerate it with `frameworks schema -o ...`).

The schema states structure only: cross-record rules (cited ids exist, quotes are verbatim, dates
are real and in order) are the validator's. Dates are strings matching YYYY[-MM[-DD]]: YAML
readers that follow the JSON data model (check-jsonschema loads timestamps as strings) accept
both '2019-03-18' and an unquoted 2019-03-18.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .models import Record

SCHEMA_FILE = Path(__file__).resolve().parent / "framework.schema.json"
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one record file."""
    generated = Record.model_json_schema(mode="validation")
    return {
        "$schema": DIALECT,
        "title": "Framework record",
        "description": (
            "One legal framework for space resources (frameworks/<id>.yaml). Structure only: run "
            "`frameworks validate` for cross-record checks (ids, citations, verbatim quotes, dates)."
        ),
        **{key: value for key, value in generated.items() if key not in ("title", "description")},
    }


def schema_text() -> str:
    """The schema as committed: indented JSON with a final newline, stable key order."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
