"""Shared fixtures: one real OpenSearch node per test session.

The node is the project's own local engine, started on test ports in a
separate state folder, unless SKILLBEACON_OPENSEARCH_URL names a cluster.
"""

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from opensearchpy import OpenSearch

from skillbeacon import engine
from skillbeacon.api_keys import EMPLOYER_ROLES, Role
from skillbeacon.settings import REPO_ROOT, Settings
from skillbeacon.store.api_keys import create_api_key
from skillbeacon.store.client import build_client
from skillbeacon.store.indices import drop_indices, ensure_indices

SHARED_DATA = Path(
    os.environ.get("SKILLBEACON_SHARED_DATA", REPO_ROOT.parent / "shared" / "data")
)


def _base_settings() -> Settings:
    overrides: dict = {
        "state_dir": Path(
            os.environ.get(
                "SKILLBEACON_TEST_STATE_DIR", REPO_ROOT / ".skillbeacon-test"
            )
        ),
        "engine_http_port": int(os.environ.get("SKILLBEACON_TEST_HTTP_PORT", "9270")),
        "engine_transport_port": int(
            os.environ.get("SKILLBEACON_TEST_TRANSPORT_PORT", "9370")
        ),
        "engine_heap": "768m",
        "index_prefix": "sbtest",
    }
    return Settings(**overrides)


@pytest.fixture(scope="session")
def engine_settings() -> Iterator[Settings]:
    settings = _base_settings()
    started_here = False
    if settings.uses_local_engine and engine.read_pid(settings) is None:
        engine.start(settings)
        started_here = True
    else:
        engine.ensure_engine(settings)
    yield settings
    if started_here and not os.environ.get("SKILLBEACON_TEST_KEEP_ENGINE"):
        engine.stop(settings)


@pytest.fixture(scope="session")
def client(engine_settings: Settings) -> OpenSearch:
    return build_client(engine_settings)


@pytest.fixture(scope="module")
def settings(engine_settings: Settings, client: OpenSearch) -> Iterator[Settings]:
    """Settings with a fresh index prefix for each test module."""
    prefix = f"sbtest-{uuid.uuid4().hex[:10]}"
    module_settings = engine_settings.model_copy(update={"index_prefix": prefix})
    ensure_indices(client, module_settings)
    yield module_settings
    drop_indices(client, module_settings)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared fixtures not found at {SHARED_DATA}")
    return SHARED_DATA


# The learner whom the learner key in api_keys is bound to.
KEYED_LEARNER_ID = "cand-verified"
KEYED_ORGANIZATION = "Test Staffing Co"


@pytest.fixture(scope="module")
def api_keys(settings: Settings, client: OpenSearch) -> dict[str, str]:
    """One API key per role in the module's indices, by role name.

    The learner key is bound to KEYED_LEARNER_ID.
    """
    keys = {}
    for role in Role:
        _, key = create_api_key(
            client,
            settings,
            role,
            learner_id=KEYED_LEARNER_ID if role == Role.learner else None,
            organization=KEYED_ORGANIZATION if role in EMPLOYER_ROLES else None,
        )
        keys[role.value] = key
    return keys


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def unlimited(settings: Settings) -> Settings:
    """Settings whose rate limits, failed attempts included, no test module reaches."""
    return settings.model_copy(
        update={"rate_limit_burst": 1_000_000, "auth_failure_burst": 1_000_000}
    )


def pytest_terminal_summary(terminalreporter, exitstatus, config):  # noqa: ARG001
    """Say plainly when the shared fixtures were missing, not only with -rs."""
    if SHARED_DATA.is_dir():
        return
    terminalreporter.write_line(
        f"NOTE: shared fixtures not found at {SHARED_DATA}; the tests that read "
        "them were skipped. Set SKILLBEACON_SHARED_DATA to the folder that "
        "holds credentials/, profiles/ and skills/.",
        yellow=True,
    )
