"""Filling the context store from packages and URL maps, pinned by SHA-256."""

import json
import shutil

import pytest
from structlog.testing import capture_logs

from indexer.credentials.context_install import (
    ContextInstallError,
    PackagePin,
    canonical_bytes,
    install_package_dir,
    install_url_map_contexts,
    load_package_pins,
    read_index,
    sha256_hex,
    write_index,
)
from indexer.credentials.contexts import load_context_store
from skillbeacon.settings import Settings

URL = "https://example.test/contexts/v1"
DOCUMENT = {"@context": {"@version": 1.1, "name": "https://schema.org/name"}}

needs_node = pytest.mark.skipif(shutil.which("node") is None, reason="no node")


def fake_package(tmp_path, document=DOCUMENT):
    package = tmp_path / "package"
    package.mkdir()
    (package / "package.json").write_text('{"name": "fake", "main": "index.js"}')
    (package / "index.js").write_text(
        "const contexts = new Map();\n"
        f"contexts.set({json.dumps(URL)}, {json.dumps(document)});\n"
        "const metadata = new Map();\n"
        f"metadata.set({json.dumps(URL)}, {{cryptosuite: 'none'}});\n"
        "module.exports = {contexts, metadata};\n"
    )
    return package


@needs_node
def test_install_package_dir_checks_the_pin(tmp_path):
    store = tmp_path / "store"
    store.mkdir()
    index: dict = {}
    pin = PackagePin("fake", "1.0.0", {URL: sha256_hex(canonical_bytes(DOCUMENT))})

    installed = install_package_dir(store, index, fake_package(tmp_path), pin)

    assert installed == [URL]
    assert index[URL]["source"] == "npm:fake@1.0.0"
    stored = json.loads((store / index[URL]["file"]).read_text())
    assert stored == DOCUMENT


@needs_node
def test_install_package_dir_refuses_a_changed_context(tmp_path):
    pin = PackagePin("fake", "1.0.0", {URL: "0" * 64})

    with pytest.raises(ContextInstallError, match="pinned"):
        install_package_dir(tmp_path, {}, fake_package(tmp_path), pin)


def test_package_pins_are_hex_sha256():
    pins = load_package_pins()
    urls = [url for pin in pins for url in pin.contexts]
    assert "https://www.w3.org/ns/credentials/v2" in urls
    assert "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json" in urls
    for pin in pins:
        for digest in pin.contexts.values():
            assert len(digest) == 64
            int(digest, 16)


def test_context_store_reads_installed_contexts(tmp_path):
    index = {URL: {"file": "a.jsonld", "sha256": "", "source": "test"}}
    data = canonical_bytes(DOCUMENT)
    (tmp_path / "a.jsonld").write_bytes(data)
    index[URL]["sha256"] = sha256_hex(data)
    write_index(tmp_path, index)

    store = load_context_store(Settings(context_dir=tmp_path))

    assert store.get(URL).document == DOCUMENT
    assert store.sha256(URL) == sha256_hex(data)


def test_context_store_leaves_out_an_edited_file(tmp_path):
    data = canonical_bytes(DOCUMENT)
    (tmp_path / "a.jsonld").write_bytes(data)
    write_index(
        tmp_path, {URL: {"file": "a.jsonld", "sha256": sha256_hex(data), "source": "t"}}
    )
    (tmp_path / "a.jsonld").write_bytes(data.replace(b"name", b"nime"))

    with capture_logs() as logs:
        store = load_context_store(Settings(context_dir=tmp_path))

    assert URL not in store.contexts
    assert URL in store.rejected
    assert "changed since it was installed" in logs[0]["reason"]


def test_install_url_map_contexts_skips_non_contexts(shared_data, tmp_path):
    url_map = shared_data / "credentials" / "url-map.json"

    installed = install_url_map_contexts(tmp_path, url_map)

    index = read_index(tmp_path)
    assert "https://www.w3.org/ns/credentials/v2" in installed
    assert set(index) == set(installed)
    assert not any("status" in url and "e5WK8" in url for url in installed)
    # OB 2.0 extension schemas are kept for the schema check.
    assert "https://w3id.org/openbadges/extensions/exampleExtension/schema.json" in (
        installed
    )
    store = load_context_store(Settings(context_dir=tmp_path))
    assert len(store.contexts) == len(installed)


def test_sync_downloads_each_url_once(tmp_path):
    from indexer.credentials.context_install import sync_contexts
    from indexer.credentials.fetch import clear_fetch_cache
    from tests.indexer.credentials.document_server import Reply, serve_documents

    clear_fetch_cache()
    settings = Settings(
        network_fetch=True,
        fetch_allow_insecure_loopback_for_tests=True,
        fetch_cache_ttl_seconds=0,
    )
    with serve_documents() as server:
        server.routes["/ctx"] = Reply(body=json.dumps(DOCUMENT).encode())
        url = server.url("/ctx")

        first = sync_contexts(tmp_path, [url], settings)
        second = sync_contexts(tmp_path, [url], settings)

        assert first == [url]
        assert second == []
        assert server.hits["/ctx"] == 1
        assert read_index(tmp_path)[url]["sha256"] == sha256_hex(
            canonical_bytes(DOCUMENT)
        )

        changed = {"@context": {"name": "https://example.test/other"}}
        server.routes["/ctx"] = Reply(body=json.dumps(changed).encode())
        with pytest.raises(ContextInstallError, match="changed"):
            sync_contexts(tmp_path, [url], settings, refresh=True)


def test_sync_needs_network_fetch(tmp_path):
    from indexer.credentials.context_install import sync_contexts

    with pytest.raises(ContextInstallError, match="SKILLBEACON_NETWORK_FETCH"):
        sync_contexts(tmp_path, ["https://example.test/ctx"], Settings())


def test_sync_stores_a_json_schema_that_verification_reads(tmp_path):
    from indexer.credentials.context_install import sync_contexts
    from indexer.credentials.credential_schema import (
        SchemaOutcome,
        check_credential_schemas,
    )
    from indexer.credentials.fetch import clear_fetch_cache
    from indexer.credentials.parse import parse_credential_json
    from tests.indexer.credentials.document_server import Reply, serve_documents
    from tests.indexer.credentials.test_credential_schema import OB3

    clear_fetch_cache()
    settings = Settings(
        network_fetch=True,
        fetch_allow_insecure_loopback_for_tests=True,
        fetch_cache_ttl_seconds=0,
    )
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "required": ["awardedHours"],
    }
    with serve_documents() as server:
        server.routes["/schema.json"] = Reply(body=json.dumps(schema).encode())
        server.routes["/other.json"] = Reply(body=b'{"name": "not a schema"}')
        url = server.url("/schema.json")

        server.routes["/bare.json"] = Reply(body=b'{"properties": {}}')
        bare = server.url("/bare.json")

        assert sync_contexts(tmp_path, [url, bare], settings) == [url, bare]
        with pytest.raises(ContextInstallError, match="neither a JSON-LD context"):
            sync_contexts(tmp_path, [server.url("/other.json")], settings)

    store = load_context_store(Settings(context_dir=tmp_path))
    declared = {
        **OB3,
        "credentialSchema": {"id": url, "type": "1EdTechJsonSchemaValidator2019"},
    }
    parsed = parse_credential_json(declared, Settings())
    findings = check_credential_schemas(parsed, store)

    assert findings[1].outcome is SchemaOutcome.failed
    assert "$ lacks required awardedHours" in findings[1].message


def test_store_skips_non_json_map_files(tmp_path):
    (tmp_path / "key.pem").write_text("-----BEGIN PUBLIC KEY-----\nAAAA\n")
    (tmp_path / "deep.json").write_text("[" * 100 + "]" * 100)
    (tmp_path / "context.json").write_text(json.dumps(DOCUMENT))
    url_map = tmp_path / "url-map.json"
    url_map.write_text(
        json.dumps(
            {
                "exact": {
                    "https://school.example/key.pem": "key.pem",
                    "https://school.example/deep.json": "deep.json",
                    "https://school.example/context.json": "context.json",
                }
            }
        )
    )

    store = load_context_store(Settings(context_dir=tmp_path, url_map=url_map))
    installed = install_url_map_contexts(tmp_path / "store", url_map)

    assert list(store.contexts) == ["https://school.example/context.json"]
    assert installed == ["https://school.example/context.json"]


def test_context_store_leaves_out_an_unreadable_installed_file(tmp_path):
    url = "https://school.example/context.json"
    map_folder = tmp_path / "map"
    map_folder.mkdir()
    (map_folder / "context.json").write_text(json.dumps(DOCUMENT))
    url_map = map_folder / "url-map.json"
    url_map.write_text(json.dumps({"exact": {url: "context.json"}}))
    store_folder = tmp_path / "store"
    install_url_map_contexts(store_folder, url_map)
    entry = read_index(store_folder)[url]
    (store_folder / entry["file"]).write_text("[" * 100 + "]" * 100)

    with capture_logs() as logs:
        store = load_context_store(Settings(context_dir=store_folder))

    assert url not in store.contexts
    assert logs[0]["reason"].startswith(f"context file {entry['file']} for {url}")
