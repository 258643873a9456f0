"""`frameworks export --format sqlite`: tables, foreign keys, full-text search, atomic writing.

Also over a database a reader holds open (WAL mode), and beside a file that cannot be removed."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from conftest import cli, cli_process
from space_frameworks.reports.comparison import build_comparison
from space_frameworks.reports.sqlite import write_sqlite
from space_frameworks.schema.dataset import Dataset, load_dataset


@pytest.fixture(scope="module")
def database(dataset: Dataset, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("db") / "frameworks.db"
    write_sqlite(dataset, path)
    return path


def query(path: Path, sql: str, *args: object) -> list[tuple]:
    with sqlite3.connect(path) as db:
        return db.execute(sql, args).fetchall()


def test_the_export_command_writes_the_database(tmp_path: Path) -> None:
    path = tmp_path / "frameworks.db"
    result = cli("export", "--format", "sqlite", "-o", str(path))
    assert result.exit_code == 0, result.output
    assert "datasette" in result.output
    assert query(path, "SELECT count(*) FROM frameworks")[0][0] > 0
    assert [p.name for p in tmp_path.iterdir()] == ["frameworks.db"]


def test_sqlite_needs_an_output_file(tmp_path: Path) -> None:
    result = cli("export", "--format", "sqlite")
    assert result.exit_code == 2
    assert "-o FILE" in result.output
    assert cli("export", "--format", "sqlite", "-o", str(tmp_path)).exit_code == 4  # a folder: cannot be written


def test_every_table_holds_the_dataset(database: Path, dataset: Dataset) -> None:
    assert query(database, "SELECT count(*) FROM frameworks")[0][0] == len(dataset.records)
    assert query(database, "SELECT count(*) FROM topics")[0][0] == len(dataset.topics)
    assert query(database, "SELECT count(*) FROM positions")[0][0] == len(dataset.records) * len(dataset.topics)
    assert query(database, "SELECT count(*) FROM provisions")[0][0] == sum(len(r.provisions) for r in dataset.records.values())
    assert query(database, "SELECT count(*) FROM events")[0][0] == sum(len(r.status) for r in dataset.records.values())
    assert query(database, "SELECT count(*) FROM sources")[0][0] == sum(len(r.sources) for r in dataset.records.values())


def test_positions_are_the_comparisons_cells(database: Path, dataset: Dataset) -> None:
    ids = list(dataset.records)
    comparison = build_comparison(dataset, ids)
    stored = {
        (f, t): (s, summary, gist)
        for f, t, s, summary, gist in query(database, "SELECT framework, topic, stance, summary, gist FROM positions")
    }
    for row in comparison.rows:
        for cell in row.cells:
            assert stored[(cell.framework, row.topic)] == (cell.stance, cell.summary, cell.gist)


def test_foreign_keys_are_declared_and_hold(database: Path) -> None:
    assert query(database, "PRAGMA foreign_key_check") == []
    assert query(database, "PRAGMA integrity_check") == [("ok",)]
    declared = {table: query(database, f"PRAGMA foreign_key_list({table})") for table in ("positions", "provisions", "events", "sources")}
    assert {fk[2] for fk in declared["positions"]} == {"frameworks", "topics"}
    assert all(any(fk[2] == "frameworks" for fk in keys) for keys in declared.values())
    # Each position's provisions are its framework's own.
    assert (
        query(
            database,
            "SELECT count(*) FROM position_provisions pp JOIN positions p ON p.id = pp.position"
            " JOIN provisions v ON v.id = pp.provision WHERE p.framework != v.framework",
        )[0][0]
        == 0
    )


def test_full_text_search_finds_summaries_and_quotes(database: Path, dataset: Dataset) -> None:
    record = next(iter(dataset.records.values()))
    provision = record.provisions[0] if record.provisions else None
    word = max((w.strip(".,;:()\"'") for w in record.positions[0].summary.split()), key=len)
    found = query(
        database,
        "SELECT p.framework FROM positions_fts JOIN positions p ON p.id = positions_fts.rowid WHERE positions_fts MATCH ?",
        f'"{word}"',
    )
    assert (record.id,) in found
    if provision:
        phrase = " ".join(provision.quote.replace("...", " ").split()[:3])
        phrase = "".join(c for c in phrase if c.isalnum() or c == " ")
        hits = query(
            database,
            "SELECT v.framework, v.pinpoint FROM provisions_fts JOIN provisions v ON v.id = provisions_fts.rowid WHERE provisions_fts MATCH ?",
            f'"{phrase}"',
        )
        assert (record.id, provision.id) in hits


@pytest.mark.skipif(shutil.which("sqlite3") is None, reason="the sqlite3 command-line shell is not installed")
def test_the_sqlite3_shell_opens_it(database: Path) -> None:
    result = subprocess.run(
        ["sqlite3", str(database), "PRAGMA foreign_key_check; SELECT count(*) FROM positions_fts WHERE positions_fts MATCH 'space';"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert int(result.stdout.strip().splitlines()[-1]) > 0


def test_record_text_is_stored_as_it_is(fixture_root: Path, tmp_path: Path) -> None:
    record = fixture_root / "frameworks" / "alpha.yaml"
    text = record.read_text(encoding="utf-8").replace(
        "summary: Licensed operators may own, use and sell what they extract.", 'summary: "Robert\'); DROP TABLE positions;--"'
    )
    record.write_text(text, encoding="utf-8")
    path = tmp_path / "f.db"
    write_sqlite(load_dataset(fixture_root), path)
    assert query(path, "SELECT summary FROM positions WHERE framework = 'alpha' AND topic = 'resource-ownership'") == [
        ("Robert'); DROP TABLE positions;--",)
    ]


def test_a_failed_export_leaves_the_old_file(fixture_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from space_frameworks.reports import sqlite as module

    path = tmp_path / "out" / "f.db"
    path.parent.mkdir()
    path.write_bytes(b"old")

    def broken(db: sqlite3.Connection, dataset: Dataset, as_of: object = None) -> dict[str, int]:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(module, "fill", broken)
    with pytest.raises(OSError):
        write_sqlite(load_dataset(fixture_root), path)
    assert path.read_bytes() == b"old"
    assert [p.name for p in path.parent.iterdir()] == ["f.db"]


def test_datasette_finds_the_search_indexes(database: Path, dataset: Dataset) -> None:
    """Datasette is an optional extra (pip install -e ".[datasette]"): checked where it is installed."""
    pytest.importorskip("datasette")
    import asyncio

    from datasette.app import Datasette

    summary = next(iter(dataset.records.values())).positions[0].summary
    word = max(("".join(c for c in w if c.isalnum()) for w in summary.split()), key=len)

    async def look() -> tuple[dict, list]:
        ds = Datasette([str(database)])
        tables = (await ds.client.get(f"/{database.stem}.json")).json()["tables"]
        found = (await ds.client.get(f"/{database.stem}/positions.json?_search={word}&_shape=array")).json()
        return {t["name"]: t.get("fts_table") for t in tables}, found

    tables, found = asyncio.run(look())
    assert tables["positions"] == "positions_fts"
    assert tables["provisions"] == "provisions_fts"
    assert found and all("stance" in row for row in found)


def tables(connection: sqlite3.Connection) -> list[str]:
    """The names of the tables in the database."""
    return sorted(row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'"))


def test_export_over_a_database_a_reader_holds_open_in_wal_mode_gives_exactly_the_new_content(tmp_path: Path, fixture_root: Path) -> None:
    database = tmp_path / "x.db"
    assert cli_process("export", "-o", str(database), root=fixture_root).returncode == 0
    fresh = sqlite3.connect(database)
    expected = tables(fresh)
    fresh.close()
    reader = sqlite3.connect(database, isolation_level=None)
    assert reader.execute("PRAGMA journal_mode = wal").fetchone() == ("wal",)
    reader.execute("PRAGMA wal_autocheckpoint = 0")  # its changes stay in x.db-wal
    reader.execute("CREATE TABLE only_old (x)")
    reader.execute("INSERT INTO only_old VALUES (1)")
    reader.execute("BEGIN")
    assert reader.execute("SELECT count(*) FROM only_old").fetchone() == (1,)  # a read under way
    assert (tmp_path / "x.db-wal").stat().st_size > 0 and (tmp_path / "x.db-shm").exists()

    result = cli_process("export", "-o", str(database), root=fixture_root)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("x.db")) == ["x.db"]
    after = sqlite3.connect(database)
    assert tables(after) == expected and "only_old" not in tables(after)
    after.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert tables(after) == expected and after.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    after.close()
    # The reader goes on with the database it opened, undisturbed, and leaving it harms nothing.
    assert reader.execute("SELECT count(*) FROM only_old").fetchone() == (1,)
    reader.execute("COMMIT")
    reader.close()
    again = sqlite3.connect(database)
    assert tables(again) == expected and again.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    again.close()


def test_a_sidecar_that_cannot_be_removed_stops_the_export_and_keeps_the_old_database(tmp_path: Path, fixture_root: Path) -> None:
    database = tmp_path / "x.db"
    assert cli_process("export", "-o", str(database), root=fixture_root).returncode == 0
    before = database.read_bytes()
    (tmp_path / "x.db-journal").mkdir()  # not a file: it cannot be unlinked
    result = cli_process("export", "-o", str(database), root=fixture_root)
    assert result.returncode == 4 and database.read_bytes() == before
    assert result.stderr.decode().splitlines() == [
        f"frameworks: cannot write {database}: cannot remove x.db-journal beside it (Is a directory); remove it, then try again"
    ]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(("x.db", ".frameworks"))) == ["x.db", "x.db-journal"]
