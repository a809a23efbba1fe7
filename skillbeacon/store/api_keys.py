"""API key records: create, look up, list and revoke."""

from datetime import UTC, datetime

import structlog
from opensearchpy import NotFoundError, OpenSearch
from opensearchpy.exceptions import OpenSearchException
from opensearchpy.helpers import scan

from skillbeacon.api_keys import ApiKeyRecord, Role, new_api_key
from skillbeacon.settings import Settings
from skillbeacon.store.client import StoreError
from skillbeacon.store.indices import alias_name

log = structlog.get_logger(__name__)


def put_api_key(client: OpenSearch, settings: Settings, record: ApiKeyRecord) -> None:
    """Store a key record, refreshed so the key works at once."""
    try:
        client.index(
            index=alias_name(settings, "api_keys"),
            id=record.key_id,
            body=record.model_dump(mode="json", exclude_none=True),
            refresh=True,
        )
    except OpenSearchException as error:
        log.error("api_keys.write.failed", key_id=record.key_id)
        raise StoreError("writing the API key failed") from error
    log.info(
        "api_keys.created",
        key_id=record.key_id,
        role=record.role.value,
        employer_groups=len(record.employer_groups),
        youth_program=record.youth_program,
    )


def get_api_key(
    client: OpenSearch, settings: Settings, key_id: str
) -> ApiKeyRecord | None:
    try:
        response = client.get(index=alias_name(settings, "api_keys"), id=key_id)
    except NotFoundError:
        return None
    except OpenSearchException as error:
        raise StoreError("reading the API key failed") from error
    return ApiKeyRecord.model_validate(response["_source"])


def revoke_api_key(client: OpenSearch, settings: Settings, key_id: str) -> bool:
    """Mark a key revoked; return False when no key has this id."""
    try:
        client.update(
            index=alias_name(settings, "api_keys"),
            id=key_id,
            body={"doc": {"revoked_at": datetime.now(UTC).isoformat()}},
            refresh=True,
        )
    except NotFoundError:
        return False
    except OpenSearchException as error:
        raise StoreError("revoking the API key failed") from error
    log.info("api_keys.revoked", key_id=key_id)
    return True


def list_api_keys(client: OpenSearch, settings: Settings) -> list[ApiKeyRecord]:
    """Return every key record, revoked ones included, oldest first."""
    try:
        hits = list(
            scan(
                client,
                index=alias_name(settings, "api_keys"),
                query={"query": {"match_all": {}}},
            )
        )
    except OpenSearchException as error:
        raise StoreError("listing the API keys failed") from error
    records = [ApiKeyRecord.model_validate(hit["_source"]) for hit in hits]
    records.sort(key=lambda record: (record.created_at, record.key_id))
    return records


def revoke_learner_keys(client: OpenSearch, settings: Settings, learner_id: str) -> int:
    """Revoke every unrevoked learner key bound to learner_id; return how many."""
    query = {
        "bool": {
            "filter": [
                {"term": {"role": Role.learner.value}},
                {"term": {"learner_id": learner_id}},
            ],
            "must_not": [{"exists": {"field": "revoked_at"}}],
        }
    }
    script = {
        "source": "ctx._source.revoked_at = params.revoked_at",
        "lang": "painless",
        "params": {"revoked_at": datetime.now(UTC).isoformat()},
    }
    try:
        response = client.update_by_query(
            index=alias_name(settings, "api_keys"),
            body={"query": query, "script": script},
            refresh=True,
            conflicts="proceed",
        )
    except OpenSearchException as error:
        log.error("api_keys.revoke_learner.failed", learner_id=learner_id)
        raise StoreError("revoking the learner's API keys failed") from error
    revoked = int(response.get("updated", 0))
    if revoked:
        log.info("api_keys.learner_revoked", learner_id=learner_id, revoked=revoked)
    return revoked


def create_api_key(
    client: OpenSearch,
    settings: Settings,
    role: Role,
    learner_id: str | None = None,
    organization: str | None = None,
    employer_groups: list[str] | None = None,
    youth_program: bool = False,
) -> tuple[ApiKeyRecord, str]:
    """Create and store a key; return its record and the key, shown only once.

    Raise ValueError on arguments that new_api_key rejects.
    """
    record, key = new_api_key(
        role,
        learner_id=learner_id,
        organization=organization,
        employer_groups=employer_groups,
        youth_program=youth_program,
    )
    put_api_key(client, settings, record)
    return record, key
