"""`frameworks validate` on random records (property tests): never a crash, every problem well formed.

Random mutations of a good record never crash the validator, and what it reports is always well formed
(one line, a real place in the file, never an internal error)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from space_frameworks.reports.validation_report import render_problems
from space_frameworks.schema.models import Stance
from space_frameworks.schema.problems import Problem
from space_frameworks.schema.validation import Validation, validate

BAD = Path(__file__).parent / "bad"
GOOD_TEXT = (BAD / "good" / "demo.yaml").read_text(encoding="utf-8")
GOOD_DATA = yaml.safe_load(GOOD_TEXT)
TODAY = dt.date(2026, 6, 1)
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Fragments that have broken YAML readers and validators before.
NASTY = [
    "\t",
    "\x00",
    "\x07",
    "\ufeff",
    "\r",
    "\r\n",
    "\u2028",
    "\xff",
    "'",
    '"',
    "[",
    "]",
    "{",
    "}",
    ": ",
    "- ",
    "? ",
    "#",
    "|",
    ">-",
    "&a ",
    "*a",
    "<<: *a",
    "!!python/object/apply:os.system ['true']",
    "!!binary aGk=",
    "!!set {a}",
    "!custom x",
    "---",
    "...",
    "%YAML 1.1",
    "%TAG ! tag:x,2000:",
    "yes",
    "no",
    "on",
    "~",
    "null",
    ".inf",
    ".nan",
    "0x1F",
    "0o17",
    "1_000",
    "12:30:00",
    "2020-02-30",
    "2020-13-01",
    "2020-01-01T10:00:00Z",
    "2019",
    "1e400",
    "-0",
    "\\",
    "\\u0000",
    "é",
    "💥",
    "a" * 300,
]


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A records root with the corpus' seeds; each example writes frameworks/demo.yaml."""
    base = tmp_path_factory.mktemp("properties")
    shutil.copytree(BAD / "seeds", base / "seeds")
    (base / "frameworks").mkdir()
    return base


def run(root: Path, raw: bytes, *, strict: bool = True) -> Validation:
    """Validate `raw` as frameworks/demo.yaml and check that every problem is well formed."""
    path = root / "frameworks" / "demo.yaml"
    path.write_bytes(raw)
    result = validate([path], root, strict=strict, today=TODAY)
    # Lines as YAML 1.1 (PyYAML) counts them, as the messages do: U+0085, U+2028 and U+2029 break lines
    # too. A problem may point just past the last line (end of file).
    text = raw.decode("utf-8", "replace").replace("\r\n", "\n")
    last_line = sum(text.count(b) for b in ("\n", "\r", "\x85", "\u2028", "\u2029")) + 2
    for problem in result.problems:
        assert isinstance(problem, Problem)
        assert problem.path.endswith("demo.yaml")
        assert 1 <= problem.line <= last_line, problem
        assert problem.col >= 1, problem
        assert problem.message and len(str(problem).splitlines()) == 1, problem
        assert "internal error" not in problem.message, problem
    for output_format in ("text", "github", "json"):
        rendered = render_problems(result.problems, result.files, output_format)
        if output_format == "json":
            counted = json.loads(rendered)
            assert counted["errors"] + counted["warnings"] == len(result.problems)
        else:
            assert len(rendered.splitlines()) == len(result.problems) + 1
    assert result.files == 1
    return result


@st.composite
def text_mutations(draw: st.DrawFn) -> bytes:
    """The good record's text with a few random edits: deletions, insertions, line shuffles."""
    text = GOOD_TEXT
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["delete", "insert", "replace-line", "duplicate-line", "swap-lines", "indent"]))
        lines = text.split("\n")
        if op == "delete":
            start = draw(st.integers(0, len(text)))
            text = text[:start] + text[start + draw(st.integers(1, 40)) :]
        elif op == "insert":
            at = draw(st.integers(0, len(text)))
            fragment = draw(st.one_of(st.sampled_from(NASTY), st.text(max_size=20)))
            text = text[:at] + fragment + text[at:]
        elif op == "replace-line":
            index = draw(st.integers(0, len(lines) - 1))
            lines[index] = draw(st.one_of(st.sampled_from(NASTY), st.text(max_size=40)))
            text = "\n".join(lines)
        elif op == "duplicate-line":
            index = draw(st.integers(0, len(lines) - 1))
            lines.insert(index, lines[index])
            text = "\n".join(lines)
        elif op == "swap-lines":
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
        else:
            index = draw(st.integers(0, len(lines) - 1))
            lines[index] = " " * draw(st.integers(0, 9)) + lines[index].lstrip(" ")
            text = "\n".join(lines)
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-16", "latin-1"]))
    return text.encode(encoding, errors="replace")


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(NASTY),
    st.dates(),
    st.datetimes(),
)
VALUES = st.recursive(
    SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)), max_leaves=8
)


def paths_of(data: Any, loc: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path in `data` (mapping keys and list indexes), the root excluded."""
    found: list[tuple[Any, ...]] = []
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else []
    for key, value in items:
        found.append((*loc, key))
        found.extend(paths_of(value, (*loc, key)))
    return found


@st.composite
def data_mutations(draw: st.DrawFn) -> Any:
    """The good record's data with a few values deleted, replaced by random ones, or added."""
    data = json.loads(json.dumps(GOOD_DATA, default=str))  # a deep copy (dates as strings)
    for _ in range(draw(st.integers(1, 3))):
        paths = paths_of(data)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent: Any = data
        for part in path[:-1]:
            parent = parent[part]
        op = draw(st.sampled_from(["delete", "replace", "add"]))
        if op == "delete":
            del parent[path[-1]]
        elif op == "replace":
            parent[path[-1]] = draw(VALUES)
        elif isinstance(parent, dict):
            parent[draw(st.text(max_size=10))] = draw(VALUES)
        else:
            parent.append(draw(VALUES))
    return data


@SETTINGS
@given(raw=text_mutations())
def test_text_mutations_never_crash(root: Path, raw: bytes) -> None:
    run(root, raw)


@SETTINGS
@given(raw=st.binary(max_size=3000))
def test_random_bytes_never_crash(root: Path, raw: bytes) -> None:
    run(root, raw)


@SETTINGS
@given(data=data_mutations(), flow=st.booleans())
def test_data_mutations_never_crash_and_a_record_without_errors_is_a_valid_model(root: Path, data: Any, flow: bool) -> None:
    raw = yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True, sort_keys=False).encode()
    result = run(root, raw, strict=False)
    if result.ok:  # nothing reported: the record is loaded, so `compare` can use it
        from space_frameworks.schema.dataset import load_dataset

        assert list(load_dataset(root, paths=[root / "frameworks" / "demo.yaml"]).records) == ["demo"]


@SETTINGS
@given(flow=st.booleans(), width=st.integers(20, 200), indent=st.integers(2, 6))
def test_the_good_record_is_valid_however_it_is_formatted(root: Path, flow: bool, width: int, indent: int) -> None:
    raw = yaml.safe_dump(GOOD_DATA, default_flow_style=flow, width=width, indent=indent, allow_unicode=True).encode()
    assert [str(p) for p in run(root, raw, strict=False).problems if p.severity == "error"] == []


@SETTINGS
@given(index=st.integers(0, len(GOOD_DATA["positions"]) - 1), stance=st.text(min_size=1, max_size=20))
def test_a_wrong_stance_is_reported_on_its_own_line(root: Path, index: int, stance: str) -> None:
    if stance.strip() in {s.value for s in Stance} or stance.startswith("TODO"):
        return
    data = json.loads(json.dumps(GOOD_DATA, default=str))
    data["positions"][index]["stance"] = stance
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    result = run(Path(root), text.encode(), strict=False)
    # One problem for the wrong value (and one more if it holds a control character), on the stance's line.
    problems = [p for p in result.problems if p.field == f"positions[{data['positions'][index]['topic']}].stance"]
    assert 1 <= len(problems) <= 2
    assert all("stance:" in text.split("\n")[problem.line - 1] for problem in problems)
