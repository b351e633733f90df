"""What Pagefind reads from a generated page besides its text: the kind and country filters
(the search page's facets) and the names it is found by, in a hidden block that readers never see
(`data-pagefind-ignore` keeps it out of the text and the excerpts; meta and filters still apply).

`names` carries a country's, place's or topic's name and aliases, `organisation` an organisation's
name, `short` its abbreviation and aliases (so SCO's page, not a body with SCO in its name, comes
first for "SCO"), `native` an entity's names in other scripts, `terms` the
glossary's, `fields` a record's field values. docs/assets/atlas/atlas-search-box.js weights a
match in these far above one in a title or the text, so the page about a thing ranks first for
its name (see the ranking options there)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from markupsafe import Markup

from generator.text import md

_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_TAG = re.compile(r"<[^>]*>")


def plain(value: object) -> str:
    """The text of a Markdown/HTML value made by the generator (links and tags dropped, entities
    kept: the result is already escaped)."""
    return _TAG.sub("", _LINK.sub(r"\1", md(value)))


def search_data(
    kind: str,
    names: Iterable[str] = (),
    countries: Iterable[str] = (),
    *,
    field: str = "names",
    native: Iterable[str] = (),
    short: Iterable[str] = (),
    text: Iterable[object] = (),
) -> Markup:
    """The hidden block: filters `kind` and `country`, meta `field` (the names, or `text`
    already escaped or made by the generator), meta `native` (names in other scripts) and `short`
    (an organisation's abbreviation and aliases)."""
    parts = [f'<span data-pagefind-filter="kind">{md(kind)}</span>']
    parts += [f'<span data-pagefind-filter="country">{md(c)}</span>' for c in dict.fromkeys(countries)]
    for key, values in (
        (field, [md(n) for n in names if n] + [plain(t) for t in text]),
        ("native", [md(n) for n in native if n]),
        ("short", [md(n) for n in short if n]),
    ):
        words = [w for w in dict.fromkeys(values) if w]
        if words:
            parts.append(f'<span data-pagefind-meta="{key}">{" · ".join(words)}</span>')
    return Markup('<div class="atlas-search-data" hidden data-pagefind-ignore>' + "".join(parts) + "</div>")


def entity_names(name: str, aliases: Iterable[str], *more: str | None) -> list[str]:
    """An entity's name, its abbreviation or other short names (`more`) and its aliases."""
    return [name, *(m for m in more if m), *aliases]
