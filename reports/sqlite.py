"""`frameworks export --format sqlite`: the dataset as an SQLite database, for SQL and Datasette.

Tables (every id a record cites is a foreign key, and `PRAGMA foreign_key_check` finds nothing):

    frameworks          one row per framework: identity, status line, summary, last_verified
    aliases             other names of a framework
    topics              the questions every framework answers
    positions           framework x topic: stance, summary, gist, note (the Comparison's cells)
    provisions          the pinpoints of a framework's text with their verbatim quote
    articles, excerpts  the press reports national positions quote, and the excerpts quoted
    events              dated status events (adopted, signed, ratified ...), with the party
    sources             what each framework relies on, with URL and retrieval date
    corrections         errors in sources, corrected
    position_provisions, position_excerpts, position_sources, event_sources: what rests on what

Full-text search (FTS5): positions_fts over positions' summary and gist, provisions_fts over the
quotes, excerpts_fts over press excerpts. Each is an external-content index of its table, which is how
Datasette finds them: `datasette frameworks.db` offers a search box on those tables.

The positions come from the same Comparison as every other output (build_comparison), so a stance
reads the same here as in the terminal; the file is written beside its target and renamed into place.

Files SQLite keeps beside a database (FILE-wal and FILE-shm in WAL mode, FILE-journal in rollback
mode) are found by their path, not tied to the file: left beside the new database, SQLite would
replay the old one's changes onto it (a table only the old database had would appear in the new
one). So the writer removes them just before it renames the new file in (SIDECARS). That is safe
for a program that has the old database open: the new database is a new file (inode) renamed over
the name, and the reader keeps the old file, its -wal and its -shm through the descriptors it holds
(a removed file lives on while open), so it goes on reading the old snapshot undisturbed; anyone
who opens FILE afterwards gets exactly the new content. Changes written to the old database after
the export has begun are not carried over: the export replaces the database.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from ..schema.dataset import Dataset
from .comparison import build_comparison
from .edition import edition_metadata

SIDECARS = ("-wal", "-shm", "-journal")  # what SQLite keeps beside a database file, by its name

SCHEMA = """
PRAGMA foreign_keys = ON;
CREATE TABLE edition (
  key TEXT PRIMARY KEY, value TEXT NOT NULL
);
CREATE TABLE frameworks (
  id TEXT PRIMARY KEY, short_title TEXT NOT NULL, title TEXT NOT NULL, kind TEXT NOT NULL,
  legal_force TEXT NOT NULL, jurisdiction TEXT NOT NULL, issuer TEXT NOT NULL, status TEXT NOT NULL,
  summary TEXT NOT NULL, text_id TEXT, participation_coverage TEXT, participation_counted TEXT,
  participation_known_total INTEGER, participation_as_of TEXT, last_verified TEXT NOT NULL
);
CREATE TABLE aliases (
  alias TEXT PRIMARY KEY, framework TEXT NOT NULL REFERENCES frameworks(id)
);
CREATE TABLE topics (
  id TEXT PRIMARY KEY, position INTEGER NOT NULL, label TEXT NOT NULL, question TEXT NOT NULL
);
CREATE TABLE positions (
  id INTEGER PRIMARY KEY, framework TEXT NOT NULL REFERENCES frameworks(id), topic TEXT NOT NULL REFERENCES topics(id),
  stance TEXT NOT NULL, summary TEXT NOT NULL, gist TEXT, note TEXT, UNIQUE (framework, topic)
);
CREATE TABLE provisions (
  id INTEGER PRIMARY KEY, framework TEXT NOT NULL REFERENCES frameworks(id), pinpoint TEXT NOT NULL,
  label TEXT NOT NULL, quote TEXT NOT NULL, quote_basis TEXT NOT NULL, text_id TEXT, UNIQUE (framework, pinpoint)
);
CREATE TABLE articles (
  id TEXT PRIMARY KEY, outlet TEXT NOT NULL, title TEXT NOT NULL, date TEXT NOT NULL, url TEXT, retrieved TEXT
);
CREATE TABLE excerpts (
  id INTEGER PRIMARY KEY, article TEXT NOT NULL REFERENCES articles(id), excerpt TEXT NOT NULL, text TEXT NOT NULL,
  speaker TEXT, UNIQUE (article, excerpt)
);
CREATE TABLE sources (
  id INTEGER PRIMARY KEY, framework TEXT NOT NULL REFERENCES frameworks(id), source TEXT NOT NULL, title TEXT NOT NULL,
  publisher TEXT NOT NULL, kind TEXT NOT NULL, date TEXT, url TEXT, retrieved TEXT,
  article TEXT REFERENCES articles(id), note TEXT, UNIQUE (framework, source)
);
CREATE TABLE events (
  id INTEGER PRIMARY KEY, framework TEXT NOT NULL REFERENCES frameworks(id), seq INTEGER NOT NULL, date TEXT NOT NULL,
  event TEXT NOT NULL, party TEXT, description TEXT NOT NULL, UNIQUE (framework, seq)
);
CREATE TABLE corrections (
  id INTEGER PRIMARY KEY, framework TEXT NOT NULL REFERENCES frameworks(id), source INTEGER NOT NULL REFERENCES sources(id),
  claim TEXT NOT NULL, correction TEXT NOT NULL, evidence TEXT NOT NULL
);
CREATE TABLE position_provisions (
  position INTEGER NOT NULL REFERENCES positions(id), provision INTEGER NOT NULL REFERENCES provisions(id),
  PRIMARY KEY (position, provision)
);
CREATE TABLE position_excerpts (
  position INTEGER NOT NULL REFERENCES positions(id), excerpt INTEGER NOT NULL REFERENCES excerpts(id),
  PRIMARY KEY (position, excerpt)
);
CREATE TABLE position_sources (
  position INTEGER NOT NULL REFERENCES positions(id), source INTEGER NOT NULL REFERENCES sources(id),
  PRIMARY KEY (position, source)
);
CREATE TABLE event_sources (
  event INTEGER NOT NULL REFERENCES events(id), source INTEGER NOT NULL REFERENCES sources(id),
  PRIMARY KEY (event, source)
);
CREATE INDEX positions_topic ON positions(topic, stance);
CREATE INDEX events_date ON events(date);
CREATE INDEX events_party ON events(party);
CREATE VIRTUAL TABLE positions_fts USING fts5(summary, gist, content="positions", content_rowid="id");
CREATE VIRTUAL TABLE provisions_fts USING fts5(label, quote, content="provisions", content_rowid="id");
CREATE VIRTUAL TABLE excerpts_fts USING fts5(text, content="excerpts", content_rowid="id");
"""
FTS_TABLES = ("positions_fts", "provisions_fts", "excerpts_fts")


def fill(db: sqlite3.Connection, dataset: Dataset, as_of: dt.date | None = None) -> dict[str, int]:
    """Create the tables in `db` and insert the dataset (its positions as of `as_of`); the number of rows of each main table."""
    db.executescript(SCHEMA)
    comparison = build_comparison(dataset, list(dataset.records), as_of=as_of)
    status = {column.id: column.status for column in comparison.columns}
    db.executemany("INSERT INTO edition VALUES (?, ?)", edition_metadata(dataset.records.values()).items())
    for index, topic in enumerate(dataset.topics):
        db.execute("INSERT INTO topics VALUES (?, ?, ?, ?)", (topic.id, index, topic.label, topic.question))
    excerpt_ids: dict[str, int] = {}
    for article in dataset.articles.values():
        db.execute(
            "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?)",
            (article.id, article.outlet, article.title, article.date, article.url, article.retrieved),
        )
        for excerpt in article.excerpts:
            cursor = db.execute(
                "INSERT INTO excerpts (article, excerpt, text, speaker) VALUES (?, ?, ?, ?)",
                (article.id, excerpt.id, excerpt.text, excerpt.speaker),
            )
            excerpt_ids[f"{article.id}/{excerpt.id}"] = cursor.lastrowid or 0
    for record in dataset.records.values():
        p = record.participation
        db.execute(
            "INSERT INTO frameworks VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                record.id,
                record.short_title,
                record.title,
                record.kind.value,
                record.legal_force.value,
                record.jurisdiction,
                record.issuer,
                status[record.id],
                record.summary,
                record.text,
                p.coverage.value if p else None,
                p.counted.value if p else None,
                p.known_total if p else None,
                p.as_of if p else None,
                record.last_verified,
            ),
        )
        db.executemany("INSERT OR IGNORE INTO aliases VALUES (?, ?)", [(alias, record.id) for alias in record.aliases])
        provision_ids: dict[str, int] = {}
        for provision in record.provisions:
            cursor = db.execute(
                "INSERT INTO provisions (framework, pinpoint, label, quote, quote_basis, text_id) VALUES (?, ?, ?, ?, ?, ?)",
                (record.id, provision.id, provision.label, provision.quote, provision.quote_basis.value, provision.text or record.text),
            )
            provision_ids[provision.id] = cursor.lastrowid or 0
        source_ids: dict[str, int] = {}
        for source in record.sources:
            cursor = db.execute(
                "INSERT INTO sources (framework, source, title, publisher, kind, date, url, retrieved, article, note)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    record.id,
                    source.id,
                    source.title,
                    source.publisher,
                    source.kind.value,
                    source.date,
                    source.url,
                    source.retrieved,
                    source.article if source.article in dataset.articles else None,
                    source.note,
                ),
            )
            source_ids[source.id] = cursor.lastrowid or 0
        for seq, event in enumerate(record.status):
            cursor = db.execute(
                "INSERT INTO events (framework, seq, date, event, party, description) VALUES (?, ?, ?, ?, ?, ?)",
                (record.id, seq, event.date, event.event.value, event.party, event.description),
            )
            db.executemany(
                "INSERT OR IGNORE INTO event_sources VALUES (?, ?)",
                [(cursor.lastrowid, source_ids[s]) for s in event.sources if s in source_ids],
            )
        for correction in record.corrections:
            if correction.source in source_ids:
                db.execute(
                    "INSERT INTO corrections (framework, source, claim, correction, evidence) VALUES (?, ?, ?, ?, ?)",
                    (record.id, source_ids[correction.source], correction.claim, correction.correction, ", ".join(correction.evidence)),
                )
        column = [c.id for c in comparison.columns].index(record.id)
        for row in comparison.rows:
            cell = row.cells[column]
            cursor = db.execute(
                "INSERT INTO positions (framework, topic, stance, summary, gist, note) VALUES (?, ?, ?, ?, ?, ?)",
                (record.id, row.topic, cell.stance, cell.summary, cell.gist, cell.note),
            )
            position = cursor.lastrowid
            db.executemany(
                "INSERT OR IGNORE INTO position_provisions VALUES (?, ?)",
                [(position, provision_ids[q.ref]) for q in cell.quotes if q.ref in provision_ids],
            )
            db.executemany(
                "INSERT OR IGNORE INTO position_excerpts VALUES (?, ?)",
                [(position, excerpt_ids[q.ref]) for q in cell.quotes if q.ref in excerpt_ids],
            )
            db.executemany(
                "INSERT OR IGNORE INTO position_sources VALUES (?, ?)",
                [(position, source_ids[s.id]) for s in cell.sources if s.id in source_ids],
            )
    for table in FTS_TABLES:
        db.execute(f"INSERT INTO {table}({table}) VALUES ('rebuild')")
    counts = {}
    for table in ("frameworks", "topics", "positions", "provisions", "events", "sources", "excerpts"):
        counts[table] = db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    return counts


def sqlite_bytes(dataset: Dataset, as_of: dt.date | None = None) -> tuple[bytes, dict[str, int]]:
    """The database built in memory, as the bytes of an SQLite file, and its row counts (the caller
    writes them with the one writer, reports.output.write_atomically). Raises OSError for sqlite3 errors."""
    db = sqlite3.connect(":memory:")
    try:
        with db:
            counts = fill(db, dataset, as_of)
        problems = db.execute("PRAGMA foreign_key_check").fetchall()
        if problems:  # a bug, not a user mistake: every reference above is checked before insertion
            raise RuntimeError(f"foreign key check failed: {problems[:5]}")
        db.execute("VACUUM")
        return db.serialize(), counts
    except sqlite3.Error as exc:
        raise OSError(str(exc)) from exc
    finally:
        db.close()


def write_sqlite(dataset: Dataset, output: Path) -> dict[str, int]:
    """Build the database and write it atomically to `output` (reports.output' one writer); its row counts.
    Raises OutputRefused/OSError, leaving any old file as it was."""
    from .output import write_atomically

    data, counts = sqlite_bytes(dataset)
    write_atomically(output, data, sidecars=SIDECARS)
    return counts
