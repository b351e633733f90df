"""The value types of the data's fields: ids, codes, dates as an editor writes them, web addresses.

Each carries its check and the pattern the JSON Schema shows the editor."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field, PlainSerializer, WithJsonSchema

from generator.dates import PartialDate

Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
CountryCode = Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
Text = Annotated[str, Field(min_length=1)]
DATE_PATTERN = r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"
Date = Annotated[
    PartialDate,
    BeforeValidator(PartialDate.parse),
    PlainSerializer(lambda d: d.iso),
    # What an editor writes (the JSON Schema for editors), not the parsed dataclass.
    WithJsonSchema({"type": "string", "pattern": DATE_PATTERN}),
]
URL_PATTERN = r"^https?://[^\s<>\"'`\\]+$"


def _http_url(v: str) -> str:
    """Addresses from the data become links: only web addresses, never `javascript:` or a bare word."""
    if not re.match(URL_PATTERN, v):
        raise ValueError("a URL must start with http:// or https:// and contain no spaces, quotes or < >")
    return v


Url = Annotated[str, AfterValidator(_http_url), WithJsonSchema({"type": "string", "pattern": URL_PATTERN})]
