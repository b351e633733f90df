"""The typed model of the atlas's entities: countries, places, organisations, sources, vocabularies,
topics and glossary terms (records are in `generator.schema`)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from generator.fieldtypes import CountryCode, Date, Slug, Text, Url

MODEL_CONFIG = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, allow_inf_nan=False)


class _Model(BaseModel):
    model_config = MODEL_CONFIG


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
