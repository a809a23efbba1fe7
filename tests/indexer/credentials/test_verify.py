import gzip
import hashlib
import json
from datetime import UTC, datetime

import base58
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from joserfc import jws
from joserfc.jwk import ECKey, RSAKey

from indexer.credentials.parse import parse_compact_jws, parse_credential_json
from indexer.credentials.verify import verify_credential, verify_credential_tree
from skillbeacon.models.credential import CheckOutcome, VerificationStatus
from skillbeacon.models.profile import RecipientIdentifier
from tests.indexer.credentials.documents import (
    OB3_CONTEXT,
    VC_V1_CONTEXT,
    VC_V2_CONTEXT,
    achievement_subject,
    issuer_profile,
)
from tests.indexer.credentials.signing import b64url, ed25519_did_key

pytestmark = pytest.mark.filterwarnings("ignore:EdDSA is deprecated")

NOW = datetime(2026, 1, 1, tzinfo=UTC)
LEARNER_DID = "did:example:learner-7"
LEARNER = [RecipientIdentifier(type="did", value=LEARNER_DID)]


def p256_did_key() -> tuple[str, ECKey]:
    private = ec.generate_private_key(ec.SECP256R1())
    point = private.public_key().public_bytes(
        Encoding.X962, PublicFormat.CompressedPoint
    )
    did = "did:key:z" + base58.b58encode(b"\x80\x24" + point).decode()
    numbers = private.private_numbers()
    jwk = ECKey.import_key(
        {
            "kty": "EC",
            "crv": "P-256",
            "x": b64url(numbers.public_numbers.x.to_bytes(32, "big")),
            "y": b64url(numbers.public_numbers.y.to_bytes(32, "big")),
            "d": b64url(numbers.private_value.to_bytes(32, "big")),
        }
    )
    return did, jwk


def vc_claims(issuer: str, subject: str = LEARNER_DID, **extra: object) -> dict:
    return {
        "iss": issuer,
        "jti": "urn:uuid:credential-1",
        "nbf": int(datetime(2025, 1, 1, tzinfo=UTC).timestamp()),
        "sub": subject,
        "vc": {
            "@context": [VC_V1_CONTEXT, OB3_CONTEXT],
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": issuer_profile(issuer),
            "credentialSubject": achievement_subject(subject),
        },
        **extra,
    }


def sign(claims: dict, key, algorithm: str, header: dict | None = None) -> str:
    protected = {"alg": algorithm, "typ": "JWT", **(header or {})}
    return jws.serialize_compact(
        protected, json.dumps(claims).encode(), key, algorithms=[algorithm]
    )


def verify_token(token, settings, identifiers=LEARNER):
    parsed = parse_compact_jws(token, settings)
    return verify_credential(parsed, identifiers, settings, NOW)


def test_vc_jwt_ed25519_did_key_verified(offline_settings):
    did, key = ed25519_did_key()
    token = sign(vc_claims(did), key, "EdDSA", {"kid": f"{did}#{did[8:]}"})

    result = verify_token(token, offline_settings)

    assert result.status is VerificationStatus.verified
    assert "signature" in [check.name for check in result.checks]


def test_vc_jwt_key_from_issuer_did_without_kid(offline_settings):
    did, key = ed25519_did_key()

    result = verify_token(sign(vc_claims(did), key, "EdDSA"), offline_settings)

    assert result.status is VerificationStatus.verified


def test_vc_jwt_p256_did_key_verified(offline_settings):
    did, key = p256_did_key()

    result = verify_token(sign(vc_claims(did), key, "ES256"), offline_settings)

    assert result.status is VerificationStatus.verified


def test_vc_jwt_tampered_payload_invalid(offline_settings):
    did, key = ed25519_did_key()
    header, _payload, signature = sign(vc_claims(did), key, "EdDSA").split(".")
    forged = vc_claims(did)
    forged["vc"]["credentialSubject"]["achievement"]["name"] = "Brain Surgery"
    token = f"{header}.{b64url(json.dumps(forged).encode())}.{signature}"

    result = verify_token(token, offline_settings)

    assert result.status is VerificationStatus.invalid
    assert any("does not verify" in reason for reason in result.reasons)


def test_vc_jwt_alg_none_invalid(offline_settings):
    did, _key = ed25519_did_key()
    header = b64url(json.dumps({"alg": "none"}).encode())
    token = f"{header}.{b64url(json.dumps(vc_claims(did)).encode())}."

    result = verify_token(token, offline_settings)

    assert result.status is VerificationStatus.invalid
    assert any("'none' is not allowed" in reason for reason in result.reasons)


def test_vc_jwt_hs256_with_embedded_secret_invalid(offline_settings):
    did, _key = ed25519_did_key()
    secret = {"kty": "oct", "k": b64url(b"0" * 32)}
    header = b64url(json.dumps({"alg": "HS256", "jwk": secret}).encode())
    token = f"{header}.{b64url(json.dumps(vc_claims(did)).encode())}.AAAA"

    result = verify_token(token, offline_settings)

    assert result.status is VerificationStatus.invalid


def test_vc_jwt_algorithm_confusion_invalid(offline_settings):
    did, key = ed25519_did_key()
    _header, payload, signature = sign(vc_claims(did), key, "EdDSA").split(".")
    header = b64url(json.dumps({"alg": "ES256", "kid": did}).encode())

    result = verify_token(f"{header}.{payload}.{signature}", offline_settings)

    assert result.status is VerificationStatus.invalid
    assert any("does not fit" in reason for reason in result.reasons)


def test_vc_jwt_key_of_other_did_invalid(offline_settings):
    issuer_did, _issuer_key = ed25519_did_key()
    other_did, other_key = ed25519_did_key()
    token = sign(vc_claims(issuer_did), other_key, "EdDSA", {"kid": other_did})

    result = verify_token(token, offline_settings)

    assert result.status is VerificationStatus.invalid
    assert any("not to issuer" in reason for reason in result.reasons)


def test_vc_jwt_expired(offline_settings):
    did, key = ed25519_did_key()
    claims = vc_claims(did, exp=int(datetime(2025, 6, 1, tzinfo=UTC).timestamp()))

    result = verify_token(sign(claims, key, "EdDSA"), offline_settings)

    assert result.status is VerificationStatus.expired


def test_vc_jwt_not_yet_valid(offline_settings):
    did, key = ed25519_did_key()
    claims = vc_claims(did)
    claims["nbf"] = int(datetime(2030, 1, 1, tzinfo=UTC).timestamp())

    result = verify_token(sign(claims, key, "EdDSA"), offline_settings)

    assert result.status is VerificationStatus.not_yet_valid


def test_vc_jwt_wrong_recipient_invalid(offline_settings):
    did, key = ed25519_did_key()
    token = sign(vc_claims(did, subject="did:example:someone-else"), key, "EdDSA")

    result = verify_token(token, offline_settings)

    assert result.status is VerificationStatus.invalid
    assert "recipient: recipient does not match the learner" in result.reasons


def test_vc_jwt_learner_without_identifiers_unverified(offline_settings):
    did, key = ed25519_did_key()

    result = verify_token(sign(vc_claims(did), key, "EdDSA"), offline_settings, [])

    assert result.status is VerificationStatus.unverified
    assert any("lists no identifiers" in reason for reason in result.reasons)


def test_vc_jwt_embedded_rsa_jwk_unverified(offline_settings):
    key = RSAKey.generate_key(2048)
    header = {"jwk": key.as_dict(private=False)}
    token = sign(vc_claims("https://school.example/issuer"), key, "RS256", header)

    result = verify_token(token, offline_settings)

    assert result.status is VerificationStatus.unverified
    warnings = [c for c in result.checks if c.outcome is CheckOutcome.warning]
    assert warnings[0].name == "issuer_key"
    signature = [c for c in result.checks if c.name == "signature"]
    assert signature[0].outcome is CheckOutcome.passed


def test_vc_jwt_iss_differs_from_issuer_invalid(offline_settings):
    did, key = ed25519_did_key()
    claims = vc_claims(did)
    claims["iss"] = "did:example:impostor"

    result = verify_token(sign(claims, key, "EdDSA"), offline_settings)

    assert result.status is VerificationStatus.invalid


def map_signed_status_list(settings, url: str, issuer: str, key, bits: bytes):
    """Store a VC-JWT status list signed by ``issuer`` under ``url`` in the map."""
    status_list = {
        "iss": issuer,
        "vc": {
            "type": ["VerifiableCredential", "BitstringStatusListCredential"],
            "issuer": issuer,
            "credentialSubject": {
                "statusPurpose": "revocation",
                "encodedList": "u" + b64url(gzip.compress(bits)),
            },
        },
    }
    folder = settings.url_map.parent
    table = json.loads(settings.url_map.read_text())
    name = f"status-{len(table['exact'])}.jwt"
    (folder / name).write_text(sign(status_list, key, "EdDSA"))
    table["exact"][url] = name
    settings.url_map.write_text(json.dumps(table))


def test_expired_and_revoked_reports_revoked(offline_settings):
    did, key = ed25519_did_key()
    bits = bytearray(16 * 1024)
    bits[0] = 0b0010_0000
    map_signed_status_list(
        offline_settings, "https://school.example/status/1", did, key, bytes(bits)
    )
    claims = vc_claims(did, exp=int(datetime(2025, 6, 1, tzinfo=UTC).timestamp()))
    claims["vc"]["credentialStatus"] = {
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "2",
        "statusListCredential": "https://school.example/status/1",
    }

    result = verify_token(sign(claims, key, "EdDSA"), offline_settings)

    assert result.status is VerificationStatus.revoked
    assert {"expiry", "revocation"} <= {
        check.name for check in result.checks if check.outcome is CheckOutcome.failed
    }


def test_status_list_unset_bit_passes(offline_settings):
    did, key = ed25519_did_key()
    map_signed_status_list(
        offline_settings, "https://school.example/status/2", did, key, bytes(16384)
    )
    claims = vc_claims(did)
    claims["vc"]["credentialStatus"] = {
        "type": "BitstringStatusListEntry",
        "statusListIndex": "2",
        "statusListCredential": "https://school.example/status/2",
    }

    result = verify_token(sign(claims, key, "EdDSA"), offline_settings)

    assert result.status is VerificationStatus.verified


def test_unmapped_status_list_unverified(offline_settings):
    did, key = ed25519_did_key()
    claims = vc_claims(did)
    claims["vc"]["credentialStatus"] = {
        "type": "BitstringStatusListEntry",
        "statusListIndex": "2",
        "statusListCredential": "https://school.example/status/missing",
    }

    result = verify_token(sign(claims, key, "EdDSA"), offline_settings)

    assert result.status is VerificationStatus.unverified
    assert any("cannot be fetched offline" in reason for reason in result.reasons)


def ob3_json(**extra: object) -> dict:
    return {
        "@context": [VC_V2_CONTEXT, OB3_CONTEXT],
        "id": "urn:uuid:credential-1",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": issuer_profile("did:key:z6MkExample"),
        "validFrom": "2025-01-01T00:00:00Z",
        "credentialSubject": achievement_subject(LEARNER_DID),
        **extra,
    }


def test_data_integrity_proof_without_context_store_unverified(offline_settings):
    document = ob3_json(
        proof={"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022"}
    )
    document["@context"] = ["https://www.w3.org/ns/credentials/v2"]
    parsed = parse_credential_json(document, offline_settings)

    result = verify_credential(parsed, LEARNER, offline_settings, NOW)

    assert result.status is VerificationStatus.unverified
    assert any(
        "cannot be checked offline: unknown JSON-LD context "
        "https://www.w3.org/ns/credentials/v2" in reason
        for reason in result.reasons
    )


def test_no_proof_invalid(offline_settings):
    parsed = parse_credential_json(ob3_json(), offline_settings)

    result = verify_credential(parsed, LEARNER, offline_settings, NOW)

    assert result.status is VerificationStatus.invalid
    assert "the issuer did not sign this credential" in result.reasons[0]


def test_future_valid_from_fails_its_check(offline_settings):
    parsed = parse_credential_json(
        ob3_json(validFrom="2040-01-01T00:00:00Z"), offline_settings
    )

    result = verify_credential(parsed, LEARNER, offline_settings, NOW)

    # The missing proof decides the status; the date check still reports.
    assert result.status is VerificationStatus.invalid
    assert "valid_from: credential is not valid before 2040-01-01" in result.reasons


def ob2_with_recipient(recipient: dict) -> dict:
    return {
        "type": "Assertion",
        "id": "https://school.example/assertions/1",
        "recipient": recipient,
        "issuedOn": "2025-01-01T00:00:00Z",
        "verification": {"type": "hosted"},
        "badge": {
            "id": "https://school.example/badges/soldering",
            "type": "BadgeClass",
            "name": "Soldering",
            "description": "Solders a through-hole joint.",
            "criteria": {"narrative": "Pass the bench test."},
            "issuer": {"id": "https://school.example", "type": "Profile"},
        },
    }


def map_ob2_issuer(map_document) -> None:
    """Serve the profile of the issuer that ob2_with_recipient names."""
    map_document(
        "https://school.example",
        {"id": "https://school.example", "type": "Profile", "name": "School"},
    )


def test_ob2_hashed_recipient_upper_hex_matches(offline_settings):
    digest = hashlib.sha256(b"kim@example.org" + b"pepper").hexdigest().upper()
    document = ob2_with_recipient(
        {
            "type": "email",
            "hashed": True,
            "salt": "pepper",
            "identity": f"sha256${digest}",
        }
    )
    parsed = parse_credential_json(document, offline_settings)
    learner = [RecipientIdentifier(type="email", value="  Kim@Example.org ")]

    result = verify_credential(parsed, learner, offline_settings, NOW)

    assert "recipient" in [
        check.name for check in result.checks if check.outcome is CheckOutcome.passed
    ]


def test_ob2_md5_unsalted_recipient_matches(offline_settings):
    digest = hashlib.md5(b"kim@example.org").hexdigest()  # noqa: S324
    document = ob2_with_recipient(
        {"type": "email", "hashed": True, "identity": f"md5${digest}"}
    )
    parsed = parse_credential_json(document, offline_settings)
    learner = [RecipientIdentifier(type="email", value="kim@example.org")]

    result = verify_credential(parsed, learner, offline_settings, NOW)

    assert "recipient does not match the learner" not in " ".join(result.reasons)


def test_ob2_plain_email_case_insensitive(offline_settings):
    document = ob2_with_recipient({"type": "email", "identity": "KIM@example.org"})
    parsed = parse_credential_json(document, offline_settings)
    learner = [RecipientIdentifier(type="email", value="kim@EXAMPLE.org ")]

    result = verify_credential(parsed, learner, offline_settings, NOW)

    assert result.status is VerificationStatus.unverified
    assert "recipient does not match the learner" not in " ".join(result.reasons)


def test_ob2_other_email_invalid(offline_settings):
    document = ob2_with_recipient({"type": "email", "identity": "kim@example.org"})
    parsed = parse_credential_json(document, offline_settings)
    learner = [RecipientIdentifier(type="email", value="lee@example.org")]

    result = verify_credential(parsed, learner, offline_settings, NOW)

    assert result.status is VerificationStatus.invalid


def test_ob2_hosted_copy_matches_verified(offline_settings, map_document):
    document = ob2_with_recipient({"type": "email", "identity": "kim@example.org"})
    map_document(document["id"], document)
    map_ob2_issuer(map_document)
    parsed = parse_credential_json(document, offline_settings)
    learner = [RecipientIdentifier(type="email", value="kim@example.org")]

    result = verify_credential(parsed, learner, offline_settings, NOW)

    assert result.status is VerificationStatus.verified


def test_ob2_hosted_copy_differs_invalid(offline_settings, map_document):
    document = ob2_with_recipient({"type": "email", "identity": "kim@example.org"})
    map_document(document["id"], {**document, "issuedOn": "2020-01-01"})
    map_ob2_issuer(map_document)
    parsed = parse_credential_json(document, offline_settings)
    learner = [RecipientIdentifier(type="email", value="kim@example.org")]

    result = verify_credential(parsed, learner, offline_settings, NOW)

    assert result.status is VerificationStatus.invalid


def test_clr_tree_verifies_nested_separately(offline_settings):
    did, key = ed25519_did_key()
    nested_token = sign(vc_claims(did), key, "EdDSA")
    clr = {
        "type": ["VerifiableCredential", "ClrCredential"],
        "issuer": did,
        "credentialSubject": {
            "id": LEARNER_DID,
            "verifiableCredential": [nested_token, ob3_json()],
        },
    }
    parsed = parse_credential_json(clr, offline_settings)

    results = verify_credential_tree(parsed, LEARNER, offline_settings, NOW)

    assert [result.status for _credential, result in results] == [
        VerificationStatus.invalid,
        VerificationStatus.verified,
        VerificationStatus.invalid,
    ]


# OB 2.0 signed assertions: the key must be one that the issuer's own hosted
# profile lists, whatever the signed payload or the key document claim.
OB2_ISSUER = "https://school.example/issuer"


def ob2_signed_setup(map_document, *, listed: list[str], creator: str | None = None):
    """Map an issuer listing ``listed`` and a key per URL; return signing keys."""
    map_document(
        OB2_ISSUER,
        {"id": OB2_ISSUER, "type": "Profile", "name": "School", "publicKey": listed},
    )
    keys = {}
    for url in dict.fromkeys([*listed, *([creator] if creator else [])]):
        key = RSAKey.generate_key(2048)
        keys[url] = key
        map_document(
            url,
            {
                "id": url,
                "type": "CryptographicKey",
                "owner": OB2_ISSUER,
                "publicKeyPem": key.as_pem(private=False).decode(),
            },
        )
    return keys


def ob2_signed_token(key, creator: str | None, issuer=OB2_ISSUER) -> str:
    verification: dict = {"type": "SignedBadge"}
    if creator is not None:
        verification["creator"] = creator
    payload = {
        **ob2_with_recipient({"type": "email", "identity": "kim@example.org"}),
        "verification": verification,
    }
    payload["badge"]["issuer"] = issuer
    return jws.serialize_compact(
        {"alg": "RS256"}, json.dumps(payload).encode(), key, algorithms=["RS256"]
    )


def verify_ob2_token(token: str, settings) -> tuple[VerificationStatus, list[str]]:
    parsed = parse_compact_jws(token, settings)
    learner = [RecipientIdentifier(type="email", value="kim@example.org")]
    result = verify_credential(parsed, learner, settings, NOW)
    return result.status, result.reasons


def test_ob2_signed_with_listed_key_verified(offline_settings, map_document):
    key_url = "https://school.example/keys/1"
    keys = ob2_signed_setup(map_document, listed=[key_url])

    status, reasons = verify_ob2_token(
        ob2_signed_token(keys[key_url], key_url), offline_settings
    )

    assert status is VerificationStatus.verified, reasons


def test_ob2_signed_with_unlisted_key_invalid(offline_settings, map_document):
    # The forger hosts a key document naming the school as its owner, but the
    # school's profile lists only its own key.
    school_key = "https://school.example/keys/1"
    forged_key = "https://forger.example/key.json"
    keys = ob2_signed_setup(map_document, listed=[school_key], creator=forged_key)

    status, reasons = verify_ob2_token(
        ob2_signed_token(keys[forged_key], forged_key), offline_settings
    )

    assert status is VerificationStatus.invalid
    assert any("is not among the keys" in reason for reason in reasons)


def test_ob2_embedded_issuer_keys_ignored(offline_settings, map_document):
    school_key = "https://school.example/keys/1"
    forged_key = "https://forger.example/key.json"
    keys = ob2_signed_setup(map_document, listed=[school_key], creator=forged_key)
    embedded = {"id": OB2_ISSUER, "type": "Profile", "publicKey": forged_key}

    status, reasons = verify_ob2_token(
        ob2_signed_token(keys[forged_key], forged_key, issuer=embedded),
        offline_settings,
    )

    assert status is VerificationStatus.invalid
    assert any("is not among the keys" in reason for reason in reasons)


@pytest.mark.parametrize(("signer", "status"), [(1, "verified"), (None, "invalid")])
def test_ob2_signed_without_creator_tries_listed_keys(
    offline_settings, map_document, signer, status
):
    listed = ["https://school.example/keys/0", "https://school.example/keys/1"]
    keys = ob2_signed_setup(map_document, listed=listed)
    key = keys[listed[signer]] if signer is not None else RSAKey.generate_key(2048)

    verdict, reasons = verify_ob2_token(ob2_signed_token(key, None), offline_settings)

    assert verdict.value == status, reasons


def test_ob2_signed_issuer_profile_unreachable_unverified(offline_settings):
    key = RSAKey.generate_key(2048)

    status, reasons = verify_ob2_token(
        ob2_signed_token(key, "https://school.example/keys/1"), offline_settings
    )

    assert status is VerificationStatus.unverified
    assert any("issuer profile, which lists its keys" in r for r in reasons)


# joserfc warns when the test makes the weak key. The verifier rejects the
# key before it passes any key to joserfc.
@pytest.mark.filterwarnings("ignore::joserfc.errors.SecurityWarning")
def test_ob2_signed_with_weak_rsa_key_invalid(offline_settings, map_document):
    key_url = "https://school.example/keys/1"
    ob2_signed_setup(map_document, listed=[key_url])
    weak = RSAKey.generate_key(1024, auto_kid=False)
    map_document(
        key_url,
        {
            "id": key_url,
            "type": "CryptographicKey",
            "owner": OB2_ISSUER,
            "publicKeyPem": weak.as_pem(private=False).decode(),
        },
    )

    status, reasons = verify_ob2_token(
        ob2_signed_token(weak, key_url), offline_settings
    )

    assert status is VerificationStatus.invalid
    assert any("has 1024 bits" in reason for reason in reasons)


def test_ob2_hosted_copy_marked_revoked(offline_settings, map_document):
    document = ob2_with_recipient({"type": "email", "identity": "kim@example.org"})
    map_document(
        document["id"],
        {"id": document["id"], "revoked": True, "revocationReason": "Misconduct"},
    )
    map_ob2_issuer(map_document)
    parsed = parse_credential_json(document, offline_settings)

    result = verify_credential(parsed, [], offline_settings, NOW, match_learner=False)

    assert result.status is VerificationStatus.revoked
    assert any("says the issuer revoked it (Misconduct)" in r for r in result.reasons)


def test_ob2_assertion_marked_revoked_itself(offline_settings, map_document):
    document = {
        **ob2_with_recipient({"type": "email", "identity": "kim@example.org"}),
        "revoked": True,
    }
    map_document(document["id"], document)
    parsed = parse_credential_json(document, offline_settings)

    result = verify_credential(parsed, [], offline_settings, NOW, match_learner=False)

    assert result.status is VerificationStatus.revoked


def test_ob2_hosted_verification_type_as_list(offline_settings, map_document):
    document = ob2_with_recipient({"type": "email", "identity": "kim@example.org"})
    document["verification"] = {"type": ["HostedBadge"]}
    map_document(document["id"], document)
    map_ob2_issuer(map_document)
    parsed = parse_credential_json(document, offline_settings)
    learner = [RecipientIdentifier(type="email", value="kim@example.org")]

    result = verify_credential(parsed, learner, offline_settings, NOW)

    assert result.status is VerificationStatus.verified, result.reasons


def test_ob2_hosted_on_another_host_invalid(offline_settings, map_document):
    # Without a verification policy, OB 2.0 allows only the issuer's host.
    document = ob2_with_recipient({"type": "email", "identity": "kim@example.org"})
    document["id"] = "https://elsewhere.example/assertions/1"
    map_document(document["id"], document)
    map_ob2_issuer(map_document)
    parsed = parse_credential_json(document, offline_settings)

    result = verify_credential(parsed, [], offline_settings, NOW, match_learner=False)

    assert result.status is VerificationStatus.invalid
    assert result.reasons[0] == (
        "hosted_assertion: assertion is hosted on elsewhere.example, not on the "
        "issuer's host school.example, and the issuer names no other allowed origin"
    )


def test_ob2_revocation_list_read_from_hosted_profile(offline_settings, map_document):
    # The copy of the issuer embedded in the badge names no revocation list;
    # the profile the issuer serves does, and it lists the assertion.
    document = ob2_with_recipient({"type": "email", "identity": "kim@example.org"})
    map_document(document["id"], document)
    map_document(
        "https://school.example",
        {
            "id": "https://school.example",
            "type": "Profile",
            "revocationList": "https://school.example/revoked",
        },
    )
    map_document(
        "https://school.example/revoked",
        {"type": "RevocationList", "revokedAssertions": [document["id"]]},
    )
    parsed = parse_credential_json(document, offline_settings)

    result = verify_credential(parsed, [], offline_settings, NOW, match_learner=False)

    assert result.status is VerificationStatus.revoked


def test_ob2_signed_without_creator_and_unreadable_keys_unverified(
    offline_settings, map_document
):
    listed = ["https://school.example/keys/0", "https://school.example/keys/1"]
    map_document(
        OB2_ISSUER,
        {"id": OB2_ISSUER, "type": "Profile", "publicKey": listed},
    )

    status, reasons = verify_ob2_token(
        ob2_signed_token(RSAKey.generate_key(2048), None), offline_settings
    )

    assert status is VerificationStatus.unverified
    assert any("2 of the keys its issuer lists cannot be read" in r for r in reasons)


@pytest.mark.parametrize(
    "policy", [{"type": "hosted"}, {"startsWith": "https://elsewhere.example/"}]
)
def test_ob2_policy_keeps_issuer_host(offline_settings, map_document, policy):
    document = ob2_with_recipient({"type": "email", "identity": "kim@example.org"})
    document["id"] = "https://elsewhere.example/assertions/1"
    map_document(document["id"], document)
    map_document(
        "https://school.example",
        {"id": "https://school.example", "type": "Profile", "verification": policy},
    )
    parsed = parse_credential_json(document, offline_settings)

    result = verify_credential(parsed, [], offline_settings, NOW, match_learner=False)

    assert result.status is VerificationStatus.invalid
    assert "not on the issuer's host school.example" in result.reasons[0]


# VC-JWT from a did:web issuer: the key must be one the DID document lists
# under assertionMethod, named by the JWT's kid.
WEB_DID = "did:web:school.example"


def map_web_did(map_document, key, *, relationship: str = "assertionMethod") -> None:
    public = key.as_dict(private=False)
    method = {
        "id": f"{WEB_DID}#key-1",
        "type": "JsonWebKey2020",
        "controller": WEB_DID,
        "publicKeyJwk": public,
    }
    map_document(
        "https://school.example/.well-known/did.json",
        {
            "id": WEB_DID,
            "verificationMethod": [method],
            relationship: [f"{WEB_DID}#key-1"],
        },
    )


@pytest.mark.parametrize(
    ("relationship", "kid", "status"),
    [
        ("assertionMethod", f"{WEB_DID}#key-1", VerificationStatus.verified),
        # A key meant for logging in may not sign credentials.
        ("authentication", f"{WEB_DID}#key-1", VerificationStatus.unverified),
        # A bare DID names no key.
        ("assertionMethod", WEB_DID, VerificationStatus.unverified),
    ],
)
def test_did_web_key_needs_assertion_method(
    offline_settings, map_document, relationship, kid, status
):
    _did, key = ed25519_did_key()
    map_web_did(map_document, key, relationship=relationship)
    token = sign(vc_claims(WEB_DID), key, "EdDSA", {"kid": kid})

    result = verify_token(token, offline_settings)

    assert result.status is status, result.reasons


def payload_credential(issuer: str, **claims: object) -> dict:
    """A VCDM 2.0 VC-JWT payload: the credential itself, plus registered claims."""
    return {
        "@context": [VC_V2_CONTEXT, OB3_CONTEXT],
        "id": "urn:uuid:credential-2",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": issuer_profile(issuer),
        "validFrom": "2025-01-01T00:00:00Z",
        "credentialSubject": achievement_subject(LEARNER_DID),
        **claims,
    }


@pytest.mark.parametrize(
    ("claims", "status"),
    [
        ({}, VerificationStatus.verified),
        ({"exp": int(datetime(2025, 6, 1, tzinfo=UTC).timestamp())}, "expired"),
        ({"nbf": int(datetime(2100, 1, 1, tzinfo=UTC).timestamp())}, "not_yet_valid"),
        ({"iss": "did:example:someone-else"}, "invalid"),
        ({"jti": "urn:uuid:another"}, "invalid"),
        ({"sub": "did:example:another-learner"}, "invalid"),
    ],
)
def test_vc_jwt_payload_credential_claims_are_checked(offline_settings, claims, status):
    did, key = ed25519_did_key()
    token = sign(payload_credential(did, **claims), key, "EdDSA")

    result = verify_token(token, offline_settings)

    assert result.status == status, result.reasons
