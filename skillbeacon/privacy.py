"""The employer view of a candidate: the one place field visibility is applied.

Every response that shows a candidate to an employer (search results, the
candidate endpoint, UI pages, the learner's own preview) is built here from
the stored document, so a hidden field cannot leak through another path.
"""

import hashlib
from datetime import UTC, date, datetime
from typing import Any

from pydantic import BaseModel, Field


class EmployerLocation(BaseModel):
    city: str | None = None
    region: str | None = None
    country: str | None = None


class EmployerCredential(BaseModel):
    credential_id: str
    name: str
    achievement_type: str | None = None
    issuer_name: str | None = None
    issuer_id: str | None = None
    issued_at: datetime | None = None
    expires_at: datetime | None = None
    status: str
    reasons: list[str] = Field(default_factory=list)
    skill_ids: list[str] = Field(default_factory=list)


class EmployerSkill(BaseModel):
    skill_id: str
    label: str
    framework: str
    evidence_level: str
    match: str
    credential_ids: list[str] = Field(default_factory=list)


class EmployerPathway(BaseModel):
    pathway_id: str
    name: str
    target_role: str
    steps_total: int
    steps_completed: int
    progress: float


class EmployerView(BaseModel):
    """The fields of a candidate that an employer may see, and nothing more."""

    candidate_id: str
    name: str = Field(description="Full name or initials, as the learner chose.")
    is_minor: bool
    school: str | None = None
    location: EmployerLocation | None = None
    availability: str | None = None
    graduation_year: int | None = None
    skills: list[EmployerSkill] = Field(default_factory=list)
    credentials: list[EmployerCredential] = Field(default_factory=list)
    pathways: list[EmployerPathway] = Field(default_factory=list)


def is_minor(document: dict[str, Any], today: date | None = None) -> bool:
    """Decide minor status now: from birth_date when stored, else age_band."""
    today = today or datetime.now(UTC).date()
    birth = document.get("birth_date")
    if birth:
        born = date.fromisoformat(birth)
        had_birthday = (today.month, today.day) >= (born.month, born.day)
        age = today.year - born.year - (0 if had_birthday else 1)
        return age < 18
    return document.get("age_band") != "adult"


def visible_location(document: dict[str, Any]) -> dict[str, str] | None:
    """Cut the location down to the granularity the learner allows.

    Minors are shown at region granularity at most.
    """
    location = document.get("location")
    granularity = document.get("visibility", {}).get("location", "region")
    if not location or granularity == "hidden":
        return None
    if granularity == "city" and is_minor(document):
        granularity = "region"
    shown = {"country": location.get("country")}
    if granularity in ("city", "region") and location.get("region"):
        shown["region"] = location["region"]
    if granularity == "city" and location.get("city"):
        shown["city"] = location["city"]
    return shown


def visible_name(document: dict[str, Any]) -> str:
    choice = document.get("visibility", {}).get("name", "initials")
    if choice == "full" and not is_minor(document):
        return document["display_name"]
    if choice == "hidden":
        # A code derived from the id, so the label is stable but shows no part
        # of an id that a school may have built from a name or student number.
        digest = hashlib.sha256(document["candidate_id"].encode()).hexdigest()
        return "Candidate " + digest[:6].upper()
    return document["initials"]


def employer_view(document: dict[str, Any]) -> EmployerView:
    """Project a stored candidate document onto the employer view."""
    visibility = document.get("visibility", {})
    location = visible_location(document)

    credentials = []
    if visibility.get("credentials", True):
        credentials = [
            EmployerCredential.model_validate(credential)
            for credential in document.get("credentials", [])
        ]

    pathways = []
    if visibility.get("pathways", True):
        pathways = [
            EmployerPathway.model_validate(pathway)
            for pathway in document.get("pathways", [])
        ]

    skills = []
    for skill in document.get("skills", []):
        shown = EmployerSkill.model_validate(skill)
        if not credentials:
            shown.credential_ids = []
        skills.append(shown)

    return EmployerView(
        candidate_id=document["candidate_id"],
        name=visible_name(document),
        is_minor=is_minor(document),
        school=document.get("school") if visibility.get("school") else None,
        location=EmployerLocation(**location) if location else None,
        availability=(
            document.get("availability") if visibility.get("availability") else None
        ),
        graduation_year=document.get("graduation_year"),
        skills=skills,
        credentials=credentials,
        pathways=pathways,
    )
