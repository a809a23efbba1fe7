"""Skill index reads and writes: concepts, name resolution and suggestions."""

from collections.abc import Iterable
from typing import Any

import structlog
from opensearchpy import OpenSearch, helpers
from opensearchpy.exceptions import OpenSearchException

from skillbeacon.models.search import ConceptMatch
from skillbeacon.models.skill import SkillConcept
from skillbeacon.settings import Settings
from skillbeacon.skills import resolution
from skillbeacon.skills.builtin import BUILTIN_FRAMEWORK, load_builtin
from skillbeacon.skills.crosswalk import (
    ESCO_FRAMEWORK,
    LABEL_CROSSWALK_FRAMEWORKS,
    crosswalk_pairs,
    lookup_terms,
)
from skillbeacon.skills.normalize import fold, normalize_label, split_words
from skillbeacon.skills.vocabulary import Vocabulary
from skillbeacon.store.client import StoreError
from skillbeacon.store.indices import alias_name

log = structlog.get_logger(__name__)

# How many hits a name lookup reads before ranking them. Exact matches are
# boosted, so they come before any text match among these.
RESOLVE_CANDIDATES = 50

# Stem matches are checked with the engine's analyzer, one request per label,
# so only this many of the hits that matched on stems are checked.
STEM_CHECKS = 10

# How many concepts each kind of link adds to a resolved name, at most. A
# broad ESCO group has hundreds of narrower skills, and every one becomes a
# term of the ranking query.
MAX_CROSSWALKS = 10
MAX_BROADER = 10
MAX_NARROWER = 25

# Label terms per request when crosswalks are looked up after a write. The
# engine accepts at most 65,536 terms in one terms query.
CROSSWALK_BATCH = 2_000

# Prefix quality of a suggestion: a preferred label that starts with the typed
# prefix, then an alternative label that does, then a preferred label with a
# word that starts with it, then an alternative label with such a word.
SUGGEST_PREFERRED_PREFIX = 100.0
SUGGEST_ALT_PREFIX = 30.0
SUGGEST_PREFERRED_WORD = 10.0
SUGGEST_ALT_WORD = 1.0

# The built-in vocabulary comes first among equals: it is the product's own.
_FRAMEWORK_ORDER = {BUILTIN_FRAMEWORK: 0, "esco": 1, "onet": 2, "rsd": 3}


def upsert_skills(
    client: OpenSearch, settings: Settings, concepts: Iterable[SkillConcept]
) -> int:
    """Bulk-write skill concepts keyed by skill id and return how many were written.

    Writing the same concept again replaces its fields but keeps the stored
    `candidate_count`, so imports can be repeated. After the write, RSD and
    O*NET concepts that share a label with an ESCO concept are crosswalked
    to it, in either order of import (see `link_label_crosswalks`).
    """
    concepts = list(concepts)
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
    written = _bulk_write(client, index, actions, "skills.write", "skill concepts")
    log.info("skills.write", index=index, written=written)

    link_label_crosswalks(client, settings, concepts)
    return written


def link_label_crosswalks(
    client: OpenSearch, settings: Settings, concepts: list[SkillConcept]
) -> int:
    """Crosswalk just-written concepts to stored ones of the other side by label.

    RSD and O*NET concepts are matched against the stored ESCO concepts, and
    ESCO concepts against the stored RSD and O*NET ones, so the import order
    does not matter. Each link adds the other concept's id to the `codes` of
    both. Returns how many links were written.
    """
    others = [c for c in concepts if c.framework in LABEL_CROSSWALK_FRAMEWORKS]
    esco = [c for c in concepts if c.framework == ESCO_FRAMEWORK]

    pairs = []
    if others:
        labels = [concept.preferred_label for concept in others]
        stored_esco = _concepts_with_labels(
            client, settings, labels, [ESCO_FRAMEWORK], alt_labels=True
        )
        pairs += crosswalk_pairs(others, stored_esco)
    if esco:
        labels = [concept.preferred_label for concept in esco]
        labels += [label for concept in esco for label in concept.alt_labels]
        stored_others = _concepts_with_labels(
            client, settings, labels, list(LABEL_CROSSWALK_FRAMEWORKS), alt_labels=False
        )
        pairs += crosswalk_pairs(stored_others, esco)
    if not pairs:
        return 0

    codes: dict[str, set[str]] = {}
    for other, esco_concept in pairs:
        codes.setdefault(other.skill_id, set()).add(esco_concept.skill_id)
        codes.setdefault(esco_concept.skill_id, set()).add(other.skill_id)
    _add_codes(client, settings, codes)
    log.info("skills.crosswalk.linked", links=len(pairs))
    return len(pairs)


def _concepts_with_labels(
    client: OpenSearch,
    settings: Settings,
    labels: list[str],
    frameworks: list[str],
    alt_labels: bool,
) -> list[SkillConcept]:
    fields = ["preferred_label.exact"]
    if alt_labels:
        fields.append("alt_labels.exact")
    terms = lookup_terms(labels)

    found: dict[str, SkillConcept] = {}
    for start in range(0, len(terms), CROSSWALK_BATCH):
        batch = terms[start : start + CROSSWALK_BATCH]
        query = {
            "bool": {
                "filter": [{"terms": {"framework": frameworks}}],
                "should": [{"terms": {field: batch}} for field in fields],
                "minimum_should_match": 1,
            }
        }
        try:
            for hit in helpers.scan(
                client, index=alias_name(settings, "skills"), query={"query": query}
            ):
                found[hit["_id"]] = _concept(hit["_source"])
        except OpenSearchException as error:
            log.error("skills.crosswalk.lookup_failed", error_type=type(error).__name__)
            raise StoreError("looking up crosswalk labels failed") from error
    return list(found.values())


def _add_codes(
    client: OpenSearch, settings: Settings, codes: dict[str, set[str]]
) -> None:
    index = alias_name(settings, "skills")
    script = (
        "if (ctx._source.codes == null) { ctx._source.codes = []; }"
        "for (c in params.codes) {"
        " if (!ctx._source.codes.contains(c)) { ctx._source.codes.add(c); } }"
    )
    actions = (
        {
            "_op_type": "update",
            "_index": index,
            "_id": skill_id,
            "script": {
                "source": script,
                "lang": "painless",
                "params": {"codes": sorted(added)},
            },
        }
        for skill_id, added in codes.items()
    )
    _bulk_write(client, index, actions, "skills.crosswalk", "crosswalk codes")


def _bulk_write(
    client: OpenSearch,
    index: str,
    actions: Iterable[dict[str, Any]],
    event: str,
    what: str,
) -> int:
    """Bulk-write, refresh, and log each rejected item; return the count written."""
    try:
        written, errors = helpers.bulk(client, actions, raise_on_error=False)
        client.indices.refresh(index=index)
    except OpenSearchException as error:
        log.error(f"{event}.failed", error_type=type(error).__name__)
        raise StoreError(f"writing {what} to OpenSearch failed") from error

    for failure in errors:  # type: ignore[union-attr]
        item = next(iter(failure.values()))
        log.error(
            f"{event}.rejected",
            skill_id=item.get("_id"),
            error_type=(item.get("error") or {}).get("type"),
        )
    return written


def _concept(source: dict[str, Any]) -> SkillConcept:
    fields = dict(source)
    fields.pop("candidate_count", None)
    return SkillConcept(**fields)


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
            concepts.append(_concept(hit["_source"]))
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

    Direct matches come first. A skill id, URI or code typed as is resolves
    with reason `id`. Otherwise exact preferred labels (`exact_label`), then
    exact alternative labels (`alt_label`) win. Only when neither exists do
    labels with the same words up to inflection (`stem`, "nurse" for
    "nursing") and labels that contain every word of the name (`text`)
    count. Labels compare after `normalize_label`, so case, accents and
    spellings such as "NodeJS" do not matter. At most `limit` direct matches
    are kept.

    From each direct match other than a text match, the resolver follows
    crosswalks to other frameworks (`crosswalk`), then broader and narrower
    concepts (`broader`, `narrower`), each with a lower weight. Every
    concept appears once, with its highest weight.
    """
    name = name.strip()
    if not name:
        return []

    direct, sources = _resolve_reference(client, settings, name, limit)
    if not direct:
        direct, sources = _resolve_labels(client, settings, name, limit)
    if not direct:
        return []

    expanded = [m for m in direct if m.reason in resolution.EXPANDED_REASONS]
    crosswalks, crosswalk_sources = _crosswalks(client, settings, expanded, sources)
    sources.update(crosswalk_sources)
    related = _broader_and_narrower(client, settings, expanded + crosswalks, sources)
    return resolution.merge_matches(direct + crosswalks + related, _FRAMEWORK_ORDER)


_Sources = dict[str, dict[str, Any]]


def _resolve_reference(
    client: OpenSearch, settings: Settings, name: str, limit: int
) -> tuple[list[ConceptMatch], _Sources]:
    # Labels rarely contain ":" or "/", and every id and URI does.
    if ":" not in name and "/" not in name:
        return [], {}
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
    sources = {hit["_source"]["skill_id"]: hit["_source"] for hit in hits}
    matches = [
        _match(hit["_source"], "id", resolution.ID_WEIGHT)
        for hit in hits
        if _is_reference_of(hit["_source"], references)
    ]
    if matches:
        return matches, sources

    # The typed id names a concept that is not loaded, such as an ESCO URI
    # when only the built-in vocabulary is, but crosswalks of it are.
    weight = resolution.reached_weight(
        resolution.ID_WEIGHT, resolution.CROSSWALK_FACTOR
    )
    return [_match(hit["_source"], "crosswalk", weight) for hit in hits], sources


def _is_reference_of(source: dict[str, Any], references: list[str]) -> bool:
    # URL codes are crosswalks to other concepts, so a concept that lists the
    # typed URL only among its codes is reached as a crosswalk.
    if source["skill_id"] in references or source.get("uri") in references:
        return True
    own_codes = [code for code in source.get("codes") or [] if not _is_url(code)]
    return any(reference in own_codes for reference in references)


def _resolve_labels(
    client: OpenSearch, settings: Settings, name: str, limit: int
) -> tuple[list[ConceptMatch], _Sources]:
    key = normalize_label(name)
    if not key:
        return [], {}
    hits = _search_labels(client, settings, name, key)
    sources = {hit["_source"]["skill_id"]: hit["_source"] for hit in hits}

    exact: list[ConceptMatch] = []
    stem_hits: list[dict[str, Any]] = []
    text: list[tuple[float, dict[str, Any]]] = []
    for hit in hits:
        source = hit["_source"]
        reason = _exact_reason(source, key)
        if reason == "exact_label":
            exact.append(_match(source, reason, resolution.EXACT_LABEL_WEIGHT))
        elif reason == "alt_label":
            exact.append(_match(source, reason, resolution.ALT_LABEL_WEIGHT))
        elif {"stem_preferred", "stem_alt"} & set(hit.get("matched_queries") or []):
            stem_hits.append(hit)
        else:
            text.append((float(hit["_score"] or 0.0), source))

    if exact:
        return resolution.merge_matches(exact, _FRAMEWORK_ORDER)[:limit], sources

    stems = _stem_matches(client, settings, name, stem_hits)
    stem_ids = {match.skill_id for match in stems}
    for hit in stem_hits:
        if hit["_source"]["skill_id"] not in stem_ids:
            text.append((float(hit["_score"] or 0.0), hit["_source"]))
    matches = resolution.merge_matches(stems, _FRAMEWORK_ORDER)
    matches += _text_matches(text, limit, resolution.TEXT_MATCH_MAX_WEIGHT)
    if matches:
        return matches[:limit], sources

    # No label has every word of the name, so labels with some of its words
    # count, as the weakest text matches.
    loose = [
        (float(hit["_score"] or 0.0), hit["_source"])
        for hit in _search_labels_loosely(client, settings, key, limit)
    ]
    return _text_matches(loose, limit, resolution.LOOSE_TEXT_MAX_WEIGHT), sources


def _search_labels_loosely(
    client: OpenSearch, settings: Settings, key: str, limit: int
) -> list[dict[str, Any]]:
    body = {
        "size": limit,
        "query": {
            "multi_match": {
                "query": key,
                "fields": [
                    "preferred_label^2",
                    "alt_labels",
                    "preferred_label.stemmed^2",
                    "alt_labels.stemmed",
                ],
                "type": "most_fields",
            }
        },
    }
    return _search(client, settings, body)


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
                        "match_phrase": {
                            "preferred_label.stemmed": {
                                "query": key,
                                "boost": 4.0,
                                "_name": "stem_preferred",
                            }
                        }
                    },
                    {
                        "match_phrase": {
                            "alt_labels.stemmed": {
                                "query": key,
                                "boost": 3.0,
                                "_name": "stem_alt",
                            }
                        }
                    },
                    {
                        "multi_match": {
                            "query": key,
                            "fields": [
                                "preferred_label^2",
                                "alt_labels",
                                "preferred_label.stemmed^2",
                                "alt_labels.stemmed",
                            ],
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


def _stem_matches(
    client: OpenSearch, settings: Settings, name: str, hits: list[dict[str, Any]]
) -> list[ConceptMatch]:
    """Keep the hits with a label whose stems equal the name's stems.

    A phrase match on the stemmed field also hits longer labels that contain
    the name, so the stems of every label with as many words are compared.
    """
    if not hits:
        return []
    word_count = len(split_words(name))
    stems = _stems(client, settings, name)

    matches = []
    for hit in hits[:STEM_CHECKS]:
        source = hit["_source"]
        labels = [("preferred", source["preferred_label"])]
        labels += [("alt", label) for label in source.get("alt_labels") or []]
        for _, label in labels:
            if len(split_words(label)) != word_count:
                continue
            if _stems(client, settings, label) == stems:
                matches.append(_match(source, "stem", resolution.STEM_WEIGHT))
                break
    return matches


def _stems(client: OpenSearch, settings: Settings, text: str) -> list[str]:
    try:
        response = client.indices.analyze(
            index=alias_name(settings, "skills"),
            body={"analyzer": "skill_stemmed", "text": text},
        )
    except OpenSearchException as error:
        log.error("skills.analyze.failed", error_type=type(error).__name__)
        raise StoreError("the skill name analysis failed in OpenSearch") from error
    return [token["token"] for token in response.get("tokens", [])]


def _text_matches(
    scored: list[tuple[float, dict[str, Any]]], limit: int, max_weight: float
) -> list[ConceptMatch]:
    if not scored:
        return []
    scored.sort(key=lambda item: (-item[0], item[1]["skill_id"]))
    best = scored[0][0]
    return [
        _match(source, "text", resolution.text_weight(score, best, max_weight))
        for score, source in scored[:limit]
    ]


def _crosswalks(
    client: OpenSearch,
    settings: Settings,
    matches: list[ConceptMatch],
    sources: _Sources,
) -> tuple[list[ConceptMatch], _Sources]:
    """Find concepts linked to the matches by crosswalk codes, in either direction.

    A concept is linked when its `codes` name a match's id or URI, or when a
    match's `codes` name its id or URI. Two RSDs aligned to the same Lightcast
    skill are not linked to each other, because several narrow RSDs often
    align to one broad Lightcast skill.
    """
    if not matches:
        return [], {}
    references: set[str] = set()
    codes: set[str] = set()
    for match in matches:
        source = sources[match.skill_id]
        references.add(source["skill_id"])
        if source.get("uri"):
            references.add(source["uri"])
        codes.update(source.get("codes") or [])

    body = {
        "size": MAX_CROSSWALKS,
        "query": {
            "bool": {
                "should": [
                    {"terms": {"codes": sorted(references)}},
                    {"terms": {"skill_id": sorted(codes)}},
                    {"terms": {"uri": sorted(codes)}},
                ],
                "minimum_should_match": 1,
                "must_not": [{"ids": {"values": sorted(_ids(matches))}}],
            }
        },
        "sort": [{"skill_id": "asc"}],
    }
    hits = _search(client, settings, body)

    found = []
    found_sources: _Sources = {}
    for hit in hits:
        target = hit["_source"]
        weight = max(
            (
                match.weight
                for match in matches
                if _linked(sources[match.skill_id], target)
            ),
            default=0.0,
        )
        if weight <= 0.0:
            continue
        found_sources[target["skill_id"]] = target
        found.append(
            _match(
                target,
                "crosswalk",
                resolution.reached_weight(weight, resolution.CROSSWALK_FACTOR),
            )
        )
    return found, found_sources


def _ids(matches: list[ConceptMatch]) -> set[str]:
    return {match.skill_id for match in matches}


def _references(source: dict[str, Any]) -> set[str]:
    references = {source["skill_id"]}
    if source.get("uri"):
        references.add(source["uri"])
    return references


def _linked(source: dict[str, Any], target: dict[str, Any]) -> bool:
    source_codes = set(source.get("codes") or [])
    target_codes = set(target.get("codes") or [])
    return bool(
        _references(source) & target_codes or _references(target) & source_codes
    )


def _is_url(code: str) -> bool:
    return code.startswith(("http://", "https://"))


def _broader_and_narrower(
    client: OpenSearch,
    settings: Settings,
    matches: list[ConceptMatch],
    sources: _Sources,
) -> list[ConceptMatch]:
    """Find the direct broader and narrower concepts of the matches."""
    if not matches:
        return []
    weights = {match.skill_id: match.weight for match in matches}
    found: list[ConceptMatch] = []

    broader_weight: dict[str, float] = {}
    for match in matches:
        for broader_id in sources[match.skill_id].get("broader_ids") or []:
            broader_weight[broader_id] = max(
                broader_weight.get(broader_id, 0.0), match.weight
            )
    if broader_weight:
        body = {
            "size": MAX_BROADER,
            "query": {"terms": {"skill_id": sorted(broader_weight)}},
            "sort": [{"skill_id": "asc"}],
        }
        for hit in _search(client, settings, body):
            source = hit["_source"]
            weight = resolution.reached_weight(
                broader_weight[source["skill_id"]], resolution.BROADER_FACTOR
            )
            found.append(_match(source, "broader", weight))

    references: dict[str, float] = {}
    for skill_id, weight in weights.items():
        for reference in _references(sources[skill_id]):
            references[reference] = max(references.get(reference, 0.0), weight)
    body = {
        "size": MAX_NARROWER,
        "query": {"terms": {"broader_ids": sorted(references)}},
        "sort": [
            {"candidate_count": {"order": "desc", "missing": 0}},
            {"skill_id": "asc"},
        ],
    }
    for hit in _search(client, settings, body):
        source = hit["_source"]
        weight = max(
            references.get(broader_id, 0.0)
            for broader_id in source.get("broader_ids") or []
        )
        if weight > 0.0:
            found.append(
                _match(
                    source,
                    "narrower",
                    resolution.reached_weight(weight, resolution.NARROWER_FACTOR),
                )
            )
    return found


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

    Every concept of the skill index can be suggested. Suggestions rank by
    usefulness: first by how many employer-visible candidates have evidence
    for the concept (`candidate_count`), then by prefix quality (see the
    SUGGEST_* tiers), then by label. Concepts with the same preferred label
    appear once.
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
                        {"prefix": {"alt_labels.exact": {"value": typed}}},
                        SUGGEST_ALT_PREFIX,
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
            {"candidate_count": {"order": "desc", "missing": 0}},
            {"_score": "desc"},
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
