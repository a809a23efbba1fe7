"""OpenSearch client construction and the store's error type."""

from functools import lru_cache

from opensearchpy import OpenSearch
from opensearchpy.exceptions import OpenSearchException

from skillbeacon.settings import Settings, get_settings


class StoreError(RuntimeError):
    """Raised when OpenSearch fails; the message never carries raw engine output."""


def build_client(settings: Settings) -> OpenSearch:
    auth = None
    if settings.opensearch_username and settings.opensearch_password is not None:
        auth = (
            settings.opensearch_username,
            settings.opensearch_password.get_secret_value(),
        )
    return OpenSearch(
        hosts=[settings.engine_url],
        http_auth=auth,
        verify_certs=settings.opensearch_verify_certs,
        timeout=settings.opensearch_timeout_seconds,
        max_retries=2,
        retry_on_timeout=True,
    )


@lru_cache
def default_client() -> OpenSearch:
    return build_client(get_settings())


def cluster_health(client: OpenSearch) -> dict:
    """Return the cluster health document; raise StoreError when unreachable."""
    try:
        return client.cluster.health()
    except OpenSearchException as error:
        raise StoreError("the cluster health request failed") from error
