"""Builders for learner profiles with credentials signed by a test issuer."""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from skillbeacon.demo.issuer import AchievementSpec, DemoIssuer, SkillAlignment

ISSUER = DemoIssuer.from_seed(
    1, "test-college", "Test Community College", "https://college.test"
)
NOW = datetime.now(UTC)


def achievement(name: str, *skills: tuple[str, str]) -> AchievementSpec:
    slug = name.lower().replace(" ", "-")
    return AchievementSpec(
        achievement_id=f"https://college.test/achievements/{slug}",
        name=name,
        description=f"Awarded for {name}.",
        criteria=f"Completed the {name} assessment.",
        achievement_type="Badge",
        skills=tuple(SkillAlignment(skill_id, label) for skill_id, label in skills),
    )


PYTHON_BADGE = achievement("Python Basics", ("skillbeacon:python", "Python"))
TEAMWORK_BADGE = achievement("Team Project", ("skillbeacon:teamwork", "Teamwork"))
CPR_BADGE = achievement("CPR Certification", ("skillbeacon:cpr", "CPR"))


def signed_badge(
    learner_id: str,
    spec: AchievementSpec,
    *,
    expired: bool = False,
    subject: str | None = None,
) -> str:
    valid_from = NOW - timedelta(days=400 if expired else 30)
    valid_until = NOW - timedelta(days=10) if expired else None
    return ISSUER.issue_jwt(
        spec,
        subject or f"did:example:{learner_id}",
        f"urn:uuid:{learner_id}-{spec.achievement_id.rsplit('/', 1)[-1]}",
        valid_from,
        valid_until,
    )


def unverifiable_badge(learner_id: str, spec: AchievementSpec) -> dict[str, Any]:
    """A badge whose proof names a did:web key that cannot be fetched offline."""
    credential = ISSUER.build_credential(
        spec,
        f"did:example:{learner_id}",
        f"urn:uuid:{learner_id}-unverifiable-{spec.achievement_id.rsplit('/', 1)[-1]}",
        NOW - timedelta(days=30),
    )
    credential["proof"] = {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": (NOW - timedelta(days=30)).isoformat(),
        "verificationMethod": "did:web:issuer.example#key-1",
        "proofPurpose": "assertionMethod",
        "proofValue": "z3FXQjecWufY46yg5abdVZsXqLhxhueuSoZgNSARiKBk",
    }
    return credential


def profile(learner_id: str, **overrides: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "type": "LearnerProfile",
        "learner_id": learner_id,
        "consent": {
            "scopes": ["employer_search"],
            "granted_at": (NOW - timedelta(days=60)).isoformat(),
        },
        "visibility": {"name": "initials", "location": "region"},
        "display_name": "Test Learner",
        "identifiers": [{"type": "did", "value": f"did:example:{learner_id}"}],
        "location": {"city": "Salem", "region": "OR", "country": "US"},
        "availability": "immediately",
        "age_band": "adult",
        "credentials": [],
    }
    document.update(overrides)
    return document


def write_json(path: Path, document: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document), encoding="utf-8")
    return path
