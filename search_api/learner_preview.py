"""The learner's own preview: their card, evidence, rank for a query and views.

Everything here shows a learner only their own data. The rank for a query
comes from the same search employers run, and only the learner's position,
the total and their own explanation leave this module.
"""

from datetime import datetime
from typing import Any

from opensearchpy import OpenSearch
from pydantic import BaseModel, Field

from search_api.candidate_search import resolve_requested_skills
from search_api.explain import explain_candidate
from search_api.schemas import Explanation
from skillbeacon.models.search import CandidateSearch
from skillbeacon.privacy import EmployerView, employer_view, is_minor
from skillbeacon.settings import Settings
from skillbeacon.store.candidates import is_employer_visible, rank_of_candidate
from skillbeacon.store.views import list_views
from ui.preview import hidden_reasons, visibility_limits


class LearnerPreview(BaseModel):
    """The learner's card as employers see it, and why they may be hidden."""

    candidate: EmployerView
    visible: bool = Field(
        description="Whether the search of at least one kind of employer shows "
        "the learner now. A learner who limited consent to employer groups is "
        "visible to employers in those groups, and a minor only to employers "
        "enrolled in youth programs."
    )
    hidden_reasons: list[str] = Field(default_factory=list)
    visibility_limits: list[str] = Field(
        default_factory=list,
        description="Which employers can find a visible learner, when not all can.",
    )
    verified_skills: list[str] = Field(
        description="Skills backed by at least one verified credential."
    )
    unverified_skills: list[str] = Field(
        description="Skills only from credentials that could not be verified."
    )
    self_reported_skills: list[str] = Field(
        description="Skills the learner reported, with no credential behind them."
    )


class PreviewRank(BaseModel):
    """The learner's place in one search, without other candidates."""

    appears: bool
    position: int | None = Field(
        default=None, description="1-based rank among all matching candidates."
    )
    total: int = Field(description="How many candidates match the search.")
    unresolved_skills: list[str] = Field(default_factory=list)
    explanation: Explanation | None = None


class ViewRecord(BaseModel):
    """One employer view of the learner's card."""

    event: str
    occurred_at: datetime
    organization: str = Field(description="The employer's organization name.")
    channel: str = Field(description="api or ui.")


def build_preview(
    client: OpenSearch, settings: Settings, document: dict[str, Any]
) -> LearnerPreview:
    view = employer_view(document)
    # Checked as for the widest audience this learner can have: an employer
    # in all of the learner's groups and enrolled in youth programs.
    visible = is_employer_visible(
        client,
        settings,
        view.candidate_id,
        include_minors=True,
        employer_groups=document.get("employer_groups") or [],
    )

    verified = {s.label for s in view.skills if s.evidence_level == "verified"}
    unverified = {
        s.label for s in view.skills if s.evidence_level == "unverified"
    } - verified
    self_reported = {
        s.label for s in view.skills if s.evidence_level == "self_reported"
    } - (verified | unverified)

    return LearnerPreview(
        candidate=view,
        visible=visible,
        hidden_reasons=[] if visible else hidden_reasons(document),
        visibility_limits=visibility_limits(document) if visible else [],
        verified_skills=sorted(verified),
        unverified_skills=sorted(unverified),
        self_reported_skills=sorted(self_reported),
    )


def rank_learner(
    client: OpenSearch,
    settings: Settings,
    document: dict[str, Any],
    search: CandidateSearch,
) -> PreviewRank:
    """Run the employer search and report only this learner's place in it.

    The search is the one that the employers who can find the learner run:
    a caller in the learner's employer groups and, for a minor, enrolled in
    youth programs. For an adult without groups it is every employer's search.
    """
    requested = resolve_requested_skills(client, settings, search)
    resolved = [skill for skill in requested if skill.concepts]
    unresolved = [skill.name for skill in requested if not skill.concepts]

    required_unresolved = any(s.required and not s.concepts for s in requested)
    if required_unresolved or (not search.text and not resolved):
        return PreviewRank(appears=False, total=0, unresolved_skills=unresolved)

    position, total, score = rank_of_candidate(
        client,
        settings,
        search,
        resolved,
        document["candidate_id"],
        include_minors=is_minor(document),
        employer_groups=document.get("employer_groups") or [],
    )
    if position is None or score is None:
        return PreviewRank(appears=False, total=total, unresolved_skills=unresolved)

    explanation = explain_candidate(
        document,
        employer_view(document),
        resolved,
        search.filters.verified_only,
        score,
    )
    return PreviewRank(
        appears=True,
        position=position,
        total=total,
        unresolved_skills=unresolved,
        explanation=explanation,
    )


def learner_views(
    client: OpenSearch, settings: Settings, learner_id: str
) -> list[ViewRecord]:
    """List who viewed the learner's card; the key ids stay out of it."""
    return [
        ViewRecord(
            event=row["event"],
            occurred_at=row["occurred_at"],
            organization=row.get("organization") or "an unnamed employer",
            channel=row.get("channel", "api"),
        )
        for row in list_views(client, settings, learner_id)
    ]
