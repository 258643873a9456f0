"""Shared fixtures: a CliRunner that runs the real `frameworks` app, and the fixture records."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from space_frameworks.cli import app

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


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


@pytest.fixture
def fixture_root(tmp_path: Path) -> Path:
    """A writable copy of tests/fixtures (two small records, a text, a press report)."""
    root = tmp_path / "records"
    shutil.copytree(FIXTURES, root)
    return root
