"""The edition every output names (one data version: __version__), the licences, CITATION.cff, and the
release workflow's changelog of the data."""

from __future__ import annotations

import json
from importlib.metadata import version
from pathlib import Path

import yaml

from conftest import REPO
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


def test_export_and_site_name_the_edition(run, fixture_root: Path, tmp_path: Path) -> None:
    exported = json.loads(run("--root", str(fixture_root), "export").stdout)
    assert exported["edition"]["data_version"] == __version__
    assert exported["edition"]["data_licence"] == DATA_LICENCE
    assert exported["edition"]["data_as_of"] == max(r["last_verified"] for r in exported["frameworks"])
    site = tmp_path / "site"
    assert run("--root", str(fixture_root), "site", "-o", str(site)).exit_code == 0
    page = (site / "frameworks" / "alpha" / "index.html").read_text(encoding="utf-8")
    assert f"Dataset version {__version__}" in page and 'rel="license">CC BY 4.0</a>' in page
    assert '<h2 id="cite">Cite this</h2>' in page and "<dt>OSCOLA</dt>" in page
    topic = (site / "topics" / "resource-ownership" / "index.html").read_text(encoding="utf-8")
    assert "Cite this" in topic and "<dt>Bluebook</dt>" in topic


def test_the_release_changelog_is_the_diff_of_two_exports(run, fixture_root: Path, tmp_path: Path) -> None:
    """The release workflow's changelog of the data is `frameworks diff` of the previous and the new export."""
    assert "diff previous.json" in (REPO / ".github" / "workflows" / "release.yml").read_text(encoding="utf-8")
    old = tmp_path / "old.json"
    old.write_text(run("--root", str(fixture_root), "export").stdout, encoding="utf-8")
    record_file = fixture_root / "frameworks" / "alpha.yaml"
    text = record_file.read_text(encoding="utf-8")
    record_file.write_text(text.replace("stance: conditional", "stance: affirms", 1), encoding="utf-8")
    new = tmp_path / "new.json"
    new.write_text(run("--root", str(fixture_root), "export").stdout, encoding="utf-8")
    changed = run("--root", str(fixture_root), "diff", str(old), str(new), "--format", "markdown")
    assert changed.exit_code == 0, changed.output
    assert "alpha" in changed.stdout and "conditional" in changed.stdout and "affirms" in changed.stdout
