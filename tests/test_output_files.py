"""Output files (-o): the format by extension, regular files only, modes kept, written whole or not at all.

No temporary file is left behind, on success or on failure."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from conftest import cli, cli_process, no_traceback, null_device
from space_frameworks.reports.output import OutputRefused, write_atomically


@pytest.mark.parametrize("kind", ["fifo", "device", "folder", "socket"])
def test_o_refuses_what_is_not_a_regular_file_with_exit_2(tmp_path: Path, kind: str) -> None:
    import socket

    target = tmp_path / "out.txt"
    holder = None
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "device":
        target = Path("/dev/null")
    elif kind == "folder":
        target.mkdir()
    else:
        holder = socket.socket(socket.AF_UNIX)
        holder.bind(str(target))
    before = os.stat(target)
    result = cli("compare", "ost", "us-eo-2020", "-o", str(target))
    if holder is not None:
        holder.close()
    assert result.exit_code == 4
    [line] = result.stderr.splitlines()
    assert line.startswith(f"frameworks: cannot write {target}: it is ")
    after = os.stat(target)
    assert (after.st_ino, stat.S_IFMT(after.st_mode)) == (before.st_ino, stat.S_IFMT(before.st_mode))
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".frameworks-")] == []


def test_an_existing_file_keeps_its_mode_and_a_new_one_gets_the_umask(tmp_path: Path) -> None:
    existing = tmp_path / "private.json"
    existing.write_text("old", encoding="utf-8")
    os.chmod(existing, 0o600)
    write_atomically(existing, b"new")
    assert existing.read_bytes() == b"new" and stat.S_IMODE(existing.stat().st_mode) == 0o600
    old = os.umask(0o027)
    try:
        write_atomically(tmp_path / "fresh.json", b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "fresh.json").stat().st_mode) == 0o640


def test_a_symlink_is_followed_to_the_regular_file_it_names(tmp_path: Path) -> None:
    real = tmp_path / "real.csv"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    write_atomically(link, b"new")
    assert link.is_symlink() and real.read_bytes() == b"new"
    (tmp_path / "to-null").symlink_to("/dev/null")
    with pytest.raises(OutputRefused):
        write_atomically(tmp_path / "to-null", b"x")


def test_a_longest_legal_file_name_can_be_written(tmp_path: Path) -> None:
    target = tmp_path / ("x" * 250 + ".json")
    write_atomically(target, b"{}")
    assert target.read_bytes() == b"{}"


def test_output_file_is_written_and_directory_refused(tmp_path: Path) -> None:
    target = tmp_path / "table.md"
    result = cli("compare", "ost", "us-eo-2020", "--format", "markdown", "-o", str(target))
    assert result.exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("## Outer Space Treaty")
    refused = cli("compare", "ost", "us-eo-2020", "-o", str(tmp_path))
    assert refused.exit_code == 4 and refused.stderr == f"frameworks: cannot write {tmp_path}: it is a folder; give a regular file\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["table.md"]  # nothing half-written left


@pytest.mark.parametrize(
    ("name", "starts"),
    [("cmp.html", "<!DOCTYPE html>"), ("cmp.json", "{"), ("cmp.csv", "framework,topic,"), ("cmp.md", "## "), ("cmp.txt", "Outer Space")],
)
def test_the_output_file_extension_picks_the_format(tmp_path: Path, name: str, starts: str) -> None:
    target = tmp_path / name
    assert cli("compare", "ost", "us-eo-2020", "-o", str(target)).exit_code == 0
    assert target.read_text(encoding="utf-8").startswith(starts)


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
    result = cli_process("list", "-o", str(target))
    assert result.returncode == 4, result.stderr
    no_traceback(result)
    assert len(result.stderr.decode().strip().splitlines()) == 1
    after = target.lstat()
    assert stat.S_IFMT(after.st_mode) == stat.S_IFMT(before.st_mode) and after.st_ino == before.st_ino


def test_an_existing_file_keeps_its_mode_and_a_new_file_gets_the_umask(tmp_path: Path) -> None:
    existing = tmp_path / "private.txt"
    existing.write_text("old")
    existing.chmod(0o600)
    assert cli_process("list", "-o", str(existing)).returncode == 0
    assert stat.S_IMODE(existing.stat().st_mode) == 0o600 and "ost" in existing.read_text()
    fresh = tmp_path / "fresh.txt"
    result = cli_process("list", "-o", str(fresh), preexec_fn=lambda: os.umask(0o027))
    assert result.returncode == 0
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o640


def test_a_legal_file_name_of_250_bytes_can_be_written(tmp_path: Path) -> None:
    target = tmp_path / ("n" * 246 + ".txt")
    result = cli_process("list", "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert target.exists() and sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == [target.name]


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

# The PDF commands (a real layout each, a few seconds) run only with --heavy.
PDF_COMMANDS = ("brief", "pack")


def temporary_settings(tmp_path: Path, how: str) -> tuple[dict[str, str | None], Path]:
    """The environment for `how` $TMPDIR is, and the folder where temporary files would go.

    Python takes the first usable of $TMPDIR, $TEMP, $TMP, /tmp...: with $TMPDIR unset or unusable,
    $TEMP names the watched folder, so that a file left in "the temporary folder" is seen.
    """
    watched = tmp_path / "temporary"
    watched.mkdir()
    env: dict[str, str | None] = {"TMPDIR": None, "TEMP": None, "TMP": None}
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
def test_no_temporary_file_is_left_behind_on_success_or_failure(tmp_path: Path, fixture_root: Path, command: str, how: str) -> None:
    env, watched = temporary_settings(tmp_path, how)
    args, written = WRITERS[command]
    out = tmp_path / "out"
    out.mkdir()
    ok = cli_process(*args, root=fixture_root, env=env, cwd=out)
    assert ok.returncode == 0, ok.stderr
    files = sorted(str(p.relative_to(out)) for p in out.rglob("*"))
    assert list(watched.iterdir()) == []
    # The same command failing at the end: the output's folder cannot be written.
    target = written.split("/")[0]
    (out / target).rename(tmp_path / "moved") if (out / target).exists() else None
    os.chmod(out, 0o500)
    try:
        if os.geteuid() == 0:  # root writes anywhere: make the write fail with a file-size limit instead
            failed = cli_process(*args, root=fixture_root, env=env, cwd=out, preexec_fn=file_size_limit(2000))
        else:
            failed = cli_process(*args, root=fixture_root, env=env, cwd=out)
    finally:
        os.chmod(out, 0o700)
    assert failed.returncode == 4, failed.stderr
    no_traceback(failed)
    assert len(failed.stderr.decode().strip().splitlines()) == 1, failed.stderr
    assert list(watched.iterdir()) == []
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*")) == [f for f in files if not f.startswith(target)]


def file_size_limit(size: int):  # type: ignore[no-untyped-def]
    """preexec_fn: no file larger than `size` bytes can be written (RLIMIT_FSIZE, as a full disk)."""
    import resource

    return lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))


@pytest.mark.heavy
def test_a_brief_that_cannot_write_its_file_ends_in_one_line(tmp_path: Path, fixture_root: Path) -> None:
    env, watched = temporary_settings(tmp_path, "set")
    result = cli_process(
        "brief", "alpha", "beta", "-o", str(tmp_path / "b.pdf"), root=fixture_root, env=env, preexec_fn=file_size_limit(20_000)
    )
    assert result.returncode == 4
    assert result.stderr.decode().splitlines() == [f"frameworks: cannot make {tmp_path / 'b.pdf'}: File too large"]
    assert list(watched.iterdir()) == [] and not (tmp_path / "b.pdf").exists()
