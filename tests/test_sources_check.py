"""`frameworks sources check`: each source page fetched again and compared with the words we hold.

Against a local HTTP server on 127.0.0.1 (no test touches the network): unchanged, changed, moved
(redirect), not found, timeout, slow drip, huge body, wrong content type, a flaky server retried; the
weekly workflow's issue bodies (dry run, and the gh calls with a stand-in gh)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from conftest import REPO, cli
from space_frameworks.reports.fetch import USER_AGENT, FetchLimits, extract_text
from space_frameworks.reports.sources import (
    Outcome,
    Watched,
    check_sources,
    comparison_key,
    held_passages,
    issue_drafts,
    report_to_dict,
    word_diff,
)
from space_frameworks.status import ExitStatus

# The body of tests/fixtures/seeds/texts/alpha-text.txt, paragraph by paragraph.
HELD = [
    "Celestial bodies are not subject to national appropriation by any means.",
    "Resources extracted by a licensed operator may be owned, used and sold by that operator.",
    "Each State shall authorize and continuously supervise its operators.",
]
PAGE = (
    "<html><head><title>Alpha</title><script>var x = 'Celestial';</script></head><body>"
    + "".join(f"<p>{p}</p>" for p in HELD)
    + "</body></html>"
)
CHANGED = PAGE.replace("may be owned, used and sold", "may be used")
# Short limits for the slow routes (/timeout, /drip), which give up in well under a second; patient ones for
# every route that answers at once, so that a busy machine never turns an answer into a timeout.
LIMITS = FetchLimits(connect_timeout=0.5, read_timeout=0.3, deadline=0.6, max_bytes=64 * 1024, retries=1, backoff=0.01)
PATIENT = FetchLimits(connect_timeout=30, read_timeout=30, deadline=60, max_bytes=64 * 1024, retries=1, backoff=0.01)
SLOW_ROUTES = ("/timeout", "/drip")


class Handler(BaseHTTPRequestHandler):
    """The routes of the fixture server; `server.hits` counts requests per path, `server.agents` keeps User-Agents."""

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def send(self, status: int, body: bytes, content_type: str = "text/html; charset=utf-8", **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        server = self.server
        server.hits[self.path] = server.hits.get(self.path, 0) + 1
        server.agents.append(self.headers.get("User-Agent", ""))
        path = self.path
        try:
            if path == "/same":
                self.send(200, PAGE.encode())
            elif path == "/changed":
                self.send(200, CHANGED.encode())
            elif path in ("/redirect", "/redirect-source"):
                self.send(301, b"", Location="/same")
            elif path == "/temporary":
                self.send(302, b"", Location="/same")
            elif path == "/missing":
                self.send(404, b"<p>Not found</p>")
            elif path == "/timeout":
                server.release.wait(5)  # never answers within the read timeout
            elif path == "/drip":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                for _ in range(100):  # a byte every 50 ms: each read is quick, the whole answer is not
                    if server.release.is_set():
                        break
                    self.wfile.write(b"<")
                    self.wfile.flush()
                    time.sleep(0.05)
            elif path == "/huge":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                for _ in range(64):
                    self.wfile.write(b"<p>" + b"x" * 16384 + b"</p>")
            elif path == "/huge-declared":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(100 * 1024 * 1024))
                self.end_headers()
            elif path == "/image":
                self.send(200, b"\x89PNG\r\n\x1a\n", "image/png")
            elif path == "/flaky":
                if server.hits[path] == 1:
                    self.send(503, b"busy", Retry_After="0")
                else:
                    self.send(200, PAGE.encode())
            elif path == "/text":
                self.send(200, "\n".join(HELD).encode(), "text/plain; charset=utf-8")
            else:
                self.send(404, b"")
        except (BrokenPipeError, ConnectionResetError):
            pass


@pytest.fixture
def server() -> Iterator[ThreadingHTTPServer]:
    """A threaded HTTP server on 127.0.0.1 and a free port, stopped after the test."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    httpd.block_on_close = False
    httpd.hits, httpd.agents, httpd.release = {}, [], threading.Event()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.release.set()
    httpd.shutdown()
    httpd.server_close()


def base(server: ThreadingHTTPServer) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}"


def watched(url: str, passages: list[str] | None = None) -> Watched:
    item = Watched(url, names=[f"text test{url[-8:]}"], text_id="test")
    item.passages = list(HELD if passages is None else passages)
    item.rely("alpha", "position resource-ownership")
    return item


def check(server: ThreadingHTTPServer, *paths: str, passages: list[str] | None = None):
    """Check the routes `paths` of the fixture server (with the short limits only if all are slow routes)."""
    items = [watched(base(server) + p, passages) for p in paths]
    limits = LIMITS if set(paths) <= set(SLOW_ROUTES) else PATIENT
    report = check_sources(items, limits, concurrency=4)
    return {r.watched.url.removeprefix(base(server)): r for r in report.results}, report


def test_each_outcome_against_the_fixture_server(server: ThreadingHTTPServer) -> None:
    paths = ["/same", "/changed", "/redirect", "/missing", "/timeout", "/drip", "/huge", "/huge-declared", "/image"]
    results, report = check(server, *[p for p in paths if p not in SLOW_ROUTES])
    slow, _ = check(server, *SLOW_ROUTES)
    results.update(slow)
    assert results["/same"].outcome == Outcome.unchanged
    changed = results["/changed"]
    assert changed.outcome == Outcome.changed
    assert changed.missing == (HELD[1],)
    assert changed.diffs == ("Resources extracted by a licensed operator may be [-owned,-] used [-and sold-] by that operator.",)
    assert changed.to_reverify == {"alpha": ["position resource-ownership"]}
    moved = results["/redirect"]
    assert moved.outcome == Outcome.moved and moved.final_url == base(server) + "/same"
    assert moved.redirects == ((301, base(server) + "/redirect"),)
    assert results["/missing"].outcome == Outcome.unreachable and "not found (HTTP 404" in results["/missing"].reason
    assert results["/timeout"].reason == "timed out" and results["/timeout"].attempts == 2  # retried once
    assert "too slowly" in results["/drip"].reason
    assert "larger than" in results["/huge"].reason
    assert "100 MiB" in results["/huge-declared"].reason
    assert "image/png" in results["/image"].reason
    for path in paths[3:]:
        assert results[path].outcome == Outcome.unreachable, path  # a failed check is never a pass
    assert report.exit_code == ExitStatus.ERROR
    assert set(server.agents) == {USER_AGENT}


def test_a_temporary_redirect_is_reported_but_is_not_a_move(server: ThreadingHTTPServer) -> None:
    results, report = check(server, "/temporary")
    assert results["/temporary"].outcome == Outcome.unchanged
    assert results["/temporary"].redirects == ((302, base(server) + "/temporary"),)
    assert report.exit_code == ExitStatus.SUCCESS


def test_a_flaky_server_is_retried_with_back_off(server: ThreadingHTTPServer) -> None:
    results, _ = check(server, "/flaky")
    assert results["/flaky"].outcome == Outcome.unchanged and results["/flaky"].attempts == 2
    assert server.hits["/flaky"] == 2


def test_unreachable_only_exits_3_and_nothing_passes() -> None:
    # A port nothing listens on: connection refused, as on a machine without network.
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    report = check_sources([watched(f"http://127.0.0.1:{port}/x")], LIMITS)
    assert [r.outcome for r in report.results] == [Outcome.unreachable]
    assert "could not connect" in report.results[0].reason
    assert report.exit_code == ExitStatus.NOT_CHECKED
    assert report_to_dict(report)["sources"][0]["checked"] is False


def test_a_page_we_hold_nothing_of_is_only_reachable(server: ThreadingHTTPServer) -> None:
    results, report = check(server, "/same", passages=[])
    assert results["/same"].outcome == Outcome.reachable
    assert report.exit_code == ExitStatus.SUCCESS


def test_text_extraction_and_comparison_fold_layout_not_words() -> None:
    text = extract_text(PAGE.encode(), "text/html")
    assert "var x" not in text and "Alpha" not in text  # scripts and the head are not the page's words
    assert comparison_key("international co-\noperation") == comparison_key("international cooperation")
    assert comparison_key("**Sec. 2.** The “Moon”") == comparison_key('Sec. 2. The "Moon"')
    assert comparison_key("owned") != comparison_key("Owned")
    assert extract_text(b"a\nb", "text/plain") == "a\nb"
    assert "<td>" not in extract_text(b"<r><td>a</td><td>b</td></r>", "text/xml")


def test_held_passages_leave_out_editorial_and_secondary_sections() -> None:
    body = "Article 1 of the instrument says this.\n[... GAP: the rest ...]\n===== B. SECONDARY: a blog =====\nWords from a blog that verify nothing.\n"
    assert held_passages(body) == ["Article 1 of the instrument says this."]


def test_word_diff_shows_what_changed() -> None:
    diff = word_diff(HELD[1], extract_text(CHANGED.encode(), "text/html"))
    assert diff == "Resources extracted by a licensed operator may be [-owned,-] used [-and sold-] by that operator."
    assert word_diff("Words that are nowhere on the page at all.", CHANGED).startswith("not on the page: ")
    assert word_diff("Each State shall authorize and continuously watch its operators.", extract_text(PAGE.encode(), "text/html")) == (
        "Each State shall authorize and continuously [-watch-] {+supervise+} its operators."
    )


# --- the command, on a copy of the fixture records pointed at the fixture server ----------------


def served_root(fixture_root: Path, server: ThreadingHTTPServer, text_path: str, sources: dict[str, str]) -> Path:
    """The fixture records with alpha's text watched at `text_path` and extra sources at the given paths."""
    text = fixture_root / "seeds" / "texts" / "alpha-text.txt"
    raw = text.read_text(encoding="utf-8")
    text.write_text(f"# source-url: {base(server)}{text_path} (fixture)\n" + raw, encoding="utf-8")
    record_file = fixture_root / "frameworks" / "alpha.yaml"
    record = yaml.safe_load(record_file.read_text(encoding="utf-8"))
    record["sources"][0]["url"] = base(server) + "/redirect-source"
    for source_id, path in sources.items():
        record["sources"].append(
            {"id": source_id, "title": f"Page {path}", "publisher": "Fixture", "kind": "official-statement", "url": base(server) + path}
        )
        record["positions"][0].setdefault("sources", []).append(source_id)
    record_file.write_text(yaml.safe_dump(record, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return fixture_root


def tree_digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()}


def test_the_command_reports_each_outcome_and_modifies_nothing(fixture_root: Path, server: ThreadingHTTPServer) -> None:
    server_paths = {"gone": "/missing", "picture": "/image"}
    root = served_root(fixture_root, server, "/changed", server_paths)
    before = tree_digest(root)
    args = ["sources", "check", "--timeout", "30", "--deadline", "60", "--retries", "0"]
    result = cli(*args, root=root)
    assert tree_digest(root) == before  # never modifies a record (nor anything else)
    assert result.exit_code == ExitStatus.ERROR, result.output
    out = result.output
    assert f"CHANGED: {base(server)}/changed" in out
    assert "re-verify alpha: position resource-ownership, provision art_2 (Article 2)" in out
    assert "diff: " in out
    assert f"unreachable, not checked: {base(server)}/missing" in out
    assert f"unreachable, not checked: {base(server)}/image" in out
    assert f"MOVED: {base(server)}/redirect-source" in out  # a 301 to a page we hold nothing of: moved
    assert f"now at: {base(server)}/same" in out

    as_json = json.loads(cli(*args, "--format", "json", root=root).stdout)
    outcomes = {s["url"].removeprefix(base(server)): s["outcome"] for s in as_json["sources"]}
    assert outcomes == {"/changed": "changed", "/redirect-source": "moved", "/missing": "unreachable", "/image": "unreachable"}
    changed = next(s for s in as_json["sources"] if s["outcome"] == "changed")
    assert changed["reverify"] == {"alpha": ["position resource-ownership", "provision art_2 (Article 2)"]}

    github = cli(*args, "--format", "github", root=root).stdout
    assert "::error file=seeds/texts/alpha-text.txt" in github or "::error file=" in github
    assert github.count("::warning") == 3


def test_the_command_selects_by_record_or_text_and_rejects_unknown_names(fixture_root: Path, server: ThreadingHTTPServer) -> None:
    root = served_root(fixture_root, server, "/same", {})
    result = cli("sources", "check", "alpha-text", "--retries", "0", root=root)
    assert result.exit_code == ExitStatus.SUCCESS, result.output
    assert f"unchanged: {base(server)}/same" in result.output and "1 source checked" in result.output
    unknown = cli("sources", "check", "alpah", root=root)
    assert unknown.exit_code == 2 and "did you mean alpha" in unknown.stderr


# --- the weekly workflow's issues --------------------------------------------------------------

SCRIPT = REPO / ".github" / "scripts" / "source_watch_issues.py"


def weekly_report(server: ThreadingHTTPServer, tmp_path: Path) -> Path:
    _, report = check(server, "/same", "/changed", "/missing")
    path = tmp_path / "report.json"
    path.write_text(json.dumps(report_to_dict(report)), encoding="utf-8")
    return path


def test_issue_drafts_name_the_records_and_positions(server: ThreadingHTTPServer) -> None:
    _, report = check(server, "/same", "/changed", "/missing")
    drafts = issue_drafts(report_to_dict(report))
    assert [d.title.split(":")[0] for d in drafts] == ["Source changed", "Source unreachable"]
    changed = drafts[0].body
    assert drafts[0].key in changed and base(server) + "/changed" in drafts[0].key
    assert "- [ ] `alpha`: position resource-ownership" in changed
    assert "may be [-owned,-] used [-and sold-] by" in changed
    assert "this is not a pass" in drafts[1].body


def test_the_workflow_script_dry_run_prints_the_issue_bodies(server: ThreadingHTTPServer, tmp_path: Path) -> None:
    report = weekly_report(server, tmp_path)
    done = subprocess.run([sys.executable, str(SCRIPT), str(report), "--dry-run"], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("=== issue: ") == 2
    assert "<!-- source-watch: " in done.stdout and "`alpha`: position resource-ownership" in done.stdout
    assert "dry run: 2 issue(s) would be opened or updated" in done.stdout


def test_the_workflow_script_updates_the_open_issue_and_opens_the_others(server: ThreadingHTTPServer, tmp_path: Path) -> None:
    report = weekly_report(server, tmp_path)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    calls = tmp_path / "calls.txt"
    existing = json.dumps([{"number": 7, "body": f"<!-- source-watch: {base(server)}/changed -->\nold"}])
    fake_gh = bin_dir / "gh"  # stands in for the GitHub CLI: logs its arguments, lists one open issue
    fake_gh.write_text(f"#!/bin/sh\necho \"$@\" >> {calls}\n[ \"$2\" = list ] && printf '%s\\n' '{existing}'\nexit 0\n")
    fake_gh.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run([sys.executable, str(SCRIPT), str(report)], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    logged = calls.read_text().splitlines()
    assert logged[0].startswith("issue list --label source-watch")
    assert logged[1].startswith("issue edit 7 --title Source changed")
    assert logged[2].startswith("issue create --title Source unreachable") and logged[2].endswith("--label source-watch")


def test_the_workflow_script_opens_nothing_when_no_source_could_be_read(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    report.write_text(
        json.dumps({"format": "frameworks.source-check/1", "sources": [{"url": "http://x", "outcome": "unreachable", "names": ["text x"]}]})
    )
    done = subprocess.run([sys.executable, str(SCRIPT), str(report)], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 1 and "the check itself failed" in done.stderr
