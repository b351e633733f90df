"""Bibliographic formatting of the sources (the pages' own citations are in generator/cite.py)."""

from __future__ import annotations

from generator.schema import Citation, Source


def _authors(names: list[str]) -> str:
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    first, *rest = names
    given_first = [" ".join(reversed([p.strip() for p in n.split(",", 1)])) for n in rest]
    return (
        first + ", " + ", ".join(given_first[:-1]) + (", and " if len(given_first) > 1 else " and ") + given_first[-1]
    )


def source_text(s: Source) -> str:
    """Chicago author-date style reference (plain text; escaped later)."""
    year = str(s.date.year) if s.date else "n.d."
    who = _authors(s.authors) or (s.container or s.publisher or "")
    parts = [f"{who}. {year}." if who else f"{year}."]
    parts.append(f"“{s.title}.”" if s.type in ("article", "chapter", "news", "web") else f"{s.title}.")
    if s.container and s.container != who:
        vol = f" {s.volume}" + (f" ({s.issue})" if s.issue else "") if s.volume else ""
        parts.append(f"{s.container}{vol}" + (f": {s.pages}." if s.pages else "."))
    elif s.pages:
        parts.append(f"Pp. {s.pages}.")
    if s.publisher and s.publisher != who:
        parts.append(f"{s.place}: {s.publisher}." if s.place else f"{s.publisher}.")
    if s.date and s.date.precision != "year" and s.type in ("news", "web"):
        parts.append(f"{s.date.label}.")
    if s.isbn:
        parts.append(f"ISBN {s.isbn}.")
    if s.doi:
        parts.append(f"https://doi.org/{s.doi}.")
    return " ".join(parts)


def short_labels(sources: list[Source]) -> dict[str, str]:
    """Author-year labels, with a/b suffixes where one author has two works in a year."""
    groups: dict[str, list[Source]] = {}
    for s in sources:
        groups.setdefault(short_cite(s), []).append(s)
    out = {}
    for label, members in groups.items():
        if len(members) == 1:
            out[members[0].id] = label
            continue
        for i, s in enumerate(sorted(members, key=lambda s: (s.date.key if s.date else (0, 0, 0), s.title))):
            out[s.id] = f"{label}{chr(ord('a') + i)}"
    return out


def short_cite(s: Source) -> str:
    family = [a.split(",")[0] for a in s.authors]
    who = (
        family[0] + (" et al." if len(family) > 2 else f" and {family[1]}" if len(family) == 2 else "")
        if family
        else (s.container or s.title)
    )
    return f"{who} {s.date.year if s.date else 'n.d.'}"


def locator_text(c: Citation) -> str:
    out = c.locator
    if c.page is not None:
        out += f", p. {c.page}"
    if c.note:
        out += f" ({c.note})"
    return out
