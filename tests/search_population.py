"""A small hand-built population for the API and UI tests.

Each candidate tests one ranking, consent or privacy rule, named in the
comment above it.
"""

from typing import Any

from skillbeacon.models.skill import SkillConcept
from tests.factories import (
    candidate_document,
    credential_record,
    pathway_progress,
    skill_concept,
    skill_evidence,
)

TEAMWORK = "skillbeacon:teamwork"
PYTHON = "skillbeacon:python"
WELDING = "skillbeacon:welding"

HOSTILE_NAME = "<script>alert('x')</script> Mallory"


def skill_concepts() -> list[SkillConcept]:
    return [
        skill_concept(TEAMWORK, "Teamwork", ["work in teams", "collaboration"]),
        skill_concept(PYTHON, "Python", ["python programming"]),
        skill_concept(WELDING, "Welding", ["arc welding"]),
    ]


def candidates() -> list[dict[str, Any]]:
    return [
        # Verified teamwork credential; shows initials only.
        candidate_document(
            "cand-verified",
            display_name="Verity Adams",
            skills=[
                skill_evidence(
                    TEAMWORK, "Teamwork", level="verified", credential_ids=["cr-team"]
                )
            ],
            credentials=[
                credential_record("cr-team", "Teamwork Champion", skill_ids=[TEAMWORK])
            ],
        ),
        # Teamwork only self-reported; must rank below cand-verified.
        candidate_document(
            "cand-self",
            display_name="Sam Selfreport",
            skills=[skill_evidence(TEAMWORK, "Teamwork", level="self_reported")],
        ),
        # Teamwork from an unverified badge and verified Python: two matches.
        # Also carries one credential of each failing status for the UI.
        candidate_document(
            "cand-both",
            display_name="Bo Both",
            visibility={"name": "full", "location": "city"},
            skills=[
                skill_evidence(
                    TEAMWORK, "Teamwork", level="unverified", credential_ids=["cr-u"]
                ),
                skill_evidence(
                    PYTHON, "Python", level="verified", credential_ids=["cr-py"]
                ),
            ],
            credentials=[
                credential_record(
                    "cr-u",
                    "Group Project Badge",
                    status="unverified",
                    skill_ids=[TEAMWORK],
                    reasons=["signature: the issuer key could not be fetched"],
                ),
                credential_record("cr-py", "Intro to Python", skill_ids=[PYTHON]),
                credential_record("cr-rev", "Revoked Badge", status="revoked"),
                credential_record("cr-exp", "Old First Aid", status="expired"),
                credential_record("cr-inv", "Tampered Badge", status="invalid"),
            ],
        ),
        # A minor without guardian consent: never in employer results.
        candidate_document(
            "cand-minor",
            display_name="Minnie Minor",
            age_band="minor",
            skills=[
                skill_evidence(
                    TEAMWORK, "Teamwork", strength=1.0, credential_ids=["cr-m"]
                )
            ],
            credentials=[
                credential_record("cr-m", "Teamwork Star", skill_ids=[TEAMWORK])
            ],
        ),
        # A minor with guardian consent: still excluded from employer search.
        candidate_document(
            "cand-minor-guardian",
            display_name="Gina Guarded",
            age_band="minor",
            guardian_consent=True,
            consent_scopes=["employer_search", "youth_programs"],
            skills=[skill_evidence(TEAMWORK, "Teamwork", strength=1.0)],
        ),
        # Consent without the employer_search scope: hidden everywhere.
        candidate_document(
            "cand-no-consent",
            display_name="Nora Noconsent",
            consent_scopes=["contact"],
            skills=[skill_evidence(TEAMWORK, "Teamwork", strength=1.0)],
        ),
        # Equal welding evidence; only the pathway progress differs, so
        # cand-tie-b must outrank cand-tie-a although "a" sorts first.
        candidate_document(
            "cand-tie-a",
            display_name="Tia Alpha",
            location={"city": "Austin", "region": "Texas", "country": "US"},
            availability="summer",
            skills=[skill_evidence(WELDING, "Welding", level="self_reported")],
        ),
        candidate_document(
            "cand-tie-b",
            display_name="Tim Beta",
            location={"city": "Austin", "region": "Texas", "country": "US"},
            availability="summer",
            skills=[skill_evidence(WELDING, "Welding", level="self_reported")],
            pathways=[pathway_progress("pw-weld", "Welding Pathway", 4, 2)],
        ),
        # A display name written to break out of HTML.
        candidate_document(
            "cand-hostile",
            display_name=HOSTILE_NAME,
            initials="<i>M</i>",
            visibility={"name": "full"},
            location={"city": "Toronto", "region": "Ontario", "country": "CA"},
            skills=[skill_evidence(WELDING, "Welding", level="verified", strength=0.1)],
            credentials=[credential_record("cr-h", "<img src=x onerror=alert(1)>")],
        ),
    ]
