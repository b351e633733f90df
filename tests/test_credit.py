"""One credit everywhere: the atlas has one title, one creator (its editors, the `publisher`
setting) and one type (a dataset, as CITATION.cff must call it) in page citations, the atlas's
own citation (docs/cite.md's block), CITATION.cff, downloads/datapackage.json and the JSON-LD;
and a page's citation names the atlas once."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from generator.config import load_config
from tests.conftest import FIXTURE, ROOT
from tests.test_cite import all_pages, blocks, page_text


def _ld(text: str) -> dict:
    meta = yaml.safe_load(text.split("---", 2)[1])["atlas_meta"]
    return meta["ld"]


def test_every_place_names_the_same_title_creator_and_type(generated):
    root, _ = generated
    cfg = load_config(FIXTURE)
    title, creator = cfg.site_name, cfg.publisher
    # the atlas's own citation (docs/cite.md includes it)
    (atlas,) = json.loads(blocks(page_text(root, "atlas/cite/cite.html"))["csl"])
    assert (atlas["title"], atlas["author"], atlas["type"]) == (title, [{"literal": creator}], "dataset")
    # the data package
    package = json.loads(page_text(root, "downloads/datapackage.json"))
    assert package["title"] == title and [c["title"] for c in package["contributors"]] == [creator]
    # every page: the atlas is its container, by the same creator in its JSON-LD
    for path in all_pages(root):
        text = path.read_text(encoding="utf-8")
        (item,) = json.loads(blocks(text)["csl"])
        if item["type"] == "dataset":
            assert item["author"] == [{"literal": creator}], path
        else:
            assert item["container-title"] == title and "author" not in item, path
        if path.suffix == ".md":
            ld = _ld(text)
            assert (ld.get("author") or ld["creator"])["name"] == creator, path
            if "isPartOf" in ld:
                assert ld["isPartOf"] == {
                    "@type": "Dataset",
                    "name": title,
                    "creator": {"@type": "Organization", "name": creator},
                    "url": cfg.site_url,
                }


def test_a_citation_names_the_atlas_once(generated):
    root, _ = generated
    for rel in ("atlas/index.md", "atlas/records/tr-kz-2018-09-01.md", "atlas/countries/kazakhstan.md"):
        texts = blocks(page_text(root, rel))
        for style in ("apa", "chicago", "mla"):
            assert texts[style].count("Fixture Atlas") == 1, (rel, style, texts[style])
            assert "Fixture editors" not in texts[style], (rel, style)
    atlas = blocks(page_text(root, "atlas/cite/cite.html"))
    for style in ("apa", "chicago", "mla"):  # creator once, title once, no publisher
        assert atlas[style].count("Fixture editors") == 1 and atlas[style].count("Fixture Atlas") == 1


def test_citation_cff_names_the_atlas_as_the_site_does():
    cfg = load_config(ROOT)
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["title"] == cfg.site_name and cff["type"] == "dataset"
    assert cff["authors"] == [{"name": cfg.publisher}]  # an entity, never given and family names
    assert (cff["version"], cff["date-released"], cff["url"]) == (cfg.edition, cfg.edition_date, cfg.site_url)


def test_cffconvert_bibtex_keeps_the_credit_whole():
    """cffconvert writes an entity's name as it is, unbraced, so BibTeX reads the last word as a
    family name: 'Central Asia Security Atlas editors' becomes a person 'editors'. No CFF
    spelling avoids that (braces would show in its APA and in GitHub's widget); the atlas's own
    BibTeX (docs/cite.md, cite.bibtex) braces the name. This test records cffconvert's output."""
    exe = Path(ROOT / ".venv" / "bin" / "cffconvert")
    if not exe.exists():
        pytest.skip("cffconvert is not installed")
    out = subprocess.run([str(exe), "-f", "bibtex", "-i", str(ROOT / "CITATION.cff")], capture_output=True, text=True)
    author = re.search(r"author = \{(.*)\},", out.stdout).group(1)
    assert author == load_config(ROOT).publisher  # unbraced: see the docstring
