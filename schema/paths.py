"""Where records live: the records folder (--root, $FRAMEWORKS_ROOT or the package's own), its
seeds/, and the record files named on a command line.

It imports nothing but the standard library, so that the command line can name the environment
variable without paying for pydantic.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT_ENV = "FRAMEWORKS_ROOT"
# Installed, the package holds frameworks/ and seeds/ beside schema/; in a checkout, so does the root.
PACKAGE_ROOT = Path(__file__).resolve().parent.parent
TOPICS_FILE = Path(__file__).resolve().parent / "topics.yaml"


class DataRootError(Exception):
    """The records folder given by --root or FRAMEWORKS_ROOT is not usable."""


def data_root(root: Path | None = None) -> Path:
    """The folder holding frameworks/ (and seeds/): `root`, else $FRAMEWORKS_ROOT, else the package's."""
    chosen = root or (Path(os.environ[ROOT_ENV]) if os.environ.get(ROOT_ENV) else PACKAGE_ROOT)
    if not (chosen / "frameworks").is_dir():
        raise DataRootError(f"{chosen}: no frameworks/ folder of records here")
    return chosen


def seeds_dir(root: Path) -> Path:
    """seeds/ of `root` if it has one (a contributor's checkout), else the package's own."""
    return root / "seeds" if (root / "seeds").is_dir() else PACKAGE_ROOT / "seeds"


def record_files(paths: list[Path]) -> list[Path]:
    """The YAML files named, or found directly inside the folders named (sorted), each once.

    Every entry named *.yaml or *.yml counts, whatever it is: a dangling symlink, a symlink to a
    device, an editor's lock file (.#ost.yaml) or a folder is then reported by the reader with
    its name, never skipped without a word."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            with os.scandir(path) as scan:  # names only: what each entry is, the reader checks
                names = sorted(e.name for e in scan if e.name.endswith((".yaml", ".yml")))
            found.extend(path / name for name in names)
        else:
            found.append(path)
    # A file named twice (or named and inside a named folder) is read once.
    unique: dict[str, Path] = {}
    for path in found:
        unique.setdefault(os.path.abspath(path), path)
    return list(unique.values())


def locate_records(root: Path | None, paths: list[Path] | None) -> tuple[Path, list[Path]]:
    """The records root and the record files to read.

    Without `paths`: `root` (else $FRAMEWORKS_ROOT, else the package's), all of its frameworks/.
    With `paths`: those files and folders; the root (for seeds/ and the other records) is `root`,
    else the folder whose frameworks/ holds the first path, else the working directory if it has
    a frameworks/ folder, else the package's own. Raises DataRootError for an unusable root.
    """
    if paths is None:
        base = data_root(root)
        return base, record_files([base / "frameworks"])
    return root or _infer_root(paths), record_files(paths)


def _infer_root(paths: list[Path]) -> Path:
    for path in paths:
        absolute = Path(os.path.abspath(path))
        for folder in [absolute, *absolute.parents][:3]:
            if folder.name == "frameworks" and folder.is_dir():
                return folder.parent
    cwd = Path.cwd()
    return cwd if (cwd / "frameworks").is_dir() else PACKAGE_ROOT
