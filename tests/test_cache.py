"""The record cache: a second run reads validated records from it; any change to a record is seen."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from space_frameworks.schema import records


def test_second_run_uses_the_cache_and_gives_the_same_output(
    run, fixture_root: Path, monkeypatch: pytest.MonkeyPatch, private_cache: Path
) -> None:
    first = run("--root", str(fixture_root), "compare", "alpha", "beta", "--format", "json")
    assert list((private_cache / "frameworks").glob("records-*.pickle"))

    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("records were parsed although the cache is fresh")

    monkeypatch.setattr(records, "load_dataset", no_parsing)
    second = run("--root", str(fixture_root), "compare", "alpha", "beta", "--format", "json")
    assert second.exit_code == 0 and second.output == first.output


def test_a_changed_added_or_broken_record_is_seen_at_once(run, fixture_root: Path) -> None:
    assert run("--root", str(fixture_root), "list", "--format", "json").exit_code == 0
    path = fixture_root / "frameworks" / "beta.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("short_title: Beta position", "short_title: Beta view"), encoding="utf-8")
    listed = json.loads(run("--root", str(fixture_root), "list", "--format", "json").output)
    assert [r["short_title"] for r in listed] == ["Alpha Treaty", "Beta view"]
    (fixture_root / "frameworks" / "gamma.yaml").write_text(
        path.read_text(encoding="utf-8").replace("id: beta", "id: gamma"), encoding="utf-8"
    )
    assert [r["id"] for r in json.loads(run("--root", str(fixture_root), "list", "--format", "json").output)] == ["alpha", "beta", "gamma"]
    path.write_text("id: beta\nkind: opinion\n", encoding="utf-8")
    assert run("--root", str(fixture_root), "list").exit_code == 1


def test_no_cache_when_turned_off(run, fixture_root: Path, private_cache: Path) -> None:
    run("--root", str(fixture_root), "list", env={"FRAMEWORKS_NO_CACHE": "1"})
    assert not (private_cache / "frameworks").exists()
