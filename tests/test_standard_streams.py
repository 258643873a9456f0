"""Standard streams: a full disk, a closed stdout or stderr, a reader gone, another encoding.

Each ends in at most one line and never a traceback, and never costs a file the command writes. Each
test runs the command as a process of its own (conftest.cli_process): streams are a process's."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from test_output_files import PDF_COMMANDS, WRITERS

from conftest import cli_process, no_traceback


def test_writing_to_a_full_disk_ends_in_one_line() -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    with open("/dev/full", "wb") as full:
        result = cli_process("show", "ost", stdout=full)
    assert result.returncode != 0
    no_traceback(result)
    assert len(result.stderr.decode().strip().splitlines()) == 1


def test_a_closed_pipe_ends_quietly() -> None:
    reader = subprocess.Popen(["head", "-c", "10"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
    result = cli_process("export", stdout=reader.stdin)
    reader.stdin.close()
    reader.wait(timeout=60)
    assert result.stderr == b""


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_any_stdout_encoding_works(encoding: str) -> None:
    result = cli_process("show", "lux-2017", env={"PYTHONIOENCODING": encoding})
    assert result.returncode == 0, result.stderr
    no_traceback(result)
    result.stdout.decode(encoding)  # what was written is valid in that encoding


def closing(*fds: int):  # type: ignore[no-untyped-def]
    """preexec_fn: the command starts with these descriptors closed, as `>&-` and `2>&-` leave them."""
    return lambda: [os.close(fd) for fd in fds]


STREAMS = {"stdout": (1,), "stderr": (2,), "both": (1, 2)}
# The PDF commands (a real layout each) run once, with both streams closed, and only with --heavy.
CLOSED_CASES = [
    pytest.param(c, how, marks=[pytest.mark.heavy] if c in PDF_COMMANDS else [])
    for c in sorted(WRITERS)
    for how in STREAMS
    if c not in PDF_COMMANDS or how == "both"
]


@pytest.mark.parametrize(("command", "streams"), CLOSED_CASES)
def test_a_command_that_writes_a_file_succeeds_with_a_standard_stream_closed(
    tmp_path: Path, fixture_root: Path, command: str, streams: str
) -> None:
    closed = STREAMS[streams]
    args, written = WRITERS[command]
    out = tmp_path / "out"
    out.mkdir()
    names = {1: "stdout", 2: "stderr"}
    captured = {names[fd]: None if fd in closed else subprocess.PIPE for fd in (1, 2)}  # None: left to be closed
    result = cli_process(*args, root=fixture_root, cwd=out, preexec_fn=closing(*closed), **captured)
    assert result.returncode == 0, result.stderr
    assert (out / written).is_file() and (out / written).stat().st_size > 0
    assert not result.stdout  # messages go to stderr, and never into the file written
    if result.stderr is not None:
        assert b"Traceback" not in result.stderr and result.stderr.startswith(b"wrote ")
    assert b"wrote" not in (out / written).read_bytes()[:1000]


def test_output_printed_to_a_closed_stdout_ends_in_one_line_and_exit_4(fixture_root: Path) -> None:
    result = cli_process("compare", "alpha", "beta", root=fixture_root, preexec_fn=closing(1), stdout=None)
    assert result.returncode == 4  # the output could not be written, as for -o
    assert result.stderr == b"frameworks: cannot write the output: standard output is closed\n"


@pytest.mark.parametrize("command", ["export-json", "site", "new"])
def test_messages_to_a_stderr_nobody_reads_are_dropped_quietly(tmp_path: Path, fixture_root: Path, command: str) -> None:
    args, written = WRITERS[command]
    out = tmp_path / "out"
    out.mkdir()
    reading, writing = os.pipe()
    os.close(reading)  # a pipe whose reader has gone: every write to it fails (EPIPE)
    try:
        result = cli_process(*args, root=fixture_root, cwd=out, stderr=writing)
    finally:
        os.close(writing)
    assert result.returncode == 0 and result.stdout == b""
    assert (out / written).is_file()


def test_a_full_disk_on_stdout_is_one_line_and_exit_4() -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    with open("/dev/full", "w") as full:
        result = cli_process("topics", stdout=full)
    assert result.returncode == 4
    assert result.stderr.decode() == "frameworks: cannot write the output: No space left on device\n"
