"""Pathway definition reads and writes."""

from opensearchpy import OpenSearch, helpers

from skillbeacon.models.pathway import PathwayDefinition
from skillbeacon.settings import Settings
from skillbeacon.store.indices import alias_name


def upsert_pathways(
    client: OpenSearch, settings: Settings, pathways: list[PathwayDefinition]
) -> int:
    if not pathways:
        return 0
    index = alias_name(settings, "pathways")
    actions = (
        {
            "_op_type": "index",
            "_index": index,
            "_id": pathway.pathway_id,
            **pathway.model_dump(mode="json"),
        }
        for pathway in pathways
    )
    written, _ = helpers.bulk(client, actions, refresh="wait_for")
    return written


def load_pathways(client: OpenSearch, settings: Settings) -> list[PathwayDefinition]:
    """Return every stored pathway definition."""
    hits = helpers.scan(
        client,
        index=alias_name(settings, "pathways"),
        query={"query": {"match_all": {}}},
    )
    return [PathwayDefinition.model_validate(hit["_source"]) for hit in hits]
