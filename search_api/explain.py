"""Per-candidate explanations: which requested skills matched, how, and why.

The explanation recomputes the ranking formula of
`skillbeacon.store.candidates` from the stored document, so a reader can
check each part of the score. Credential and pathway details come from the
employer view, so the explanation shows nothing the learner has hidden.
"""

from typing import Any

from search_api.schemas import (
    CredentialEvidence,
    Explanation,
    ScoreBreakdown,
    SkillExplanation,
)
from skillbeacon.models.search import RequestedSkill
from skillbeacon.privacy import EmployerView
from skillbeacon.store.candidates import COVERAGE_POINTS, PATHWAY_POINTS

SCORE_DIGITS = 4


def _best_evidence(
    document: dict[str, Any], skill_ids: set[str], verified_only: bool
) -> dict[str, Any] | None:
    """Pick the evidence the engine scores: the strongest that passes the filter."""
    best = None
    for evidence in document.get("skills", []):
        if evidence.get("skill_id") not in skill_ids:
            continue
        if verified_only and evidence.get("evidence_level") != "verified":
            continue
        if best is None or evidence.get("strength", 0.0) > best.get("strength", 0.0):
            best = evidence
    return best


def explain_skill(
    document: dict[str, Any],
    view: EmployerView,
    skill: RequestedSkill,
    verified_only: bool,
) -> SkillExplanation:
    """Explain one requested skill for one candidate."""
    concepts = {concept.skill_id: concept for concept in skill.concepts}
    evidence = _best_evidence(document, set(concepts), verified_only)
    if evidence is None:
        return SkillExplanation(
            requested=skill.name, required=skill.required, matched=False
        )

    concept = concepts[evidence["skill_id"]]
    strength = float(evidence.get("strength", 0.0))
    credential_ids = set(evidence.get("credential_ids", []))
    credentials = [
        CredentialEvidence(
            credential_id=credential.credential_id,
            name=credential.name,
            issuer_name=credential.issuer_name,
            issuer_id=credential.issuer_id,
            status=credential.status,
            reasons=credential.reasons,
        )
        for credential in view.credentials
        if credential.credential_id in credential_ids
    ]
    return SkillExplanation(
        requested=skill.name,
        required=skill.required,
        matched=True,
        skill_id=concept.skill_id,
        label=evidence.get("label") or concept.label,
        framework=concept.framework,
        resolved_by=concept.reason,
        evidence_level=evidence.get("evidence_level"),
        evidence_match=evidence.get("match"),
        strength=strength,
        points=round(COVERAGE_POINTS + strength, SCORE_DIGITS),
        credentials=credentials,
    )


def _summary(skills: list[SkillExplanation], pathway_progress: float) -> str:
    matched = [skill for skill in skills if skill.matched]
    if skills:
        text = f"Matched {len(matched)} of {len(skills)} requested skills"
        levels: dict[str, int] = {}
        for skill in matched:
            level = (skill.evidence_level or "unknown").replace("_", "-")
            levels[level] = levels.get(level, 0) + 1
        if levels:
            parts = [f"{count} {level}" for level, count in sorted(levels.items())]
            text += " (" + ", ".join(parts) + ")"
        text += "."
    else:
        text = "No skills were requested; ranked by the text query."
    if pathway_progress > 0:
        text += f" Best pathway progress {pathway_progress:.0%}."
    return text


def explain_candidate(
    document: dict[str, Any],
    view: EmployerView,
    requested: list[RequestedSkill],
    verified_only: bool,
    score: float,
) -> Explanation:
    """Build the explanation of one search hit.

    Requested skills that resolved to no concept are left out, because the
    search response lists them as unresolved.
    """
    skills = [
        explain_skill(document, view, skill, verified_only)
        for skill in requested
        if skill.concepts
    ]

    matched = [skill for skill in skills if skill.matched]
    coverage = COVERAGE_POINTS * len(matched)
    evidence = sum(skill.strength for skill in matched)
    pathway_progress = float(document.get("pathway_progress_max") or 0.0)
    pathway_bonus = PATHWAY_POINTS * pathway_progress
    text = max(0.0, score - coverage - evidence - pathway_bonus)

    return Explanation(
        summary=_summary(skills, pathway_progress),
        matched_count=len(matched),
        requested_count=len(skills),
        skills=skills,
        pathway_progress=pathway_progress,
        pathways=view.pathways,
        score=ScoreBreakdown(
            coverage=round(coverage, SCORE_DIGITS),
            evidence=round(evidence, SCORE_DIGITS),
            pathway_bonus=round(pathway_bonus, SCORE_DIGITS),
            text=round(text, SCORE_DIGITS),
            total=round(score, SCORE_DIGITS),
        ),
    )
