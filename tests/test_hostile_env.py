"""Hostile environments: odd terminals, output paths, signals, encodings, caches and records folders.

Each test runs the real command as a separate process (python -m space_frameworks), because
what is under test is what a process does: its exit code, what reaches the terminal, what is left
on disk. Companion of test_hostile.py (bad records); see issue "Hostile environments".
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
TIMEOUT = 60


def cli(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None, **kwargs) -> subprocess.CompletedProcess[bytes]:
    """Run `frameworks ARGS` as its own process with a private cache, and capture its bytes."""
    base = {k: v for k, v in os.environ.items() if k not in ("FRAMEWORKS_ROOT", "FRAMEWORKS_NO_CACHE", "NO_COLOR")}
    return subprocess.run(
        [sys.executable, "-m", "space_frameworks", *args],
        env={**base, "COLUMNS": "100", **(env or {})},
        cwd=cwd,
        capture_output=True,
        timeout=TIMEOUT,
        **kwargs,
    )


def null_device(folder: Path) -> Path:
    """A character device like /dev/null, made in `folder`: a test must never risk the system's own."""
    node = folder / "null"
    try:
        os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except (PermissionError, OSError):
        pytest.skip("cannot make a device node here (not root)")
    return node


def no_traceback(result: subprocess.CompletedProcess[bytes]) -> None:
    assert b"Traceback" not in result.stderr, result.stderr.decode(errors="replace")


# -- 1. Terminal safety -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["ost\x1b]0;pwned\x07", "ost\x1b[2J", "\x9b31most"])
def test_ids_given_on_the_command_line_reach_the_error_escaped(tmp_path: Path, name: str) -> None:
    result = cli("compare", name, "us-eo-2020", env={"XDG_CACHE_HOME": str(tmp_path)})
    assert result.returncode == 2
    no_traceback(result)
    for raw in (b"\x1b", b"\x07", "\x9b".encode()):
        assert raw not in result.stderr and raw not in result.stdout
    assert b"\\x1b" in result.stderr or b"\\x9b" in result.stderr or b"\\u009b" in result.stderr


def test_a_path_given_on_the_command_line_reaches_the_error_escaped(tmp_path: Path) -> None:
    result = cli("validate", str(tmp_path / "evil\x1b[2J.yaml"), env={"XDG_CACHE_HOME": str(tmp_path)})
    assert result.returncode in (1, 2)
    no_traceback(result)
    assert b"\x1b" not in result.stderr + result.stdout


# -- 2. Output files ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["device", "fifo", "directory"])
def test_o_refuses_what_is_not_a_regular_file(tmp_path: Path, kind: str) -> None:
    if kind == "device":
        target = null_device(tmp_path)
    elif kind == "fifo":
        target = tmp_path / "pipe"
        os.mkfifo(target)
    else:
        target = tmp_path / "folder"
        target.mkdir()
    before = target.lstat()
    result = cli("list", "-o", str(target), env={"XDG_CACHE_HOME": str(tmp_path / "cache")})
    assert result.returncode == 2, result.stderr
    no_traceback(result)
    assert len(result.stderr.decode().strip().splitlines()) == 1
    after = target.lstat()
    assert stat.S_IFMT(after.st_mode) == stat.S_IFMT(before.st_mode) and after.st_ino == before.st_ino


def test_an_existing_file_keeps_its_mode_and_a_new_file_gets_the_umask(tmp_path: Path) -> None:
    existing = tmp_path / "private.txt"
    existing.write_text("old")
    existing.chmod(0o600)
    assert cli("list", "-o", str(existing), env={"XDG_CACHE_HOME": str(tmp_path / "c")}).returncode == 0
    assert stat.S_IMODE(existing.stat().st_mode) == 0o600 and "ost" in existing.read_text()
    fresh = tmp_path / "fresh.txt"
    result = cli("list", "-o", str(fresh), env={"XDG_CACHE_HOME": str(tmp_path / "c")}, preexec_fn=lambda: os.umask(0o027))
    assert result.returncode == 0
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o640


def test_a_legal_file_name_of_250_bytes_can_be_written(tmp_path: Path) -> None:
    target = tmp_path / ("n" * 246 + ".txt")
    result = cli("list", "-o", str(target), env={"XDG_CACHE_HOME": str(tmp_path / "c")})
    assert result.returncode == 0, result.stderr
    assert target.exists() and sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == [target.name]


@pytest.mark.heavy  # a dozen processes, each signalled at another moment
def test_sigterm_while_writing_leaves_no_temporary_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    base = {k: v for k, v in os.environ.items() if k not in ("FRAMEWORKS_ROOT", "FRAMEWORKS_NO_CACHE")}
    # The early delays land in the start-up (typer's and PyYAML's imports): a half-imported module
    # must not surface as a traceback either.
    for delay in (0.05, 0.15, 0.3, 0.6, 0.9, 1.2):
        process = subprocess.Popen(
            [sys.executable, "-m", "space_frameworks", "export", "-o", str(out / "all.json")],
            env={**base, "XDG_CACHE_HOME": str(tmp_path / "c")},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        time.sleep(delay)
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=TIMEOUT)
        assert b"Traceback" not in err
        assert process.returncode in (0, 143, -signal.SIGTERM), err  # done already, or ended by the signal
        leftovers = [p.name for p in out.iterdir() if p.name != "all.json"]
        assert leftovers == [], leftovers


def test_writing_to_a_full_disk_ends_in_one_line(tmp_path: Path) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    with open("/dev/full", "wb") as full:
        result = subprocess.run(
            [sys.executable, "-m", "space_frameworks", "show", "ost"],
            env={**os.environ, "XDG_CACHE_HOME": str(tmp_path)},
            stdout=full,
            stderr=subprocess.PIPE,
            timeout=TIMEOUT,
        )
    assert result.returncode != 0
    no_traceback(result)
    assert len(result.stderr.decode().strip().splitlines()) == 1


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    reader = subprocess.Popen(["head", "-c", "10"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
    result = subprocess.run(
        [sys.executable, "-m", "space_frameworks", "export"],
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path)},
        stdout=reader.stdin,
        stderr=subprocess.PIPE,
        timeout=TIMEOUT,
    )
    reader.stdin.close()
    reader.wait(timeout=TIMEOUT)
    assert result.stderr == b""


# -- 3. Process ---------------------------------------------------------------------------------


@pytest.mark.heavy  # a dozen processes, each signalled at another moment
def test_sigint_at_start_up_exits_130_without_a_traceback(tmp_path: Path) -> None:
    base = {k: v for k, v in os.environ.items() if k not in ("FRAMEWORKS_ROOT",)}
    for delay in (0.08, 0.15, 0.3, 0.5):
        process = subprocess.Popen(
            [sys.executable, "-m", "space_frameworks", "compare", "ost", "us-eo-2020"],
            env={**base, "XDG_CACHE_HOME": str(tmp_path)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        time.sleep(delay)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=TIMEOUT)
        if process.returncode == 0:
            continue  # it finished first
        ours = [line for line in err.decode(errors="replace").splitlines() if f'File "{REPO}/' in line and "/.venv/" not in line]
        if process.returncode == -signal.SIGINT and err == b"":
            continue  # killed by the signal itself, before Python's handler exists (a shell shows 130)
        if process.returncode != 130 and ours == [] and err.rstrip().endswith(b"KeyboardInterrupt"):
            # The interpreter's own start-up (runpy finding and loading the package), before any line
            # of ours has run: Python reports that itself (exit 1 or killed by the signal).
            continue
        assert process.returncode == 130, err
        assert b"Traceback" not in err


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_any_stdout_encoding_works(tmp_path: Path, encoding: str) -> None:
    result = cli("show", "lux-2017", env={"PYTHONIOENCODING": encoding, "XDG_CACHE_HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    no_traceback(result)
    result.stdout.decode(encoding)  # what was written is valid in that encoding


# -- 4. Environment -----------------------------------------------------------------------------


@pytest.mark.parametrize("case", ["xdg-dev-null", "xdg-relative", "xdg-file", "home-file", "home-unset", "xdg-fifo", "xdg-unwritable"])
def test_the_tool_works_without_a_usable_cache_folder(tmp_path: Path, case: str) -> None:
    env: dict[str, str] = {}
    plain = tmp_path / "plain"
    plain.write_text("x")
    if case == "xdg-dev-null":
        env["XDG_CACHE_HOME"] = str(null_device(tmp_path))
    elif case == "xdg-relative":
        env["XDG_CACHE_HOME"] = "relative/cache"
    elif case == "xdg-file":
        env["XDG_CACHE_HOME"] = str(plain)
    elif case == "home-file":
        env = {"XDG_CACHE_HOME": "", "HOME": str(plain)}
    elif case == "home-unset":
        env = {"XDG_CACHE_HOME": ""}
    elif case == "xdg-fifo":
        cache = tmp_path / "cache"
        (cache / "frameworks").mkdir(parents=True)
        for name in ("records.json", "index.json", "dataset.json", "records.pickle"):
            os.mkfifo(cache / "frameworks" / name)
        env["XDG_CACHE_HOME"] = str(cache)
    else:
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o500)
        env["XDG_CACHE_HOME"] = str(locked)
    full_env = {k: v for k, v in os.environ.items() if k not in ("FRAMEWORKS_ROOT", "FRAMEWORKS_NO_CACHE")}
    full_env.update(env)
    if case == "home-unset":
        full_env.pop("HOME", None)
    result = subprocess.run(
        [sys.executable, "-m", "space_frameworks", "compare", "ost", "us-eo-2020"],
        env=full_env,
        cwd=tmp_path,
        capture_output=True,
        timeout=TIMEOUT,
    )
    assert result.returncode == 0, result.stderr
    no_traceback(result)
    assert len(result.stderr.decode().strip().splitlines()) <= 1
    assert not (tmp_path / "relative").exists()  # a relative XDG_CACHE_HOME is ignored (XDG spec)


# -- 5. Records folder --------------------------------------------------------------------------


@pytest.fixture
def records(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    shutil.copytree(REPO / "frameworks", root / "frameworks")
    shutil.copytree(REPO / "seeds", root / "seeds")
    return root


@pytest.mark.parametrize("entry", ["editor-lock", "dangling", "device"])
def test_entries_that_are_not_regular_files_are_named_by_validate_and_never_crash_commands(records: Path, entry: str) -> None:
    folder = records / "frameworks"
    name = {"editor-lock": ".#ost.yaml", "dangling": "gone.yaml", "device": "zero.yaml"}[entry]
    target = {"editor-lock": "root@host.1234:1700000000", "dangling": str(records / "nowhere.yaml"), "device": "/dev/zero"}[entry]
    (folder / name).symlink_to(target)
    env = {"FRAMEWORKS_ROOT": str(records), "XDG_CACHE_HOME": str(records / "cache")}
    check = cli("validate", env=env, cwd=records)
    assert check.returncode == 1
    no_traceback(check)
    expected = {
        "editor-lock": "(file): an editor's lock file (a symlink to 'root@host.1234:1700000000'), not a record",
        "dangling": "(file): a symlink to",
        "device": "(file): not a regular file but a character device",
    }[entry]
    [line] = [line for line in check.stdout.decode().splitlines() if name in line]
    assert expected in line
    for command in (["list"], ["compare", "ost", "us-eo-2020"]):
        result = cli(*command, env=env, cwd=records)
        assert result.returncode == 0, result.stderr
        no_traceback(result)
