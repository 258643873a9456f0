"""`frameworks validate`: every error of every file in one run, one line each, at the offending value.

Formats, exit codes, --strict and --draft, the texts' hashes, words about our files instead of the law,
and a changed file checked against the others. The corpus of bad records: test_validate_bad_records.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import GOOD, cli, col_of, line_of
from space_frameworks.reports.validation_report import render_problems
from space_frameworks.schema.dataset import load_dataset
from space_frameworks.schema.language import PROCESS_WORDS, text_problems
from space_frameworks.schema.load import load_topics
from space_frameworks.schema.problems import Problem


def test_the_records_in_use_are_the_default(checkout: Path) -> None:
    result = cli("validate", root=checkout)
    assert result.exit_code == 0, result.output
    assert result.stdout == "1 file, 0 errors\n"


def test_a_newcomer_who_makes_five_mistakes_gets_five_precise_lines(checkout: Path) -> None:
    """Copy a record, change five things wrongly: five lines, each naming file, line, column and field."""
    text = GOOD.read_text(encoding="utf-8")
    text = text.replace("id: demo\naliases: [demo-treaty]", "id: lunar-code\naliases: [lunar-code-2021]")
    text = text.replace("kind: treaty", "kind: tready")  # 1. a misspelt value of a closed list
    text = text.replace("  - date: '2019'", "  - date: 2019")  # 2. a partial date as a number
    text = text.replace(
        "national appropriation\n      by claim", "national apropriation\n      by claim"
    )  # 3. a quote that is not verbatim
    text = text.replace("provisions: [art_4]", "provisions: [art_5]")  # 4. a provision that does not exist
    text = text.replace("    stance: affirms\n    summary: Celestial", "    stnace: affirms\n    summary: Celestial")  # 5. a misspelt field
    path = checkout / "frameworks" / "lunar-code.yaml"
    path.write_text(text, encoding="utf-8")

    result = cli("validate", root=checkout)

    assert result.exit_code == 1
    file = "frameworks/lunar-code.yaml"
    assert result.stdout.splitlines() == [
        f"{file}:{line_of(text, 'kind: tready')}:7: kind: Input should be 'treaty', 'un-resolution', 'statute', "
        "'executive-order', 'political-accord', 'national-position', 'soft-law' or 'intergovernmental-process' (got 'tready')",
        f"{file}:{line_of(text, 'date: 2019')}:11: status.0.date: a date must be written as text, not the number 2019: "
        "quote it, e.g. '2019' or '2019-03'",
        f"{file}:{line_of(text, 'apropriation')}:{col_of(text, 'apropriation')}: provisions.0.quote: quote not found word for word "
        "in seeds/texts/demo-treaty.txt: the text has no '...not subject to national apropriation'",
        f"{file}:{line_of(text, 'stnace')}:5: positions[non-appropriation].stnace: unknown field 'stnace' (did you mean 'stance'?)",
        f"{file}:{line_of(text, 'art_5')}:{col_of(text, 'art_5')}: "
        "positions[dispute-settlement].provisions.0: unknown provision 'art_5' (did you mean 'art_4'?)",
        "2 files, 5 errors",
    ]

    # ... and fixing exactly those five lines makes the file valid.
    fixed = (
        text.replace("kind: tready", "kind: treaty")
        .replace("date: 2019", "date: '2019'")
        .replace("apropriation", "appropriation")
        .replace("[art_5]", "[art_4]")
        .replace("stnace", "stance")
    )
    path.write_text(fixed, encoding="utf-8")
    assert cli("validate", root=checkout).stdout == "2 files, 0 errors\n"


def test_every_error_of_every_file_in_one_run_sorted_by_file_and_line(checkout: Path) -> None:
    good = GOOD.read_text(encoding="utf-8")
    (checkout / "frameworks" / "b-two.yaml").write_text(
        good.replace("id: demo\naliases: [demo-treaty]", "id: b-two\naliases: []")
        .replace("kind: treaty", "kind: pact")
        .replace("topic: debris", "topic: debri"),
        encoding="utf-8",
    )
    (checkout / "frameworks" / "a-one.yaml").write_text("id: a-one\ntitle: [unclosed\n", encoding="utf-8")
    result = cli("validate", "--draft", root=checkout)
    lines = [line for line in result.stdout.splitlines() if ": warning: " not in line]  # the rubric's checks: warnings in a draft
    assert result.exit_code == 1
    assert [line.split(":")[0] for line in lines[:-1]] == ["frameworks/a-one.yaml", "frameworks/b-two.yaml", "frameworks/b-two.yaml"]
    assert "kind: Input should be" in lines[1] and "topic: unknown topic 'debri'" in lines[2]
    assert lines[-1].startswith("3 files, 3 errors")


def test_exit_codes_0_valid_1_invalid_2_usage(checkout: Path) -> None:
    assert cli("validate", "frameworks/demo.yaml").exit_code == 0
    (checkout / "frameworks" / "broken.yaml").write_text("id: broken\n", encoding="utf-8")
    assert cli("validate", "frameworks").exit_code == 1
    missing = cli("validate", "frameworks/nope.yaml")
    assert missing.exit_code == 2
    assert missing.stderr == "frameworks: frameworks/nope.yaml: no such file or folder\n"
    assert cli("validate", "--format", "xml", "frameworks").exit_code == 2
    assert cli("validate", "--no-such-option").exit_code == 2
    no_root = cli("validate", root=checkout / "seeds")
    assert no_root.exit_code == 2 and "no frameworks/ folder" in no_root.stderr


def test_a_changed_file_is_checked_against_the_records_not_named(checkout: Path) -> None:
    """CI validates only the changed records: a new one must still not reuse another's id or alias."""
    text = GOOD.read_text(encoding="utf-8").replace("id: demo\n", "id: demo-2\n")  # keeps alias demo-treaty
    (checkout / "frameworks" / "demo-2.yaml").write_text(text, encoding="utf-8")
    result = cli("validate", "frameworks/demo-2.yaml")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "frameworks/demo-2.yaml:3:11: aliases.0: alias 'demo-treaty' is already the id or an alias in frameworks/demo.yaml",
        "1 file, 1 error",
    ]


def test_a_file_named_twice_is_read_once(checkout: Path) -> None:
    result = cli("validate", "frameworks", "frameworks/demo.yaml", "./frameworks/demo.yaml")
    assert result.stdout == "1 file, 0 errors\n"


def test_strict_by_default_and_draft_relaxes_warnings(checkout: Path) -> None:
    text = GOOD.read_text(encoding="utf-8")
    text = text.replace("last_verified: 2026-01-05", "last_verified: 2001-01-05")  # stale
    text = text.replace("    provisions: [art_4]\n", "")  # a position citing nothing
    (checkout / "frameworks" / "demo.yaml").write_text(text, encoding="utf-8")
    draft = cli("validate", "--draft")
    assert draft.exit_code == 0 and draft.stdout.endswith("1 file, 0 errors, 4 warnings\n")
    assert cli("validate", "--strict").stdout == cli("validate").stdout  # --strict is the default, kept for old scripts
    strict = cli("validate")
    assert strict.exit_code == 1
    lines = strict.stdout.splitlines()
    assert any("last_verified: not verified for" in line for line in lines)
    assert any(line.endswith("position cites no provision, source or excerpt") for line in lines)
    assert lines[-1] == f"1 file, {len(lines) - 1} errors"


def test_a_topic_without_a_position_is_a_strict_error(checkout: Path) -> None:
    text = GOOD.read_text(encoding="utf-8")
    start = text.index("  - topic: heritage\n")
    end = text.index("  - topic:", start + 1)
    (checkout / "frameworks" / "demo.yaml").write_text(text[:start] + text[end:], encoding="utf-8")
    lines = cli("validate", "--strict").stdout.splitlines()
    assert (
        f"frameworks/demo.yaml:{line_of(text, 'positions:')}:1: positions: no position on topic 'heritage' (silent is a position)" in lines
    )


def test_json_format(checkout: Path) -> None:
    (checkout / "frameworks" / "demo.yaml").write_text(
        GOOD.read_text(encoding="utf-8").replace("kind: treaty", "kind: pact"), encoding="utf-8"
    )
    result = cli("validate", "--format", "json")
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["files"] == 1 and payload["errors"] == 1 and payload["warnings"] == 0
    [problem] = payload["problems"]
    assert problem["path"] == "frameworks/demo.yaml" and problem["line"] == 6 and problem["column"] == 7
    assert problem["field"] == "kind" and problem["severity"] == "error"


def test_github_format_prints_workflow_annotations(checkout: Path) -> None:
    (checkout / "frameworks" / "demo.yaml").write_text(
        GOOD.read_text(encoding="utf-8").replace("kind: treaty", "kind: pact"), encoding="utf-8"
    )
    result = cli("validate", "--format", "github")
    assert result.exit_code == 1
    first, summary = result.stdout.splitlines()
    assert first.startswith("::error file=frameworks/demo.yaml,line=6,col=7,title=kind::Input should be 'treaty'")
    assert summary == "1 file, 1 error"


def test_github_annotations_escape_what_would_break_them() -> None:
    problem = Problem("a,b:c.yaml", 3, 4, "x", "100% wrong\nsecond line")
    out = render_problems([problem], 1, "github")
    # A problem is one line: a newline from the file is shown as an escape, never printed.
    assert out.splitlines()[0] == "::error file=a%2Cb%3Ac.yaml,line=3,col=4,title=x::100%25 wrong\\nsecond line"


def test_each_error_points_at_the_offending_value(checkout: Path) -> None:
    """Block sequences, flow sequences, nested mappings, keys: each problem has its value's line and column."""
    text = GOOD.read_text(encoding="utf-8")
    text = text.replace("    sources: [demo-official, demo-news]", "    sources:\n      - demo-official\n      - demo-nws")
    text = text.replace("identifiers: [DEMO/1]", "identifiers: [DEMO/1, 7]")
    text = text.replace("    kind: press\n", "    kind: press\n    pages: 3\n")
    (checkout / "frameworks" / "demo.yaml").write_text(text, encoding="utf-8")
    lines = cli("validate").stdout.splitlines()
    assert lines == [
        "frameworks/demo.yaml:10:23: identifiers.1: Input should be a valid string (got 7)",
        f"frameworks/demo.yaml:{line_of(text, '- demo-nws')}:9: status.2.sources.1: unknown source 'demo-nws' (did you mean 'demo-news'?)",
        f"frameworks/demo.yaml:{line_of(text, 'pages: 3')}:5: sources.1.pages: unknown field 'pages'",
        "1 file, 3 errors",
    ]


def test_a_structurally_invalid_record_is_still_checked_across_records(checkout: Path) -> None:
    text = GOOD.read_text(encoding="utf-8").replace("kind: treaty", "kind: pact").replace("topic: debris", "topic: junk")
    (checkout / "frameworks" / "demo.yaml").write_text(text, encoding="utf-8")
    lines = [line for line in cli("validate", "--draft").stdout.splitlines() if ": warning: " not in line]
    assert len(lines) == 3 and "kind:" in lines[0] and "unknown topic 'junk'" in lines[1]


def test_a_record_with_placeholders_is_never_loaded_as_valid(checkout: Path) -> None:
    text = GOOD.read_text(encoding="utf-8").replace("short_title: Demo Treaty", "short_title: 'TODO: the short title'")
    (checkout / "frameworks" / "demo.yaml").write_text(text, encoding="utf-8")
    dataset = load_dataset(checkout)
    assert dataset.records == {}
    assert [str(p) for p in dataset.problems] == ["frameworks/demo.yaml:5:14: short_title: to fill in: the short title"]


def test_the_corpus_good_record_answers_every_topic_of_the_vocabulary() -> None:
    """If the vocabulary grows, the corpus' good record (and its strict test) must follow."""
    text = GOOD.read_text(encoding="utf-8")
    assert all(f"topic: {topic.id}\n" in text for topic in load_topics())


def test_a_text_edited_after_its_hash_was_recorded_is_named_and_its_records_left_out(checkout: Path) -> None:
    text = checkout / "seeds" / "texts" / "demo-treaty.txt"
    text.write_text(text.read_text(encoding="utf-8").replace("national appropriation", "national  appropriation", 1), encoding="utf-8")
    result = cli("validate")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "frameworks/demo.yaml:11:7: text: seeds/texts/demo-treaty.txt fails its integrity check (body-sha256), "
        "so no quote can be checked against it"
    )
    assert lines[1].startswith("seeds/texts/demo-treaty.txt:1:1: (file): the body does not match the body-sha256 in its header")
    shown = cli("list")
    assert shown.exit_code == 0 and "frameworks/demo.yaml left out: 1 problem" in shown.stderr


def test_a_text_without_a_hash_is_an_error_with_the_command_to_compute_it(checkout: Path) -> None:
    text = checkout / "seeds" / "texts" / "demo-treaty.txt"
    text.write_text("".join(line for line in text.read_text(encoding="utf-8").splitlines(keepends=True) if "body-sha256" not in line))
    lines = cli("validate").stdout.splitlines()
    assert lines[1].startswith("seeds/texts/demo-treaty.txt:1:1: (file): the header records no body-sha256: add the line '# body-sha256: ")
    assert lines[1].endswith(" (frameworks text-hash seeds/texts/demo-treaty.txt)")
    hashed = cli("text-hash", "seeds/texts/demo-treaty.txt")
    assert hashed.exit_code == 0 and "(header has none)" in hashed.stdout


def test_the_old_in_sentence_hash_form_is_accepted(checkout: Path) -> None:
    text = checkout / "seeds" / "texts" / "demo-treaty.txt"
    raw = text.read_text(encoding="utf-8").replace("# body-sha256: ", "# provenance: body is byte-identical; body-sha256 = ")
    text.write_text(raw, encoding="utf-8")
    assert cli("validate").exit_code == 0


def test_every_text_of_the_project_matches_its_hash() -> None:
    from space_frameworks.schema.paths import PACKAGE_ROOT
    from space_frameworks.schema.texts import read_source_text

    texts = sorted((PACKAGE_ROOT / "seeds" / "texts").glob("*.txt"))
    assert texts
    assert {p.name: read_source_text(p.parent.parent, p.stem).integrity() for p in texts} == {p.name: None for p in texts}


def test_validate_passes_on_the_records() -> None:
    result = cli("validate")
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("0 errors")


def test_validate_names_file_and_line_of_a_field_typo(fixture_root: Path) -> None:
    path = fixture_root / "frameworks" / "alpha.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "    stance: affirms\n    summary: No national", "    stnace: affirms\n    summary: No national"
    )
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index("    stnace: affirms") + 1
    result = cli("validate", root=fixture_root)
    assert result.exit_code == 1
    assert f"alpha.yaml:{line}:" in result.output
    assert "positions[non-appropriation].stnace: unknown field 'stnace' (did you mean 'stance'?)" in result.output


@pytest.mark.parametrize(
    "words",
    ["Read in a stored copy of the page.", "as in the stored text", "not named in the seed set", "section number unconfirmed"],
)
def test_words_about_our_files_are_a_strict_error_in_records(checkout: Path, words: str) -> None:
    text = GOOD.read_text(encoding="utf-8").replace("description: Adopted by the Demo Assembly.", f"description: {words}")
    (checkout / "frameworks" / "demo.yaml").write_text(text, encoding="utf-8")
    assert cli("validate", "--draft").stdout.endswith("1 file, 0 errors, 1 warning\n")  # a warning: drafts still compare
    strict = cli("validate")
    assert strict.exit_code == 1
    [line] = [line for line in strict.stdout.splitlines() if "speaks of our files" in line]
    assert line.startswith(f"frameworks/demo.yaml:{text[: text.index(words)].count(chr(10)) + 1}:") and "status.0.description" in line


def test_words_about_our_files_are_flagged_in_press_reports_too(checkout: Path) -> None:
    articles = checkout / "seeds" / "articles.yaml"
    text = articles.read_text(encoding="utf-8")
    outlet = text.split("outlet: ", 1)[1].split("\n", 1)[0]
    articles.write_text(text.replace(f"outlet: {outlet}", "outlet: A broadcaster (not named in the seed set)", 1), encoding="utf-8")
    strict = cli("validate", "--strict")
    assert strict.exit_code == 1
    assert any(line.startswith("seeds/articles.yaml:") and "'seed set'" in line for line in strict.stdout.splitlines())
    assert cli("list").exit_code == 0  # a warning never stops the data commands


# Pieces of the patterns' words in several cases, with look-alikes that re.I also folds (long s,
# dotless i, dotted capital I) and other text around them.
_PIECES = ["stored", "Stored", "STORED", "\u017ftored", "seed", "SEED", "Seed", "unconfirmed", "UNCONFIRMED", "unconf\u0131rmed"]
_PIECES += ["AVA\u0130LABLE", "available", "Available", " ", "  ", "\n", "copy", "Copies", "text", "here", "in the", "not", "set"]
_PIECES += ["files", "articles", "section", "Number", "é", "-", ".", "x", "\x1b"]
_PIECES += ["a stored copy", "Seed Set", "article unconfirmed", "the available text", "AVAILABLE TEXT", "not stored"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=10).map("".join) | st.text(max_size=30))
def test_words_about_our_files_are_found_in_any_case_and_script(text: str) -> None:
    """What text_problems reports is what the patterns find (its fast path for ASCII text hides nothing)."""
    first = next((match.group(0) for pattern, _, _ in PROCESS_WORDS if (match := pattern.search(text))), None)
    found = [message for _, message, severity in text_problems({"note": text}) if severity == "warning"]
    if first is None:
        assert found == []
    else:
        assert len(found) == 1 and found[0].startswith(f"'{first}' speaks of our files"), found
