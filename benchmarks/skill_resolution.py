"""Measure skill name resolution against the skill-extraction benchmark files.

    .venv/bin/python -m benchmarks.skill_resolution [--suggest-sample 1000]

Each row of `benchmark_skill_extraction_*.csv` marks a skill phrase (`span`)
in a job-posting sentence and names the ESCO preferred label it means. Rows
labelled LABEL NOT PRESENT or UNDERSPECIFIED are skipped. Every span is
resolved with `resolve_skill_name` against an index that contains the ESCO
skills and skill groups, and with a plain BM25 `match` query on
`preferred_label` in the same index as the baseline. A hit is a returned
preferred label equal to the gold label, ignoring case.

The engine is the one the SKILLBEACON_* settings name, and this module never
starts or stops it. It writes only the indices named `bench-skills-*`,
deletes any that exist before it starts and deletes them again at the end.
"""

import csv
import json
import random
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from opensearchpy import OpenSearch

from benchmarks.machine import describe_machine
from benchmarks.run import SHARED_DATA, latency_summary, recorded_command
from skillbeacon.logging import configure_logging
from skillbeacon.settings import Settings, SettingsError, get_settings
from skillbeacon.skills.importers import import_file
from skillbeacon.store.client import build_client
from skillbeacon.store.indices import alias_name, drop_indices, ensure_indices
from skillbeacon.store.skills import (
    count_skills,
    resolve_skill_name,
    suggest_skills,
    upsert_skills,
)

INDEX_PREFIX = "bench-skills"
SKILLS_DIR = SHARED_DATA / "skills"
ESCO_FILES = ("esco_skills_en.csv", "esco_skill_groups_en.csv")
BENCHMARK_FILES = (
    "benchmark_skill_extraction_tech_validation.csv",
    "benchmark_skill_extraction_tech_test.csv",
    "benchmark_skill_extraction_house_validation.csv",
    "benchmark_skill_extraction_house_test.csv",
)
SKIPPED_LABELS = frozenset({"LABEL NOT PRESENT", "UNDERSPECIFIED"})
TOP_K = 5
SUGGEST_SIZE = 10

app = typer.Typer(add_completion=False)

Ranker = Callable[[str], list[str]]


def read_spans(path: Path) -> list[tuple[str, str]]:
    """Return (span, gold label) for every row with an ESCO label."""
    spans = []
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            label = (row.get("label") or "").strip()
            span = (row.get("span") or "").strip()
            if not span or not label or label in SKIPPED_LABELS:
                continue
            spans.append((span, label))
    return spans


def score_ranker(spans: list[tuple[str, str]], ranker: Ranker) -> dict[str, Any]:
    """Return top-1 and top-5 accuracy and the latency of one ranker on spans."""
    top1 = 0
    top5 = 0
    durations_ms = []
    for span, gold in spans:
        started = time.perf_counter()
        labels = [label.casefold() for label in ranker(span)]
        durations_ms.append((time.perf_counter() - started) * 1000)
        if labels[:1] == [gold.casefold()]:
            top1 += 1
        if gold.casefold() in labels[:TOP_K]:
            top5 += 1
    count = len(spans) or 1
    return {
        "top1": round(top1 / count, 4),
        "top5": round(top5 / count, 4),
        "latency_ms": latency_summary(durations_ms),
    }


def resolver_ranker(client: OpenSearch, settings: Settings) -> Ranker:
    def rank(span: str) -> list[str]:
        matches = resolve_skill_name(client, settings, span, limit=TOP_K)
        return [match.label for match in matches]

    return rank


def bm25_ranker(client: OpenSearch, settings: Settings) -> Ranker:
    index = alias_name(settings, "skills")

    def rank(span: str) -> list[str]:
        body = {
            "size": TOP_K,
            "_source": ["preferred_label"],
            "query": {"match": {"preferred_label": span}},
        }
        response = client.search(index=index, body=body)
        return [hit["_source"]["preferred_label"] for hit in response["hits"]["hits"]]

    return rank


def measure_suggest(
    client: OpenSearch, settings: Settings, labels: list[str], sample: int
) -> dict[str, Any]:
    """Type a sample of ESCO labels in part and in full; time the suggestions.

    Reports how often the typed concept's label is among the suggestions
    when its full label, and when its first word, is typed.
    """
    rng = random.Random(20_240_601)  # noqa: S311 - a repeatable sample
    chosen = rng.sample(labels, min(sample, len(labels)))
    durations_ms: list[float] = []

    def suggested(typed: str) -> list[str]:
        started = time.perf_counter()
        rows = suggest_skills(client, settings, typed, size=SUGGEST_SIZE)
        durations_ms.append((time.perf_counter() - started) * 1000)
        return [row["label"] for row in rows]

    full_found = 0
    first_word_found = 0
    for label in chosen:
        suggested(label[:3])
        if label in suggested(label.split()[0]):
            first_word_found += 1
        if label in suggested(label):
            full_found += 1
    count = len(chosen) or 1
    return {
        "sampled_labels": len(chosen),
        "requests": len(durations_ms),
        "full_label_in_top10": round(full_found / count, 4),
        "first_word_in_top10": round(first_word_found / count, 4),
        "latency_ms": latency_summary(durations_ms),
    }


def run(settings: Settings, suggest_sample: int) -> dict[str, Any]:
    client = build_client(settings)
    drop_indices(client, settings)
    ensure_indices(client, settings)
    try:
        return _measure(client, settings, suggest_sample)
    finally:
        drop_indices(client, settings)


def _measure(
    client: OpenSearch, settings: Settings, suggest_sample: int
) -> dict[str, Any]:
    started = time.perf_counter()
    esco_labels: set[str] = set()
    for file_name in ESCO_FILES:
        concepts = import_file(SKILLS_DIR / file_name)
        upsert_skills(client, settings, concepts)
        esco_labels.update(concept.preferred_label for concept in concepts)
    import_seconds = round(time.perf_counter() - started, 1)
    folded_labels = {label.casefold() for label in esco_labels}

    files = {}
    for file_name in BENCHMARK_FILES:
        spans = read_spans(SKILLS_DIR / file_name)
        missing_gold = sum(
            1 for _, gold in spans if gold.casefold() not in folded_labels
        )
        files[file_name] = {
            "spans": len(spans),
            "gold_label_not_in_index": missing_gold,
            "resolver": score_ranker(spans, resolver_ranker(client, settings)),
            "bm25_preferred_label": score_ranker(spans, bm25_ranker(client, settings)),
        }

    return {
        "run_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": recorded_command(),
        "machine": describe_machine(client, settings),
        "concepts_indexed": count_skills(client, settings),
        "import_seconds": import_seconds,
        "files": files,
        "suggest": measure_suggest(
            client, settings, sorted(esco_labels), suggest_sample
        ),
    }


def markdown_report(results: dict[str, Any]) -> str:
    lines = [
        "| file | spans | resolver top-1 | resolver top-5 | BM25 top-1 | BM25 top-5 |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for file_name, row in results["files"].items():
        resolver = row["resolver"]
        bm25 = row["bm25_preferred_label"]
        lines.append(
            f"| {file_name} | {row['spans']} | {resolver['top1']:.1%} | "
            f"{resolver['top5']:.1%} | {bm25['top1']:.1%} | {bm25['top5']:.1%} |"
        )
    return "\n".join(lines)


@app.command()
def main(
    suggest_sample: Annotated[
        int, typer.Option(help="ESCO labels typed to measure suggestions.")
    ] = 1000,
    output: Annotated[
        Path | None, typer.Option(help="Also write the results as JSON here.")
    ] = None,
) -> None:
    """Measure resolver and BM25 accuracy on the skill-extraction benchmark."""
    try:
        settings = get_settings().model_copy(
            update={"index_prefix": INDEX_PREFIX, "log_level": "WARNING"}
        )
    except SettingsError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(2) from None
    configure_logging(settings)

    results = run(settings, suggest_sample)
    text = json.dumps(results, indent=2)
    if output is not None:
        output.write_text(text + "\n", encoding="utf-8")
    sys.stdout.write(text + "\n\n" + markdown_report(results) + "\n")


if __name__ == "__main__":
    app()
