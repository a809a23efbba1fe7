"""The candidate document: one per opted-in learner in the candidate index."""

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from skillbeacon.models.credential import VerificationStatus
from skillbeacon.models.profile import (
    AgeBand,
    Availability,
    ConsentScope,
    Location,
    Visibility,
)


class EvidenceLevel(StrEnum):
    verified = "verified"
    unverified = "unverified"
    self_reported = "self_reported"


class SkillMatchKind(StrEnum):
    """The way a credential or a self-report was linked to a skill concept."""

    alignment = "alignment"
    label = "label"
    alt_label = "alt_label"
    free_text = "free_text"
    self_reported = "self_reported"


class SkillEvidence(BaseModel):
    skill_id: str
    label: str
    framework: str
    evidence_level: EvidenceLevel
    strength: float = Field(ge=0.0, le=1.0)
    match: SkillMatchKind
    credential_ids: list[str] = Field(default_factory=list)


class CredentialRecord(BaseModel):
    """A credential as the candidate document stores it."""

    credential_id: str
    format: str
    name: str
    achievement_type: str | None = None
    issuer_id: str | None = None
    issuer_name: str | None = None
    issued_at: datetime | None = None
    expires_at: datetime | None = None
    status: VerificationStatus
    reasons: list[str] = Field(default_factory=list)
    skill_ids: list[str] = Field(default_factory=list)
    source: str = Field(description="'embedded', 'jwt' or the file name.")


class PathwayProgress(BaseModel):
    pathway_id: str
    name: str
    target_role: str
    steps_total: int
    steps_completed: int
    completed_step_ids: list[str] = Field(default_factory=list)
    progress: float = Field(ge=0.0, le=1.0)


class CandidateDocument(BaseModel):
    candidate_id: str
    display_name: str
    initials: str
    school: str | None = None
    location: Location | None = None
    availability: Availability | None = None
    age_band: AgeBand
    birth_date: date | None = None
    graduation_year: int | None = None
    grade_level: int | None = None
    consent_scopes: list[ConsentScope]
    employer_groups: list[str] = Field(default_factory=list)
    consent_granted_at: datetime
    consent_withdrawn_at: datetime | None = None
    guardian_consent: bool = False
    visibility: Visibility
    skills: list[SkillEvidence] = Field(default_factory=list)
    credentials: list[CredentialRecord] = Field(default_factory=list)
    pathways: list[PathwayProgress] = Field(default_factory=list)
    pathway_progress_max: float = 0.0
    content_hash: str = ""
