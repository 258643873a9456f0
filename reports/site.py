"""`frameworks site`: the whole dataset as a static, self-contained website.

Pages (each a folder with an index.html, so URLs stay stable and clean on any static host):

    index.html                     the overview grid: every framework against every topic
    frameworks/<id>/               one framework in full (what `show` prints, plus its list coverage)
    topics/<topic>/                every framework's position on one topic, with quotes
    compare/                       pick frameworks; the headline counts and the grid, computed in the
                                   browser from data/compare.js (compare.js mirrors Row.relation)
    compare/<a>--<b>/              ready-made pairs as static pages, for readers without JavaScript
    timeline/, signatories/        the dated events and the party lists with their coverage
    method/                        what the stances mean, how agreement is counted, every source
    search/                        a search over frameworks, topics, positions and quotes, in the
                                   browser, from an index built here (data/search.js)

Everything is built from the values every other renderer uses (build_comparison, timeline,
signatories): the templates only lay them out. Record text is escaped by Jinja2's autoescape (the
environment of reports/templating.py). Nothing in the output depends on the clock: the only date is the
data's (the latest `last_verified`), so the same records give the same bytes.

The folder is written whole or not at all (reports.output.write_folder_atomically): pages go to a
temporary folder beside the target, which is renamed into place once complete; a symbolic link given
as the folder stays a link, to the new build. An existing folder is replaced only if an earlier
build made it, and never when it holds the current folder (`-o .`): the shell would be left in a
deleted folder.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from .. import __version__
from ..schema.dataset import Dataset, UnknownFramework
from ..schema.dates import format_date
from ..schema.models import JOINED_KINDS, SUBSTANTIVE_STANCES, Record, Stance
from ..schema.readings import readings
from .citation import cite_this
from .comparison import HEADLINE_ORDER, NOT_YET, Cell, Comparison, build_comparison, event_words, stance_words
from .diff import Changes, changes_in_history
from .edition import DATA_LICENCE, DATA_LICENCE_URL
from .listing import Listing
from .output import real_target, write_folder_atomically
from .render import heading, subtitle
from .templating import TEMPLATES, environment
from .timeline import signatories, timeline
from .vocabulary import RELATIONS, STANCES, reading_order, stance_css

# A file at the top of every built site: only a folder holding it is ever replaced by a new build.
MARKER = ".frameworks-site"
MARKER_TEXT = "A website built by `frameworks site`; the next build replaces this whole folder.\n"
ASSETS = ("site.css", "compare.js", "search.js")
COMPARE_DATA = "data/compare.json"
# The same data as scripts that set a global: a page opened from disk (file://) may load a script
# beside it but may not fetch a JSON file, so the compare and search pages load these.
COMPARE_SCRIPT = ("data/compare.js", "FRAMEWORKS_COMPARE")
SEARCH_SCRIPT = ("data/search.js", "FRAMEWORKS_SEARCH")
COMPARE_FORMAT = "frameworks.site-compare/1"
# The pairs of the project's design card, compared on static pages (readers without JavaScript get
# these; the compare page picks any set). Ids or aliases; a pair naming an unknown record is left out.
FEATURED_PAIRS = (
    ("ost", "us-eo-2020"),
    ("ost", "artemis-accords"),
    ("ost", "moon-agreement"),
    ("ost", "russia"),
    ("us-eo-2020", "lux-2017"),
    ("artemis-accords", "russia"),
    ("artemis-accords", "ilrs"),
    ("lux-2017", "japan-2021"),
)
# What each stance and each relation means, from the one vocabulary (reports/vocabulary.py).
STANCE_MEANINGS = tuple((s.stance, s.meaning) for s in STANCES if s.stance != NOT_YET)
RELATION_MEANINGS = tuple((r.id, r.meaning) for r in RELATIONS)


class SiteError(Exception):
    """A mistake the user can fix (an output folder that cannot or must not be replaced)."""


@dataclass(frozen=True)
class SiteResult:
    """What a build wrote: the folder, its pages (HTML files) and all its files."""

    output: Path
    pages: int
    files: int


def ordered_ids(dataset: Dataset) -> list[str]:
    """Record ids in the one reading order (vocabulary.reading_order), as compare --all and the pack list them."""
    return [r.id for r in reading_order(dataset.records.values())]


def featured_pairs(dataset: Dataset) -> list[tuple[str, str]]:
    """The design card's pairs that name records in use (resolved ids), each once; with none of
    them in use (another folder of records), the first two frameworks."""
    pairs: list[tuple[str, str]] = []
    for first, second in FEATURED_PAIRS:
        try:
            pair = (dataset.resolve(first).id, dataset.resolve(second).id)
        except UnknownFramework:
            continue
        if pair[0] != pair[1] and pair not in pairs:
            pairs.append(pair)
    ids = ordered_ids(dataset)
    if not pairs and len(ids) >= 2:
        pairs.append((ids[0], ids[1]))
    return pairs


def pair_path(pair: tuple[str, str]) -> str:
    """'compare/ost--us-eo-2020/': ids never hold two dashes in a row, so '--' separates them."""
    return f"compare/{pair[0]}--{pair[1]}/"


def as_of(dataset: Dataset) -> str:
    """The data's date: the latest day any record was verified against its sources."""
    return max((r.last_verified for r in dataset.records.values()), default="")


def text_statuses(dataset: Dataset, ids: list[str]) -> list[tuple[str, str, str]]:
    """(text id, instrument, status) of each official text the records quote: its `# licence:` header line."""
    from ..schema.texts import read_source_text

    text_ids = sorted({t for i in ids for t in [dataset.records[i].text, *(p.text for p in dataset.records[i].provisions)] if t})
    rows = []
    for text_id in text_ids:
        try:
            header = read_source_text(dataset.seeds, text_id).header
        except (OSError, UnicodeDecodeError):
            continue
        rows.append((text_id, header.get("instrument", text_id), header.get("licence", "status not recorded")))
    return rows


def has_list(record: Record, listing: Listing) -> bool:
    """Whether a framework's page shows a parties/signatories section (instruments States join,
    or any record holding a list or its coverage)."""
    return record.kind in JOINED_KINDS or record.participation is not None or bool(listing.rows)


RUBRIC = Path(__file__).resolve().parent.parent / "docs" / "rubric.md"


def rubric_html() -> Markup:
    """docs/rubric.md, the stance rubric, as HTML for the method page (its headings one level down).
    Markdown's own HTML is off: the file is text, like a record."""
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark", {"html": False}).enable("table").render(RUBRIC.read_text(encoding="utf-8"))
    for level in (3, 2, 1):
        html = html.replace(f"<h{level}>", f"<h{level + 1}>").replace(f"</h{level}>", f"</h{level + 1}>")
    return Markup(html)


def compare_data(dataset: Dataset, overview: Comparison) -> dict[str, Any]:
    """What compare.js needs: the topics, the frameworks, and each framework's cell per topic
    (stance, gist, pinpoints), straight from the overview Comparison."""
    return {
        "format": COMPARE_FORMAT,
        "as_of": as_of(dataset),
        # What comparison.relation_of reads: the stances it compares (the substantive ones and
        # silent), those that grant, and denial; the browser test checks that compare.js counts
        # exactly as the tool does. The relations' words come from reports/vocabulary.py.
        "comparable": sorted({s.value for s in SUBSTANTIVE_STANCES} | {Stance.silent.value}),
        "grants": [Stance.affirms.value, Stance.conditional.value],
        "denies": Stance.denies.value,
        "silent": Stance.silent.value,
        "order": list(HEADLINE_ORDER),
        "relations": {r.id: {"words": r.words, "words_two": r.words_two or r.words, "difference": r.difference} for r in RELATIONS},
        "words": {stance: stance_words(stance) for stance in sorted({c.stance for r in overview.rows for c in r.cells})},
        "topics": [{"id": row.topic, "label": row.label} for row in overview.rows],
        # Aliases (lower case) to ids, so that an address such as #eo-13914 picks its record.
        "aliases": {alias.lower(): column.id for column in overview.columns for alias in dataset.records[column.id].aliases},
        "frameworks": [
            {
                "id": column.id,
                "short_title": column.short_title,
                "status": column.status,
                # The gist, or the summary where a record gives no gist yet.
                "cells": [
                    [row.cells[i].stance, row.cells[i].gist or row.cells[i].summary, "; ".join(row.cells[i].pinpoints)]
                    for row in overview.rows
                ],
            }
            for i, column in enumerate(overview.columns)
        ],
    }


def script_setting(name: str, data_json: str) -> bytes:
    """A script that sets window.NAME to the JSON `data_json`. JSON is JavaScript; '<' is escaped so
    that no record text can ever read as a closing tag, should the script be inlined one day."""
    return f"window.{name} = {data_json.replace('<', chr(92) + 'u003c')};\n".encode()


def search_index(dataset: Dataset, overview: Comparison) -> list[list[str]]:
    """What the search page searches, built once here: [kind, title, text, link] for every framework,
    topic, position (summary and gist) and quote; links are relative to the site's root."""
    entries: list[list[str]] = []
    for index, column in enumerate(overview.columns):
        record = dataset.records[column.id]
        also = f" (also {', '.join(record.aliases)})" if record.aliases else ""
        entries.append(["framework", column.short_title, f"{record.title}{also}. {record.summary}", f"frameworks/{column.id}/"])
        quoted: set[str] = set()
        for row in overview.rows:
            cell = row.cells[index]
            link = f"frameworks/{column.id}/#{row.topic}"
            words = stance_words(cell.stance)
            said = " ".join(filter(None, [cell.gist, cell.summary]))
            entries.append(["position", f"{column.short_title}: {row.label} ({words})", said, link])
            for quote in cell.quotes:
                if quote.ref not in quoted:
                    quoted.add(quote.ref)
                    entries.append(["quote", f"{column.short_title}, {quote.label}", quote.text, link])
    for row in overview.rows:
        entries.append(["topic", row.label, row.question, f"topics/{row.topic}/"])
    return entries


@cache
def badge(stance: str) -> Markup:
    """A stance as a badge: the reader's word in a box coloured by stance (never colour alone)."""
    return Markup(f'<span class="stance s-{escape(stance.replace(" ", "-"))}">{escape(stance_words(stance))}</span>')


@cache
def site_environment() -> Any:
    """reports/templating.py's environment (autoescape on) with the site's `badge` filter."""
    env = environment().overlay()
    env.filters["badge"] = badge
    return env


def position_history(record: Record) -> dict[str, list[tuple[str, str, str, str]]]:
    """For each topic whose position moved: (from, until, stance, gist or summary) of each reading, oldest first."""
    moved = {}
    for position in record.positions:
        dated = readings(position)
        if len(dated) > 1:
            moved[position.topic] = [
                (
                    format_date(r.start) if r.start else "the outset",
                    "" if r.current else format_date(r.end) if r.end else "",
                    r.stance,
                    r.gist or r.summary,
                )
                for r in dated
            ]
    return moved


def site_files(dataset: Dataset, day: dt.date | None = None, changes: Changes | None = None) -> Iterator[tuple[str, bytes]]:
    """Every file of the site as (relative path, bytes), page by page, so a build can stream. With
    `day`, the site shows the readings in force on that date (pass a dataset from dataset_as_of);
    `changes` fills the "what changed" page (default: the records' history over the year before the data's date)."""
    env = site_environment()
    ids = ordered_ids(dataset)
    overview = build_comparison(dataset, ids, as_of=day)
    names = {c.id: c.short_title for c in overview.columns}
    pairs = featured_pairs(dataset)
    common = {
        "as_of": day.isoformat() if day else as_of(dataset),
        "version": __version__,
        "names": names,
        "licence": (DATA_LICENCE, DATA_LICENCE_URL),
    }
    lists = {i: signatories(dataset.records[i]) for i in ids}
    macros = env.get_template("site/macros.html.j2").module
    bodies: dict[tuple[str, str, str], Any] = {}

    def body(cell: Cell, root: str) -> Any:
        # A position is shown on its framework's page, its topic's page and in pairs: laid out once.
        key = (cell.framework, cell.topic, root)
        if key not in bodies:
            bodies[key] = macros.cell_body(cell, root)
        return bodies[key]

    def page(path: str, template: str, **context: Any) -> tuple[str, bytes]:
        depth = path.count("/")
        html = env.get_template(f"site/{template}").render(root="../" * depth, path=path, body=body, **common, **context)
        return path, html.encode("utf-8")

    yield page(
        "index.html",
        "index.html.j2",
        c=overview,
        stance_meanings=STANCE_MEANINGS,
        relation_meanings=RELATION_MEANINGS,
        pairs=pairs,
        topics=dataset.topics,
    )
    for index, record_id in enumerate(ids):
        record = dataset.records[record_id]
        listing = lists[record_id]
        yield page(
            f"frameworks/{record_id}/index.html",
            "framework.html.j2",
            r=record,
            positions=[(row, row.cells[index]) for row in overview.rows],
            column=overview.columns[index],
            events=[(format_date(e.date), event_words(e.event), e) for e in record.status],
            history=position_history(record),
            listing=listing if has_list(record, listing) else None,
            pairs=[p for p in pairs if record_id in p],
            previous=ids[index - 1] if index else None,
            next=ids[index + 1] if index + 1 < len(ids) else None,
            cite=cite_this(record),
        )
    for row in overview.rows:
        cites = [(cell.framework, cite_this(dataset.records[cell.framework], row.topic, row.label)) for cell in row.cells]
        yield page(f"topics/{row.topic}/index.html", "topic.html.j2", row=row, columns=overview.columns, c=overview, cites=cites)
    yield page("compare/index.html", "compare.html.j2", c=overview, pairs=pairs)
    for pair in pairs:
        comparison = build_comparison(dataset, list(pair), as_of=day)
        yield page(f"{pair_path(pair)}index.html", "pair.html.j2", c=comparison, title=heading(comparison), subtitle=subtitle(comparison))
    yield page("timeline/index.html", "timeline.html.j2", listing=timeline([dataset.records[i] for i in ids], day))
    if changes is None:
        until = day or dt.date.fromisoformat(as_of(dataset) or dt.date.today().isoformat())
        changes = changes_in_history((dataset.records[i] for i in ids), until - dt.timedelta(days=365), day)
    yield page("changes/index.html", "changes.html.j2", changes=changes)
    yield page(
        "signatories/index.html",
        "signatories.html.j2",
        lists=[(dataset.records[i], lists[i]) for i in ids if has_list(dataset.records[i], lists[i])],
    )
    yield page(
        "method/index.html",
        "method.html.j2",
        records=[dataset.records[i] for i in ids],
        articles=list(dataset.articles.values()),
        stance_meanings=STANCE_MEANINGS,
        relation_meanings=RELATION_MEANINGS,
        not_yet=NOT_YET,
        text_statuses=text_statuses(dataset, ids),
        rubric=rubric_html(),
    )
    yield page("search/index.html", "search.html.j2")
    yield page("404.html", "404.html.j2")
    data = json.dumps(compare_data(dataset, overview), ensure_ascii=False, separators=(",", ":"))
    yield COMPARE_DATA, (data + "\n").encode("utf-8")
    yield COMPARE_SCRIPT[0], script_setting(COMPARE_SCRIPT[1], data)
    index = json.dumps(search_index(dataset, overview), ensure_ascii=False, separators=(",", ":"))
    yield SEARCH_SCRIPT[0], script_setting(SEARCH_SCRIPT[1], index)
    for name in ASSETS:
        yield f"assets/{name}", (TEMPLATES / "site" / name).read_bytes()
    yield "assets/stances.css", (stance_css() + "\n").encode("utf-8")
    yield MARKER, MARKER_TEXT.encode("utf-8")


def check_output(output: Path) -> None:
    """Refuse (SiteError) a target that is a file, lies in a missing folder, holds the current
    folder, or is a folder that holds anything but an earlier build: a build replaces the whole
    folder. A symbolic link is judged by the folder it names."""
    target = real_target(output)
    if target.exists() and not target.is_dir():
        raise SiteError(f"cannot write the site to {output}: it is a file")
    if not target.parent.is_dir():
        raise SiteError(f"cannot write the site to {output}: no such folder {target.parent}")
    try:
        here = Path.cwd().resolve()
    except OSError:  # the current folder was removed: nothing to protect
        here = None
    if here is not None and (here == target or target in here.parents):
        raise SiteError(
            f"cannot write the site to {output}: it holds the current folder, and a build replaces its folder whole; "
            "give another, e.g. -o site"
        )
    if target.is_dir() and any(target.iterdir()) and not (target / MARKER).is_file():
        raise SiteError(f"{output} is a folder that a site build did not make; give a new or empty folder (the build replaces it whole)")


def write_site(dataset: Dataset, output: Path, day: dt.date | None = None, changes: Changes | None = None) -> SiteResult:
    """Build the site and put it in place of `output` (reports.output.write_folder_atomically).
    On any failure nothing is left behind and an earlier site at `output` is untouched."""
    check_output(output)
    written = {"pages": 0, "files": 0}

    def counted() -> Iterator[tuple[str, bytes]]:
        for relative, data in site_files(dataset, day, changes):
            written["files"] += 1
            written["pages"] += relative.endswith(".html")
            yield relative, data

    write_folder_atomically(output, counted())
    return SiteResult(output=output, pages=written["pages"], files=written["files"])
