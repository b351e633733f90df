"""Raw HTML links rebased for Zensical (generator/zensical_links.py). The whole effect, on a real
Zensical build of the fixture atlas, is checked by tests/test_build.py's link check."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest

from generator.build import zensical_settings
from generator.errors import AtlasError
from generator.zensical_links import rebase, rebase_html

PAGE = "https://atlas.example.org/atlas/countries/kazakhstan/"  # from atlas/countries/kazakhstan.md


@pytest.mark.parametrize(
    "url",
    ["meeting/", "../../records/x/", "../../../x.svg#pin", "./", ".", "..", "../", "a/b.json?v=1#f", "x.png"],
)
def test_zensicals_prefix_on_the_rebased_link_gives_back_the_pages_link(url):
    zensical = "../" + rebase(url, "kazakhstan")  # what Zensical does to a relative link of a non-index page
    assert urljoin(PAGE, zensical) == urljoin(PAGE, url)


@pytest.mark.parametrize("url", ["#top", "?q=1", "", "https://x.org/a/", "//x.org/a", "/abs/", "mailto:a@b.org"])
def test_links_zensical_leaves_alone_are_left_alone(url):
    assert rebase(url, "kazakhstan") == url


def test_only_start_tags_href_src_srcset_change():
    html = (
        '<a href="meeting/" data-href="keep/">m</a><img src=x.png srcset="a.png 1x, ../b.png 2x" alt="">'
        "<use HREF = 'r.svg#p'/><form action=\"keep/\"></form>"
        '<script src="../s.js">var a = \'<a href="keep/">\';</script><!-- <a href="keep/"> -->'
        '<p>href="keep/"</p>'
    )
    assert rebase_html(html, "k") == (
        '<a href="k/meeting/" data-href="keep/">m</a><img src=k/x.png srcset="k/a.png 1x, b.png 2x" alt="">'
        "<use HREF = 'k/r.svg#p'/><form action=\"keep/\"></form>"
        '<script src="s.js">var a = \'<a href="keep/">\';</script><!-- <a href="keep/"> -->'
        '<p>href="keep/"</p>'
    )


def test_zensicals_config_switches_its_search_off_and_loads_the_extension():
    text = "site_name: A\nplugins: []  # Pagefind\nmarkdown_extensions:\n  - tables\n"
    out = zensical_settings(text)
    assert "plugins:\n  - search:\n      enabled: false\n" in out
    assert "markdown_extensions:\n  - generator.zensical_links\n  - tables\n" in out
    with pytest.raises(AtlasError):
        zensical_settings("site_name: A\n")
