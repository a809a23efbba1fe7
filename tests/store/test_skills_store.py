"""Skill index: writes, name resolution and suggestions on the real engine."""

import pytest

from skillbeacon.models.skill import SkillConcept
from skillbeacon.skills.builtin import load_builtin
from skillbeacon.skills.importers import import_file
from skillbeacon.store.skills import (
    count_skills,
    ensure_builtin_skills,
    link_label_crosswalks,
    load_vocabulary,
    resolve_skill_name,
    suggest_skills,
    update_candidate_counts,
    upsert_skills,
)

ESCO_PYTHON = "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d"


@pytest.fixture(scope="module")
def loaded(client, settings, shared_data):
    """The skill index of this module with the built-in vocabulary and ESCO."""
    written = ensure_builtin_skills(client, settings)
    assert written == len(load_builtin())
    esco = import_file(shared_data / "skills" / "esco_skills_en.csv")
    assert upsert_skills(client, settings, esco) == len(esco)
    groups = import_file(shared_data / "skills" / "esco_skill_groups_en.csv")
    assert upsert_skills(client, settings, groups) == len(groups)
    onet = import_file(shared_data / "skills" / "onet_skill_elements.csv")
    upsert_skills(client, settings, onet)
    return settings


def resolve_ids(client, settings, name):
    return [match.skill_id for match in resolve_skill_name(client, settings, name)]


def test_ensure_builtin_skills_second_call_writes_nothing(client, loaded):
    assert ensure_builtin_skills(client, loaded) == 0
    assert count_skills(client, loaded, "skillbeacon") == len(load_builtin())


def test_upsert_skills_is_idempotent(client, loaded):
    before = count_skills(client, loaded)
    upsert_skills(client, loaded, load_builtin())
    assert count_skills(client, loaded) == before


@pytest.mark.parametrize(
    ("name", "skill_id"),
    [
        ("C++", "skillbeacon:c-plus-plus"),
        ("C#", "skillbeacon:c-sharp"),
        (".NET", "skillbeacon:dotnet"),
        ("Node.js", "skillbeacon:nodejs"),
        ("NodeJS", "skillbeacon:nodejs"),
        ("R", "skillbeacon:r"),
        ("CPR", "skillbeacon:cpr"),
        ("HVAC", "skillbeacon:hvac"),
        ("Python", "skillbeacon:python"),
        ("teamwork", "skillbeacon:teamwork"),
        ("patient care", "skillbeacon:patient-care"),
    ],
)
def test_resolve_named_skill_first(client, loaded, name, skill_id):
    matches = resolve_skill_name(client, loaded, name)
    assert matches, f"{name!r} resolved to nothing"
    assert matches[0].skill_id == skill_id
    assert matches[0].reason == "exact_label"
    assert matches[0].weight == 1.0


def test_resolve_look_alike_names_stay_distinct(client, loaded):
    names = ["C++", "C#", ".NET", "Node.js", "R", "CPR", "HVAC", "C", "Java"]
    first_ids = [resolve_ids(client, loaded, name)[0] for name in names]
    assert len(set(first_ids)) == len(names)


def test_resolve_java_never_javascript(client, loaded):
    for name in ["Java", "java", "JAVA", "Java programming"]:
        ids = resolve_ids(client, loaded, name)
        assert ids, name
        assert "skillbeacon:javascript" not in ids, name
        for match in resolve_skill_name(client, loaded, name):
            assert "javascript" not in match.label.casefold(), name


def test_resolve_alt_label_ranks_below_preferred(client, loaded):
    matches = resolve_skill_name(client, loaded, "Python")
    reasons = {match.skill_id: match.reason for match in matches}
    assert reasons["skillbeacon:python"] == "exact_label"
    assert reasons[ESCO_PYTHON] == "alt_label"
    assert matches[0].weight > matches[1].weight


def test_resolve_ignores_accents_and_case(client, loaded):
    upsert_skills(
        client,
        loaded,
        [
            SkillConcept(
                skill_id="test:resume-writing",
                preferred_label="Résumé writing",
                framework="test",
            )
        ],
    )
    matches = resolve_skill_name(client, loaded, "RESUME WRITING")
    assert matches[0].skill_id == "test:resume-writing"
    assert matches[0].reason == "exact_label"
    assert matches[0].label == "Résumé writing"


def test_resolve_text_match_needs_every_word(client, loaded):
    matches = resolve_skill_name(client, loaded, "wiring residential")
    assert matches
    assert all(match.reason == "text" for match in matches)
    assert all(match.weight <= 0.6 for match in matches)
    assert resolve_skill_name(client, loaded, "qwertyuiop zxcvbnm") == []


def test_resolve_typed_id_and_uri(client, loaded):
    by_id = resolve_skill_name(client, loaded, "skillbeacon:python")
    assert (by_id[0].skill_id, by_id[0].reason) == ("skillbeacon:python", "id")
    reasons = {m.skill_id: m.reason for m in by_id}
    assert reasons[ESCO_PYTHON] == "crosswalk"

    by_uri = resolve_skill_name(client, loaded, ESCO_PYTHON)
    assert by_uri[0].skill_id == ESCO_PYTHON
    assert by_uri[0].reason == "id"


def test_suggest_prefix_pyt_returns_python(client, loaded):
    labels = [row["label"] for row in suggest_skills(client, loaded, "pyt")]
    assert labels[0] == "Python"


def test_suggest_prefix_c_plus_returns_cpp(client, loaded):
    rows = suggest_skills(client, loaded, "c+")
    assert rows[0]["label"] == "C++"
    assert set(rows[0]) == {"skill_id", "label", "framework", "candidate_count"}


def test_suggest_ranks_by_candidate_count(client, loaded):
    update_candidate_counts(client, loaded, {"skillbeacon:phlebotomy": 40})
    rows = suggest_skills(client, loaded, "ph")
    assert rows[0]["skill_id"] == "skillbeacon:phlebotomy"
    assert rows[0]["candidate_count"] == 40


def test_update_candidate_counts_survives_upsert(client, loaded):
    update_candidate_counts(client, loaded, {"skillbeacon:cpr": 7, "missing:id": 3})
    upsert_skills(
        client, loaded, [c for c in load_builtin() if c.skill_id.endswith("cpr")]
    )
    rows = suggest_skills(client, loaded, "CPR")
    assert rows[0]["skill_id"] == "skillbeacon:cpr"
    assert rows[0]["candidate_count"] == 7


def test_load_vocabulary_prefers_builtin(client, loaded):
    vocabulary = load_vocabulary(client, loaded)
    assert len(vocabulary) == count_skills(client, loaded)
    concept, kind = vocabulary.match_label("python")
    assert concept.skill_id == "skillbeacon:python"
    assert vocabulary.get(ESCO_PYTHON).framework == "esco"


ESCO_COMPUTER_PROGRAMMING = (
    "http://data.europa.eu/esco/skill/21d2f96d-35f7-4e3f-9745-c533d2dd6e97"
)
ESCO_TOLERATE_STRESS = (
    "http://data.europa.eu/esco/skill/d15f8745-28f8-4abf-a7b6-6cb8a304efd2"
)


def test_resolve_broader_concept_has_half_weight(client, loaded):
    matches = resolve_skill_name(client, loaded, "Python (computer programming)")
    by_id = {match.skill_id: match for match in matches}

    assert matches[0].skill_id == ESCO_PYTHON
    assert by_id[ESCO_COMPUTER_PROGRAMMING].reason == "broader"
    assert by_id[ESCO_COMPUTER_PROGRAMMING].weight == 0.5


def test_resolve_narrower_concepts_of_group(client, loaded):
    matches = resolve_skill_name(client, loaded, "computer programming")
    narrower = {m.skill_id: m for m in matches if m.reason == "narrower"}

    assert 0 < len(narrower) <= 25
    assert all(match.weight == 0.5 for match in narrower.values())


def test_resolve_text_match_not_expanded(client, loaded):
    matches = resolve_skill_name(client, loaded, "wiring residential")

    assert {match.reason for match in matches} == {"text"}


def test_resolve_stem_nurse_finds_nursing(client, loaded):
    upsert_skills(
        client,
        loaded,
        [
            SkillConcept(
                skill_id="test:ward", preferred_label="ward nursing", framework="test"
            )
        ],
    )
    matches = resolve_skill_name(client, loaded, "ward nurse")

    assert matches[0].skill_id == "test:ward"
    assert matches[0].reason == "stem"
    assert matches[0].weight == 0.8


@pytest.mark.parametrize(
    ("name", "other_label"),
    [
        ("engineering mechanics", "engine mechanics"),
        ("animation studio", "animal studio"),
        ("physics tutoring", "physical tutoring"),
    ],
)
def test_resolve_stem_keeps_unrelated_words_apart(client, loaded, name, other_label):
    skill_id = "test:" + other_label.replace(" ", "-")
    upsert_skills(
        client,
        loaded,
        [
            SkillConcept(
                skill_id=skill_id, preferred_label=other_label, framework="test"
            )
        ],
    )
    by_id = {m.skill_id: m for m in resolve_skill_name(client, loaded, name)}

    # Only the loose text tier may reach it, through the word both share.
    if skill_id in by_id:
        assert by_id[skill_id].reason == "text"
        assert by_id[skill_id].weight <= 0.3


def test_crosswalk_onet_label_to_esco_alt_label(client, loaded):
    matches = resolve_skill_name(client, loaded, "Stress Tolerance")
    by_id = {match.skill_id: match for match in matches}

    assert matches[0].skill_id == "onet:1.C.4.b"
    assert by_id[ESCO_TOLERATE_STRESS].reason in {"alt_label", "crosswalk"}


def test_crosswalk_rsd_found_by_esco_label(client, loaded):
    rsd = SkillConcept(
        skill_id="https://osmt.example/api/skills/market-research",
        preferred_label="Market Research",
        framework="rsd",
        uri="https://osmt.example/api/skills/market-research",
    )
    upsert_skills(client, loaded, [rsd])
    esco_market_research = resolve_skill_name(client, loaded, "market research")
    by_id = {match.skill_id: match for match in esco_market_research}

    assert rsd.skill_id in by_id
    esco_ids = [m.skill_id for m in esco_market_research if m.framework == "esco"]
    stored = load_vocabulary(client, loaded).get(rsd.skill_id)
    assert stored is not None
    assert esco_ids[0] in stored.codes


def test_link_label_crosswalks_needs_equal_label(client, loaded):
    unrelated = SkillConcept(
        skill_id="https://osmt.example/api/skills/qwerty",
        preferred_label="Qwerty Zxcv Handling",
        framework="rsd",
    )
    upsert_skills(client, loaded, [unrelated])

    assert link_label_crosswalks(client, loaded, [unrelated]) == 0


def test_suggest_counts_before_prefix_quality(client, loaded):
    update_candidate_counts(client, loaded, {"skillbeacon:nursing": 0})
    upsert_skills(
        client,
        loaded,
        [
            SkillConcept(
                skill_id="test:geriatric-nurse-care",
                preferred_label="geriatric nurse care",
                framework="test",
            )
        ],
    )
    update_candidate_counts(client, loaded, {"test:geriatric-nurse-care": 12})
    rows = suggest_skills(client, loaded, "nurs")

    assert rows[0]["skill_id"] == "test:geriatric-nurse-care"
    assert rows[0]["candidate_count"] == 12
