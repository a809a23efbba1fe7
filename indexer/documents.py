"""Build the candidate document of one learner from verified inputs."""

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from skillbeacon.models.candidate import (
    CandidateDocument,
    CredentialRecord,
    PathwayProgress,
    SkillEvidence,
)
from skillbeacon.models.profile import LearnerProfile
from skillbeacon.privacy import visible_location


@dataclass
class LearnerEvidence:
    """Evidence derived from a learner's credentials and self-reports."""

    credentials: list[CredentialRecord] = field(default_factory=list)
    skills: list[SkillEvidence] = field(default_factory=list)
    pathways: list[PathwayProgress] = field(default_factory=list)
    unmatched_self_reported: list[str] = field(default_factory=list)


def initials_of(display_name: str) -> str:
    parts = [part for part in display_name.replace("-", " ").split() if part]
    letters = [part[0].upper() + "." for part in parts[:3]]
    return " ".join(letters) or "?"


def content_hash(document: dict[str, Any]) -> str:
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def build_candidate_document(
    profile: LearnerProfile, evidence: LearnerEvidence
) -> dict[str, Any]:
    """Return the index document, with a hash of its content for idempotence.

    The learner's identifiers (emails, DIDs) are used only for recipient
    checks and never reach the document.
    """
    consent = profile.consent
    candidate = CandidateDocument(
        candidate_id=profile.learner_id,
        display_name=profile.display_name,
        initials=initials_of(profile.display_name),
        school=profile.school,
        location=profile.location,
        availability=profile.availability,
        age_band=profile.age_band,
        birth_date=profile.birth_date,
        graduation_year=profile.graduation_year,
        grade_level=profile.grade_level,
        consent_scopes=sorted(consent.scopes),
        employer_groups=sorted(consent.employer_groups),
        consent_granted_at=consent.granted_at,
        consent_withdrawn_at=consent.withdrawn_at,
        guardian_consent=consent.guardian_consent_at is not None,
        visibility=profile.visibility,
        skills=evidence.skills,
        credentials=evidence.credentials,
        pathways=evidence.pathways,
        # Hidden pathways must not raise the rank either, or the tie-breaker
        # would reveal progress the learner chose not to show.
        pathway_progress_max=max(
            (pathway.progress for pathway in evidence.pathways), default=0.0
        )
        if profile.visibility.pathways
        else 0.0,
    )
    document = candidate.model_dump(mode="json", exclude={"content_hash"})
    document["skill_ids"] = sorted({skill.skill_id for skill in evidence.skills})
    document["visible_location"] = visible_location(document) or {}
    # Filters match only what the employer view shows, so a filter cannot
    # recover a hidden value by trying each one in turn.
    document["visible_availability"] = (
        document["availability"] if profile.visibility.availability else None
    )
    document["search_text"] = search_text(profile, evidence)
    document["content_hash"] = content_hash(document)
    return document


def search_text(profile: LearnerProfile, evidence: LearnerEvidence) -> str:
    """Text for free-text queries: credential, skill and pathway names only.

    Names, schools and locations stay out, so free text cannot find a learner
    by a field they chose to hide.
    """
    parts: list[str] = []
    if profile.visibility.credentials:
        parts.extend(record.name for record in evidence.credentials)
    parts.extend(skill.label for skill in evidence.skills)
    parts.extend(evidence.unmatched_self_reported)
    if profile.visibility.pathways:
        parts.extend(f"{p.name} {p.target_role}" for p in evidence.pathways)
    return "\n".join(parts)
