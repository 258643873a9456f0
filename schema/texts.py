"""The texts that records quote: official texts under seeds/texts/, press excerpts in seeds/articles.yaml.

Quote matching normalises only what typesetting changes between faithful copies of one text:
runs of whitespace, typographic quotes and apostrophes, and the GPO's ``...'' quote pairs. Case,
punctuation and spelling must match exactly.
"""

from __future__ import annotations

import hashlib
import re
import stat
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .problems import display_path

# " ... " (or "…", "[...]") inside a quote marks words left out; each part must appear, in order.
ELLIPSIS = re.compile(r"\s*(?:\[\s*(?:\.\.\.|…)\s*\]|\.\.\.|…)\s*")
_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "‟": '"', "\u00a0": " "})
_SPACE = re.compile(r"\s+")
# The body's SHA-256 in the header: a line of its own (`# body-sha256: <hex>`), or, in the first
# texts, inside a sentence ("... body-sha256 = <hex> ...").
_HASH = re.compile(r"body-sha256\s*[:=]\s*([0-9a-fA-F]{64})\b")
# Lines that PARTIAL texts add as editorial markers; never part of the instrument.
_EDITORIAL = re.compile(r"^(=====.*|\[(?:\.\.\.|GAP)[^\]]*\]|\[\.\.\.\s.*)$")


def normalise(text: str) -> str:
    """Fold the typographic variants that faithful copies of one text differ in."""
    text = unicodedata.normalize("NFC", text).translate(_QUOTES)
    text = text.replace("``", '"').replace("''", '"')
    return _SPACE.sub(" ", text).strip()


@dataclass(frozen=True)
class SourceText:
    """One official text: its provenance header (``# key: value`` lines) and its body."""

    id: str
    path: Path
    header: dict[str, str]
    body: str
    header_lines: tuple[tuple[str, str], ...] = ()

    @property
    def recorded_hash(self) -> str | None:
        """The body's SHA-256 as the header records it (lower-case hex), or None if it records none."""
        for key, value in self.header_lines:
            found = _HASH.search(f"{key}: {value}")
            if found:
                return found.group(1).lower()
        return None

    @property
    def actual_hash(self) -> str:
        """The SHA-256 of the body as read now."""
        return body_hash(self.body)

    def integrity(self) -> str | None:
        """What is wrong with the body against the header's SHA-256, as a sentence; None if it matches."""
        recorded = self.recorded_hash
        if recorded is None:
            command = f"frameworks text-hash {display_path(self.path)}"
            return f"the header records no body-sha256: add the line '# body-sha256: {self.actual_hash}' ({command})"
        if recorded != self.actual_hash:
            return (
                f"the body does not match the body-sha256 in its header ({recorded[:12]}..., the body now hashes to "
                f"{self.actual_hash[:12]}...): restore the official text, or, if the official text itself changed, "
                "record the new hash with its provenance"
            )
        return None

    def find(self, quote: str) -> str | None:
        """Where `quote` (with ' ... ' omissions) stands word for word: 'official', 'secondary' or None.

        PARTIAL texts are split into sections by their '=====' marker lines; a section whose
        marker says SECONDARY holds third-party quotations, which never verify an official quote.
        """
        found = None
        for secondary, text in _sections(self.body):
            if quote_found(quote, text):
                if not secondary:
                    return "official"
                found = "secondary"
        return found


def text_sections(body: str) -> list[tuple[bool, list[str]]]:
    """The lines of a held text by section, SECONDARY sections apart, without blank lines and the
    editorial markers ('=====' headings, '[...]' and '[GAP ...]' lines); shared by the quote check
    and `sources check`."""
    sections: list[tuple[bool, list[str]]] = [(False, [])]
    for line in body.splitlines():
        stripped = line.strip()
        if stripped.startswith("====="):
            sections.append(("SECONDARY" in stripped.upper(), []))
        elif stripped and not _EDITORIAL.match(stripped):
            sections[-1][1].append(stripped)
    return sections


@cache
def _sections(body: str) -> tuple[tuple[bool, str], ...]:
    return tuple((secondary, normalise("\n".join(lines))) for secondary, lines in text_sections(body) if lines)


def quote_found(quote: str, normalised_text: str, fold: Callable[[str], str] = normalise) -> bool:
    """Find every part of `quote` in `normalised_text`, each after the one before, every part folded
    by `fold` as the text was (`normalise`; `sources check` folds Markdown and hyphens too)."""
    start = 0
    parts = [fold(part) for part in ELLIPSIS.split(quote)]
    parts = [part for part in parts if part]
    if not parts:
        return False
    for part in parts:
        found = normalised_text.find(part, start)
        if found < 0:
            return False
        start = found + len(part)
    return True


def text_path(seeds: Path, text_id: str) -> Path:
    """Where the text with this id lives."""
    return seeds / "texts" / f"{text_id}.txt"


def read_source_text(seeds: Path, text_id: str) -> SourceText:
    """Read seeds/texts/<text_id>.txt; raise OSError if missing or not a regular file (a FIFO would block)."""
    path = text_path(seeds, text_id)
    if not stat.S_ISREG(path.stat().st_mode):
        raise OSError(f"{path} is not a regular file")
    raw = path.read_text(encoding="utf-8")
    header: dict[str, str] = {}
    pairs: list[tuple[str, str]] = []
    lines = raw.split("\n")
    index = 0
    while index < len(lines) and lines[index].startswith("# "):
        key, _, value = lines[index][2:].partition(":")
        header.setdefault(key.strip(), value.strip())
        pairs.append((key.strip(), value.strip()))
        index += 1
    body = "\n".join(lines[index:]).lstrip("\n")
    return SourceText(id=text_id, path=path, header=header, body=body, header_lines=tuple(pairs))


def body_hash(body: str) -> str:
    """The SHA-256 (hex) that a text's header records for its body."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()
