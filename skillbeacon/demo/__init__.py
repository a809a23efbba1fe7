"""The demo: a generated population of learners, indexed into the engine."""

from datetime import UTC, datetime
from typing import TYPE_CHECKING

import structlog
import typer

from skillbeacon.api_keys import EMPLOYER_ROLES
from skillbeacon.demo.population import (
    DEMO_EMPLOYER_GROUP,
    generate_population,
    write_population,
)
from skillbeacon.settings import Settings

if TYPE_CHECKING:
    from opensearchpy import OpenSearch

    from indexer.report import IndexReport
    from skillbeacon.models.profile import LearnerProfile

log = structlog.get_logger(__name__)

SHOWN_REJECTIONS = 10
DEMO_ORGANIZATION = "Demo Health Partners"
# A youth-program employer in the group that some demo learners limit their
# consent to, so its key finds those learners and minors with guardian consent.
DEMO_YOUTH_ORGANIZATION = "Demo Hospital Internships"


def run_demo(
    settings: Settings, client: "OpenSearch", learners: int = 300, seed: int = 7
) -> "IndexReport":
    """Write a seeded population under state_dir/demo and index it."""
    from indexer.pipeline import run_index
    from skillbeacon.store.skills import ensure_builtin_skills

    population = generate_population(learners, seed)
    folder = settings.state_dir / "demo"
    written = write_population(population, folder)
    log.info("demo.written", folder=str(folder), files=len(written), seed=seed)

    ensure_builtin_skills(client, settings)
    # Pathways first, so that the profiles' pathway progress can be computed.
    report = run_index(
        [folder / "pathways", folder / "profiles.jsonl"], settings, client
    )

    log.info(
        "demo.indexed",
        indexed=report.indexed,
        unchanged=report.unchanged,
        not_consenting=report.not_consenting,
        rejected=len(report.rejected),
    )

    typer.echo(
        f"Demo population: {len(population.profiles)} learners and "
        f"{len(population.pathways)} pathways written to {folder}"
    )
    typer.echo(f"  indexed:              {report.indexed + report.unchanged}")
    typer.echo(f"  skipped for consent:  {report.not_consenting}")
    typer.echo(f"  rejected:             {len(report.rejected)}")
    for rejection in report.rejected[:SHOWN_REJECTIONS]:
        typer.echo(f"    {rejection.path}: {rejection.reason}")
    typer.echo(f"UI:  http://{settings.api_host}:{settings.api_port}/")
    typer.echo(f"API: http://{settings.api_host}:{settings.api_port}/docs")
    print_demo_keys(settings, client, population.profiles)
    return report


def pick_demo_learner(
    settings: Settings, client: "OpenSearch", profiles: list["LearnerProfile"]
) -> str | None:
    """Choose the learner for the demo learner key.

    The first indexed adult whose active consent covers employer search and
    contact is chosen, so the contact relay can be tried with the key. Without
    one, the first learner whose consent covers employer search is chosen,
    else the first learner, else None.
    """
    from skillbeacon.models.profile import ConsentScope
    from skillbeacon.privacy import is_minor
    from skillbeacon.store.candidates import get_candidate

    now = datetime.now(UTC)
    searchable = [
        profile for profile in profiles if profile.consent.covers_employer_search(now)
    ]
    for profile in searchable:
        if ConsentScope.contact not in profile.consent.scopes:
            continue
        document = get_candidate(client, settings, profile.learner_id)
        if document is not None and not is_minor(document):
            return profile.learner_id

    log.warning("demo.learner_key.no_contact_learner", learners=len(profiles))
    if searchable:
        return searchable[0].learner_id
    return profiles[0].learner_id if profiles else None


def print_demo_keys(
    settings: Settings, client: "OpenSearch", profiles: list["LearnerProfile"]
) -> None:
    """Create one key per role and print them; sign in at /login with them.

    A second recruiter key belongs to a youth-program employer in
    DEMO_EMPLOYER_GROUP.
    """
    from skillbeacon.api_keys import Role
    from skillbeacon.store.api_keys import create_api_key

    learner_id = pick_demo_learner(settings, client, profiles)
    typer.echo("API keys for this demo (each is shown only once):")
    for role in Role:
        if role == Role.learner and learner_id is None:
            continue
        _, key = create_api_key(
            client,
            settings,
            role,
            learner_id=learner_id if role == Role.learner else None,
            organization=DEMO_ORGANIZATION if role in EMPLOYER_ROLES else None,
        )
        bound = f" (learner {learner_id})" if role == Role.learner else ""
        typer.echo(f"  {role.value:<10} {key}{bound}")

    _, youth_key = create_api_key(
        client,
        settings,
        Role.recruiter,
        organization=DEMO_YOUTH_ORGANIZATION,
        employer_groups=[DEMO_EMPLOYER_GROUP],
        youth_program=True,
    )
    typer.echo(
        f"  {Role.recruiter.value:<10} {youth_key} (youth programs, employer group "
        f"{DEMO_EMPLOYER_GROUP}: also finds minors with guardian consent and "
        "learners limited to that group)"
    )
