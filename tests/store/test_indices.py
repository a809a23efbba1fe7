"""Index lifecycle: versioned physical indices behind stable aliases."""

import json

from skillbeacon.settings import REPO_ROOT
from skillbeacon.store.indices import (
    INDEX_KINDS,
    alias_name,
    ensure_index,
    load_definition,
)


def test_indices_sit_behind_versioned_aliases(settings, client):
    for kind in INDEX_KINDS:
        alias = alias_name(settings, kind)
        version = load_definition(settings.mappings_dir, kind).version

        targets = client.indices.get_alias(name=alias)

        assert list(targets) == [f"{alias}-v{version}"]


def test_ensure_index_is_idempotent(settings, client):
    first = ensure_index(client, settings, "candidates")
    second = ensure_index(client, settings, "candidates")

    assert first == second == alias_name(settings, "candidates")


def test_mapping_files_are_strict_json():
    for kind in INDEX_KINDS:
        document = json.loads((REPO_ROOT / "mappings" / f"{kind}.json").read_text())
        assert document["mappings"]["dynamic"] == "strict"
        assert document["_meta"]["version"] >= 1


def test_ensure_index_migrates_an_older_version(settings, client):
    alias = alias_name(settings, "pathways")
    version = load_definition(settings.mappings_dir, "pathways").version
    client.indices.delete(index=f"{alias}-v{version}")
    old = f"{alias}-v0"
    client.indices.create(index=old, body={"aliases": {alias: {}}})
    client.index(
        index=old,
        id="p1",
        body={"pathway_id": "p1", "name": "Old pathway"},
        refresh=True,
    )

    ensure_index(client, settings, "pathways")

    assert list(client.indices.get_alias(name=alias)) == [f"{alias}-v{version}"]
    moved = client.get(index=alias, id="p1")
    assert moved["_source"]["name"] == "Old pathway"
    assert client.indices.exists(index=old)
