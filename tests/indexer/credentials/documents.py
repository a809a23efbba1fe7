"""Parts of Open Badges 3.0 documents that meet the data model, for tests that
build their own credentials."""

from typing import Any

VC_V1_CONTEXT = "https://www.w3.org/2018/credentials/v1"
VC_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"


def issuer_profile(issuer_id: str, name: str = "Example School") -> dict[str, Any]:
    return {"id": issuer_id, "type": ["Profile"], "name": name}


def achievement(
    achievement_id: str = "urn:ach:weld", name: str = "Welding", **extra: Any
) -> dict[str, Any]:
    return {
        "id": achievement_id,
        "type": ["Achievement"],
        "name": name,
        "description": f"Shows {name.lower()} on the job.",
        "criteria": {"narrative": f"Passed the {name.lower()} assessment."},
        **extra,
    }


def achievement_subject(subject_id: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": subject_id,
        "type": ["AchievementSubject"],
        "achievement": achievement(),
        **extra,
    }
