"""The one settings object for every skillbeacon process."""

from functools import lru_cache
from pathlib import Path

from pydantic import AnyHttpUrl, Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# org.codelibs.opensearch.runner.OpenSearchRunner picks the node's HTTP port
# between its -baseHttpPort and a fixed ceiling of 9299, and exits without a
# message when the base is at or above it.
MAX_ENGINE_HTTP_PORT = 9299

REPO_ROOT = Path(__file__).resolve().parent.parent

# The pinned engine version. pom.xml and docker-compose.yml pin the same one.
OPENSEARCH_VERSION = "3.8.0"

DEV_PREVIEW_SECRET = "dev-only-preview-secret"  # noqa: S105 - rejected in production


class Settings(BaseSettings):
    """Settings read from SKILLBEACON_* environment variables or a .env file."""

    model_config = SettingsConfigDict(
        env_prefix="SKILLBEACON_", env_file=".env", extra="ignore"
    )

    opensearch_url: AnyHttpUrl | None = Field(
        default=None,
        description="URL of an existing OpenSearch cluster. When set, no local "
        "engine is started and every command uses this cluster.",
    )
    opensearch_username: str | None = None
    opensearch_password: SecretStr | None = None
    opensearch_verify_certs: bool = True
    opensearch_timeout_seconds: float = Field(default=30.0, gt=0)

    state_dir: Path = Field(
        default=REPO_ROOT / ".skillbeacon",
        description="Folder for the local engine's jars, data, logs and pid file.",
    )
    engine_http_port: int = Field(
        default=9250,
        ge=1024,
        le=MAX_ENGINE_HTTP_PORT,
        description="HTTP port of the local engine. The OpenSearch runner that "
        f"starts it looks for HTTP ports up to {MAX_ENGINE_HTTP_PORT} only.",
    )
    engine_transport_port: int = Field(default=9350, ge=1024, le=65535)
    engine_heap: str = Field(default="1g", pattern=r"^[0-9]+[mg]$")
    engine_start_timeout_seconds: float = Field(default=180.0, gt=0)
    java_home: Path | None = Field(
        default=None, description="Java 21+ home. Falls back to JAVA_HOME."
    )

    index_prefix: str = Field(default="skillbeacon", pattern=r"^[a-z0-9][a-z0-9_-]*$")
    mappings_dir: Path = REPO_ROOT / "mappings"

    api_host: str = "127.0.0.1"
    api_port: int = Field(default=8000, ge=1, le=65535)

    max_input_bytes: int = Field(
        default=5 * 1024 * 1024,
        gt=0,
        description="Largest credential or profile file the indexer reads, in bytes.",
    )
    max_request_bytes: int = Field(
        default=1024 * 1024,
        gt=0,
        description="Largest HTTP request body the API accepts, in bytes.",
    )
    credential_roots: list[Path] = Field(
        default_factory=list,
        description="Folders besides each profile's own folder from which "
        "profiles may reference credential files.",
    )
    max_json_depth: int = Field(default=64, gt=0)
    url_map: Path | None = Field(
        default=None,
        description="JSON file mapping URLs and did:web ids to local files, so "
        "hosted keys, badge classes and DID documents resolve offline.",
    )
    context_dir: Path | None = Field(
        default=None,
        description="Folder of JSON-LD context documents. Every URL in the URL "
        "map's exact table whose file is inside this folder is a context; "
        "without it, Data Integrity proofs cannot be checked.",
    )
    network_fetch: bool = Field(
        default=False,
        description="Fetch hosted assertions, keys, DID documents and status "
        "lists over HTTPS when the URL map has no local copy. Off by default, "
        "so verification reads nothing but local files.",
    )
    fetch_timeout_seconds: float = Field(
        default=5.0,
        gt=0,
        description="Connect timeout and per-read timeout of one fetch, in seconds.",
    )
    fetch_total_timeout_seconds: float = Field(
        default=20.0,
        gt=0,
        description="Maximum time one fetch may take, redirects included, in seconds.",
    )
    fetch_max_bytes: int = Field(
        default=1024 * 1024,
        gt=0,
        description="Largest response body a fetch reads, in bytes; larger "
        "responses are abandoned while streaming.",
    )
    fetch_max_redirects: int = Field(
        default=3,
        ge=0,
        le=10,
        description="Redirects a fetch follows; each target is checked again.",
    )
    fetch_cache_ttl_seconds: float = Field(
        default=300.0,
        ge=0,
        description="How long a fetched document is reused, in seconds; 0 "
        "turns the cache off.",
    )
    fetch_allow_insecure_loopback_for_tests: bool = Field(
        default=False,
        description="Tests only: also allow http:// and loopback addresses "
        "(127.0.0.0/8, ::1), so a test can serve documents from a local "
        "server. Rejected when environment is production.",
    )
    environment: str = Field(default="dev", pattern="^(dev|production)$")
    preview_secret: SecretStr = Field(
        default=SecretStr(DEV_PREVIEW_SECRET),
        description="Key for the HMAC tokens in learner preview links. Changing "
        "it invalidates every preview link signed with the old key.",
    )
    preview_token_days: int = Field(
        default=7,
        ge=1,
        le=365,
        description="Days until a new learner preview link expires.",
    )
    rate_limit_per_second: float = Field(
        default=10.0,
        gt=0,
        description="Requests per second that each API key may make on average.",
    )
    rate_limit_burst: int = Field(
        default=60,
        ge=1,
        description="Requests that each API key may make at once before the "
        "per-second rate applies.",
    )
    auth_failure_burst: int = Field(
        default=10,
        ge=1,
        description="Failed authentication attempts (wrong or revoked key, "
        "invalid preview token) allowed at once per key id and per client "
        "address before the API answers 429.",
    )
    auth_failure_per_second: float = Field(
        default=0.2,
        gt=0,
        description="Failed authentication attempts per second allowed on "
        "average per key id and per client address, after the burst.",
    )
    cookie_secure: bool | None = Field(
        default=None,
        description="Whether the sign-in cookie is sent over HTTPS only. Unset "
        "means yes in production and no in dev, where the UI is served over "
        "plain HTTP on 127.0.0.1.",
    )
    log_format: str = Field(default="console", pattern="^(console|json)$")
    log_level: str = Field(default="INFO", pattern="^(DEBUG|INFO|WARNING|ERROR)$")

    @model_validator(mode="after")
    def _no_dev_secrets_in_production(self) -> "Settings":
        if (
            self.environment == "production"
            and self.preview_secret.get_secret_value() == DEV_PREVIEW_SECRET
        ):
            raise ValueError(
                "preview_secret still has the development default; set "
                "SKILLBEACON_PREVIEW_SECRET to a random value"
            )
        if (
            self.environment == "production"
            and self.fetch_allow_insecure_loopback_for_tests
        ):
            raise ValueError(
                "fetch_allow_insecure_loopback_for_tests is for tests only; "
                "unset SKILLBEACON_FETCH_ALLOW_INSECURE_LOOPBACK_FOR_TESTS"
            )
        return self

    @property
    def session_cookie_secure(self) -> bool:
        if self.cookie_secure is not None:
            return self.cookie_secure
        return self.environment == "production"

    @property
    def uses_local_engine(self) -> bool:
        return self.opensearch_url is None

    @property
    def engine_url(self) -> str:
        if self.opensearch_url is not None:
            return str(self.opensearch_url).rstrip("/")
        return f"http://127.0.0.1:{self.engine_http_port}"


class SettingsError(RuntimeError):
    """Raised when the environment contains an invalid setting."""


@lru_cache
def get_settings() -> Settings:
    """Load settings once, failing with a message that names each bad variable."""
    try:
        return Settings()
    except ValidationError as error:
        problems = []
        for item in error.errors():
            location = "_".join(str(p) for p in item["loc"]).upper()
            name = f"SKILLBEACON_{location}" if location else "settings"
            problems.append(f"{name}: {item['msg']}")
        raise SettingsError("invalid settings: " + "; ".join(problems)) from None
