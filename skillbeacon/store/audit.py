"""Audit records of consent and deletion actions on learners.

A record contains the learner id, the action, the time and the key id of the
actor, and never a name, email or other personal data.
"""

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import structlog
from opensearchpy import OpenSearch, helpers
from opensearchpy.exceptions import OpenSearchException

from skillbeacon.settings import Settings
from skillbeacon.store.client import StoreError
from skillbeacon.store.indices import alias_name

log = structlog.get_logger(__name__)

# The actor of deletions that the indexer makes on its own, where no key acts.
INDEXER_ACTOR = "indexer"


class AuditAction(StrEnum):
    learner_deleted = "learner_deleted"
    consent_withdrawn = "consent_withdrawn"
    # The indexer read a profile whose consent no longer covers employer
    # search, and deleted the learner's candidate document.
    removed_by_indexer = "removed_by_indexer"


def record_audit_events(
    client: OpenSearch,
    settings: Settings,
    learner_ids: list[str],
    action: AuditAction,
    actor_key_id: str,
) -> None:
    """Write one audit record per learner id, refreshed so it is readable at once."""
    if not learner_ids:
        return
    occurred_at = datetime.now(UTC).isoformat()
    index = alias_name(settings, "audit")
    actions = (
        {
            "_op_type": "index",
            "_index": index,
            "learner_id": learner_id,
            "action": action.value,
            "occurred_at": occurred_at,
            "actor_key_id": actor_key_id,
        }
        for learner_id in learner_ids
    )
    try:
        _, errors = helpers.bulk(client, actions, raise_on_error=False, refresh=True)
    except OpenSearchException as error:
        log.error("audit.write.failed", action=action.value, count=len(learner_ids))
        raise StoreError("writing audit records failed") from error
    if errors:
        log.error("audit.write.failed", action=action.value, count=len(errors))
        raise StoreError("writing audit records failed")
    log.info("audit.recorded", action=action.value, count=len(learner_ids))


def list_audit_events(
    client: OpenSearch, settings: Settings, learner_id: str, size: int = 100
) -> list[dict[str, Any]]:
    """Return the learner's audit records, newest first."""
    body = {
        "size": size,
        "query": {"term": {"learner_id": learner_id}},
        "sort": [{"occurred_at": "desc"}],
    }
    try:
        response = client.search(index=alias_name(settings, "audit"), body=body)
    except OpenSearchException as error:
        raise StoreError("reading audit records failed") from error
    return [hit["_source"] for hit in response["hits"]["hits"]]


# Actions after which a learner stays out of the index until they consent
# again. The indexer's own removals are left out: they follow the profile, so
# a profile that grants consent again brings the learner back by itself.
REMOVAL_ACTIONS = (AuditAction.learner_deleted, AuditAction.consent_withdrawn)


def latest_removals(
    client: OpenSearch, settings: Settings, learner_ids: list[str]
) -> dict[str, datetime]:
    """Return the time of each learner's latest deletion or withdrawal by an admin."""
    if not learner_ids:
        return {}
    body = {
        "size": 0,
        "query": {
            "bool": {
                "filter": [
                    {"terms": {"learner_id": learner_ids}},
                    {"terms": {"action": [action.value for action in REMOVAL_ACTIONS]}},
                ]
            }
        },
        "aggs": {
            "learners": {
                "terms": {"field": "learner_id", "size": len(learner_ids)},
                "aggs": {"latest": {"max": {"field": "occurred_at"}}},
            }
        },
    }
    try:
        response = client.search(index=alias_name(settings, "audit"), body=body)
    except OpenSearchException as error:
        log.error("audit.read.failed", error_type=type(error).__name__)
        raise StoreError("reading audit records failed") from error
    latest = {}
    for bucket in response["aggregations"]["learners"]["buckets"]:
        millis = bucket["latest"]["value"]
        latest[bucket["key"]] = datetime.fromtimestamp(millis / 1000, UTC)
    return latest
