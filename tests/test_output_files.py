"""The one writer of every output (-o): regular files only, modes kept, nothing left behind."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from space_frameworks.reports.output import OutputRefused, write_atomically


@pytest.mark.parametrize("kind", ["fifo", "device", "folder", "socket"])
def test_o_refuses_what_is_not_a_regular_file_with_exit_2(run, tmp_path: Path, kind: str) -> None:
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
    result = run("compare", "ost", "us-eo-2020", "-o", str(target))
    if holder is not None:
        holder.close()
    assert result.exit_code == 2
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


def test_sigterm_during_export_leaves_no_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A child writes through the writer with a slow write; SIGTERM arrives in the middle."""
    script = f"""
import os, signal, sys, time
sys.argv = ["frameworks"]
from space_frameworks import __main__
from space_frameworks.reports import output
real_fdopen = os.fdopen
class Slow:
    def __init__(self, handle): self.handle = handle
    def __enter__(self): return self
    def __exit__(self, *exc): self.handle.close()
    def write(self, data): print("writing", flush=True); time.sleep(30)
    def flush(self): pass
    def fileno(self): return self.handle.fileno()
output.os.fdopen = lambda fd, mode: Slow(real_fdopen(fd, mode))
output.write_atomically(__import__("pathlib").Path({str(tmp_path / "out.json")!r}), b"{{}}")
"""
    with subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE) as child:
        assert child.stdout is not None
        assert child.stdout.readline() == b"writing\n"
        child.send_signal(signal.SIGTERM)
        _, stderr = child.communicate(timeout=20)
    assert child.returncode == 128 + signal.SIGTERM, stderr
    assert list(tmp_path.iterdir()) == []


def test_a_full_disk_on_stdout_is_one_line_and_exit_1(tmp_path: Path) -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    script = Path(sys.executable).with_name("frameworks")
    env = {"PATH": "/usr/bin:/bin", "FRAMEWORKS_NO_CACHE": "1", "HOME": str(tmp_path)}
    with open("/dev/full", "w") as full:
        result = subprocess.run([str(script), "topics"], stdout=full, stderr=subprocess.PIPE, env=env, timeout=120)
    assert result.returncode == 1
    assert result.stderr.decode() == "frameworks: cannot write the output: No space left on device\n"
