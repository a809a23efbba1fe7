"""The ranking query of the candidate store, on the real engine."""

from datetime import UTC, datetime

import pytest

from skillbeacon.models.search import CandidateSearch, ConceptMatch, RequestedSkill
from skillbeacon.store.candidates import (
    build_search_body,
    search_candidates,
    skill_points,
    upsert_candidates,
)
from tests.factories import candidate_document, skill_evidence


def requested(name, *concepts, required=False):
    return RequestedSkill(
        name=name,
        required=required,
        concepts=[
            ConceptMatch(
                skill_id=skill_id,
                label=skill_id,
                framework="skillbeacon",
                reason=reason,
                weight=weight,
            )
            for skill_id, reason, weight in concepts
        ],
    )


@pytest.fixture(scope="module")
def weighted_population(settings, client):
    documents = [
        candidate_document(
            "exact-holder",
            skills=[
                skill_evidence("skillbeacon:nursing", "Nursing", level="unverified")
            ],
        ),
        candidate_document(
            "text-holder",
            skills=[skill_evidence("esco:nursing-care", "Nursing care")],
        ),
        candidate_document("nobody"),
    ]
    upsert_candidates(client, settings, documents)
    return documents


def test_search_weights_points_by_concept(weighted_population, settings, client):
    skill = requested(
        "nursing",
        ("skillbeacon:nursing", "exact_label", 1.0),
        ("esco:nursing-care", "text", 0.5),
    )
    total, hits = search_candidates(
        client, settings, CandidateSearch(skills=["nursing"]), [skill]
    )

    scores = {source["candidate_id"]: score for score, source in hits}
    assert total == 2
    assert scores["exact-holder"] == pytest.approx(skill_points(1.0, 0.5), abs=1e-4)
    assert scores["text-holder"] == pytest.approx(skill_points(0.5, 0.9), abs=1e-4)
    assert scores["exact-holder"] > scores["text-holder"]


def test_search_required_unresolvable_skill_matches_nobody(
    weighted_population, settings, client
):
    total, hits = search_candidates(
        client,
        settings,
        CandidateSearch(required_skills=["basket weaving"]),
        [requested("basket weaving", required=True)],
    )
    assert total == 0
    assert hits == []


def test_build_search_body_filters_consent_and_minors():
    body = build_search_body(
        CandidateSearch(skills=["x"]),
        [requested("x", ("skillbeacon:x", "exact_label", 1.0))],
        datetime(2026, 12, 4, tzinfo=UTC),
        include_minors=False,
    )

    filters = body["query"]["function_score"]["query"]["bool"]["filter"]
    assert {"term": {"consent_scopes": "employer_search"}} in filters
    rendered = str(filters)
    assert "2008-12-04" in rendered
    assert "guardian_consent" not in rendered


def test_adult_birth_cutoff_on_leap_day():
    from datetime import date

    from skillbeacon.store.candidates import adult_birth_cutoff, visibility_filters

    assert adult_birth_cutoff(date(2028, 2, 29)) == date(2010, 2, 28)
    assert adult_birth_cutoff(date(2026, 12, 4)) == date(2008, 12, 4)
    assert visibility_filters(datetime(2028, 2, 29, tzinfo=UTC), False)


def test_employer_groups_limit_visibility_to_members(settings, client):
    from skillbeacon.store.candidates import is_employer_visible

    limited = candidate_document(
        "group-limited",
        skills=[skill_evidence("skillbeacon:nursing", "Nursing")],
    )
    limited["employer_groups"] = ["healthcare-partners"]
    upsert_candidates(client, settings, [limited])

    assert not is_employer_visible(client, settings, "group-limited")
    assert not is_employer_visible(
        client, settings, "group-limited", employer_groups=["retail-partners"]
    )
    assert is_employer_visible(
        client,
        settings,
        "group-limited",
        employer_groups=["retail-partners", "healthcare-partners"],
    )


def test_employer_groups_do_not_hide_ungrouped_learners(settings, client):
    from skillbeacon.store.candidates import is_employer_visible

    upsert_candidates(client, settings, [candidate_document("ungrouped")])

    assert is_employer_visible(client, settings, "ungrouped")
    assert is_employer_visible(
        client, settings, "ungrouped", employer_groups=["healthcare-partners"]
    )


def test_filters_never_match_hidden_fields(settings, client):
    from skillbeacon.models.search import SearchFilters
    from tests.factories import pathway_progress

    nursing = [skill_evidence("skillbeacon:nursing", "Nursing")]
    pathway = [pathway_progress("demo-cna", "CNA pathway", 4, 2)]
    documents = [
        candidate_document("shows-all", skills=nursing, pathways=pathway),
        candidate_document(
            "hides-availability",
            skills=nursing,
            visibility={"availability": False},
        ),
        candidate_document(
            "hides-pathways",
            skills=nursing,
            pathways=pathway,
            visibility={"pathways": False},
        ),
    ]
    upsert_candidates(client, settings, documents)
    skill = requested("nursing", ("skillbeacon:nursing", "exact_label", 1.0))

    def found(filters: SearchFilters) -> set[str]:
        search = CandidateSearch(skills=["nursing"], filters=filters, size=50)
        _, hits = search_candidates(client, settings, search, [skill])
        return {source["candidate_id"] for _, source in hits}

    by_availability = found(SearchFilters(availability=["immediately"]))
    by_pathway = found(SearchFilters(pathway="demo-cna"))

    assert "shows-all" in by_availability
    assert "hides-availability" not in by_availability
    assert "shows-all" in by_pathway
    assert "hides-pathways" not in by_pathway
