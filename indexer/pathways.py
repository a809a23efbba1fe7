"""Pathway progress: which steps of an enrolled pathway a learner completed."""

from skillbeacon.models.candidate import (
    CredentialRecord,
    EvidenceLevel,
    PathwayProgress,
    SkillEvidence,
)
from skillbeacon.models.credential import VerificationStatus
from skillbeacon.models.pathway import PathwayDefinition
from skillbeacon.skills.normalize import normalize_label
from skillbeacon.skills.vocabulary import Vocabulary

# Credentials that count toward a pathway step. Invalid, expired and revoked
# ones do not.
COUNTING_STATUSES = {VerificationStatus.verified, VerificationStatus.unverified}


def pathway_progress(
    pathway: PathwayDefinition,
    credentials: list[CredentialRecord],
    achievement_keys: dict[str, set[str]],
    skills: list[SkillEvidence],
    vocabulary: Vocabulary,
) -> PathwayProgress:
    """Compute progress on one pathway.

    `achievement_keys` maps each credential id to the normalized achievement
    ids and names it carries. A step is complete when a counting credential
    carries one of its achievements, or when the learner has credential
    evidence (not a self-report) for one of its skills.
    """
    counting = {
        record.credential_id
        for record in credentials
        if record.status in COUNTING_STATUSES
    }
    held_achievements: set[str] = set()
    for credential_id in counting:
        held_achievements |= achievement_keys.get(credential_id, set())
    credential_skills = {
        skill.skill_id
        for skill in skills
        if skill.evidence_level is not EvidenceLevel.self_reported
    }

    completed = []
    for step in pathway.steps:
        wanted = {normalize_label(name) for name in step.achievements}
        if wanted & held_achievements:
            completed.append(step.step_id)
            continue
        for skill_name in step.skills:
            skill_id = _skill_id(skill_name, vocabulary)
            if skill_id in credential_skills:
                completed.append(step.step_id)
                break

    total = len(pathway.steps)
    return PathwayProgress(
        pathway_id=pathway.pathway_id,
        name=pathway.name,
        target_role=pathway.target_role,
        steps_total=total,
        steps_completed=len(completed),
        completed_step_ids=completed,
        progress=round(len(completed) / total, 4),
    )


def _skill_id(name: str, vocabulary: Vocabulary) -> str | None:
    concept = vocabulary.get(name)
    if concept is not None:
        return concept.skill_id
    found = vocabulary.match_label(name)
    return found[0].skill_id if found else None
