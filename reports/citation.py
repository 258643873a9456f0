"""Citations of a framework, one of its provisions, or one of its positions: the instrument cited as
lawyers cite it (OSCOLA, Bluebook), or as reference managers read it (BibTeX, CSL-JSON), followed by
the dataset version that was read.

Everything comes from the record: the title, the dated status events, and the reporter citations in
its `identifiers` (e.g. "610 UNTS 205", "85 FR 20381-20382", "Pub. L. 114-90", "129 Stat. 704",
"51 U.S.C. 51301-51303"), parsed by the patterns below. A reporter the record does not hold is left
out, never guessed. The dataset version is the package version (`__version__`), the one source of
truth that a release tag must equal (see .github/workflows/release.yml).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from enum import StrEnum

from .. import __version__
from ..schema.models import Kind, Record, SourceKind
from .edition import DATA_LICENCE

DATASET_TITLE = "Space Frameworks: a comparison of the legal frameworks for space resources"
DATASET_AUTHOR = "The space-frameworks contributors"

_MONTHS = "January February March April May June July August September October November December".split()
_BLUEBOOK_MONTHS = "Jan. Feb. Mar. Apr. May June July Aug. Sept. Oct. Nov. Dec.".split()
# Bluebook T10 abbreviations of the jurisdictions our statutes come from.
_BLUEBOOK_PLACES = {"Luxembourg": "Lux.", "Japan": "Japan", "United Arab Emirates": "U.A.E."}


class Style(StrEnum):
    """The citation styles of `frameworks cite`."""

    oscola = "oscola"
    bluebook = "bluebook"
    bibtex = "bibtex"
    csl_json = "csl-json"


@dataclass(frozen=True)
class Reporters:
    """The reporter citations a record's identifiers hold (None where it holds none)."""

    unts: tuple[str, str] | None = None  # volume, first page
    ust: tuple[str, str] | None = None
    fr: tuple[str, str, str | None] | None = None  # volume, first page, last page
    eo_number: str | None = None
    public_law: str | None = None  # "114-90"
    stat: tuple[str, str, str | None] | None = None  # volume, first page, pinpoint pages
    usc: tuple[str, str, str | None] | None = None  # title, first section, last section
    resolution: str | None = None  # "2222 (XXI)", "51/122"
    other: tuple[str, ...] = ()  # gazette references and act numbers, cited as the record words them


_PATTERNS = {
    "unts": re.compile(r"^(\d+) UNTS (\d+)$"),
    "ust": re.compile(r"^(\d+) UST (\d+)$"),
    "fr": re.compile(r"^(\d+) FR (\d+)(?:[-–](\d+))?$"),
    "eo": re.compile(r"^Executive Order (\d+)$"),
    "pl": re.compile(r"^Pub\. L\. (\d+-\d+)$"),
    "stat": re.compile(r"^(\d+) Stat\. (\d+)(?: \(.*? at \d+ Stat\. (\d+(?:-\d+)?)\))?$"),
    "usc": re.compile(r"^(\d+) U\.S\.C\. (\d+)(?:-(\d+))?"),
    "res": re.compile(r"^(?:UNGA res\. (\d+ \([A-Z]+\)|\d+/\d+)|A/RES/(\d+/\d+))"),
    "other": re.compile(r"^(Mémorial A n° \d+ de \d{4}|Act No\. \d+ of \d{4})"),
}


def reporters(record: Record) -> Reporters:
    """The reporter citations in `record.identifiers`."""
    found: dict = {}
    other: list[str] = []
    for identifier in record.identifiers:
        text = identifier.strip()
        if m := _PATTERNS["unts"].match(text):
            found.setdefault("unts", (m.group(1), m.group(2)))
        elif m := _PATTERNS["ust"].match(text):
            found.setdefault("ust", (m.group(1), m.group(2)))
        elif m := _PATTERNS["fr"].match(text):
            found.setdefault("fr", (m.group(1), m.group(2), m.group(3)))
        elif m := _PATTERNS["eo"].match(text):
            found.setdefault("eo_number", m.group(1))
        elif m := _PATTERNS["pl"].match(text):
            found.setdefault("public_law", m.group(1))
        elif m := _PATTERNS["stat"].match(text):
            found.setdefault("stat", (m.group(1), m.group(2), m.group(3)))
        elif m := _PATTERNS["usc"].match(text):
            found.setdefault("usc", (m.group(1), m.group(2), m.group(3)))
        elif m := _PATTERNS["res"].match(text):
            found.setdefault("resolution", m.group(1) or m.group(2))
        elif m := _PATTERNS["other"].match(text):
            other.append(m.group(1))
    return Reporters(**found, other=tuple(other))


@dataclass(frozen=True)
class Citation:
    """What is cited: a record, and optionally the pinpoints of one provision or one position."""

    record: Record
    reporters: Reporters
    pinpoints: tuple[str, ...] = ()  # provision labels
    topic: str | None = None  # the topic whose position is cited
    topic_label: str | None = None
    data_as_of: str = ""
    version: str = __version__

    def event(self, *kinds: str) -> str | None:
        """The date of the instrument's first status event of these kinds (not one State's)."""
        for kind in kinds:
            for event in self.record.status:
                if event.party is None and event.event.value == kind:
                    return event.date
        return None

    @property
    def url(self) -> str | None:
        """The address of the official text, if the record gives one."""
        if self.record.kind == Kind.national_position:  # its official texts are other instruments
            return None
        return next((s.url for s in self.record.sources if s.kind == SourceKind.official_text and s.url), None)

    @property
    def short_name(self) -> str:
        """The short title without a trailing year: 'Outer Space Treaty'."""
        return re.sub(r"\s*\(\d{4}(?:-\d*)?\)$", "", self.record.short_title)

    @property
    def key(self) -> str:
        return self.record.id + (f"-{self.topic}" if self.topic else "")


class CitationError(ValueError):
    """A provision or topic that the record does not have."""


def make_citation(
    record: Record, *, provision: str | None = None, topic: str | None = None, topic_label: str | None = None, data_as_of: str = ""
) -> Citation:
    """The citation of `record`, of one of its provisions, or of its position on one topic."""
    found = reporters(record)
    # Pinpoints of the instrument's own text: a provision quoting another text (a Party's law cited as
    # its reading of a treaty) is not a part of the instrument cited.
    labels: dict[str, str] = {p.id: p.label for p in record.provisions if p.text in (None, record.text)}
    if provision is not None:
        if provision not in labels:
            raise CitationError(f"{record.id} has no provision '{provision}'; it has: {', '.join(labels) or 'none'}")
        return Citation(record, found, (labels[provision],), data_as_of=data_as_of or record.last_verified)
    if topic is not None:
        position = next((p for p in record.positions if p.topic == topic), None)
        if position is None:
            raise CitationError(f"{record.id} takes no position on '{topic}'")
        pins = tuple(labels[p] for p in position.provisions if p in labels)
        return Citation(record, found, pins, topic, topic_label or topic, data_as_of or record.last_verified)
    return Citation(record, found, data_as_of=data_as_of or record.last_verified)


# --- dates and small words -------------------------------------------------------------------


def _parts(value: str) -> list[int]:
    return [int(p) for p in value.split("-")]


def long_date(value: str) -> str:
    """'1967-01-27' -> '27 January 1967' (a partial date keeps what it has)."""
    parts = _parts(value)
    if len(parts) == 3:
        return f"{parts[2]} {_MONTHS[parts[1] - 1]} {parts[0]}"
    return f"{_MONTHS[parts[1] - 1]} {parts[0]}" if len(parts) == 2 else str(parts[0])


def bluebook_date(value: str) -> str:
    """'1967-01-27' -> 'Jan. 27, 1967'."""
    parts = _parts(value)
    if len(parts) == 3:
        return f"{_BLUEBOOK_MONTHS[parts[1] - 1]} {parts[2]}, {parts[0]}"
    return f"{_BLUEBOOK_MONTHS[parts[1] - 1]} {parts[0]}" if len(parts) == 2 else str(parts[0])


def bluebook_number(value: str) -> str:
    """Bluebook rule 6.2: five or more digits take commas (13914 -> 13,914)."""
    return f"{int(value):,}" if value.isdigit() and len(value) >= 5 else value


def _pages(first: str, last: str | None, *, bluebook: bool) -> str:
    if not last:
        return bluebook_number(first) if bluebook else first
    return f"{bluebook_number(first)}–{bluebook_number(last)}" if bluebook else f"{first}–{last}"


_CORE_PIN = re.compile(r"^(Articles?|Art\.|Sec\.|Section)\s+([0-9IVXLC]+[a-z]?(?:\([0-9a-z]+\))*)")
_USC_PIN = re.compile(r"^(\d+) U\.S\.C\. (\d+\S*)$")


def _core(label: str) -> tuple[str, str] | None:
    """('art', 'II') for 'Article II, first paragraph', ('s', '10(2)') for 'Sec. 10(2), first sentence'."""
    found = _CORE_PIN.match(label)
    if not found:
        return None
    return ("art" if found.group(1).lower().startswith("art") else "s", found.group(2))


def pinpoints(labels: tuple[str, ...], *, bluebook: bool) -> str:
    """Provision labels as a pinpoint: 'arts I, II and VIII' (OSCOLA), 'arts. I, II, VIII' (Bluebook),
    'ss 1 and 5(c)' / '§§ 1, 5(c)', '51 USC § 51303' / '51 U.S.C. § 51303'; other labels as they are."""
    groups: dict[str, list[str]] = {}
    for label in labels:
        core = _core(label)
        if core is None:
            usc = _USC_PIN.match(label)
            core = (f"usc {usc.group(1)}", usc.group(2)) if usc else ("", label[0].lower() + label[1:])
        if core[1] not in groups.setdefault(core[0], []):
            groups[core[0]].append(core[1])
    words = []
    for kind, numbers in groups.items():
        many = len(numbers) > 1
        if bluebook:
            listed = ", ".join(numbers)
            word = {"art": "arts." if many else "art.", "s": "§§" if many else "§", "": ""}.get(kind)
            if word is None:  # a title of the U.S. Code
                word = f"{kind.split()[1]} U.S.C. {'§§' if many else '§'}"
        else:
            listed = numbers[0] if not many else f"{', '.join(numbers[:-1])} and {numbers[-1]}"
            word = {"art": "arts" if many else "art", "s": "ss" if many else "s", "": ""}.get(kind)
            if word is None:
                word = f"{kind.split()[1]} USC {'§§' if many else '§'}"
            if kind == "":
                listed = "; ".join(numbers)
        words.append(f"{word} {listed}".strip())
    return ", ".join(words) if bluebook else "; ".join(words)


def _title_case_statute(record: Record) -> str:
    """A US statute's name as enacted: the record title up to its first comma."""
    return record.title.split(",")[0]


def _oscola_dataset(c: Citation) -> str:
    what = f"'{c.record.short_title}: {c.topic_label}'" if c.topic else f"'{c.record.short_title}'"
    edition = f"dataset version {c.version}, data as of {long_date(c.data_as_of)}"
    return f"{DATASET_AUTHOR}, {what} in {DATASET_TITLE} ({edition}) record {c.record.id}"


def _bluebook_dataset(c: Citation) -> str:
    what = f"{c.record.short_title}: {c.topic_label}" if c.topic else c.record.short_title
    return f"{DATASET_TITLE}, {what} (record {c.record.id}, version {c.version}, data as of {bluebook_date(c.data_as_of)})"


# --- OSCOLA ------------------------------------------------------------------------------------


def oscola(c: Citation) -> str:
    """The OSCOLA citation of the instrument (with its pinpoints), then the dataset it was read in."""
    return f"{oscola_instrument(c)}; {_oscola_dataset(c)}."


def oscola_instrument(c: Citation) -> str:
    """The OSCOLA citation of the instrument alone, with its pinpoints (the brief's annex, which cites
    the dataset once)."""
    record, r = c.record, c.reporters
    pins = pinpoints(c.pinpoints, bluebook=False)
    if record.kind == Kind.treaty:
        dates = []
        for label, kinds in (
            ("adopted", ("adopted",)),
            ("opened for signature", ("opened-for-signature",)),
            ("entered into force", ("entered-into-force",)),
        ):
            if (date := c.event(*kinds)) is not None:
                dates.append(f"{label} {long_date(date)}")
        reporter = f" {r.unts[0]} UNTS {r.unts[1]}" if r.unts else ""
        text = f"{record.title} ({', '.join(dates)}){reporter} ({c.short_name})"
        text += f" {pins}" if pins else ""
    elif record.kind == Kind.executive_order and r.eo_number:
        date = c.event("signed", "adopted")
        text = f"Executive Order {r.eo_number}"
        name = record.title.split(": ", 1)[1] if ": " in record.title else None
        text += f" of {long_date(date)}" if date else ""
        text += f", '{name}'" if name else ""
        if r.fr:
            year = (c.event("published") or date or "")[:4]
            text += f" ({year}) {r.fr[0]} FR {_pages(r.fr[1], r.fr[2], bluebook=False)}"
        text += f", {pins}" if pins else ""
    elif record.kind == Kind.statute and r.public_law:
        year = (c.event("enacted") or "")[:4]
        text = f"{_title_case_statute(record)} {year}".rstrip() + f", Pub L {r.public_law}"
        if r.stat:
            text += f", {r.stat[0]} Stat {r.stat[1]}"
        if c.pinpoints:
            text += f", codified at {pins}"
        elif r.usc:
            text += (
                f", codified at {r.usc[0]} USC §§ {_pages(r.usc[1], r.usc[2], bluebook=False)}"
                if r.usc[2]
                else f", codified at {r.usc[0]} USC § {r.usc[1]}"
            )
    elif record.kind == Kind.un_resolution and r.resolution:
        date = c.event("adopted")
        text = f"UNGA Res {r.resolution} ({long_date(date)})" if date else f"UNGA Res {r.resolution}"
        text += f" '{record.title}'"
        text += f" {pins}" if pins else ""
    else:
        date = c.event("enacted", "signed", "adopted", "published", "established")
        text = record.title
        if record.kind == Kind.political_accord and date:
            text += f" (signed {long_date(date)})"
        elif record.kind != Kind.statute:
            text += f" ({record.issuer}" + (f", {long_date(date)})" if date else ")")
        elif date:
            text += f" ({long_date(date)})" if str(_parts(date)[0]) not in record.title else ""
        text += "".join(f", {other}" for other in r.other if other not in record.title)
        text += f", {pins}" if pins else ""
        if c.url and record.kind not in (Kind.statute,):
            text += f" <{c.url}>"
    return text


# --- Bluebook ----------------------------------------------------------------------------------


def bluebook(c: Citation) -> str:
    """The Bluebook citation of the instrument (with its pinpoints), then the dataset it was read in."""
    record, r = c.record, c.reporters
    pins = pinpoints(c.pinpoints, bluebook=True)
    if record.kind == Kind.treaty:
        date = c.event("opened-for-signature", "signed", "adopted")
        parts = [record.title]
        if pins:
            parts.append(pins)
        if date:
            parts.append(bluebook_date(date))
        if r.ust:
            parts.append(f"{r.ust[0]} U.S.T. {bluebook_number(r.ust[1])}")
        if r.unts:
            parts.append(f"{r.unts[0]} U.N.T.S. {bluebook_number(r.unts[1])}")
        text = ", ".join(parts)
    elif record.kind == Kind.executive_order and r.eo_number:
        text = f"Exec. Order No. {bluebook_number(r.eo_number)}"
        text += f", {pins}" if pins else ""
        if r.fr:
            text += f", {r.fr[0]} Fed. Reg. {bluebook_number(r.fr[1])}"
        date = c.event("published", "signed")
        text += f" ({bluebook_date(date)})" if date else ""
    elif record.kind == Kind.statute and r.public_law:
        year = (c.event("enacted") or "")[:4]
        text = f"{_title_case_statute(record)}, Pub. L. No. {r.public_law}"
        if r.stat:
            text += f", {r.stat[0]} Stat. {r.stat[1]}"
            if r.stat[2]:
                first, _, last = r.stat[2].partition("-")
                text += f", {first}" + (f"–{last[-2:]}" if last else "")
        text += f" ({year})" if year else ""
        if c.pinpoints:
            text += f" (codified at {pins})"
        elif r.usc:
            text += (
                f" (codified at {r.usc[0]} U.S.C. §§ {r.usc[1]}–{r.usc[2]})"
                if r.usc[2]
                else f" (codified at {r.usc[0]} U.S.C. § {r.usc[1]})"
            )
    elif record.kind == Kind.un_resolution and r.resolution:
        date = c.event("adopted")
        text = f"G.A. Res. {r.resolution}" + (f", {pins}" if pins else "") + (f" ({bluebook_date(date)})" if date else "")
    else:
        date = c.event("enacted", "signed", "adopted", "published", "established")
        text = record.title + (f", {pins}" if pins else "")
        text += "".join(f", {other}" for other in r.other if other not in record.title)
        place = _BLUEBOOK_PLACES.get(record.jurisdiction)
        if record.kind == Kind.statute and place:
            text += f" ({place})"
        elif date:
            text += f", {bluebook_date(date)}"
        if c.url and record.kind != Kind.statute:
            text += f", {c.url}"
    return f"{text}; {_bluebook_dataset(c)}."


# --- BibTeX and CSL-JSON -----------------------------------------------------------------------

_CSL_TYPES = {
    Kind.treaty: "treaty",
    Kind.statute: "legislation",
    Kind.executive_order: "legislation",
    Kind.un_resolution: "document",
}


def csl_items(c: Citation) -> list[dict]:
    """Two CSL-JSON items: the instrument (with the pinpoints as `section`) and the dataset record."""
    record, r = c.record, c.reporters
    item: dict = {
        "id": record.id,
        "type": _CSL_TYPES.get(record.kind, "document"),
        "title": record.title,
        "title-short": c.short_name,
        "authority": record.issuer,
        "jurisdiction": record.jurisdiction,
    }
    date = c.event("opened-for-signature", "signed", "adopted", "enacted", "published", "established", "statement")
    if record.kind not in _CSL_TYPES:  # not a treaty nor legislation: say what it is (the Accords are a political commitment)
        item["genre"] = record.kind.value.replace("-", " ")
    if date:
        item["issued"] = {"date-parts": [_parts(date)]}
    if r.unts:
        item.update({"container-title": "United Nations Treaty Series", "volume": r.unts[0], "page": r.unts[1]})
    elif r.fr:
        item.update({"container-title": "Federal Register", "volume": r.fr[0], "page": _pages(r.fr[1], r.fr[2], bluebook=False)})
        item["number"] = f"Executive Order {r.eo_number}" if r.eo_number else item.get("number", "")
    elif r.stat:
        item.update({"container-title": "United States Statutes at Large", "volume": r.stat[0], "page": r.stat[1]})
        item["number"] = f"Pub. L. {r.public_law}" if r.public_law else ""
    elif r.resolution:
        item["number"] = f"UNGA res. {r.resolution}"
    elif r.other:
        item["number"] = r.other[0]
    if not item.get("number"):
        item.pop("number", None)
    if c.pinpoints:
        item["section"] = "; ".join(c.pinpoints)
    if c.url:
        item["URL"] = c.url
    dataset: dict = {
        "id": f"space-frameworks-{c.version}-{c.key}",
        "type": "dataset",
        "title": f"{record.short_title}: {c.topic_label}" if c.topic else record.short_title,
        "container-title": DATASET_TITLE,
        "author": [{"literal": DATASET_AUTHOR}],
        "version": c.version,
        "issued": {"date-parts": [_parts(c.data_as_of)]},
        "note": f"Record {record.id}" + (f", position on {c.topic}" if c.topic else "") + f"; data licence {DATA_LICENCE}",
    }
    return [item, dataset]


def csl_json(c: Citation) -> str:
    return json.dumps(csl_items(c), indent=2, ensure_ascii=False) + "\n"


def _bib_escape(value: str) -> str:
    """BibTeX field text: braces balanced by escaping, LaTeX specials escaped."""
    out = value.replace("\\", "\\textbackslash{}")
    for char in "{}":
        out = out.replace(char, "\\" + char)
    for char in "&%$#_":
        out = out.replace(char, "\\" + char)
    return out.replace("~", "\\textasciitilde{}").replace("^", "\\textasciicircum{}")


def bibtex(c: Citation) -> str:
    """Two BibTeX entries: the instrument (@misc, cited as in Bluebook) and the dataset (@misc with a version)."""
    items = csl_items(c)
    instrument, dataset = items
    year = str(instrument["issued"]["date-parts"][0][0]) if "issued" in instrument else None
    fields = {
        "title": "{" + _bib_escape(instrument["title"]) + "}",
        "year": year,
        "howpublished": _bib_escape(bluebook(Citation(c.record, c.reporters, (), data_as_of=c.data_as_of)).split("; ")[0]),
        "note": _bib_escape(f"Pinpoint: {instrument['section']}") if instrument.get("section") else None,
        "url": instrument.get("URL"),
    }
    entries = [_bib_entry("misc", instrument["id"], fields)]
    entries.append(
        _bib_entry(
            "misc",
            dataset["id"],
            {
                "title": "{" + _bib_escape(f"{DATASET_TITLE}: {dataset['title']}") + "}",
                "author": "{" + _bib_escape(DATASET_AUTHOR) + "}",
                "year": c.data_as_of[:4],
                "version": c.version,
                "note": _bib_escape(f"{dataset['note']}; data as of {c.data_as_of}"),
            },
        )
    )
    return "\n".join(entries)


def _bib_entry(kind: str, key: str, fields: dict[str, str | None]) -> str:
    lines = [f"@{kind}{{{key},"]
    lines += [f"  {name} = {{{value}}}," for name, value in fields.items() if value]
    return "\n".join(lines) + "\n}\n"


def render_citation(c: Citation, style: Style) -> str:
    """The citation in `style`."""
    if style == Style.oscola:
        return oscola(c) + "\n"
    if style == Style.bluebook:
        return bluebook(c) + "\n"
    if style == Style.bibtex:
        return bibtex(c)
    return csl_json(c)


def cite_this(record: Record, topic: str | None = None, topic_label: str | None = None) -> dict[str, str]:
    """The OSCOLA, Bluebook and BibTeX citations of a record (or of its position on `topic`), as the
    site's and the brief's "Cite this" show them; {} when the record takes no position on `topic`."""
    try:
        citation = make_citation(record, topic=topic, topic_label=topic_label)
    except CitationError:
        return {}
    return {"OSCOLA": oscola(citation), "Bluebook": bluebook(citation), "BibTeX": bibtex(citation)}
