"""The value types of the data's fields: ids, codes, dates as an editor writes them, web addresses.

Each carries its check and the pattern the JSON Schema shows the editor."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, Field, PlainSerializer, WithJsonSchema

from generator.dates import PartialDate

# `errorMessage`: what an editor's YAML tool (yaml-language-server, ajv-errors) shows when a value
# does not match, instead of the raw pattern.
SLUG_MESSAGE = "an id: lowercase letters, digits and single hyphens, e.g. `bishkek` or `report-a`"
Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", json_schema_extra={"errorMessage": SLUG_MESSAGE})]
COUNTRY_MESSAGE = "a two-letter country code in capitals, e.g. KG, KZ, TJ, UZ, TM or CN"
CountryCode = Annotated[str, Field(pattern=r"^[A-Z]{2}$", json_schema_extra={"errorMessage": COUNTRY_MESSAGE})]
CURRENCY_MESSAGE = "a three-letter currency code in capitals, e.g. USD, CNY or KGS"
CurrencyCode = Annotated[str, Field(pattern=r"^[A-Z]{3}$", json_schema_extra={"errorMessage": CURRENCY_MESSAGE})]
# Not blank: the model strips spaces before it counts (`\S` is the schema's way to say so).
Text = Annotated[str, Field(min_length=1, json_schema_extra={"pattern": r"\S", "errorMessage": "must not be empty"})]
# A month's possible days (30 for April, June, September, November; 29 for February: a 29
# February of a common year is the one impossible date the pattern lets through).
DATE_PATTERN = (
    r"^[0-9]{4}(-((0[13578]|1[02])(-(0[1-9]|[12][0-9]|3[01]))?|(0[469]|11)(-(0[1-9]|[12][0-9]|30))?"
    r"|02(-(0[1-9]|1[0-9]|2[0-9]))?))?$"
)
DATE_MESSAGE = (
    'a date in quotes: "YYYY", "YYYY-MM" or "YYYY-MM-DD", e.g. "2021-03" or "2021-03-15" (a real month and day)'
)
Date = Annotated[
    PartialDate,
    BeforeValidator(PartialDate.parse),
    PlainSerializer(lambda d: d.iso),
    # What an editor writes (the JSON Schema for editors), not the parsed dataclass.
    WithJsonSchema({"type": "string", "pattern": DATE_PATTERN, "errorMessage": DATE_MESSAGE}),
]
# Also an ECMAScript pattern (yaml-language-server compiles it with the `u` flag, where `\"` is an error).
URL_PATTERN = r"^https?://[^\s<>" + '"' + r"'`\\]+$"
URL_MESSAGE = "a web address starting with http:// or https://, without spaces, quotes or < >"


def _http_url(v: str) -> str:
    """Addresses from the data become links: only web addresses, never `javascript:` or a bare word."""
    if not re.match(URL_PATTERN, v):
        raise ValueError("a URL must start with http:// or https:// and contain no spaces, quotes or < >")
    return v


Url = Annotated[
    str,
    AfterValidator(_http_url),
    WithJsonSchema({"type": "string", "pattern": URL_PATTERN, "errorMessage": URL_MESSAGE}),
]

# A locator names a place in the source a reader can find: a page, appendix, table, figure,
# section, chapter, box, note, a named part of the document, or where a source cited it. One rule
# for record citations and essays' `[@source, locator]`.
LOCATOR = re.compile(
    r"^(pp?\.\s*\d|pages?\s+\d|appendix\b|appendices\b|table\b|tables\b|figure\b|fig\.|section\b|sections\b|§|"
    r"subsection\b|chapter\b|box\b|map\b|note\b|notes\b|endnote\b|footnote\b|introduction\b|conclusion\b|"
    r"abstract\b|executive summary\b|summary\b|part\b|annex\b|para\.|paragraph\b|article\b|cited in\b|"
    r"title\b|list\b|photo\b|caption\b|front matter\b)",
    re.IGNORECASE,
)
LOCATOR_HINT = "write where in the source: page 12, section 3, table 2, Appendix 4, figure 1, note 5, article ..."


def locator_problem(value: str) -> str | None:
    """What is wrong with a locator, or None: the one rule for records and essays."""
    if not value.strip():
        return "the locator is empty"
    if not LOCATOR.match(value.strip()):
        return f"'{value[:40]}' does not say where in the source"
    return None


def _locator(v: str) -> str:
    if (problem := locator_problem(v)) is not None:
        raise ValueError(f"{problem} (hint: {LOCATOR_HINT})")
    return v


def case_insensitive(pattern: str) -> str:
    """`pattern` matching either case without a flag (JSON Schema patterns have none): each letter
    outside an escape becomes `[xX]`."""
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            out.append(pattern[i : i + 2])
            i += 2
            continue
        out.append(f"[{c.lower()}{c.upper()}]" if c.isascii() and c.isalpha() else c)
        i += 1
    return "".join(out)


# The locator rule as a JSON Schema pattern (leading spaces allowed: the model strips them).
LOCATOR_PATTERN = r"^\s*" + case_insensitive(LOCATOR.pattern.removeprefix("^"))
Locator = Annotated[
    str,
    AfterValidator(_locator),
    WithJsonSchema(
        {
            "type": "string",
            "minLength": 1,
            "pattern": LOCATOR_PATTERN,
            "errorMessage": "where in the source: " + LOCATOR_HINT.removeprefix("write where in the source: "),
        }
    ),
]

# --- how a record holds a country, a number, a look-alike ---------------------------------------

# The part a tagged country plays in a record. Only "took-part" (the default where nothing is
# said) and "hosted" count the record for the country: country pages, counts, charts and maps.
ROLES = ("took-part", "hosted", "crossed", "named", "located-in")
PARTICIPATING = ("took-part", "hosted")
Role = Literal["took-part", "hosted", "crossed", "named", "located-in"]
ROLE_LABELS = {
    "took-part": "took part",
    "hosted": "hosted",
    "crossed": "crossed in transit",
    "named": "named, not a party",
    "located-in": "location only, not a party",
}

# How exact a typed number is: "about", "more than", "at least", "up to", "fewer than", or a range
# "to N" (the field holds the low end). Absent means the source gives the number exactly.
QUALIFIERS = ("about", "more than", "at least", "up to", "fewer than")
PRECISION_PATTERN = r"^(about|more than|at least|up to|fewer than|to [0-9]+(\.[0-9]+)?)$"
PRECISION_MESSAGE = 'about, more than, at least, up to, fewer than, or "to N" for a range (e.g. "to 40")'
Precision = Annotated[str, Field(pattern=PRECISION_PATTERN, json_schema_extra={"errorMessage": PRECISION_MESSAGE})]


def qualified(text: str, precision: str | None) -> str:
    """A formatted number with its precision: "about 10,000", "24 to 40"."""
    if not precision:
        return text
    if precision.startswith("to "):
        high = float(precision[3:])
        return f"{text} to {int(high) if high.is_integer() else high:,}"
    return f"{precision} {text}"


def combined(precisions: list[str | None]) -> str | None:
    """The precision of a sum or extreme of numbers: exact only when every part is exact; a lower
    bound ("more than", "at least") when every inexact part is one; otherwise "about"."""
    inexact = [p for p in precisions if p]
    if not inexact:
        return None
    if all(p in ("more than", "at least") for p in inexact):
        return "at least" if "at least" in inexact else "more than"
    return "about"
