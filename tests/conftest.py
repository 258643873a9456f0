"""Every shared test helper: the command line, the fixture records, a contributor's checkout, positions in
a text, and for each test a private record cache and none of the user's own settings.

The command line is run two ways, and only these two. `cli` runs it in this process (typer's CliRunner):
quick, and a test can patch what the command calls. `cli_process` runs it as a process of its own, for
what only a real process shows: signals, closed or full standard streams, the process's environment and
encoding, its exit status, and what it leaves on disk when it ends. Both start from the test's
environment (no_user_settings, private_cache) and a terminal 100 columns wide."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from typer.testing import CliRunner

from space_frameworks.cli import app
from space_frameworks.schema.dataset import Dataset, load_dataset
from space_frameworks.schema.paths import ROOT_ENV

FIXTURES = Path(__file__).parent / "fixtures"
BAD = Path(__file__).parent / "bad"  # the corpus of bad records, with its own seeds
GOOD = BAD / "good" / "demo.yaml"  # the corpus' one valid record
REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
PROCESS_TIMEOUT = 120  # seconds: a hung process fails its test instead of hanging the suite


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--heavy", action="store_true", help="also run the heavy tests (real PDFs, a browser, many processes)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Without --heavy, leave out the tests marked heavy (reported as deselected, never as passed)."""
    if config.getoption("--heavy"):
        return
    heavy = [item for item in items if item.get_closest_marker("heavy")]
    if heavy:
        config.hook.pytest_deselected(items=heavy)
        items[:] = [item for item in items if not item.get_closest_marker("heavy")]


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test gets its own record cache folder (schema.cache), never the user's."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    monkeypatch.delenv("FRAMEWORKS_NO_CACHE", raising=False)
    return folder


@pytest.fixture(autouse=True)
def no_user_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """None of the user's settings reaches a test or the processes it starts: no records folder
    ($FRAMEWORKS_ROOT), no NO_COLOR, no SOURCE_DATE_EPOCH. A test sets what it needs."""
    for name in (ROOT_ENV, "NO_COLOR", "SOURCE_DATE_EPOCH"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def dataset() -> Dataset:
    """The records in use, loaded once for the tests that only read them (site, SQLite, browser)."""
    return load_dataset()


@pytest.fixture
def fixture_root(tmp_path: Path) -> Path:
    """A writable copy of tests/fixtures (two small records, a text, a press report)."""
    root = tmp_path / "records"
    shutil.copytree(FIXTURES, root)
    return root


@pytest.fixture
def checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A contributor's checkout: frameworks/ with the corpus' good record, seeds/, schema/; the records
    in use (FRAMEWORKS_ROOT) and the working directory, so that paths print short."""
    shutil.copytree(BAD / "seeds", tmp_path / "seeds")
    (tmp_path / "frameworks").mkdir()
    shutil.copy(GOOD, tmp_path / "frameworks" / "demo.yaml")
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "framework.schema.json").write_text("{}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FRAMEWORKS_ROOT", str(tmp_path))
    return tmp_path


def cli(*args: str, root: Path | None = None, columns: int = 100, env: dict[str, str | None] | None = None) -> Result:
    """Run `frameworks [--root ROOT] ARGS` in this process; the click Result (exit_code, stdout, stderr).
    `env` adds to the environment for the run (None removes a variable)."""
    options = ["--root", str(root)] if root is not None else []
    return CliRunner().invoke(app, [*options, *args], env={"COLUMNS": str(columns), **(env or {})}, catch_exceptions=False)


def cli_process(
    *args: str, root: Path | None = None, columns: int = 100, env: dict[str, str | None] | None = None, wait: bool = True, **kwargs: Any
) -> Any:
    """Run `frameworks [--root ROOT] ARGS` as a process of its own (`python -m space_frameworks`: the
    console script's entry point, __main__.main, with this interpreter), its output captured as bytes.

    `env` adds to the environment (None removes a variable); other keyword arguments go to subprocess
    (stdout=..., cwd=..., preexec_fn=...). Returns the CompletedProcess; with wait=False, the Popen of
    the process just started, for a test that signals it or runs others beside it."""
    command = [sys.executable, "-m", "space_frameworks", *(["--root", str(root)] if root is not None else []), *args]
    merged = {**os.environ, "COLUMNS": str(columns), **(env or {})}
    environment = {name: value for name, value in merged.items() if value is not None}
    kwargs.setdefault("stdout", subprocess.PIPE)
    kwargs.setdefault("stderr", subprocess.PIPE)
    if not wait:
        return subprocess.Popen(command, env=environment, **kwargs)
    return subprocess.run(command, env=environment, timeout=PROCESS_TIMEOUT, check=False, **kwargs)


def no_traceback(result: subprocess.CompletedProcess[bytes]) -> None:
    """The process printed no Python traceback: whatever went wrong, it said so in its own words."""
    assert b"Traceback" not in (result.stderr or b""), (result.stderr or b"").decode(errors="replace")


def null_device(folder: Path) -> Path:
    """A character device like /dev/null, made in `folder`: a test must never risk the system's own."""
    node = folder / "null"
    try:
        os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except (PermissionError, OSError):
        pytest.skip("cannot make a device node here (not root)")
    return node


def line_of(text: str, fragment: str) -> int:
    """1-based number of the (first) line holding `fragment`."""
    return text[: text.index(fragment)].count("\n") + 1


def col_of(text: str, fragment: str) -> int:
    """1-based column where `fragment` (first) starts on its line."""
    start = text.index(fragment)
    return start - text.rfind("\n", 0, start)
