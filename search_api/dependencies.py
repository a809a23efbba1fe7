"""Request dependencies: settings, the OpenSearch client and body checks."""

from typing import Annotated

from fastapi import Depends, Request
from opensearchpy import OpenSearch

from search_api.problems import UnsupportedMediaType, shorten_value
from skillbeacon.settings import Settings

JSON_MEDIA_TYPE = "application/json"


def get_app_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_client(request: Request) -> OpenSearch:
    return request.app.state.client


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
ClientDep = Annotated[OpenSearch, Depends(get_client)]


def _is_json_media_type(content_type: str) -> bool:
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type == JSON_MEDIA_TYPE:
        return True
    # Structured syntax suffix types, e.g. application/merge-patch+json.
    return media_type.startswith("application/") and media_type.endswith("+json")


async def require_json_body(request: Request) -> None:
    """Raise a 415 problem when a request body is sent without a JSON media type.

    FastAPI reads the body before dependencies run, so the cached body is
    checked here and an empty body is left to body validation.
    """
    content_type = request.headers.get("content-type", "")
    if _is_json_media_type(content_type):
        return
    if not await request.body():
        return
    if content_type:
        received = f"Content-Type {shorten_value(content_type)!r} is not supported"
    else:
        received = "The request has a body but no Content-Type"
    raise UnsupportedMediaType(
        f"{received}. Send the body as JSON with Content-Type: {JSON_MEDIA_TYPE}."
    )
