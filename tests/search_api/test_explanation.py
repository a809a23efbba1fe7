"""Explanations in search results: matches, evidence, credentials, score."""

import pytest

from tests.search_population import PYTHON, TEAMWORK


@pytest.fixture(scope="module")
def hits(api) -> dict[str, dict]:
    response = api.post("/v1/search", json={"skills": ["teamwork", "python"]})
    assert response.status_code == 200
    return {hit["candidate_id"]: hit for hit in response.json()["results"]}


def test_explanation_lists_each_requested_skill(hits):
    explanation = hits["cand-both"]["explanation"]

    assert explanation["requested_count"] == 2
    assert explanation["matched_count"] == 2
    assert [skill["requested"] for skill in explanation["skills"]] == [
        "teamwork",
        "python",
    ]


def test_explanation_names_concept_and_evidence(hits):
    teamwork, python = hits["cand-both"]["explanation"]["skills"]

    assert teamwork["matched"] is True
    assert teamwork["skill_id"] == TEAMWORK
    assert teamwork["resolved_by"] == "exact_label"
    assert teamwork["evidence_level"] == "unverified"
    assert teamwork["evidence_match"] == "alignment"
    assert python["skill_id"] == PYTHON
    assert python["evidence_level"] == "verified"


def test_explanation_lists_credentials_with_status(hits):
    teamwork, python = hits["cand-both"]["explanation"]["skills"]

    assert teamwork["credentials"] == [
        {
            "credential_id": "cr-u",
            "name": "Group Project Badge",
            "issuer_name": "Riverside High School",
            "issuer_id": "https://issuer.example/riverside",
            "status": "unverified",
            "reasons": ["signature: the issuer key could not be fetched"],
        }
    ]
    assert python["credentials"][0]["status"] == "verified"


def test_explanation_marks_unmatched_skill(hits):
    teamwork, python = hits["cand-verified"]["explanation"]["skills"]

    assert teamwork["matched"] is True
    assert python["matched"] is False
    assert python["points"] == 0.0
    assert python["credentials"] == []


def test_score_breakdown_adds_up(hits):
    for hit in hits.values():
        score = hit["explanation"]["score"]
        parts = score["coverage"] + score["evidence"] + score["pathway_bonus"]
        assert score["text"] == 0.0
        assert parts == pytest.approx(hit["score"], abs=1e-3)


def test_score_breakdown_values(hits):
    score = hits["cand-both"]["explanation"]["score"]

    assert score["coverage"] == 2.0
    assert score["evidence"] == pytest.approx(1.4, abs=1e-3)
    assert score["pathway_bonus"] == 0.0


def test_explanation_reports_pathway_bonus(api):
    response = api.post("/v1/search", json={"skills": ["welding"]})

    hits = {hit["candidate_id"]: hit for hit in response.json()["results"]}
    explanation = hits["cand-tie-b"]["explanation"]
    assert explanation["pathway_progress"] == 0.5
    assert explanation["score"]["pathway_bonus"] == pytest.approx(0.025)
    assert explanation["pathways"][0]["pathway_id"] == "pw-weld"
    assert "50%" in explanation["summary"]


def test_summary_counts_evidence_levels(hits):
    summary = hits["cand-both"]["explanation"]["summary"]

    assert summary.startswith("Matched 2 of 2 requested skills")
    assert "1 verified" in summary
    assert "1 unverified" in summary
