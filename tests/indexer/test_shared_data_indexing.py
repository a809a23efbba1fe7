"""Index every shared credential and profile file through the real pipeline.

Each credential file goes into its own learner profile by path, with the
learner's identifiers taken from the credential's recipient. Each file's
outcome is checked against the verification table: the statuses stored in
the candidate document, or the rejection reason the run reports.
"""

from datetime import UTC, datetime, timedelta

import pytest

from indexer.credentials.load import load_credential_file
from indexer.errors import InputRejected
from indexer.pipeline import run_index
from skillbeacon.store.candidates import get_candidate
from tests.indexer.credentials.test_shared_fixtures import (
    EXPECTED,
    learner_identifiers,
)
from tests.indexer.profiles import profile, write_json

pytestmark = pytest.mark.shared_data


def learner_id_for(number: int) -> str:
    return f"shared-{number:03d}"


@pytest.fixture(scope="module")
def shared_run(shared_data, settings, client, tmp_path_factory):
    """Index one profile per shared file in a single run."""
    folder = tmp_path_factory.mktemp("shared-profiles")
    run_settings = settings.model_copy(
        update={
            "url_map": shared_data / "credentials" / "url-map.json",
            "context_dir": shared_data / "credentials" / "contexts",
            "credential_roots": [shared_data],
        }
    )
    paths = sorted(EXPECTED)
    profiles = []
    plain = set()
    for number, relative_path in enumerate(paths):
        absolute = shared_data / relative_path
        try:
            parsed = load_credential_file(absolute, run_settings)
            identifiers = learner_identifiers(parsed)
            if not parsed.awards_achievement:
                plain.add(relative_path)
        except InputRejected:
            identifiers = []
        learner = profile(
            learner_id_for(number),
            identifiers=[i.model_dump() for i in identifiers],
            credentials=[{"path": str(absolute)}],
        )
        learner["consent"]["granted_at"] = (
            datetime.now(UTC) - timedelta(days=1)
        ).isoformat()
        profiles.append(learner)
    profiles_file = write_json(folder / "profiles.json", profiles)

    report = run_index([profiles_file], run_settings, client, show_progress=False)
    return paths, report, profiles_file, plain


def test_shared_data_every_file_has_its_outcome(shared_run, settings, client):
    paths, report, profiles_file, plain = shared_run
    rejections = {r.path: r.reason for r in report.rejected}

    mismatches = []
    for number, relative_path in enumerate(paths):
        expected = EXPECTED[relative_path]
        if relative_path in plain:
            # Verified like any VC, but not indexed: it awards no achievement.
            expected = "reject: awards no achievement"
        where = f"{profiles_file}[{number}] credentials[0]"
        stored = get_candidate(client, settings, learner_id_for(number))
        if isinstance(expected, str):
            reason = rejections.get(where, "")
            if expected.removeprefix("reject: ") not in reason:
                mismatches.append((relative_path, expected, reason))
            if stored is None or stored["credentials"]:
                mismatches.append(
                    (relative_path, "learner without credentials", stored)
                )
            continue
        statuses = [c["status"] for c in stored["credentials"]] if stored else None
        if statuses != expected:
            mismatches.append((relative_path, expected, statuses))

    assert mismatches == []


def test_shared_data_run_indexes_every_learner(shared_run):
    paths, report, _, _ = shared_run
    assert report.indexed + report.unchanged == len(paths)


def test_shared_data_profiles_folder_is_reported(shared_data, settings, client):
    """Indexing the profiles folder as it is names every file it cannot use."""
    report = run_index(
        [shared_data / "profiles"], settings, client, show_progress=False
    )

    rejected = {r.path.rsplit("/", 1)[-1]: r.reason for r in report.rejected}
    assert report.indexed == 0
    assert (
        "not listed in any learner profile"
        in rejected["ob3_teamwork_badge_signed.json"]
    )
    assert "not a learner profile" in rejected["jsonresume_sample_resume.json"]
    # The two CTDL pathway graphs are read as pathway definitions. The
    # progression model they refer to is no pathway, so it stays rejected.
    assert report.pathways == 2
    assert "ctdl_pathway_comptia_it_networking_specialist.jsonld" not in rejected
    assert "ctdl_pathway_illinois_programming_software_dev.json" not in rejected
    assert "not a learner profile" in rejected["ctdl_progression_model_comptia_it.json"]
