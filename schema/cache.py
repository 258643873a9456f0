"""A cache of validated records, so that `compare`, `list`, `show` skip parsing and validating
every record on every run.

After a clean load, the records, press reports and topics are pickled to the user's cache folder,
keyed by the records folder and stamped with the size and modification time of every file they
came from (records, press reports, the schema package itself). A new, removed or changed file
makes the stamp differ, and the records are loaded afresh. `validate` never reads the cache.
FRAMEWORKS_NO_CACHE=1 turns it off.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__

if TYPE_CHECKING:
    from .records import Dataset

SCHEMA_DIR = Path(__file__).resolve().parent


def load_dataset_cached(root: Path | None = None) -> Dataset:
    """load_dataset(root), served from the cache when no file it depends on has changed.

    Only a dataset without problems is cached, so a broken record is always reported afresh.
    """
    from .records import Dataset, data_root, load_dataset, seeds_dir

    base = data_root(root)
    current = stamp(base, seeds_dir(base)) if enabled() else None
    cached = read(base, current) if current else None
    if cached is not None:
        records, files, articles, topics = cached
        return Dataset(root=base, records=records, files=files, articles=articles, vocabulary=topics)
    dataset = load_dataset(base)
    if current and not any(p.severity == "error" for p in dataset.problems):
        write(base, current, (dataset.records, dataset.files, dataset.articles, dataset.topics))
    return dataset


def enabled() -> bool:
    """False when FRAMEWORKS_NO_CACHE is set to anything but '' or '0'."""
    return os.environ.get("FRAMEWORKS_NO_CACHE", "") in ("", "0")


def cache_file(root: Path) -> Path:
    """$XDG_CACHE_HOME/frameworks/records-<hash of the records folder>.pickle (default ~/.cache)."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "frameworks" / f"records-{hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]}.pickle"


def stamp(root: Path, seeds: Path) -> tuple[Any, ...]:
    """Path, size and mtime of every file the loaded records depend on."""
    entries = []
    for folder, suffixes in ((root / "frameworks", (".yaml", ".yml")), (SCHEMA_DIR, (".py", ".yaml"))):
        with os.scandir(folder) as scan:
            entries += [(e.path, e.stat().st_size, e.stat().st_mtime_ns) for e in scan if e.name.endswith(suffixes)]
    articles = seeds / "articles.yaml"
    if articles.exists():
        info = articles.stat()
        entries.append((str(articles), info.st_size, info.st_mtime_ns))
    return (__version__, *sorted(entries))


def read(root: Path, current: tuple[Any, ...]) -> Any | None:
    """The payload cached for `root` if its stamp is `current`, else None (also on any read error)."""
    try:
        with open(cache_file(root), "rb") as handle:
            saved, payload = pickle.load(handle)
    except Exception:  # missing, truncated or from another version: a miss, never an error
        return None
    return payload if saved == current else None


def write(root: Path, current: tuple[Any, ...], payload: Any) -> None:
    """Store `payload` for `root` (written beside, then renamed); skipped if the folder is not writable."""
    path = cache_file(root)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(pickle.dumps((current, payload), protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)
