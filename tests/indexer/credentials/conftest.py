"""Fixtures for the credential tests, which need no OpenSearch node."""

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from skillbeacon.settings import Settings

MapDocument = Callable[[str, object], None]


@pytest.fixture
def offline_settings(tmp_path: Path) -> Settings:
    """Settings with a 1 MiB input limit and an empty URL map in tmp_path."""
    url_map = tmp_path / "url-map.json"
    url_map.write_text(json.dumps({"exact": {}, "prefix": {}, "did_web": {}}))
    return Settings(max_input_bytes=1024 * 1024, max_json_depth=64, url_map=url_map)


@pytest.fixture
def map_document(offline_settings: Settings) -> MapDocument:
    """Return a function that stores a JSON document under a URL in the map."""

    def add(url: str, document: object) -> None:
        assert offline_settings.url_map is not None
        folder = offline_settings.url_map.parent
        table = json.loads(offline_settings.url_map.read_text())
        name = f"mapped-{len(table['exact'])}.json"
        (folder / name).write_text(json.dumps(document))
        table["exact"][url] = name
        offline_settings.url_map.write_text(json.dumps(table))

    return add
