"""Skill index reads and writes: concepts, name resolution and suggestions."""

from collections.abc import Iterable
from typing import Any

import structlog
from opensearchpy import OpenSearch, helpers
from opensearchpy.exceptions import OpenSearchException

from skillbeacon.models.search import ConceptMatch
from skillbeacon.models.skill import SkillConcept
from skillbeacon.settings import Settings
from skillbeacon.skills.builtin import BUILTIN_FRAMEWORK, load_builtin
from skillbeacon.skills.normalize import fold, normalize_label
from skillbeacon.skills.vocabulary import Vocabulary
from skillbeacon.store.client import StoreError
from skillbeacon.store.indices import alias_name

log = structlog.get_logger(__name__)

# Weights of resolved names: an exact preferred label is certain, an exact
# alternative label nearly so, and a text match is a guess that ranks below
# both, scaled by its relevance score up to TEXT_MATCH_MAX_WEIGHT.
EXACT_LABEL_WEIGHT = 1.0
ALT_LABEL_WEIGHT = 0.9
TEXT_MATCH_MAX_WEIGHT = 0.6
ID_WEIGHT = 1.0

# How many hits a name lookup reads before ranking them. Exact matches are
# boosted, so they come before any text match among these.
RESOLVE_CANDIDATES = 50

# Suggestion tiers: a preferred label that starts with the typed prefix, then
# one with a word that starts with it, then an alternative label.
SUGGEST_PREFERRED_PREFIX = 100.0
SUGGEST_PREFERRED_WORD = 10.0
SUGGEST_ALT_WORD = 1.0

# The built-in vocabulary comes first among equals: it is the product's own.
_FRAMEWORK_ORDER = {BUILTIN_FRAMEWORK: 0, "esco": 1, "onet": 2, "rsd": 3}


def upsert_skills(
    client: OpenSearch, settings: Settings, concepts: Iterable[SkillConcept]
) -> int:
    """Bulk-write skill concepts keyed by skill id and return how many were written.

    Writing the same concept again replaces its fields but keeps the stored
    `candidate_count`, so imports can be repeated.
    """
    index = alias_name(settings, "skills")
    actions = (
        {
            "_op_type": "update",
            "_index": index,
            "_id": concept.skill_id,
            "doc": concept.model_dump(mode="json"),
            "doc_as_upsert": True,
        }
        for concept in concepts
    )
    try:
        written, errors = helpers.bulk(client, actions, raise_on_error=False)
        client.indices.refresh(index=index)
    except OpenSearchException as error:
        log.error("skills.write.failed", error_type=type(error).__name__)
        raise StoreError("writing skill concepts to OpenSearch failed") from error

    for failure in errors:  # type: ignore[union-attr]
        item = next(iter(failure.values()))
        log.error(
            "skills.write.rejected",
            skill_id=item.get("_id"),
            error_type=(item.get("error") or {}).get("type"),
        )
    log.info("skills.write", index=index, written=written)
    return written


def count_skills(
    client: OpenSearch, settings: Settings, framework: str | None = None
) -> int:
    """Count the concepts in the skill index, optionally of one framework."""
    query: dict[str, Any] = {"match_all": {}}
    if framework:
        query = {"term": {"framework": framework}}
    response = client.count(index=alias_name(settings, "skills"), body={"query": query})
    return int(response["count"])


def ensure_builtin_skills(client: OpenSearch, settings: Settings) -> int:
    """Load the built-in vocabulary unless the skill index contains some of it.

    Returns how many concepts were written: 0 when they were already there.
    """
    if count_skills(client, settings, BUILTIN_FRAMEWORK) > 0:
        return 0
    return upsert_skills(client, settings, load_builtin())


def load_vocabulary(client: OpenSearch, settings: Settings) -> Vocabulary:
    """Read every concept of the skill index into an in-memory vocabulary.

    Built-in concepts come first, so they win where vocabularies share a
    label or code.
    """
    index = alias_name(settings, "skills")
    concepts = []
    try:
        for hit in helpers.scan(
            client, index=index, query={"query": {"match_all": {}}}
        ):
            source = dict(hit["_source"])
            source.pop("candidate_count", None)
            concepts.append(SkillConcept(**source))
    except OpenSearchException as error:
        log.error("skills.scan.failed", error_type=type(error).__name__)
        raise StoreError("reading the skill vocabulary failed") from error

    concepts.sort(key=lambda concept: _FRAMEWORK_ORDER.get(concept.framework, 9))
    log.info("skills.vocabulary.loaded", concepts=len(concepts))
    return Vocabulary(concepts)


def resolve_skill_name(
    client: OpenSearch, settings: Settings, name: str, limit: int = 5
) -> list[ConceptMatch]:
    """Resolve a skill name as a recruiter types it to concepts, best first.

    A skill id, URI or code typed as is resolves with reason `id`. Otherwise
    exact preferred labels (`exact_label`) rank first, then exact alternative
    labels (`alt_label`). Only when neither exists do concepts whose labels
    contain every word of the name count, with reason `text` and a weight of
    at most TEXT_MATCH_MAX_WEIGHT. Labels compare after `normalize_label`,
    so case, accents and spellings such as "NodeJS" do not matter.
    """
    name = name.strip()
    if not name:
        return []

    by_id = _resolve_reference(client, settings, name, limit)
    if by_id:
        return by_id

    key = normalize_label(name)
    if not key:
        return []
    hits = _search_labels(client, settings, name, key)

    exact: list[tuple[int, str, ConceptMatch]] = []
    text: list[tuple[float, dict[str, Any]]] = []
    for hit in hits:
        source = hit["_source"]
        reason = _exact_reason(source, key)
        if reason is None:
            text.append((float(hit["_score"] or 0.0), source))
            continue
        weight = EXACT_LABEL_WEIGHT if reason == "exact_label" else ALT_LABEL_WEIGHT
        order = _FRAMEWORK_ORDER.get(source["framework"], 9)
        exact.append((order, source["skill_id"], _match(source, reason, weight)))

    if exact:
        exact.sort(key=lambda item: (-item[2].weight, item[0], item[1]))
        return [match for _, _, match in exact[:limit]]
    return _text_matches(text, limit)


def _resolve_reference(
    client: OpenSearch, settings: Settings, name: str, limit: int
) -> list[ConceptMatch]:
    # Labels rarely contain ":" or "/", and every id and URI does.
    if ":" not in name and "/" not in name:
        return []
    references = list(dict.fromkeys([name, name.rstrip("/")]))
    body = {
        "size": limit,
        "query": {
            "bool": {
                "should": [
                    {"terms": {"skill_id": references, "boost": 3.0}},
                    {"terms": {"uri": references, "boost": 2.0}},
                    {"terms": {"codes": references}},
                ],
                "minimum_should_match": 1,
            }
        },
    }
    hits = _search(client, settings, body)
    return [_match(hit["_source"], "id", ID_WEIGHT) for hit in hits]


def _search_labels(
    client: OpenSearch, settings: Settings, name: str, key: str
) -> list[dict[str, Any]]:
    # The `.exact` subfields fold case and accents only. The key also maps
    # spellings such as "NodeJS", so both forms are looked up.
    exact_terms = list(dict.fromkeys([fold(name), key]))
    body = {
        "size": RESOLVE_CANDIDATES,
        "query": {
            "bool": {
                "should": [
                    {"terms": {"preferred_label.exact": exact_terms, "boost": 20.0}},
                    {"terms": {"alt_labels.exact": exact_terms, "boost": 10.0}},
                    {
                        "multi_match": {
                            "query": key,
                            "fields": ["preferred_label^2", "alt_labels"],
                            "operator": "and",
                            "type": "best_fields",
                        }
                    },
                ],
                "minimum_should_match": 1,
            }
        },
    }
    return _search(client, settings, body)


def _exact_reason(source: dict[str, Any], key: str) -> str | None:
    if normalize_label(source["preferred_label"]) == key:
        return "exact_label"
    for label in source.get("alt_labels") or []:
        if normalize_label(label) == key:
            return "alt_label"
    return None


def _text_matches(
    scored: list[tuple[float, dict[str, Any]]], limit: int
) -> list[ConceptMatch]:
    if not scored:
        return []
    scored.sort(key=lambda item: (-item[0], item[1]["skill_id"]))
    best = scored[0][0] or 1.0

    matches = []
    for score, source in scored[:limit]:
        weight = round(max(TEXT_MATCH_MAX_WEIGHT * score / best, 0.01), 3)
        matches.append(_match(source, "text", weight))
    return matches


def _match(source: dict[str, Any], reason: str, weight: float) -> ConceptMatch:
    return ConceptMatch(
        skill_id=source["skill_id"],
        label=source["preferred_label"],
        framework=source["framework"],
        reason=reason,
        weight=weight,
    )


def suggest_skills(
    client: OpenSearch, settings: Settings, prefix: str, size: int = 10
) -> list[dict[str, Any]]:
    """Suggest concepts whose labels start with what the user has typed.

    Preferred labels that start with the prefix rank first, then labels with
    a word that starts with it, and within each tier the concepts more
    candidates hold. Concepts with the same preferred label appear once.
    """
    typed = fold(prefix)
    if not typed:
        return []

    body = {
        "size": size,
        "_source": ["skill_id", "preferred_label", "framework", "candidate_count"],
        # dis_max scores a concept by its best tier alone, so tiers never add up.
        "query": {
            "dis_max": {
                "queries": [
                    _constant(
                        {"prefix": {"preferred_label.exact": {"value": typed}}},
                        SUGGEST_PREFERRED_PREFIX,
                    ),
                    _constant(
                        {
                            "match": {
                                "preferred_label.prefix": {
                                    "query": typed,
                                    "operator": "and",
                                }
                            }
                        },
                        SUGGEST_PREFERRED_WORD,
                    ),
                    _constant(
                        {
                            "match": {
                                "alt_labels.prefix": {"query": typed, "operator": "and"}
                            }
                        },
                        SUGGEST_ALT_WORD,
                    ),
                ],
            }
        },
        "collapse": {"field": "preferred_label.exact"},
        "sort": [
            {"_score": "desc"},
            {"candidate_count": {"order": "desc", "missing": 0}},
            {"preferred_label.exact": "asc"},
        ],
    }
    hits = _search(client, settings, body)
    return [
        {
            "skill_id": hit["_source"]["skill_id"],
            "label": hit["_source"]["preferred_label"],
            "framework": hit["_source"]["framework"],
            "candidate_count": int(hit["_source"].get("candidate_count") or 0),
        }
        for hit in hits
    ]


def _constant(query: dict[str, Any], boost: float) -> dict[str, Any]:
    return {"constant_score": {"filter": query, "boost": boost}}


def update_candidate_counts(
    client: OpenSearch, settings: Settings, counts: dict[str, int]
) -> int:
    """Write `candidate_count` of each given concept and return how many changed.

    Concepts not in `counts` keep their stored count. A skill id that is not
    in the index is logged and skipped.
    """
    index = alias_name(settings, "skills")
    actions = (
        {
            "_op_type": "update",
            "_index": index,
            "_id": skill_id,
            "doc": {"candidate_count": int(count)},
        }
        for skill_id, count in counts.items()
    )
    try:
        updated, errors = helpers.bulk(client, actions, raise_on_error=False)
        client.indices.refresh(index=index)
    except OpenSearchException as error:
        log.error("skills.counts.failed", error_type=type(error).__name__)
        raise StoreError("writing candidate counts to OpenSearch failed") from error

    missing = 0
    for failure in errors:  # type: ignore[union-attr]
        item = next(iter(failure.values()))
        error_type = (item.get("error") or {}).get("type")
        if error_type == "document_missing_exception":
            missing += 1
            continue
        log.error(
            "skills.counts.rejected", skill_id=item.get("_id"), error_type=error_type
        )
    if missing:
        log.warning("skills.counts.unknown_skills", count=missing)
    return updated


def _search(
    client: OpenSearch, settings: Settings, body: dict[str, Any]
) -> list[dict[str, Any]]:
    try:
        response = client.search(index=alias_name(settings, "skills"), body=body)
    except OpenSearchException as error:
        log.error("skills.search.failed", error_type=type(error).__name__)
        raise StoreError("the skill lookup failed in OpenSearch") from error
    return response["hits"]["hits"]
