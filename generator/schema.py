"""The typed model: one frozen pydantic model per entity and record kind.

Validation of a single item (types, required fields, controlled values) happens here;
cross-references between items are checked in `generator.validate`.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    model_validator,
)

from generator.dates import PartialDate
from generator.fieldtypes import CountryCode, Date, Slug, Text, Url

FOCUS = ("KZ", "KG", "TJ", "UZ", "TM")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, allow_inf_nan=False)


# --- entities -------------------------------------------------------------------------------


class Country(_Model):
    id: CountryCode
    name: Text
    slug: Slug
    focus: bool = False
    capital: Slug | None = None
    adjective: str | None = None
    names: dict[str, str] = {}
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


# --- records --------------------------------------------------------------------------------


class Citation(_Model):
    source: Slug
    locator: Text
    page: str | int | None = None
    note: str | None = None


class ConflictValue(_Model):
    value: str | int | float
    citation: Citation


class Conflict(_Model):
    field: Text
    note: str | None = None
    values: list[ConflictValue] = Field(min_length=2)


class Record(_Model):
    """Fields every record has. Subclasses add the fields of their kind."""

    kind: ClassVar[str]
    prefix: ClassVar[str]
    home_topic: ClassVar[str]
    date_required: ClassVar[bool] = True
    # False for kinds that state a figure or a claim rather than an event: per-year charts leave them out.
    charted: ClassVar[bool] = True

    id: Slug
    title: Annotated[str, Field(min_length=3, max_length=160)]
    date: Date | None = None
    date_end: Date | None = None
    date_as_given: str | None = None
    # How `date` was chosen for an aggregate or undated claim: "stated" when the source gives the
    # date, "report" when the source gives none and the record carries the report's own date.
    date_basis: Literal["stated", "report"] | None = None
    countries: list[CountryCode] = []
    # Set when the source speaks of "Central Asian" officials or states without naming them: the
    # record then belongs to the region, and no country page or country chart counts it.
    region: Literal["central-asia"] | None = None
    places: list[Slug] = []
    organisations: list[Slug] = []
    topics: list[Slug] = []
    summary: str | None = None
    citations: list[Citation] = Field(min_length=1)
    related: list[Slug] = []
    conflicts: list[Conflict] = []
    notes: str | None = None

    @model_validator(mode="after")
    def _focus(self) -> Record:
        named = any(c in FOCUS for c in self.countries)
        if self.region is None and not named:
            raise ValueError(
                f"countries: name at least one Central Asian country ({', '.join(FOCUS)}), or set "
                "`region: central-asia` when the source names no state"
            )
        if self.region is not None and named:
            raise ValueError(
                "region: a region-level record names no Central Asian state in `countries`; "
                "remove `region` if the source names the states"
            )
        return self

    @property
    def when(self) -> PartialDate | None:
        """The date that places the record in time: `date`, or `established` for undated kinds."""
        return self.date or getattr(self, "established", None)

    @property
    def topic_ids(self) -> list[str]:
        return [self.home_topic, *(t for t in self.topics if t != self.home_topic)]

    def details(self) -> dict[str, Any]:
        """The kind-specific fields that are set, in declaration order."""
        common = set(Record.model_fields)
        return {
            k: getattr(self, k)
            for k in type(self).model_fields
            if k not in common and getattr(self, k) not in (None, [], {})
        }


class Meeting(Record):
    kind = "meeting"
    prefix = "mtg"
    home_topic = "dialogue"
    ca_official: Text
    cn_official: Text
    affairs_as_given: str | None = None
    security_topics: list[Slug] = []


class Exercise(Record):
    kind = "exercise"
    prefix = "ex"
    home_topic = "exercises"
    scope: Literal["multilateral", "bilateral"]
    name: str | None = None
    framework: str | None = None
    participants: list[CountryCode] = []
    ca_forces: str | None = None
    cn_forces: str | None = None
    size_total: int | None = Field(default=None, ge=0)
    size_chinese: int | None = Field(default=None, ge=0)
    size_as_given: str | None = None
    scenario: str | None = None


class Training(Record):
    kind = "training"
    prefix = "trn"
    home_topic = "training"
    training_type: str | None = None
    description_as_given: str | None = None
    trainer: str | None = None
    trainees: str | None = None


class Programme(Record):
    kind = "programme"
    prefix = "prg"
    home_topic = "training"
    trainer: str | None = None
    trainees: str | None = None
    duration_days: int | None = Field(default=None, ge=1)
    duration_as_given: str | None = None
    area: Literal["security", "trade", "legal", "other"]
    # Who classified `area`: the seed's Figure 1 gives only totals per area, so the editors assigned
    # each row ("editors"); "source" when a source itself names the area of the row.
    area_basis: Literal["editors", "source"] | None = None


class Course(Record):
    kind = "course"
    prefix = "crs"
    home_topic = "training"
    date_required = False
    course_topic: str | None = None
    trainer: str | None = None
    field_visits: list[str] = []
    specifics: str | None = None
    duration_days: int | None = Field(default=None, ge=1)
    duration_as_given: str | None = None


class Transfer(Record):
    kind = "transfer"
    prefix = "tr"
    home_topic = "transfers"
    transfer_type: Literal[
        "equipment", "aid", "covid-aid", "donation", "purchase", "arms-sale", "loan", "grant", "other"
    ] = "other"
    donor: str | None = None
    recipient: str | None = None
    items: str | None = None
    quantity: int | None = Field(default=None, ge=0)
    value: float | None = Field(default=None, ge=0)
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | None = None
    value_as_given: str | None = None


class Surveillance(Record):
    kind = "surveillance"
    prefix = "sv"
    home_topic = "surveillance"
    system_type: Literal[
        "safe-city", "smart-city", "surveillance-cameras", "facial-recognition", "border-control", "telecom", "other"
    ] = "other"
    vendors: list[Slug] = []
    cameras: int | None = Field(default=None, ge=0)
    cost: float | None = Field(default=None, ge=0)
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | None = None
    cost_as_given: str | None = None
    financing: str | None = None
    capabilities: list[str] = []


class Mechanism(Record):
    kind = "mechanism"
    prefix = "mech"
    home_topic = "multilateral"
    date_required = False
    mechanism_type: Literal["organisation", "agreement", "forum", "committee", "mechanism", "treaty"] = "mechanism"
    name: str | None = None
    abbreviation: str | None = None
    members: list[CountryCode] = []
    established: Date | None = None


class Infrastructure(Record):
    kind = "infrastructure"
    prefix = "inf"
    home_topic = "infrastructure"
    date_required = False
    facility_type: Literal["outpost", "base", "training-centre", "border-post", "other"] = "other"
    operator: str | None = None
    established: Date | None = None


class SecurityCompany(Record):
    kind = "security_company"
    prefix = "psc"
    home_topic = "private-security"
    date_required = False
    company: Slug
    activities: str | None = None
    established: Date | None = None


class Incident(Record):
    kind = "incident"
    prefix = "inc"
    home_topic = "incidents"
    incident_type: Literal[
        "protest",
        "attack",
        "detention",
        "extradition",
        "repression",
        "deportation",
        "election-monitoring",
        "kidnapping",
        "other",
    ] = "other"
    casualties: str | None = None
    participants_count: int | None = Field(default=None, ge=0)


class Indicator(Record):
    kind = "indicator"
    prefix = "ind"
    home_topic = "indicators"
    charted = False
    indicator: Slug
    value: float
    unit: str | None = None
    value_as_given: str | None = None


class Claim(Record):
    """A statement a source makes that is neither an event nor a number: a stated principle, a
    deal, the launch of a programme, a standing arrangement. Kept apart from dated events in charts
    (home topic "indicators", like the numeric aggregates); numbers go in `indicators`."""

    kind = "claim"
    prefix = "clm"
    home_topic = "indicators"
    date_required = False
    charted = False
    claim: str | None = None
    claim_type: Literal["policy", "deal", "programme", "arrangement", "total", "other"] = "other"
    value_as_given: str | None = None


RECORD_KINDS: dict[str, type[Record]] = {
    "meetings": Meeting,
    "exercises": Exercise,
    "trainings": Training,
    "programmes": Programme,
    "courses": Course,
    "transfers": Transfer,
    "surveillance": Surveillance,
    "mechanisms": Mechanism,
    "infrastructure": Infrastructure,
    "security_companies": SecurityCompany,
    "incidents": Incident,
    "indicators": Indicator,
    "claims": Claim,
}
ENTITY_KINDS: dict[str, type[_Model]] = {
    "countries": Country,
    "places": Place,
    "organisations": Organisation,
    "sources": Source,
    "vocabularies": Vocabulary,
}
KIND_LABELS: dict[str, tuple[str, str]] = {
    "meeting": ("Meeting", "Meetings"),
    "exercise": ("Joint exercise", "Joint exercises"),
    "training": ("Training or exchange", "Training and exchange"),
    "programme": ("In-China training programme", "In-China training programmes"),
    "course": ("Course programme", "Course programmes"),
    "transfer": ("Transfer", "Transfers"),
    "surveillance": ("Surveillance deployment", "Surveillance deployments"),
    "mechanism": ("Mechanism or agreement", "Mechanisms and agreements"),
    "infrastructure": ("Military infrastructure", "Military infrastructure"),
    "security_company": ("Private security company", "Private security companies"),
    "incident": ("Incident or case", "Incidents and cases"),
    "indicator": ("Country indicator", "Country indicators"),
    "claim": ("Claim", "Claims"),
}


class Topic(_Model):
    id: Slug
    title: Text
    short: str | None = None
    description: str | None = None
    kinds: list[str] = []


ENTITY_KINDS["topics"] = Topic


class GlossaryTerm(_Model):
    """A term or acronym the sources use, with its originals and a short cited explanation."""

    id: Slug
    term: Text
    expansion: str | None = None  # what an acronym stands for
    names: dict[str, str] = {}  # BCP 47 language tag -> the term in that language (zh, ru, ...)
    definition: Text
    see: list[Slug] = []  # other glossary ids


ENTITY_KINDS["glossary"] = GlossaryTerm
