"""Response models of the search API."""

from pydantic import BaseModel, Field

from skillbeacon.models.search import ConceptMatch
from skillbeacon.privacy import EmployerPathway, EmployerView


class ResolvedSkill(BaseModel):
    """A requested skill name and the concepts it resolved to."""

    name: str
    required: bool
    concepts: list[ConceptMatch]


class CredentialEvidence(BaseModel):
    """A credential behind a matched skill, as the employer may see it."""

    credential_id: str
    name: str
    issuer_name: str | None = None
    issuer_id: str | None = None
    status: str = Field(
        description="verified, unverified, invalid, expired, not_yet_valid or revoked."
    )
    reasons: list[str] = Field(
        default_factory=list, description="Why verification did not fully pass."
    )


class SkillExplanation(BaseModel):
    """Whether and how a candidate matched one requested skill."""

    requested: str = Field(description="The skill name as the request gave it.")
    required: bool
    matched: bool
    skill_id: str | None = Field(
        default=None, description="The concept that matched, if any."
    )
    label: str | None = None
    framework: str | None = None
    resolved_by: str | None = Field(
        default=None,
        description="How the requested name resolved to the concept: id, "
        "exact_label, alt_label, stem, text, crosswalk, broader or narrower.",
    )
    weight: float = Field(
        default=0.0,
        description="Weight of the resolved concept: 1.0 for an exact label, "
        "less for an alternative label or a text match.",
    )
    evidence_level: str | None = Field(
        default=None, description="verified, unverified or self_reported."
    )
    evidence_match: str | None = Field(
        default=None,
        description="How the candidate's evidence was linked to the concept: "
        "alignment, label, alt_label, free_text or self_reported.",
    )
    confidence: str | None = Field(
        default=None,
        description="How certain the match is: high for an exact name or "
        "alignment, medium for a stem or crosswalk match, low when the skill "
        "was found only in a credential's free text or the name matched by "
        "text search or as a broader or narrower concept.",
    )
    strength: float = Field(default=0.0, description="Evidence strength, 0 to 1.")
    points: float = Field(default=0.0, description="Coverage plus evidence points.")
    credentials: list[CredentialEvidence] = Field(default_factory=list)


class ScoreBreakdown(BaseModel):
    """The parts of the ranking score, computed from the stored document."""

    coverage: float = Field(description="1.0 per matched requested skill.")
    evidence: float = Field(description="Sum of the matched evidence strengths.")
    pathway_bonus: float = Field(description="0.05 times the best pathway progress.")
    text: float = Field(
        description="What the free-text query added: the engine score minus "
        "the other parts, never below 0."
    )
    total: float = Field(description="The engine's score for this candidate.")


class Explanation(BaseModel):
    """The reasons for a candidate's place in the results."""

    summary: str
    matched_count: int
    requested_count: int
    skills: list[SkillExplanation]
    pathway_progress: float = Field(description="Best pathway progress, 0 to 1.")
    pathways: list[EmployerPathway] = Field(default_factory=list)
    score: ScoreBreakdown


class SearchHit(BaseModel):
    candidate_id: str
    score: float
    candidate: EmployerView
    explanation: Explanation


class SearchResponse(BaseModel):
    total: int = Field(description="Matching candidates, not only this page.")
    results: list[SearchHit]
    resolved_skills: list[ResolvedSkill]
    unresolved_skills: list[str] = Field(
        description="Requested names that match no skill concept; they were "
        "left out of the ranking."
    )


class SkillSuggestion(BaseModel):
    skill_id: str
    label: str
    framework: str
    candidate_count: int = Field(
        default=0, description="Indexed candidates with evidence for the skill."
    )


class SuggestResponse(BaseModel):
    query: str
    suggestions: list[SkillSuggestion]


class HealthResponse(BaseModel):
    status: str = Field(description="'ok' when the cluster responds and is not red.")
    cluster_status: str = Field(description="green or yellow.")
