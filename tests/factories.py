"""Builders of valid candidate documents and skill concepts for tests.

candidate_document() returns what upsert_candidates() expects: the
CandidateDocument fields plus the derived fields the candidate mapping
indexes (skill_ids, search_text, visible_location).
"""

from datetime import UTC, datetime, timedelta
from typing import Any

from opensearchpy import OpenSearch

from skillbeacon.models.candidate import CandidateDocument
from skillbeacon.models.skill import SkillConcept
from skillbeacon.privacy import visible_location
from skillbeacon.settings import Settings
from skillbeacon.store.candidates import count_candidates_by_skill
from skillbeacon.store.indices import alias_name
from skillbeacon.store.skills import update_candidate_counts, upsert_skills

DEFAULT_STRENGTH = {"verified": 0.9, "unverified": 0.5, "self_reported": 0.2}


def skill_evidence(
    skill_id: str,
    label: str,
    *,
    level: str = "verified",
    strength: float | None = None,
    match: str | None = None,
    credential_ids: list[str] | None = None,
    framework: str = "skillbeacon",
) -> dict[str, Any]:
    if match is None:
        match = "self_reported" if level == "self_reported" else "alignment"
    return {
        "skill_id": skill_id,
        "label": label,
        "framework": framework,
        "evidence_level": level,
        "strength": DEFAULT_STRENGTH[level] if strength is None else strength,
        "match": match,
        "credential_ids": credential_ids or [],
    }


def credential_record(
    credential_id: str,
    name: str,
    *,
    status: str = "verified",
    issuer_name: str | None = "Riverside High School",
    skill_ids: list[str] | None = None,
    reasons: list[str] | None = None,
    expires_at: datetime | None = None,
) -> dict[str, Any]:
    return {
        "credential_id": credential_id,
        "format": "ob3_json",
        "name": name,
        "achievement_type": "Badge",
        "issuer_id": "https://issuer.example/riverside",
        "issuer_name": issuer_name,
        "issued_at": datetime(2025, 5, 1, tzinfo=UTC),
        "expires_at": expires_at,
        "status": status,
        "reasons": reasons or [],
        "skill_ids": skill_ids or [],
        "source": "embedded",
    }


def pathway_progress(
    pathway_id: str, name: str, steps_total: int, steps_completed: int
) -> dict[str, Any]:
    return {
        "pathway_id": pathway_id,
        "name": name,
        "target_role": "Junior developer",
        "steps_total": steps_total,
        "steps_completed": steps_completed,
        "completed_step_ids": [f"step-{i}" for i in range(steps_completed)],
        "progress": steps_completed / steps_total,
    }


def candidate_document(
    candidate_id: str,
    *,
    display_name: str = "Alex Rivera",
    initials: str | None = None,
    age_band: str = "adult",
    birth_date: str | None = None,
    consent_scopes: list[str] | None = None,
    consent_granted_at: datetime | None = None,
    guardian_consent: bool = False,
    visibility: dict[str, Any] | None = None,
    location: dict[str, Any] | None = None,
    availability: str | None = "immediately",
    school: str | None = "Riverside High School",
    graduation_year: int | None = 2026,
    skills: list[dict[str, Any]] | None = None,
    credentials: list[dict[str, Any]] | None = None,
    pathways: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Build a valid, indexable candidate document; defaults make an adult
    who consented to employer search a day ago."""
    if initials is None:
        initials = ".".join(part[0] for part in display_name.split() if part) + "."
    pathways = pathways or []
    document = CandidateDocument(
        candidate_id=candidate_id,
        display_name=display_name,
        initials=initials,
        school=school,
        location=location
        or {"city": "Springfield", "region": "Illinois", "country": "US"},
        availability=availability,
        age_band=age_band,
        birth_date=birth_date,
        graduation_year=graduation_year,
        consent_scopes=(
            ["employer_search", "contact"] if consent_scopes is None else consent_scopes
        ),
        consent_granted_at=consent_granted_at or datetime.now(UTC) - timedelta(days=1),
        guardian_consent=guardian_consent,
        visibility=visibility or {},
        skills=skills or [],
        credentials=credentials or [],
        pathways=pathways,
        pathway_progress_max=max((p["progress"] for p in pathways), default=0.0),
        content_hash=f"hash-{candidate_id}",
    ).model_dump(mode="json")

    document["skill_ids"] = sorted({skill["skill_id"] for skill in document["skills"]})
    words = [skill["label"] for skill in document["skills"]]
    words += [credential["name"] for credential in document["credentials"]]
    document["search_text"] = " ".join(words)
    document["visible_location"] = visible_location(document)
    shows_availability = document["visibility"].get("availability", True)
    document["visible_availability"] = availability if shows_availability else None
    return document


def skill_concept(
    skill_id: str,
    label: str,
    alt_labels: list[str] | None = None,
    framework: str = "skillbeacon",
) -> SkillConcept:
    return SkillConcept(
        skill_id=skill_id,
        preferred_label=label,
        alt_labels=alt_labels or [],
        framework=framework,
    )


def put_skill_concepts(
    client: OpenSearch, settings: Settings, concepts: list[SkillConcept]
) -> None:
    """Write skill concepts, then store how many candidates hold each one."""
    upsert_skills(client, settings, concepts)
    update_candidate_counts(
        client, settings, count_candidates_by_skill(client, settings)
    )
    client.indices.refresh(index=alias_name(settings, "skills"))
