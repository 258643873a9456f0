"""`frameworks cite`: the instrument as lawyers cite it (OSCOLA, Bluebook, BibTeX, CSL-JSON).

From the reporters the record holds, with the dataset version; BibTeX read back with bibtexparser,
CSL-JSON with citeproc-py (and the CSL variable list)."""

from __future__ import annotations

import json

import bibtexparser
import pytest
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON

from conftest import cli
from space_frameworks import __version__
from space_frameworks.reports.citation import csl_items, make_citation, pinpoints, reporters
from space_frameworks.schema.dataset import Dataset

# The item variables of CSL-JSON (CSL 1.0.2 csl-data.json) that our items may use, and its item types.
CSL_FIELDS = {
    "id",
    "type",
    "title",
    "title-short",
    "authority",
    "jurisdiction",
    "issued",
    "container-title",
    "volume",
    "page",
    "number",
    "section",
    "URL",
    "author",
    "version",
    "note",
    "genre",
}
CSL_TYPES = {"treaty", "legislation", "document", "dataset", "regulation"}


def test_ost_in_oscola_cites_unts_and_the_dataset_version() -> None:
    result = cli("cite", "ost", "--style", "oscola")
    assert result.exit_code == 0
    assert result.stdout.startswith(
        "Treaty on Principles Governing the Activities of States in the Exploration and Use of Outer Space, including the Moon and "
        "Other Celestial Bodies (adopted 19 December 1966, opened for signature 27 January 1967, entered into force 10 October 1967) "
        "610 UNTS 205 (Outer Space Treaty); "
    )
    assert f"dataset version {__version__}, data as of 30 November 2026" in result.stdout


def test_eo_in_bluebook_cites_the_federal_register() -> None:
    result = cli("cite", "us-eo-2020", "--style", "bluebook")
    assert result.stdout.startswith("Exec. Order No. 13,914, 85 Fed. Reg. 20,381 (Apr. 10, 2020); ")
    pinned = cli("cite", "eo-13914", "--style", "bluebook", "--provision", "sec_2")
    assert pinned.stdout.startswith("Exec. Order No. 13,914, § 2, 85 Fed. Reg. 20,381 (Apr. 10, 2020); ")


def test_statute_cites_session_law_and_code_section() -> None:
    whole = cli("cite", "us-cslca-2015", "--style", "bluebook").stdout
    assert whole.startswith(
        "U.S. Commercial Space Launch Competitiveness Act, Pub. L. No. 114-90, 129 Stat. 704, 720–21 (2015) (codified at 51 U.S.C. §§ 51301–51303); "
    )
    section = cli("cite", "us-cslca-2015", "--style", "bluebook", "--provision", "sec_51303").stdout
    assert "(codified at 51 U.S.C. § 51303)" in section


def test_treaty_pinpoints_for_a_position() -> None:
    out = cli("cite", "ost", "--style", "bluebook", "--topic", "resource-ownership").stdout
    assert out.startswith(
        "Treaty on Principles Governing the Activities of States in the Exploration and Use of Outer Space, including the Moon and "
        "Other Celestial Bodies, arts. I, II, VIII, Jan. 27, 1967, 18 U.S.T. 2410, 610 U.N.T.S. 205; "
    )
    assert "Ownership of extracted resources" in out


def test_no_reporter_is_invented(dataset: Dataset) -> None:
    # Only the four UN treaties hold a UNTS reference; the Accords and national laws have none.
    with_unts = sorted(r.id for r in dataset.records.values() if reporters(r).unts)
    assert with_unts == ["liability-convention", "moon-agreement", "ost", "registration-convention"]
    artemis = make_citation(dataset.records["artemis-accords"])
    assert "UNTS" not in json.dumps(csl_items(artemis)) and "Treaty Series" not in json.dumps(csl_items(artemis))
    assert reporters(dataset.records["ost"]).unts == ("610", "205")
    assert reporters(dataset.records["us-eo-2020"]).fr == ("85", "20381", "20382")


def test_pinpoint_wording() -> None:
    assert pinpoints(("Article I, second paragraph", "Article II"), bluebook=False) == "arts I and II"
    assert pinpoints(("Sec. 10(1)", "Sec. 10(2), first sentence (part)"), bluebook=True) == "§§ 10(1), 10(2)"
    assert pinpoints(("51 U.S.C. 51303",), bluebook=False) == "51 USC § 51303"
    assert pinpoints(("Preamble (second recital)",), bluebook=False) == "preamble (second recital)"


@pytest.mark.parametrize("record_id", ["ost", "us-eo-2020", "us-cslca-2015", "artemis-accords", "lux-2017", "russia", "declaration-1963"])
def test_bibtex_parses_with_bibtexparser(record_id: str) -> None:
    out = cli("cite", record_id, "--style", "bibtex", "--topic", "resource-ownership").stdout
    library = bibtexparser.parse_string(out)
    assert not library.failed_blocks
    keys = [entry.key for entry in library.entries]
    assert keys == [record_id, f"space-frameworks-{__version__}-{record_id}-resource-ownership"]
    dataset_entry = library.entries[1]
    assert dataset_entry.fields_dict["version"].value == __version__


def test_csl_json_renders_with_citeproc() -> None:
    out = cli("cite", "artemis-accords", "--topic", "resource-ownership", "--style", "csl-json").stdout
    items = json.loads(out)
    for item in items:
        assert set(item) <= CSL_FIELDS and item["type"] in CSL_TYPES
        assert isinstance(item["id"], str)
    assert items[0]["section"].startswith("Sec. 10(1)")
    assert items[0]["type"] == "document" and items[0]["genre"] == "political accord"  # not a treaty
    assert items[1]["version"] == __version__ and items[1]["type"] == "dataset"
    source = CiteProcJSON(items)
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, source, formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    rendered = [str(entry) for entry in bibliography.bibliography()]
    assert any("Artemis Accords" in entry for entry in rendered)
    assert any("2026" in entry for entry in rendered)


def test_bad_input_is_a_one_line_usage_error() -> None:
    assert cli("cite", "ost", "--style", "mla").exit_code == 2
    both = cli("cite", "ost", "--topic", "resource-ownership", "--provision", "art_2")
    assert both.exit_code == 2 and "not both" in both.stderr
    missing = cli("cite", "ost", "--provision", "art_99")
    assert missing.exit_code == 2 and "has no provision 'art_99'" in missing.stderr
    assert cli("cite", "ost", "--topic", "nonsense").exit_code == 2
    assert cli("cite", "nowhere").exit_code == 2
