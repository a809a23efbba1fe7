"""File verdicts for the verify command, and verification with no learner known."""

import json
from pathlib import Path

import pytest

from indexer.credentials.parse import parse_compact_jws
from indexer.credentials.verdicts import (
    ERROR_STATUS,
    credential_paths,
    verdict_message,
    verify_credential_file,
    verify_credential_files,
)
from indexer.credentials.verify import verify_credential, verify_credential_tree
from skillbeacon.models.credential import (
    Check,
    CheckOutcome,
    VerificationResult,
    VerificationStatus,
)
from tests.indexer.credentials.test_shared_fixtures import shared_settings
from tests.indexer.credentials.test_verify import (
    LEARNER,
    NOW,
    ed25519_did_key,
    sign,
    vc_claims,
)

pytestmark = pytest.mark.filterwarnings("ignore:EdDSA is deprecated")

NO_LEARNER = "no learner to match the recipient against"


def signed_token(**extra: object) -> str:
    did, key = ed25519_did_key()
    return sign(vc_claims(did, **extra), key, "EdDSA")


def recipient_check(result: VerificationResult) -> Check:
    checks = [check for check in result.checks if check.name == "recipient"]
    assert len(checks) == 1
    return checks[0]


def test_no_learner_signed_jwt_verified(offline_settings):
    parsed = parse_compact_jws(signed_token(), offline_settings)

    result = verify_credential(parsed, [], offline_settings, NOW, match_learner=False)

    assert result.status is VerificationStatus.verified, result.reasons
    check = recipient_check(result)
    assert check.outcome is CheckOutcome.warning
    assert check.message.startswith(NO_LEARNER)
    assert "type id" in check.message
    assert "did:example" not in check.message


def test_no_identifiers_still_unverified_for_indexer(offline_settings):
    parsed = parse_compact_jws(signed_token(), offline_settings)

    result = verify_credential(parsed, [], offline_settings, NOW)

    assert result.status is VerificationStatus.unverified
    assert recipient_check(result).message.startswith("the learner profile lists")


def test_no_learner_rejects_identifiers(offline_settings):
    parsed = parse_compact_jws(signed_token(), offline_settings)

    with pytest.raises(ValueError, match="match_learner is False"):
        verify_credential(parsed, LEARNER, offline_settings, match_learner=False)


def test_no_learner_keeps_expiry(offline_settings):
    token = signed_token(exp=int(NOW.timestamp()) - 60)
    parsed = parse_compact_jws(token, offline_settings)

    result = verify_credential(parsed, [], offline_settings, NOW, match_learner=False)

    assert result.status is VerificationStatus.expired


def test_no_learner_tree_passes_flag(offline_settings):
    parsed = parse_compact_jws(signed_token(), offline_settings)

    results = verify_credential_tree(
        parsed, [], offline_settings, NOW, match_learner=False
    )

    assert [result.status for _parsed, result in results] == [
        VerificationStatus.verified
    ]


def test_verdict_message_lists_failures_first():
    result = VerificationResult(
        status=VerificationStatus.expired,
        checks=[
            Check(name="signature", outcome=CheckOutcome.passed, message="ok"),
            Check(name="revocation", outcome=CheckOutcome.warning, message="w"),
            Check(name="expiry", outcome=CheckOutcome.failed, message="expired"),
        ],
    )

    assert verdict_message(result) == "expiry: expired"


def test_verdict_message_skips_no_learner_warning():
    result = VerificationResult(
        status=VerificationStatus.verified,
        checks=[
            Check(name="signature", outcome=CheckOutcome.passed, message="ok"),
            Check(
                name="recipient",
                outcome=CheckOutcome.warning,
                message=f"{NO_LEARNER}; the credential names a recipient of type id",
            ),
        ],
    )

    message = verdict_message(result)

    assert "every check passed" in message
    assert "not matched to a learner" in message


def test_verdict_message_unverified_names_warning():
    result = VerificationResult(
        status=VerificationStatus.unverified,
        checks=[
            Check(
                name="signature",
                outcome=CheckOutcome.warning,
                message="signature not checked: key unavailable",
            ),
        ],
    )

    assert (
        verdict_message(result) == "signature: signature not checked: key unavailable"
    )


def test_credential_paths_walks_sorted(tmp_path: Path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.json").write_text("{}")
    (tmp_path / "b" / "a.jwt").write_text("x")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "c.json").write_text("{}")
    (tmp_path / ".dotfile.json").write_text("{}")
    (tmp_path / "top.png").write_bytes(b"x")
    single = tmp_path / "b" / "z.json"

    paths = credential_paths([tmp_path, single])

    assert paths == [
        tmp_path / "top.png",
        tmp_path / "b" / "a.jwt",
        tmp_path / "b" / "z.json",
        single,
    ]


def test_file_verdict_not_a_credential(tmp_path: Path, offline_settings):
    path = tmp_path / "notes.txt"
    path.write_text("meeting notes")

    verdict = verify_credential_file(path, offline_settings)

    assert verdict.status == ERROR_STATUS
    assert verdict.message == "not a JSON, JWT, PNG or SVG credential"
    assert verdict.checks[0].name == "load"
    assert verdict.checks[0].outcome is CheckOutcome.failed
    assert verdict.nested == []


def test_file_verdict_unmapped_badge_unverified(tmp_path: Path, offline_settings):
    path = tmp_path / "assertion.json"
    path.write_text(
        json.dumps(
            {
                "recipient": {"identity": "kim@example.org", "type": "email"},
                "badge": "https://old.example/badge.json",
                "verify": {"type": "hosted", "url": "https://old.example/a/1"},
            }
        )
    )

    verdict = verify_credential_file(path, offline_settings)

    assert verdict.status is VerificationStatus.unverified
    assert "cannot be fetched offline" in verdict.message
    assert verdict.checks[0].outcome is CheckOutcome.warning


def test_file_verdict_signed_jwt(tmp_path: Path, offline_settings):
    path = tmp_path / "badge.jwt"
    path.write_text(signed_token())

    verdict = verify_credential_file(path, offline_settings, NOW)

    assert verdict.status is VerificationStatus.verified
    assert verdict.path == str(path)
    assert verdict.name == "Welding"
    assert verdict.format == "ob3_jwt"
    assert verdict.credential_id == "urn:uuid:credential-1"
    assert [check.name for check in verdict.checks] == [
        "issuer_key",
        "signature",
        "recipient",
        "revocation",
        "schema",
    ]


def test_file_verdict_clr_nests_results(shared_data: Path):
    settings = shared_settings(shared_data)
    path = shared_data / "credentials" / "clr2" / "1edtech-val__complex.json"

    verdict = verify_credential_file(path, settings)

    assert verdict.format == "clr2_json"
    assert len(verdict.nested) == 6
    for nested in verdict.nested:
        assert nested.path == str(path)
        assert nested.status is VerificationStatus.invalid
        assert "not by issuer" in nested.message
        assert nested.nested == []


def test_file_verdicts_of_legacy_folder(shared_data: Path):
    settings = shared_settings(shared_data)
    folder = shared_data / "credentials" / "ob2" / "legacy"

    verdicts = verify_credential_files([folder], settings)

    by_name = {Path(verdict.path).name: verdict for verdict in verdicts}
    assert len(verdicts) == 15
    assert by_name["badgr__1_0_basic_badgeclass.json"].status == ERROR_STATUS
    assert "not a credential" in by_name["badgr__1_0_basic_badgeclass.json"].message
    unreachable = by_name["validator-core__1_0_basic_assertion.json"]
    assert unreachable.status is VerificationStatus.unverified
    assert "http://a.com/badgeclass" in unreachable.message
    old = by_name["validator-core__0_5_assertion.json"]
    assert old.status is VerificationStatus.unverified
    assert "hosted_assertion" in old.message
    assert any(check.name == "upgrade" for check in old.checks)


def test_file_verdict_revoked_stub(tmp_path: Path, offline_settings):
    path = tmp_path / "revoked.json"
    stub = {
        "@context": "https://w3id.org/openbadges/v2",
        "id": "https://school.example/assertions/1",
        "revoked": True,
        "revocationReason": "Issued in error",
    }
    path.write_text(json.dumps(stub))

    verdict = verify_credential_file(path, offline_settings, NOW)

    assert verdict.status is VerificationStatus.revoked
    assert verdict.message == (
        "assertion https://school.example/assertions/1 was revoked by its issuer "
        "(Issued in error)"
    )


def test_crashing_file_spares_others(tmp_path: Path, offline_settings, monkeypatch):
    from indexer.credentials import verdicts

    folder = tmp_path / "badges"
    folder.mkdir()
    (folder / "a.jwt").write_text(signed_token())
    (folder / "b.jwt").write_text(signed_token())
    real = verdicts.verify_credential_file

    def crash_on_a(path, settings, now=None):
        if path.name == "a.jwt":
            raise RecursionError("deep")
        return real(path, settings, now)

    monkeypatch.setattr(verdicts, "verify_credential_file", crash_on_a)

    results = verify_credential_files([folder], offline_settings, NOW)

    assert [(Path(r.path).name, r.status) for r in results] == [
        ("a.jwt", ERROR_STATUS),
        ("b.jwt", VerificationStatus.verified),
    ]
    assert results[0].message == "verification failed unexpectedly (RecursionError)"
