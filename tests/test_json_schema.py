"""`frameworks schema`: the records' JSON Schema, committed and accepted by check-jsonschema.

Exported, committed, referenced by every record's modeline, and accepted by an external validator
(check-jsonschema) on every record, refused on structural errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from test_validate_bad_records import CASES, STRUCTURAL

from conftest import GOOD, cli
from space_frameworks.schema.json_schema import SCHEMA_FILE, json_schema, schema_text
from space_frameworks.schema.paths import PACKAGE_ROOT, record_files
from space_frameworks.schema.yamlfile import MODELINE_PREFIX

RECORDS = record_files([PACKAGE_ROOT / "frameworks"])


def check_jsonschema(*args: str, schema: Path = SCHEMA_FILE) -> dict:
    """Run check-jsonschema (from PyPI) with the committed schema; its JSON report."""
    command = [sys.executable, "-m", "check_jsonschema", "--output-format", "json", "--schemafile", str(schema), *args]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert completed.returncode in (0, 1), completed.stderr
    return json.loads(completed.stdout)


def test_the_committed_schema_is_the_one_the_models_give() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), (
        "schema/framework.schema.json drifted from schema/models.py: run `frameworks schema -o schema/framework.schema.json`"
    )


def test_frameworks_schema_prints_it() -> None:
    result = cli("schema")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == json_schema()
    assert json_schema()["additionalProperties"] is False  # unknown keys are errors for editors too


def test_check_jsonschema_accepts_the_schema_as_a_2020_12_schema() -> None:
    command = [sys.executable, "-m", "check_jsonschema", "--check-metaschema", str(SCHEMA_FILE)]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_every_record_begins_with_a_modeline_pointing_to_the_schema() -> None:
    assert RECORDS, "no records in frameworks/"
    for path in [*RECORDS, GOOD]:
        first = path.read_text(encoding="utf-8").split("\n", 1)[0]
        assert first.startswith(MODELINE_PREFIX), f"{path.name}: first line is {first!r}"
        target = (path.parent / first.removeprefix(MODELINE_PREFIX)).resolve()
        assert target == SCHEMA_FILE, f"{path.name}: the modeline points to {target}"


def test_check_jsonschema_accepts_every_record_including_unquoted_dates() -> None:
    # check-jsonschema reads YAML timestamps as strings: unquoted dates meet the schema's date pattern.
    assert "\n    date: 2020-01-15\n" in GOOD.read_text(encoding="utf-8")
    report = check_jsonschema(*map(str, RECORDS), str(GOOD))
    assert report["status"] == "ok", report  # no schema error, no parse error


def test_check_jsonschema_refuses_every_structural_case_of_the_bad_corpus() -> None:
    report = check_jsonschema(*(str(CASES / name) for name in STRUCTURAL))
    refused = {Path(error["filename"]).name for error in report["errors"] + report.get("parse_errors", [])}
    assert refused == set(STRUCTURAL)
