import base64
import json

import pytest

from indexer.credentials.parse import (
    parse_compact_jws,
    parse_credential_json,
    parse_date,
)
from indexer.errors import InputRejected
from skillbeacon.models.credential import CredentialFormat


def unsigned_jwt(payload: dict) -> str:
    def encode(part: dict) -> str:
        raw = json.dumps(part).encode()
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    return f"{encode({'alg': 'EdDSA'})}.{encode(payload)}.c2ln"


BADGE_CLASS = {
    "@context": "https://w3id.org/openbadges/v2",
    "type": "BadgeClass",
    "id": "https://school.example/badges/soldering",
    "name": "Soldering",
    "description": "Joins components on a circuit board.",
    "criteria": {"narrative": "Solder ten joints that pass inspection."},
    "issuer": "https://school.example/issuer",
    "tags": ["electronics"],
    "alignment": [
        {
            "targetName": "Soldering",
            "targetUrl": "https://skills.example/soldering",
            "targetCode": "S-1",
            "targetFramework": "Example Skills",
        }
    ],
}
ASSERTION = {
    "@context": "https://w3id.org/openbadges/v2",
    "type": "Assertion",
    "id": "https://school.example/assertions/1",
    "recipient": {"type": "email", "hashed": False, "identity": "kim@example.org"},
    "issuedOn": "2024-05-01",
    "expires": "2030-05-01T00:00:00Z",
    "verification": {"type": "hosted"},
    "badge": "https://school.example/badges/soldering",
}
OB3 = {
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    "id": "urn:uuid:1",
    "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "issuer": {"id": "did:key:z6MkIssuer", "name": "Example School"},
    "validFrom": "2024-01-01T00:00:00Z",
    "validUntil": "2034-01-01T00:00:00Z",
    "credentialSubject": {
        "id": "did:example:learner",
        "identifier": [
            {
                "type": "IdentityObject",
                "identityHash": "kim@example.org",
                "identityType": "emailAddress",
                "hashed": False,
            }
        ],
        "achievement": {
            "id": "urn:ach:1",
            "name": "Welding Basics",
            "achievementType": "Certificate",
            "criteria": {"narrative": "Pass the practical."},
            "tag": ["welding"],
            "alignment": [{"targetName": "Weld", "targetCode": "W-2"}],
        },
    },
}


def test_parse_ob2_resolves_badge_and_issuer(offline_settings, map_document):
    map_document(BADGE_CLASS["id"], BADGE_CLASS)
    map_document(
        "https://school.example/issuer",
        {"type": "Issuer", "id": "https://school.example/issuer", "name": "School"},
    )

    parsed = parse_credential_json(ASSERTION, offline_settings)

    assert parsed.format is CredentialFormat.ob2_assertion
    assert parsed.issuer_name == "School"
    assert parsed.achievement.criteria == "Solder ten joints that pass inspection."
    assert parsed.achievement.tags == ["electronics"]
    assert parsed.achievement.alignments[0].target_code == "S-1"
    assert parsed.achievement.alignments[0].target_framework == "Example Skills"
    assert parsed.recipient.identity == "kim@example.org"
    assert parsed.issued_at.isoformat() == "2024-05-01T00:00:00+00:00"


def test_parse_ob2_unmapped_badge_rejected(offline_settings):
    with pytest.raises(InputRejected, match="cannot be fetched offline"):
        parse_credential_json(ASSERTION, offline_settings)


def test_parse_ob05_upgrades_name_and_issuer(offline_settings):
    legacy = {
        "recipient": "kim@example.org",
        "badge": {
            "name": "Old Badge",
            "description": "From 2012",
            "criteria": "https://old.example/criteria",
            "issuer": {"origin": "https://old.example", "name": "Old Issuer"},
        },
    }

    parsed = parse_credential_json(legacy, offline_settings)

    assert parsed.name == "Old Badge"
    assert parsed.issuer_id == "https://old.example"
    assert parsed.issuer_name == "Old Issuer"
    assert parsed.recipient.type == "email"


def test_parse_ob3_fields(offline_settings):
    parsed = parse_credential_json(OB3, offline_settings)

    assert parsed.format is CredentialFormat.ob3_json
    assert parsed.issuer_id == "did:key:z6MkIssuer"
    assert parsed.achievement.achievement_type == "Certificate"
    assert parsed.achievement.tags == ["welding"]
    assert parsed.achievement.alignments[0].target_name == "Weld"
    assert parsed.identity_objects[0].type == "emailAddress"
    assert parsed.expires_at.year == 2034


def test_parse_vc_jwt_fills_from_claims(offline_settings):
    vc = {key: value for key, value in OB3.items() if key not in ("id", "issuer")}
    vc.pop("validFrom")
    token = unsigned_jwt(
        {"vc": vc, "iss": "did:key:z6MkIssuer", "jti": "urn:uuid:9", "nbf": 1700000000}
    )

    parsed = parse_compact_jws(token, offline_settings)

    assert parsed.format is CredentialFormat.ob3_jwt
    assert parsed.credential_id == "urn:uuid:9"
    assert parsed.issuer_id == "did:key:z6MkIssuer"
    assert parsed.issued_at.year == 2023
    assert parsed.compact_jws == token


def test_parse_vcdm2_jwt_payload(offline_settings):
    parsed = parse_compact_jws(unsigned_jwt(OB3), offline_settings)

    assert parsed.format is CredentialFormat.ob3_jwt
    assert parsed.achievement.name == "Welding Basics"


def test_parse_clr_nests_json_and_jwt(offline_settings):
    clr = {
        "type": ["VerifiableCredential", "ClrCredential"],
        "id": "urn:uuid:clr",
        "name": "Transcript",
        "issuer": "did:key:z6MkIssuer",
        "credentialSubject": {
            "id": "did:example:learner",
            "verifiableCredential": [OB3, unsigned_jwt(OB3)],
        },
    }

    parsed = parse_credential_json(clr, offline_settings)

    assert parsed.format is CredentialFormat.clr2_json
    assert [item.format for item in parsed.nested] == [
        CredentialFormat.ob3_json,
        CredentialFormat.ob3_jwt,
    ]


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        (BADGE_CLASS, "BadgeClass"),
        ({"type": "Issuer", "name": "School"}, "issuer profile"),
        ({"type": ["VerifiableCredential", "EndorsementCredential"]}, "Endorsement"),
        ({"name": "x", "url": "https://x.example"}, "issuer profile"),
        ({"hello": "world"}, "not a credential"),
    ],
)
def test_parse_non_credential_says_what_it_is(offline_settings, document, expected):
    with pytest.raises(InputRejected, match=expected):
        parse_credential_json(document, offline_settings)


def test_parse_jwt_without_credential_rejected(offline_settings):
    with pytest.raises(InputRejected, match="JWT payload is not a credential"):
        parse_compact_jws(unsigned_jwt({"sub": "x"}), offline_settings)


def test_parse_vc_without_achievement_keeps_its_name(offline_settings):
    document = {
        **OB3,
        "name": "Volunteer hours",
        "credentialSubject": {"id": "did:example:learner"},
    }

    parsed = parse_credential_json(document, offline_settings)

    assert parsed.achievement.name == "Volunteer hours"
    assert parsed.achievement.alignments == []


def test_unnamed_vc_gets_plain_name(offline_settings):
    document = {**OB3, "credentialSubject": {"id": "did:example:learner"}}
    document.pop("name", None)

    parsed = parse_credential_json(document, offline_settings)

    assert parsed.name == "Verifiable Credential"


def test_parse_status_list_credential_rejected(offline_settings):
    document = {
        **OB3,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
    }

    with pytest.raises(InputRejected, match="a status list credential"):
        parse_credential_json(document, offline_settings)


def test_parse_bad_date_rejected(offline_settings):
    with pytest.raises(InputRejected, match="not an ISO 8601 date"):
        parse_credential_json({**OB3, "validFrom": "last tuesday"}, offline_settings)


@pytest.mark.parametrize("value", ["\u00b2", "9" * 5000])
def test_parse_date_odd_digits_rejected(value: str):
    with pytest.raises(InputRejected, match="validFrom"):
        parse_date(value, "validFrom")


def test_hosted_stub_pointing_at_a_stub_rejected(offline_settings, map_document):
    stub = {"verify": {"type": "hosted", "url": "https://school.example/a/1"}}
    map_document("https://school.example/a/1", stub)

    with pytest.raises(InputRejected, match="is itself only a pointer"):
        parse_credential_json(stub, offline_settings)


def test_clr_stub_loop_rejected(offline_settings, map_document):
    url = "https://school.example/clr/1"
    stub = {"verify": {"type": "hosted", "url": url}}
    clr = {
        "type": ["VerifiableCredential", "ClrCredential"],
        "issuer": "did:key:z6MkIssuer",
        "credentialSubject": {"verifiableCredential": [stub]},
    }
    map_document(url, clr)

    with pytest.raises(InputRejected, match="nested deeper than 4"):
        parse_credential_json(stub, offline_settings)


def test_clr_too_many_credentials_rejected(offline_settings):
    leaf = {
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": "did:key:z6MkIssuer",
        "credentialSubject": {"achievement": {"name": "Welding"}},
    }

    def clr(entries: list) -> dict:
        return {
            "type": ["VerifiableCredential", "ClrCredential"],
            "issuer": "did:key:z6MkIssuer",
            "credentialSubject": {"verifiableCredential": entries},
        }

    # 10 x 10 x 11 credentials, each level well under the entry limit.
    tree = clr([clr([clr([leaf] * 10)] * 10)] * 11)

    with pytest.raises(
        InputRejected, match="contains more than 1000 credentials in all"
    ):
        parse_credential_json(tree, offline_settings)


def test_signed_ob10_assertion_is_known_by_its_uid(offline_settings, map_document):
    map_document(
        "https://old.example/badge.json",
        {"name": "Old Badge", "issuer": "https://old.example/issuer.json"},
    )
    document = {
        "uid": "abc123",
        "recipient": {"identity": "kim@example.org", "type": "email"},
        "badge": "https://old.example/badge.json",
        "issuedOn": "2015-04-30",
        "verify": {"type": "signed", "url": "https://old.example/public.pem"},
    }

    other_issuer = {
        **document,
        "badge": {"name": "Other Badge", "issuer": "https://other.example/issuer"},
    }

    parsed = parse_credential_json(document, offline_settings)
    other = parse_credential_json(other_issuer, offline_settings)

    # Not its key URL; and two issuers may each sign a uid "abc123".
    assert parsed.credential_id == "https://old.example/issuer.json#uid:abc123"
    assert other.credential_id == "https://other.example/issuer#uid:abc123"


def test_clr_too_many_stubs_rejected(offline_settings, map_document):
    hosted = {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": "https://school.example/a/1",
        "recipient": {"type": "email", "identity": "kim@example.org"},
        "badge": {"name": "Welding", "issuer": {"id": "https://school.example"}},
        "issuedOn": "2024-01-01T00:00:00Z",
    }
    map_document(hosted["id"], hosted)
    stub = {"verify": {"type": "hosted", "url": hosted["id"]}}
    clr = {
        "type": ["VerifiableCredential", "ClrCredential"],
        "issuer": "did:key:z6MkIssuer",
        "credentialSubject": {"verifiableCredential": [stub] * 21},
    }

    with pytest.raises(InputRejected, match="more than 20 hosted assertions"):
        parse_credential_json(clr, offline_settings)
    # The budget belongs to one credential: the next one starts afresh.
    assert (
        len(
            parse_credential_json(
                {**clr, "credentialSubject": {"verifiableCredential": [stub] * 20}},
                offline_settings,
            ).nested
        )
        == 20
    )


def test_clr_reads_a_shared_badge_class_once(
    offline_settings, map_document, monkeypatch
):
    from indexer.credentials import fetch

    badge_url = "https://school.example/badges/welding"
    map_document(
        badge_url,
        {"name": "Welding", "issuer": {"id": "https://school.example"}},
    )
    reads: list[str] = []
    real_fetch = fetch.fetch_json

    def counting_fetch(url, settings):
        reads.append(url)
        return real_fetch(url, settings)

    monkeypatch.setattr(fetch, "fetch_json", counting_fetch)
    assertion = {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "recipient": {"type": "email", "identity": "kim@example.org"},
        "badge": badge_url,
        "issuedOn": "2024-01-01T00:00:00Z",
    }
    clr = {
        "type": ["VerifiableCredential", "ClrCredential"],
        "issuer": "did:key:z6MkIssuer",
        "credentialSubject": {
            "verifiableCredential": [
                {**assertion, "id": f"https://school.example/a/{n}"} for n in range(5)
            ]
        },
    }

    parsed = parse_credential_json(clr, offline_settings)

    assert len(parsed.nested) == 5
    assert reads.count(badge_url) == 1
