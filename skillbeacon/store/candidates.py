"""Candidate index reads and writes, including the ranking query."""

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

import structlog
from opensearchpy import NotFoundError, OpenSearch, helpers
from opensearchpy.exceptions import OpenSearchException

from skillbeacon.models.search import MAX_RESULT_WINDOW, CandidateSearch, RequestedSkill
from skillbeacon.settings import Settings
from skillbeacon.store.audit import latest_removals
from skillbeacon.store.client import StoreError
from skillbeacon.store.indices import alias_name

log = structlog.get_logger(__name__)

# Ranking: each requested skill a candidate matches adds COVERAGE_POINTS plus
# the strength of its best evidence (below 1.0), times the weight of the
# concept it resolved to. Coverage dominates, so two exactly matched skills
# always outrank one. Pathway progress adds at most PATHWAY_POINTS, enough to
# break ties but never to outweigh evidence.
COVERAGE_POINTS = 1.0
PATHWAY_POINTS = 0.05
TEXT_BOOST_WITH_SKILLS = 0.05


def get_content_hashes(
    client: OpenSearch, settings: Settings, candidate_ids: list[str]
) -> dict[str, str]:
    """Return the stored content hash of each candidate that is indexed."""
    if not candidate_ids:
        return {}
    response = client.mget(
        index=alias_name(settings, "candidates"),
        body={"ids": candidate_ids},
        _source_includes=["content_hash"],
    )
    hashes = {}
    for doc in response["docs"]:
        if doc.get("found"):
            hashes[doc["_id"]] = doc["_source"].get("content_hash", "")
    return hashes


def upsert_candidates(
    client: OpenSearch, settings: Settings, documents: list[dict[str, Any]]
) -> tuple[int, list[str]]:
    """Bulk-write candidate documents; return the count and the failed ids.

    A learner whom an admin deleted or whose consent an admin withdrew is
    skipped, and neither written nor failed, until the document carries a
    consent_granted_at later than that removal.
    """
    documents = _drop_removed_learners(client, settings, documents)
    index = alias_name(settings, "candidates")
    actions = (
        {"_op_type": "index", "_index": index, "_id": doc["candidate_id"], **doc}
        for doc in documents
    )
    written, errors = helpers.bulk(
        client, actions, raise_on_error=False, refresh="wait_for"
    )
    failed = []
    for error in errors:  # type: ignore[union-attr]
        item = next(iter(error.values()))
        failed.append(str(item.get("_id")))
        log.error(
            "candidates.write.failed",
            candidate_id=item.get("_id"),
            error_type=(item.get("error") or {}).get("type"),
        )
    return written, failed


def _drop_removed_learners(
    client: OpenSearch, settings: Settings, documents: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    removals = latest_removals(
        client, settings, [doc["candidate_id"] for doc in documents]
    )
    if not removals:
        return documents

    kept = []
    for doc in documents:
        removed_at = removals.get(doc["candidate_id"])
        granted = doc.get("consent_granted_at")
        granted_at = datetime.fromisoformat(granted) if granted else None
        if removed_at is not None and (granted_at is None or granted_at <= removed_at):
            log.info(
                "candidates.write.skipped_removed",
                candidate_id=doc["candidate_id"],
                removed_at=removed_at.isoformat(),
            )
            continue
        kept.append(doc)
    return kept


def delete_candidates(
    client: OpenSearch, settings: Settings, candidate_ids: list[str]
) -> int:
    """Delete candidates by id; return how many existed."""
    return len(delete_candidate_ids(client, settings, candidate_ids))


def delete_candidate_ids(
    client: OpenSearch, settings: Settings, candidate_ids: list[str]
) -> list[str]:
    """Delete candidates by id and refresh; return the ids that existed.

    The refresh makes the deletion visible to searches and counts at once.
    """
    if not candidate_ids:
        return []
    index = alias_name(settings, "candidates")
    actions = (
        {"_op_type": "delete", "_index": index, "_id": candidate_id}
        for candidate_id in candidate_ids
    )
    _, errors = helpers.bulk(client, actions, raise_on_error=False, refresh=True)
    missing = set()
    for error in errors:  # type: ignore[union-attr]
        item = next(iter(error.values()))
        missing.add(str(item.get("_id")))
        if item.get("status") != 404:
            log.error(
                "candidates.delete.failed",
                candidate_id=item.get("_id"),
                status=item.get("status"),
            )
    return [
        candidate_id for candidate_id in candidate_ids if candidate_id not in missing
    ]


def get_candidate(
    client: OpenSearch, settings: Settings, candidate_id: str
) -> dict[str, Any] | None:
    try:
        response = client.get(index=alias_name(settings, "candidates"), id=candidate_id)
    except NotFoundError:
        return None
    except OpenSearchException as error:
        raise StoreError("reading the candidate failed") from error
    return response["_source"]


def adult_birth_cutoff(today: date) -> date:
    """Return the latest birth date of someone who is 18 or older today.

    On 29 February the date 18 years back does not exist, so the cutoff is
    28 February: a learner born on 29 February turns 18 on 1 March.
    """
    try:
        return today.replace(year=today.year - 18)
    except ValueError:
        return today.replace(year=today.year - 18, day=28)


def visibility_filters(
    now: datetime,
    include_minors: bool,
    employer_groups: Sequence[str] = (),
) -> list[dict[str, Any]]:
    """Return the consent and age filters every employer-facing query needs.

    employer_groups are the caller's groups. A learner whose consent names
    employer groups passes only when the caller shares at least one of them.
    include_minors is true only for callers enrolled in youth programs.

    Minor status is computed at query time from birth_date where one is
    stored, so a learner who turns 18 becomes visible without a re-index.
    """
    adult_cutoff = adult_birth_cutoff(now.date()).isoformat()
    is_adult = {
        "bool": {
            "should": [
                {"range": {"birth_date": {"lte": adult_cutoff}}},
                {
                    "bool": {
                        "must_not": [{"exists": {"field": "birth_date"}}],
                        "filter": [{"term": {"age_band": "adult"}}],
                    }
                },
            ],
            "minimum_should_match": 1,
        }
    }
    filters: list[dict[str, Any]] = [
        {"term": {"consent_scopes": "employer_search"}},
        {"range": {"consent_granted_at": {"lte": now.isoformat()}}},
        # A withdrawal scheduled for later takes effect at its time, before
        # the next indexer run deletes the learner.
        {
            "bool": {
                "should": [
                    {
                        "bool": {
                            "must_not": [{"exists": {"field": "consent_withdrawn_at"}}]
                        }
                    },
                    {"range": {"consent_withdrawn_at": {"gt": now.isoformat()}}},
                ],
                "minimum_should_match": 1,
            }
        },
        employer_group_filter(employer_groups),
    ]
    if include_minors:
        # A minor is shown only with guardian consent and only to youth programs.
        minor_allowed = {
            "bool": {
                "filter": [
                    {"term": {"guardian_consent": True}},
                    {"term": {"consent_scopes": "youth_programs"}},
                ]
            }
        }
        filters.append(
            {"bool": {"should": [is_adult, minor_allowed], "minimum_should_match": 1}}
        )
    else:
        filters.append(is_adult)
    return filters


def employer_group_filter(employer_groups: Sequence[str]) -> dict[str, Any]:
    """Build the filter that shows group-limited learners only to their groups.

    Learners without employer_groups pass for every caller. The indexer
    writes an empty list for them, which OpenSearch indexes as no value.
    """
    no_groups = {"bool": {"must_not": [{"exists": {"field": "employer_groups"}}]}}
    if not employer_groups:
        return no_groups
    return {
        "bool": {
            "should": [
                no_groups,
                {"terms": {"employer_groups": sorted(set(employer_groups))}},
            ],
            "minimum_should_match": 1,
        }
    }


# Points of one requested skill for one skill evidence entry. The weight is
# the resolved concept's weight (1.0 for an exact label), so a weaker
# resolution earns proportionally fewer points.
SKILL_POINTS_SCRIPT = (
    "double w = params.weights.getOrDefault(doc['skills.skill_id'].value, 0.0);"
    " return w * (params.coverage + doc['skills.strength'].value);"
)


def skill_points(weight: float, strength: float) -> float:
    """Return the points the ranking query gives one matched requested skill."""
    return weight * (COVERAGE_POINTS + strength)


def _skill_clause(skill: RequestedSkill, verified_only: bool) -> dict[str, Any]:
    weights: dict[str, float] = {}
    for concept in skill.concepts:
        weights[concept.skill_id] = max(
            weights.get(concept.skill_id, 0.0), concept.weight
        )

    skill_filter: list[dict[str, Any]] = [
        {"terms": {"skills.skill_id": sorted(weights)}}
    ]
    if verified_only:
        skill_filter.append({"term": {"skills.evidence_level": "verified"}})
    return {
        "nested": {
            "path": "skills",
            "score_mode": "max",
            "query": {
                "script_score": {
                    "query": {"bool": {"filter": skill_filter}},
                    "script": {
                        "source": SKILL_POINTS_SCRIPT,
                        "params": {"weights": weights, "coverage": COVERAGE_POINTS},
                    },
                }
            },
        }
    }


def build_search_body(
    search: CandidateSearch,
    requested: list[RequestedSkill],
    now: datetime,
    include_minors: bool,
    employer_groups: Sequence[str] = (),
) -> dict[str, Any]:
    """Build the ranking query for a candidate search by a caller in the groups."""
    must: list[dict[str, Any]] = []
    should: list[dict[str, Any]] = []
    filters = visibility_filters(now, include_minors, employer_groups)

    for skill in requested:
        if not skill.concepts:
            if skill.required:
                # A required skill that resolves to no concept matches no candidate.
                must.append({"bool": {"must_not": [{"match_all": {}}]}})
            continue
        clause = _skill_clause(skill, search.filters.verified_only)
        (must if skill.required else should).append(clause)

    if search.text:
        multi_match: dict[str, Any] = {
            "query": search.text,
            # search_text leaves out what the learner hid; credentials.name
            # does not, so it must never be searched.
            "fields": ["search_text"],
            "operator": "and",
        }
        text_query = {"multi_match": multi_match}
        if any(skill.concepts for skill in requested):
            multi_match["boost"] = TEXT_BOOST_WITH_SKILLS
            should.append(text_query)
        else:
            must.append(text_query)

    flt = search.filters
    if flt.country:
        filters.append({"term": {"visible_location.country": flt.country}})
    if flt.region:
        filters.append({"term": {"visible_location.region": flt.region}})
    if flt.city:
        filters.append({"term": {"visible_location.city": flt.city}})
    if flt.availability:
        values = [a.value for a in flt.availability]
        filters.append({"terms": {"visible_availability": values}})
    if flt.pathway:
        # Only learners who show their pathways can be found by one.
        filters.append({"term": {"visibility.pathways": True}})
        filters.append(
            {
                "nested": {
                    "path": "pathways",
                    "query": {"term": {"pathways.pathway_id": flt.pathway}},
                }
            }
        )

    has_optional = any(not s.required and s.concepts for s in requested)
    boolean: dict[str, Any] = {"filter": filters, "must": must, "should": should}
    if has_optional and not any(s.required for s in requested):
        boolean["minimum_should_match"] = 1

    return {
        "from": search.offset,
        "size": search.size,
        "track_total_hits": True,
        "query": {
            "function_score": {
                "query": {"bool": boolean},
                "functions": [
                    {
                        "field_value_factor": {
                            "field": "pathway_progress_max",
                            "factor": PATHWAY_POINTS,
                            "missing": 0,
                        }
                    }
                ],
                "score_mode": "sum",
                "boost_mode": "sum",
            }
        },
        "sort": [{"_score": "desc"}, {"candidate_id": "asc"}],
    }


def search_candidates(
    client: OpenSearch,
    settings: Settings,
    search: CandidateSearch,
    requested: list[RequestedSkill],
    include_minors: bool = False,
    employer_groups: Sequence[str] = (),
) -> tuple[int, list[tuple[float, dict[str, Any]]]]:
    """Run a candidate search; return the total and (score, source) pairs.

    include_minors and employer_groups describe the caller, as in
    visibility_filters.
    """
    body = build_search_body(
        search, requested, datetime.now(UTC), include_minors, employer_groups
    )
    try:
        response = client.search(index=alias_name(settings, "candidates"), body=body)
    except OpenSearchException as error:
        log.error("candidates.search.failed", error_type=type(error).__name__)
        raise StoreError("the candidate search failed in OpenSearch") from error
    hits = response["hits"]
    return hits["total"]["value"], [
        (float(hit["_score"] or 0.0), hit["_source"]) for hit in hits["hits"]
    ]


def rank_of_candidate(
    client: OpenSearch,
    settings: Settings,
    search: CandidateSearch,
    requested: list[RequestedSkill],
    candidate_id: str,
    include_minors: bool = False,
    employer_groups: Sequence[str] = (),
) -> tuple[int | None, int, float | None]:
    """Run a candidate search and return (position, total, score) of one candidate.

    The search is the one an employer with these groups and youth-program
    enrollment runs, so a learner hidden from that employer has no position.
    Only ids are fetched, and only the first MAX_RESULT_WINDOW hits are
    scanned. A candidate ranked below them gets None as position, like one
    that does not match.
    """
    body = build_search_body(
        search, requested, datetime.now(UTC), include_minors, employer_groups
    )
    body["from"] = 0
    body["size"] = MAX_RESULT_WINDOW
    body["_source"] = False
    try:
        response = client.search(index=alias_name(settings, "candidates"), body=body)
    except OpenSearchException as error:
        log.error("candidates.rank.failed", error_type=type(error).__name__)
        raise StoreError("the candidate search failed in OpenSearch") from error
    hits = response["hits"]
    total = hits["total"]["value"]
    for position, hit in enumerate(hits["hits"], start=1):
        if hit["_id"] == candidate_id:
            return position, total, float(hit["_score"] or 0.0)
    return None, total, None


def is_employer_visible(
    client: OpenSearch,
    settings: Settings,
    candidate_id: str,
    include_minors: bool = False,
    employer_groups: Sequence[str] = (),
) -> bool:
    """Return whether the candidate passes the consent and age filters now.

    include_minors and employer_groups describe the caller, as in
    visibility_filters.
    """
    filters = visibility_filters(datetime.now(UTC), include_minors, employer_groups)
    body = {
        "size": 0,
        "query": {
            "bool": {
                "filter": [
                    {"ids": {"values": [candidate_id]}},
                    *filters,
                ]
            }
        },
    }
    response = client.search(index=alias_name(settings, "candidates"), body=body)
    return response["hits"]["total"]["value"] > 0


def count_candidates_by_skill(
    client: OpenSearch, settings: Settings, size: int = 10_000
) -> dict[str, int]:
    """Return how many employer-visible candidates hold evidence for each skill.

    Hidden candidates (minors, withdrawn consent) are not counted, so the
    counts that suggestions show reveal nothing about them. The counts are
    stored once for all callers, so they are computed for a caller in no
    employer group and not in youth programs. Learners who limited consent to
    employer groups, and minors, are never counted, not even for the
    employers who may find them.
    """
    filters = visibility_filters(datetime.now(UTC), include_minors=False)
    body = {
        "size": 0,
        "query": {"bool": {"filter": filters}},
        "aggs": {"skills": {"terms": {"field": "skill_ids", "size": size}}},
    }
    response = client.search(index=alias_name(settings, "candidates"), body=body)
    return {
        bucket["key"]: bucket["doc_count"]
        for bucket in response["aggregations"]["skills"]["buckets"]
    }
