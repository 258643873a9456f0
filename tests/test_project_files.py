"""The project's own files: the data version, licences, CITATION.cff, release, console script, CI files.

The edition every output names (one data version: __version__), the release workflow's changelog of the
data, and the contributor files (GitHub workflow and issue form, pre-commit hook)."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.metadata import entry_points, version
from pathlib import Path

import pytest
import yaml

from conftest import REPO, cli
from space_frameworks import __version__
from space_frameworks.reports.edition import DATA_LICENCE, DATA_VERSION


def test_one_data_version_everywhere() -> None:
    citation = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    assert DATA_VERSION == __version__ == citation["version"] == version("space-frameworks")
    assert citation["license"] == "CC-BY-4.0" and citation["cff-version"] == "1.2.0"
    release = (REPO / ".github" / "workflows" / "release.yml").read_text(encoding="utf-8")
    assert 'GITHUB_REF_NAME" != "v$version"' in release  # a tag that is not v__version__ is refused


def test_licences_are_stated() -> None:
    licence = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License") and "CC BY 4.0" in licence
    assert 'license = "MIT"' in (REPO / "pyproject.toml").read_text(encoding="utf-8")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "CC BY 4.0" in readme and "MIT" in readme
    for text in sorted((REPO / "seeds" / "texts").glob("*.txt")):
        header = [line for line in text.read_text(encoding="utf-8").splitlines() if line.startswith("# ")]
        assert any(line.startswith("# licence: ") for line in header), f"{text.name} states no licence status"


def test_export_and_site_name_the_edition(fixture_root: Path, tmp_path: Path) -> None:
    exported = json.loads(cli("export", root=fixture_root).stdout)
    assert exported["edition"]["data_version"] == __version__
    assert exported["edition"]["data_licence"] == DATA_LICENCE
    assert exported["edition"]["data_as_of"] == max(r["last_verified"] for r in exported["frameworks"])
    site = tmp_path / "site"
    assert cli("site", "-o", str(site), root=fixture_root).exit_code == 0
    page = (site / "frameworks" / "alpha" / "index.html").read_text(encoding="utf-8")
    assert f"Dataset version {__version__}" in page and 'rel="license">CC BY 4.0</a>' in page
    assert '<h2 id="cite">Cite this</h2>' in page and "<dt>OSCOLA</dt>" in page
    topic = (site / "topics" / "resource-ownership" / "index.html").read_text(encoding="utf-8")
    assert "Cite this" in topic and "<dt>Bluebook</dt>" in topic


def test_the_release_changelog_is_the_diff_of_two_exports(fixture_root: Path, tmp_path: Path) -> None:
    """The release workflow's changelog of the data is `frameworks diff` of the previous and the new export."""
    assert "diff previous.json" in (REPO / ".github" / "workflows" / "release.yml").read_text(encoding="utf-8")
    old = tmp_path / "old.json"
    old.write_text(cli("export", root=fixture_root).stdout, encoding="utf-8")
    record_file = fixture_root / "frameworks" / "alpha.yaml"
    text = record_file.read_text(encoding="utf-8")
    record_file.write_text(text.replace("stance: conditional", "stance: affirms", 1), encoding="utf-8")
    new = tmp_path / "new.json"
    new.write_text(cli("export", root=fixture_root).stdout, encoding="utf-8")
    changed = cli("diff", str(old), str(new), "--format", "markdown", root=fixture_root)
    assert changed.exit_code == 0, changed.output
    assert "alpha" in changed.stdout and "conditional" in changed.stdout and "affirms" in changed.stdout


@pytest.mark.parametrize(
    ("path", "builtin"),
    [
        (".github/workflows/validate.yml", "vendor.github-workflows"),
        (".github/ISSUE_TEMPLATE/correction.yml", "vendor.github-issue-forms"),
    ],
)
def test_the_contributor_files_meet_githubs_schemas(path: str, builtin: str) -> None:
    """Checked offline against the schemas that check-jsonschema ships (no network)."""
    command = [sys.executable, "-m", "check_jsonschema", "--builtin-schema", builtin, str(REPO / path)]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_the_correction_issue_form_requires_the_source_url() -> None:
    form = yaml.safe_load((REPO / ".github/ISSUE_TEMPLATE/correction.yml").read_text(encoding="utf-8"))
    fields = {item.get("id"): item for item in form["body"]}
    assert fields["source-url"]["validations"]["required"] is True
    assert fields["record"]["validations"]["required"] is True


def test_the_pre_commit_hook_runs_the_validator_on_record_files() -> None:
    [hook] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["entry"] == "frameworks validate" and hook["language"] == "python"
    assert hook["files"] == r"^frameworks/.*\.ya?ml$"


def test_the_console_script_runs_the_guarded_entry_point() -> None:
    """`frameworks` runs __main__.main, as `python -m space_frameworks` does (the way the tests that need a
    process of their own run it: conftest.cli_process)."""
    [script] = [entry for entry in entry_points(group="console_scripts") if entry.name == "frameworks"]
    assert script.value == "space_frameworks.__main__:main"
    assert 'if __name__ == "__main__":\n    main()\n' in (REPO / "__main__.py").read_text(encoding="utf-8")
