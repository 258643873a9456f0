"""`frameworks validate` on the corpus of bad records (tests/bad/cases/): each gives exactly its lines.

tests/bad/ is a small records root of its own (seeds/texts/demo-treaty.txt, seeds/articles.yaml,
good/demo.yaml): every case is that good record with one thing broken, or a file that is not a
record at all. Cases too big to commit (a 50 MB file, a 1 MB string, a large alias bomb, a FIFO)
are generated in tmp_path, and so are records folders holding what is not a regular file (an editor's
lock, a dangling symlink, a device). Nothing may crash, hang or read a huge file into memory.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tracemalloc
from pathlib import Path

import pytest

from conftest import BAD, GOOD, REPO, cli
from space_frameworks.reports.validation_report import render_problems
from space_frameworks.schema.validation import validate

CASES = BAD / "cases"
TODAY = dt.date(2026, 6, 1)  # the corpus' good record was verified on 2026-01-05: fresh on this day

# case -> the problem lines it must produce, without the path of the file (for a folder, with the
# path relative to tests/bad/cases/). Cases named strict-* are validated with --strict.
EXPECTED: dict[str, list[str]] = {
    # -- not YAML, or not a record --
    "not-yaml.yaml": ["3:5: (file): not valid YAML: did not find expected ',' or ']' (while parsing a flow sequence)"],
    "binary.yaml": ["3:1: (file): file is binary (it contains NUL bytes), not YAML text"],
    "latin-1.yaml": ["13:20: (file): file is not UTF-8 text (invalid byte 0xe9): save it as UTF-8"],
    "empty.yaml": ["1:1: (file): file is empty: a record is a YAML mapping of fields, starting with id"],
    "only-comments.yaml": ["1:1: (file): file is empty: a record is a YAML mapping of fields, starting with id"],
    "top-level-list.yaml": ["1:1: (file): a record must be a mapping of fields (id: ..., title: ...), not a list"],
    "scalar.yaml": ["1:1: (file): a record must be a mapping of fields (id: ..., title: ...), not a single str value"],
    "two-documents.yaml": ["128:1: (file): not valid YAML: a record file holds one YAML document, but a second one starts here ('---')"],
    "alias-bomb.yaml": ["3:12: lol1.0: anchors and aliases (&name, *name) are not allowed in records: write the value out"],
    "undefined-alias.yaml": ["4:8: (file): not valid YAML: found undefined alias"],
    "flow-nesting.yaml": ["2:1013: (file): not valid YAML: nesting is too deep (a record needs at most 20 levels)"],
    "deep-nesting.yaml": [
        "10:34: identifiers.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0: nesting is too deep (a record needs at most 20 levels)"
    ],
    "unclosed-quote.yaml": [
        "49:14: (file): not valid YAML: the double quote that starts here is not closed where the value ends "
        "(YAML gave up at line 131, column 1)"
    ],
    "unclosed-quote-closed-later.yaml": [
        "49:14: (file): not valid YAML: the double quote that starts here is not closed where the value ends "
        "(YAML gave up at line 53, column 15)"
    ],
    "colon-in-value.yaml": [
        "53:18: (file): not valid YAML: a value holding ': ' must be quoted, e.g. summary: \"Note: ...\" "
        "(or use > and write it on the next lines)"
    ],
    "tabs.yaml": ["41:1: (file): not valid YAML: a tab character: YAML indentation must use spaces, not tabs"],
    "bom.yaml": ["1:1: (file): the file begins with a byte-order mark (BOM): save it as UTF-8 without BOM"],
    "control-character.yaml": ["5:18: (file): not valid YAML: control characters are not allowed (U+0007)"],
    "python-tag.yaml": ["4:8: title: tags such as !!python/object/apply:os.system are not allowed in records"],
    "merge-key.yaml": ["7:1: <<: a key must be a plain word (no merge keys '<<' or complex keys)"],
    "duplicate-key.yaml": ["7:1: kind: duplicate key 'kind' (first given on line 6); give each field once"],
    "impossible-date.yaml": ["20:11: status.1.date: '2020-02-30' is not a real date (day is out of range for month)"],
    "impossible-date-quoted.yaml": ["20:11: status.1.date: '2020-02-30' is not a real date (day is out of range for month)"],
    "date-as-number.yaml": [
        "16:11: status.0.date: a date must be written as text, not the number 2019: quote it, e.g. '2019' or '2019-03'"
    ],
    "date-with-time.yaml": ["114:16: sources.0.retrieved: '2026-01-05 10:30:00' is not a date: give a date as YYYY-MM-DD, without a time"],
    "yes-no-stance.yaml": [
        "56:13: positions[global-commons].stance: Input should be 'affirms', 'conditional', 'denies', 'silent', 'disputed' or 'not-known' (got 'no')"
    ],
    # -- structure: the models (and the exported JSON Schema) refuse these --
    "unknown-field.yaml": ["49:5: positions[resource-ownership].sumary: unknown field 'sumary' (did you mean 'summary'?)"],
    "bad-kind.yaml": [
        "6:7: kind: Input should be 'treaty', 'un-resolution', 'statute', 'executive-order', 'political-accord', "
        "'national-position', 'soft-law' or 'intergovernmental-process' (got 'law')"
    ],
    "missing-field.yaml": ["2:1: short_title: required field is missing"],
    "wrong-type.yaml": ["3:10: aliases: Input should be a valid list (got 'demo-treaty')"],
    "bad-id.yaml": ["2:5: id: 'Demo Treaty' is not an id: lower-case letters and digits, words joined by dashes, e.g. moon-agreement"],
    "bad-url.yaml": ["113:10: sources.0.url: 'example.org/demo-treaty' is not a web address starting with http:// or https://"],
    "empty-status.yaml": ["15:9: status: must list at least 1 item (it is empty)"],
    "null-value.yaml": ["4:7: title: has no value: write one (or, if the field is optional, delete the line)"],
    "bad-partial-date.yaml": ["24:11: status.2.date: '2020-6' is not a date of the form 'YYYY', 'YYYY-MM' or YYYY-MM-DD"],
    "too-long.yaml": ["5:14: short_title: String should have at most 300 characters (it has 359)"],
    "placeholder.yaml": ["4:8: title: to fill in: the full official title"],
    # -- cross-field and cross-record --
    "unknown-topic.yaml": ["47:12: positions[resource-owner].topic: unknown topic 'resource-owner' (did you mean 'resource-ownership'?)"],
    "unknown-provision.yaml": ["54:18: positions[non-appropriation].provisions.0: unknown provision 'art_9' (did you mean 'art_4'?)"],
    "unknown-source.yaml": ["27:30: status.2.sources.1: unknown source 'demo-newz' (did you mean 'demo-news'?)"],
    "unknown-excerpt.yaml": [
        "66:16: positions[international-forum].excerpts.0: unknown excerpt 'demo-news-2020/minster' (not in seeds/articles.yaml) "
        "(did you mean 'demo-news-2020/minister'?)"
    ],
    "unknown-article.yaml": [
        "120:14: sources.1.article: unknown article 'demo-news-2021' (not in seeds/articles.yaml) (did you mean 'demo-news-2020'?)"
    ],
    "unknown-evidence.yaml": ["125:16: corrections.0.evidence.0: unknown provision or source 'art_11' (did you mean 'art_1'?)"],
    "quote-not-found.yaml": [
        "33:19: provisions.0.quote: quote not found word for word in seeds/texts/demo-treaty.txt: "
        "the text has no '...appropriation by claim of soverignty,'"
    ],
    "missing-text.yaml": ["11:7: text: no text 'demo-treaties' under seeds/texts/ (demo-treaties.txt)"],
    "status-order.yaml": ["24:11: status.2.date: status events must be in date order: 2019-06 comes after a later event"],
    "file-name.yaml": ["2:5: id: the file is named 'file-name' but the id is 'demo': name it demo.yaml"],
    "future-verification.yaml": ["126:16: last_verified: 2999-01-01 is in the future (today is 2026-06-01)"],
    "duplicate-provision.yaml": ["43:9: provisions.4.id: 'art_3' is given twice in provisions"],
    "duplicate-id": [
        "duplicate-id/demo-copy.yaml:2:5: id: id 'demo' is already used by duplicate-id/demo.yaml: "
        "give this record its own id (its file name suggests 'demo-copy')"
    ],
    "duplicate-alias": [
        "duplicate-alias/other.yaml:3:11: aliases.0: alias 'demo-treaty' is already the id or an alias in duplicate-alias/demo.yaml"
    ],
    # -- warnings, which --strict counts as errors --
    "strict-stale.yaml": [
        "127:16: last_verified: last_verified 2020-01-05 is earlier than source 'demo-official' was retrieved (2026-01-05)",
        "127:16: last_verified: not verified for 2339 days (over 365): check it again and update last_verified",
    ],
    "strict-missing-modeline.yaml": [
        "1:1: (file): the first line should be the editor modeline '# yaml-language-server: $schema=../schema/framework.schema.json'"
    ],
    "strict-uncited.yaml": [
        "104:5: positions[dispute-settlement]: position cites no provision, source or excerpt",
        "105:13: positions[dispute-settlement].stance: 'denies' needs the framework's own words (express rejection): "
        "cite a provision of its text or an official statement",
    ],
    "strict-missing-topic.yaml": ["47:1: positions: no position on topic 'heritage' (silent is a position)"],
    # -- the stance rubric (docs/rubric.md) and sources fit for a legal reader: errors unless --draft --
    "strict-gist-contradicts.yaml": [
        "55:11: positions[non-appropriation].gist: the gist opens with 'no', which contradicts the stance 'affirms': "
        "reword it or change the stance"
    ],
    "strict-denies-on-press.yaml": [
        "106:13: positions[dispute-settlement].stance: 'denies' needs the framework's own words (express rejection): "
        "cite a provision of its text or an official statement"
    ],
    "strict-disputed-one-reading.yaml": ["106:13: positions[dispute-settlement].stance: 'disputed' needs at least two cited readings"],
    "strict-not-known-why.yaml": [
        "105:5: positions[dispute-settlement]: say which passage or statement, not held, would decide it: add not_held (e.g. 'Sec. 10(4)')"
    ],
    "strict-no-text-held.yaml": ["2:1: (file): say how much of the text is held: add text_held (extent: complete, partial or none)"],
    "strict-partial-text.yaml": ["12:1: text_held: a partial text names the parts held and the parts missing (held, missing)"],
    "strict-unnamed-publisher.yaml": [
        "119:16: sources.1.publisher: a source a reader can cite names its publisher: name it or drop the source"
    ],
    "strict-mirror-verifies.yaml": [
        "134:35: verified_against.1: 'demo-mirror' is a reference work or mirror, which never verifies a record: verify against an official source"
    ],
    "strict-future-event.yaml": ["26:11: status.2.date: 2027-01-01 is after today (2026-06-01): an event is recorded once it has happened"],
}

# Cases whose only error is one of structure: an external validator with the exported JSON
# Schema must refuse them too (tests/test_json_schema.py).
STRUCTURAL = [
    "unknown-field.yaml",
    "bad-kind.yaml",
    "missing-field.yaml",
    "wrong-type.yaml",
    "bad-id.yaml",
    "bad-url.yaml",
    "empty-status.yaml",
    "null-value.yaml",
    "bad-partial-date.yaml",
    "too-long.yaml",
    "date-as-number.yaml",
    "yes-no-stance.yaml",
]


def strip_path(line: str, case: Path) -> str:
    return line.split(":", 1)[1] if case.is_file() else line


def test_the_table_lists_every_case_of_the_corpus() -> None:
    assert sorted(EXPECTED) == sorted(path.name for path in CASES.iterdir())
    assert set(STRUCTURAL) <= set(EXPECTED)


def test_the_good_record_of_the_corpus_is_valid_even_under_strict() -> None:
    result = validate([GOOD], BAD, strict=True, today=TODAY)
    assert [str(p) for p in result.problems] == []
    assert result.files == 1


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_bad_case_gives_exactly_its_error_lines(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CASES)  # paths print relative to the working directory
    case = Path(name)
    strict = name.startswith("strict-")
    result = validate([case], BAD, strict=strict, today=TODAY)
    # A draft (not strict) run keeps warnings as warnings: the cases list the errors.
    assert [strip_path(str(problem), case) for problem in result.problems if strict or problem.severity == "error"] == EXPECTED[name]
    assert not result.ok


@pytest.mark.parametrize("name", sorted(name for name in EXPECTED if not name.startswith(("strict-", "future-"))))
def test_the_cli_prints_each_case_with_its_path_and_exits_1(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CASES)
    result = cli("validate", "--draft", name, root=BAD)
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if ": warning: " not in line]
    lines[-1] = lines[-1].split(", ", 2)[0] + ", " + lines[-1].split(", ", 2)[1]  # without the count of warnings
    expected = [f"{name}:{line}" if (CASES / name).is_file() else line for line in EXPECTED[name]]
    files = len(list((CASES / name).iterdir())) if (CASES / name).is_dir() else 1
    assert lines == [*expected, f"{files} file{'s' if files > 1 else ''}, {len(expected)} error{'s' if len(expected) > 1 else ''}"]
    assert "Traceback" not in result.output


def test_a_50_mb_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as handle:  # sparse: 50 MB on paper, nothing on disk
        handle.truncate(50 * 1024 * 1024)
    tracemalloc.start()
    try:
        result = cli("validate", str(huge), root=BAD)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == f"{huge}:1:1: (file): file is 50.0 MiB; a record may be at most 2 MiB"
    assert peak < 20 * 1024 * 1024  # the file was never read into memory


def test_a_1_mb_string_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "long.yaml"
    text = GOOD.read_text(encoding="utf-8").replace("id: demo\n", "id: long\n")
    start = text.index("summary: >-\n")
    end = text.index("status:\n")
    path.write_text(text[:start] + "summary: " + "x" * 1_000_000 + "\n" + text[end:], encoding="utf-8")
    result = cli("validate", str(path), root=BAD)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{path}:14:10: summary: a value of 1,000,000 characters is too long (at most 20,000)",
        "1 file, 1 error",
    ]


def test_a_large_alias_bomb_stops_at_the_first_alias(tmp_path: Path) -> None:
    lines = ['a0: &a0 "' + "lol" * 1000 + '"'] + [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 50) + "]" for i in range(1, 30)]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = cli("validate", str(path), root=BAD)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{path}:2:10: a1.0: anchors and aliases (&name, *name) are not allowed in records: write the value out",
        "1 file, 1 error",
    ]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are a POSIX thing")
def test_a_fifo_is_refused_without_opening_it(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)  # opening it for reading would block forever: there is no writer
    result = cli("validate", str(fifo), root=BAD)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == f"{fifo}:1:1: (file): not a regular file but a FIFO: a record is a plain YAML file"


def test_all_cases_at_once_every_error_of_every_file_sorted_in_one_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CASES)
    files = sorted(name for name in EXPECTED if (CASES / name).is_file() and not name.startswith(("strict-", "future-")))
    result = cli("validate", *files, root=BAD)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    problems, summary = lines[:-1], lines[-1]
    keys = [(line.split(":")[0], int(line.split(":")[1]), int(line.split(":")[2])) for line in problems]
    assert keys == sorted(keys)
    for name in files:  # every case's own error is there (cases share an alias, which adds some)
        for expected in EXPECTED[name]:
            assert f"{name}:{expected}" in problems
    assert summary == f"{len(files)} files, {len(problems)} errors"


def test_render_problems_is_what_the_cli_prints(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CASES)
    result = validate([Path("tabs.yaml")], BAD, today=TODAY)
    assert render_problems(result.problems, result.files, "text") == cli("validate", "tabs.yaml", root=BAD).stdout


@pytest.fixture
def records(tmp_path: Path) -> Path:
    """A writable copy of the records in use and their seeds."""
    root = tmp_path / "root"
    shutil.copytree(REPO / "frameworks", root / "frameworks")
    shutil.copytree(REPO / "seeds", root / "seeds")
    return root


@pytest.mark.parametrize("entry", ["editor-lock", "dangling", "device"])
def test_entries_that_are_not_regular_files_are_named_by_validate_and_never_crash_commands(
    records: Path, entry: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = records / "frameworks"
    name = {"editor-lock": ".#ost.yaml", "dangling": "gone.yaml", "device": "zero.yaml"}[entry]
    target = {"editor-lock": "root@host.1234:1700000000", "dangling": str(records / "nowhere.yaml"), "device": "/dev/zero"}[entry]
    (folder / name).symlink_to(target)
    monkeypatch.chdir(records)
    check = cli("validate", root=records)
    assert check.exit_code == 1
    expected = {
        "editor-lock": "(file): an editor's lock file (a symlink to 'root@host.1234:1700000000'), not a record",
        "dangling": "(file): a symlink to",
        "device": "(file): not a regular file but a character device",
    }[entry]
    [line] = [line for line in check.stdout.splitlines() if name in line]
    assert expected in line
    for command in (["list"], ["compare", "ost", "us-eo-2020"]):
        result = cli(*command, root=records)
        assert result.exit_code == 0, result.stderr
