"""Index lifecycle: versioned physical indices behind stable aliases."""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import structlog
from opensearchpy import OpenSearch

from skillbeacon.settings import Settings

log = structlog.get_logger(__name__)

INDEX_KINDS = (
    "candidates",
    "skills",
    "pathways",
    "api_keys",
    "audit",
    "views",
    "interests",
)


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
    """Make the alias point at `<prefix>-<kind>-v<version>`; return the alias.

    A missing index is created. When the alias points at an older version,
    the new index is created, the documents are copied into it with the
    reindex API, and the alias moves to it in one atomic update. The old
    index is kept for rollback; `drop_indices` removes it.
    """
    definition = load_definition(settings.mappings_dir, kind)
    alias = alias_name(settings, kind)
    physical = f"{alias}-v{definition.version}"

    current: list[str] = []
    if client.indices.exists_alias(name=alias):
        current = sorted(client.indices.get_alias(name=alias))
        if current == [physical]:
            return alias

    if not client.indices.exists(index=physical):
        log.info("index.create", index=physical, alias=alias)
        client.indices.create(index=physical, body=definition.body)

    if not current:
        client.indices.put_alias(index=physical, name=alias)
        return alias

    log.info("index.migrate", source=current, target=physical, alias=alias)
    client.reindex(
        body={"source": {"index": current}, "dest": {"index": physical}},
        refresh=True,
        wait_for_completion=True,
    )
    actions: list[dict[str, Any]] = [
        {"remove": {"index": old, "alias": alias}} for old in current
    ]
    actions.append({"add": {"index": physical, "alias": alias}})
    client.indices.update_aliases(body={"actions": actions})
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
