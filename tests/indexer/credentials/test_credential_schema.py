"""Schema checks: the built-in schema per credential kind, declared schemas
from the local store, and OB 2.0 extension schemas."""

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from indexer.credentials.contexts import ContextStore, StoredContext
from indexer.credentials.credential_schema import (
    SchemaOutcome,
    builtin_schema_kind,
    check_credential_schemas,
)
from indexer.credentials.parse import parse_credential_json
from indexer.credentials.verify import verify_credential
from skillbeacon.models.credential import CheckOutcome, VerificationStatus
from skillbeacon.settings import Settings

SCHEMA_URL = "https://schemas.example/badge-schema.json"
EXTENSION_CONTEXT = "https://extensions.example/shoe-size/context.json"
EXTENSION_SCHEMA = "https://extensions.example/shoe-size/schema.json"
OB2_CONTEXT = "https://w3id.org/openbadges/v2"

OB3: dict[str, Any] = {
    "@context": [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ],
    "id": "urn:uuid:0b1e8f5c-2f8e-4d1e-9d6a-1f2d3c4b5a69",
    "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "name": "Welding",
    "issuer": {
        "id": "did:key:z6MkIssuer",
        "type": ["Profile"],
        "name": "Example School",
    },
    "validFrom": "2025-01-01T00:00:00Z",
    "credentialSubject": {
        "id": "did:example:learner",
        "type": ["AchievementSubject"],
        "achievement": {
            "id": "https://school.example/achievements/welding",
            "type": ["Achievement"],
            "name": "Welding",
            "description": "Welds a butt joint.",
            "criteria": {"narrative": "Pass the practical."},
        },
    },
}

OB2: dict[str, Any] = {
    "@context": OB2_CONTEXT,
    "type": "Assertion",
    "id": "https://school.example/assertions/1",
    "recipient": {"type": "email", "hashed": False, "identity": "kim@example.org"},
    "badge": {
        "id": "https://school.example/badges/welding",
        "type": "BadgeClass",
        "name": "Welding",
        "description": "Welds a butt joint.",
        "image": "https://school.example/badges/welding.png",
        "criteria": {"narrative": "Pass the practical."},
        "issuer": {
            "id": "https://school.example/issuer",
            "type": "Profile",
            "name": "Example School",
            "url": "https://school.example",
            "email": "badges@school.example",
        },
    },
    "issuedOn": "2024-05-01T00:00:00Z",
    "verification": {"type": "hosted"},
}

BADGE_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2019-09/schema",
    "type": "object",
    "required": ["awardedHours"],
    "properties": {"awardedHours": {"type": "integer"}},
}

SHOE_SIZE_CONTEXT = {
    "@context": {
        "obi": "https://w3id.org/openbadges#",
        "extensions": "https://extensions.example/#",
        "shoeSize": "https://extensions.example/#shoeSize",
    },
    "obi:validation": [
        {
            "obi:validatesType": "extensions:ShoeSize",
            "obi:validationSchema": EXTENSION_SCHEMA,
        }
    ],
}

SHOE_SIZE_SCHEMA = {
    "$schema": "http://json-schema.org/draft-04/schema#",
    "type": "object",
    "required": ["shoeSize"],
    "properties": {"shoeSize": {"type": "number"}},
}


def stored(url: str, document: dict[str, Any]) -> StoredContext:
    data = json.dumps(document).encode()
    return StoredContext(
        url=url,
        path=Path("/nonexistent"),
        sha256=hashlib.sha256(data).hexdigest(),
        document=document,
    )


def store_of(documents: dict[str, dict[str, Any]]) -> ContextStore:
    return ContextStore(
        contexts={url: stored(url, document) for url, document in documents.items()}
    )


@pytest.fixture
def ob2_store(shared_data: Path) -> ContextStore:
    """A store with the OB 2.0 context from the shared data and a test extension."""
    ob2_context = json.loads(
        (shared_data / "credentials/contexts/openbadges-v2.json").read_text()
    )
    return store_of(
        {
            OB2_CONTEXT: ob2_context,
            EXTENSION_CONTEXT: SHOE_SIZE_CONTEXT,
            EXTENSION_SCHEMA: SHOE_SIZE_SCHEMA,
        }
    )


def outcomes(findings) -> list[tuple[SchemaOutcome, str]]:
    return [(finding.outcome, finding.message) for finding in findings]


def test_builtin_schema_picked_by_kind(offline_settings: Settings):
    clr = {
        **OB3,
        "type": ["VerifiableCredential", "ClrCredential"],
        "credentialSubject": {"id": "did:example:learner", "verifiableCredential": []},
    }
    plain = {**OB3, "type": ["VerifiableCredential"]}
    plain["credentialSubject"] = {"id": "did:example:learner"}
    legacy = {**OB2, "@context": "https://w3id.org/openbadges/v1"}

    kinds = [
        builtin_schema_kind(parse_credential_json(document, offline_settings))
        for document in (OB3, clr, OB2, plain, legacy)
    ]

    assert kinds == ["ob3", "clr2", "ob2", None, None]


def test_valid_ob3_passes_builtin_schema(offline_settings: Settings):
    parsed = parse_credential_json(OB3, offline_settings)

    findings = check_credential_schemas(parsed, ContextStore())

    assert [finding.outcome for finding in findings] == [SchemaOutcome.passed]


def test_missing_achievement_name_names_the_field(offline_settings: Settings):
    document = json.loads(json.dumps(OB3))
    del document["credentialSubject"]["achievement"]["description"]
    parsed = parse_credential_json(document, offline_settings)

    [finding] = check_credential_schemas(parsed, ContextStore())

    assert finding.outcome is SchemaOutcome.failed
    assert "$.credentialSubject.achievement lacks required description" in (
        finding.message
    )


def test_schema_messages_quote_no_values(offline_settings: Settings):
    document = {
        **OB2,
        "recipient": {"type": "email", "hashed": "kim@example.org", "identity": 7},
    }
    parsed = parse_credential_json(document, offline_settings)

    [finding] = check_credential_schemas(parsed, ContextStore())

    assert finding.outcome is SchemaOutcome.failed
    assert "$.recipient" in finding.message
    assert "kim@example.org" not in finding.message


def test_declared_schema_in_store_is_checked(offline_settings: Settings):
    declared = {"id": SCHEMA_URL, "type": "1EdTechJsonSchemaValidator2019"}
    store = store_of({SCHEMA_URL: BADGE_SCHEMA})
    passing = {**OB3, "credentialSchema": [declared], "awardedHours": 12}
    failing = {**OB3, "credentialSchema": declared, "awardedHours": "twelve"}

    passed = check_credential_schemas(
        parse_credential_json(passing, offline_settings), store
    )
    failed = check_credential_schemas(
        parse_credential_json(failing, offline_settings), store
    )

    assert outcomes(passed)[1] == (
        SchemaOutcome.passed,
        f"matches credentialSchema {SCHEMA_URL}",
    )
    assert outcomes(failed)[1] == (
        SchemaOutcome.failed,
        f"does not match credentialSchema {SCHEMA_URL}: "
        "$.awardedHours is not of type integer",
    )


def test_declared_schema_missing_from_store_is_skipped(offline_settings: Settings):
    document = {
        **OB3,
        "credentialSchema": {
            "id": SCHEMA_URL,
            "type": "1EdTechJsonSchemaValidator2019",
        },
    }
    parsed = parse_credential_json(document, offline_settings)

    findings = check_credential_schemas(parsed, ContextStore())

    assert findings[1].outcome is SchemaOutcome.absent
    assert findings[1].message == (
        f"credentialSchema {SCHEMA_URL} was not checked: it is not in the local "
        "schema store"
    )


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (
            {"id": SCHEMA_URL, "type": "JsonSchemaCredential"},
            "has type JsonSchemaCredential, which this verifier does not check",
        ),
        ({"type": "1EdTechJsonSchemaValidator2019"}, "has no id"),
    ],
)
def test_declared_schema_entry_problems(
    offline_settings: Settings, entry: dict[str, Any], expected: str
):
    parsed = parse_credential_json(
        {**OB3, "credentialSchema": [entry]}, offline_settings
    )

    findings = check_credential_schemas(parsed, store_of({SCHEMA_URL: BADGE_SCHEMA}))

    assert expected in findings[1].message


def test_declared_schema_with_unknown_reference_is_a_warning(
    offline_settings: Settings,
):
    schema = {"$ref": "https://schemas.example/elsewhere.json"}
    document = {
        **OB3,
        "credentialSchema": {"id": SCHEMA_URL, "type": "JsonSchemaValidator2018"},
    }
    parsed = parse_credential_json(document, offline_settings)

    findings = check_credential_schemas(parsed, store_of({SCHEMA_URL: schema}))

    assert findings[1].outcome is SchemaOutcome.unchecked
    assert findings[1].message == (
        f"credentialSchema {SCHEMA_URL} refers to "
        "https://schemas.example/elsewhere.json, which is not in the local store"
    )


def test_declared_schema_that_refers_to_itself_warns(offline_settings: Settings):
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$ref": "#"}
    document = {
        **OB3,
        "credentialSchema": {"id": SCHEMA_URL, "type": "JsonSchema"},
    }
    parsed = parse_credential_json(document, offline_settings)

    findings = check_credential_schemas(parsed, store_of({SCHEMA_URL: schema}))

    assert findings[1].outcome is SchemaOutcome.unchecked
    assert "nests too deeply to apply" in findings[1].message


def test_declared_schema_compiled_once_per_store(offline_settings: Settings):
    store = store_of({SCHEMA_URL: BADGE_SCHEMA})
    document = {
        **OB3,
        "credentialSchema": {"id": SCHEMA_URL, "type": "JsonSchema"},
        "awardedHours": 3,
    }
    parsed = parse_credential_json(document, offline_settings)

    check_credential_schemas(parsed, store)
    [validator] = store.compiled.values()
    check_credential_schemas(parsed, store)

    assert list(store.compiled.values()) == [validator]


def test_invalid_declared_schema_warns(
    offline_settings: Settings,
):
    document = {
        **OB3,
        "credentialSchema": {"id": SCHEMA_URL, "type": "JsonSchema"},
    }
    parsed = parse_credential_json(document, offline_settings)

    findings = check_credential_schemas(
        parsed, store_of({SCHEMA_URL: {"type": "no-such-type"}})
    )

    assert findings[1].outcome is SchemaOutcome.unchecked
    assert "is not a valid JSON Schema" in findings[1].message


@pytest.mark.shared_data
@pytest.mark.parametrize(
    ("extension", "outcome"),
    [
        ({"shoeSize": 42}, SchemaOutcome.passed),
        # Written with the full IRI, the property is the same term.
        ({"https://extensions.example/#shoeSize": 42}, SchemaOutcome.passed),
        ({"shoeSize": "large"}, SchemaOutcome.failed),
        ({}, SchemaOutcome.failed),
    ],
)
def test_ob2_extension_checked_against_its_schema(
    offline_settings: Settings,
    ob2_store: ContextStore,
    extension: dict[str, Any],
    outcome: SchemaOutcome,
):
    node = {
        "@context": EXTENSION_CONTEXT,
        "type": ["Extension", "extensions:ShoeSize"],
        **extension,
    }
    parsed = parse_credential_json(
        {**OB2, "extensions:shoeSize": node}, offline_settings
    )

    findings = check_credential_schemas(parsed, ob2_store)

    assert findings[-1].outcome is outcome, findings[-1].message
    assert EXTENSION_SCHEMA in findings[-1].message


@pytest.mark.shared_data
def test_ob2_extension_of_another_type_is_not_checked(
    offline_settings: Settings, ob2_store: ContextStore
):
    node = {"@context": EXTENSION_CONTEXT, "type": ["Extension", "extensions:Other"]}
    parsed = parse_credential_json({**OB2, "extensions:other": node}, offline_settings)

    findings = check_credential_schemas(parsed, ob2_store)

    assert outcomes(findings) == [
        (
            SchemaOutcome.passed,
            "structure matches the Open Badges 2.0 Assertion data model",
        )
    ]


def test_schema_failure_makes_credential_invalid(offline_settings: Settings):
    document = json.loads(json.dumps(OB3))
    document["credentialSubject"]["achievement"]["criteria"] = "Pass the practical."
    parsed = parse_credential_json(document, offline_settings)

    result = verify_credential(parsed, [], offline_settings, match_learner=False)

    assert result.status is VerificationStatus.invalid
    [schema] = [check for check in result.checks if check.name == "schema"]
    assert "$.credentialSubject.achievement.criteria" in schema.message


@pytest.mark.shared_data
@pytest.mark.parametrize(
    "types",
    [
        ["Extension", "https://extensions.example/#ShoeSize"],
        ["obi:Extension", "extensions:ShoeSize"],
        ["https://w3id.org/openbadges#Extension", "extensions:ShoeSize"],
    ],
)
def test_ob2_extension_type_spellings_all_checked(
    offline_settings: Settings, ob2_store: ContextStore, types: list[str]
):
    node = {"@context": EXTENSION_CONTEXT, "type": types, "shoeSize": "large"}
    parsed = parse_credential_json(
        {**OB2, "extensions:shoeSize": node}, offline_settings
    )

    findings = check_credential_schemas(parsed, ob2_store)

    assert findings[-1].outcome is SchemaOutcome.failed, findings[-1].message


def test_ob2_extension_with_unknown_context_is_skipped(offline_settings: Settings):
    node = {
        "@context": "https://unknown.example/context.json",
        "type": ["Extension", "extensions:Unknown"],
    }
    parsed = parse_credential_json(
        {**OB2, "extensions:unknown": node}, offline_settings
    )

    findings = check_credential_schemas(parsed, ContextStore())

    assert outcomes(findings)[-1] == (
        SchemaOutcome.absent,
        "extension context https://unknown.example/context.json is not in the "
        "local store, so the extension was not checked against its schema",
    )


@pytest.mark.shared_data
def test_ob2_extension_context_named_by_the_assertion_applies(
    offline_settings: Settings, ob2_store: ContextStore
):
    node = {"type": ["ob:Extension", "extensions:ShoeSize"], "shoeSize": "large"}
    document = {
        **OB2,
        "@context": [
            OB2_CONTEXT,
            EXTENSION_CONTEXT,
            {"ob": "https://w3id.org/openbadges#"},
        ],
        "extensions:shoeSize": node,
    }
    parsed = parse_credential_json(document, offline_settings)

    findings = check_credential_schemas(parsed, ob2_store)

    assert findings[-1].outcome is SchemaOutcome.failed, findings[-1].message


def test_skipped_declared_schema_is_not_reported_by_verification(
    offline_settings: Settings,
):
    document = {
        **OB3,
        "credentialSchema": {
            "id": SCHEMA_URL,
            "type": "1EdTechJsonSchemaValidator2019",
        },
    }
    parsed = parse_credential_json(document, offline_settings)

    result = verify_credential(parsed, [], offline_settings, match_learner=False)

    schema_checks = [check for check in result.checks if check.name == "schema"]
    assert [check.outcome for check in schema_checks] == [CheckOutcome.passed]


def test_builtin_result_is_kept_by_content(offline_settings: Settings):
    broken = json.loads(json.dumps(OB3))
    del broken["credentialSubject"]["achievement"]["criteria"]

    first = check_credential_schemas(
        parse_credential_json(OB3, offline_settings), ContextStore()
    )
    second = check_credential_schemas(
        parse_credential_json(broken, offline_settings), ContextStore()
    )
    again = check_credential_schemas(
        parse_credential_json(json.loads(json.dumps(OB3)), offline_settings),
        ContextStore(),
    )

    assert [f.outcome for f in (*first, *second, *again)] == [
        SchemaOutcome.passed,
        SchemaOutcome.failed,
        SchemaOutcome.passed,
    ]
    assert again[0] is first[0]


@pytest.mark.shared_data
def test_ob2_extension_typed_only_by_its_own_class(
    offline_settings: Settings, ob2_store: ContextStore
):
    node = {
        "@context": EXTENSION_CONTEXT,
        "type": "extensions:ShoeSize",
        "shoeSize": "large",
    }
    parsed = parse_credential_json(
        {**OB2, "extensions:shoeSize": node}, offline_settings
    )

    findings = check_credential_schemas(parsed, ob2_store)

    assert findings[-1].outcome is SchemaOutcome.failed, findings[-1].message


def test_rejected_stored_schema_unverified(
    offline_settings: Settings,
):
    document = {
        **OB3,
        "credentialSchema": {"id": SCHEMA_URL, "type": "JsonSchema"},
    }
    parsed = parse_credential_json(document, offline_settings)
    store = ContextStore(rejected={SCHEMA_URL})

    findings = check_credential_schemas(parsed, store)

    assert outcomes(findings)[1] == (
        SchemaOutcome.rejected,
        f"credentialSchema {SCHEMA_URL} was not checked: the local store rejected "
        "its copy",
    )
