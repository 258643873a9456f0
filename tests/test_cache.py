"""The record cache: JSON keyed on content, private, never trusted when not ours, never in the way."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from space_frameworks.schema import cache, dataset, validation


def cache_folder(private_cache: Path) -> Path:
    [folder] = [p for p in (private_cache / "frameworks").iterdir() if p.is_dir()]
    return folder


def test_second_run_uses_the_cache_and_gives_the_same_output(
    run, fixture_root: Path, monkeypatch: pytest.MonkeyPatch, private_cache: Path
) -> None:
    first = run("--root", str(fixture_root), "compare", "alpha", "beta", "--format", "json")
    folder = cache_folder(private_cache)
    assert (folder / "index.json").is_file()
    assert not list(private_cache.rglob("*.pickle"))

    def no_checking(*args: object, **kwargs: object) -> None:
        raise AssertionError("a record was checked again although the cache is fresh")

    monkeypatch.setattr(validation, "check_file", no_checking)
    second = run("--root", str(fixture_root), "compare", "alpha", "beta", "--format", "json")
    assert second.exit_code == 0 and second.output == first.output


def test_a_compare_reads_only_the_records_it_compares(run, fixture_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run("--root", str(fixture_root), "list").exit_code == 0
    fetched: list[str] = []
    original = cache.RecordCache.fetch

    def counting(self: cache.RecordCache, key: str) -> object:
        fetched.append(key)
        return original(self, key)

    monkeypatch.setattr(cache.RecordCache, "fetch", counting)
    assert run("--root", str(fixture_root), "show", "alpha").exit_code == 0
    assert len(fetched) == 1


def test_a_changed_added_or_broken_record_is_seen_at_once(run, fixture_root: Path) -> None:
    assert run("--root", str(fixture_root), "list", "--format", "json").exit_code == 0
    path = fixture_root / "frameworks" / "beta.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("short_title: Beta position", "short_title: Beta view"), encoding="utf-8")
    listed = json.loads(run("--root", str(fixture_root), "list", "--format", "json").stdout)
    assert [r["short_title"] for r in listed] == ["Alpha Treaty", "Beta view"]
    (fixture_root / "frameworks" / "gamma.yaml").write_text(
        path.read_text(encoding="utf-8").replace("id: beta", "id: gamma"), encoding="utf-8"
    )
    assert [r["id"] for r in json.loads(run("--root", str(fixture_root), "list", "--format", "json").stdout)] == ["alpha", "beta", "gamma"]
    path.write_text("id: beta\nkind: opinion\n", encoding="utf-8")
    result = run("--root", str(fixture_root), "list", "--format", "json")
    assert result.exit_code == 0 and [r["id"] for r in json.loads(result.stdout)] == ["alpha", "gamma"]
    assert "frameworks/beta.yaml left out:" in result.stderr


def test_an_edit_that_keeps_size_and_mtime_is_seen(run, fixture_root: Path) -> None:
    path = fixture_root / "frameworks" / "beta.yaml"
    assert "Beta position" in run("--root", str(fixture_root), "list").stdout
    info = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("Beta position", "Beta positioN"), encoding="utf-8")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert path.stat().st_size == info.st_size and path.stat().st_mtime_ns == info.st_mtime_ns
    assert "Beta positioN" in run("--root", str(fixture_root), "list").stdout


def test_folders_are_0700_and_files_0600_whatever_the_umask(run, fixture_root: Path, private_cache: Path) -> None:
    old = os.umask(0)
    try:
        assert run("--root", str(fixture_root), "list").exit_code == 0
    finally:
        os.umask(old)
    folder = cache_folder(private_cache)
    for path in [folder.parent, folder]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o700
    files = list(folder.iterdir())
    assert files and all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in files)
    assert not [p for p in files if p.name.startswith(".tmp")]


def test_a_cache_file_open_to_others_or_not_json_is_never_trusted(run, fixture_root: Path, private_cache: Path) -> None:
    first = run("--root", str(fixture_root), "list", "--format", "json").stdout
    folder = cache_folder(private_cache)
    index = folder / "index.json"
    saved = json.loads(index.read_text(encoding="utf-8"))
    for entry in saved["files"].values():
        entry["errors"] = 0
        entry["id"] = "planted"
    index.write_text(json.dumps(saved), encoding="utf-8")
    os.chmod(index, 0o666)  # as if someone else could have written it
    assert run("--root", str(fixture_root), "list", "--format", "json").stdout == first
    index.write_bytes(b"\x80\x04\x95 not json, a pickle perhaps")
    os.chmod(index, 0o600)
    assert run("--root", str(fixture_root), "list", "--format", "json").stdout == first


@pytest.mark.parametrize("where", ["relative", "a-file", "dev-null", "fifo", "unwritable"])
def test_an_unusable_cache_home_means_no_cache_and_no_word(run, fixture_root: Path, tmp_path: Path, where: str) -> None:
    home = {"relative": "some/relative/dir", "a-file": str(tmp_path / "file"), "dev-null": "/dev/null"}.get(where, str(tmp_path / where))
    if where == "a-file":
        Path(home).write_text("not a folder", encoding="utf-8")
    elif where == "fifo":
        os.mkfifo(home)
    elif where == "unwritable":
        Path(home).mkdir(mode=0o500)
    result = run("--root", str(fixture_root), "compare", "alpha", "beta", env={"XDG_CACHE_HOME": home, "HOME": str(tmp_path / "no-home")})
    assert result.exit_code == 0 and result.stderr == ""
    if where == "fifo":
        assert stat.S_ISFIFO(os.stat(home).st_mode)


def test_no_cache_when_turned_off(run, fixture_root: Path, private_cache: Path) -> None:
    run("--root", str(fixture_root), "list", env={"FRAMEWORKS_NO_CACHE": "1"})
    assert not (private_cache / "frameworks").exists()


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="giving a file away takes root")
def test_a_cache_folder_or_file_owned_by_someone_else_is_never_used(run, fixture_root: Path, private_cache: Path) -> None:
    first = run("--root", str(fixture_root), "list", "--format", "json").stdout
    folder = cache_folder(private_cache)
    index = folder / "index.json"
    saved = json.loads(index.read_text(encoding="utf-8"))
    for entry in saved["files"].values():
        entry["id"] = "planted"
    index.write_text(json.dumps(saved), encoding="utf-8")
    os.chown(index, 65534, 65534)
    assert run("--root", str(fixture_root), "list", "--format", "json").stdout == first
    os.chown(folder, 65534, 65534)  # the whole folder given away: not used, not written
    index.unlink()
    assert run("--root", str(fixture_root), "list", "--format", "json").stdout == first
    assert not index.exists()


def test_a_verification_date_in_the_future_is_checked_again_when_that_day_comes(fixture_root: Path, private_cache: Path) -> None:
    import datetime as dt

    path = fixture_root / "frameworks" / "beta.yaml"
    text = path.read_text(encoding="utf-8")
    verified = next(line for line in text.splitlines() if line.startswith("last_verified:"))
    path.write_text(text.replace(verified, "last_verified: 2031-01-01"), encoding="utf-8")
    before = dataset.load_dataset(fixture_root, cached=True, today=dt.date(2030, 12, 31))
    assert list(before.records) == ["alpha"] and [str(p.path.name) for p in before.left_out] == ["beta.yaml"]
    again = dataset.load_dataset(fixture_root, cached=True, today=dt.date(2030, 12, 31))
    assert list(again.records) == ["alpha"]
    after = dataset.load_dataset(fixture_root, cached=True, today=dt.date(2031, 1, 1))
    assert list(after.records) == ["alpha", "beta"]


def entries(private_cache: Path) -> set[str]:
    return {p.name for p in cache_folder(private_cache).iterdir() if cache.ENTRY_NAME.fullmatch(p.name)}


def test_an_entry_that_an_index_in_use_names_is_removed_only_when_no_run_is_under_way(
    fixture_root: Path, private_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    first = dataset.load_dataset(fixture_root, cached=True)  # a run under way: it holds the cache's lock
    before = entries(private_cache)
    path = fixture_root / "frameworks" / "beta.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("short_title: Beta position", "short_title: Beta view"), encoding="utf-8")
    second = dataset.load_dataset(fixture_root, cached=True)  # its index no longer names the first beta
    third = dataset.load_dataset(fixture_root, cached=True)
    assert before < entries(private_cache)

    def no_checking(*args: object, **kwargs: object) -> None:
        raise AssertionError("an entry was lost and had to be rebuilt")

    monkeypatch.setattr(validation, "check_file", no_checking)
    assert first.records["beta"].short_title == "Beta position"
    assert third.records["beta"].short_title == "Beta view"
    del first, second, third
    gc.collect()  # every run has ended: the next one, alone, removes what no index names
    dataset.load_dataset(fixture_root, cached=True)
    assert len(entries(private_cache)) == 2 and entries(private_cache) != before
