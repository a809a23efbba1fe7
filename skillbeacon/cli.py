"""The `skillbeacon` command line."""

import json
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import structlog
import typer
from opensearchpy.exceptions import OpenSearchException

from skillbeacon import engine
from skillbeacon.cli_admin import keys_app
from skillbeacon.cli_contexts import contexts_app
from skillbeacon.logging import configure_logging
from skillbeacon.settings import (
    DEV_PREVIEW_SECRET,
    Settings,
    SettingsError,
    get_settings,
)

if TYPE_CHECKING:
    from indexer.credentials.verdicts import CredentialVerdict

log = structlog.get_logger(__name__)

app = typer.Typer(help="Employer candidate search on verified skills evidence.")
engine_app = typer.Typer(help="Run the local single-node OpenSearch engine.")
skills_app = typer.Typer(help="Load and look up skill vocabularies.")
app.add_typer(engine_app, name="engine")
app.add_typer(skills_app, name="skills")
app.add_typer(keys_app, name="keys")
app.add_typer(contexts_app, name="contexts")


def load_settings() -> Settings:
    try:
        settings = get_settings()
    except SettingsError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None
    configure_logging(settings)
    return settings


def fail(message: str, code: int = 1) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def warn_if_default_preview_secret(settings: Settings) -> None:
    """Log a warning while preview links are signed with the development key.

    That key is public in this repository, so anyone can forge a preview
    link with it. Settings reject it only when environment is production.
    """
    if settings.preview_secret.get_secret_value() == DEV_PREVIEW_SECRET:
        log.warning(
            "api.preview_secret.default",
            environment=settings.environment,
            fix="set SKILLBEACON_PREVIEW_SECRET to a random value",
        )


def ready_client(settings: Settings):  # noqa: ANN201 - OpenSearch client
    """Start the local engine if needed, then return a client with indices."""
    from skillbeacon.store.client import build_client
    from skillbeacon.store.indices import ensure_indices
    from skillbeacon.store.skills import ensure_builtin_skills

    try:
        engine.ensure_engine(settings)
    except engine.EngineError as error:
        raise fail(str(error)) from None
    client = build_client(settings)
    ensure_indices(client, settings)
    ensure_builtin_skills(client, settings)
    return client


@engine_app.command("start")
def engine_start() -> None:
    """Start the local engine and wait until the cluster is healthy."""
    settings = load_settings()
    try:
        pid = engine.start(settings)
    except engine.EngineError as error:
        raise fail(str(error)) from None
    typer.echo(f"OpenSearch is running at {settings.engine_url} (pid {pid})")


@engine_app.command("stop")
def engine_stop() -> None:
    """Stop the local engine started by `engine start`."""
    settings = load_settings()
    if not engine.stop(settings):
        typer.echo("no local engine is running")
        return
    typer.echo("stopped the local engine")


@engine_app.command("status")
def engine_status() -> None:
    """Show where the engine is and whether the cluster is healthy."""
    settings = load_settings()
    current = engine.status(settings)
    kind = "local" if current.local else "external (SKILLBEACON_OPENSEARCH_URL)"
    health = current.health["status"] if current.health else "unreachable"
    pid = f", pid {current.pid}" if current.pid else ""
    typer.echo(f"{kind} engine at {current.url}{pid}: {health}")
    if current.health is None:
        raise typer.Exit(1)


@app.command("index")
def index(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Profile, pathway and credential files or folders."),
    ],
    progress: Annotated[
        bool, typer.Option(help="Show a progress bar on a terminal.")
    ] = True,
) -> None:
    """Verify and index learner profiles and pathway definitions.

    Exits with 1 when any input was rejected; the rest are indexed anyway.
    """
    from indexer.pipeline import run_index
    from indexer.report import print_report
    from skillbeacon.store.client import StoreError

    settings = load_settings()
    client = ready_client(settings)
    try:
        report = run_index(paths, settings, client, show_progress=progress)
    except (StoreError, OpenSearchException) as error:
        raise fail(
            f"OpenSearch failed during the run ({type(error).__name__}); "
            "learners already written stay indexed. Check "
            "`skillbeacon engine status` and run the command again."
        ) from None
    print_report(report)
    if report.rejected:
        raise typer.Exit(1)


VERIFY_HELP = """Verify credential files offline and print one result per file.

Each PATH is a credential file (JSON, JWT, baked PNG or baked SVG) or a
folder, whose files are all checked. No learner is known here, so the
recipient is never matched. The recipient check is a warning, and
"verified" means the signature or hosted copy, the issuer's key, the dates
and the revocation status checked out.

The statuses are verified, invalid, expired, not_yet_valid and revoked.
A file is unverified when a document or key it needs cannot be resolved
offline. It gets the status error when it cannot be read as a credential
(not a credential, malformed, or over a size limit), with the reason as
the message.

Exit codes: 0 when every file is verified, 1 otherwise, 2 for invalid
arguments or settings.
"""


@app.command("verify", help=VERIFY_HELP)
def verify(
    paths: Annotated[
        list[Path],
        typer.Argument(
            exists=True, metavar="PATH", help="Credential files or folders."
        ),
    ],
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            help="Print a JSON array with path, status, checks, message, "
            "nested (a CLR's credentials) and endorsements for each file.",
        ),
    ] = False,
    url_map: Annotated[
        Path | None,
        typer.Option(
            exists=True,
            dir_okay=False,
            help="URL map file (exact, prefix and did_web tables) that resolves "
            "URLs and did:web ids to local files. Overrides SKILLBEACON_URL_MAP.",
        ),
    ] = None,
    context_dir: Annotated[
        Path | None,
        typer.Option(
            exists=True,
            file_okay=False,
            help="Folder of JSON-LD contexts; the URL map's exact entries for "
            "files in it are the contexts. Defaults to SKILLBEACON_CONTEXT_DIR, "
            "then to the URL map's own folder.",
        ),
    ] = None,
) -> None:
    from indexer.credentials.url_map import load_url_map
    from indexer.credentials.verdicts import verify_credential_files
    from indexer.errors import InputRejected

    settings = verify_settings(load_settings(), url_map, context_dir)
    try:
        load_url_map(settings.url_map)
    except InputRejected as error:
        raise fail(error.reason, code=2) from None

    verdicts = verify_credential_files(paths, settings)
    if not verdicts:
        raise fail("no files found in the given folders")

    if as_json:
        rows = [verdict.model_dump(mode="json") for verdict in verdicts]
        json.dump(rows, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        for verdict in verdicts:
            print_verdict(verdict)

    verified = sum(1 for verdict in verdicts if verdict.status == "verified")
    log.info("verify.run.done", files=len(verdicts), verified=verified)
    if verified < len(verdicts):
        raise typer.Exit(1)


def verify_settings(
    settings: Settings, url_map: Path | None, context_dir: Path | None
) -> Settings:
    """Apply the verify command's --url-map and --context-dir to the settings.

    Without a context folder from the option or the environment, the URL
    map's own folder is used, so every exact entry of the map can serve as a
    JSON-LD context. A context is only read when a credential names it.
    """
    map_path = url_map or settings.url_map
    folder = context_dir or settings.context_dir
    if folder is None and map_path is not None:
        folder = map_path.resolve().parent
    if folder is not None and map_path is None:
        raise fail(
            "--context-dir needs a URL map that lists the context URLs; pass "
            "--url-map or set SKILLBEACON_URL_MAP",
            code=2,
        )
    return settings.model_copy(update={"url_map": map_path, "context_dir": folder})


def print_verdict(verdict: "CredentialVerdict", indent: str = "") -> None:
    """Print one verdict, its checks and its nested verdicts as indented text."""
    label = verdict.path if not indent else (verdict.name or "nested credential")
    typer.echo(f"{indent}{printable(label)}: {verdict.status}")
    typer.echo(f"{indent}  {printable(verdict.message)}")
    for check in verdict.checks:
        typer.echo(
            f"{indent}  [{check.outcome.value}] {check.name}: "
            f"{printable(check.message)}"
        )
    for position, nested in enumerate(verdict.nested):
        typer.echo(f"{indent}  nested [{position}]")
        print_verdict(nested, indent + "    ")
    for position, endorsement in enumerate(verdict.endorsements):
        typer.echo(f"{indent}  endorsement [{position}]")
        print_verdict(endorsement, indent + "    ")


def printable(text: str) -> str:
    """Escape control characters, so text from a file cannot drive the terminal."""
    return "".join(
        character if character.isprintable() else repr(character)[1:-1]
        for character in text
    )


@skills_app.command("import")
def skills_import(
    files: Annotated[
        list[Path], typer.Argument(help="ESCO CSV, OSMT CSV or RSD JSON.")
    ],
) -> None:
    """Load skill concepts from framework files into the skill index."""
    from skillbeacon.skills.importers import import_file
    from skillbeacon.store.skills import upsert_skills

    settings = load_settings()
    client = ready_client(settings)
    for path in files:
        try:
            concepts = import_file(path)
        except (OSError, ValueError) as error:
            raise fail(f"{path}: {error}") from None
        written = upsert_skills(client, settings, concepts)
        typer.echo(f"{path}: imported {written} skill concepts")


@skills_app.command("resolve")
def skills_resolve(
    name: Annotated[str, typer.Argument(help="A skill name as a recruiter types it.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Print the skill concepts a name resolves to, best first."""
    from skillbeacon.store.skills import resolve_skill_name

    settings = load_settings()
    client = ready_client(settings)
    matches = resolve_skill_name(client, settings, name)
    if as_json:
        rows = [
            {
                "id": m.skill_id,
                "label": m.label,
                "framework": m.framework,
                "reason": m.reason,
                "score": m.weight,
            }
            for m in matches
        ]
        json.dump(rows, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return
    if not matches:
        raise fail(f"no skill concept matches {name!r}")
    for match in matches:
        typer.echo(
            f"{match.weight:.2f}  {match.label}  [{match.framework}] "
            f"{match.skill_id}  ({match.reason})"
        )


@app.command("serve")
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address.")] = None,
    port: Annotated[int | None, typer.Option(help="TCP port.")] = None,
) -> None:
    """Serve the search API and the web UI."""
    import uvicorn

    from search_api.app import create_app

    settings = load_settings()
    warn_if_default_preview_secret(settings)
    ready_client(settings)
    uvicorn.run(
        create_app(settings),
        host=host or settings.api_host,
        port=port or settings.api_port,
        log_config=None,
    )


def learner_is_indexed(settings: Settings, learner_id: str) -> bool | None:
    """Look the learner up in the candidate index without starting the engine.

    Return None when the engine cannot be reached or the lookup fails.
    """
    from skillbeacon.store.candidates import get_candidate
    from skillbeacon.store.client import StoreError, build_client

    try:
        return get_candidate(build_client(settings), settings, learner_id) is not None
    except StoreError as error:
        log.warning(
            "cli.preview_link.lookup_failed",
            learner_id=learner_id,
            error=str(error.__cause__ or error),
        )
        return None


@app.command("preview-link")
def preview_link(
    learner_id: Annotated[str, typer.Argument(help="The learner's id, as indexed.")],
) -> None:
    """Print the link to a learner's preview page, their card as employers see it.

    The link carries a token signed with SKILLBEACON_PREVIEW_SECRET and
    points at SKILLBEACON_API_HOST and SKILLBEACON_API_PORT. It expires
    after SKILLBEACON_PREVIEW_TOKEN_DAYS days (7 by default). A single link
    cannot be revoked. Changing SKILLBEACON_PREVIEW_SECRET invalidates every
    link signed before.
    """
    from skillbeacon.models.profile import LEARNER_ID_PATTERN
    from skillbeacon.security import preview_token, preview_token_expiry

    settings = load_settings()
    if not re.fullmatch(LEARNER_ID_PATTERN, learner_id):
        raise fail(
            f"{learner_id[:100]!r} is not a valid learner id. Use the id "
            "from the learner's profile file"
        )
    warn_if_default_preview_secret(settings)

    host = settings.api_host
    if ":" in host:
        host = f"[{host}]"  # An IPv6 address needs brackets in a URL.
    expires_at = preview_token_expiry(settings)
    token = preview_token(learner_id, settings, expires_at=expires_at)
    typer.echo(f"http://{host}:{settings.api_port}/preview/{learner_id}?token={token}")
    typer.echo(f"expires {expires_at.isoformat()}", err=True)

    indexed = learner_is_indexed(settings, learner_id)
    if indexed is None:
        typer.echo(
            f"warning: could not check whether learner {learner_id!r} is indexed, "
            "because the engine lookup failed. The link opens the preview only "
            "once the learner is indexed.",
            err=True,
        )
    elif not indexed:
        typer.echo(
            f"warning: no learner with id {learner_id!r} is indexed. Check the id; "
            "the link opens the preview only once the learner is indexed.",
            err=True,
        )


@app.command("demo")
def demo(
    learners: Annotated[int, typer.Option(help="Size of the demo population.")] = 300,
    seed: Annotated[int, typer.Option(help="Random seed of the population.")] = 7,
    serve_after: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Serve API and UI afterwards.")
    ] = True,
) -> None:
    """Start the local engine, index a generated population, serve API and UI."""
    from skillbeacon.demo import run_demo

    settings = load_settings()
    client = ready_client(settings)
    run_demo(settings, client, learners=learners, seed=seed)
    if serve_after:
        serve(host=None, port=None)


@app.command("schemas")
def schemas(
    out: Annotated[Path, typer.Option(help="Folder to write into.")] = Path("schemas"),
) -> None:
    """Write the JSON Schemas of the input formats."""
    from skillbeacon.schemas import write_schemas

    for path in write_schemas(out):
        typer.echo(f"wrote {path}")
