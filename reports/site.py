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
environment of reports/html.py). Nothing in the output depends on the clock: the only date is the
data's (the latest `last_verified`), so the same records give the same bytes.

The folder is written whole or not at all: pages go to a temporary folder beside the target, which is
renamed into place once complete. An existing folder is replaced only if an earlier build made it.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from .. import __version__
from ..schema.dates import date_key, format_date
from ..schema.models import JOINED_KINDS, SUBSTANTIVE_STANCES, Kind, Record, Stance
from ..schema.records import Dataset, UnknownFramework
from .comparison import HEADLINE_ORDER, NOT_YET, UNRECORDED, Cell, Comparison, build_comparison, event_words, stance_words
from .html import TEMPLATES, environment
from .listing import Listing
from .render import heading, subtitle
from .timeline import signatories, timeline

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
STANCE_MEANINGS = (
    ("affirms", "yes"),
    ("conditional", "yes, under stated conditions"),
    ("denies", "no"),
    ("disputed", "contested between readings or sources"),
    ("silent", "the text was read and does not address it"),
    ("not-known", "the basis is not held or could not be verified"),
    (UNRECORDED, "the record takes no position on the topic yet"),
)
RELATION_MEANINGS = (
    ("differ", "two frameworks take different stances (silent counts as a stance)"),
    ("agree", "every framework takes the same substantive stance: affirms, conditional, denies or disputed"),
    ("silent", "every framework is silent: no agreement can be read from silence"),
    ("not comparable", "a position is not known or not recorded, so nothing can be said"),
)
_KIND_ORDER = {kind.value: index for index, kind in enumerate(Kind)}


class SiteError(Exception):
    """A mistake the user can fix (an output folder that cannot or must not be replaced)."""


@dataclass(frozen=True)
class SiteResult:
    """What a build wrote: the folder, its pages (HTML files) and all its files."""

    output: Path
    pages: int
    files: int


def ordered_ids(dataset: Dataset) -> list[str]:
    """Record ids in reading order: by kind (treaties first, as the Kind enum lists them), then by
    the date of the framework's first own event, then by id."""

    def key(record: Record) -> tuple[Any, ...]:
        own = [e.date for e in record.status if e.party is None] or [e.date for e in record.status]
        return _KIND_ORDER.get(record.kind.value, len(_KIND_ORDER)), min(date_key(d) for d in own), record.id

    return [r.id for r in sorted(dataset.records.values(), key=key)]


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


def has_list(record: Record, listing: Listing) -> bool:
    """Whether a framework's page shows a parties/signatories section (instruments States join,
    or any record holding a list or its coverage)."""
    return record.kind in JOINED_KINDS or record.participation is not None or bool(listing.rows)


def compare_data(dataset: Dataset, overview: Comparison) -> dict[str, Any]:
    """What compare.js needs: the topics, the frameworks, and each framework's cell per topic
    (stance, gist, pinpoints), straight from the overview Comparison."""
    return {
        "format": COMPARE_FORMAT,
        "as_of": as_of(dataset),
        # The stances Row.relation compares (the substantive ones and silent); the browser test
        # checks that compare.js counts exactly as the tool does.
        "comparable": sorted({s.value for s in SUBSTANTIVE_STANCES} | {Stance.silent.value}),
        "silent": Stance.silent.value,
        "order": list(HEADLINE_ORDER),
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
    """reports/html.py's environment (autoescape on) with the site's `badge` filter."""
    env = environment().overlay()
    env.filters["badge"] = badge
    return env


def site_files(dataset: Dataset) -> Iterator[tuple[str, bytes]]:
    """Every file of the site as (relative path, bytes), page by page, so a build can stream."""
    env = site_environment()
    ids = ordered_ids(dataset)
    overview = build_comparison(dataset, ids)
    names = {c.id: c.short_title for c in overview.columns}
    pairs = featured_pairs(dataset)
    common = {"as_of": as_of(dataset), "version": __version__, "names": names}
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
            listing=listing if has_list(record, listing) else None,
            pairs=[p for p in pairs if record_id in p],
            previous=ids[index - 1] if index else None,
            next=ids[index + 1] if index + 1 < len(ids) else None,
        )
    for row in overview.rows:
        yield page(f"topics/{row.topic}/index.html", "topic.html.j2", row=row, columns=overview.columns, c=overview)
    yield page("compare/index.html", "compare.html.j2", c=overview, pairs=pairs)
    for pair in pairs:
        comparison = build_comparison(dataset, list(pair))
        yield page(f"{pair_path(pair)}index.html", "pair.html.j2", c=comparison, title=heading(comparison), subtitle=subtitle(comparison))
    yield page("timeline/index.html", "timeline.html.j2", listing=timeline([dataset.records[i] for i in ids]))
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
    yield MARKER, MARKER_TEXT.encode("utf-8")


def check_output(output: Path) -> None:
    """Refuse (SiteError) a target that is a file, lies in a missing folder, or is a folder that
    holds anything but an earlier build: a build replaces the whole folder."""
    if output.exists() and not output.is_dir():
        raise SiteError(f"cannot write the site to {output}: it is a file")
    parent = output.absolute().parent
    if not parent.is_dir():
        raise SiteError(f"cannot write the site to {output}: no such folder {parent}")
    if output.is_dir() and any(output.iterdir()) and not (output / MARKER).is_file():
        raise SiteError(f"{output} is a folder that a site build did not make; give a new or empty folder (the build replaces it whole)")


def write_site(dataset: Dataset, output: Path) -> SiteResult:
    """Build the site into a temporary folder beside `output`, then put it in place of `output`.
    On any failure nothing is left behind and an earlier site at `output` is untouched."""
    check_output(output)
    parent = output.absolute().parent
    temporary = Path(tempfile.mkdtemp(prefix=f".{output.name}.", suffix=".tmp", dir=parent))
    pages = files = 0
    try:
        for relative, data in site_files(dataset):
            target = temporary / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            files += 1
            pages += relative.endswith(".html")
        for folder, dirnames, _ in os.walk(temporary):
            for name in dirnames:
                os.chmod(os.path.join(folder, name), 0o755)
        os.chmod(temporary, 0o755)  # mkdtemp makes it private; a site is for web servers to read
        _swap(temporary, output.absolute())
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    return SiteResult(output=output, pages=pages, files=files)


def _swap(built: Path, output: Path) -> None:
    """Put `built` where `output` is: the old site moves aside, the new one in, then the old goes."""
    if not output.exists():
        os.rename(built, output)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{output.name}.", suffix=".old", dir=output.parent))
    os.rmdir(old)
    os.rename(output, old)
    try:
        os.rename(built, output)
    except BaseException:
        os.rename(old, output)
        raise
    shutil.rmtree(old, ignore_errors=True)
