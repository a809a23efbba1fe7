"""Revocation checks against the shared status lists and test-made lists.

The DCC lists (verifier-core and vc-test-fixtures copies) have bits 2, 6 and
8 set and are signed by the DCC sandbox did:key. The 1EdTech test list has
bit 23 set. The expired, notYetValid, missingBitStringType and tampered lists
carry the same bits but are defective, so they must never count.
"""

import gzip
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from joserfc import jws
from joserfc.jwk import OKPKey

from indexer.credentials.fetch import clear_fetch_cache, fetch_json
from indexer.credentials.revocation import (
    RevocationFinding,
    check_credential_status,
    check_ob2_revocation,
    status_list_bits,
)
from skillbeacon.models.credential import (
    Achievement,
    CredentialFormat,
    ParsedCredential,
)
from skillbeacon.settings import Settings
from tests.indexer.credentials.document_server import Reply, serve_documents
from tests.indexer.credentials.signing import b64url, ed25519_did_key

pytestmark = pytest.mark.filterwarnings("ignore:EdDSA is deprecated")

DCC_ISSUER = "did:key:z6MknNQD1WHLGGraFi6zcbGevuAgkVfdyCdtZnQTGWVVvR5Q"
OTHER_DCC_ISSUER = "did:key:z6MkqBcwQ7qnRBRpgtsJQviLFeYxExMUE2k9nwKkMTF3DdRZ"
ONE_EDTECH_ISSUER = "https://1edtech.edu/issuers/565049"
NOW = datetime(2026, 1, 1, tzinfo=UTC)

VCORE_LIST = (
    "https://raw.githubusercontent.com/digitalcredentials/verifier-core/refs/"
    "heads/main/src/test-fixtures/status/e5WK8CbZ1GjycuPombrj"
)
# The same id with a typo, unresolvable on purpose.
VCORE_LIST_TYPO = VCORE_LIST.replace("e5WK8", "e5VK8")
VTF_LISTS = (
    "https://digitalcredentials.github.io/vc-test-fixtures/statusLists/"
    "didkey-ed25519Signature2020/"
)
VTF_LIST = VTF_LISTS + "e5WK8CbZ1GjycuPombrj"
ONE_EDTECH_LIST = (
    "https://raw.githubusercontent.com/1EdTech/digital-credentials-public-"
    "validator/refs/heads/main/inspector-vc/src/test/resources/ob30/"
    "bit-string-list/testlist"
)


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    clear_fetch_cache()
    yield
    clear_fetch_cache()


@pytest.fixture
def shared_settings(shared_data: Path) -> Settings:
    credentials = shared_data / "credentials"
    return Settings(
        url_map=credentials / "url-map.json", context_dir=credentials / "contexts"
    )


def credential(
    issuer: str, status: object, credential_id: str = "urn:uuid:credential-1"
) -> ParsedCredential:
    return ParsedCredential(
        format=CredentialFormat.ob3_json,
        credential_id=credential_id,
        issuer_id=issuer,
        achievement=Achievement(name="Welding"),
        raw={"credentialStatus": status},
    )


def bitstring_entry(list_url: str, index: int, purpose: str = "revocation") -> dict:
    return {
        "type": "BitstringStatusListEntry",
        "statusPurpose": purpose,
        "statusListIndex": str(index),
        "statusListCredential": list_url,
    }


def check_one(parsed: ParsedCredential, settings: Settings) -> RevocationFinding:
    findings = check_credential_status(parsed, settings, NOW)
    assert len(findings) == 1
    return findings[0]


@pytest.mark.parametrize("list_url", [VCORE_LIST, VTF_LIST])
@pytest.mark.parametrize(
    ("index", "revoked"),
    [(2, True), (6, True), (8, True), (7, False), (9, False), (0, False)],
)
def test_dcc_status_list_bits(shared_settings, list_url, index, revoked):
    parsed = credential(DCC_ISSUER, bitstring_entry(list_url, index))

    finding = check_one(parsed, shared_settings)

    assert finding.revoked is revoked, finding.message
    assert list_url in finding.message


def test_one_edtech_test_list_has_bit_23(shared_settings):
    status_list = fetch_json(ONE_EDTECH_LIST, shared_settings)

    bits = status_list_bits(status_list, ONE_EDTECH_LIST, "revocation", shared_settings)

    set_bits = [i for i in range(len(bits) * 8) if bits[i // 8] & (0x80 >> (i % 8))]
    assert set_bits == [23]


def test_one_edtech_list_with_unbound_key_unknown(shared_settings):
    parsed = credential(ONE_EDTECH_ISSUER, bitstring_entry(ONE_EDTECH_LIST, 23))

    finding = check_one(parsed, shared_settings)

    # The list's key comes from its verificationMethod URL, so nothing ties
    # it to the issuer and the set bit is not trusted either way.
    assert finding.revoked is None
    assert ONE_EDTECH_LIST in finding.message
    assert "not bound to issuer" in finding.message


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("expired", "expired on 2021-01-09"),
        ("notYetValid", "is not valid before 3000-01-09"),
        ("missingBitStringType", "is not typed BitstringStatusListCredential"),
        ("tampered", "does not verify"),
    ],
)
@pytest.mark.parametrize("index", [6, 7])
def test_defective_status_list_unknown(shared_settings, name, reason, index):
    list_url = VTF_LISTS + name
    parsed = credential(DCC_ISSUER, bitstring_entry(list_url, index))

    finding = check_one(parsed, shared_settings)

    assert finding.revoked is None
    assert list_url in finding.message
    assert reason in finding.message


def test_unreachable_status_list_unknown(shared_settings):
    parsed = credential(DCC_ISSUER, bitstring_entry(VCORE_LIST_TYPO, 9))

    finding = check_one(parsed, shared_settings)

    assert finding.revoked is None
    assert "cannot be fetched offline" in finding.message
    assert VCORE_LIST_TYPO in finding.message


@pytest.mark.parametrize("index", [7, 8])
def test_status_list_of_other_issuer_unknown(shared_settings, index):
    # The list verifies, but DCC's sandbox key signed it, not the credential's
    # issuer, so it can neither revoke nor clear the credential.
    parsed = credential(OTHER_DCC_ISSUER, bitstring_entry(VTF_LIST, index))

    finding = check_one(parsed, shared_settings)

    assert finding.revoked is None
    assert f"is issued by {DCC_ISSUER}" in finding.message
    assert OTHER_DCC_ISSUER in finding.message


def test_status_purpose_mismatch_unknown(shared_settings):
    parsed = credential(DCC_ISSUER, bitstring_entry(VTF_LIST, 6, "suspension"))

    finding = check_one(parsed, shared_settings)

    assert finding.revoked is None
    assert "not suspension" in finding.message


def test_message_purpose_not_checked(shared_settings):
    parsed = credential(DCC_ISSUER, bitstring_entry(VTF_LIST, 6, "message"))

    finding = check_one(parsed, shared_settings)

    assert finding.revoked is False
    assert "not about revocation" in finding.message


def test_index_outside_list_unknown(shared_settings):
    parsed = credential(DCC_ISSUER, bitstring_entry(VTF_LIST, 10_000_000))

    finding = check_one(parsed, shared_settings)

    assert finding.revoked is None
    assert "outside the status list" in finding.message


def test_unsupported_status_type_unknown(shared_settings):
    parsed = credential(DCC_ISSUER, {"type": "RevocationList2020Status"})

    finding = check_one(parsed, shared_settings)

    assert finding.revoked is None
    assert "RevocationList2020Status is not supported" in finding.message


def test_no_credential_status_not_revoked(shared_settings):
    parsed = credential(DCC_ISSUER, None)

    assert check_one(parsed, shared_settings).revoked is False


# VC-JWT status lists, signed in the test with a fresh did:key.


def jwt_status_list(
    issuer: str,
    key: OKPKey,
    set_bits: list[int],
    list_type: str = "BitstringStatusListCredential",
    purpose: str = "revocation",
    **claims: object,
) -> str:
    bits = bytearray(16 * 1024)
    for index in set_bits:
        bits[index // 8] |= 0x80 >> (index % 8)
    encoded = b64url(gzip.compress(bytes(bits)))
    if list_type == "BitstringStatusListCredential":
        encoded = "u" + encoded
    payload = {
        "iss": issuer,
        "vc": {
            "type": ["VerifiableCredential", list_type],
            "issuer": issuer,
            "credentialSubject": {"statusPurpose": purpose, "encodedList": encoded},
        },
        **claims,
    }
    header = {"alg": "EdDSA", "kid": f"{issuer}#{issuer[len('did:key:') :]}"}
    return jws.serialize_compact(
        header, json.dumps(payload).encode(), key, algorithms=["EdDSA"]
    )


def map_text(settings: Settings, url: str, text: str) -> None:
    assert settings.url_map is not None
    table = json.loads(settings.url_map.read_text())
    name = f"list-{len(table['exact'])}.jwt"
    (settings.url_map.parent / name).write_text(text)
    table["exact"][url] = name
    settings.url_map.write_text(json.dumps(table))


def test_jwt_status_list_2021_revoked(offline_settings):
    did, key = ed25519_did_key()
    url = "https://school.example/status/2021"
    map_text(
        offline_settings,
        url,
        jwt_status_list(did, key, [5], "StatusList2021Credential"),
    )
    entry = {
        "type": "StatusList2021Entry",
        "statusPurpose": "revocation",
        "statusListIndex": "5",
        "statusListCredential": url,
    }

    revoked = check_one(credential(did, entry), offline_settings)
    clear = check_one(
        credential(did, {**entry, "statusListIndex": "4"}), offline_settings
    )

    assert revoked.revoked is True, revoked.message
    assert clear.revoked is False, clear.message


def test_jwt_status_list_suspension_bit(offline_settings):
    did, key = ed25519_did_key()
    url = "https://school.example/status/suspension"
    map_text(
        offline_settings,
        url,
        jwt_status_list(did, key, [3], purpose="suspension"),
    )

    finding = check_one(
        credential(did, bitstring_entry(url, 3, "suspension")), offline_settings
    )

    assert finding.revoked is True
    assert "suspension bit 3 is set" in finding.message


def test_jwt_status_list_wrong_key_unknown(offline_settings):
    did, _key = ed25519_did_key()
    _other_did, other_key = ed25519_did_key()
    url = "https://school.example/status/forged"
    # Claims the credential's issuer, but is signed with another key.
    map_text(offline_settings, url, jwt_status_list(did, other_key, []))

    finding = check_one(credential(did, bitstring_entry(url, 3)), offline_settings)

    assert finding.revoked is None
    assert "signature does not verify" in finding.message


def test_jwt_status_list_expired_unknown(offline_settings):
    did, key = ed25519_did_key()
    url = "https://school.example/status/old"
    map_text(offline_settings, url, jwt_status_list(did, key, [], exp=1_600_000_000))

    finding = check_one(credential(did, bitstring_entry(url, 3)), offline_settings)

    assert finding.revoked is None
    assert "expired on 2020-09-13" in finding.message


def test_status_list_fetched_from_local_server(offline_settings):
    did, key = ed25519_did_key()
    settings = offline_settings.model_copy(
        update={"network_fetch": True, "fetch_allow_insecure_loopback_for_tests": True}
    )
    token = jwt_status_list(did, key, [6]).encode()

    with serve_documents() as server:
        server.routes["/status/1"] = Reply(
            body=token, headers={"Content-Type": "application/vc+jwt"}
        )
        url = server.url("/status/1")
        revoked = check_one(credential(did, bitstring_entry(url, 6)), settings)
        clear = check_one(credential(did, bitstring_entry(url, 7)), settings)

    assert revoked.revoked is True, revoked.message
    assert clear.revoked is False, clear.message
    # The second check reads the cached list.
    assert server.hits == {"/status/1": 1}


# 1EdTech revocation lists: plain JSON, looked up by credential id.

ONE_EDTECH_LIST_URL = "https://school.example/credentials/3732/revocations"
ONE_EDTECH_ENTRY = {"id": ONE_EDTECH_LIST_URL, "type": "1EdTechRevocationList"}


@pytest.mark.parametrize(
    ("credential_id", "revoked"),
    [
        ("urn:uuid:revoked", True),
        ("urn:uuid:explicitly-revoked", True),
        ("urn:uuid:reinstated", False),
        ("urn:uuid:never-listed", False),
    ],
)
def test_one_edtech_revocation_list(
    offline_settings, map_document, credential_id, revoked
):
    map_document(
        ONE_EDTECH_LIST_URL,
        {
            "id": ONE_EDTECH_LIST_URL,
            "revokedCredentials": [
                {"id": "urn:uuid:revoked"},
                {"id": "urn:uuid:explicitly-revoked", "revoked": True},
                {"id": "urn:uuid:reinstated", "revoked": False},
            ],
        },
    )
    parsed = credential(ONE_EDTECH_ISSUER, ONE_EDTECH_ENTRY, credential_id)

    finding = check_one(parsed, offline_settings)

    assert finding.revoked is revoked
    assert ONE_EDTECH_LIST_URL in finding.message


def test_one_edtech_list_unreachable_unknown(offline_settings):
    parsed = credential(ONE_EDTECH_ISSUER, ONE_EDTECH_ENTRY)

    finding = check_one(parsed, offline_settings)

    assert finding.revoked is None
    assert "cannot be fetched offline" in finding.message


def test_one_edtech_list_without_entries_unknown(offline_settings, map_document):
    map_document(ONE_EDTECH_LIST_URL, {"id": ONE_EDTECH_LIST_URL})

    finding = check_one(
        credential(ONE_EDTECH_ISSUER, ONE_EDTECH_ENTRY), offline_settings
    )

    assert finding.revoked is None
    assert "has no revokedCredentials" in finding.message


@pytest.mark.parametrize(
    ("revocation_list", "revoked"),
    [
        ({"type": "RevocationList", "revokedAssertions": "urn:a:1"}, True),
        ({"type": "RevocationList", "revokedAssertions": {"id": "urn:a:1"}}, True),
        ({"type": "RevocationList", "revokedAssertions": ["urn:a:2"]}, False),
        # OB 1.0: revoked uid to reason.
        ({"urn:a:1": "Issued in error"}, True),
        ({}, None),
        ({"type": "Profile", "revokedAssertions": ["urn:a:1"]}, None),
    ],
)
def test_ob2_revocation_list_shapes(
    offline_settings, map_document, revocation_list, revoked
):
    map_document("https://school.example/revoked", revocation_list)
    issuer = {
        "id": "https://school.example",
        "revocationList": "https://school.example/revoked",
    }

    finding = check_ob2_revocation("urn:a:1", issuer, offline_settings)

    assert finding.revoked is revoked, finding.message


def test_ob10_revocation_list_matches_the_uid(offline_settings, map_document):
    map_document("https://school.example/revoked", {"abc123": "Issued in error"})
    issuer = {"revocationList": "https://school.example/revoked"}

    finding = check_ob2_revocation(
        "https://school.example/a/1", issuer, offline_settings, uid="abc123"
    )

    assert finding.revoked is True


def test_profile_as_revocation_list_unknown(offline_settings, map_document):
    map_document(
        "https://school.example/revoked",
        {"id": "https://school.example", "name": "School", "url": "https://x"},
    )
    issuer = {"revocationList": "https://school.example/revoked"}

    finding = check_ob2_revocation("urn:a:1", issuer, offline_settings)

    assert finding.revoked is None


@pytest.mark.parametrize("purpose", [["revocation"], {"@value": "revocation"}])
def test_non_word_status_purpose_unknown(offline_settings, purpose):
    credential = ParsedCredential(
        format=CredentialFormat.ob3_json,
        achievement=Achievement(name="Welding"),
        raw={
            "credentialStatus": {
                "type": "BitstringStatusListEntry",
                "statusPurpose": purpose,
                "statusListIndex": "5",
                "statusListCredential": "https://school.example/status/1",
            }
        },
    )

    [finding] = check_credential_status(credential, offline_settings, NOW)

    assert finding.revoked is None
    assert finding.message == "statusPurpose is not a single word"
