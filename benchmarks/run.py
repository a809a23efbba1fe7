"""Measure indexing throughput and API latency against a real OpenSearch node.

    .venv/bin/python -m benchmarks.run --learners 2000 --queries 500

The engine is the one that the SKILLBEACON_* settings name, and this module
never starts or stops it. It writes only the indices named `bench-*`, deletes any
that exist before it starts and deletes them again at the end.
"""

import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer
from fastapi.testclient import TestClient
from opensearchpy import OpenSearch

from benchmarks.machine import describe_machine
from benchmarks.queries import search_requests, suggest_prefixes
from indexer.pipeline import run_index
from search_api.app import create_app
from skillbeacon.api_keys import Role
from skillbeacon.demo.population import generate_population, write_population
from skillbeacon.logging import configure_logging
from skillbeacon.settings import REPO_ROOT, Settings, SettingsError, get_settings
from skillbeacon.skills.importers import import_file
from skillbeacon.store.api_keys import create_api_key
from skillbeacon.store.client import StoreError, build_client, cluster_health
from skillbeacon.store.indices import drop_indices, ensure_indices, refresh
from skillbeacon.store.skills import count_skills, ensure_builtin_skills, upsert_skills

INDEX_PREFIX = "bench"
WARMUP_REQUESTS = 50
SHARED_DATA = Path(
    os.environ.get("SKILLBEACON_SHARED_DATA", REPO_ROOT.parent / "shared" / "data")
)
DEFAULT_ESCO_CSV = SHARED_DATA / "skills" / "esco_skills_en.csv"

# Variables that may hold credentials are left out of the recorded command.
HIDDEN_VARIABLE_PARTS = ("PASSWORD", "SECRET", "USERNAME")

app = typer.Typer(add_completion=False)


class BenchmarkError(RuntimeError):
    """Raised when the engine is unusable or a measured request fails."""


def latency_summary(samples_ms: list[float]) -> dict[str, float | int]:
    """Summarize request durations in milliseconds: p50, p95, p99, mean, max."""
    # quantiles(n=100) returns the 99 cut points p1..p99.
    cuts = statistics.quantiles(samples_ms, n=100, method="inclusive")
    return {
        "requests": len(samples_ms),
        "p50_ms": round(cuts[49], 2),
        "p95_ms": round(cuts[94], 2),
        "p99_ms": round(cuts[98], 2),
        "mean_ms": round(statistics.fmean(samples_ms), 2),
        "max_ms": round(max(samples_ms), 2),
    }


def time_requests(
    send: Callable[[Any], httpx.Response], requests: list[Any], warmup: list[Any]
) -> list[float]:
    """Send the warm-up requests untimed, then time each request in milliseconds.

    Raises BenchmarkError on the first response that is not 200.
    """
    samples = []
    for position, request in enumerate(warmup + requests):
        started = time.perf_counter()
        response = send(request)
        elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise BenchmarkError(
                f"request {request!r} failed with HTTP {response.status_code}: "
                f"{response.text[:300]}"
            )
        if position >= len(warmup):
            samples.append(elapsed * 1000)
    return samples


def time_indexing(
    label: str,
    folder: Path,
    settings: Settings,
    client: OpenSearch,
    learners: int,
    now: datetime,
) -> dict[str, Any]:
    """Run the indexer once over the population files and time it."""
    started = time.perf_counter()
    report = run_index(
        [folder / "pathways", folder / "profiles.jsonl"],
        settings,
        client,
        show_progress=False,
        now=now,
    )
    seconds = time.perf_counter() - started
    return {
        "run": label,
        "learners": learners,
        "credentials": report.credentials,
        "written": report.indexed,
        "unchanged": report.unchanged,
        "not_consenting": report.not_consenting,
        "rejected": len(report.rejected),
        "seconds": round(seconds, 3),
        "learners_per_second": round(learners / seconds, 1),
        "credentials_per_second": round(report.credentials / seconds, 1),
    }


def measure_suggest(
    http: TestClient, prefixes: list[str], warmup: list[str], concepts: int
) -> dict[str, Any]:
    samples = time_requests(
        lambda prefix: http.get("/v1/skills/suggest", params={"q": prefix}),
        prefixes,
        warmup,
    )
    return {"skill_concepts": concepts, **latency_summary(samples)}


def recorded_command() -> str:
    """Return the command line, prefixed with the SKILLBEACON_* variables set."""
    variables = [
        f"{name}={shlex.quote(value)}"
        for name, value in sorted(os.environ.items())
        if name.startswith("SKILLBEACON_")
        and not any(part in name for part in HIDDEN_VARIABLE_PARTS)
    ]
    return " ".join([*variables, shlex.join(sys.orig_argv)])


def code_version() -> str:
    """Return the short git commit, noting uncommitted changes to tracked files."""
    git = shutil.which("git")
    if git is None:
        return "unknown (git not found)"
    try:
        commit = subprocess.run(  # noqa: S603 - fixed argv, no shell
            [git, "rev-parse", "--short", "HEAD"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        changes = subprocess.run(  # noqa: S603 - fixed argv, no shell
            [git, "status", "--porcelain", "--untracked-files=no"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    if changes.strip():
        return f"{commit} with uncommitted changes"
    return commit


def check_engine(client: OpenSearch, settings: Settings) -> None:
    try:
        health = cluster_health(client)
    except StoreError:
        health = {}
    if health.get("status") not in ("green", "yellow"):
        raise BenchmarkError(
            f"no healthy OpenSearch cluster at {settings.engine_url}. Start one with "
            "`skillbeacon engine start` and the same SKILLBEACON_* variables, "
            "or set SKILLBEACON_OPENSEARCH_URL"
        )


def run_benchmark(
    settings: Settings,
    client: OpenSearch,
    learners: int,
    queries: int,
    seed: int,
    esco_csv: Path,
) -> dict[str, Any]:
    """Index a generated population twice, then time search and suggest."""
    results: dict[str, Any] = {
        "command": recorded_command(),
        "code": code_version(),
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": describe_machine(client, settings),
        "learners": learners,
        "queries": queries,
        "seed": seed,
        "warmup_requests": WARMUP_REQUESTS,
    }

    drop_indices(client, settings)
    ensure_indices(client, settings)
    ensure_builtin_skills(client, settings)
    builtin_concepts = count_skills(client, settings)

    with tempfile.TemporaryDirectory(prefix="skillbeacon-bench-") as temporary:
        folder = Path(temporary)
        started = time.perf_counter()
        population = generate_population(learners, seed)
        write_population(population, folder)
        results["generate_seconds"] = round(time.perf_counter() - started, 3)

        # One clock for both runs, so that no badge expires between them.
        now = datetime.now(UTC)
        cold = time_indexing("cold", folder, settings, client, learners, now)
        rerun = time_indexing("rerun", folder, settings, client, learners, now)
        results["indexing"] = [cold, rerun]
    refresh(client, settings, "candidates")
    refresh(client, settings, "skills")

    bodies, features = search_requests(queries, seed)
    warmup_bodies, _ = search_requests(WARMUP_REQUESTS, seed + 1)
    prefixes = suggest_prefixes(queries, seed)
    warmup_prefixes = suggest_prefixes(WARMUP_REQUESTS, seed + 1)
    results["search_mix"] = dict(sorted(features.items()))

    # NOTE: TestClient calls the app in-process, so uvicorn and a TCP hop between
    # client and API are not in the figures. Calls to OpenSearch do use HTTP.
    # The benchmark measures the search path, not the rate limiter, so its
    # own recruiter key gets a budget that the timed requests never reach.
    _, key = create_api_key(
        client, settings, Role.recruiter, organization="skillbeacon benchmark"
    )
    app_settings = settings.model_copy(update={"rate_limit_burst": 1_000_000})
    headers = {"Authorization": f"Bearer {key}"}
    with TestClient(create_app(app_settings, client), headers=headers) as http:
        samples = time_requests(
            lambda body: http.post("/v1/search", json=body), bodies, warmup_bodies
        )
        results["search"] = latency_summary(samples)
        results["suggest_builtin"] = measure_suggest(
            http, prefixes, warmup_prefixes, builtin_concepts
        )

        if esco_csv.is_file():
            started = time.perf_counter()
            written = upsert_skills(client, settings, import_file(esco_csv))
            results["esco_import"] = {
                "file": esco_csv.name,
                "concepts": written,
                "seconds": round(time.perf_counter() - started, 3),
            }
            results["suggest_esco"] = measure_suggest(
                http, prefixes, warmup_prefixes, count_skills(client, settings)
            )
        else:
            results["suggest_esco"] = None
            results["esco_note"] = f"skipped: {esco_csv} not found"

    results["load_average_at_finish"] = [round(value, 2) for value in os.getloadavg()]
    return results


def markdown_report(results: dict[str, Any]) -> str:
    """Render the results as Markdown tables."""
    lines = [
        f"Command: `{results['command']}`",
        "",
        f"Code: {results['code']}.",
        "",
        f"Population: {results['learners']} learners, seed {results['seed']}, "
        f"generated and written in {results['generate_seconds']} s.",
        "",
        "| indexing run | learners | credentials | written | unchanged | seconds "
        "| learners/s | credentials/s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for run in results["indexing"]:
        lines.append(
            f"| {run['run']} | {run['learners']} | {run['credentials']} "
            f"| {run['written']} | {run['unchanged']} | {run['seconds']} "
            f"| {run['learners_per_second']} | {run['credentials_per_second']} |"
        )

    lines += [
        "",
        f"Latency in ms, end to end through the API, after "
        f"{results['warmup_requests']} untimed warm-up requests:",
        "",
        "| endpoint | skill concepts | requests | p50 | p95 | p99 | mean | max |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    rows = [("POST /v1/search", results["search"], "-")]
    for key, label in (
        ("suggest_builtin", "GET /v1/skills/suggest, built-in"),
        ("suggest_esco", "GET /v1/skills/suggest, built-in + ESCO"),
    ):
        if results.get(key):
            rows.append((label, results[key], results[key]["skill_concepts"]))
    for label, summary, concepts in rows:
        lines.append(
            f"| {label} | {concepts} | {summary['requests']} | {summary['p50_ms']} "
            f"| {summary['p95_ms']} | {summary['p99_ms']} | {summary['mean_ms']} "
            f"| {summary['max_ms']} |"
        )
    if "esco_import" in results:
        esco = results["esco_import"]
        lines += [
            "",
            f"ESCO import: {esco['concepts']} concepts from {esco['file']} "
            f"in {esco['seconds']} s.",
        ]
    if "esco_note" in results:
        lines += ["", f"ESCO suggest: {results['esco_note']}."]

    mix = ", ".join(f"{name}: {count}" for name, count in results["search_mix"].items())
    lines += ["", f"Search request mix: {mix}.", "", "| machine | |", "| --- | --- |"]
    for name, value in results["machine"].items():
        lines.append(f"| {name} | {value} |")
    lines.append(f"| load_average_at_finish | {results['load_average_at_finish']} |")
    return "\n".join(lines)


@app.command()
def main(
    learners: Annotated[
        int, typer.Option(min=1, help="Generated learners to index.")
    ] = 1000,
    queries: Annotated[
        int,
        typer.Option(min=2, help="Timed requests per endpoint, after the warm-up."),
    ] = 300,
    seed: Annotated[
        int, typer.Option(help="Seed of the population and the request mix.")
    ] = 7,
    esco: Annotated[
        Path,
        typer.Option(help="ESCO skills CSV to import for the second suggest run."),
    ] = DEFAULT_ESCO_CSV,
    json_path: Annotated[
        Path | None, typer.Option("--json", help="Also write the results here.")
    ] = None,
) -> None:
    """Measure indexing throughput and search and suggest latency."""
    try:
        settings = get_settings().model_copy(update={"index_prefix": INDEX_PREFIX})
    except SettingsError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None
    # The API logs one event per search, which at INFO is thousands of lines.
    configure_logging(settings.model_copy(update={"log_level": "WARNING"}))

    client = build_client(settings)
    try:
        check_engine(client, settings)
    except BenchmarkError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None

    try:
        results = run_benchmark(settings, client, learners, queries, seed, esco)
    except BenchmarkError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None
    finally:
        drop_indices(client, settings)

    typer.echo(markdown_report(results))
    if json_path is not None:
        json_path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        typer.echo(f"\nwrote {json_path}")


if __name__ == "__main__":
    app()
