"""Outputs: the one Format enum, the format a command writes (format_for), and the one writer of every
output file (write_atomically) and folder (write_folder_atomically), so that a reader never sees
half a file or half a website.

The writer refuses anything but a regular file (or a new name): a device node such as /dev/null,
a FIFO, a socket or a folder given to `-o` is left alone, with OutputRefused. A symbolic link is
followed: its target must be a regular file, and is replaced. A new file gets the mode the umask
allows; an existing one keeps its mode. The temporary file has a short name of its own (any legal
file name can be written) and never outlives an error or a signal that Python sees (cli.main turns
SIGTERM into one).
"""

from __future__ import annotations

import contextlib
import difflib
import os
import secrets
import shutil
import stat
import tempfile
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path


class Format(StrEnum):
    """Every output format of every command; each command accepts some of them."""

    table = "table"  # a table for the terminal (data commands)
    text = "text"  # one problem per line (validate)
    markdown = "markdown"
    csv = "csv"
    json = "json"
    html = "html"
    github = "github"
    sqlite = "sqlite"  # a database file (export)


# What an output file's extension asks for.
EXTENSIONS = {
    ".json": Format.json,
    ".csv": Format.csv,
    ".md": Format.markdown,
    ".markdown": Format.markdown,
    ".html": Format.html,
    ".htm": Format.html,
    ".txt": Format.table,
    ".db": Format.sqlite,
    ".sqlite": Format.sqlite,
    ".sqlite3": Format.sqlite,
}


class OutputRefused(OSError):
    """An output path that must not be written (a device, a FIFO, a socket, a folder)."""


def format_of(path: Path | None) -> Format | None:
    """The format a file's extension asks for, or None (no file, or an extension that says nothing)."""
    return EXTENSIONS.get(path.suffix.lower()) if path is not None else None


# What the commands that print data write (the one --format option they share).
DATA_FORMATS = (Format.table, Format.markdown, Format.csv, Format.json, Format.html)
PDF_COMMANDS = "PDF is written by: frameworks brief ID ID -o FILE.pdf (or frameworks pack -o FILE.pdf)"


class FormatError(ValueError):
    """A format the command cannot write; the message says why and what to do instead."""


def format_for(given: str | None, output: Path | None, allowed: tuple[Format, ...] = DATA_FORMATS) -> Format:
    """The output format: `given` (--format), else what `output`'s extension asks for, else the first allowed.

    FormatError for an unknown format (with the closest), a PDF (pointing to brief), a format this
    command does not write, or a --format that contradicts the file's extension.
    """
    names = [f.value for f in allowed]
    implied = format_of(output)
    if output is not None and output.suffix.lower() == ".pdf":
        raise FormatError(f"{output}: {PDF_COMMANDS}")
    if given is None:
        if implied is not None and implied not in allowed:
            raise FormatError(f"{output}: this command cannot write {implied.value} (a {output.suffix} file); it writes {', '.join(names)}")
        return implied or allowed[0]
    wanted = given.strip().lower()
    if wanted == "pdf":
        raise FormatError(f"--format pdf: {PDF_COMMANDS}")
    if wanted not in names:
        close = difflib.get_close_matches(wanted, names, n=1)
        hint = f"did you mean {close[0]}? " if close else ""
        raise FormatError(f"--format '{given}': unknown format; {hint}choose one of {', '.join(names)}")
    chosen = Format(wanted)
    if implied is not None and implied != chosen:
        raise FormatError(
            f"--format {chosen.value} contradicts {output} (a {output.suffix} file is {implied.value}): drop --format, or rename the file"
        )
    return chosen


def _kind(mode: int) -> str | None:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return None if stat.S_ISREG(mode) else "not a regular file"


def check_writable(path: Path) -> None:
    """Raise OutputRefused unless `path` can be written: it is a regular file or a new name, in a
    folder that exists and that we may write in. Called by the writer, and by a command before work
    that takes seconds (a PDF's layout), so that a mistake in -o is reported at once."""
    try:
        info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):  # a new name, or one under a file: the folder says why
        info = None
    except OSError as exc:
        raise OutputRefused(exc.errno or 0, exc.strerror or str(exc), str(path)) from None
    if info is not None:
        kind = _kind(info.st_mode)
        if kind is not None:
            raise OutputRefused(0, f"it is {kind}; give a regular file", str(path))
    target = Path(os.path.realpath(path)) if path.is_symlink() else path  # a link is written through
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.exists():
        raise OutputRefused(0, f"no such folder {folder}", str(path))
    if not folder.is_dir():
        raise OutputRefused(0, f"{folder} is not a folder", str(path))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputRefused(0, "permission denied", str(path))


def _link_new(temporary: Path, target: Path, data: bytes) -> None:
    """Give the written temporary file the name `target` unless that name exists (FileExistsError)."""
    try:
        os.link(temporary, target)  # atomic, and never over an existing file
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: create exclusively, then write
        with open(target, "xb") as handle:
            handle.write(data)


def _remove_sidecar(path: Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    except OSError as exc:
        message = f"cannot remove {path.name} beside it ({exc.strerror}); remove it, then try again"
        raise OutputRefused(exc.errno or 0, message, str(path)) from None


def write_atomically(path: Path, data: bytes | Iterable[bytes], *, overwrite: bool = True, sidecars: tuple[str, ...] = ()) -> None:
    """Write `data` to a temporary file beside `path`, then rename it over `path` (see the module);
    without `overwrite`, link it to `path` instead, which fails with FileExistsError if `path` exists.

    `sidecars`: suffixes of files that belong to whatever file is at `path` and would be applied to
    the new one (SQLite's "-wal", "-shm", "-journal"); those beside `path` are removed just before
    the new file is renamed in (OutputRefused if one cannot be). A program that has the old file
    open keeps it and its sidecars through its open descriptors (see reports/sqlite.py).

    Raises OutputRefused for a path that is not a regular file, OSError for any other failure,
    and leaves nothing behind on failure.
    """
    check_writable(path)
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    folder = target.parent if str(target.parent) else Path(".")
    try:
        mode: int | None = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = None
    temporary = folder / f".frameworks-{secrets.token_hex(6)}.tmp"  # short: fits beside any legal name
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            if mode is not None:
                os.fchmod(handle.fileno(), mode)  # an existing file keeps its mode; a new one gets the umask's
            for chunk in [data] if isinstance(data, bytes) else data:  # pieces: a large export is never whole in memory
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        for suffix in sidecars:
            _remove_sidecar(target.with_name(target.name + suffix))
        if overwrite:
            os.replace(temporary, target)
        else:
            _link_new(temporary, target, data)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


def real_target(path: Path) -> Path:
    """Where writing `path` writes: the absolute path with every symbolic link followed and every ".." resolved."""
    return Path(os.path.realpath(path))


def write_folder_atomically(path: Path, files: Iterable[tuple[str, bytes]]) -> None:
    """Write `files` (a relative path and its bytes, in turn) into a new folder beside `path`, then
    put it in place of `path`: an existing folder moves aside, the new one in, and the old one goes.

    A symbolic link at `path` is followed and stays a link, to the new folder. The folder is
    readable by all (a website is for web servers); a file in it gets the umask's mode. On any
    failure nothing is left behind and an existing folder is untouched. The caller decides whether
    `path` may be replaced at all.
    """
    target = real_target(path)
    built = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        for relative, data in files:
            file = built / relative
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_bytes(data)
        for folder, names, _ in os.walk(built):
            for name in names:
                os.chmod(os.path.join(folder, name), 0o755)
        os.chmod(built, 0o755)  # mkdtemp makes it private
        _swap(built, target)
    except BaseException:
        shutil.rmtree(built, ignore_errors=True)
        raise


def _swap(built: Path, target: Path) -> None:
    """Put the folder `built` where `target` is: the old folder moves aside, the new one in, then the old goes."""
    if not os.path.lexists(target):
        os.rename(built, target)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
    os.rmdir(old)
    os.rename(target, old)
    try:
        os.rename(built, target)
    except BaseException:
        os.rename(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)
