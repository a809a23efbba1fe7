"""Skill names that break naive analyzers, searched through POST /v1/search.

Each candidate has one credential. Its skills come from the indexer's own
mapping (`skills_of_achievement`) on the achievement name and description,
so a name that tokenizes badly fails either there or in name resolution.
"""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from indexer.evidence import BASE_STRENGTH, FREE_TEXT_FACTOR, skills_of_achievement
from search_api.app import create_app
from skillbeacon.models.candidate import EvidenceLevel, SkillMatchKind
from skillbeacon.models.credential import Achievement
from skillbeacon.models.skill import SkillConcept
from skillbeacon.skills.builtin import load_builtin
from skillbeacon.skills.vocabulary import Vocabulary
from skillbeacon.store.candidates import upsert_candidates
from tests.conftest import bearer, unlimited
from tests.factories import (
    candidate_document,
    credential_record,
    put_skill_concepts,
    skill_concept,
    skill_evidence,
)

EXTRA_CONCEPTS = [
    skill_concept("test:r-and-d", "research and development", ["R&D"], "test"),
    skill_concept("test:pediatric-nursing", "pediatric nursing", [], "test"),
    skill_concept("test:software-engineering", "software engineering", [], "test"),
    skill_concept("test:engine-repair", "engine repair", [], "test"),
    skill_concept("test:3d-animation", "3D animation", [], "test"),
    skill_concept("test:animal-care", "animal care", [], "test"),
    skill_concept("test:physics", "physics", [], "test"),
    skill_concept("test:physical-fitness", "physical fitness", [], "test"),
    skill_concept("test:resume-writing", "Résumé writing", [], "test"),
]

# Candidate id, achievement name, achievement description.
ACHIEVEMENTS = [
    ("cand-c", "C programming", None),
    ("cand-cpp", "C++ programming", None),
    ("cand-cpp-text", "Compiler Project", "Wrote a small parser in C++ for class."),
    ("cand-csharp", "Visual C#", None),
    ("cand-fsharp", "F# programming", None),
    ("cand-dotnet", ".NET Core", None),
    ("cand-node", "Node.js runtime", None),
    ("cand-r", "R programming", None),
    ("cand-rnd", "R&D", None),
    ("cand-go", "Golang", None),
    (
        "cand-going",
        "Teamwork Award",
        "Going forward, the team will go further. We keep going forward.",
    ),
    ("cand-ada", "Ada programming", None),
    ("cand-cpr", "CPR certification", None),
    ("cand-hvac", "HVAC systems", None),
    ("cand-java", "Java SE", None),
    ("cand-javascript", "JavaScript programming", None),
    ("cand-nursing", "pediatric nursing", None),
    ("cand-engineering", "software engineering", None),
    ("cand-engine", "engine repair", None),
    ("cand-animation", "3D animation", None),
    ("cand-animal", "animal care", None),
    ("cand-physics", "physics", None),
    ("cand-physical", "physical fitness", None),
    ("cand-resume", "Résumé writing", None),
]

# Query, candidates that must be found, candidates that must not be.
CASES = [
    ("C", {"cand-c"}, {"cand-cpp", "cand-csharp", "cand-fsharp"}),
    ("C++", {"cand-cpp", "cand-cpp-text"}, {"cand-c", "cand-csharp"}),
    ("cpp", {"cand-cpp"}, {"cand-c"}),
    ("C#", {"cand-csharp"}, {"cand-c", "cand-cpp", "cand-fsharp"}),
    ("C sharp", {"cand-csharp"}, {"cand-c"}),
    ("F#", {"cand-fsharp"}, {"cand-csharp", "cand-c"}),
    (".NET", {"cand-dotnet"}, {"cand-node"}),
    ("dotnet", {"cand-dotnet"}, set()),
    ("Node.js", {"cand-node"}, {"cand-dotnet"}),
    ("NodeJS", {"cand-node"}, set()),
    ("node js", {"cand-node"}, set()),
    ("R", {"cand-r"}, {"cand-rnd"}),
    ("R&D", {"cand-rnd"}, {"cand-r"}),
    ("Go", {"cand-go"}, {"cand-going"}),
    ("Ada", {"cand-ada"}, set()),
    ("CPR", {"cand-cpr"}, set()),
    ("HVAC", {"cand-hvac"}, set()),
    ("Java", {"cand-java"}, {"cand-javascript"}),
    ("JavaScript", {"cand-javascript"}, {"cand-java"}),
    ("pediatric nurse", {"cand-nursing"}, set()),
    ("software engineering", {"cand-engineering"}, {"cand-engine"}),
    ("engine repair", {"cand-engine"}, {"cand-engineering"}),
    ("3D animation", {"cand-animation"}, {"cand-animal"}),
    ("animal care", {"cand-animal"}, {"cand-animation"}),
    ("physics", {"cand-physics"}, {"cand-physical"}),
    ("physical fitness", {"cand-physical"}, {"cand-physics"}),
    ("resume writing", {"cand-resume"}, set()),
    ("RÉSUMÉ WRITING", {"cand-resume"}, set()),
]


def _concepts() -> list[SkillConcept]:
    return load_builtin() + EXTRA_CONCEPTS


def _strength(match: SkillMatchKind) -> float:
    """Weigh verified evidence as the indexer does, lower for free text."""
    strength = BASE_STRENGTH[EvidenceLevel.verified]
    if match is SkillMatchKind.free_text:
        strength *= FREE_TEXT_FACTOR
    return strength


def _candidates(vocabulary: Vocabulary) -> list[dict]:
    documents = []
    for candidate_id, name, description in ACHIEVEMENTS:
        credential_id = f"cr-{candidate_id}"
        achievement = Achievement(name=name, description=description)
        hits = skills_of_achievement(achievement, vocabulary)
        skills = [
            skill_evidence(
                hit.concept.skill_id,
                hit.concept.preferred_label,
                strength=_strength(hit.match),
                match=hit.match.value,
                credential_ids=[credential_id],
                framework=hit.concept.framework,
            )
            for hit in hits
        ]
        skill_ids = [hit.concept.skill_id for hit in hits]
        documents.append(
            candidate_document(
                candidate_id,
                skills=skills,
                credentials=[
                    credential_record(credential_id, name, skill_ids=skill_ids)
                ],
            )
        )
    return documents


@pytest.fixture(scope="module")
def names_api(settings, client, api_keys) -> Iterator[TestClient]:
    concepts = _concepts()
    written, failed = upsert_candidates(
        client, settings, _candidates(Vocabulary(concepts))
    )
    assert failed == []
    put_skill_concepts(client, settings, concepts)
    app = create_app(unlimited(settings), client)
    with TestClient(app, headers=bearer(api_keys["recruiter"])) as http:
        yield http


def search(api: TestClient, name: str) -> dict:
    response = api.post("/v1/search", json={"skills": [name], "size": 100})
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize(("name", "found", "not_found"), CASES)
def test_skill_name_keeps_identity(names_api, name, found, not_found):
    body = search(names_api, name)
    ids = {hit["candidate_id"] for hit in body["results"]}

    assert body["unresolved_skills"] == []
    assert found <= ids, f"{name!r} missed {sorted(found - ids)}"
    assert not_found & ids == set(), f"{name!r} found {sorted(not_found & ids)}"


def test_going_forward_maps_to_no_go_skill():
    vocabulary = Vocabulary(_concepts())
    _, name, description = next(row for row in ACHIEVEMENTS if row[0] == "cand-going")
    hits = skills_of_achievement(
        Achievement(name=name, description=description), vocabulary
    )
    skill_ids = {hit.concept.skill_id for hit in hits}

    assert "skillbeacon:go" not in skill_ids
    assert "skillbeacon:teamwork" in skill_ids


def test_stem_match_reason_is_stem(names_api):
    body = search(names_api, "pediatric nurse")
    (resolved,) = body["resolved_skills"]

    assert resolved["concepts"][0]["skill_id"] == "test:pediatric-nursing"
    assert resolved["concepts"][0]["reason"] == "stem"


def test_accents_kept_for_display(names_api):
    body = search(names_api, "resume writing")
    (hit,) = [h for h in body["results"] if h["candidate_id"] == "cand-resume"]
    (skill,) = hit["explanation"]["skills"]

    assert skill["label"] == "Résumé writing"
    assert body["resolved_skills"][0]["concepts"][0]["label"] == "Résumé writing"


def test_free_text_match_has_low_confidence(names_api):
    body = search(names_api, "C++")
    by_id = {hit["candidate_id"]: hit for hit in body["results"]}
    named = by_id["cand-cpp"]["explanation"]["skills"][0]
    free_text = by_id["cand-cpp-text"]["explanation"]["skills"][0]

    assert named["evidence_match"] == "alt_label"
    assert named["confidence"] == "high"
    assert free_text["evidence_match"] == "free_text"
    assert free_text["confidence"] == "low"
    assert by_id["cand-cpp"]["score"] > by_id["cand-cpp-text"]["score"]
