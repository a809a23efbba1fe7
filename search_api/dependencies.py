"""Request dependencies: the app's settings and its OpenSearch client."""

from typing import Annotated

from fastapi import Depends, Request
from opensearchpy import OpenSearch

from skillbeacon.settings import Settings


def get_app_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_client(request: Request) -> OpenSearch:
    return request.app.state.client


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
ClientDep = Annotated[OpenSearch, Depends(get_client)]
