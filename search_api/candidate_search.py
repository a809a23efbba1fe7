"""Candidate search as the API and the UI run it: resolve names, rank, explain."""

import structlog
from opensearchpy import OpenSearch

from search_api.explain import explain_candidate
from search_api.schemas import ResolvedSkill, SearchHit, SearchResponse
from skillbeacon.models.search import CandidateSearch, RequestedSkill
from skillbeacon.privacy import employer_view
from skillbeacon.settings import Settings
from skillbeacon.store.candidates import search_candidates
from skillbeacon.store.skills import resolve_skill_name

log = structlog.get_logger(__name__)


def resolve_requested_skills(
    client: OpenSearch, settings: Settings, search: CandidateSearch
) -> list[RequestedSkill]:
    """Resolve each requested name to skill concepts, required names first.

    A name given both as required and as optional counts once, as required.
    Names compare case-insensitively.
    """
    named: list[tuple[str, bool]] = []
    seen: set[str] = set()
    for name in search.required_skills:
        if name.casefold() not in seen:
            seen.add(name.casefold())
            named.append((name, True))
    for name in search.optional_skills():
        if name.casefold() not in seen:
            seen.add(name.casefold())
            named.append((name, False))

    requested = []
    for name, required in named:
        concepts = resolve_skill_name(client, settings, name)
        requested.append(
            RequestedSkill(name=name, required=required, concepts=concepts)
        )
    return requested


def run_search(
    client: OpenSearch, settings: Settings, search: CandidateSearch
) -> SearchResponse:
    """Run a candidate search and explain each hit. Minors are never included."""
    requested = resolve_requested_skills(client, settings, search)
    total, hits = search_candidates(client, settings, search, requested)

    results = []
    for score, document in hits:
        view = employer_view(document)
        explanation = explain_candidate(
            document, view, requested, search.filters.verified_only, score
        )
        results.append(
            SearchHit(
                candidate_id=view.candidate_id,
                score=round(score, 4),
                candidate=view,
                explanation=explanation,
            )
        )

    resolved = [
        ResolvedSkill(name=skill.name, required=skill.required, concepts=skill.concepts)
        for skill in requested
        if skill.concepts
    ]
    unresolved = [skill.name for skill in requested if not skill.concepts]
    log.info(
        "search.completed",
        requested=len(requested),
        unresolved=len(unresolved),
        total=total,
        returned=len(results),
    )
    return SearchResponse(
        total=total,
        results=results,
        resolved_skills=resolved,
        unresolved_skills=unresolved,
    )
