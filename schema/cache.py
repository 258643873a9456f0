"""A cache of checked records, so that the data commands do not parse and check every record on
every run, and a compare of two ids reads two records however many there are.

What is kept: for each records folder, an index (JSON) of the record files checked, by the
SHA-256 of their bytes, with how many errors each has and its id and aliases; and, for each valid
record, its validated data as JSON, read only when a command asks for that record. Everything is
keyed on content, never on sizes or times: the key of a record file is the hash of its bytes and
of everything its checks depend on (the package's code and version, the versions of Python,
pydantic and PyYAML, the topics, the press reports, every text under seeds/texts/). The one check
that depends on the day (a last_verified in the future is an error) is answered by noting, for such
a file, the day to check it again.

Nothing in the cache can run code (JSON only, read back through the pydantic models). The cache
lives in $XDG_CACHE_HOME/frameworks (else ~/.cache/frameworks), in folders of mode 0700 and files
of mode 0600 whatever the umask; a folder or file that is not ours, is a symbolic link, is not a
regular file or is open to others is never read. When no usable folder can be had (HOME unset,
XDG_CACHE_HOME relative, a file, /dev/null, a FIFO, unwritable), the tool works without a cache and
says nothing. `validate` never uses it; FRAMEWORKS_NO_CACHE=1 turns it off.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import secrets
import stat
import sys
from pathlib import Path
from typing import Any

import pydantic
import pydantic_core

from .. import __version__
from .models import Article, Record, Topic
from .names import NameEntry

SCHEMA_DIR = Path(__file__).resolve().parent
FORMAT = "frameworks.record-cache/2"
MAX_INDEX_BYTES = 64 * 1024 * 1024
MAX_RECORD_BYTES = 16 * 1024 * 1024


def enabled() -> bool:
    """False when FRAMEWORKS_NO_CACHE is set to anything but '' or '0'."""
    return os.environ.get("FRAMEWORKS_NO_CACHE", "") in ("", "0")


def cache_home() -> Path | None:
    """$XDG_CACHE_HOME if it is an absolute path (the XDG spec says to ignore a relative one), else
    ~/.cache; None when there is no home to speak of."""
    configured = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(configured):
        return Path(configured)
    try:
        home = Path.home()
    except (RuntimeError, KeyError, OSError):  # HOME unset and no passwd entry
        return None
    return home / ".cache" if home.is_absolute() else None


def _private_folder(path: Path, *, create: bool) -> bool:
    """Whether `path` is (or, with `create`, has been made) a real folder of ours that no one else can use."""
    try:
        if create:
            try:
                os.mkdir(path, 0o700)
            except FileExistsError:
                pass
        info = os.lstat(path)
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
            return False
        if info.st_mode & 0o077:
            os.chmod(path, 0o700)  # ours, but opened to others (an old version, umask 000): close it
        return True
    except OSError:
        return False


def _read_private(path: Path, limit: int) -> bytes | None:
    """The bytes of `path` if it is a regular file of ours, not a link, not open to others; else None.

    O_NONBLOCK: opening a FIFO planted here must not wait for a writer; O_NOFOLLOW: nor follow a link.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077 or info.st_size > limit:
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
    """Write `data` to a temporary file of mode 0600 beside `path`, then rename it over `path`."""
    temporary = path.with_name(f".tmp-{secrets.token_hex(8)}")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0), 0o600)
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as handle:
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


def _yaml_version() -> str:
    """PyYAML's version, read from its installed metadata folder's name (importing yaml or
    importlib.metadata would cost more than a warm run of the data commands)."""
    for folder in sys.path:
        try:
            with os.scandir(folder or ".") as scan:
                for entry in scan:
                    if entry.name.lower().startswith("pyyaml-") and entry.name.endswith((".dist-info", ".egg-info")):
                        return entry.name[len("pyyaml-") :].rsplit(".", 1)[0]
        except OSError:
            continue
    return "unknown"


def environment_key(seeds: Path) -> str:
    """The hash of everything a record's checks depend on besides the record file itself."""
    digest = hashlib.sha256(FORMAT.encode())
    versions = [
        __version__,
        sys.version,
        f"pydantic {pydantic.VERSION}",
        f"pydantic-core {pydantic_core.__version__}",
        f"PyYAML {_yaml_version()}",
    ]
    digest.update("\n".join(versions).encode())
    _digest_files(digest, sorted(p for p in SCHEMA_DIR.iterdir() if p.suffix in (".py", ".yaml")))
    texts = seeds / "texts"
    _digest_files(digest, sorted(texts.glob("*.txt")) if texts.is_dir() else [])
    _digest_files(digest, [seeds / "articles.yaml"])
    return digest.hexdigest()


class CachedEntry:
    """What the index holds of one checked record file."""

    def __init__(self, key: str, data: dict[str, Any]) -> None:
        self.key = key
        self.errors: int = data["errors"]
        self.id: str | None = data["id"]
        self.id_at: tuple[int, int] = tuple(data["id_at"])  # type: ignore[assignment]
        self.aliases: list[tuple[int, str, tuple[int, int]]] = [(i, a, (at[0], at[1])) for i, a, at in data["aliases"]]

    def names(self, path: Path) -> NameEntry:
        """The file's names as schema.names checks them."""
        return NameEntry(path, self.id, self.id_at, list(self.aliases))


class RecordCache:
    """The cache of one records folder (see the module's docstring)."""

    def __init__(self, folder: Path, environment: str, index: dict[str, Any], today: dt.date) -> None:
        self.folder = folder
        self.today = today
        self.environment = environment
        self.index = index
        self.seen: dict[str, Any] = {}
        self.changed = False
        self.shared_data: dict[str, Any] | None = None

    @classmethod
    def open(cls, root: Path, seeds: Path, today: dt.date) -> RecordCache | None:
        """The cache for the records under `root`, or None when no private folder can be had."""
        home = cache_home()
        if home is None:
            return None
        try:
            if not home.is_dir():
                home.mkdir(mode=0o700, parents=True)
        except OSError:
            return None
        folder = home / "frameworks"
        if not _private_folder(folder, create=True):
            return None
        folder = folder / hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
        if not _private_folder(folder, create=True):
            return None
        environment = environment_key(seeds)
        index: dict[str, Any] = {}
        shared = None
        raw = _read_private(folder / "index.json", MAX_INDEX_BYTES)
        if raw is not None:
            try:
                saved = json.loads(raw)
                if saved.get("format") == FORMAT and saved.get("environment") == environment and isinstance(saved.get("files"), dict):
                    index = saved["files"]
                    shared = saved.get("shared") if isinstance(saved.get("shared"), dict) else None
            except (ValueError, AttributeError):
                pass
        store = cls(folder, environment, index, today)
        store.shared_data = shared
        return store

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

    def keep(self, raw: bytes, errors: int, names: NameEntry | None, record: Record | None, recheck_on: dt.date | None = None) -> bool:
        """Remember a file just checked; store its record if valid. Whether the record was stored."""
        key = self.key(raw)
        stored = record is not None and _write_private(self.folder / f"{key}.json", record.model_dump_json().encode("utf-8"))
        if record is not None and not stored:
            return False
        self.seen[key] = {
            "errors": errors,
            "id": names.id if names else None,
            "id_at": list(names.id_at) if names else [1, 1],
            "aliases": [[i, a, list(at)] for i, a, at in names.aliases] if names else [],
            "recheck_on": recheck_on.isoformat() if recheck_on else None,
        }
        self.changed = True
        return stored

    def fetch(self, key: str) -> Record | None:
        """The record stored under `key`, or None if it is gone or not what we wrote."""
        raw = _read_private(self.folder / f"{key}.json", MAX_RECORD_BYTES)
        if raw is None:
            return None
        try:
            return Record.model_validate_json(raw)
        except ValueError:
            return None

    def save(self) -> None:
        """Write the index of the files seen in this run, and forget the records no longer in it."""
        if not self.changed and len(self.seen) == len(self.index):
            return
        payload = {"format": FORMAT, "environment": self.environment, "files": self.seen, "shared": self.shared_data}
        if not _write_private(self.folder / "index.json", json.dumps(payload).encode("utf-8")):
            return
        try:
            with os.scandir(self.folder) as scan:
                stale = [e.path for e in scan if e.name.endswith(".json") and e.name != "index.json" and e.name[:-5] not in self.seen]
            for path in stale:
                os.unlink(path)
        except OSError:
            pass
