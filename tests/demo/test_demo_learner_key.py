"""Demo learner key: the learner is an indexed adult who allows contact."""

from datetime import UTC, datetime

import pytest

from skillbeacon.demo import pick_demo_learner
from skillbeacon.demo.population import generate_population
from skillbeacon.models.profile import ConsentScope
from skillbeacon.store.indices import alias_name
from tests.factories import candidate_document


@pytest.fixture(scope="module")
def contact_profiles():
    """Demo profiles whose active consent covers employer search and contact."""
    now = datetime.now(UTC)
    profiles = generate_population(60, seed=7).profiles
    chosen = [
        profile
        for profile in profiles
        if profile.consent.covers_employer_search(now)
        and ConsentScope.contact in profile.consent.scopes
    ]
    assert len(chosen) >= 3
    return profiles, chosen


def _index(client, settings, learner_id: str, **fields) -> None:
    client.index(
        index=alias_name(settings, "candidates"),
        id=learner_id,
        body=candidate_document(learner_id, **fields),
        refresh=True,
    )


def test_demo_learner_skips_minor_and_unindexed(settings, client, contact_profiles):
    profiles, chosen = contact_profiles
    # The first is not indexed, the second is a minor, the third an adult.
    _index(client, settings, chosen[1].learner_id, age_band="minor")
    _index(client, settings, chosen[2].learner_id)

    learner_id = pick_demo_learner(settings, client, profiles)

    assert learner_id == chosen[2].learner_id


def test_demo_learner_falls_back_without_contact(settings, client):
    now = datetime.now(UTC)
    profiles = [
        profile
        for profile in generate_population(60, seed=7).profiles
        if ConsentScope.contact not in profile.consent.scopes
    ]
    searchable = [
        profile for profile in profiles if profile.consent.covers_employer_search(now)
    ]

    learner_id = pick_demo_learner(settings, client, profiles)

    assert learner_id == searchable[0].learner_id


def test_demo_learner_none_without_profiles(settings, client):
    assert pick_demo_learner(settings, client, []) is None
