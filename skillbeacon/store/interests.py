"""Employer interest requests: stored, decided by the learner, read back."""

from typing import Any

import structlog
from opensearchpy import NotFoundError, OpenSearch
from opensearchpy.exceptions import ConflictError, OpenSearchException

from skillbeacon.settings import Settings
from skillbeacon.store.client import StoreError
from skillbeacon.store.indices import alias_name

log = structlog.get_logger(__name__)

MAX_LISTED_INTERESTS = 200


def create_interest(
    client: OpenSearch, settings: Settings, document: dict[str, Any]
) -> dict[str, Any]:
    """Store a new request; return the stored one when the id already exists.

    An employer key sends a learner one request, so repeating it never
    reopens one the learner declined.
    """
    try:
        client.create(
            index=alias_name(settings, "interests"),
            id=document["interest_id"],
            body=document,
            refresh=True,
        )
    except ConflictError:
        existing = get_interest(client, settings, document["interest_id"])
        if existing is None:
            raise StoreError("reading the interest request failed") from None
        return existing
    except OpenSearchException as error:
        log.error("interests.write.failed", interest_id=document["interest_id"])
        raise StoreError("storing the interest request failed") from error
    return document


def get_interest(
    client: OpenSearch, settings: Settings, interest_id: str
) -> dict[str, Any] | None:
    try:
        response = client.get(index=alias_name(settings, "interests"), id=interest_id)
    except NotFoundError:
        return None
    except OpenSearchException as error:
        raise StoreError("reading the interest request failed") from error
    return response["_source"]


def update_interest(
    client: OpenSearch, settings: Settings, interest_id: str, fields: dict[str, Any]
) -> None:
    try:
        client.update(
            index=alias_name(settings, "interests"),
            id=interest_id,
            body={"doc": fields},
            refresh=True,
        )
    except OpenSearchException as error:
        log.error("interests.update.failed", interest_id=interest_id)
        raise StoreError("updating the interest request failed") from error


def list_interests(
    client: OpenSearch, settings: Settings, candidate_id: str
) -> list[dict[str, Any]]:
    """Return the candidate's interest requests, newest first."""
    body = {
        "size": MAX_LISTED_INTERESTS,
        "query": {"term": {"candidate_id": candidate_id}},
        "sort": [{"requested_at": "desc"}],
    }
    try:
        response = client.search(index=alias_name(settings, "interests"), body=body)
    except OpenSearchException as error:
        raise StoreError("reading interest requests failed") from error
    return [hit["_source"] for hit in response["hits"]["hits"]]


def delete_interests(client: OpenSearch, settings: Settings, candidate_id: str) -> int:
    """Delete every interest request for the candidate; return how many."""
    try:
        response = client.delete_by_query(
            index=alias_name(settings, "interests"),
            body={"query": {"term": {"candidate_id": candidate_id}}},
            refresh=True,
            conflicts="proceed",
        )
    except OpenSearchException as error:
        raise StoreError("deleting interest requests failed") from error
    return int(response.get("deleted", 0))
