"""Data Integrity proofs and the JSON-LD context store, on the shared fixtures."""

import copy
import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pyld import jsonld

from indexer.credentials import data_integrity
from indexer.credentials.contexts import ContextUnavailable, load_context_store
from indexer.credentials.data_integrity import (
    FindingOutcome,
    check_data_integrity_proofs,
)
from indexer.credentials.parse import parse_credential_json
from indexer.credentials.verify import verify_credential
from skillbeacon.models.credential import VerificationStatus
from skillbeacon.models.profile import RecipientIdentifier
from skillbeacon.settings import Settings

pytestmark = pytest.mark.shared_data

NOW = datetime(2026, 1, 1, tzinfo=UTC)
VECTOR = "credentials/ob3/spec__ob3-eddsa-rdfc-2022-test-vector.json"
VECTOR_ISSUER = "https://example.edu/issuers/565049"
VECTOR_LEARNER = [
    RecipientIdentifier(type="did", value="did:example:ebfeb1f712ebc6f1c276e12ec21")
]
CREDENTIALS_V2 = "https://www.w3.org/ns/credentials/v2"


@pytest.fixture
def context_settings(shared_data: Path) -> Settings:
    return Settings(
        url_map=shared_data / "credentials" / "url-map.json",
        context_dir=shared_data / "credentials" / "contexts",
    )


def read_fixture(shared_data: Path, relative_path: str) -> dict:
    return json.loads((shared_data / relative_path).read_text())


def outcomes(findings: list) -> list[tuple[str, FindingOutcome]]:
    return [(finding.check, finding.outcome) for finding in findings]


def test_context_store_pins_sha256(shared_data, context_settings):
    store = load_context_store(context_settings)
    context_file = (
        shared_data / "credentials" / "contexts" / "w3c-credentials-v2.jsonld"
    )

    expected = hashlib.sha256(context_file.read_bytes()).hexdigest()

    assert store.sha256(CREDENTIALS_V2) == expected
    assert store.get(CREDENTIALS_V2).path == context_file.resolve()


def test_context_store_holds_only_context_folder_files(context_settings):
    store = load_context_store(context_settings)

    assert CREDENTIALS_V2 in store.contexts
    # The URL map also maps DID documents, which are not contexts.
    assert "https://digitalcredentials.github.io/dcc-did-web/did.json" not in (
        store.contexts
    )


def test_context_store_unknown_url_raises(context_settings):
    store = load_context_store(context_settings)

    with pytest.raises(ContextUnavailable) as raised:
        store.load_document("https://example.org/unknown-context", {})

    assert raised.value.reason == (
        "unknown JSON-LD context https://example.org/unknown-context; add it "
        "to the context store"
    )


def test_context_store_without_folder_is_empty():
    store = load_context_store(Settings(context_dir=None))

    assert store.contexts == {}


def test_pyld_default_loader_never_fetches():
    document = {"@context": CREDENTIALS_V2, "name": "x"}

    with pytest.raises(jsonld.JsonLdError) as raised:
        jsonld.expand(document)

    cause = raised.value.__cause__
    assert isinstance(cause, ContextUnavailable)


def test_eddsa_vector_verifies(shared_data, context_settings):
    document = read_fixture(shared_data, VECTOR)

    findings = check_data_integrity_proofs(document, VECTOR_ISSUER, context_settings)

    assert ("signature", FindingOutcome.passed) in outcomes(findings)
    assert FindingOutcome.invalid not in [finding.outcome for finding in findings]


def test_eddsa_vector_key_not_bound_unchecked(shared_data, context_settings):
    document = read_fixture(shared_data, VECTOR)

    findings = check_data_integrity_proofs(document, VECTOR_ISSUER, context_settings)

    assert ("issuer_key", FindingOutcome.unchecked) in outcomes(findings)
    assert ("signature", FindingOutcome.passed) in outcomes(findings)


def test_eddsa_vector_fragment_key_stays_unverified(shared_data, context_settings):
    """A valid signature by a key read from the URL fragment is not trusted.

    Anyone can publish a key in the fragment of an issuer's URL, so the
    signature proves integrity but not who issued the credential.
    """
    parsed = parse_credential_json(read_fixture(shared_data, VECTOR), context_settings)

    result = verify_credential(parsed, VECTOR_LEARNER, context_settings, NOW)

    assert result.status is VerificationStatus.unverified
    assert any("not bound to issuer" in reason for reason in result.reasons)


def test_tampered_vector_invalid(shared_data, context_settings):
    document = read_fixture(shared_data, VECTOR)
    document["name"] = "tampered!"

    findings = check_data_integrity_proofs(document, VECTOR_ISSUER, context_settings)

    assert outcomes(findings)[-1] == ("signature", FindingOutcome.invalid)
    assert "does not verify" in findings[-1].message


def test_tampered_proof_options_invalid(shared_data, context_settings):
    document = read_fixture(shared_data, VECTOR)
    document["proof"]["created"] = "2030-01-01T00:00:00Z"

    findings = check_data_integrity_proofs(document, VECTOR_ISSUER, context_settings)

    assert outcomes(findings)[-1] == ("signature", FindingOutcome.invalid)


def test_tampered_vector_credential_invalid(shared_data, context_settings):
    document = read_fixture(shared_data, VECTOR)
    document["credentialSubject"]["achievement"]["name"] = "Brain surgery"
    parsed = parse_credential_json(document, context_settings)

    result = verify_credential(parsed, VECTOR_LEARNER, context_settings, NOW)

    assert result.status is VerificationStatus.invalid


def test_second_bad_proof_invalid(shared_data, context_settings):
    document = read_fixture(shared_data, VECTOR)
    bad_proof = copy.deepcopy(document["proof"])
    bad_proof["created"] = "2030-01-01T00:00:00Z"
    document["proof"] = [document["proof"], bad_proof]
    parsed = parse_credential_json(document, context_settings)

    result = verify_credential(parsed, VECTOR_LEARNER, context_settings, NOW)

    assert result.status is VerificationStatus.invalid


def test_unknown_context_unverified(shared_data, context_settings):
    document = read_fixture(shared_data, VECTOR)
    document["@context"].append("https://example.org/unknown-context")
    parsed = parse_credential_json(document, context_settings)

    result = verify_credential(parsed, VECTOR_LEARNER, context_settings, NOW)

    assert result.status is VerificationStatus.unverified
    assert (
        "signature: proof cannot be checked offline: unknown JSON-LD context "
        "https://example.org/unknown-context; add it to the context store"
    ) in result.reasons


def test_dropped_term_invalid(shared_data, context_settings):
    document = read_fixture(shared_data, VECTOR)
    document["credentialSubject"]["achievement"]["criteria"]["secretLevel"] = "9"
    parsed = parse_credential_json(document, context_settings)

    result = verify_credential(parsed, VECTOR_LEARNER, context_settings, NOW)

    assert result.status is VerificationStatus.invalid
    assert any("secretLevel" in reason for reason in result.reasons)


def test_relative_type_invalid(shared_data, context_settings):
    # VCDM 1.1 has no @vocab, so an undefined type stays a relative IRI.
    document = read_fixture(shared_data, "credentials/ob3/dcc-vcore__v1NoStatus.json")
    document["credentialSubject"]["type"] = "MadeUpSubject"

    findings = check_data_integrity_proofs(
        document, document["issuer"]["id"], context_settings
    )

    assert outcomes(findings) == [("jsonld", FindingOutcome.invalid)]
    assert "MadeUpSubject" in findings[0].message


def test_ed25519_signature_2020_verifies(shared_data, context_settings):
    document = read_fixture(shared_data, "credentials/ob3/dcc-vcore__v2NoStatus.json")
    issuer = document["issuer"]
    issuer_id = issuer["id"] if isinstance(issuer, dict) else issuer

    findings = check_data_integrity_proofs(document, issuer_id, context_settings)

    assert outcomes(findings) == [("signature", FindingOutcome.passed)]


def test_issuer_not_controller_invalid(shared_data, context_settings):
    document = read_fixture(shared_data, VECTOR)

    findings = check_data_integrity_proofs(
        document, "https://example.edu/issuers/other", context_settings
    )

    assert outcomes(findings) == [("signature", FindingOutcome.invalid)]
    assert "not by issuer https://example.edu/issuers/other" in findings[0].message


def test_ecdsa_sd_2023_unsupported(shared_data, context_settings):
    document = read_fixture(
        shared_data, "credentials/ob3/1edtech-val__sd-derivedcredential.json"
    )
    parsed = parse_credential_json(document, context_settings)

    findings = check_data_integrity_proofs(document, parsed.issuer_id, context_settings)
    result = verify_credential(parsed, [], context_settings, NOW)

    assert outcomes(findings) == [("proof", FindingOutcome.warning)]
    assert "ecdsa-sd-2023 is unsupported" in findings[0].message
    assert result.status is VerificationStatus.unverified


def test_canonicalization_work_is_capped(shared_data, context_settings, monkeypatch):
    # Two identical evidence blank nodes share a first-degree hash, so
    # canonicalization needs N-degree hashing, which a cap of 0 stops.
    monkeypatch.setattr(data_integrity, "MAX_N_DEGREE_HASHES", 0)
    document = read_fixture(shared_data, VECTOR)
    document["evidence"] = [
        {"type": ["Evidence"], "name": "same"},
        {"type": ["Evidence"], "name": "same"},
    ]

    findings = check_data_integrity_proofs(document, VECTOR_ISSUER, context_settings)

    assert outcomes(findings) == [("signature", FindingOutcome.unchecked)]
    assert "too complex" in findings[0].message


EXPIRED_FIXTURE = (
    "credentials/ob3/dcc-vtf__v2-ed25519-didKey-legacy-noStatus-expired.json"
)


def verify_alone(document: dict, settings: Settings):
    """Verify a credential with no learner to match it against."""
    parsed = parse_credential_json(document, settings)
    return verify_credential(parsed, [], settings, match_learner=False)


@pytest.mark.parametrize(
    ("rename", "path"),
    [
        # The same RDF, so the signature still holds, but a reader of the
        # JSON would no longer see the expiry.
        (("validUntil", "https://www.w3.org/2018/credentials#validUntil"), "$.https"),
        (("validUntil", "cred:validUntil"), "$.cred:validUntil"),
    ],
)
def test_iri_key_invalid(shared_data, context_settings, rename, path):
    document = read_fixture(shared_data, EXPIRED_FIXTURE)
    old, new = rename
    document[new] = document.pop(old)
    if new.startswith("cred:"):
        document["@context"] = [
            *document["@context"],
            {"cred": "https://www.w3.org/2018/credentials#"},
        ]

    result = verify_alone(document, context_settings)

    assert result.status is VerificationStatus.invalid
    assert "written as IRIs or JSON-LD keywords" in result.reasons[0]
    assert path in result.reasons[0]


def test_keyword_key_invalid(shared_data, context_settings):
    document = read_fixture(shared_data, EXPIRED_FIXTURE)
    subject = document["credentialSubject"]
    subject["@id"] = subject.pop("id")

    result = verify_alone(document, context_settings)

    assert result.status is VerificationStatus.invalid
    assert "$.credentialSubject.@id" in result.reasons[0]


def test_inline_context_unverified(shared_data, context_settings):
    document = read_fixture(shared_data, EXPIRED_FIXTURE)
    document["until"] = document.pop("validUntil")
    document["@context"] = [
        *document["@context"],
        {"until": "https://www.w3.org/2018/credentials#validUntil"},
    ]

    result = verify_alone(document, context_settings)

    assert result.status is VerificationStatus.unverified
    assert "defines its own JSON-LD terms at $.@context" in result.reasons[0]


def test_nest_key_invalid(shared_data, context_settings):
    document = read_fixture(shared_data, EXPIRED_FIXTURE)
    document["@nest"] = {"validUntil": document.pop("validUntil")}

    result = verify_alone(document, context_settings)

    assert result.status is VerificationStatus.invalid
    assert "$.@nest" in result.reasons[0]


def test_keyword_alias_key_invalid(shared_data, context_settings):
    # The ODRL context defines "uid" as @id, and adding its URL changes no RDF.
    document = read_fixture(shared_data, EXPIRED_FIXTURE)
    document["@context"] = [*document["@context"], "https://www.w3.org/ns/odrl.jsonld"]
    subject = document["credentialSubject"]
    subject["uid"] = subject.pop("id")

    result = verify_alone(document, context_settings)

    assert result.status is VerificationStatus.invalid
    assert "$.credentialSubject.uid" in result.reasons[0]


def test_expired_proof_invalid(shared_data, context_settings):
    # Changing the proof options breaks the signature too, but the expiry is
    # checked first and decides the status.
    document = read_fixture(shared_data, EXPIRED_FIXTURE)
    document["proof"]["expires"] = "2024-02-01T00:00:00Z"

    result = verify_alone(document, context_settings)

    assert result.status is VerificationStatus.invalid
    assert "proof: proof expired on 2024-02-01" in result.reasons
