"""API key records: create, look up and revoke."""

from datetime import UTC, datetime

import structlog
from opensearchpy import NotFoundError, OpenSearch
from opensearchpy.exceptions import OpenSearchException

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
