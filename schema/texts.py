"""The texts that records quote: official texts under seeds/texts/, press excerpts in seeds/articles.yaml.

Quote matching normalises only what typesetting changes between faithful copies of one text:
runs of whitespace, typographic quotes and apostrophes, and the GPO's ``...'' quote pairs. Case,
punctuation and spelling must match exactly.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

# " ... " (or "…", "[...]") inside a quote marks words left out; each part must appear, in order.
_ELLIPSIS = re.compile(r"\s*(?:\[\s*(?:\.\.\.|…)\s*\]|\.\.\.|…)\s*")
_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "‟": '"', "\u00a0": " "})
_SPACE = re.compile(r"\s+")
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


@cache
def _sections(body: str) -> tuple[tuple[bool, str], ...]:
    sections: list[tuple[bool, list[str]]] = [(False, [])]
    for line in body.splitlines():
        stripped = line.strip()
        if stripped.startswith("====="):
            sections.append(("SECONDARY" in stripped.upper(), []))
        elif not _EDITORIAL.match(stripped):
            sections[-1][1].append(line)
    return tuple((secondary, normalise("\n".join(lines))) for secondary, lines in sections if lines)


def quote_found(quote: str, normalised_text: str) -> bool:
    """Find every part of `quote` in `normalised_text`, each after the one before."""
    start = 0
    parts = [normalise(part) for part in _ELLIPSIS.split(quote)]
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
    """Read seeds/texts/<text_id>.txt; raise OSError if missing."""
    path = text_path(seeds, text_id)
    raw = path.read_text(encoding="utf-8")
    header: dict[str, str] = {}
    lines = raw.split("\n")
    index = 0
    while index < len(lines) and lines[index].startswith("# "):
        key, _, value = lines[index][2:].partition(":")
        header.setdefault(key.strip(), value.strip())
        index += 1
    body = "\n".join(lines[index:]).lstrip("\n")
    return SourceText(id=text_id, path=path, header=header, body=body)
