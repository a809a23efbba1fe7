"""Command line: preview links and the serve start-up warning."""

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import structlog
import uvicorn
from typer.testing import CliRunner

from skillbeacon import cli
from skillbeacon.api_keys import Role, key_matches, parse_key_id
from skillbeacon.logging import configure_logging
from skillbeacon.security import check_preview_token
from skillbeacon.settings import DEV_PREVIEW_SECRET, Settings, get_settings
from skillbeacon.store.api_keys import get_api_key
from skillbeacon.store.indices import alias_name
from tests.factories import candidate_document

runner = CliRunner()


@pytest.fixture
def cli_env(monkeypatch) -> Iterator[pytest.MonkeyPatch]:
    """Settings from a clean environment, reloaded for each test."""
    for name in ("PREVIEW_SECRET", "API_HOST", "API_PORT", "ENVIRONMENT"):
        monkeypatch.delenv(f"SKILLBEACON_{name}", raising=False)
    monkeypatch.setenv("SKILLBEACON_LOG_FORMAT", "json")
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()
    structlog.reset_defaults()


def _log_events(stderr: str) -> list[dict]:
    events = []
    for line in stderr.splitlines():
        if line.startswith("{"):
            events.append(json.loads(line))
    return events


@pytest.fixture
def preview_env(cli_env) -> pytest.MonkeyPatch:
    """Report every learner as indexed, so preview-link needs no engine."""
    cli_env.setattr(cli, "learner_is_indexed", lambda _settings, _learner: True)
    return cli_env


def test_preview_link_prints_signed_url(preview_env):
    preview_env.setenv("SKILLBEACON_PREVIEW_SECRET", "test-preview-secret")
    preview_env.setenv("SKILLBEACON_API_HOST", "learners.example.test")
    preview_env.setenv("SKILLBEACON_API_PORT", "8123")

    result = runner.invoke(cli.app, ["preview-link", "cand-verified"])

    assert result.exit_code == 0, result.output
    link = result.stdout.strip()
    parts = urlsplit(link)
    assert parts.scheme == "http"
    assert parts.netloc == "learners.example.test:8123"
    assert parts.path == "/preview/cand-verified"
    token = parse_qs(parts.query)["token"][0]
    settings = Settings(preview_secret="test-preview-secret")
    assert check_preview_token("cand-verified", token, settings)
    assert "api.preview_secret.default" not in result.stderr


def test_preview_link_default_secret_warns(preview_env):
    result = runner.invoke(cli.app, ["preview-link", "cand-verified"])

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("http://127.0.0.1:8000/preview/cand-verified?")
    events = [e["event"] for e in _log_events(result.stderr)]
    assert events == ["api.preview_secret.default"]
    assert DEV_PREVIEW_SECRET not in result.stderr


def test_preview_link_ipv6_host_is_bracketed(preview_env):
    preview_env.setenv("SKILLBEACON_API_HOST", "::1")

    result = runner.invoke(cli.app, ["preview-link", "cand-verified"])

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("http://[::1]:8000/preview/cand-verified?")


def test_preview_link_invalid_id_fails(preview_env):
    result = runner.invoke(cli.app, ["preview-link", "../etc"])

    assert result.exit_code == 1
    assert result.stdout == ""
    assert "is not a valid learner id" in result.stderr


@pytest.fixture
def serve_stubs(cli_env) -> list[dict]:
    """Stub the engine start and uvicorn, and record uvicorn's arguments."""
    runs: list[dict] = []
    cli_env.setattr(cli, "ready_client", lambda settings: None)
    cli_env.setattr(uvicorn, "run", lambda app, **options: runs.append(options))
    return runs


def test_serve_default_secret_warns(cli_env, serve_stubs):
    result = runner.invoke(cli.app, ["serve"])

    assert result.exit_code == 0, result.output
    assert serve_stubs == [{"host": "127.0.0.1", "port": 8000, "log_config": None}]
    warnings = [
        e
        for e in _log_events(result.stderr)
        if e["event"] == "api.preview_secret.default"
    ]
    assert len(warnings) == 1
    assert warnings[0]["level"] == "warning"
    assert DEV_PREVIEW_SECRET not in result.stderr


def test_serve_own_secret_does_not_warn(cli_env, serve_stubs):
    cli_env.setenv("SKILLBEACON_PREVIEW_SECRET", "test-preview-secret")

    result = runner.invoke(cli.app, ["serve"])

    assert result.exit_code == 0, result.output
    assert len(serve_stubs) == 1
    events = [e["event"] for e in _log_events(result.stderr)]
    assert "api.preview_secret.default" not in events


@pytest.fixture
def keys_env(cli_env, settings, client) -> pytest.MonkeyPatch:
    """Point the keys commands at the test module's indices."""

    def load_test_settings() -> Settings:
        configure_logging(settings)
        return settings

    cli_env.setattr(cli, "load_settings", load_test_settings)
    cli_env.setattr(cli, "ready_client", lambda _settings: client)
    return cli_env


def test_keys_create_prints_key_once(keys_env, settings, client):
    result = runner.invoke(
        cli.app, ["keys", "create", "--role", "recruiter", "--organization", "Acme"]
    )

    assert result.exit_code == 0, result.output
    key = result.stdout.strip()
    key_id = parse_key_id(key)
    assert key_id is not None
    record = get_api_key(client, settings, key_id)
    assert record is not None
    assert record.role == Role.recruiter
    assert record.organization == "Acme"
    assert key not in record.model_dump_json()
    assert key_matches(key, record)
    assert key not in result.stderr


def test_keys_create_learner_needs_id(keys_env):
    result = runner.invoke(cli.app, ["keys", "create", "--role", "learner"])

    assert result.exit_code == 2
    assert result.stdout == ""
    assert "--learner" in result.stderr


def test_keys_create_learner_bound(keys_env, settings, client):
    result = runner.invoke(
        cli.app, ["keys", "create", "--role", "learner", "--learner", "cand-verified"]
    )

    assert result.exit_code == 0, result.output
    record = get_api_key(client, settings, parse_key_id(result.stdout.strip()) or "")
    assert record is not None
    assert record.learner_id == "cand-verified"


def test_keys_create_learner_not_indexed_warns(keys_env, settings, client):
    result = runner.invoke(
        cli.app, ["keys", "create", "--role", "learner", "--learner", "cand-later"]
    )

    assert result.exit_code == 0, result.output
    assert "warning: no learner with id 'cand-later' is indexed" in result.stderr
    record = get_api_key(client, settings, parse_key_id(result.stdout.strip()) or "")
    assert record is not None
    assert record.learner_id == "cand-later"


def test_keys_create_indexed_learner_no_warning(keys_env, settings, client):
    client.index(
        index=alias_name(settings, "candidates"),
        id="cand-indexed-for-key",
        body=candidate_document("cand-indexed-for-key"),
        refresh=True,
    )

    result = runner.invoke(
        cli.app,
        ["keys", "create", "--role", "learner", "--learner", "cand-indexed-for-key"],
    )

    assert result.exit_code == 0, result.output
    assert "warning: " not in result.stderr


def test_keys_list_shows_fields_not_secrets(keys_env, settings, client):
    created = runner.invoke(
        cli.app,
        [
            "keys",
            "create",
            "--role",
            "recruiter",
            "--organization",
            "List Co",
            "--group",
            "g-one",
            "--group",
            "g-two",
            "--youth-program",
        ],
    )
    key = created.stdout.strip()
    key_id = parse_key_id(key) or ""
    learner = runner.invoke(
        cli.app, ["keys", "create", "--role", "learner", "--learner", "cand-listed"]
    )
    learner_key_id = parse_key_id(learner.stdout.strip()) or ""
    runner.invoke(cli.app, ["keys", "revoke", learner_key_id])

    result = runner.invoke(cli.app, ["keys", "list"])

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split("\t") == [
        "key_id",
        "role",
        "organization",
        "groups",
        "youth",
        "learner_id",
        "created",
        "revoked",
    ]
    rows = {line.split("\t")[0]: line.split("\t") for line in lines[1:]}
    assert rows[key_id][1:6] == ["recruiter", "List Co", "g-one,g-two", "yes", "-"]
    assert rows[key_id][7] == "-"
    assert rows[learner_key_id][1:6] == ["learner", "-", "-", "no", "cand-listed"]
    assert rows[learner_key_id][7] != "-"
    record = get_api_key(client, settings, key_id)
    assert record is not None
    assert key not in result.output
    assert key.rsplit("_", 1)[1] not in result.output
    assert record.key_hash not in result.output


def test_keys_create_employer_groups_and_youth(keys_env, settings, client):
    result = runner.invoke(
        cli.app,
        [
            "keys",
            "create",
            "--role",
            "hr_system",
            "--organization",
            "Acme",
            "--group",
            "south-clinics",
            "--group",
            " north-clinics ",
            "--group",
            "south-clinics",
            "--youth-program",
        ],
    )

    assert result.exit_code == 0, result.output
    record = get_api_key(client, settings, parse_key_id(result.stdout.strip()) or "")
    assert record is not None
    assert record.employer_groups == ["north-clinics", "south-clinics"]
    assert record.youth_program is True
    assert "north-clinics, south-clinics" in result.stderr
    assert "youth programs" in result.stderr


def test_keys_create_defaults_no_groups(keys_env, settings, client):
    result = runner.invoke(
        cli.app, ["keys", "create", "--role", "recruiter", "--organization", "Acme"]
    )

    record = get_api_key(client, settings, parse_key_id(result.stdout.strip()) or "")
    assert record is not None
    assert record.employer_groups == []
    assert record.youth_program is False


def test_keys_create_groups_need_employer_role(keys_env):
    for extra in (["--group", "north-clinics"], ["--youth-program"]):
        result = runner.invoke(cli.app, ["keys", "create", "--role", "admin", *extra])

        assert result.exit_code == 2, extra
        assert result.stdout == "", extra
        assert "only recruiter and hr_system keys" in result.stderr, extra


def test_keys_create_rejects_blank_group(keys_env):
    result = runner.invoke(
        cli.app,
        [
            "keys",
            "create",
            "--role",
            "recruiter",
            "--organization",
            "Acme",
            "--group",
            "  ",
        ],
    )

    assert result.exit_code == 2
    assert result.stdout == ""
    assert "invalid employer group" in result.stderr


def test_keys_revoke_marks_key(keys_env, settings, client):
    created = runner.invoke(cli.app, ["keys", "create", "--role", "admin"])
    key_id = parse_key_id(created.stdout.strip()) or ""

    result = runner.invoke(cli.app, ["keys", "revoke", key_id])

    assert result.exit_code == 0, result.output
    record = get_api_key(client, settings, key_id)
    assert record is not None
    assert record.revoked_at is not None
    unknown = runner.invoke(cli.app, ["keys", "revoke", "0000000000000000"])
    assert unknown.exit_code == 1


def test_preview_link_prints_expiry(preview_env):
    preview_env.setenv("SKILLBEACON_PREVIEW_TOKEN_DAYS", "3")
    before = datetime.now(UTC)

    result = runner.invoke(cli.app, ["preview-link", "cand-verified"])

    assert result.exit_code == 0, result.output
    token = parse_qs(urlsplit(result.stdout.strip()).query)["token"][0]
    expires = int(token.split(".")[1])
    expected = before + timedelta(days=3)
    assert abs(expires - expected.timestamp()) < 60
    printed = datetime.fromtimestamp(expires, UTC).isoformat()
    assert f"expires {printed}" in result.stderr


def test_preview_link_help_names_revocation(cli_env):
    result = runner.invoke(cli.app, ["preview-link", "--help"])

    assert result.exit_code == 0
    assert "SKILLBEACON_PREVIEW_SECRET" in result.stdout
    assert "invalidates" in result.stdout


def test_preview_link_not_indexed_warns(keys_env):
    result = runner.invoke(cli.app, ["preview-link", "cand-later"])

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("http://")
    assert "warning: no learner with id 'cand-later' is indexed" in result.stderr


def test_preview_link_indexed_learner_no_warning(keys_env, settings, client):
    client.index(
        index=alias_name(settings, "candidates"),
        id="cand-indexed-for-link",
        body=candidate_document("cand-indexed-for-link"),
        refresh=True,
    )

    result = runner.invoke(cli.app, ["preview-link", "cand-indexed-for-link"])

    assert result.exit_code == 0, result.output
    assert "warning: " not in result.stderr


def test_preview_link_lookup_failure_warns(cli_env):
    cli_env.setattr(cli, "learner_is_indexed", lambda _settings, _learner: None)

    result = runner.invoke(cli.app, ["preview-link", "cand-verified"])

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("http://")
    assert "could not check whether learner 'cand-verified'" in result.stderr
