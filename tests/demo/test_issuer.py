import json
import warnings
from base64 import urlsafe_b64decode, urlsafe_b64encode
from datetime import UTC, datetime

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from joserfc import jwt
from joserfc.errors import BadSignatureError
from joserfc.jwk import OKPKey

from skillbeacon.demo.issuer import (
    OB3_CONTEXT,
    VC_CONTEXT_V2,
    AchievementSpec,
    DemoIssuer,
    SkillAlignment,
    public_key_from_did_key,
)

ACHIEVEMENT = AchievementSpec(
    achievement_id="https://college.example.org/achievements/cpr",
    name="CPR and First Aid",
    description="Adult, child and infant CPR with AED use.",
    criteria="Passed the hands-on skills check.",
    achievement_type="Certificate",
    skills=(SkillAlignment("skillbeacon:cpr", "CPR"),),
)
ISSUED = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
EXPIRES = datetime(2026, 6, 30, tzinfo=UTC)


def make_issuer(seed: int = 7) -> DemoIssuer:
    return DemoIssuer.from_seed(
        seed, "college", "Riverside Community College", "https://college.example.org"
    )


def decode_segment(segment: str) -> dict:
    return json.loads(urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))


def encode_segment(value: dict) -> str:
    return urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()


def decode_verified(token: str, did: str) -> jwt.Token:
    public_key = OKPKey.import_key(public_key_from_did_key(did))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return jwt.decode(token, public_key, algorithms=["EdDSA"])


def test_issuer_did_key_format():
    issuer = make_issuer()

    assert issuer.did.startswith("did:key:z6Mk")
    assert issuer.verification_method == f"{issuer.did}#{issuer.did[8:]}"


def test_issuer_keys_deterministic_per_seed():
    assert make_issuer(7).did == make_issuer(7).did
    assert make_issuer(7).did != make_issuer(8).did


def test_did_key_round_trips_public_key():
    issuer = make_issuer()
    decoded = public_key_from_did_key(issuer.did)

    raw = decoded.public_bytes(Encoding.Raw, PublicFormat.Raw)
    expected = issuer.public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    assert raw == expected


@pytest.mark.parametrize(
    "bad",
    ["did:web:example.org", "did:key:zzzz", "did:key:z0OIl", "did:key:z" + "1" * 40],
)
def test_public_key_from_did_key_rejects_bad_ids(bad):
    with pytest.raises(ValueError):
        public_key_from_did_key(bad)


def test_issue_jwt_header_and_claims():
    issuer = make_issuer()
    token = issuer.issue_jwt(
        ACHIEVEMENT, "mailto:ana@example.org", "urn:uuid:1", ISSUED, EXPIRES
    )
    header_segment, payload_segment, _ = token.split(".")

    header = decode_segment(header_segment)
    assert header == {
        "alg": "EdDSA",
        "kid": issuer.verification_method,
        "typ": "vc+jwt",
    }

    payload = decode_segment(payload_segment)
    assert payload["@context"] == [VC_CONTEXT_V2, OB3_CONTEXT]
    assert payload["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert payload["iss"] == issuer.did
    assert payload["issuer"]["id"] == issuer.did
    assert payload["sub"] == "mailto:ana@example.org"
    assert payload["jti"] == "urn:uuid:1"
    assert payload["nbf"] == int(ISSUED.timestamp())
    assert payload["exp"] == int(EXPIRES.timestamp())
    assert payload["validFrom"] == "2026-03-01T12:00:00Z"
    assert payload["validUntil"] == "2026-06-30T00:00:00Z"


def test_issue_jwt_signature_verifies_with_did_key():
    issuer = make_issuer()
    token = issuer.issue_jwt(ACHIEVEMENT, "did:key:z6MkLearner", "urn:uuid:2", ISSUED)

    verified = decode_verified(token, issuer.did)

    assert verified.header["kid"].split("#")[0] == issuer.did
    assert verified.claims["credentialSubject"]["id"] == "did:key:z6MkLearner"
    assert "exp" not in verified.claims
    assert "validUntil" not in verified.claims


def test_issue_jwt_tampered_payload_fails_verification():
    issuer = make_issuer()
    token = issuer.issue_jwt(ACHIEVEMENT, "mailto:a@example.org", "urn:uuid:3", ISSUED)
    header_segment, _, signature = token.split(".")
    forged = issuer.build_credential(
        ACHIEVEMENT, "mailto:mallory@example.org", "urn:uuid:3", ISSUED
    )
    forged_segment = encode_segment(forged)

    with pytest.raises(BadSignatureError):
        decode_verified(f"{header_segment}.{forged_segment}.{signature}", issuer.did)


def test_issue_jwt_other_issuer_key_fails():
    token = make_issuer(7).issue_jwt(
        ACHIEVEMENT, "mailto:a@example.org", "urn:uuid:4", ISSUED
    )

    with pytest.raises((BadSignatureError, InvalidSignature)):
        decode_verified(token, make_issuer(8).did)


def test_build_credential_unsigned_has_alignment():
    credential = make_issuer().build_credential(
        ACHIEVEMENT, "mailto:a@example.org", "urn:uuid:5", ISSUED
    )

    assert "proof" not in credential
    subject = credential["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    achievement = subject["achievement"]
    assert achievement["criteria"] == {"narrative": ACHIEVEMENT.criteria}
    assert achievement["achievementType"] == "Certificate"
    assert achievement["alignment"] == [
        {
            "type": ["Alignment"],
            "targetName": "CPR",
            "targetUrl": "skillbeacon:cpr",
            "targetFramework": "skillbeacon",
        }
    ]
