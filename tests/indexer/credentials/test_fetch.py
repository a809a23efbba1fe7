"""The document fetcher: URL map first, then guarded network fetches.

Network tests talk only to a server this module starts on 127.0.0.1, with
``fetch_allow_insecure_loopback_for_tests`` on. Address checks on other
addresses use literal IPs, which are checked without any lookup or connection.
"""

import json
import time
from collections.abc import Iterator

import pytest

from indexer.credentials.fetch import (
    DocumentGone,
    FetchRejected,
    clear_fetch_cache,
    did_web_url,
    fetch_document,
    fetch_json,
    resolve_public_addresses,
)
from indexer.credentials.url_map import DocumentUnavailable
from indexer.credentials.url_map import fetch_json as url_map_fetch_json
from indexer.errors import InputRejected
from skillbeacon.settings import Settings
from tests.indexer.credentials.document_server import (
    DocumentServer,
    Reply,
    serve_documents,
)

DOCUMENT = {"id": "https://school.example/assertions/1", "type": "Assertion"}


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    clear_fetch_cache()
    yield
    clear_fetch_cache()


@pytest.fixture
def server() -> Iterator[DocumentServer]:
    with serve_documents() as running:
        running.routes["/doc.json"] = Reply(
            body=json.dumps(DOCUMENT).encode(),
            headers={"Content-Type": "application/json"},
        )
        yield running


@pytest.fixture
def network_settings(offline_settings: Settings) -> Settings:
    return offline_settings.model_copy(
        update={
            "network_fetch": True,
            "fetch_allow_insecure_loopback_for_tests": True,
            "fetch_timeout_seconds": 0.5,
            "fetch_total_timeout_seconds": 5.0,
            "fetch_max_bytes": 4096,
        }
    )


def test_fetch_map_hit_needs_no_network(offline_settings, map_document):
    map_document("https://school.example/assertions/1", DOCUMENT)

    assert fetch_json("https://school.example/assertions/1", offline_settings) == (
        DOCUMENT
    )


def test_fetch_map_hit_wins_over_network(network_settings, map_document, server):
    map_document(server.url("/doc.json"), {"id": "local copy"})

    document = fetch_json(server.url("/doc.json"), network_settings)

    assert document == {"id": "local copy"}
    assert server.hits == {}


def test_url_map_fetch_json_uses_fetcher(offline_settings, map_document):
    map_document("https://school.example/issuer", {"id": "issuer"})

    assert url_map_fetch_json("https://school.example/issuer", offline_settings) == {
        "id": "issuer"
    }


def test_fetch_offline_raises_unavailable(offline_settings):
    with pytest.raises(DocumentUnavailable, match="cannot be fetched offline"):
        fetch_json("https://school.example/unmapped", offline_settings)


def test_fetch_offline_never_connects(offline_settings, server):
    with pytest.raises(DocumentUnavailable, match="cannot be fetched offline"):
        fetch_json(server.url("/doc.json"), offline_settings)

    assert server.hits == {}


def test_fetch_network_reads_local_server(network_settings, server):
    fetched = fetch_document(server.url("/doc.json"), network_settings)

    assert json.loads(fetched.content) == DOCUMENT
    assert fetched.media_type == "application/json"
    assert server.hits == {"/doc.json": 1}


def test_fetch_rejects_http_without_test_setting(network_settings, server):
    settings = network_settings.model_copy(
        update={"fetch_allow_insecure_loopback_for_tests": False}
    )

    with pytest.raises(FetchRejected, match="does not use https"):
        fetch_json(server.url("/doc.json"), settings)

    assert server.hits == {}


def test_fetch_rejects_non_http_scheme(network_settings):
    with pytest.raises(FetchRejected, match="does not use https"):
        fetch_json("ftp://127.0.0.1/doc.json", network_settings)


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("10.0.0.1", "private"),
        ("169.254.169.254", "link-local"),
        ("::1", "loopback"),
        ("127.0.0.1", "loopback"),
        ("224.0.0.1", "multicast"),
        ("0.0.0.0", "unspecified"),  # noqa: S104 - an address under test
        ("100.64.0.1", "not globally routable"),
        ("::ffff:10.0.0.1", "private"),
        ("240.0.0.1", "reserved"),
    ],
)
def test_resolve_rejects_internal_address(offline_settings, address, kind):
    with pytest.raises(FetchRejected) as raised:
        resolve_public_addresses(address, 443, offline_settings)

    assert address in raised.value.reason
    assert kind in raised.value.reason


def test_resolve_accepts_public_literal(offline_settings):
    addresses = resolve_public_addresses("93.184.215.14", 443, offline_settings)

    assert [str(address) for address in addresses] == ["93.184.215.14"]


def test_resolve_test_setting_allows_only_loopback(network_settings):
    loopback = resolve_public_addresses("127.0.0.1", 80, network_settings)

    assert [str(address) for address in loopback] == ["127.0.0.1"]
    with pytest.raises(FetchRejected, match="private"):
        resolve_public_addresses("10.0.0.1", 80, network_settings)


def test_fetch_private_address_never_connects(network_settings):
    # 10.0.0.1 is rejected before any connection is attempted.
    with pytest.raises(FetchRejected, match="10.0.0.1"):
        fetch_json("http://10.0.0.1/doc.json", network_settings)


def test_fetch_localhost_rejected_without_test_setting(offline_settings):
    settings = offline_settings.model_copy(update={"network_fetch": True})

    with pytest.raises(FetchRejected, match="loopback"):
        fetch_json("https://localhost/doc.json", settings)


def test_fetch_size_limit_from_content_length(network_settings, server):
    server.routes["/big"] = Reply(body=b"x" * 5000)

    with pytest.raises(DocumentUnavailable, match="larger than 4096 bytes"):
        fetch_document(server.url("/big"), network_settings)


def test_fetch_size_limit_while_streaming(network_settings, server):
    server.routes["/big-stream"] = Reply(
        body=b"x" * 50_000, content_length=False, chunk_size=1000
    )

    with pytest.raises(DocumentUnavailable, match="larger than 4096 bytes"):
        fetch_document(server.url("/big-stream"), network_settings)


def test_fetch_read_timeout(network_settings, server):
    server.routes["/slow"] = Reply(body=b"{}", delay_before=2.0)

    with pytest.raises(DocumentUnavailable, match="timed out after 0.5 seconds"):
        fetch_document(server.url("/slow"), network_settings)


def test_fetch_total_time_limit(network_settings, server):
    # Each chunk arrives within the read timeout, but the whole body does not
    # arrive within the total limit.
    settings = network_settings.model_copy(update={"fetch_total_timeout_seconds": 0.6})
    server.routes["/drip"] = Reply(body=b"x" * 40, chunk_size=1, chunk_delay=0.05)

    with pytest.raises(DocumentUnavailable, match="total time limit"):
        fetch_document(server.url("/drip"), settings)


def test_fetch_follows_redirect(network_settings, server):
    server.routes["/moved"] = Reply(status=302, headers={"Location": "/doc.json"})

    fetched = fetch_document(server.url("/moved"), network_settings)

    assert json.loads(fetched.content) == DOCUMENT
    assert fetched.source == server.url("/doc.json")
    assert fetched.url == server.url("/moved")


def test_fetch_redirect_target_rechecked(network_settings, server):
    server.routes["/to-private"] = Reply(
        status=301, headers={"Location": "http://10.0.0.1/doc.json"}
    )

    with pytest.raises(FetchRejected, match="10.0.0.1"):
        fetch_document(server.url("/to-private"), network_settings)


def test_fetch_redirect_scheme_rechecked(network_settings, server):
    server.routes["/to-file"] = Reply(
        status=302, headers={"Location": "file:///etc/passwd"}
    )

    with pytest.raises(FetchRejected, match="does not use https"):
        fetch_document(server.url("/to-file"), network_settings)


def test_fetch_redirect_limit(network_settings, server):
    server.routes["/loop"] = Reply(status=307, headers={"Location": "/loop"})

    with pytest.raises(FetchRejected, match="redirects more than 3 times"):
        fetch_document(server.url("/loop"), network_settings)

    assert server.hits["/loop"] == 4


def test_fetch_gone_raises_document_gone(network_settings, server):
    server.routes["/revoked"] = Reply(status=410, body=b'{"revoked": true}')

    with pytest.raises(DocumentGone, match="HTTP 410 Gone") as raised:
        fetch_json(server.url("/revoked"), network_settings)

    assert isinstance(raised.value, DocumentUnavailable)


def test_fetch_not_found_unavailable(network_settings, server):
    with pytest.raises(DocumentUnavailable, match="HTTP 404") as raised:
        fetch_json(server.url("/missing"), network_settings)

    assert not isinstance(raised.value, DocumentGone)


def test_fetch_rejects_compressed_body(network_settings, server):
    server.routes["/gzip"] = Reply(
        body=b"\x1f\x8b", headers={"Content-Encoding": "gzip"}
    )

    with pytest.raises(DocumentUnavailable, match="Content-Encoding gzip"):
        fetch_document(server.url("/gzip"), network_settings)


def test_fetch_json_rejects_non_object(network_settings, server):
    server.routes["/list.json"] = Reply(body=b"[1, 2]")

    with pytest.raises(InputRejected, match="is not a JSON object"):
        fetch_json(server.url("/list.json"), network_settings)


def test_fetch_cache_reuses_document(network_settings, server):
    first = fetch_json(server.url("/doc.json"), network_settings)
    second = fetch_json(server.url("/doc.json"), network_settings)

    assert first == second
    assert server.hits["/doc.json"] == 1


def test_fetch_cache_ttl_zero_fetches_again(network_settings, server):
    settings = network_settings.model_copy(update={"fetch_cache_ttl_seconds": 0})

    fetch_json(server.url("/doc.json"), settings)
    fetch_json(server.url("/doc.json"), settings)

    assert server.hits["/doc.json"] == 2


def test_fetch_cache_entry_expires(network_settings, server):
    settings = network_settings.model_copy(update={"fetch_cache_ttl_seconds": 0.2})

    fetch_json(server.url("/doc.json"), settings)
    time.sleep(0.3)
    fetch_json(server.url("/doc.json"), settings)

    assert server.hits["/doc.json"] == 2


@pytest.mark.parametrize(
    ("did", "url"),
    [
        ("did:web:example.com", "https://example.com/.well-known/did.json"),
        (
            "did:web:w3c-ccg.github.io:user:alice",
            "https://w3c-ccg.github.io/user/alice/did.json",
        ),
        ("did:web:example.com%3A3000", "https://example.com:3000/.well-known/did.json"),
        ("did:web:example.com#key-1", "https://example.com/.well-known/did.json"),
    ],
)
def test_did_web_url_forms(did, url):
    assert did_web_url(did) == url


@pytest.mark.parametrize(
    "did",
    [
        "did:web:",
        "did:web:example.com::alice",
        "did:web:example.com:..:admin",
        "did:web:user@example.com",
        "did:key:z6Mk",
    ],
)
def test_did_web_url_rejects_malformed(did):
    with pytest.raises(InputRejected):
        did_web_url(did)


def test_did_web_resolves_through_mapped_url(offline_settings, map_document):
    map_document("https://school.example/.well-known/did.json", {"id": "doc"})

    assert fetch_json("did:web:school.example", offline_settings) == {"id": "doc"}


def test_settings_reject_test_fetch_flag_in_production():
    with pytest.raises(ValueError, match="FETCH_ALLOW_INSECURE_LOOPBACK_FOR_TESTS"):
        Settings(
            environment="production",
            preview_secret="a-real-secret-value",
            fetch_allow_insecure_loopback_for_tests=True,
        )


def test_hosted_assertion_gone_is_revoked():
    from indexer.credentials.parse import parse_credential_json
    from indexer.credentials.verify import verify_credential
    from skillbeacon.models.credential import VerificationStatus
    from skillbeacon.models.profile import RecipientIdentifier

    with serve_documents() as server:
        server.routes["/assertions/1"] = Reply(status=410, body=b"gone")
        issuer = {"type": "Profile", "id": server.url("/issuer"), "name": "College"}
        server.routes["/issuer"] = Reply(body=json.dumps(issuer).encode())
        settings = Settings(
            network_fetch=True, fetch_allow_insecure_loopback_for_tests=True
        )
        assertion = {
            "@context": "https://w3id.org/openbadges/v2",
            "type": "Assertion",
            "id": server.url("/assertions/1"),
            "recipient": {
                "type": "email",
                "hashed": False,
                "identity": "learner@example.org",
            },
            "issuedOn": "2024-01-01T00:00:00Z",
            "verification": {"type": "hosted"},
            "badge": {
                "type": "BadgeClass",
                "id": "urn:uuid:badge-1",
                "name": "Team Project",
                "description": "Worked in a team.",
                "criteria": {"narrative": "Finish the project."},
                "issuer": issuer,
            },
        }
        parsed = parse_credential_json(assertion, settings)
        learner = [RecipientIdentifier(type="email", value="learner@example.org")]

        result = verify_credential(parsed, learner, settings)

    assert result.status is VerificationStatus.revoked
    assert any("410" in reason for reason in result.reasons)
