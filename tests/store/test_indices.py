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
