"""A cache of checked records, so that the data commands do not parse and check every record on
every run, and a compare of two ids reads two records however many there are.

What is kept, for each records folder: an index (index.json) of the record files checked, by a key
that is the SHA-256 of their bytes and of everything their checks depend on (the package's code and
version, the versions of Python, pydantic and PyYAML, the topics, the press reports, every text
under seeds/texts/), with how many errors each has, its id and aliases; and, for each valid record,
an entry: its validated data as JSON, in a file named by the SHA-256 of its own bytes. The one check
that depends on the day (a last_verified in the future is an error) is answered by noting, for such
a file, the day to check it again.

Safe under any interleaving of runs and edits (several commands at once while a record is saved):
- an entry is content-addressed and written whole (a temporary file renamed into place), so two
  runs writing the same record write the same bytes under the same name, and a reader sees either
  no file or the whole one; it is checked against its name when read;
- the index is replaced whole in the same way and names only entries written before it;
- every run holds a shared lock on the folder (`lock`, fcntl.flock) from reading the index until it
  ends; entries that no index names are removed only by a run that holds the lock alone, so no
  running command ever loses an entry its index names;
- an entry that is missing or damaged all the same (removed by hand, a full disk) is rebuilt from
  the record file by the caller (schema.dataset), never an error for the user.

Nothing in the cache can run code (JSON only, read back through the pydantic models). The cache
lives in the platform's user cache folder (platformdirs: $XDG_CACHE_HOME/frameworks or
~/.cache/frameworks on Linux, ~/Library/Caches/frameworks on macOS, %LOCALAPPDATA%\\frameworks\\Cache
on Windows), in folders of mode 0700 and files of mode 0600 whatever the umask; a folder or file
that is not ours, is a symbolic link, is not a regular file or is open to others is never read.
When no usable folder can be had (HOME unset, XDG_CACHE_HOME relative, a file, /dev/null, a FIFO,
unwritable), the tool works without a cache and says nothing. `validate` never uses it;
FRAMEWORKS_NO_CACHE=1 turns it off.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata
import json
import os
import re
import secrets
import stat
import sys
import time
from pathlib import Path
from typing import Any

import pydantic
import pydantic_core

from .. import __version__
from .models import Article, Record, Topic
from .names import NameEntry

try:  # POSIX; elsewhere entries are never removed (they are only ever added, so nothing breaks)
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

SCHEMA_DIR = Path(__file__).resolve().parent
FORMAT = "frameworks.record-cache/3"
MAX_INDEX_BYTES = 64 * 1024 * 1024
MAX_RECORD_BYTES = 16 * 1024 * 1024
LOCK_WAIT = 5.0  # seconds to wait for a run that is removing old entries (it takes milliseconds)
ENTRY_NAME = re.compile(r"[0-9a-f]{64}\.json")
# Owners and modes mean something on POSIX only (Windows reports 0o666 for every file).
POSIX = os.name == "posix"


def enabled() -> bool:
    """False when FRAMEWORKS_NO_CACHE is set to anything but '' or '0'."""
    return os.environ.get("FRAMEWORKS_NO_CACHE", "") in ("", "0")


def cache_home() -> Path | None:
    """The user's cache folder for `frameworks` (platformdirs), or None when there is no absolute
    one (a relative $XDG_CACHE_HOME, which the XDG spec says to ignore; no home to speak of)."""
    import platformdirs

    try:
        folder = Path(platformdirs.user_cache_dir("frameworks", appauthor=False))
    except (RuntimeError, KeyError, OSError):  # HOME unset and no passwd entry
        return None
    return folder if folder.is_absolute() else None


def _ours(info: os.stat_result) -> bool:
    return not POSIX or (info.st_uid == os.getuid() and not info.st_mode & 0o077)


def _private_folder(path: Path, *, create: bool) -> bool:
    """Whether `path` is (or, with `create`, has been made) a real folder of ours that no one else can use."""
    try:
        if create:
            try:
                os.mkdir(path, 0o700)
            except FileExistsError:
                pass
        info = os.lstat(path)
        if not stat.S_ISDIR(info.st_mode) or (POSIX and info.st_uid != os.getuid()):
            return False
        if POSIX and info.st_mode & 0o077:
            os.chmod(path, 0o700)  # ours, but opened to others (an old version, umask 000): close it
        return True
    except OSError:
        return False


def _open_private(path: Path, flags: int) -> int | None:
    """A descriptor of `path` if it is a regular file of ours, not a link, not open to others.

    O_NONBLOCK: opening a FIFO planted here must not wait for a writer; O_NOFOLLOW: nor follow a link.
    """
    try:
        fd = os.open(path, flags | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0), 0o600)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if stat.S_ISREG(info.st_mode) and _ours(info):
            return fd
    except OSError:
        pass
    os.close(fd)
    return None


def _read_private(path: Path, limit: int) -> bytes | None:
    """The bytes of `path` if it is a regular file of ours (see _open_private) of at most `limit` bytes."""
    fd = _open_private(path, os.O_RDONLY)
    if fd is None:
        return None
    try:
        if os.fstat(fd).st_size > limit:
            return None
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(fd)


def _write_private(path: Path, data: bytes) -> bool:
    """Write `data` to a temporary file of mode 0600 beside `path`, then rename it over `path`.

    No fsync: after a crash an entry may hold anything, and its name (its SHA-256) tells.
    """
    temporary = path.with_name(f".tmp-{secrets.token_hex(8)}")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0), 0o600)
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as handle:
            if POSIX:
                os.fchmod(handle.fileno(), 0o600)
            handle.write(data)
        os.replace(temporary, path)
        return True
    except OSError:
        return False
    finally:
        # Also on KeyboardInterrupt or a SIGTERM turned into SystemExit (cli.main): no temp file outlives us.
        try:
            os.unlink(temporary)
        except OSError:
            pass


def _digest_files(digest: Any, paths: list[Path]) -> None:
    for path in paths:
        digest.update(path.name.encode() + b"\0")
        try:
            info = path.stat()
            if stat.S_ISREG(info.st_mode):
                digest.update(hashlib.sha256(path.read_bytes()).digest())
        except OSError:
            digest.update(b"unreadable")


def _version(distribution: str) -> str:
    """An installed distribution's version, from its metadata."""
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def environment_key(seeds: Path) -> str:
    """The hash of everything a record's checks depend on besides the record file itself."""
    digest = hashlib.sha256(FORMAT.encode())
    versions = [
        __version__,
        sys.version,
        f"pydantic {pydantic.VERSION}",
        f"pydantic-core {pydantic_core.__version__}",
        f"PyYAML {_version('PyYAML')}",
    ]
    digest.update("\n".join(versions).encode())
    _digest_files(digest, sorted(p for p in SCHEMA_DIR.iterdir() if p.suffix in (".py", ".yaml")))
    texts = seeds / "texts"
    _digest_files(digest, sorted(texts.glob("*.txt")) if texts.is_dir() else [])
    _digest_files(digest, [seeds / "articles.yaml"])
    return digest.hexdigest()


def _identity(path: Path) -> tuple[int, ...] | None:
    """What tells one file at `path` from another written later (the index is replaced, never changed)."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    return info.st_ino, info.st_mtime_ns, info.st_size


def _lock(fd: int) -> bool:
    """Take the folder's lock shared (every run holds it so until it ends); first, if no other run
    holds it, take it alone and say so (True), so that the caller may remove old entries."""
    if fcntl is None:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        pass  # another run holds it (any other OSError, e.g. no locks on this file system: no cache)
    deadline = time.monotonic() + LOCK_WAIT
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            return False
        except BlockingIOError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.01)


class CachedEntry:
    """What the index holds of one checked record file."""

    def __init__(self, key: str, data: dict[str, Any]) -> None:
        self.key = key
        self.errors: int = int(data["errors"])
        self.id: str | None = data["id"]
        self.id_at: tuple[int, int] = tuple(data["id_at"])  # type: ignore[assignment]
        self.aliases: list[tuple[int, str, tuple[int, int]]] = [(i, a, (at[0], at[1])) for i, a, at in data["aliases"]]
        entry = data.get("entry")
        self.entry: str | None = entry if isinstance(entry, str) and ENTRY_NAME.fullmatch(entry + ".json") else None
        if not self.errors and self.entry is None:
            raise ValueError("a valid record without its entry")

    def names(self, path: Path) -> NameEntry:
        """The file's names as schema.names checks them."""
        return NameEntry(path, self.id, self.id_at, list(self.aliases))


class RecordCache:
    """The cache of one records folder (see the module's docstring)."""

    def __init__(self, folder: Path, environment: str, index: dict[str, Any], today: dt.date, lock: int | None = None) -> None:
        self.folder = folder
        self.today = today
        self.environment = environment
        self.index = index
        self.seen: dict[str, Any] = {}
        self.changed = False
        self.shared_data: dict[str, Any] | None = None
        self.lock = lock  # held (shared) until this object goes, or the process ends

    def __del__(self) -> None:
        if self.lock is not None:
            try:
                os.close(self.lock)
            except OSError:
                pass
            self.lock = None

    @classmethod
    def open(cls, root: Path, seeds: Path, today: dt.date) -> RecordCache | None:
        """The cache for the records under `root`, or None when no private folder can be had."""
        home = cache_home()
        if home is None:
            return None
        try:
            if not home.parent.is_dir():
                home.parent.mkdir(mode=0o700, parents=True)
        except OSError:
            return None
        if not _private_folder(home, create=True):
            return None
        folder = home / hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
        if not _private_folder(folder, create=True):
            return None
        lock = _open_private(folder / "lock", os.O_RDWR | os.O_CREAT)
        if lock is None:
            return None
        environment = environment_key(seeds)
        try:
            if _lock(lock):
                # No other run is under way: remove what no index names, then let other runs in. The
                # index is read again only if another run replaced it in between (a new file).
                saved, seen = cls._read_index(folder, environment)
                _collect(folder, saved)
                fcntl.flock(lock, fcntl.LOCK_SH)
                if _identity(folder / "index.json") != seen:
                    saved, _ = cls._read_index(folder, environment)
            else:
                saved, _ = cls._read_index(folder, environment)
        except OSError:
            os.close(lock)
            return None
        store = cls(folder, environment, saved.get("files", {}), today, lock)
        store.shared_data = saved.get("shared")
        return store

    @staticmethod
    def _read_index(folder: Path, environment: str) -> tuple[dict[str, Any], tuple[int, ...] | None]:
        """The index as saved, if it is ours, whole, and made in this environment (else an empty
        one), and the identity of the file read."""
        path = folder / "index.json"
        seen = _identity(path)
        raw = _read_private(path, MAX_INDEX_BYTES)
        try:
            saved = json.loads(raw) if raw is not None else {}
            if saved.get("format") == FORMAT and saved.get("environment") == environment and isinstance(saved.get("files"), dict):
                shared = saved.get("shared")
                return {"files": saved["files"], "shared": shared if isinstance(shared, dict) else None}, seen
        except (ValueError, AttributeError):
            pass
        return {}, seen

    def shared(self) -> tuple[list[Topic], dict[str, Article], int] | None:
        """The topics, the press reports and how many errors seeds/articles.yaml had, if stored."""
        data = self.shared_data
        if data is None:
            return None
        try:
            topics = [Topic.model_validate(item) for item in data["topics"]]
            articles = [Article.model_validate(item) for item in data["articles"]]
            return topics, {a.id: a for a in articles}, int(data["article_errors"])
        except (KeyError, TypeError, ValueError):
            return None

    def keep_shared(self, topics: list[Topic], articles: dict[str, Article], article_errors: int) -> None:
        """Remember the topics and press reports (read from YAML this run) for the next runs."""
        self.shared_data = {
            "topics": [t.model_dump(mode="json") for t in topics],
            "articles": [a.model_dump(mode="json") for a in articles.values()],
            "article_errors": article_errors,
        }
        self.changed = True

    def key(self, raw: bytes) -> str:
        """The key of a record file with these bytes."""
        return hashlib.sha256(self.environment.encode() + b"\0" + raw).hexdigest()

    def lookup(self, raw: bytes) -> CachedEntry | None:
        """What was found the last time a file with these bytes was checked, if anything."""
        key = self.key(raw)
        data = self.index.get(key)
        try:
            entry = CachedEntry(key, data) if isinstance(data, dict) else None
            recheck_on = data.get("recheck_on") if entry is not None else None
            if recheck_on is not None and dt.date.fromisoformat(recheck_on) <= self.today:
                entry = None  # its last_verified was in the future then, and no longer is
        except (KeyError, TypeError, ValueError, IndexError, AttributeError):
            entry = None
        if entry is not None:
            self.seen[key] = data
        return entry

    def keep(
        self, raw: bytes, errors: int, names: NameEntry | None, record: Record | None, recheck_on: dt.date | None = None
    ) -> str | None:
        """Remember a file just checked and store its record if valid; the record's entry name, or
        None (an invalid record, or its entry could not be written: then it is not remembered)."""
        entry = self.store(record) if record is not None else None
        if record is not None and entry is None:
            return None
        self.seen[self.key(raw)] = {
            "errors": errors,
            "id": names.id if names else None,
            "id_at": list(names.id_at) if names else [1, 1],
            "aliases": [[i, a, list(at)] for i, a, at in names.aliases] if names else [],
            "recheck_on": recheck_on.isoformat() if recheck_on else None,
            "entry": entry,
        }
        self.changed = True
        return entry

    def store(self, record: Record, *, rewrite: bool = False) -> str | None:
        """Write `record` as an entry named by its content's SHA-256, unless that entry exists (the
        same bytes, from an earlier run) and not `rewrite` (it was found damaged); its name."""
        data = record.model_dump_json().encode("utf-8")
        name = hashlib.sha256(data).hexdigest()
        path = self.folder / f"{name}.json"
        try:
            if not rewrite and stat.S_ISREG(os.lstat(path).st_mode):
                return name
        except OSError:
            pass
        return name if _write_private(path, data) else None

    def fetch(self, entry: str) -> Record | None:
        """The record stored as `entry`, or None if it is gone, damaged or not what we wrote."""
        raw = _read_private(self.folder / f"{entry}.json", MAX_RECORD_BYTES)
        if raw is None or hashlib.sha256(raw).hexdigest() != entry:
            return None
        try:
            return Record.model_validate_json(raw)
        except ValueError:
            return None

    def save(self) -> None:
        """Write the index of the files seen in this run (entries no index names go later: _collect)."""
        if not self.changed and len(self.seen) == len(self.index):
            return
        payload = {"format": FORMAT, "environment": self.environment, "files": self.seen, "shared": self.shared_data}
        _write_private(self.folder / "index.json", json.dumps(payload).encode("utf-8"))


def _collect(folder: Path, saved: dict[str, Any]) -> None:
    """Remove the entries `saved` (the index) does not name, and temporary files of runs that were
    killed. Called only by a run that holds the folder's lock alone: no other run is under way, so
    no index in use names what goes, and no temporary file is being written."""
    named = {data.get("entry") for data in saved.get("files", {}).values() if isinstance(data, dict)}
    try:
        with os.scandir(folder) as scan:
            stale = [e.path for e in scan if (ENTRY_NAME.fullmatch(e.name) and e.name[:-5] not in named) or e.name.startswith(".tmp-")]
        for path in stale:
            os.unlink(path)
    except OSError:
        pass
