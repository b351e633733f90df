"""The typed model: one frozen pydantic model per entity and record kind.

Validation of a single item (types, required fields, controlled values) happens here;
cross-references between items are checked in `generator.validate`.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    Field,
    model_validator,
)

from generator.dates import PartialDate
from generator.entities import (  # noqa: F401 (re-exported: the model of every input)
    MODEL_CONFIG,
    Citation,
    Country,
    GlossaryTerm,
    Organisation,
    Place,
    Source,
    Term,
    Topic,
    Vocabulary,
)
from generator.fieldtypes import PARTICIPATING, CountryCode, CurrencyCode, Date, Precision, Role, Slug, Text

FOCUS = ("KZ", "KG", "TJ", "UZ", "TM")


class _Model(BaseModel):
    model_config = MODEL_CONFIG


# --- records --------------------------------------------------------------------------------


class ConflictValue(_Model):
    value: str | int | float
    citation: Citation


class Conflict(_Model):
    field: Text
    note: str | None = None
    values: list[ConflictValue] = Field(min_length=2)


class Distinct(_Model):
    """An editor's note that a look-alike record is a different event."""

    record: Slug
    note: Text


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
    # Where `date` comes from: "stated" when the seed states the event's date, "article" when it is
    # the publication date of an article the seed cites, "report" when the record carries the
    # report's own date. Only events (no basis, or "stated") are dated events on the home page.
    date_basis: Literal["stated", "article", "report"] | None = None
    countries: list[CountryCode] = []
    # The part each tagged country plays; a country not named here took part.
    roles: dict[CountryCode, Role] = {}
    # Set when the source speaks of "Central Asian" officials or states without naming them: the
    # record then belongs to the region, and no country page or country chart counts it.
    region: Literal["central-asia"] | None = None
    places: list[Slug] = []
    organisations: list[Slug] = []
    topics: list[Slug] = []
    summary: str | None = None
    citations: list[Citation] = Field(min_length=1)
    related: list[Slug] = []
    # The same event recorded from another table or source: linked, counted once.
    same_as: list[Slug] = []
    # Look-alikes (same country, kind and month) that the editors checked and found different.
    distinct_from: list[Distinct] = []
    # Who the source attributes the statement to, when it reports it rather than states it.
    attributed_to: str | None = None
    # How exact each typed number is, by field name (absent: exact).
    precision: dict[str, Precision] = {}
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
        for code in self.roles:
            if code not in self.countries:
                raise ValueError(f"roles: {code} is not in `countries`; give roles only to tagged countries")
        for name in self.precision:
            if not isinstance(getattr(self, name, None), (int, float)):
                raise ValueError(f"precision: '{name}' is not a number set on this record")
        return self

    @property
    def participating(self) -> list[str]:
        """The tagged countries that took part in or hosted what the record describes."""
        return [c for c in self.countries if self.roles.get(c, "took-part") in PARTICIPATING]

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
    size_central_asian: int | None = Field(default=None, ge=0)
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
    trainees_count: int | None = Field(default=None, ge=0)
    # For a joint operation rather than a course: officers taking part and people it arrested.
    personnel_count: int | None = Field(default=None, ge=0)
    arrests: int | None = Field(default=None, ge=0)


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
    currency: CurrencyCode | None = None
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
    currency: CurrencyCode | None = None
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
    clients_count: int | None = Field(default=None, ge=0)
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
    # The figures of `casualties` and of the summary, typed: people killed, people arrested or detained.
    deaths: int | None = Field(default=None, ge=0)
    arrests: int | None = Field(default=None, ge=0)
    deported: int | None = Field(default=None, ge=0)
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
ENTITY_KINDS: dict[str, type[BaseModel]] = {
    "countries": Country,
    "places": Place,
    "organisations": Organisation,
    "sources": Source,
    "vocabularies": Vocabulary,
    "topics": Topic,
    "glossary": GlossaryTerm,
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
