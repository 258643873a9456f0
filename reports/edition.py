"""The edition of the dataset that every output names: its version, its as-of date and its licence.

The data version is the package's `__version__` (space_frameworks/__init__.py), the one source of
truth: pyproject.toml reads it, CITATION.cff and a release tag must equal it (the release workflow
refuses a tag that does not), and every output (export, database, site, brief, citations) prints it.
"""

from __future__ import annotations

from collections.abc import Iterable

from .. import __version__
from ..schema.models import Record

DATA_VERSION = __version__
DATA_LICENCE = "CC BY 4.0"
DATA_LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
CODE_LICENCE = "MIT"
TEXTS_NOTE = "The official texts quoted are not covered by the data licence: each keeps its own status (its '# licence:' header line)."


def data_as_of(records: Iterable[Record | str]) -> str:
    """The data's as-of date: the latest day any record (or last_verified date given) was verified ('' if none)."""
    return max((r if isinstance(r, str) else r.last_verified for r in records), default="")


def edition_metadata(records: Iterable[Record | str]) -> dict[str, str]:
    """What an export or a database says about the edition it holds (records, or their last_verified dates)."""
    return {
        "data_version": DATA_VERSION,
        "data_as_of": data_as_of(records),
        "data_licence": DATA_LICENCE,
        "data_licence_url": DATA_LICENCE_URL,
        "code_licence": CODE_LICENCE,
        "official_texts": TEXTS_NOTE,
    }
