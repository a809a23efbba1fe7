"""Framework file importers, run on the real shared skill files."""

import json

import pytest

from skillbeacon.models.skill import SkillCategory
from skillbeacon.skills.importers import esco_uri, import_file

ESCO_BASE = "http://data.europa.eu/esco/skill/"


@pytest.fixture(scope="module")
def skills_dir(shared_data):
    return shared_data / "skills"


@pytest.fixture(scope="module")
def esco(skills_dir):
    return import_file(skills_dir / "esco_skills_en.csv")


@pytest.mark.parametrize(
    ("file_name", "count", "framework"),
    [
        ("esco_skills_en.csv", 13_896, "esco"),
        ("esco_transversal_skills_en.csv", 96, "esco"),
        ("esco_skill_groups_en.csv", 640, "esco"),
        ("onet_skill_elements.csv", 105, "onet"),
        ("wgu_osmt_rsd_computing_it.csv", 700, "rsd"),
        ("wgu_osmt_rsd_professional_durable.csv", 109, "rsd"),
        ("osmt_rsd_example_v3.json", 1, "rsd"),
        ("osmt_collection_it_network_v3.json", 24, "rsd"),
    ],
)
def test_import_file_reads_every_concept(skills_dir, file_name, count, framework):
    concepts = import_file(skills_dir / file_name)
    assert len(concepts) == count
    assert {concept.framework for concept in concepts} == {framework}
    assert len({concept.skill_id for concept in concepts}) == count
    assert all(concept.preferred_label for concept in concepts)


def test_import_esco_concept_fields(esco):
    by_label = {concept.preferred_label: concept for concept in esco}
    python = by_label["Python (computer programming)"]
    assert python.skill_id == ESCO_BASE + "ccd0a1d9-afda-43d9-b901-96344886e14d"
    assert python.uri == python.skill_id
    assert "Python" in python.alt_labels
    assert python.preferred_label not in python.alt_labels
    assert python.category is SkillCategory.knowledge
    assert ESCO_BASE + "21d2f96d-35f7-4e3f-9745-c533d2dd6e97" in python.broader_ids
    assert "http://data.europa.eu/esco/isced-f/0613" in python.broader_ids


def test_import_esco_categories(esco):
    by_label = {concept.preferred_label: concept for concept in esco}
    assert by_label["work in teams"].category is SkillCategory.transversal
    assert by_label["manage musical staff"].category is SkillCategory.technical
    languages = [c for c in esco if c.category is SkillCategory.language]
    assert languages
    assert any(c.category is SkillCategory.knowledge for c in esco)


def test_import_esco_transversal_file(skills_dir):
    concepts = import_file(skills_dir / "esco_transversal_skills_en.csv")
    assert {c.category for c in concepts} == {SkillCategory.transversal}
    labels = {c.preferred_label for c in concepts}
    assert "show initiative" in labels


def test_import_onet_elements(skills_dir):
    concepts = {
        c.skill_id: c for c in import_file(skills_dir / "onet_skill_elements.csv")
    }
    critical = concepts["onet:2.A.2.a"]
    assert critical.preferred_label == "Critical Thinking"
    assert critical.broader_ids == ["onet:2.A.2"]
    assert critical.category is SkillCategory.transversal
    assert concepts["onet:2.B.3.e"].category is SkillCategory.technical
    assert concepts["onet:2.C.3.a"].category is SkillCategory.knowledge


def test_import_osmt_csv_codes_not_keywords(skills_dir):
    concepts = import_file(skills_dir / "wgu_osmt_rsd_computing_it.csv")
    first = concepts[0]
    assert first.skill_id.startswith("https://osmt.wgu.edu/api/skills/")
    assert first.preferred_label == "Contextual Analysis"
    assert first.alt_labels == []
    assert "WGUSID:172" in first.codes
    assert "https://skills.emsidata.com/skills/KS1218P66BGK5X5JGKLF" in first.codes
    assert first.description


def test_import_rsd_json_alignments(skills_dir):
    (concept,) = import_file(skills_dir / "osmt_rsd_example_v3.json")
    assert concept.preferred_label == "Access and Security Levels Standardization"
    assert "https://skills.emsidata.com/skills/KS1254M6N7QPZ96MGR0L" in concept.codes


def test_import_unknown_csv_names_columns(skills_dir):
    with pytest.raises(ValueError, match="esco_id") as raised:
        import_file(skills_dir / "bls_soc_2018_hierarchy.csv")
    assert "SOC Code" in str(raised.value)


def test_import_unknown_json_rejected(tmp_path):
    path = tmp_path / "other.json"
    path.write_text(json.dumps({"type": "Something"}), encoding="utf-8")
    with pytest.raises(ValueError, match="RichSkillDescriptor"):
        import_file(path)


def test_esco_uri_of_group_codes():
    assert esco_uri("0613") == "http://data.europa.eu/esco/isced-f/0613"
    uuid = "ccd0a1d9-afda-43d9-b901-96344886e14d"
    assert esco_uri(uuid) == ESCO_BASE + uuid


def test_import_esco_groups_take_root_category(skills_dir):
    concepts = import_file(skills_dir / "esco_skill_groups_en.csv")
    by_label = {concept.preferred_label: concept for concept in concepts}
    programming = by_label["programming computer systems"]

    assert programming.skill_id.startswith(ESCO_BASE)
    assert programming.category is SkillCategory.technical
    assert programming.broader_ids
    assert by_label["physics"].category is SkillCategory.knowledge
    assert by_label["physics"].skill_id == "http://data.europa.eu/esco/isced-f/0533"
    assert {c.category for c in concepts} == {
        SkillCategory.technical,
        SkillCategory.knowledge,
        SkillCategory.transversal,
        SkillCategory.language,
    }
