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
from skillbeacon.models.search import ConceptMatch, RequestedSkill
from skillbeacon.privacy import EmployerView
from skillbeacon.store.candidates import (
    COVERAGE_POINTS,
    PATHWAY_POINTS,
    skill_points,
)

SCORE_DIGITS = 4

# Reasons of resolved names and evidence matches that lower the confidence of
# a skill match. A skill found only in free text may be a passing mention.
LOW_CONFIDENCE_REASONS = frozenset({"text", "broader", "narrower"})
MEDIUM_CONFIDENCE_REASONS = frozenset({"stem", "crosswalk"})
LOW_CONFIDENCE_EVIDENCE = frozenset({"free_text"})


def match_confidence(resolved_by: str, evidence_match: str | None) -> str:
    """Rate a skill match high, medium or low from how both of its links were made."""
    if resolved_by in LOW_CONFIDENCE_REASONS:
        return "low"
    if evidence_match in LOW_CONFIDENCE_EVIDENCE:
        return "low"
    if resolved_by in MEDIUM_CONFIDENCE_REASONS:
        return "medium"
    return "high"


def _best_evidence(
    document: dict[str, Any], weights: dict[str, float], verified_only: bool
) -> tuple[dict[str, Any], float] | None:
    """Pick the evidence the engine scores: the most points that pass the filter."""
    best = None
    for evidence in document.get("skills", []):
        weight = weights.get(evidence.get("skill_id", ""))
        if weight is None:
            continue
        if verified_only and evidence.get("evidence_level") != "verified":
            continue
        points = skill_points(weight, float(evidence.get("strength", 0.0)))
        if best is None or points > best[1]:
            best = (evidence, points)
    return best


def explain_skill(
    document: dict[str, Any],
    view: EmployerView,
    skill: RequestedSkill,
    verified_only: bool,
) -> SkillExplanation:
    """Explain one requested skill for one candidate."""
    concepts: dict[str, ConceptMatch] = {}
    for candidate_concept in skill.concepts:
        known = concepts.get(candidate_concept.skill_id)
        if known is None or candidate_concept.weight > known.weight:
            concepts[candidate_concept.skill_id] = candidate_concept
    weights = {skill_id: c.weight for skill_id, c in concepts.items()}
    best = _best_evidence(document, weights, verified_only)
    if best is None:
        return SkillExplanation(
            requested=skill.name, required=skill.required, matched=False
        )

    evidence, points = best
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
        confidence=match_confidence(concept.reason, evidence.get("match")),
        strength=strength,
        weight=concept.weight,
        points=round(points, SCORE_DIGITS),
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
    coverage = sum(COVERAGE_POINTS * skill.weight for skill in matched)
    evidence = sum(skill.strength * skill.weight for skill in matched)
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
