"""Employer views of candidates, which each learner can list in their preview."""

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import structlog
from opensearchpy import OpenSearch
from opensearchpy.exceptions import OpenSearchException

from skillbeacon.settings import Settings
from skillbeacon.store.client import StoreError
from skillbeacon.store.indices import alias_name

log = structlog.get_logger(__name__)

MAX_LISTED_VIEWS = 200


class ViewEvent(StrEnum):
    candidate_viewed = "candidate_viewed"
    # The employer asked to contact the learner, which is how an employer
    # shortlists a candidate here.
    interest_requested = "interest_requested"


def record_view(
    client: OpenSearch,
    settings: Settings,
    candidate_id: str,
    event: ViewEvent,
    key_id: str,
    role: str,
    organization: str | None,
    channel: str,
) -> None:
    """Store one view event; raise StoreError when it cannot be stored.

    The index is not refreshed, so the event is listed about one second
    later (the default refresh interval).
    """
    document = {
        "candidate_id": candidate_id,
        "event": event.value,
        "occurred_at": datetime.now(UTC).isoformat(),
        "key_id": key_id,
        "role": role,
        "channel": channel,
    }
    if organization:
        document["organization"] = organization
    try:
        client.index(index=alias_name(settings, "views"), body=document)
    except OpenSearchException as error:
        log.error("views.write.failed", candidate_id=candidate_id, key_id=key_id)
        raise StoreError("recording the view failed") from error


def list_views(
    client: OpenSearch, settings: Settings, candidate_id: str
) -> list[dict[str, Any]]:
    """Return the candidate's view events, newest first."""
    body = {
        "size": MAX_LISTED_VIEWS,
        "query": {"term": {"candidate_id": candidate_id}},
        "sort": [{"occurred_at": "desc"}],
    }
    try:
        response = client.search(index=alias_name(settings, "views"), body=body)
    except OpenSearchException as error:
        raise StoreError("reading view events failed") from error
    return [hit["_source"] for hit in response["hits"]["hits"]]


def delete_views(client: OpenSearch, settings: Settings, candidate_id: str) -> int:
    """Delete every view event of the candidate; return how many were deleted."""
    try:
        response = client.delete_by_query(
            index=alias_name(settings, "views"),
            body={"query": {"term": {"candidate_id": candidate_id}}},
            refresh=True,
            conflicts="proceed",
        )
    except OpenSearchException as error:
        raise StoreError("deleting view events failed") from error
    return int(response.get("deleted", 0))
