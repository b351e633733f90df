"""The typed model of the atlas's entities: countries, places, organisations, sources, vocabularies,
topics and glossary terms (records are in `generator.schema`)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from generator.fieldtypes import CountryCode, Date, Locator, Slug, Text, Url

MODEL_CONFIG = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, allow_inf_nan=False)


class _Model(BaseModel):
    model_config = MODEL_CONFIG


class Citation(_Model):
    """A source and where in it (appendix, table, figure, section or page): how records and
    entity descriptions cite."""

    source: Slug
    locator: Locator
    page: str | int | None = None
    note: str | None = None


class Description(_Model):
    """A short description of an entity in the editors' own words, with the passage it rests on."""

    text: Annotated[str, Field(min_length=20, max_length=600)]
    citations: list[Citation] = Field(min_length=1)


class Country(_Model):
    id: CountryCode
    name: Text
    slug: Slug
    focus: bool = False
    capital: Slug | None = None
    adjective: str | None = None
    names: dict[str, str] = {}
    aliases: list[str] = []
    bbox: tuple[float, float, float, float] | None = None
    overview: str | None = None


class Place(_Model):
    id: Slug
    name: Text
    country: CountryCode
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    type: Literal["city", "town", "region", "site", "border", "district", "country", "base"] = "city"
    names: dict[str, str] = {}
    aliases: list[str] = []
    geonames: int | None = None
    precision: Literal["exact", "approximate", "region"] = "exact"
    notes: str | None = None


class Organisation(_Model):
    id: Slug
    name: Text
    country: CountryCode | None = None
    type: Literal[
        "government",
        "military",
        "police",
        "security-service",
        "company",
        "multilateral",
        "academic",
        "ngo",
        "media",
        "other",
    ] = "other"
    abbreviation: str | None = None
    names: dict[str, str] = {}
    aliases: list[str] = []
    description: Description | None = None  # a cited sentence or two for the organisation's page
    notes: str | None = None
    url: Url | None = None


class Source(_Model):
    id: Slug
    type: Literal["report", "article", "chapter", "book", "news", "web", "dataset", "document"]
    title: Text
    authors: list[str] = []
    container: str | None = None
    publisher: str | None = None
    place: str | None = None
    date: Date | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    url: Url | None = None
    doi: str | None = None
    isbn: str | None = None
    license: str | None = None
    seed: bool = False
    cited_in: Slug | None = None
    language: str | None = None
    accessed: Date | None = None
    notes: str | None = None


class Term(_Model):
    id: Slug
    label: Text


class Vocabulary(_Model):
    id: Slug
    title: Text
    terms: list[Term]


class Topic(_Model):
    id: Slug
    title: Text
    short: str | None = None
    description: str | None = None
    kinds: list[str] = []
    aliases: list[str] = []


class GlossaryTerm(_Model):
    """A term or acronym the sources use, with its originals and a short cited explanation."""

    id: Slug
    term: Text
    expansion: str | None = None  # what an acronym stands for
    names: dict[str, str] = {}  # BCP 47 language tag -> the term in that language (zh, ru, ...)
    aliases: list[str] = []  # other spellings and abbreviations readers search for
    definition: Text
    see: list[Slug] = []  # other glossary ids
