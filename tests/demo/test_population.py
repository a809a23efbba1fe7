import json
import warnings
from base64 import urlsafe_b64decode
from collections import Counter
from datetime import UTC, datetime

import pytest
from joserfc import jwt
from joserfc.jwk import OKPKey

from skillbeacon.demo.catalog import ACHIEVEMENTS, PATHWAYS, SKILLS
from skillbeacon.demo.issuer import public_key_from_did_key
from skillbeacon.demo.population import generate_population, write_population
from skillbeacon.models.pathway import PathwayDefinition
from skillbeacon.models.profile import LearnerProfile
from skillbeacon.settings import REPO_ROOT

LEARNERS = 300
# After every consent grant, withdrawal and expired validUntil in the population.
NOW = datetime(2026, 12, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def population():
    return generate_population(LEARNERS, seed=7)


def verify_jwt(token: str) -> dict:
    header = json.loads(urlsafe_b64decode(token.split(".")[0] + "=="))
    key = OKPKey.import_key(public_key_from_did_key(header["kid"]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return jwt.decode(token, key, algorithms=["EdDSA"]).claims


def test_population_size_and_ids(population):
    ids = [profile.learner_id for profile in population.profiles]

    assert len(ids) == LEARNERS
    assert len(set(ids)) == LEARNERS
    assert ids[0] == "demo-0001"
    assert ids[-1] == "demo-0300"


def test_population_minor_share(population):
    minors = [p for p in population.profiles if p.age_band == "minor"]

    assert len(minors) == 45
    assert all(9 <= p.grade_level <= 12 for p in minors)
    with_guardian = [p for p in minors if p.consent.guardian_consent_at]
    assert 0 < len(with_guardian) < len(minors)
    assert all("youth_programs" in p.consent.scopes for p in with_guardian)


def test_population_consent_cases(population):
    no_scope = [
        p for p in population.profiles if "employer_search" not in p.consent.scopes
    ]
    withdrawn = [p for p in population.profiles if p.consent.withdrawn_at]

    assert len(no_scope) == 30
    assert len(withdrawn) == 6
    assert all(not p.consent.covers_employer_search(NOW) for p in withdrawn)
    assert all(p.consent.withdrawn_at > p.consent.granted_at for p in withdrawn)


def test_population_profiles_validate(population, tmp_path):
    write_population(population, tmp_path)

    lines = (tmp_path / "profiles.jsonl").read_text().splitlines()
    assert len(lines) == LEARNERS
    for line in lines:
        LearnerProfile.model_validate_json(line)

    pathway_files = sorted((tmp_path / "pathways").glob("*.json"))
    assert [path.stem for path in pathway_files] == ["demo-cna", "demo-it-support"]
    for path in pathway_files:
        PathwayDefinition.model_validate_json(path.read_text())


def test_population_same_seed_same_files(tmp_path):
    first = write_population(generate_population(40, seed=3), tmp_path / "a")
    second = write_population(generate_population(40, seed=3), tmp_path / "b")

    for left, right in zip(first, second, strict=True):
        assert left.read_bytes() == right.read_bytes(), left.name


def test_population_other_seed_differs():
    first = generate_population(40, seed=3)
    second = generate_population(40, seed=4)

    assert first.profiles != second.profiles


def test_population_mixed_visibility(population):
    names = Counter(p.visibility.name for p in population.profiles)
    locations = Counter(p.visibility.location for p in population.profiles)

    assert set(names) == {"full", "initials", "hidden"}
    assert set(locations) == {"city", "region", "country", "hidden"}


def test_population_credential_kinds(population):
    signed = 0
    unsigned = 0
    expired = 0
    for profile in population.profiles:
        for entry in profile.credentials:
            if isinstance(entry, dict):
                unsigned += 1
                assert "proof" not in entry
                continue
            claims = verify_jwt(entry)
            signed += 1
            if "exp" in claims and claims["exp"] < NOW.timestamp():
                expired += 1

    assert signed > 500
    assert 0 < unsigned < signed / 10
    assert 0 < expired < signed / 10


def test_population_subjects_match_identifiers(population):
    for profile in population.profiles:
        identifier = profile.identifiers[0]
        expected = (
            identifier.value
            if identifier.type == "did"
            else f"mailto:{identifier.value}"
        )
        for entry in profile.credentials:
            credential = entry if isinstance(entry, dict) else verify_jwt(entry)
            assert credential["credentialSubject"]["id"] == expected


def test_population_pathway_steps_name_achievements():
    for pathway in PATHWAYS:
        for step in pathway.steps:
            for name in step.achievements:
                assert name in ACHIEVEMENTS, f"{pathway.pathway_id}: {name}"


def test_population_pathways_and_self_reports(population):
    enrolled = Counter(
        pathway_id for p in population.profiles for pathway_id in p.pathways
    )
    self_reported = [p for p in population.profiles if p.self_reported_skills]

    assert enrolled["demo-cna"] > 20
    assert enrolled["demo-it-support"] > 20
    assert len(self_reported) > 30


def test_generate_population_rejects_zero():
    with pytest.raises(ValueError):
        generate_population(0)


def test_catalog_skill_ids_in_builtin_vocabulary():
    vocabulary = json.loads(
        (REPO_ROOT / "skillbeacon" / "data" / "builtin_skills.json").read_text()
    )
    known = {concept["skill_id"] for concept in vocabulary["concepts"]}

    for label, skill in SKILLS.items():
        assert skill.skill_id in known, label
