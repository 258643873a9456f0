"""Every shared test helper: the CLI run in-process, the fixture records, a contributor's checkout,
positions in a text, and a private record cache for each test."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from space_frameworks.cli import app
from space_frameworks.schema.dataset import Dataset, load_dataset

FIXTURES = Path(__file__).parent / "fixtures"
BAD = Path(__file__).parent / "bad"  # the corpus of bad records, with its own seeds
GOOD = BAD / "good" / "demo.yaml"  # the corpus' one valid record
REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


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


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch) -> Callable[..., object]:
    """Invoke the CLI: run("compare", "ost", "us-eo-2020", columns=80). Returns the click Result."""
    monkeypatch.delenv("FRAMEWORKS_ROOT", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)

    def invoke(*args: str, columns: int = 100, env: dict[str, str] | None = None) -> object:
        runner = CliRunner()
        return runner.invoke(app, list(args), env={"COLUMNS": str(columns), **(env or {})}, catch_exceptions=False)

    return invoke


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


def cli(*args: str) -> Any:
    """Run `frameworks ARGS` in-process with the environment as it is; the click Result."""
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def line_of(text: str, fragment: str) -> int:
    """1-based number of the (first) line holding `fragment`."""
    return text[: text.index(fragment)].count("\n") + 1


def col_of(text: str, fragment: str) -> int:
    """1-based column where `fragment` (first) starts on its line."""
    start = text.index(fragment)
    return start - text.rfind("\n", 0, start)
