"""`frameworks list`, `topics` and `show`: the records in use, the topics, one record read back whole."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from conftest import cli

FIVE = ["ost", "us-eo-2020", "lux-2017", "artemis-accords", "russia"]


def test_list_shows_the_five_frameworks_of_the_card() -> None:
    result = cli("list")
    assert result.exit_code == 0, result.output
    for record_id in FIVE:
        assert record_id in result.output


def test_list_json_has_one_entry_per_record_file() -> None:
    result = cli("list", "--format", "json")
    rows = json.loads(result.output)
    files = sorted(p.stem for p in (Path(__file__).parents[1] / "frameworks").glob("*.yaml"))
    assert sorted(row["id"] for row in rows) == files


def test_topics_lists_the_vocabulary() -> None:
    result = cli("topics", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert result.exit_code == 0
    assert [r["id"] for r in rows][:2] == ["resource-ownership", "non-appropriation"]
    assert all(r["question"].endswith("?") for r in rows)


def test_show_prints_status_positions_sources_and_verification() -> None:
    result = cli("show", "eo-13914")
    assert result.exit_code == 0, result.output
    for heading in ("STATUS", "POSITIONS", "SOURCES", "Last verified:"):
        assert heading in result.output
    assert "Executive Order" in result.output


def test_show_json_is_the_record() -> None:
    data = json.loads(cli("show", "ost", "--format", "json").output)
    assert data["id"] == "ost" and data["kind"] == "treaty"
