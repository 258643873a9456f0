"""PDF briefs and briefing packs: the Comparison as HTML (Jinja2, autoescape) laid out by WeasyPrint.

A *brief* compares the chosen frameworks in a few pages: page 1 gives the headline counts and the key
differences, then a one-page matrix (a stance badge and a one-line gist per cell), then a compact
annex of what each cell rests on (pinpoints, short quotes) and the sources. The *full* edition
(`brief --full`) adds one section per topic with every verbatim quote, and a timeline. A *pack*
opens with a one-page overview grid of every framework against every topic, then one chapter per
framework. The records' YAML files are attached to every PDF.

Every PDF is tagged PDF/UA-1 (headings, tables with header cells, described links, document title
and language), so screen readers can navigate it.

Safety: record text is written by contributors, so it is data, never markup. The templates escape it
(autoescape), and WeasyPrint gets a URL fetcher that serves only this package's bundled assets (the
stylesheet and the fonts) and refuses every other URL (file:, http(s):, data: ...). Nothing here
reads the records' files: the caller passes their bytes in.

The layout itself (WeasyPrint and the asset-only URL fetcher) is reports/typeset.py; importing this
module is cheap.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from .. import __version__
from ..schema.dataset import Dataset, UnknownTopic
from ..schema.dates import JOINING, LEAVING, SIGNING, format_date, last_day
from ..schema.models import GIST_MAX, Article, Record, Source
from .comparison import (
    AGREE,
    ALL_SILENT,
    DEGREE,
    NOT_COMPARABLE,
    ONE_SILENT,
    OPPOSED,
    Cell,
    Column,
    Comparison,
    Row,
    build_comparison,
    stance_words,
)
from .diff import Changes
from .edition import DATA_VERSION
from .listing import Listing
from .parts import typeset_in_parts
from .templating import environment
from .timeline import timeline
from .typeset import PAGE_OF, PAGES_MARK, AttachedFile, PdfJob, RenderedPdf, typeset
from .vocabulary import STANCES, reading_order

# Beyond this many frameworks the matrix columns get too narrow to read on a landscape A4 page
# (~45 mm each at 7.5 pt), so the matrix is split into groups of columns, each on its own page(s).
MATRIX_COLUMNS = 5
# The brief's annex (what each cell rests on) is portrait: three frameworks side by side at most.
BASIS_COLUMNS = 3
# A matrix of at most this many topics (and at most three frameworks) is short: it follows page 1 in
# portrait rather than taking a landscape page of its own, which it would leave mostly empty.
INLINE_MATRIX_ROWS = 6
KEY_RULE = (
    "Chosen from the topics where the frameworks differ: first where one grants or affirms and another denies (opposed), "
    "then where they differ in degree, then where one side is silent; within each, in the order of the topic list."
)
QUOTE_MAX = 100  # characters of a quote in the brief's annex; the full edition and the YAML hold all words
# The order in which page 1 picks key differences: opposed first, then in degree, then one side silent.
_KEY_ORDER = (OPPOSED, DEGREE, ONE_SILENT)
# The pack's order of kinds: treaties first, then other instruments States join or adopt together,
# then national law and positions, then soft law and processes (within a kind: by earliest date).
# Abbreviations after which a full stop does not end a sentence (for the gist fallback).
_ABBREVIATIONS = {"art", "arts", "sec", "secs", "para", "paras", "no", "nos", "cf", "e.g", "i.e", "incl", "approx", "st", "v", "vs"}
# CJK radicals to ideographs, and half/full-width forms: the ranges brief-cjk.otf covers.
_CJK = re.compile("[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]")
_STYLESHEET = '<link rel="stylesheet" href="asset:brief.css">'
# The acts of States whose sources the annex groups (as reports.timeline does).
_ACTS = {SIGNING, LEAVING, *JOINING}


class BriefError(Exception):
    """A mistake the user can fix (unknown topic, bad SOURCE_DATE_EPOCH): a one-line message."""


@dataclass(frozen=True)
class SourceFile:
    """A record's YAML file as the caller read it, to attach to the PDF."""

    framework: str
    name: str
    data: bytes

    @property
    def sha256(self) -> str:
        """Hex digest, printed in the annex so a reader can check the attachment."""
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class Brief:
    """Everything a PDF shows, prepared once; the templates only lay it out."""

    comparison: Comparison
    records: tuple[Record, ...]  # in column order: chapters, sources annex
    timeline: Listing
    articles: tuple[Article, ...]  # the press reports the quotes cite
    sources: tuple[SourceFile, ...]  # attached to the PDF
    pack: bool
    generated: dt.datetime  # UTC; from SOURCE_DATE_EPOCH when set
    full: bool = False  # the detailed edition: topic sections with every quote, and a timeline
    changes: Changes | None = None  # --since: what changed since a date or an earlier edition

    @property
    def edition(self) -> str:
        """'pack', 'full' or 'brief': which parts the template lays out."""
        return "pack" if self.pack else "full" if self.full else "brief"

    @property
    def data_as_of(self) -> str:
        """The date the data speaks for: the --as-of date, else the latest verification of the records."""
        if self.comparison.as_of:
            return self.comparison.as_of
        return max((r.last_verified for r in self.records), default="")

    @property
    def title(self) -> str:
        """The cover title, also the PDF title and the running header."""
        if self.pack:
            return "Space resources law: briefing pack"
        names = [c.short_title for c in self.comparison.columns]
        if len(names) <= 3:
            return " vs ".join(names)
        return f"{len(names)} space-resources frameworks compared"

    @property
    def summary_line(self) -> str:
        """'2 frameworks compared on 15 topics: differ on 9 · agree on 1 · both silent on 3 · not comparable on 2.'"""
        c = self.comparison
        count, topics = len(c.columns), len(c.rows)
        compared = "compared " if count > 1 else ""
        line = f"{count} framework{'s' if count != 1 else ''} {compared}on {topics} topic{'s' if topics != 1 else ''}"
        if count < 2:
            return line + "."
        return f"{line}: {c.agreement().rpartition(' (of ')[0]}."

    @property
    def subject(self) -> str:
        """The PDF subject: what is compared, on how many topics, as of when."""
        names = ", ".join(c.short_title for c in self.comparison.columns)
        topics = len(self.comparison.rows)
        when = f" as of {format_date(self.comparison.as_of)}" if self.comparison.as_of else ""
        return f"Legal frameworks for space resources compared on {topics} topic{'s' if topics != 1 else ''}{when}: {names}"

    @property
    def keywords(self) -> tuple[str, ...]:
        """PDF keywords: the field, the frameworks (titles and ids) and the topics."""
        words = ["space resources", "space law"]
        words += [c.short_title for c in self.comparison.columns] + [c.id for c in self.comparison.columns]
        words += [row.label for row in self.comparison.rows]
        # Commas separate keywords in the PDF; a title holding one would split in two.
        return tuple(dict.fromkeys(w.replace(",", " ") for w in words))

    @property
    def citations(self) -> dict[str, str]:
        """The OSCOLA citation of each record's instrument, as `frameworks cite ID --style oscola`
        begins (sources annex; the dataset is cited once, in the annex's lede)."""
        from .citation import make_citation, oscola_instrument

        return {r.id: oscola_instrument(make_citation(r)) for r in self.records}

    @property
    def dataset_citation(self) -> str:
        """The dataset as the annex cites it, once (OSCOLA), with this printing's data version."""
        from .citation import DATASET_AUTHOR, DATASET_TITLE

        return f"{DATASET_AUTHOR}, {DATASET_TITLE} (data version {self.data_version})"

    @property
    def data_version(self) -> str:
        """'0.1.0 · 2026-11-24 · 3f2a9c1b': the dataset release (reports.edition), the latest verification
        date of the records shown and the start of the SHA-256 of their attached files, so a reader can
        tell two printings of different data apart."""
        return data_version(self.records, self.sources)


def _article_of(records: tuple[Record, ...], cell: Cell, source_id: str) -> bool:
    """Whether `source_id`, cited by `cell`, is a press report of seeds/articles.yaml."""
    record = next(r for r in records if r.id == cell.framework)
    return any(s.id == source_id and s.article for s in record.sources)


def data_version(records: tuple[Record, ...] | list[Record], sources: tuple[SourceFile, ...] | list[SourceFile]) -> str:
    """The release, the latest last_verified of `records` and a short hash of the record files' bytes."""
    digest = hashlib.sha256()
    for source in sorted(sources, key=lambda s: s.name):
        digest.update(source.name.encode() + b"\0" + source.sha256.encode() + b"\n")
    latest = max((r.last_verified for r in records), default="")
    return f"{DATA_VERSION} · {latest} · {digest.hexdigest()[:8]}"


def generation_time(environ: Mapping[str, str] = os.environ) -> dt.datetime:
    """Now (UTC, whole seconds), or SOURCE_DATE_EPOCH when set, so that builds can be reproduced."""
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return dt.datetime.now(dt.UTC).replace(microsecond=0)
    try:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    except (ValueError, OverflowError, OSError):
        raise BriefError(f"SOURCE_DATE_EPOCH={epoch!r}: give a number of seconds since 1970-01-01") from None


def build_brief(
    dataset: Dataset,
    ids: list[str],
    *,
    sources: Mapping[str, bytes],
    topics: list[str] | None = None,
    as_of: dt.date | None = None,
    pack: bool = False,
    full: bool = False,
    generated: dt.datetime | None = None,
    changes: Changes | None = None,
) -> Brief:
    """Prepare the brief (with `full`, the detailed edition; with `pack`, the briefing pack) of
    frameworks `ids` (resolved ids). The pack orders them in the one reading order (vocabulary.reading_order).

    `sources` maps each id to the bytes of its record file, read by the caller, to attach.
    """
    try:
        wanted = dataset.topic_ids(topics)
    except UnknownTopic as exc:
        raise BriefError(str(exc)) from None
    if pack:
        ids = [r.id for r in reading_order([dataset.records[i] for i in ids])]
    comparison = build_comparison(dataset, ids, topics=wanted, as_of=as_of)
    records = tuple(dataset.records[i] for i in ids)
    cited = {q.ref.partition("/")[0] for row in comparison.rows for cell in row.cells for q in cell.quotes if "/" in q.ref}
    if pack or full:
        cited |= {s.article for r in records for s in r.sources if s.article}
    else:  # the brief lists what its cells rest on
        reports = {(r.id, s.id): s.article for r in records for s in r.sources if s.article}
        cells = [cell for row in comparison.rows for cell in row.cells]
        cited |= {reports[cell.framework, s.id] for cell in cells for s in cell.sources if (cell.framework, s.id) in reports}
    articles = tuple(a for a in dataset.articles.values() if a.id in cited)
    files = tuple(SourceFile(i, dataset.files[i].name if i in dataset.files else f"{i}.yaml", sources[i]) for i in ids if i in sources)
    return Brief(
        comparison=comparison,
        records=records,
        timeline=timeline(list(records), as_of),
        articles=articles,
        sources=files,
        pack=pack,
        full=full and not pack,
        generated=generated or generation_time(),
        changes=changes,
    )


@dataclass(frozen=True)
class ActSources:
    """The sources of one kind of act of States on a framework (every signature, say), as one line."""

    act: str  # 'signed', 'ratified', 'acceded', 'withdrew'
    states: int
    sources: tuple[Source, ...]

    @property
    def publishers(self) -> str:
        """'NASA, U.S. Department of State, Reuters and 12 others'."""
        names = list(dict.fromkeys(s.publisher for s in self.sources))
        shown = ", ".join(names[:3])
        return shown + (f" and {len(names) - 3} other{'s' if len(names) > 4 else ''}" if len(names) > 3 else "")


@dataclass(frozen=True)
class SourceList:
    """A framework's sources as the annex lists them: one line each for those the document's
    content rests on; one line per kind of act of States for the sources that only date those acts
    (a signatory list's dozens of press releases), listed in small type in the full edition and
    the pack; and how many more the attached record holds."""

    record: Record
    listed: tuple[Source, ...]
    acts: tuple[ActSources, ...]
    small: tuple[Source, ...]
    press: int  # press reports the brief's cells rest on, listed under the press reports
    in_record_only: int


def source_list(record: Record, cells: list[Cell], edition: str) -> SourceList:
    """The annex's sources of `record` for `edition` ('brief', 'full', 'pack'); `cells` are the
    record's cells in the document. The brief lists what its cells cite and the official texts the
    record was verified against (press reports once, under the press reports); the full edition and
    the pack list every source."""
    by_id = {s.id: s for s in record.sources}
    party_acts = [e for e in record.status if e.party and e.event.value in _ACTS]
    act_only = {sid for e in party_acts for sid in e.sources}
    for e in record.status:
        if e not in party_acts:
            act_only -= set(e.sources)
    act_only -= {sid for p in record.positions for sid in p.sources}
    act_only -= {c.source for c in record.corrections} | {sid for c in record.corrections for sid in c.evidence}
    if record.participation is not None and record.participation.source:
        act_only.discard(record.participation.source)
    press = 0
    if edition == "brief":
        # What the brief's cells rest on, and the official texts the record was last verified
        # against; a press report is listed once, under the press reports.
        texts = {sid for sid in record.verified_against if sid in by_id and by_id[sid].kind.value == "official-text"}
        wanted = ({s.id for cell in cells for s in cell.sources} | texts) - act_only
        press = sum(1 for sid in wanted if by_id[sid].article)
        wanted = {sid for sid in wanted if not by_id[sid].article}
    else:
        wanted = set(by_id) - act_only
    acts = []
    for act in dict.fromkeys(e.event.value for e in party_acts):
        events = [e for e in party_acts if e.event.value == act]
        cited = tuple(by_id[sid] for sid in dict.fromkeys(sid for e in events for sid in e.sources) if sid in act_only)
        if cited:
            acts.append(ActSources("withdrew" if act == "withdrawal-effective" else act, len({e.party for e in events}), cited))
    listed = tuple(s for s in record.sources if s.id in wanted)
    small = tuple(s for s in record.sources if s.id in act_only) if edition != "brief" else ()
    grouped = sum(1 for s in record.sources if s.id in act_only)
    return SourceList(record, listed, tuple(acts), small, press, in_record_only=len(record.sources) - len(listed) - grouped - press)


@dataclass(frozen=True)
class TimelineEntry:
    """One row of the PDF timeline: an event, or the same act of several parties on one day."""

    date: str
    framework: str
    event: str
    parties: tuple[str, ...]
    description: str


def timeline_entries(listing: Listing) -> list[TimelineEntry]:
    """The timeline's rows, with the same act of several parties on the same day merged into one row
    (the eight founding signatures of the Artemis Accords take one row, not eight near-identical ones).
    A merged row keeps the description only when every party's is the same."""
    entries: list[TimelineEntry] = []
    descriptions: list[set[str]] = []
    for date, framework, event, party, description in listing.rows:
        last = entries[-1] if entries else None
        if party and last and last.parties and (last.date, last.framework, last.event) == (date, framework, event):
            entries[-1] = TimelineEntry(date, framework, event, (*last.parties, party), last.description)
            descriptions[-1].add(description)
            continue
        entries.append(TimelineEntry(date, framework, event, (party,) if party else (), description))
        descriptions.append({description})
    return [
        e if len(d) == 1 else TimelineEntry(e.date, e.framework, e.event, e.parties, "") for e, d in zip(entries, descriptions, strict=True)
    ]


def column_groups(columns: tuple[Column, ...], per_page: int = MATRIX_COLUMNS) -> list[list[int]]:
    """Indexes of the matrix columns, split into as few groups as fit a page, of nearly equal size
    (7 frameworks: 4 + 3, not 5 + 2, so no page carries a lone column)."""
    count = len(columns)
    if count == 0:
        return []
    groups = -(-count // per_page)
    size = -(-count // groups)
    return [list(range(start, min(start + size, count))) for start in range(0, count, size)]


def clip(text: str, limit: int, mark: str = "…") -> str:
    """`text` if it fits in `limit` characters, else cut on a word boundary with `mark` appended
    (the mark included in the limit)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - len(mark) + 1].rsplit(" ", 1)[0].rstrip(" ,;:–—(")
    return cut + mark


def first_sentence(text: str) -> str:
    """The first sentence of `text`: up to a full stop (or ! ?) followed by a space and a capital,
    not after an abbreviation such as 'Art.' or 'Sec.' or a single letter ('U.S.')."""
    for match in re.finditer(r"[.!?](?=\s+[A-Z“\"(])", text):
        word = re.split(r"[\s(]", text[: match.start()])[-1]
        if word.lower() in _ABBREVIATIONS or len(word.rstrip(".")) <= 1 or re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", word):
            continue
        return text[: match.end()]
    return text


def gist_of(cell: Cell) -> str:
    """The cell in one line: the record's `gist`, else the summary's first sentence clipped to
    GIST_MAX characters on a word boundary (with '…' when cut)."""
    if cell.gist:
        return cell.gist
    return clip(first_sentence(cell.summary), GIST_MAX)


def short_quote(text: str) -> str:
    """A quote for the brief's annex: the words as they are, cut after QUOTE_MAX characters on a
    word boundary and marked ' […]' (the full edition and the attached YAML hold every word)."""
    return clip(text, QUOTE_MAX, " […]")


def key_difference_limit(columns: int) -> int:
    """How many key differences page 1 shows: 5 for two frameworks, 4 for three, 3 for more
    (each difference shows one line per framework, and page 1 must stay one page)."""
    return 5 if columns <= 2 else 4 if columns == 3 else 3


def difference_rank(row: Row) -> int:
    """0 when opposed, 1 when the stances differ in degree, 2 when one side is silent (3 otherwise)."""
    return _KEY_ORDER.index(row.relation) if row.relation in _KEY_ORDER else len(_KEY_ORDER)


def key_differences(comparison: Comparison, limit: int | None = None) -> list[Row]:
    """The rows page 1 calls key differences: opposed first, then differ in degree, then one side
    silent (`difference_rank`), each in the order of the topic vocabulary; at most `limit`
    (default `key_difference_limit`)."""
    limit = key_difference_limit(len(comparison.columns)) if limit is None else limit
    order = {row.topic: i for i, row in enumerate(comparison.rows)}
    differing = [row for row in comparison.rows if row.relation in _KEY_ORDER]
    return sorted(differing, key=lambda row: (difference_rank(row), order[row.topic]))[:limit]


def headline(comparison: Comparison) -> list[tuple[int, str]]:
    """The headline counts as (number, words), from Comparison.headline."""
    return comparison.headline()


def _names(who: list[str]) -> str:
    return who[0] if len(who) == 1 else ", ".join(who[:-1]) + " and " + who[-1]


def verdict(row: Row, names: Mapping[str, str]) -> str:
    """The row's relation in a sentence: 'Opposed — affirms: A; denies: B.', 'A affirms; B does
    not address it.' (a silence is never worded as a departure)."""
    by_stance: dict[str, list[str]] = {}
    for cell in row.cells:
        by_stance.setdefault(stance_words(cell.stance), []).append(names[cell.framework])
    if len(row.cells) == 1:
        return ""
    parts = "; ".join(f"{stance}: {', '.join(who)}" for stance, who in by_stance.items())
    both = "both" if len(row.cells) == 2 else f"all {len(row.cells)}"
    if row.relation == AGREE:
        return f"Same stance in {both} frameworks: {parts.partition(':')[0]}."
    if row.relation == ALL_SILENT:
        return f"Silent in {both} frameworks: no agreement can be read from silence."
    if row.relation == OPPOSED:
        return "Opposed — " + parts + "."
    if row.relation == DEGREE:
        return "Differ in degree — " + parts + "."
    if row.relation == ONE_SILENT:
        silent = by_stance.pop("silent")
        spoken = "; ".join(f"{_names(who)} {stance}" for stance, who in by_stance.items() if stance != "silent")
        verb = "does" if len(silent) == 1 else "do"
        return f"{spoken}; {_names(silent)} {verb} not address it (silence is not a departure)."
    assert row.relation == NOT_COMPARABLE
    return "Not comparable — " + parts + "."


RECENT_DAYS = 365  # a position whose reading changed this recently gets a "since" line


def since_line(cell: Cell, as_of: str | None, generated: dt.datetime) -> str:
    """'Since 25 Oct 2021 (earlier: conditional)' for a position whose reading took effect within a
    year before the as-of date (or the day of printing); '' otherwise."""
    if not cell.since or cell.before is None:
        return ""
    day = dt.date.fromisoformat(as_of) if as_of else generated.date()
    if (day - last_day(cell.since)).days > RECENT_DAYS:
        return ""
    return f"Since {format_date(cell.since)} (earlier: {stance_words(cell.before)})"


def render_html(brief: Brief) -> str:
    """The brief as one HTML document (for WeasyPrint; also handy to inspect in a browser)."""
    names = {c.id: c.short_title for c in brief.comparison.columns}
    html = brief_template().render(
        b=brief,
        c=brief.comparison,
        names=names,
        groups=column_groups(brief.comparison.columns),
        basis_groups=column_groups(brief.comparison.columns, BASIS_COLUMNS),
        verdict=lambda row: verdict(row, names),
        timeline_entries=timeline_entries(brief.timeline),
        stance_meanings=[(s.stance, s.meaning) for s in STANCES],
        key_differences=key_differences(brief.comparison),
        headline=headline(brief.comparison),
        gist=gist_of,
        since=lambda cell: since_line(cell, brief.comparison.as_of, brief.generated),
        short_quote=short_quote,
        quote_max=QUOTE_MAX,
        inline_rows=INLINE_MATRIX_ROWS,
        key_rule=KEY_RULE,
        statuses={c.id: c.status for c in brief.comparison.columns},
        generated=brief.generated.strftime("%d %b %Y, %H:%M UTC").lstrip("0"),
        generated_w3c=brief.generated.strftime("%Y-%m-%dT%H:%M:%SZ"),
        version=__version__,
        source_lists=[source_list(r, [row.cells[i] for row in brief.comparison.rows], brief.edition) for i, r in enumerate(brief.records)],
        pages_mark=PAGES_MARK,
        page_of=PAGE_OF,
    )
    if _CJK.search(html):
        html = html.replace(_STYLESHEET, _STYLESHEET + '<link rel="stylesheet" href="asset:brief-cjk.css">', 1)
    return html


@cache
def brief_template() -> Any:
    """brief.html.j2, compiled once per process. Never kept on disk: Jinja2's bytecode cache holds
    marshalled code, which anyone able to write the cache folder could make us run (~0.1 s saved)."""
    return environment().get_template("brief.html.j2")


def render_pdf(brief: Brief) -> RenderedPdf:
    """Lay the brief out as a tagged PDF (reports.typeset), with the records' YAML files attached."""
    attachments = tuple(AttachedFile(name=s.name, data=s.data, description=f"Source record of {s.framework} (YAML)") for s in brief.sources)
    job = PdfJob(html=render_html(brief), attachments=attachments, generated=brief.generated)
    # The pack is long: typeset a part at a time, so that its pages are not all in memory at once.
    return typeset_in_parts(job) if brief.pack else typeset(job)
