import json
import time
from pathlib import Path

import pytest

from indexer.credentials.load import load_credential_entry, load_credential_file
from indexer.errors import InputRejected
from skillbeacon.models.credential import CredentialFormat
from skillbeacon.models.profile import CredentialFile

OB3_CREDENTIAL = {
    "@context": [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ],
    "id": "urn:uuid:5a3b1c2e-0000-4000-8000-000000000001",
    "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "issuer": {"id": "https://school.example/issuer", "name": "Example School"},
    "validFrom": "2024-01-01T00:00:00Z",
    "credentialSubject": {
        "id": "did:example:learner",
        "achievement": {"id": "urn:ach:1", "name": "Welding Basics"},
    },
}


def test_load_embedded_object(offline_settings):
    parsed = load_credential_entry(OB3_CREDENTIAL, Path("."), offline_settings)

    assert parsed.format is CredentialFormat.ob3_json
    assert parsed.achievement.name == "Welding Basics"


def test_load_file_relative_to_base(tmp_path, offline_settings):
    (tmp_path / "badges").mkdir()
    (tmp_path / "badges" / "weld.json").write_text(json.dumps(OB3_CREDENTIAL))

    parsed = load_credential_entry(
        CredentialFile(path="badges/weld.json"), tmp_path, offline_settings
    )

    assert parsed.credential_id == OB3_CREDENTIAL["id"]


def test_load_missing_file_rejected(tmp_path, offline_settings):
    with pytest.raises(InputRejected, match="does not exist"):
        load_credential_entry(
            CredentialFile(path="nowhere.json"), tmp_path, offline_settings
        )


def test_load_detects_json_despite_extension(tmp_path, offline_settings):
    path = tmp_path / "badge.png"
    path.write_text(json.dumps(OB3_CREDENTIAL))

    parsed = load_credential_file(path, offline_settings)

    assert parsed.format is CredentialFormat.ob3_json


def test_load_malformed_json_names_position(tmp_path, offline_settings):
    path = tmp_path / "broken.json"
    path.write_text('{\n  "type": "Assertion",\n  "id": ,\n}')

    with pytest.raises(InputRejected) as error:
        load_credential_file(path, offline_settings)

    assert "malformed JSON" in error.value.reason
    assert "line 3 column 9" in error.value.reason


def test_load_unknown_format_rejected(tmp_path, offline_settings):
    path = tmp_path / "notes.txt"
    path.write_text("just some words, not a credential")

    with pytest.raises(InputRejected, match="not a JSON, JWT, PNG or SVG credential"):
        load_credential_file(path, offline_settings)


def test_load_binary_garbage_rejected(tmp_path, offline_settings):
    path = tmp_path / "blob.bin"
    path.write_bytes(bytes(range(256)) * 4)

    with pytest.raises(InputRejected, match="not a JSON, JWT, PNG or SVG credential"):
        load_credential_file(path, offline_settings)


def test_load_json_array_rejected(tmp_path, offline_settings):
    path = tmp_path / "list.json"
    path.write_text("[1, 2, 3]")

    with pytest.raises(InputRejected, match="must be an object"):
        load_credential_file(path, offline_settings)


def test_load_50mb_json_rejected_quickly(tmp_path, offline_settings):
    path = tmp_path / "huge.json"
    with path.open("w") as handle:
        handle.write('{"padding": "')
        handle.write("x" * (50 * 1024 * 1024))
        handle.write('"}')

    started = time.monotonic()
    with pytest.raises(InputRejected) as error:
        load_credential_file(path, offline_settings)
    elapsed = time.monotonic() - started

    assert "more than the limit" in error.value.reason
    assert elapsed < 1.0


def test_load_deeply_nested_json_rejected_quickly(tmp_path, offline_settings):
    path = tmp_path / "deep.json"
    path.write_text('{"a":' * 100_000 + "1" + "}" * 100_000)

    started = time.monotonic()
    with pytest.raises(InputRejected) as error:
        load_credential_file(path, offline_settings)
    elapsed = time.monotonic() - started

    assert "nested deeper than 64" in error.value.reason
    assert elapsed < 1.0


def test_load_deep_embedded_object_rejected(offline_settings):
    deep: dict = {"leaf": 1}
    for _ in range(200):
        deep = {"child": deep}
    entry = {**OB3_CREDENTIAL, "extra": deep}

    with pytest.raises(InputRejected, match="nested deeper than 64"):
        load_credential_entry(entry, Path("."), offline_settings)


def test_load_string_entry_must_be_jwt(offline_settings):
    with pytest.raises(InputRejected, match="not a compact JWT"):
        load_credential_entry("https://example.org/badge", Path("."), offline_settings)
