"""The learner profile: the opt-in record the indexer reads for each learner."""

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

LEARNER_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:-]{2,127}$"

SkillName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)
]
ShortId = Annotated[str, StringConstraints(min_length=1, max_length=128)]


class ConsentScope(StrEnum):
    employer_search = "employer_search"
    contact = "contact"
    youth_programs = "youth_programs"


class Consent(BaseModel):
    """The learner's (and for a minor, the guardian's) consent record."""

    model_config = ConfigDict(extra="forbid")

    scopes: list[ConsentScope] = Field(
        description="What the learner agreed to. Indexing needs employer_search."
    )
    employer_groups: list[ShortId] = Field(
        default_factory=list,
        description="Employer groups the learner agreed to be found by; empty "
        "means every employer group.",
    )
    granted_at: datetime
    withdrawn_at: datetime | None = None
    guardian_consent_at: datetime | None = Field(
        default=None,
        description="When a parent or guardian consented; needed for a minor to "
        "be shown to employers at all.",
    )

    def is_active(self, now: datetime | None = None) -> bool:
        now = now or datetime.now(UTC)
        if self.granted_at > now:
            return False
        return self.withdrawn_at is None or self.withdrawn_at > now

    def covers_employer_search(self, now: datetime | None = None) -> bool:
        return self.is_active(now) and ConsentScope.employer_search in self.scopes


class NameVisibility(StrEnum):
    full = "full"
    initials = "initials"
    hidden = "hidden"


class LocationGranularity(StrEnum):
    city = "city"
    region = "region"
    country = "country"
    hidden = "hidden"


class Visibility(BaseModel):
    """The profile fields the learner lets employers see."""

    model_config = ConfigDict(extra="forbid")

    name: NameVisibility = NameVisibility.initials
    location: LocationGranularity = LocationGranularity.region
    school: bool = False
    availability: bool = True
    credentials: bool = True
    pathways: bool = True


class Location(BaseModel):
    model_config = ConfigDict(extra="forbid")

    city: str | None = None
    region: str | None = Field(default=None, description="State or province.")
    country: str = Field(
        min_length=2, max_length=2, description="ISO 3166-1 alpha-2 code."
    )


class Availability(StrEnum):
    immediately = "immediately"
    within_3_months = "within_3_months"
    summer = "summer"
    part_time = "part_time"
    not_looking = "not_looking"


class AgeBand(StrEnum):
    minor = "minor"
    adult = "adult"


class RecipientIdentifier(BaseModel):
    """An identity a credential can be issued to: email, URL, DID or phone."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["email", "url", "did", "telephone"]
    value: str = Field(min_length=3, max_length=512)


class CredentialFile(BaseModel):
    """A credential stored in a file, relative to the profile's folder."""

    model_config = ConfigDict(extra="forbid")

    path: str = Field(min_length=1, max_length=1024)


CredentialEntry = CredentialFile | dict[str, Any] | str


class LearnerProfile(BaseModel):
    """An opted-in learner and the credentials they want employers to see."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["LearnerProfile"] = "LearnerProfile"
    learner_id: str = Field(
        pattern=LEARNER_ID_PATTERN,
        description="Opaque id chosen by the learner's school or wallet; never "
        "an email address or a name.",
    )
    consent: Consent
    visibility: Visibility = Field(default_factory=Visibility)
    display_name: str = Field(min_length=1, max_length=200)
    identifiers: list[RecipientIdentifier] = Field(
        default_factory=list,
        description="Identities used to check that each credential was issued "
        "to this learner. They are never indexed.",
    )
    school: str | None = Field(default=None, max_length=200)
    location: Location | None = None
    availability: Availability | None = None
    grade_level: int | None = Field(default=None, ge=9, le=12)
    graduation_year: int | None = Field(default=None, ge=1950, le=2100)
    age_band: AgeBand
    birth_date: date | None = Field(
        default=None,
        description="Optional; when present, minor status is computed from it "
        "at query time instead of from age_band.",
    )
    pathways: list[ShortId] = Field(
        default_factory=list,
        max_length=50,
        description="Ids of pathways the learner enrolled in.",
    )
    self_reported_skills: list[SkillName] = Field(default_factory=list, max_length=200)
    credentials: list[CredentialEntry] = Field(
        default_factory=list,
        max_length=500,
        description="Each entry is an embedded Open Badges 2.0 / 3.0 or CLR 2.0 "
        "JSON object, a compact JWT string, or {'path': ...} naming a JSON, JWT, "
        "baked PNG or baked SVG file relative to the profile file. A file "
        "outside the profile's folder is read only under a folder listed in "
        "SKILLBEACON_CREDENTIAL_ROOTS.",
    )
