"""Index lifecycle: versioned physical indices behind stable aliases."""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import structlog
from opensearchpy import OpenSearch

from skillbeacon.settings import Settings

log = structlog.get_logger(__name__)

INDEX_KINDS = ("candidates", "skills", "pathways")


@dataclass(frozen=True)
class IndexDefinition:
    kind: str
    version: int
    body: dict[str, Any]


def alias_name(settings: Settings, kind: str) -> str:
    return f"{settings.index_prefix}-{kind}"


def load_definition(mappings_dir: Path, kind: str) -> IndexDefinition:
    document = json.loads((mappings_dir / f"{kind}.json").read_text(encoding="utf-8"))
    meta = document.pop("_meta")
    document["mappings"]["_meta"] = meta
    return IndexDefinition(kind=kind, version=int(meta["version"]), body=document)


def ensure_index(client: OpenSearch, settings: Settings, kind: str) -> str:
    """Create `<prefix>-<kind>-v<version>` and point the alias at it if missing.

    Returns the alias name. An alias that points at an older version is left
    alone so that a reindex can move it deliberately.
    """
    definition = load_definition(settings.mappings_dir, kind)
    alias = alias_name(settings, kind)
    physical = f"{alias}-v{definition.version}"

    if client.indices.exists_alias(name=alias):
        return alias
    if not client.indices.exists(index=physical):
        log.info("index.create", index=physical, alias=alias)
        client.indices.create(index=physical, body=definition.body)
    client.indices.put_alias(index=physical, name=alias)
    return alias


def ensure_indices(client: OpenSearch, settings: Settings) -> None:
    for kind in INDEX_KINDS:
        ensure_index(client, settings, kind)


def drop_indices(client: OpenSearch, settings: Settings) -> None:
    """Delete every index of this prefix; used by tests and `demo --reset`."""
    pattern = f"{settings.index_prefix}-*"
    indices = client.indices.get(index=pattern, ignore_unavailable=True)
    for name in indices:
        log.info("index.delete", index=name)
        client.indices.delete(index=name)


def refresh(client: OpenSearch, settings: Settings, kind: str) -> None:
    client.indices.refresh(index=alias_name(settings, kind))
