"""The FastAPI application: API routes, web UI pages and error handlers."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import structlog
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from opensearchpy import OpenSearch

from search_api.auth import EMPLOYER_ACCESS
from search_api.limits import RequestBodyLimit
from search_api.problems import install_problem_handlers
from search_api.rate_limit import RateLimiter
from search_api.routes import candidates, health, interests, learners, search, skills
from search_api.security_headers import SecurityHeaders
from skillbeacon.settings import Settings
from skillbeacon.store.client import build_client
from ui.login import router as login_router
from ui.routes import STATIC_DIR, render_problem_page
from ui.routes import router as ui_router

log = structlog.get_logger(__name__)


def create_app(settings: Settings, client: OpenSearch | None = None) -> FastAPI:
    """Build the app; pass a client to share one, else one is built from settings."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        log.info("api.start", engine_url=settings.engine_url)
        yield
        log.info("api.stop")

    # /docs and /openapi.json are public: they describe the API and hold no
    # candidate data, and a browser cannot send a bearer key to open /docs.
    app = FastAPI(
        title="skillbeacon",
        summary="Find candidates by named skills, ranked on verified evidence.",
        version="0.1.0",
        docs_url="/docs",
        openapi_url="/openapi.json",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.client = client if client is not None else build_client(settings)
    app.state.rate_limiter = RateLimiter(
        settings.rate_limit_per_second, settings.rate_limit_burst
    )
    app.state.auth_failure_limiter = RateLimiter(
        settings.auth_failure_per_second, settings.auth_failure_burst
    )

    app.add_middleware(RequestBodyLimit, max_bytes=settings.max_request_bytes)
    # Added last, so it is outermost and also covers the 413 responses above.
    app.add_middleware(SecurityHeaders)
    install_problem_handlers(app, html_renderer=render_problem_page)
    # Every router but health requires a key; learners' routes check the
    # role (admin, or the learner's own key or preview token) per route.
    app.include_router(search.router, dependencies=[EMPLOYER_ACCESS])
    app.include_router(candidates.router, dependencies=[EMPLOYER_ACCESS])
    app.include_router(skills.router, dependencies=[EMPLOYER_ACCESS])
    app.include_router(interests.router, dependencies=[EMPLOYER_ACCESS])
    app.include_router(learners.router)
    app.include_router(health.router)
    app.include_router(login_router)
    app.include_router(ui_router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
