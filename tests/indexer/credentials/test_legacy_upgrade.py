"""Open Badges 0.5, 1.0 and 1.1 assertions read as OB 2.0, with an upgrade check."""

import json
from pathlib import Path

import pytest
from joserfc import jws
from joserfc.jwk import RSAKey

from indexer.credentials.load import load_credential_file
from indexer.credentials.parse import (
    legacy_assertion_version,
    parse_compact_jws,
    parse_credential_json,
)
from indexer.credentials.url_map import DocumentUnavailable
from indexer.credentials.verify import verify_credential
from skillbeacon.models.credential import (
    CheckOutcome,
    CredentialFormat,
    VerificationStatus,
)
from skillbeacon.models.profile import RecipientIdentifier
from skillbeacon.settings import Settings

LEGACY = "credentials/ob2/legacy"

OB05 = {
    "recipient": "kim@example.org",
    "salt": "unused-for-plain",
    "issued_on": "2012-03-01",
    "badge": {
        "version": "0.5.0",
        "name": "Old Badge",
        "description": "From 2012",
        "criteria": "https://old.example/criteria",
        "issuer": {"origin": "https://old.example", "name": "Old Issuer"},
    },
}
OB10_BADGE_CLASS = {
    "name": "Hosted 1.0 Badge",
    "description": "A 1.0 badge class.",
    "image": "https://old.example/badge.png",
    "criteria": "https://old.example/criteria",
    "issuer": "https://old.example/issuer.json",
}
OB10_ISSUER = {"name": "Old Issuer", "url": "https://old.example"}
OB10 = {
    "uid": "abc123",
    "recipient": {"identity": "kim@example.org", "hashed": False, "type": "email"},
    "badge": "https://old.example/badge.json",
    "issuedOn": "2015-04-30",
    "verify": {"type": "hosted", "url": "https://old.example/assertions/abc123"},
}


def upgrade_checks(result) -> list:
    return [check for check in result.checks if check.name == "upgrade"]


@pytest.mark.parametrize(
    ("document", "version"),
    [
        (OB05, "0.5"),
        ({"recipient": {"identity": "x"}, "badge": {"version": "0.5.0"}}, "0.5"),
        (OB10, "1.0"),
        ({**OB10, "@context": "https://w3id.org/openbadges/v1"}, "1.1"),
        ({**OB10, "@context": "https://w3id.org/openbadges/v2"}, None),
        ({"recipient": {}, "badge": {}, "type": "Assertion"}, None),
    ],
)
def test_legacy_version_from_shape(document, version):
    assert legacy_assertion_version(document) == version


def test_ob05_reads_as_ob2_assertion(offline_settings):
    parsed = parse_credential_json(OB05, offline_settings)

    assert parsed.format is CredentialFormat.ob2_assertion
    assert parsed.name == "Old Badge"
    assert parsed.issuer_id == "https://old.example"
    assert parsed.issuer_name == "Old Issuer"
    assert parsed.recipient.identity == "kim@example.org"
    assert parsed.recipient.type == "email"
    assert parsed.recipient.hashed is False
    assert parsed.recipient.salt is None
    assert parsed.issued_at is not None
    assert parsed.issued_at.year == 2012


def test_ob05_verify_notes_upgrade(offline_settings):
    parsed = parse_credential_json(OB05, offline_settings)
    learner = [RecipientIdentifier(type="email", value="kim@example.org")]

    result = verify_credential(parsed, learner, offline_settings)

    checks = upgrade_checks(result)
    assert len(checks) == 1
    assert checks[0].outcome is CheckOutcome.passed
    assert "Open Badges 0.5" in checks[0].message
    # OB 0.5 has no hosted URL and no signature, so nothing proves the issuer.
    assert result.status is VerificationStatus.unverified
    hosted = [check for check in result.checks if check.name == "hosted_assertion"]
    assert hosted[0].outcome is CheckOutcome.warning


def test_ob10_hosted_reads_as_ob2(offline_settings, map_document):
    map_document("https://old.example/badge.json", OB10_BADGE_CLASS)
    map_document("https://old.example/issuer.json", OB10_ISSUER)

    parsed = parse_credential_json(OB10, offline_settings)

    assert parsed.format is CredentialFormat.ob2_assertion
    assert parsed.credential_id == "https://old.example/assertions/abc123"
    assert parsed.name == "Hosted 1.0 Badge"
    assert parsed.achievement.achievement_id == "https://old.example/badge.json"
    assert parsed.issuer_id == "https://old.example/issuer.json"
    assert parsed.issuer_name == "Old Issuer"
    assert parsed.recipient.identity == "kim@example.org"
    assert parsed.recipient.hashed is False


def test_ob10_hosted_copy_verifies(offline_settings, map_document):
    map_document("https://old.example/badge.json", OB10_BADGE_CLASS)
    map_document("https://old.example/issuer.json", OB10_ISSUER)
    map_document("https://old.example/assertions/abc123", OB10)
    parsed = parse_credential_json(OB10, offline_settings)
    learner = [RecipientIdentifier(type="email", value="kim@example.org")]

    result = verify_credential(parsed, learner, offline_settings)

    assert result.status is VerificationStatus.verified, result.reasons
    assert "Open Badges 1.0" in upgrade_checks(result)[0].message


def test_ob10_uid_is_id_without_url(offline_settings):
    document = {
        "uid": "abc123",
        "recipient": {"identity": "kim@example.org", "type": "email"},
        "badge": {"name": "Embedded", "issuer": {"origin": "https://old.example"}},
    }

    parsed = parse_credential_json(document, offline_settings)

    # A uid is unique only within its issuer.
    assert parsed.credential_id == "https://old.example#uid:abc123"
    assert legacy_assertion_version(parsed.raw) == "1.0"


def signed_ob10(settings: Settings, key_url: str, key: RSAKey, pem: bytes) -> str:
    """Map the 1.0 badge class, issuer and bare PEM key; return a signed assertion."""
    assert settings.url_map is not None
    folder = settings.url_map.parent
    (folder / "public-key.pem").write_bytes(pem)
    (folder / "badge.json").write_text(json.dumps(OB10_BADGE_CLASS))
    (folder / "issuer.json").write_text(json.dumps(OB10_ISSUER))
    table = json.loads(settings.url_map.read_text())
    table["exact"][key_url] = "public-key.pem"
    table["exact"]["https://old.example/badge.json"] = "badge.json"
    table["exact"]["https://old.example/issuer.json"] = "issuer.json"
    settings.url_map.write_text(json.dumps(table))
    payload = {**OB10, "verify": {"type": "signed", "url": key_url}}
    return jws.serialize_compact(
        {"alg": "RS256"}, json.dumps(payload).encode(), key, algorithms=["RS256"]
    )


def public_pem(key: RSAKey) -> bytes:
    return key.as_pem(private=False)


# Anyone who can put a file on the issuer's site could sign with a bare
# key, so even one from the issuer's origin leaves the assertion unverified.
@pytest.mark.parametrize(
    "key_url",
    ["https://old.example/public-key.pem", "https://keys.example/public-key.pem"],
)
def test_ob10_signed_with_bare_pem_key_unverified(offline_settings, key_url: str):
    key = RSAKey.generate_key(2048)
    token = signed_ob10(offline_settings, key_url, key, public_pem(key))
    parsed = parse_compact_jws(token, offline_settings)
    learner = [RecipientIdentifier(type="email", value="kim@example.org")]

    result = verify_credential(parsed, learner, offline_settings)

    assert result.status is VerificationStatus.unverified, result.reasons
    outcomes = {check.name: check.outcome for check in result.checks}
    assert outcomes["issuer_key"] is CheckOutcome.warning
    assert outcomes["signature"] is CheckOutcome.passed


def test_ob10_signed_with_another_pem_key_invalid(offline_settings):
    key = RSAKey.generate_key(2048)
    other = RSAKey.generate_key(2048)
    token = signed_ob10(
        offline_settings, "https://old.example/public-key.pem", key, public_pem(other)
    )
    parsed = parse_compact_jws(token, offline_settings)

    result = verify_credential(parsed, [], offline_settings, match_learner=False)

    assert result.status is VerificationStatus.invalid


def test_ob2_assertion_has_no_upgrade_check(offline_settings, map_document):
    document = {
        **OB10,
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": "https://old.example/assertions/abc123",
    }
    map_document("https://old.example/badge.json", OB10_BADGE_CLASS)

    parsed = parse_credential_json(document, offline_settings)
    result = verify_credential(parsed, [], offline_settings, match_learner=False)

    assert upgrade_checks(result) == []


def test_unmapped_badge_class_is_unavailable(offline_settings):
    with pytest.raises(DocumentUnavailable, match="badge class .* offline"):
        parse_credential_json(OB10, offline_settings)


@pytest.mark.parametrize(
    ("name", "version"),
    [
        ("badgr__0_5_basic_instance.json", "0.5"),
        ("validator-core__0_5_assertion.json", "0.5"),
        ("validator-core__1_1_basic_assertion.json", "1.1"),
    ],
)
def test_shared_legacy_fixture_upgrades(shared_data: Path, name, version):
    from tests.indexer.credentials.test_shared_fixtures import shared_settings

    settings = shared_settings(shared_data)
    parsed = load_credential_file(shared_data / LEGACY / name, settings)

    result = verify_credential(parsed, [], settings, match_learner=False)

    assert parsed.format is CredentialFormat.ob2_assertion
    assert parsed.name == (
        "Basic McBadge" if version == "0.5" else "Awesome Robotics Badge"
    )
    checks = upgrade_checks(result)
    assert len(checks) == 1
    assert f"Open Badges {version} assertion" in checks[0].message


def test_ob10_pem_key_must_be_listed(offline_settings):
    key = RSAKey.generate_key(2048)
    key_url = "https://old.example/uploads/public-key.pem"
    token = signed_ob10(offline_settings, key_url, key, public_pem(key))
    assert offline_settings.url_map is not None
    listing = {**OB10_ISSUER, "publicKey": ["https://old.example/keys/1"]}
    (offline_settings.url_map.parent / "issuer.json").write_text(json.dumps(listing))
    parsed = parse_compact_jws(token, offline_settings)

    result = verify_credential(parsed, [], offline_settings, match_learner=False)

    assert result.status is VerificationStatus.invalid
    assert "is not among the keys the issuer profile" in result.reasons[0]
