"""The record cache: keyed on content, private, never trusted when not ours, never in the way.

Also with an unusable cache folder, many processes on one cache while a record is saved, and entries
lost or damaged."""

from __future__ import annotations

import json
import os
import stat
import time
from pathlib import Path

import pytest

from conftest import PROCESS_TIMEOUT, cli, cli_process, no_traceback, null_device
from space_frameworks.schema import cache, dataset, validation


def cache_folder(private_cache: Path) -> Path:
    [folder] = [p for p in (private_cache / "frameworks").iterdir() if p.is_dir()]
    return folder


def test_second_run_uses_the_cache_and_gives_the_same_output(
    fixture_root: Path, monkeypatch: pytest.MonkeyPatch, private_cache: Path
) -> None:
    first = cli("compare", "alpha", "beta", "--format", "json", root=fixture_root)
    folder = cache_folder(private_cache)
    assert (folder / "index.json").is_file()
    assert not list(private_cache.rglob("*.pickle"))

    def no_checking(*args: object, **kwargs: object) -> None:
        raise AssertionError("a record was checked again although the cache is fresh")

    monkeypatch.setattr(validation, "check_file", no_checking)
    second = cli("compare", "alpha", "beta", "--format", "json", root=fixture_root)
    assert second.exit_code == 0 and second.output == first.output


def test_a_compare_reads_only_the_records_it_compares(fixture_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert cli("list", root=fixture_root).exit_code == 0
    fetched: list[str] = []
    original = cache.RecordCache.fetch

    def counting(self: cache.RecordCache, key: str) -> object:
        fetched.append(key)
        return original(self, key)

    monkeypatch.setattr(cache.RecordCache, "fetch", counting)
    assert cli("show", "alpha", root=fixture_root).exit_code == 0
    assert len(fetched) == 1


def test_a_changed_added_or_broken_record_is_seen_at_once(fixture_root: Path) -> None:
    assert cli("list", "--format", "json", root=fixture_root).exit_code == 0
    path = fixture_root / "frameworks" / "beta.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("short_title: Beta position", "short_title: Beta view"), encoding="utf-8")
    listed = json.loads(cli("list", "--format", "json", root=fixture_root).stdout)
    assert [r["short_title"] for r in listed] == ["Alpha Treaty", "Beta view"]
    (fixture_root / "frameworks" / "gamma.yaml").write_text(
        path.read_text(encoding="utf-8").replace("id: beta", "id: gamma"), encoding="utf-8"
    )
    assert [r["id"] for r in json.loads(cli("list", "--format", "json", root=fixture_root).stdout)] == ["alpha", "beta", "gamma"]
    path.write_text("id: beta\nkind: opinion\n", encoding="utf-8")
    result = cli("list", "--format", "json", root=fixture_root)
    assert result.exit_code == 0 and [r["id"] for r in json.loads(result.stdout)] == ["alpha", "gamma"]
    assert "frameworks/beta.yaml left out:" in result.stderr


def test_an_edit_that_keeps_size_and_mtime_is_seen(fixture_root: Path) -> None:
    path = fixture_root / "frameworks" / "beta.yaml"
    assert "Beta position" in cli("list", root=fixture_root).stdout
    info = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("Beta position", "Beta positioN"), encoding="utf-8")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert path.stat().st_size == info.st_size and path.stat().st_mtime_ns == info.st_mtime_ns
    assert "Beta positioN" in cli("list", root=fixture_root).stdout


def test_folders_are_0700_and_files_0600_whatever_the_umask(fixture_root: Path, private_cache: Path) -> None:
    old = os.umask(0)
    try:
        assert cli("list", root=fixture_root).exit_code == 0
    finally:
        os.umask(old)
    folder = cache_folder(private_cache)
    for path in [folder.parent, folder]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o700
    files = list(folder.iterdir())
    assert files and all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in files)
    assert not [p for p in files if p.name.startswith(".tmp")]


def test_a_cache_file_open_to_others_or_not_json_is_never_trusted(fixture_root: Path, private_cache: Path) -> None:
    first = cli("list", "--format", "json", root=fixture_root).stdout
    folder = cache_folder(private_cache)
    index = folder / "index.json"
    saved = json.loads(index.read_text(encoding="utf-8"))
    for entry in saved["files"].values():
        entry["errors"] = 0
        entry["id"] = "planted"
    index.write_text(json.dumps(saved), encoding="utf-8")
    os.chmod(index, 0o666)  # as if someone else could have written it
    assert cli("list", "--format", "json", root=fixture_root).stdout == first
    index.write_bytes(b"\x80\x04\x95 not json, a pickle perhaps")
    os.chmod(index, 0o600)
    assert cli("list", "--format", "json", root=fixture_root).stdout == first


@pytest.mark.parametrize("where", ["relative", "a-file", "dev-null", "fifo", "unwritable"])
def test_an_unusable_cache_home_means_no_cache_and_no_word(fixture_root: Path, tmp_path: Path, where: str) -> None:
    home = {"relative": "some/relative/dir", "a-file": str(tmp_path / "file"), "dev-null": "/dev/null"}.get(where, str(tmp_path / where))
    if where == "a-file":
        Path(home).write_text("not a folder", encoding="utf-8")
    elif where == "fifo":
        os.mkfifo(home)
    elif where == "unwritable":
        Path(home).mkdir(mode=0o500)
    result = cli("compare", "alpha", "beta", env={"XDG_CACHE_HOME": home, "HOME": str(tmp_path / "no-home")}, root=fixture_root)
    assert result.exit_code == 0 and result.stderr == ""
    if where == "fifo":
        assert stat.S_ISFIFO(os.stat(home).st_mode)


def test_no_cache_when_turned_off(fixture_root: Path, private_cache: Path) -> None:
    cli("list", env={"FRAMEWORKS_NO_CACHE": "1"}, root=fixture_root)
    assert not (private_cache / "frameworks").exists()


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="giving a file away takes root")
def test_a_cache_folder_or_file_owned_by_someone_else_is_never_used(fixture_root: Path, private_cache: Path) -> None:
    first = cli("list", "--format", "json", root=fixture_root).stdout
    folder = cache_folder(private_cache)
    index = folder / "index.json"
    saved = json.loads(index.read_text(encoding="utf-8"))
    for entry in saved["files"].values():
        entry["id"] = "planted"
    index.write_text(json.dumps(saved), encoding="utf-8")
    os.chown(index, 65534, 65534)
    assert cli("list", "--format", "json", root=fixture_root).stdout == first
    os.chown(folder, 65534, 65534)  # the whole folder given away: not used, not written
    index.unlink()
    assert cli("list", "--format", "json", root=fixture_root).stdout == first
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


@pytest.mark.parametrize("case", ["xdg-dev-null", "xdg-relative", "xdg-file", "home-file", "home-unset", "xdg-fifo", "xdg-unwritable"])
def test_the_tool_works_without_a_usable_cache_folder(tmp_path: Path, case: str) -> None:
    env: dict[str, str | None] = {}
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
        env = {"XDG_CACHE_HOME": "", "HOME": None}
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
    result = cli_process("compare", "ost", "us-eo-2020", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    no_traceback(result)
    assert len(result.stderr.decode().strip().splitlines()) <= 1
    assert not (tmp_path / "relative").exists()  # a relative XDG_CACHE_HOME is ignored (XDG spec)


def save(path: Path, text: str) -> None:
    """Save as editors do: a new file renamed over the old one."""
    temporary = path.with_name(f".{path.name}.swp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


COMMANDS = (("export", "--format", "json"), ("show", "beta", "--format", "json"))
PROCESSES = 8


def in_process(root: Path, command: tuple[str, ...], env: dict[str, str | None]) -> bytes:
    """What `frameworks --root ROOT COMMAND` prints, run in this process (quicker than a new one)."""
    result = cli(*command, root=root, env=env)
    assert result.exit_code == 0, result.stderr
    return result.stdout_bytes


@pytest.mark.heavy
def test_many_processes_on_one_cache_while_a_record_changes_give_what_no_cache_gives(tmp_path: Path, fixture_root: Path) -> None:
    root = fixture_root
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
    shared = {"XDG_CACHE_HOME": str(tmp_path / "cache")}  # one cache for every run below, cold at first
    started = time.monotonic()
    commands = [COMMANDS[n % len(COMMANDS)] for n in range(PROCESSES)]
    runs = [cli_process(*command, root=root, env=shared, wait=False) for command in commands]
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
    outputs = [run.communicate(timeout=PROCESS_TIMEOUT) for run in runs]
    elapsed = time.monotonic() - started
    for command, run, (out, err) in zip(commands, runs, outputs, strict=True):
        assert run.returncode == 0 and err == b"", err.decode(errors="replace")
        assert out in uncached[command]  # the records as they were at one moment, never a mix
    for index, text in enumerate(versions):  # and afterwards, warm runs give what no cache gives
        save(beta, text)
        for command in COMMANDS * 2:
            assert in_process(root, command, shared) == uncached[command][index]
    print(f"{PROCESSES} processes on one cache: {elapsed:.2f} s")


def test_a_missing_or_damaged_entry_is_rebuilt_from_the_record(fixture_root: Path, private_cache: Path) -> None:
    first = cli_process("show", "beta", "--format", "json", root=fixture_root)
    assert first.returncode == 0
    [folder] = (private_cache / "frameworks").iterdir()
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
        again = cli_process("show", "beta", "--format", "json", root=fixture_root)
        assert again.returncode == 0 and again.stderr == b"" and again.stdout == first.stdout, damage
