"""Endorsements: where they are found, and each one verified on its own."""

import copy
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from indexer.credentials import endorsements
from indexer.credentials.endorsements import find_endorsements, verify_endorsements
from indexer.credentials.load import load_credential_file
from indexer.credentials.parse import (
    EndorsementRejected,
    parse_compact_jws,
    parse_credential_json,
    parse_endorsement_credential,
    parse_ob2_endorsement,
)
from indexer.credentials.verdicts import verify_credential_file
from indexer.credentials.verify import verify_credential, verify_endorsement
from indexer.errors import InputRejected
from skillbeacon.models.credential import (
    CheckOutcome,
    CredentialFormat,
    EndorsedObject,
    VerificationStatus,
)
from skillbeacon.settings import Settings
from tests.indexer.credentials import documents
from tests.indexer.credentials.documents import (
    OB3_CONTEXT,
    VC_V2_CONTEXT,
    achievement_subject,
    issuer_profile,
)
from tests.indexer.credentials.test_verify import b64url, ed25519_did_key, sign

pytestmark = pytest.mark.filterwarnings("ignore:EdDSA is deprecated")

NOW = datetime(2026, 1, 1, tzinfo=UTC)
LEARNER_DID = "did:example:learner-7"
ACHIEVEMENT_ID = "urn:ach:weld"
ISSUER_ID = "https://school.example/issuer"
# A DataIntegrityProof-signed EndorsementCredential of a did:key issuer,
# endorsing the 1EdTech University profile.
SIGNED_ENDORSEMENT = (
    "credentials/ob3/dcc-vtf__v2-bothSignatureTypes-didkey-legacy-noStatus-"
    "notExpired-endorsement.json"
)
ENDORSED_PROFILE = "https://1edtech.edu/issuers/565049"
COMPLETE_OB3 = "credentials/ob3/1edtech-val__complete.json"
OB2_WITH_ENDORSEMENTS = "credentials/ob2/1edtech-val__assertion-with-endorsements.json"
OB2_BADGE_CLASS = "https://example.org/badgeclass-with-endorsements.json"


@pytest.fixture
def shared_settings(shared_data: Path) -> Settings:
    return Settings(
        url_map=shared_data / "credentials" / "url-map.json",
        context_dir=shared_data / "credentials" / "contexts",
    )


def read_fixture(shared_data: Path, relative_path: str) -> dict:
    return json.loads((shared_data / relative_path).read_text())


def endorsement_claims(issuer: str, subject_id: str) -> dict:
    return {
        "iss": issuer,
        "jti": "urn:uuid:endorsement-1",
        "nbf": int(datetime(2025, 1, 1, tzinfo=UTC).timestamp()),
        "vc": {
            "@context": [VC_V2_CONTEXT, OB3_CONTEXT],
            "type": ["VerifiableCredential", "EndorsementCredential"],
            "name": "Guild endorsement",
            "issuer": issuer_profile(issuer, "Welding Guild"),
            "credentialSubject": {
                "id": subject_id,
                "type": ["EndorsementSubject"],
                "endorsementComment": "Meets the guild's standard",
            },
        },
    }


def credential_with(
    *,
    achievement: dict | None = None,
    issuer: dict | str = ISSUER_ID,
    **extra: object,
) -> dict:
    """An unsigned OB 3.0 credential carrying the given endorsements."""
    return {
        "@context": [VC_V2_CONTEXT, OB3_CONTEXT],
        "id": "urn:uuid:credential-1",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": issuer,
        "validFrom": "2025-01-01T00:00:00Z",
        "credentialSubject": achievement_subject(
            LEARNER_DID,
            achievement=documents.achievement(ACHIEVEMENT_ID, **(achievement or {})),
        ),
        **extra,
    }


def single_result(parsed, settings):
    results = verify_endorsements(parsed, settings, NOW)
    assert len(results) == 1
    return results[0]


def check_outcomes(result) -> dict[str, CheckOutcome]:
    return {check.name: check.outcome for check in result.checks}


def test_endorsement_jwt_on_achievement_verified(offline_settings):
    did, key = ed25519_did_key()
    token = sign(endorsement_claims(did, ACHIEVEMENT_ID), key, "EdDSA")
    document = credential_with(achievement={"endorsementJwt": [token]})
    parsed = parse_credential_json(document, offline_settings)

    endorsement = single_result(parsed, offline_settings)

    assert endorsement.result.status is VerificationStatus.verified
    assert endorsement.endorses == EndorsedObject(
        type="Achievement",
        id=ACHIEVEMENT_ID,
        path="credentialSubject.achievement.endorsementJwt[0]",
    )
    assert endorsement.endorsement_id == "urn:uuid:endorsement-1"
    assert endorsement.endorsement is not None
    assert endorsement.endorsement.format is CredentialFormat.ob3_jwt
    assert endorsement.endorsement.issuer_name == "Welding Guild"
    assert check_outcomes(endorsement.result)["endorsed_subject"] is (
        CheckOutcome.passed
    )
    assert "recipient" not in check_outcomes(endorsement.result)


def test_endorsement_jwt_tampered_invalid(offline_settings):
    did, key = ed25519_did_key()
    token = sign(endorsement_claims(did, ACHIEVEMENT_ID), key, "EdDSA")
    header, _payload, signature = token.split(".")
    forged = endorsement_claims(did, ACHIEVEMENT_ID)
    forged["vc"]["credentialSubject"]["endorsementComment"] = "Best in the state"
    forged_token = f"{header}.{b64url(json.dumps(forged).encode())}.{signature}"
    document = credential_with(achievement={"endorsementJwt": forged_token})
    parsed = parse_credential_json(document, offline_settings)

    endorsement = single_result(parsed, offline_settings)

    assert endorsement.result.status is VerificationStatus.invalid
    assert check_outcomes(endorsement.result)["signature"] is CheckOutcome.failed


def test_endorsement_subject_mismatch_invalid(offline_settings):
    did, key = ed25519_did_key()
    token = sign(endorsement_claims(did, "urn:ach:other"), key, "EdDSA")
    document = credential_with(achievement={"endorsementJwt": [token]})
    parsed = parse_credential_json(document, offline_settings)

    endorsement = single_result(parsed, offline_settings)

    assert endorsement.result.status is VerificationStatus.invalid
    outcomes = check_outcomes(endorsement.result)
    assert outcomes["signature"] is CheckOutcome.passed
    assert outcomes["endorsed_subject"] is CheckOutcome.failed
    assert endorsement.result.reasons == [
        "endorsed_subject: endorsement is about urn:ach:other, but it is "
        f"attached to Achievement {ACHIEVEMENT_ID}"
    ]


def test_endorsement_on_object_without_id_invalid(offline_settings):
    did, key = ed25519_did_key()
    token = sign(endorsement_claims(did, ACHIEVEMENT_ID), key, "EdDSA")
    document = credential_with(achievement={"endorsementJwt": [token]})
    del document["credentialSubject"]["achievement"]["id"]
    parsed = parse_credential_json(document, offline_settings)

    endorsement = single_result(parsed, offline_settings)

    assert endorsement.result.status is VerificationStatus.invalid
    assert "has no id" in endorsement.result.reasons[0]


def test_endorsement_not_a_jwt_invalid(offline_settings):
    document = credential_with(endorsementJwt=["not-a-token"])
    parsed = parse_credential_json(document, offline_settings)

    endorsement = single_result(parsed, offline_settings)

    assert endorsement.result.status is VerificationStatus.invalid
    assert endorsement.endorsement is None
    assert endorsement.endorses.path == "endorsementJwt[0]"
    assert check_outcomes(endorsement.result) == {"load": CheckOutcome.failed}


def test_endorsement_of_other_type_invalid(offline_settings):
    document = credential_with(
        endorsement=[{"type": ["VerifiableCredential", "OpenBadgeCredential"]}]
    )
    parsed = parse_credential_json(document, offline_settings)

    endorsement = single_result(parsed, offline_settings)

    assert endorsement.result.status is VerificationStatus.invalid
    assert endorsement.result.reasons == [
        "load: endorsement type is VerifiableCredential, OpenBadgeCredential, "
        "not EndorsementCredential"
    ]


def test_failed_endorsement_keeps_credential_status(offline_settings):
    did, key = ed25519_did_key()
    token = sign(endorsement_claims(did, "urn:ach:other"), key, "EdDSA")
    plain = parse_credential_json(credential_with(), offline_settings)
    endorsed = parse_credential_json(
        credential_with(achievement={"endorsementJwt": [token]}), offline_settings
    )

    plain_result = verify_credential(
        plain, [], offline_settings, NOW, match_learner=False
    )
    endorsed_result = verify_credential(
        endorsed, [], offline_settings, NOW, match_learner=False
    )

    assert endorsed_result == plain_result
    assert single_result(endorsed, offline_settings).result.status is (
        VerificationStatus.invalid
    )


def test_endorsements_capped(offline_settings, monkeypatch):
    monkeypatch.setattr(endorsements, "MAX_ENDORSEMENTS", 1)
    document = credential_with(endorsementJwt=["not-a-token", "not-a-token"])
    parsed = parse_credential_json(document, offline_settings)

    results = verify_endorsements(parsed, offline_settings, NOW)

    assert [result.result.status for result in results] == [
        VerificationStatus.invalid,
        VerificationStatus.unverified,
    ]
    assert "more than 1 endorsements" in results[1].result.reasons[0]


def test_ob2_endorsement_url_unmapped_unverified(offline_settings):
    badge = {
        "type": "BadgeClass",
        "id": "https://example.test/badge",
        "name": "Robotics",
        "issuer": {"id": "https://example.test/issuer", "name": "Example"},
    }
    assertion = {
        "type": "Assertion",
        "id": "https://example.test/assertion",
        "recipient": {"type": "email", "identity": "kim@example.org"},
        "badge": badge,
        "verification": {"type": "hosted"},
        "endorsement": "https://example.test/endorsement-1",
    }
    parsed = parse_credential_json(assertion, offline_settings)

    endorsement = single_result(parsed, offline_settings)

    assert endorsement.result.status is VerificationStatus.unverified
    assert endorsement.endorsement_id == "https://example.test/endorsement-1"
    assert endorsement.endorses.type == "Assertion"
    assert check_outcomes(endorsement.result) == {"load": CheckOutcome.warning}


def test_verify_credential_rejects_endorsement(offline_settings):
    parsed = parse_endorsement_credential(
        endorsement_claims("did:example:guild", ACHIEVEMENT_ID)["vc"]
    )

    with pytest.raises(ValueError, match="verify_endorsement"):
        verify_credential(parsed, [], offline_settings, NOW, match_learner=False)


def test_verify_endorsement_rejects_credential(offline_settings):
    parsed = parse_credential_json(credential_with(), offline_settings)

    with pytest.raises(ValueError, match="verify_credential"):
        verify_endorsement(parsed, offline_settings, NOW)


def test_parse_endorsement_credential_subject():
    document = endorsement_claims("did:example:guild", ACHIEVEMENT_ID)["vc"]

    parsed = parse_endorsement_credential(document)

    assert parsed.endorsement_subject is not None
    assert parsed.endorsement_subject.id == ACHIEVEMENT_ID
    assert parsed.endorsement_subject.endorsement_comment == (
        "Meets the guild's standard"
    )
    assert parsed.name == "Guild endorsement"
    assert parsed.issuer_id == "did:example:guild"


def test_parse_ob2_endorsement_without_claim_rejected(offline_settings):
    document = {"type": "Endorsement", "id": "https://example.test/e", "issuer": "x"}

    with pytest.raises(InputRejected, match="has no claim object"):
        parse_ob2_endorsement(document, offline_settings)


def test_endorsement_jwt_not_learner_credential(offline_settings):
    did, key = ed25519_did_key()
    token = sign(endorsement_claims(did, ACHIEVEMENT_ID), key, "EdDSA")

    with pytest.raises(EndorsementRejected) as raised:
        parse_compact_jws(token, offline_settings)

    assert "EndorsementCredential" in raised.value.reason
    assert raised.value.compact_jws == token


def test_endorsement_jwt_file_verified(offline_settings, tmp_path):
    did, key = ed25519_did_key()
    path = tmp_path / "endorsement.jwt"
    path.write_text(sign(endorsement_claims(did, ACHIEVEMENT_ID), key, "EdDSA"))

    verdict = verify_credential_file(path, offline_settings, NOW)

    assert verdict.status == "verified"
    assert verdict.message == "every check passed"
    assert verdict.format == "ob3_jwt"
    assert verdict.endorser is not None
    assert verdict.endorser.id == did
    assert verdict.endorses == EndorsedObject(id=ACHIEVEMENT_ID)


@pytest.mark.shared_data
def test_complete_ob3_endorsement_locations(shared_data, shared_settings):
    parsed = load_credential_file(shared_data / COMPLETE_OB3, shared_settings)

    entries = find_endorsements(parsed, shared_settings)

    assert [(entry.endorses.type, entry.endorses.path) for entry in entries] == [
        ("AchievementCredential", "endorsement[0]"),
        ("Profile", "issuer.endorsement[0]"),
        ("Achievement", "credentialSubject.achievement.endorsement[0]"),
        ("Profile", "credentialSubject.achievement.creator.endorsement[0]"),
        ("Profile", "credentialSubject.achievement.creator.endorsement[1]"),
    ]
    assert entries[0].endorses.id == "http://1edtech.edu/credentials/3732"
    assert entries[2].endorses.id == "https://1edtech.edu/achievements/degree"


@pytest.mark.shared_data
def test_complete_ob3_endorsements_invalid(shared_data, shared_settings):
    # Their contexts leave the 1EdTech status and schema types undefined, and
    # the first and third name the issuer profile while attached elsewhere.
    parsed = load_credential_file(shared_data / COMPLETE_OB3, shared_settings)

    results = verify_endorsements(parsed, shared_settings, NOW)

    assert [result.result.status for result in results] == [
        VerificationStatus.invalid
    ] * 5
    subject_outcomes = [
        check_outcomes(result.result)["endorsed_subject"] for result in results
    ]
    assert subject_outcomes == [
        CheckOutcome.failed,
        CheckOutcome.passed,
        CheckOutcome.failed,
        CheckOutcome.passed,
        CheckOutcome.passed,
    ]


@pytest.mark.shared_data
def test_ob2_hosted_endorsements_checked(shared_data, shared_settings):
    parsed = load_credential_file(shared_data / OB2_WITH_ENDORSEMENTS, shared_settings)

    results = verify_endorsements(parsed, shared_settings, NOW)

    # The 1EdTech fixture attaches endorsements of the badge class to the
    # assertion too, so those two do not endorse what they are attached to.
    assert [result.endorses.path for result in results] == [
        "endorsement[0]",
        "endorsement[1]",
        "badge.endorsement[0]",
        "badge.endorsement[1]",
    ]
    assert [result.result.status for result in results] == [
        VerificationStatus.invalid,
        VerificationStatus.invalid,
        VerificationStatus.verified,
        VerificationStatus.verified,
    ]
    assert results[2].endorses.id == OB2_BADGE_CLASS
    assert results[2].endorsement is not None
    assert results[2].endorsement.issuer_name == "Example Issuer"
    assert check_outcomes(results[2].result)["hosted_assertion"] is (
        CheckOutcome.passed
    )


@pytest.mark.shared_data
def test_signed_endorsement_on_issuer_verified(shared_data, shared_settings):
    endorsement = read_fixture(shared_data, SIGNED_ENDORSEMENT)
    document = credential_with(
        issuer={"id": ENDORSED_PROFILE, "name": "1EdTech University"},
    )
    document["issuer"]["endorsement"] = [endorsement]
    parsed = parse_credential_json(document, shared_settings)

    result = single_result(parsed, shared_settings)

    assert result.result.status is VerificationStatus.verified, result.result.reasons
    assert result.endorses.path == "issuer.endorsement[0]"


@pytest.mark.shared_data
def test_signed_endorsement_tampered_invalid(shared_data, shared_settings):
    endorsement = copy.deepcopy(read_fixture(shared_data, SIGNED_ENDORSEMENT))
    endorsement["credentialSubject"]["endorsementComment"] = "Top of the league"
    document = credential_with(issuer={"id": ENDORSED_PROFILE})
    document["issuer"]["endorsement"] = endorsement
    parsed = parse_credential_json(document, shared_settings)

    result = single_result(parsed, shared_settings)

    assert result.result.status is VerificationStatus.invalid
    assert check_outcomes(result.result)["signature"] is CheckOutcome.failed


@pytest.mark.shared_data
def test_signed_endorsement_wrong_object_invalid(shared_data, shared_settings):
    endorsement = read_fixture(shared_data, SIGNED_ENDORSEMENT)
    document = credential_with(achievement={"endorsement": [endorsement]})
    parsed = parse_credential_json(document, shared_settings)

    result = single_result(parsed, shared_settings)

    assert result.result.status is VerificationStatus.invalid
    outcomes = check_outcomes(result.result)
    assert outcomes["signature"] is CheckOutcome.passed
    assert outcomes["endorsed_subject"] is CheckOutcome.failed


@pytest.mark.shared_data
@pytest.mark.parametrize(
    ("relative_path", "status"),
    [
        ("credentials/ob3/spec__endorsement-unsigned.json", "invalid"),
        ("credentials/ob3/1edtech-val__endorsement-valid.json", "unverified"),
        (SIGNED_ENDORSEMENT, "verified"),
    ],
)
def test_endorsement_file_verdict(shared_data, shared_settings, relative_path, status):
    verdict = verify_credential_file(shared_data / relative_path, shared_settings, NOW)

    assert verdict.status == status, verdict.message
    assert verdict.endorses == EndorsedObject(id=ENDORSED_PROFILE)
    assert verdict.endorser is not None
    assert verdict.endorser.name == "State Department of Education"
    assert verdict.endorsements == []


@pytest.mark.shared_data
def test_ob2_endorsement_file_verdict(shared_data, shared_settings, tmp_path):
    hosted = shared_data / "credentials/ob2/hosted/example.org/endorsement-3.json"
    path = tmp_path / "endorsement-3.json"
    path.write_text(hosted.read_text())

    verdict = verify_credential_file(path, shared_settings, NOW)

    assert verdict.status == "verified", verdict.message
    assert verdict.format == "ob2_endorsement"
    assert verdict.endorses == EndorsedObject(id=OB2_BADGE_CLASS)


@pytest.mark.shared_data
def test_loader_rejects_endorsement_file(shared_data, shared_settings):
    with pytest.raises(InputRejected, match="EndorsementCredential"):
        load_credential_file(shared_data / SIGNED_ENDORSEMENT, shared_settings)


@pytest.mark.shared_data
def test_clr_nested_credential_endorsements(shared_data, shared_settings):
    verdict = verify_credential_file(
        shared_data / "credentials/clr2/1edtech-val__complex.json",
        shared_settings,
        NOW,
    )

    assert verdict.endorsements == []
    first = verdict.nested[0]
    assert len(first.endorsements) == 1
    endorsement = first.endorsements[0]
    assert endorsement.endorses is not None
    assert endorsement.endorses.type == "Achievement"
    assert endorsement.endorser is not None
    assert endorsement.endorser.name == "Oregon State Board of Nursing"
    # Like its CLR, the endorsement is signed by a did:key that is not its
    # issuer.
    assert endorsement.status == "invalid"
