"""Candidate search as the API and the UI run it: resolve names, rank, explain."""

import structlog
from opensearchpy import OpenSearch

from search_api.auth import Principal
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


def _empty_reason(
    search: CandidateSearch, requested: list[RequestedSkill]
) -> str | None:
    """Return why no candidate can match, so the engine need not be asked, or None."""
    if any(skill.required and not skill.concepts for skill in requested):
        return "required_skill_unresolved"
    if not search.text and not any(skill.concepts for skill in requested):
        return "no_skill_resolved"
    return None


def run_search(
    client: OpenSearch, settings: Settings, search: CandidateSearch, caller: Principal
) -> SearchResponse:
    """Run a candidate search for the caller's key and explain each hit.

    The key's employer groups and youth-program enrollment decide which
    group-limited learners and which minors the search can return.
    """
    requested = resolve_requested_skills(client, settings, search)
    resolved_requested = [skill for skill in requested if skill.concepts]
    unresolved = [skill.name for skill in requested if not skill.concepts]
    resolved = [
        ResolvedSkill(name=skill.name, required=skill.required, concepts=skill.concepts)
        for skill in resolved_requested
    ]

    # A name that resolved to no concept cannot rank anyone. Without this
    # check a search for only unknown names would match the whole pool.
    empty_reason = _empty_reason(search, requested)
    if empty_reason is not None:
        log.info(
            "search.skipped",
            reason=empty_reason,
            requested=len(requested),
            unresolved=len(unresolved),
        )
        return SearchResponse(
            total=0, results=[], resolved_skills=resolved, unresolved_skills=unresolved
        )

    # Only resolved skills go to the store, so that a text query next to
    # unknown names is a required match rather than an optional boost.
    total, hits = search_candidates(
        client,
        settings,
        search,
        resolved_requested,
        include_minors=caller.youth_program,
        employer_groups=caller.employer_groups,
    )

    results = []
    for score, document in hits:
        view = employer_view(document)
        explanation = explain_candidate(
            document, view, resolved_requested, search.filters.verified_only, score
        )
        results.append(
            SearchHit(
                candidate_id=view.candidate_id,
                score=round(score, 4),
                candidate=view,
                explanation=explanation,
            )
        )

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
