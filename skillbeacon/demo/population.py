"""A seeded population of fictional learner profiles with demo badges.

Every date is fixed, not taken from the clock, so one seed always yields the
same files. Verification results can still change over time, because a badge
whose validUntil lies ahead today expires once that date passes.
"""

import random
import shutil
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from skillbeacon.demo.catalog import (
    ACHIEVEMENTS,
    CITIES,
    FIRST_NAMES,
    GENERAL_ACHIEVEMENTS,
    HIGH_SCHOOL_ACHIEVEMENTS,
    HIGH_SCHOOLS,
    ISSUERS,
    LAST_NAMES,
    PATHWAYS,
    SELF_REPORTED_SKILLS,
    TRACK_PATHWAY,
    TRACKS,
)
from skillbeacon.demo.issuer import DemoIssuer, did_key_from_public_key, key_from_seed
from skillbeacon.models.pathway import PathwayDefinition
from skillbeacon.models.profile import LearnerProfile

MINOR_SHARE = 0.15
NOT_CONSENTING_SHARE = 0.10
WITHDRAWN_SHARE = 0.02
GUARDIAN_CONSENT_SHARE = 0.6
# The employer group that some learners limit their consent to.
DEMO_EMPLOYER_GROUP = "demo-healthcare-partners"
UNSIGNED_SHARE = 0.03
EXPIRED_SHARE = 0.04
DID_SUBJECT_SHARE = 0.4

# Minors are in the 2026-27 school year, so a 12th grader graduates in 2027.
SCHOOL_YEAR_END = 2027
EARLIEST_ISSUE = datetime(2025, 1, 15, tzinfo=UTC)
LATEST_ISSUE = datetime(2026, 9, 30, tzinfo=UTC)
CONSENT_START = datetime(2026, 1, 5, tzinfo=UTC)
WITHDRAWN_AT = datetime(2026, 9, 15, tzinfo=UTC)
EXPIRED_UNTIL = datetime(2026, 1, 31, tzinfo=UTC)

TRACK_WEIGHTS = {"health": 35, "it": 30, "software": 25, "trades": 10}
PATHWAY_ENROLLED_SHARE = 0.7


@dataclass(frozen=True)
class DemoPopulation:
    profiles: list[LearnerProfile]
    pathways: tuple[PathwayDefinition, ...]


@dataclass(frozen=True)
class LearnerRole:
    """The consent situation a generated learner is in."""

    minor: bool = False
    not_consenting: bool = False
    withdrawn: bool = False


def assign_roles(learners: int, rng: random.Random) -> list[LearnerRole]:
    """Pick exactly the configured shares of minors and consent cases."""
    minors = round(learners * MINOR_SHARE)
    not_consenting = round(learners * NOT_CONSENTING_SHARE)
    withdrawn = max(1, round(learners * WITHDRAWN_SHARE)) if learners >= 10 else 0

    order = list(range(learners))
    rng.shuffle(order)
    roles = [LearnerRole() for _ in range(learners)]
    for position, index in enumerate(order):
        if position < minors:
            roles[index] = LearnerRole(minor=True)
        elif position < minors + not_consenting:
            roles[index] = LearnerRole(not_consenting=True)
        elif position < minors + not_consenting + withdrawn:
            roles[index] = LearnerRole(withdrawn=True)
    return roles


def random_moment(rng: random.Random, start: datetime, end: datetime) -> datetime:
    seconds = int((end - start).total_seconds())
    return start + timedelta(seconds=rng.randrange(seconds))


def build_issuers(seed: int) -> dict[str, DemoIssuer]:
    return {
        slug: DemoIssuer.from_seed(seed, slug, name, url)
        for slug, (name, url) in ISSUERS.items()
    }


def build_consent(role: LearnerRole, rng: random.Random) -> dict[str, Any]:
    granted_at = random_moment(rng, CONSENT_START, WITHDRAWN_AT)
    consent: dict[str, Any] = {"granted_at": granted_at, "scopes": []}

    if role.not_consenting:
        # Opted in to something, but not to being found by employers.
        consent["scopes"] = rng.choice([["contact"], ["youth_programs"], []])
        return consent

    consent["scopes"] = ["employer_search"]
    if rng.random() < 0.5:
        consent["scopes"].append("contact")
    if rng.random() < 0.15:
        consent["employer_groups"] = [DEMO_EMPLOYER_GROUP]

    if role.minor and rng.random() < GUARDIAN_CONSENT_SHARE:
        consent["guardian_consent_at"] = granted_at
        consent["scopes"].append("youth_programs")
    if role.withdrawn:
        consent["withdrawn_at"] = WITHDRAWN_AT + timedelta(days=rng.randrange(30))
    return consent


def build_visibility(role: LearnerRole, rng: random.Random) -> dict[str, Any]:
    return {
        "name": rng.choices(["full", "initials", "hidden"], [30, 50, 20])[0],
        "location": rng.choices(
            ["city", "region", "country", "hidden"], [35, 40, 15, 10]
        )[0],
        "school": role.minor or rng.random() < 0.4,
        "availability": rng.random() < 0.85,
        "credentials": rng.random() < 0.9,
        "pathways": rng.random() < 0.85,
    }


def choose_achievements(track: str, role: LearnerRole, rng: random.Random) -> list[str]:
    """Pick the names of the achievements a learner holds, in earning order."""
    if role.minor:
        options = HIGH_SCHOOL_ACHIEVEMENTS[track]
        return list(options[: rng.randint(1, len(options))])

    sequence = TRACKS[track]
    earned = list(sequence[: rng.randint(1, len(sequence))])
    extras = [name for name in GENERAL_ACHIEVEMENTS if name not in earned]
    for name in rng.sample(extras, rng.randint(0, 2)):
        earned.append(name)
    return earned


class CredentialFactory:
    """Issues the demo credentials of one population from its seeded issuers."""

    def __init__(self, seed: int, rng: random.Random) -> None:
        self.issuers = build_issuers(seed)
        self.rng = rng

    def issue(self, achievement_name: str, subject_id: str) -> str | dict[str, Any]:
        """Issue a VC-JWT, mostly valid, sometimes expired or left unsigned."""
        issuer_slug, achievement = ACHIEVEMENTS[achievement_name]
        issuer = self.issuers[issuer_slug]
        credential_id = (
            f"urn:uuid:{uuid.UUID(int=self.rng.getrandbits(128), version=4)}"
        )
        valid_from = random_moment(self.rng, EARLIEST_ISSUE, LATEST_ISSUE)
        valid_until = None
        if achievement.validity_days is not None:
            valid_until = valid_from + timedelta(days=achievement.validity_days)

        draw = self.rng.random()
        if draw < UNSIGNED_SHARE:
            return issuer.build_credential(
                achievement, subject_id, credential_id, valid_from, valid_until
            )
        if draw < UNSIGNED_SHARE + EXPIRED_SHARE:
            expired_from = random_moment(
                self.rng, EARLIEST_ISSUE, EXPIRED_UNTIL - timedelta(days=60)
            )
            return issuer.issue_jwt(
                achievement, subject_id, credential_id, expired_from, EXPIRED_UNTIL
            )
        return issuer.issue_jwt(
            achievement, subject_id, credential_id, valid_from, valid_until
        )


def build_profile(
    number: int,
    role: LearnerRole,
    seed: int,
    rng: random.Random,
    credentials: CredentialFactory,
) -> LearnerProfile:
    learner_id = f"demo-{number:04d}"
    first = rng.choice(FIRST_NAMES)
    last = rng.choice(LAST_NAMES)
    track = rng.choices(list(TRACK_WEIGHTS), list(TRACK_WEIGHTS.values()))[0]
    city, region = rng.choice(CITIES)

    # A learner with a wallet receives badges at a DID, the others by email.
    if rng.random() < DID_SUBJECT_SHARE:
        did = did_key_from_public_key(
            key_from_seed(seed, f"learner/{learner_id}").public_key()
        )
        identifiers = [{"type": "did", "value": did}]
        subject_id = did
    else:
        email = f"{first}.{last}.{number}@example.org".lower()
        identifiers = [{"type": "email", "value": email}]
        subject_id = f"mailto:{email}"

    profile: dict[str, Any] = {
        "learner_id": learner_id,
        "consent": build_consent(role, rng),
        "visibility": build_visibility(role, rng),
        "display_name": f"{first} {last}",
        "identifiers": identifiers,
        "location": {"city": city, "region": region, "country": "US"},
    }

    if role.minor:
        grade = rng.randint(9, 12)
        profile["age_band"] = "minor"
        profile["grade_level"] = grade
        profile["graduation_year"] = SCHOOL_YEAR_END + 12 - grade
        profile["school"] = rng.choice(HIGH_SCHOOLS)
        profile["availability"] = rng.choice(["summer", "part_time"])
    else:
        profile["age_band"] = "adult"
        profile["availability"] = rng.choice(
            ["immediately", "within_3_months", "part_time", "not_looking"]
        )
        if rng.random() < 0.5:
            profile["school"] = ISSUERS["college"][0]

    pathway = TRACK_PATHWAY.get(track)
    if pathway is not None and rng.random() < PATHWAY_ENROLLED_SHARE:
        profile["pathways"] = [pathway.pathway_id]

    if rng.random() < 0.3:
        profile["self_reported_skills"] = rng.sample(
            SELF_REPORTED_SKILLS, rng.randint(1, 3)
        )

    profile["credentials"] = [
        credentials.issue(name, subject_id)
        for name in choose_achievements(track, role, rng)
    ]
    return LearnerProfile.model_validate(profile)


def generate_population(learners: int = 300, seed: int = 7) -> DemoPopulation:
    """Generate `learners` profiles; the same seed yields the same profiles."""
    if learners < 1:
        raise ValueError(f"learners must be at least 1, got {learners}")

    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, no secrets
    roles = assign_roles(learners, rng)
    credentials = CredentialFactory(seed, rng)
    profiles = [
        build_profile(number, role, seed, rng, credentials)
        for number, role in enumerate(roles, start=1)
    ]
    return DemoPopulation(profiles=profiles, pathways=PATHWAYS)


def write_population(population: DemoPopulation, folder: Path) -> list[Path]:
    """Replace `folder` with profiles.jsonl and pathways/*.json, and list them."""
    if folder.exists():
        shutil.rmtree(folder)
    pathways_folder = folder / "pathways"
    pathways_folder.mkdir(parents=True)

    written = []
    for pathway in population.pathways:
        path = pathways_folder / f"{pathway.pathway_id}.json"
        path.write_text(pathway.model_dump_json(indent=2) + "\n", encoding="utf-8")
        written.append(path)

    profiles_path = folder / "profiles.jsonl"
    with profiles_path.open("w", encoding="utf-8") as handle:
        for profile in population.profiles:
            handle.write(profile.model_dump_json(exclude_none=True) + "\n")
    written.append(profiles_path)
    return written
