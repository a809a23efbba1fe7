# ruff: noqa: E501 - the tables keep one fixture or one case on each line.
"""skillbeacon's built-in credential JSON Schemas, run over the shared fixtures
and over small hand-made documents.

The fixture tables sort every credential in the shared corpus by the verdict
its source gives and state the result the schema check must return for it.
Except for the fixtures in the SCHEMA_FILE tables, the product loads each
fixture, picks its schema and runs check_credential_schemas.
"""

import copy
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker, ValidationError
from jsonschema.protocols import Validator

from indexer.credentials.contexts import ContextStore
from indexer.credentials.credential_schema import (
    BUILTIN_SCHEMAS,
    SchemaFinding,
    SchemaOutcome,
    builtin_schema,
    builtin_schema_kind,
    builtin_validator,
    check_credential_schemas,
)
from indexer.credentials.endorsements import find_endorsements, parse_endorsement_entry
from indexer.credentials.load import load_credential_file
from indexer.credentials.parse import (
    EndorsementRejected,
    parse_credential_json,
    parse_rejected_endorsement,
    type_names,
)
from indexer.errors import InputRejected
from skillbeacon.models.credential import ParsedCredential
from skillbeacon.settings import Settings
from tests.indexer.credentials.documents import (
    OB3_CONTEXT,
    VC_V2_CONTEXT,
    achievement,
    achievement_subject,
    issuer_profile,
)
from tests.indexer.credentials.signing import b64url
from tests.indexer.credentials.test_shared_fixtures import shared_settings

# Schemas whose shared $defs are copies of the first schema's, by BUILTIN_SCHEMAS key.
SCHEMA_FAMILIES = (("ob3", "ob3-endorsement", "clr2"), ("ob2", "ob2-endorsement"))

# Fixtures (relative to the shared credentials folder) whose source calls them
# valid, valid with a warning, or a normative example. Each one, and every
# credential nested in it or endorsement attached to it, must pass the built-in
# schema that the product picks for it.
VALID_FIXTURES = (
    "ob3/1edtech-val__endorsement-valid.json",
    # An ecdsa-sd-2023 derived credential whose name selective disclosure left out.
    "ob3/1edtech-val__sd-derivedcredential.json",
    "ob3/1edtech-val__simple-context-alias.json",
    "ob3/1edtech-val__simple-eddsa-2022.json",
    "ob3/1edtech-val__simple.1ob.json",
    "ob3/1edtech-val__simple.json",
    "ob3/1edtech-val__simple_v1.json",
    "ob3/dcc-vcore__v1NoStatus.json",
    "ob3/dcc-vcore__v1WithValidStatus.json",
    "ob3/dcc-vcore__v2DoubleSigWithValidStatus.json",
    "ob3/dcc-vcore__v2NoStatus.json",
    "ob3/dcc-vcore__v2WithValidStatus.json",
    "ob3/dcc-vcore__v2didWebWithValidStatus.json",
    "ob3/dcc-vtf__v1-bothSignatureTypes-didWeb-oidf-validStatus-noExpiry.json",
    "ob3/dcc-vtf__v1-dataIntegrityProof-didKey-legacyRegistry-noStatus-noExpiry-OBSpecExample.json",
    "ob3/dcc-vtf__v1-dataIntegrityProof-didWeb-legacy-validStatus-noExpiry.json",
    "ob3/dcc-vtf__v1-ed25519-didKey-legacy-noStatus-noExpiry-stringIssuerId.json",
    "ob3/dcc-vtf__v1-ed25519-didKey-legacyRegistry-noStatus-noExpiry-issuerImageId.json",
    "ob3/dcc-vtf__v1-ed25519-didKey-mixedRegistry-validStatus-noExpiry.json",
    "ob3/dcc-vtf__v2-bothSignatureTypes-didkey-legacy-noStatus-noExpiry.json",
    "ob3/dcc-vtf__v2-bothSignatureTypes-didkey-legacy-noStatus-notExpired-endorsement.json",
    "ob3/dcc-vtf__v2-dataIntegrityProof-didKey-legacyRegistry-noStatus-noExpiry-OBSpecExample.json",
    "ob3/dcc-vtf__v2-dataIntegrityProof-didKey-legacyRegistry-noStatus-noExpiry-achievementTypeExample.json",
    "ob3/dcc-vtf__v2-dataIntegrityProof-didKey-legacyRegistry-noStatus-noExpiry-alignments.json",
    "ob3/dcc-vtf__v2-dataIntegrityProof-didKey-legacyRegistry-noStatus-noExpiry-credName.json",
    "ob3/dcc-vtf__v2-dataIntegrityProof-didKey-legacyRegistry-noStatus-notExpired-withSchema.json",
    "ob3/dcc-vtf__v2-dataIntegrityProof-didKey-oidf-noStatus-notExpired-complexIssuer.json",
    "ob3/dcc-vtf__v2-ed25519-didKey-legacy-noStatus-noExpiry-lcwExperience.json",
    "ob3/dcc-vtf__v2-ed25519-didKey-legacy-noStatus-noExpiry-stringIssuerId.json",
    "ob3/dcc-vtf__v2-ed25519-didKey-legacy-noStatus-noExpiry.json",
    "ob3/dcc-vtf__v2-ed25519-didWeb-oidf-noStatus-notExpired.json",
    "ob3/spec__ob3-eddsa-rdfc-2022-test-vector.json",
    "ob3/baked/1edtech-val__simple-json.png",
    "ob3/baked/1edtech-val__simple-json.svg",
    "ob3/baked/1edtech-val__simple-jwt.png",
    "ob3/baked/1edtech-val__simple-jwt_v1.svg",
    "clr2/1edtech-val__simple.json",
    "clr2/spec__clr2-eddsa-rdfc-2022-test-vector.json",
    "ob2/1edtech-val__assertion-with-endorsements.json",
    # The evidence id is a JSON-LD blank node id, _:b1.
    "ob2/1edtech-val__assertion-with-extension-node-basic.json",
    "ob2/1edtech-val__basic-assertion-no-public-key.json",
    "ob2/1edtech-val__basic-assertion-with-allowed-origins-valid-multiple-starts-with.json",
    "ob2/1edtech-val__basic-assertion-with-allowed-origins.json",
    "ob2/1edtech-val__basic-assertion-with-language.json",
    "ob2/1edtech-val__basic-assertion.json",
    "ob2/1edtech-val__simple.jwt",
    "ob2/1edtech-val__warning-with-redirection.json",
    # The endorsements of the assertion above. Their issuedOn has no seconds.
    "ob2/hosted/example.org/endorsement-1.json",
    "ob2/hosted/example.org/endorsement-2.json",
    "ob2/hosted/example.org/endorsement-3.json",
    "ob2/hosted/example.org/endorsement-4.json",
    "ob2/legacy/validator-core__2_0_basic_assertion.json",
)

# The spec's unsigned examples: structurally complete, but not verifiable.
UNSIGNED_SPEC_EXAMPLES = (
    "ob3/spec__achievement-alignment-case-unsigned.json",
    "ob3/spec__basic-openbadgecredential-unsigned.json",
    "ob3/spec__endorsement-unsigned.json",
    "ob3/spec__skill-assertion-case-unsigned.json",
)

# Fixtures that the source calls invalid, or gives no verdict for, for reasons
# that a structural check does not cover: signatures, keys, expiry, revocation,
# status lists, JSON-LD contexts and hosted-verification rules. They must pass,
# so that a schema error is never reported in place of one of those checks.
STRUCTURALLY_VALID_FIXTURES = {
    "ob3/1edtech-val__bsl-credential-status-revoked.json": "revoked",
    "ob3/1edtech-val__complete.json": "its credentialSchema URL returns 404",
    "ob3/1edtech-val__credential-status-revoked.json": "revoked",
    "ob3/1edtech-val__simple-did-web-method.json": "no verdict (needs a did:web lookup)",
    "ob3/1edtech-val__simple-err-expired.json": "expired",
    "ob3/1edtech-val__simple-err-proof-method.json": "verification key URL not found",
    "ob3/1edtech-val__simple-multiple-proofs.json": "a proof type its context does not define",
    "ob3/dcc-vcore__derived-v1-no-proof.json": "no proof",
    "ob3/dcc-vcore__derived-v2-no-proof.json": "no proof",
    "ob3/dcc-vcore__derived-v2-tampered.json": "signature fails (name changed)",
    "ob3/dcc-vcore__safeModeBreaker.json": "JSON-LD safe mode error",
    "ob3/dcc-vcore__testVC.json": "no verdict; both proofs fail",
    "ob3/dcc-vcore__v1ExpiredWithValidStatus.json": "expired",
    "ob3/dcc-vcore__v1Revoked.json": "revoked",
    "ob3/dcc-vcore__v1RevokedAndExpired.json": "revoked and expired",
    "ob3/dcc-vcore__v1SimpleIssuerId.json": "no verdict (issuer is a string)",
    "ob3/dcc-vcore__v2DoubleSigWithBadStatusUrl.json": "status list not found",
    "ob3/dcc-vcore__v2Expired.json": "expired",
    "ob3/dcc-vcore__v2OBv3SpecExample.json": "no verdict (re-signed spec example)",
    "ob3/dcc-vcore__v2Revoked.json": "revoked",
    "ob3/dcc-vcore__v2SimpleIssuerId.json": "no verdict (issuer is a string)",
    "ob3/dcc-vcore__v2WithBadDidWeb.json": "did:web document not found",
    "ob3/dcc-vtf__v1-bothSignatureTypes-didWeb-legacy-revokedStaus-noExpiry.json": "revoked",
    "ob3/dcc-vtf__v1-ed25519-didKey-legacy-noStatus-expired.json": "expired",
    "ob3/dcc-vtf__v2-bothSignatureTypes-didkey-noRegistry-revokedStatus-expired.json": "revoked and expired",
    "ob3/dcc-vtf__v2-dataIntegrityProof-didKey-noRegistry-revokedStatus-noExpiry.json": "revoked",
    "ob3/dcc-vtf__v2-dataIntegrityProof-didweb-legacy-revokedStatus-expired.json": "revoked and expired",
    "ob3/dcc-vtf__v2-ed25519-didKey-legacy-noStatus-expired.json": "expired",
    "ob3/dcc-vtf__v2-ed25519-didKey-legacy-noStatus-noExpiry-tampered.json": "signature fails",
    "ob3/dcc-vtf__v2-ed25519-didKey-noRegistry-revokedStatus-notExpired.json": "revoked",
    "ob3/dcc-vtf__v2-ed25519-didWeb-badDidWeb.json": "did:web document not found",
    "ob3/spec__full-openbadge-example.json": "illustrative example with unverifiable proofs",
    "clr2/1edtech-val__complex.json": "no verdict (an issuer site is unreachable)",
    "clr2/1edtech-val__simple.jwt": "no verdict (its test is disabled)",
    "ob2/1edtech-val__assertion-with-data-image.json": "assertion image is a data: URI",
    "ob2/1edtech-val__basic-assertion-expired.json": "expired",
    "ob2/1edtech-val__basic-assertion-invalid-context.json": "unknown @context URL",
    "ob2/1edtech-val__basic-assertion-with-allowed-origins-invalid-starts-with.json": "id outside the issuer's startsWith",
    "ob2/1edtech-val__simple-revoked.jwt": "revoked",
    "ob2/spec__assertion-hosted-expired-2017.json": "no verdict (expired example)",
}

# fmt: off
# Fixtures that must fail the product's built-in schema check: the
# BUILTIN_SCHEMAS key of the schema the product picks, then the text that the
# failure message must contain. The entries without a comment are invalid in their source
# because of a wrong type. The rest are invalid, or have no verdict, for
# another reason but also break a structural rule.
SCHEMA_ERROR_FIXTURES: dict[str, tuple[str, list[str]]] = {
    "ob3/1edtech-val__simple-err-credential-subject-type.json": ("ob3", ['$.credentialSubject.type does not meet the rule "credentialSubject type includes AchievementSubject"']),
    "ob3/1edtech-val__simple-err-credential-subject-identifier-type.json": ("ob3", ['$.credentialSubject.identifier[0].type does not meet the rule "IdentityObject type is IdentityObject"']),
    "ob3/1edtech-val__simple-err-credential-subject-result-type.json": ("ob3", ['$.credentialSubject.result[1].type does not meet the rule "Result type includes Result"']),
    "ob3/1edtech-val__simple-err-evidence-type.json": ("ob3", ['$.evidence[1].type does not meet the rule "Evidence type includes Evidence"']),
    "ob3/1edtech-val__simple-err-issuer-otheridentifier-type.json": ("ob3", ['$.issuer.otherIdentifier[1].type does not meet the rule "IdentifierEntry type is IdentifierEntry"']),
    # Source: the type is OtherCredential. Its subject is an AchievementSubject.
    "ob3/1edtech-val__simple-err-type.json": ("ob3", ['$.type does not meet the rule "credential type includes OpenBadgeCredential or AchievementCredential"']),
    # Source: verificationMethod is not a URI.
    "ob3/1edtech-val__simple-err-proof-method-no-scheme.json": ("ob3", ['$.proof[0].verificationMethod does not meet the rule "URI with a scheme (for example https:, did: or urn:)"']),
    # Source: no @context, so the JSON-LD step fails.
    "ob3/dcc-vcore__derived-v2-no-context.json": ("ob3", ["$ lacks required @context"]),
    # Source: the W3C context is missing. The subject also has no achievement.
    "ob3/1edtech-val__simple-err-context.json": ("ob3", [
        "$['@context'][0] does not meet the rule \"first @context entry is the W3C Verifiable Credentials base context\"",
        "$.credentialSubject lacks required achievement",
    ]),
    # Source: no proof. The subject also has no achievement.
    "ob3/1edtech-val__simple-noproof.json": ("ob3", ["$.credentialSubject lacks required achievement"]),
    # No verdict. It uses a pre-release context and has no achievement.
    "ob3/1edtech-val__simple.jwt": ("ob3", ["$.credentialSubject lacks required achievement"]),
    # No verdict. The embedded issuer Profile has no id, which OB 2.0 requires.
    "ob2/legacy/badgr__2_0_assertion_embedded_badgeclass.json": ("ob2", ["$.badge.issuer lacks required id"]),
}

# Fixtures on which the product runs no built-in schema: the loader rejects
# them, or reads them through the upgrade of pre-2.0 assertions. So the
# test runs the schema file alone on the stored JSON. Each entry names the
# BUILTIN_SCHEMAS key of that schema, then maps JSON paths to the text that an
# error at that path must contain.
SCHEMA_FILE_ERROR_FIXTURES: dict[str, tuple[str, dict[str, str]]] = {
    # Source: no issuer. The loader rejects it.
    "ob3/1edtech-val__simple-err-issuer.json": ("ob3", {"$": "'issuer' is a required property"}),
    # Source: the type is OtherAssertion. The loader rejects it.
    "ob2/1edtech-val__basic-assertion-invalid-type.json": ("ob2", {"$.type": "Assertion type includes Assertion"}),
    # Open Badges 0.5 and 1.0 assertions do not have the 2.0 shape: 0.5 has a
    # plain string recipient, 1.0 a date without a time. The loader rejects
    # these 1.0 ones, because their badge class cannot be fetched offline.
    "ob2/legacy/badgr__0_5_basic_instance.json": ("ob2", {"$.recipient": "is not of type 'object'"}),
    "ob2/legacy/validator-core__0_5_assertion.json": ("ob2", {"$.recipient": "is not of type 'object'"}),
    "ob2/legacy/badgr__1_0_basic_instance.json": ("ob2", {"$.issuedOn": "ISO 8601 timestamp with a time and a time zone"}),
    "ob2/legacy/validator-core__1_0_basic_assertion.json": ("ob2", {"$.issuedOn": "ISO 8601 timestamp with a time and a time zone"}),
    "ob2/legacy/validator-core__1_0_basic_assertion_with_extra_properties.json": ("ob2", {"$.issuedOn": "ISO 8601 timestamp with a time and a time zone"}),
}
# fmt: on

# An Open Badges 1.1 assertion, which the product reads through the legacy
# upgrade. Its stored JSON passes the OB 2.0 schema file, because the upgrade
# changes only its @context.
SCHEMA_FILE_VALID_FIXTURES = {
    "ob2/legacy/validator-core__1_1_basic_assertion.json": "ob2",
}

# Plain VerifiableCredentials with no Open Badges or CLR type: no schema applies.
UNTYPED_FIXTURES = (
    "ob3/dcc-vtf__v2-dataIntegrityProof-didKey-legacyRegistry-noStatus-noExpiry-minimal.json",
    "ob3/dcc-vtf__v2-ed25519-didKey-legacy-expiredStatus-noExpiry.json",
    "ob3/dcc-vtf__v2-ed25519-didKey-legacy-missingTypeStatus-noExpiry.json",
)

# Folders whose credentials the tables above must cover, with file patterns.
CORPUS_GLOBS = (
    "ob3/*.json",
    "ob3/*.jwt",
    "ob3/baked/*",
    "clr2/*",
    "ob2/*.json",
    "ob2/*.jwt",
    "ob2/legacy/*.json",
    "ob2/hosted/example.org/*.json",
)


def schema_validator(kind: str) -> Validator:
    return builtin_validator(BUILTIN_SCHEMAS[kind].file)


def schema_errors(document: object, kind: str) -> list[ValidationError]:
    errors = schema_validator(kind).iter_errors(document)
    return sorted(errors, key=lambda error: error.json_path)


def describe(error: ValidationError) -> str:
    """Return the error's JSON path and message, and the failing rule's title."""
    title = error.schema.get("title") if isinstance(error.schema, dict) else None
    text = f"{error.json_path}: {error.message}"
    return f"{text} ({title})" if title else text


def assert_error_at(errors: list[ValidationError], path: str, text: str) -> None:
    at_path = [describe(error) for error in errors if error.json_path == path]
    assert at_path, [describe(error) for error in errors]
    assert any(text in message for message in at_path), at_path


def parse_document(document: dict[str, Any], settings: Settings) -> ParsedCredential:
    """Parse a credential, or an endorsement as the verify command reads one."""
    try:
        return parse_credential_json(document, settings)
    except EndorsementRejected as rejected:
        return parse_rejected_endorsement(rejected, settings)


def load_fixture(shared_data: Path, relative: str) -> ParsedCredential:
    """Load a shared fixture with the product's loader, endorsements included."""
    settings = shared_settings(shared_data)
    try:
        return load_credential_file(shared_data / "credentials" / relative, settings)
    except EndorsementRejected as rejected:
        return parse_rejected_endorsement(rejected, settings)


def read_stored_json(shared_data: Path, relative: str) -> Any:
    return json.loads((shared_data / "credentials" / relative).read_text())


def credential_tree(
    parsed: ParsedCredential, settings: Settings, label: str
) -> Iterator[tuple[str, ParsedCredential]]:
    """Yield the credential, the credentials nested in it and the endorsements
    attached to them, each with a label that locates it."""
    yield label, parsed
    for position, nested in enumerate(parsed.nested):
        yield from credential_tree(nested, settings, f"{label} nested[{position}]")
    for entry in find_endorsements(parsed, settings):
        endorsement = parse_endorsement_entry(entry, settings)
        yield f"{label} {entry.endorses.path}", endorsement


def builtin_finding(parsed: ParsedCredential) -> SchemaFinding:
    """Return the product's finding for the built-in schema, which it lists first.

    The store is empty, so no schema that the credential declares is run.
    """
    findings = check_credential_schemas(parsed, ContextStore())
    assert builtin_schema_kind(parsed) is not None, "no built-in schema applies"
    assert findings, "no schema finding"
    return findings[0]


def assert_tree_passes(parsed: ParsedCredential, shared_data: Path, label: str) -> None:
    settings = shared_settings(shared_data)
    for where, credential in credential_tree(parsed, settings, label):
        finding = builtin_finding(credential)
        assert finding.outcome is SchemaOutcome.passed, f"{where}: {finding.message}"


# Schema files


@pytest.mark.parametrize("kind", BUILTIN_SCHEMAS)
def test_schema_is_valid_draft_2020_12(kind: str) -> None:
    file = BUILTIN_SCHEMAS[kind].file
    schema = builtin_schema(file)
    name = file.removesuffix(".json")

    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"https://skillbeacon.invalid/schemas/credentials/{name}"
    assert "not the official" in schema["description"]
    assert schema["title"]


@pytest.mark.parametrize("kind", BUILTIN_SCHEMAS)
def test_schema_refs_point_at_defs(kind: str) -> None:
    schema = builtin_schema(BUILTIN_SCHEMAS[kind].file)
    # json.dumps escapes quotes inside strings, so only real "$ref" keys match.
    refs = re.findall(r'"\$ref": "([^"]*)"', json.dumps(schema))
    local_prefix = "#/$defs/"
    assert refs
    assert [ref for ref in refs if not ref.startswith(local_prefix)] == []
    missing = {
        ref for ref in refs if ref.removeprefix(local_prefix) not in schema["$defs"]
    }
    assert missing == set()


@pytest.mark.parametrize("family", SCHEMA_FAMILIES, ids=lambda family: family[0])
def test_shared_defs_identical(family: tuple[str, ...]) -> None:
    reference = builtin_schema(BUILTIN_SCHEMAS[family[0]].file)["$defs"]
    for kind in family[1:]:
        definitions = builtin_schema(BUILTIN_SCHEMAS[kind].file)["$defs"]
        shared = set(reference) & set(definitions)
        assert shared, f"{kind} shares no $defs with {family[0]}"
        differing = sorted(key for key in shared if definitions[key] != reference[key])
        assert differing == [], f"{kind} $defs differ from {family[0]}"


def test_format_checker_checks_date_time() -> None:
    # Without rfc3339-validator, jsonschema skips "format": "date-time" silently.
    assert "date-time" in FormatChecker.checkers


# Shared fixture corpus


@pytest.mark.shared_data
def test_corpus_tables_cover_every_credential(shared_data: Path) -> None:
    folder = shared_data / "credentials"
    corpus = {
        path.relative_to(folder).as_posix()
        for pattern in CORPUS_GLOBS
        for path in folder.glob(pattern)
    }
    readable = set()
    for relative in corpus:
        try:
            load_fixture(shared_data, relative)
        except InputRejected:
            continue  # not a credential, malformed, or not readable offline
        readable.add(relative)
    listed = (
        set(VALID_FIXTURES)
        | set(UNSIGNED_SPEC_EXAMPLES)
        | set(STRUCTURALLY_VALID_FIXTURES)
        | set(SCHEMA_ERROR_FIXTURES)
        | set(SCHEMA_FILE_ERROR_FIXTURES)
        | set(SCHEMA_FILE_VALID_FIXTURES)
        | set(UNTYPED_FIXTURES)
    )

    assert sorted(listed - corpus) == [], "table entries outside the corpus"
    assert sorted(readable - listed) == [], "credentials missing from the tables"
    rejected = listed - readable - set(SCHEMA_FILE_ERROR_FIXTURES)
    assert sorted(rejected) == [], "table entries that the loader rejects"


@pytest.mark.shared_data
@pytest.mark.parametrize(
    "relative",
    [*VALID_FIXTURES, *UNSIGNED_SPEC_EXAMPLES, *sorted(STRUCTURALLY_VALID_FIXTURES)],
)
def test_fixture_passes(shared_data: Path, relative: str) -> None:
    parsed = load_fixture(shared_data, relative)

    assert_tree_passes(parsed, shared_data, relative)


@pytest.mark.shared_data
@pytest.mark.parametrize("relative", UNSIGNED_SPEC_EXAMPLES)
def test_unsigned_spec_example_has_no_proof(shared_data: Path, relative: str) -> None:
    assert "proof" not in load_fixture(shared_data, relative).raw


@pytest.mark.shared_data
@pytest.mark.parametrize("relative", sorted(SCHEMA_ERROR_FIXTURES))
def test_schema_error_fixture_fails(shared_data: Path, relative: str) -> None:
    kind, expected = SCHEMA_ERROR_FIXTURES[relative]
    parsed = load_fixture(shared_data, relative)

    finding = builtin_finding(parsed)

    assert builtin_schema_kind(parsed) == kind
    assert finding.outcome is SchemaOutcome.failed
    for description in expected:
        assert description in finding.message


@pytest.mark.shared_data
@pytest.mark.parametrize(
    "relative", sorted(SCHEMA_FILE_ERROR_FIXTURES | SCHEMA_FILE_VALID_FIXTURES)
)
def test_schema_file_fixture_not_checked_by_product(
    shared_data: Path, relative: str
) -> None:
    try:
        parsed = load_fixture(shared_data, relative)
    except InputRejected:
        return
    assert builtin_schema_kind(parsed) is None


@pytest.mark.shared_data
@pytest.mark.parametrize("relative", sorted(SCHEMA_FILE_ERROR_FIXTURES))
def test_schema_file_fixture_fails(shared_data: Path, relative: str) -> None:
    kind, expected = SCHEMA_FILE_ERROR_FIXTURES[relative]

    errors = schema_errors(read_stored_json(shared_data, relative), kind)

    for path, text in expected.items():
        assert_error_at(errors, path, text)


@pytest.mark.shared_data
@pytest.mark.parametrize("relative", sorted(SCHEMA_FILE_VALID_FIXTURES))
def test_schema_file_fixture_passes(shared_data: Path, relative: str) -> None:
    kind = SCHEMA_FILE_VALID_FIXTURES[relative]

    errors = schema_errors(read_stored_json(shared_data, relative), kind)

    assert [describe(error) for error in errors] == []


@pytest.mark.shared_data
@pytest.mark.parametrize("relative", UNTYPED_FIXTURES)
def test_untyped_fixture_selects_no_schema(shared_data: Path, relative: str) -> None:
    parsed = load_fixture(shared_data, relative)

    assert type_names(parsed.raw) == ["VerifiableCredential"]
    assert builtin_schema_kind(parsed) is None


# Small hand-made documents

CLR_CONTEXT = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"
DELETE = object()


def unsigned_jws(payload: dict[str, Any]) -> str:
    """Return payload as a compact JWS with a placeholder signature.

    Parsing does not check signatures, and the schemas check only the form.
    """
    header = b64url(json.dumps({"alg": "EdDSA", "typ": "JWT"}).encode())
    return f"{header}.{b64url(json.dumps(payload).encode())}.c2ln"


OB3_CREDENTIAL: dict[str, Any] = {
    "@context": [VC_V2_CONTEXT, OB3_CONTEXT],
    "id": "https://badges.example/credentials/41",
    "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "name": "SQL Basics",
    "issuer": issuer_profile("https://badges.example/issuer", "Example Training Co"),
    "validFrom": "2024-05-01T12:00:00Z",
    "credentialSubject": achievement_subject(
        "did:example:learner-7",
        identifier=[
            {
                "type": "IdentityObject",
                "identityHash": "sha256$00ab",
                "identityType": "emailAddress",
                "hashed": True,
            }
        ],
        achievement=achievement(
            "https://badges.example/achievements/sql-basics",
            "SQL Basics",
            alignment=[
                {
                    "type": ["Alignment"],
                    "targetName": "SQL",
                    "targetUrl": "https://skills.example/sql",
                }
            ],
        ),
    ),
    "evidence": [{"type": ["Evidence"], "id": "https://badges.example/work/41"}],
    "credentialStatus": {
        "id": "https://badges.example/status/1#41",
        "type": "BitstringStatusListEntry",
    },
    "proof": {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "verificationMethod": "https://badges.example/issuer#key-1",
        "proofValue": "z3FXQ",
    },
}

OB3_ENDORSEMENT: dict[str, Any] = {
    "@context": [VC_V2_CONTEXT, OB3_CONTEXT],
    "id": "https://guild.example/endorsements/9",
    "type": ["VerifiableCredential", "EndorsementCredential"],
    "name": "Guild endorsement",
    "issuer": {"id": "https://guild.example", "type": ["Profile"]},
    "validFrom": "2024-06-01T00:00:00Z",
    "credentialSubject": {
        "id": "https://badges.example/achievements/sql-basics",
        "type": ["EndorsementSubject"],
        "endorsementComment": "Matches our junior analyst bar.",
    },
}

CLR_CREDENTIAL: dict[str, Any] = {
    "@context": [VC_V2_CONTEXT, CLR_CONTEXT],
    "id": "https://college.example/clr/7",
    "type": ["VerifiableCredential", "ClrCredential"],
    "name": "Transcript",
    "issuer": {"id": "https://college.example", "type": ["Profile"]},
    "validFrom": "2024-07-01T00:00:00Z",
    "credentialSubject": {
        "type": ["ClrSubject"],
        "verifiableCredential": [
            copy.deepcopy(OB3_CREDENTIAL),
            unsigned_jws(OB3_CREDENTIAL),
        ],
    },
}

OB2_ASSERTION: dict[str, Any] = {
    "@context": "https://w3id.org/openbadges/v2",
    "id": "https://badges.example/assertions/12",
    "type": "Assertion",
    "recipient": {
        "type": "email",
        "hashed": True,
        "salt": "pepper",
        "identity": "sha256$00ab",
    },
    "badge": {
        "id": "https://badges.example/badgeclasses/sql",
        "type": "BadgeClass",
        "name": "SQL Basics",
        "description": "Writes SELECT queries with joins and grouping.",
        "image": "https://badges.example/badgeclasses/sql.png",
        "criteria": {"narrative": "Pass the graded SQL exercise set."},
        "issuer": "https://badges.example/issuer",
        "alignment": [{"targetName": "SQL", "targetUrl": "https://skills.example/sql"}],
    },
    "verification": {"type": "hosted"},
    "issuedOn": "2018-03-05T09:30:00+00:00",
}

OB2_ENDORSEMENT: dict[str, Any] = {
    "@context": "https://w3id.org/openbadges/v2",
    "id": "https://guild.example/endorsements/3",
    "type": "Endorsement",
    "claim": {
        "id": "https://badges.example/badgeclasses/sql",
        "endorsementComment": "Solid.",
    },
    "issuer": "https://guild.example/issuer",
    "issuedOn": "2018-04-01T00:00Z",
    "verification": {"type": "HostedBadge"},
}

# One document for each built-in schema, by BUILTIN_SCHEMAS key.
BASE_DOCUMENTS = {
    "ob3": OB3_CREDENTIAL,
    "ob3-endorsement": OB3_ENDORSEMENT,
    "clr2": CLR_CREDENTIAL,
    "ob2": OB2_ASSERTION,
    "ob2-endorsement": OB2_ENDORSEMENT,
}


def changed(base: dict[str, Any], changes: dict[str, object]) -> dict[str, Any]:
    """Return a deep copy of base with each change applied.

    A change maps a dotted path of keys and list indexes, such as
    "credentialSubject.identifier.0.hashed", to the new value. DELETE removes
    the property instead.
    """
    document = copy.deepcopy(base)
    for path, value in changes.items():
        steps: list[Any] = [
            int(step) if step.isdigit() else step for step in path.split(".")
        ]
        parent: Any = document
        for step in steps[:-1]:
            parent = parent[step]
        if value is DELETE:
            del parent[steps[-1]]
        else:
            parent[steps[-1]] = value
    return document


@pytest.mark.parametrize("kind", BASE_DOCUMENTS)
def test_base_document_passes(kind: str, offline_settings: Settings) -> None:
    parsed = parse_document(BASE_DOCUMENTS[kind], offline_settings)

    finding = builtin_finding(parsed)

    assert builtin_schema_kind(parsed) == kind
    assert finding.outcome is SchemaOutcome.passed, finding.message


# fmt: off
# Changes to a base document that its schema must accept: the BUILTIN_SCHEMAS
# key, then the changes (see changed).
ACCEPTED_CASES: dict[str, tuple[str, dict[str, object]]] = {
    "ob3 issuer as a DID string": ("ob3", {"issuer": "did:key:z6MkExample"}),
    "ob3 with issuanceDate instead of validFrom": ("ob3", {"validFrom": DELETE, "issuanceDate": "2024-05-01T12:00:00Z"}),
    "ob3 credential without a name": ("ob3", {"name": DELETE}),
    "ob3 subject without an id": ("ob3", {"credentialSubject.id": DELETE}),
    "ob3 subject type as a string": ("ob3", {"credentialSubject.type": "AchievementSubject"}),
    "ob3 achievement type as a string": ("ob3", {"credentialSubject.achievement.type": "Achievement"}),
    "ob3 criteria with only an id": ("ob3", {"credentialSubject.achievement.criteria": {"id": "https://badges.example/criteria"}}),
    "ob3 one alignment without type, not in a list": ("ob3", {"credentialSubject.achievement.alignment": {"targetName": "SQL", "targetUrl": "https://skills.example/sql"}}),
    "ob3 evidence without type": ("ob3", {"evidence": {"id": "https://badges.example/work/41"}}),
    "ob3 validUntil with fraction and offset": ("ob3", {"validUntil": "2030-01-01T00:00:00.5+02:00"}),
    "ob3 two proofs": ("ob3", {"proof": [OB3_CREDENTIAL["proof"], {"type": "Ed25519Signature2020"}]}),
    "ob3 extension property": ("ob3", {"x-vendor-extension": {"any": ["thing"]}}),
    "clr only compact JWT credentials": ("clr2", {"credentialSubject.verifiableCredential": ["eyJhbGciOiJSUzI1NiJ9.e30.c2ln"]}),
    "ob2 with verify instead of verification": ("ob2", {"verification": DELETE, "verify": {"type": "hosted", "url": "https://badges.example/assertions/12"}}),
    "ob2 badge as an IRI": ("ob2", {"badge": "https://badges.example/badgeclasses/sql"}),
    "ob2 badge without an image": ("ob2", {"badge.image": DELETE}),
    "ob2 criteria without id or narrative": ("ob2", {"badge.criteria": {}}),
    "ob2 verification type as a list": ("ob2", {"verification.type": ["HostedBadge"]}),
    "ob2 issuedOn without seconds": ("ob2", {"issuedOn": "2018-03-05T09:30Z"}),
    "ob2 recipient without hashed": ("ob2", {"recipient.hashed": DELETE}),
    "ob2 endorsement issuer object": ("ob2-endorsement", {"issuer": {"id": "https://guild.example/issuer", "type": "Issuer", "name": "Guild"}}),
}

# Changes that the schema must reject: the BUILTIN_SCHEMAS key, the changes,
# then the JSON path that an error must name and text that its description
# must contain.
REJECTED_CASES: dict[str, tuple[str, dict[str, object], str, str]] = {
    "achievement without name": ("ob3", {"credentialSubject.achievement.name": DELETE}, "$.credentialSubject.achievement", "'name' is a required property"),
    "achievement without description": ("ob3", {"credentialSubject.achievement.description": DELETE}, "$.credentialSubject.achievement", "'description' is a required property"),
    "achievement without id": ("ob3", {"credentialSubject.achievement.id": DELETE}, "$.credentialSubject.achievement", "'id' is a required property"),
    "achievement with wrong type": ("ob3", {"credentialSubject.achievement.type": ["Badge"]}, "$.credentialSubject.achievement.type", "Achievement type includes Achievement"),
    "criteria without id or narrative": ("ob3", {"credentialSubject.achievement.criteria": {}}, "$.credentialSubject.achievement.criteria", "Criteria (object with an id or a narrative)"),
    "criteria as a string": ("ob3", {"credentialSubject.achievement.criteria": "https://badges.example/criteria"}, "$.credentialSubject.achievement.criteria", "is not of type 'object'"),
    "alignment without targetUrl": ("ob3", {"credentialSubject.achievement.alignment.0.targetUrl": DELETE}, "$.credentialSubject.achievement.alignment[0]", "'targetUrl' is a required property"),
    "alignment without targetName": ("ob3", {"credentialSubject.achievement.alignment.0.targetName": DELETE}, "$.credentialSubject.achievement.alignment[0]", "'targetName' is a required property"),
    "subject without achievement": ("ob3", {"credentialSubject.achievement": DELETE}, "$.credentialSubject", "'achievement' is a required property"),
    "subject with wrong type": ("ob3", {"credentialSubject.type": ["Person"]}, "$.credentialSubject.type", "credentialSubject type includes AchievementSubject"),
    "empty subject list": ("ob3", {"credentialSubject": []}, "$.credentialSubject", "should be non-empty"),
    "subject list item without achievement": ("ob3", {"credentialSubject": [{"type": ["AchievementSubject"]}]}, "$.credentialSubject[0]", "'achievement' is a required property"),
    "identifier hashed as text": ("ob3", {"credentialSubject.identifier.0.hashed": "true"}, "$.credentialSubject.identifier[0].hashed", "is not of type 'boolean'"),
    "identifier without identityHash": ("ob3", {"credentialSubject.identifier.0.identityHash": DELETE}, "$.credentialSubject.identifier[0]", "'identityHash' is a required property"),
    "type without VerifiableCredential": ("ob3", {"type": ["OpenBadgeCredential"]}, "$.type", "credential type includes VerifiableCredential"),
    "type without an Open Badges type": ("ob3", {"type": ["VerifiableCredential"]}, "$.type", "credential type includes OpenBadgeCredential or AchievementCredential"),
    "type as a string": ("ob3", {"type": "OpenBadgeCredential"}, "$.type", "is not of type 'array'"),
    "context without the W3C base first": ("ob3", {"@context": ["https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]}, "$['@context'][0]", "first @context entry is the W3C Verifiable Credentials base context"),
    "context as a string": ("ob3", {"@context": "https://www.w3.org/ns/credentials/v2"}, "$['@context']", "is not of type 'array'"),
    "credential without id": ("ob3", {"id": DELETE}, "$", "'id' is a required property"),
    "credential id without a scheme": ("ob3", {"id": "credentials/41"}, "$.id", "URI with a scheme"),
    "credential without validFrom or issuanceDate": ("ob3", {"validFrom": DELETE}, "$", "credential has validFrom (VCDM 2.0) or issuanceDate (VCDM 1.1)"),
    "validFrom without a time": ("ob3", {"validFrom": "2024-05-01"}, "$.validFrom", "is not a 'date-time'"),
    "validFrom without a time zone": ("ob3", {"validFrom": "2024-05-01T12:00:00"}, "$.validFrom", "is not a 'date-time'"),
    "validFrom in prose": ("ob3", {"validFrom": "May 1, 2024"}, "$.validFrom", "is not a 'date-time'"),
    "validFrom as a NumericDate": ("ob3", {"validFrom": 1714564800}, "$.validFrom", "is not of type 'string'"),
    "validUntil with month 13": ("ob3", {"validUntil": "2024-13-01T00:00:00Z"}, "$.validUntil", "is not a 'date-time'"),
    "credential without issuer": ("ob3", {"issuer": DELETE}, "$", "'issuer' is a required property"),
    "issuer without type": ("ob3", {"issuer.type": DELETE}, "$.issuer", "'type' is a required property"),
    "issuer with wrong type": ("ob3", {"issuer.type": ["Organization"]}, "$.issuer.type", "Profile type includes Profile"),
    "issuer without id": ("ob3", {"issuer.id": DELETE}, "$.issuer", "'id' is a required property"),
    "issuer as a number": ("ob3", {"issuer": 42}, "$.issuer", "is not of type 'string'"),
    "name as a list": ("ob3", {"name": ["SQL"]}, "$.name", "is not of type 'string'"),
    "description as an object": ("ob3", {"description": {"en": "SQL"}}, "$.description", "is not of type 'string'"),
    "image without id": ("ob3", {"image": {"caption": "Badge"}}, "$.image", "'id' is a required property"),
    "evidence with wrong type": ("ob3", {"evidence.0.type": ["Document"]}, "$.evidence[0].type", "Evidence type includes Evidence"),
    "evidence item as a string": ("ob3", {"evidence": ["https://badges.example/work/41"]}, "$.evidence[0]", "is not of type 'object'"),
    "credentialStatus without type": ("ob3", {"credentialStatus.type": DELETE}, "$.credentialStatus", "'type' is a required property"),
    "credentialStatus item as a string": ("ob3", {"credentialStatus": ["https://badges.example/status/1"]}, "$.credentialStatus[0]", "is not of type 'object'"),
    "credentialSchema without id": ("ob3", {"credentialSchema": [{"type": "1EdTechJsonSchemaValidator2019"}]}, "$.credentialSchema[0]", "'id' is a required property"),
    "endorsement as a string": ("ob3", {"endorsement": "https://guild.example/endorsements/9"}, "$.endorsement", "is not of type 'object', 'array'"),
    "endorsementJwt not a JWS": ("ob3", {"endorsementJwt": ["not a jws"]}, "$.endorsementJwt[0]", "compact JWS"),
    "proof without type": ("ob3", {"proof.type": DELETE}, "$.proof", "'type' is a required property"),
    "proof as a string": ("ob3", {"proof": "z3FXQ"}, "$.proof", "is not of type 'object'"),
    "proof verificationMethod without a scheme": ("ob3", {"proof.verificationMethod": "z6MkExample"}, "$.proof.verificationMethod", "URI with a scheme"),
    "endorsement type without EndorsementCredential": ("ob3-endorsement", {"type": ["VerifiableCredential", "OpenBadgeCredential"]}, "$.type", "credential type includes EndorsementCredential"),
    "endorsement subject without id": ("ob3-endorsement", {"credentialSubject.id": DELETE}, "$.credentialSubject", "'id' is a required property"),
    "endorsement subject with wrong type": ("ob3-endorsement", {"credentialSubject.type": ["AchievementSubject"]}, "$.credentialSubject.type", "credentialSubject type includes EndorsementSubject"),
    "endorsement with a bad date": ("ob3-endorsement", {"validFrom": "yesterday"}, "$.validFrom", "is not a 'date-time'"),
    "clr type without ClrCredential": ("clr2", {"type": ["VerifiableCredential", "OpenBadgeCredential"]}, "$.type", "credential type includes ClrCredential"),
    "clr subject with wrong type": ("clr2", {"credentialSubject.type": ["AchievementSubject"]}, "$.credentialSubject.type", "credentialSubject type includes ClrSubject"),
    "clr without credentials": ("clr2", {"credentialSubject.verifiableCredential": DELETE}, "$.credentialSubject", "'verifiableCredential' is a required property"),
    "clr with an empty credential list": ("clr2", {"credentialSubject.verifiableCredential": []}, "$.credentialSubject.verifiableCredential", "should be non-empty"),
    "clr credential as a URL": ("clr2", {"credentialSubject.verifiableCredential.1": "https://badges.example/credentials/41"}, "$.credentialSubject.verifiableCredential[1]", "compact JWS"),
    "clr credential without VerifiableCredential type": ("clr2", {"credentialSubject.verifiableCredential.0.type": ["OpenBadgeCredential"]}, "$.credentialSubject.verifiableCredential[0].type", "embedded credential type includes VerifiableCredential"),
    "clr partial as text": ("clr2", {"partial": "no"}, "$.partial", "is not of type 'boolean'"),
    "ob2 without recipient": ("ob2", {"recipient": DELETE}, "$", "'recipient' is a required property"),
    "ob2 recipient as a string": ("ob2", {"recipient": "kim@example.org"}, "$.recipient", "is not of type 'object'"),
    "ob2 recipient without identity": ("ob2", {"recipient.identity": DELETE}, "$.recipient", "'identity' is a required property"),
    "ob2 wrong type": ("ob2", {"type": "BadgeInstance"}, "$.type", "Assertion type includes Assertion"),
    "ob2 badge without name": ("ob2", {"badge.name": DELETE}, "$.badge", "'name' is a required property"),
    "ob2 embedded issuer without id": ("ob2", {"badge.issuer": {"name": "Example Training Co"}}, "$.badge.issuer", "'id' is a required property"),
    "ob2 alignment without targetUrl": ("ob2", {"badge.alignment.0.targetUrl": DELETE}, "$.badge.alignment[0]", "'targetUrl' is a required property"),
    "ob2 without verification": ("ob2", {"verification": DELETE}, "$", "assertion has verification (or its alias verify)"),
    "ob2 unknown verification type": ("ob2", {"verification.type": "blockchain"}, "$.verification.type", "verification type is hosted or signed"),
    "ob2 issuedOn without a time": ("ob2", {"issuedOn": "2016-12-31"}, "$.issuedOn", "ISO 8601 timestamp with a time and a time zone"),
    "ob2 issuedOn without a time zone": ("ob2", {"issuedOn": "2016-12-31T23:59:59"}, "$.issuedOn", "ISO 8601 timestamp with a time and a time zone"),
    "ob2 issuedOn as a Unix timestamp": ("ob2", {"issuedOn": 1483228799}, "$.issuedOn", "is not of type 'string'"),
    "ob2 expires in prose": ("ob2", {"expires": "never"}, "$.expires", "ISO 8601 timestamp"),
    "ob2 endorsement without claim": ("ob2-endorsement", {"claim": DELETE}, "$", "'claim' is a required property"),
    "ob2 endorsement claim without id": ("ob2-endorsement", {"claim.id": DELETE}, "$.claim", "'id' is a required property"),
    "ob2 endorsement with wrong type": ("ob2-endorsement", {"type": "Assertion"}, "$.type", "Endorsement type includes Endorsement"),
    "ob2 endorsement issuedOn without a time": ("ob2-endorsement", {"issuedOn": "2018-04-01"}, "$.issuedOn", "ISO 8601 timestamp"),
}
# fmt: on


@pytest.mark.parametrize(
    ("kind", "changes"), list(ACCEPTED_CASES.values()), ids=list(ACCEPTED_CASES)
)
def test_accepted_variant_passes(kind: str, changes: dict[str, object]) -> None:
    document = changed(BASE_DOCUMENTS[kind], changes)

    assert [describe(error) for error in schema_errors(document, kind)] == []


def test_ob2_revoked_stub_passes() -> None:
    document = {"id": "https://badges.example/assertions/12", "revoked": True}

    assert schema_errors(document, "ob2") == []


@pytest.mark.parametrize(
    ("kind", "changes", "error_path", "error_text"),
    list(REJECTED_CASES.values()),
    ids=list(REJECTED_CASES),
)
def test_rejected_document_names_field(
    kind: str, changes: dict[str, object], error_path: str, error_text: str
) -> None:
    document = changed(BASE_DOCUMENTS[kind], changes)

    errors = schema_errors(document, kind)

    assert errors, "the changed document passes"
    assert_error_at(errors, error_path, error_text)
