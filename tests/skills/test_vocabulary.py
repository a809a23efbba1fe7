"""In-memory vocabulary: alignments, labels and free text."""

import csv
import time

import pytest

from skillbeacon.models.candidate import SkillMatchKind
from skillbeacon.models.credential import Alignment
from skillbeacon.models.skill import SkillConcept
from skillbeacon.skills.builtin import load_builtin
from skillbeacon.skills.importers import import_file
from skillbeacon.skills.vocabulary import Vocabulary

ESCO_PYTHON = "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d"
ESCO_RESUSCITATION = (
    "http://data.europa.eu/esco/skill/8bd49d04-ab2f-4333-b5d9-12d716e4e2f6"
)
LOOK_ALIKES = {
    "C++": "skillbeacon:c-plus-plus",
    "C#": "skillbeacon:c-sharp",
    ".NET": "skillbeacon:dotnet",
    "Node.js": "skillbeacon:nodejs",
    "R": "skillbeacon:r",
    "CPR": "skillbeacon:cpr",
    "HVAC": "skillbeacon:hvac",
    "C": "skillbeacon:c",
    "Java": "skillbeacon:java",
    "JavaScript": "skillbeacon:javascript",
}


@pytest.fixture(scope="module")
def builtin():
    return Vocabulary(load_builtin())


@pytest.fixture(scope="module")
def full(shared_data):
    esco = import_file(shared_data / "skills" / "esco_skills_en.csv")
    return Vocabulary(load_builtin() + esco)


def found_ids(vocabulary, text):
    return [concept.skill_id for concept in vocabulary.find_in_text(text)]


def test_builtin_vocabulary_size_and_ids(builtin):
    assert 60 <= len(builtin) <= 100
    assert all(concept.skill_id.startswith("skillbeacon:") for concept in builtin)
    assert all(concept.framework == "skillbeacon" for concept in builtin)


def test_builtin_esco_crosswalks_exist(shared_data, builtin):
    path = shared_data / "skills" / "esco_skills_en.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        esco_ids = {row["esco_id"] for row in csv.DictReader(handle)}
    crosswalks = [code for concept in builtin for code in concept.codes]
    assert len(crosswalks) >= 40
    for code in crosswalks:
        assert code.rsplit("/", 1)[1] in esco_ids, code


@pytest.mark.parametrize("vocabulary_name", ["builtin", "full"])
def test_match_label_look_alikes_distinct(request, vocabulary_name):
    vocabulary = request.getfixturevalue(vocabulary_name)
    for name, skill_id in LOOK_ALIKES.items():
        concept, kind = vocabulary.match_label(name)
        assert concept.skill_id == skill_id, name
        assert kind is SkillMatchKind.label, name


def test_match_label_alt_label_and_variants(builtin):
    concept, kind = builtin.match_label("cardiopulmonary resuscitation")
    assert concept.skill_id == "skillbeacon:cpr"
    assert kind is SkillMatchKind.alt_label

    concept, kind = builtin.match_label("Node JS")
    assert concept.skill_id == "skillbeacon:nodejs"
    assert kind is SkillMatchKind.label

    assert builtin.match_label("Javas") is None
    assert builtin.match_label("   ") is None


def test_match_label_ignores_accents_keeps_display():
    vocabulary = Vocabulary(
        [SkillConcept(skill_id="t:cv", preferred_label="Résumé writing", framework="t")]
    )
    concept, kind = vocabulary.match_label("resume WRITING")
    assert concept.preferred_label == "Résumé writing"
    assert kind is SkillMatchKind.label


def test_match_alignment_by_esco_uri(full):
    alignment = Alignment(target_name="Python", target_url=ESCO_PYTHON)
    assert full.match_alignment(alignment).skill_id == ESCO_PYTHON


def test_match_alignment_esco_uri_maps_builtin_crosswalk(builtin):
    alignment = Alignment(target_url=ESCO_RESUSCITATION + "/")
    assert builtin.match_alignment(alignment).skill_id == "skillbeacon:cpr"

    https = Alignment(target_url=ESCO_RESUSCITATION.replace("http:", "https:"))
    assert builtin.match_alignment(https).skill_id == "skillbeacon:cpr"

    unknown = Alignment(target_url="https://example.org/skills/cpr", target_code="x")
    assert builtin.match_alignment(unknown) is None


def test_match_alignment_by_code_and_framework(shared_data):
    onet = Vocabulary(import_file(shared_data / "skills" / "onet_skill_elements.csv"))
    by_code = Alignment(target_code="2.A.2.a", target_framework="O*NET")
    assert onet.match_alignment(by_code).preferred_label == "Critical Thinking"

    builtin = Vocabulary(load_builtin())
    by_id = Alignment(target_code="python", target_framework="skillbeacon")
    assert builtin.match_alignment(by_id).skill_id == "skillbeacon:python"
    assert builtin.match_alignment(Alignment(target_name="Python")) is None


def test_find_in_text_whole_words(builtin):
    text = "Built JavaScript tools in Node.js and C++ for our R&D lab, going fast."
    ids = found_ids(builtin, text)
    assert ids == [
        "skillbeacon:javascript",
        "skillbeacon:nodejs",
        "skillbeacon:c-plus-plus",
    ]


def test_find_in_text_java_not_javascript(builtin):
    assert found_ids(builtin, "JavaScript and TypeScript") == [
        "skillbeacon:javascript",
        "skillbeacon:typescript",
    ]
    assert "skillbeacon:java" in found_ids(builtin, "Wrote Java services.")


def test_find_in_text_short_labels_need_exact_case(builtin):
    assert "skillbeacon:r" in found_ids(builtin, "Analysed data in R and SQL.")
    assert "skillbeacon:r" not in found_ids(builtin, "analysed data in r")
    assert "skillbeacon:r" not in found_ids(builtin, "Led R&D projects")
    assert "skillbeacon:go" in found_ids(builtin, "Services written in Go and C.")
    assert "skillbeacon:c" in found_ids(builtin, "Services written in Go and C.")
    assert "skillbeacon:go" not in found_ids(builtin, "Go to the lab. We go often.")
    assert "skillbeacon:go" not in found_ids(builtin, "We are going")


def test_find_in_text_longest_label_wins(builtin):
    ids = found_ids(builtin, "Showed creative problem solving and critical thinking.")
    assert ids == [
        "skillbeacon:creative-problem-solving",
        "skillbeacon:critical-thinking",
    ]


def test_find_in_text_multi_word_variants(builtin):
    assert found_ids(builtin, "Knows Node JS and C sharp") == [
        "skillbeacon:nodejs",
        "skillbeacon:c-sharp",
    ]


def test_vocabulary_builds_full_esco_quickly(shared_data):
    concepts = load_builtin() + import_file(
        shared_data / "skills" / "esco_skills_en.csv"
    )
    started = time.perf_counter()
    vocabulary = Vocabulary(concepts)
    elapsed = time.perf_counter() - started
    assert len(vocabulary) == len(concepts)
    # The indexer builds this at start-up, so it must take seconds at most.
    assert elapsed < 10.0


def test_vocabulary_first_concept_wins_on_shared_label(full):
    concept, kind = full.match_label("Python")
    assert concept.skill_id == "skillbeacon:python"
    assert full.get(ESCO_PYTHON).framework == "esco"
    assert full.get("unknown:id") is None
