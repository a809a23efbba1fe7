"""The indexer run against the real engine: consent, evidence, bad inputs."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from indexer.pipeline import run_index
from skillbeacon.cli import app
from skillbeacon.learner_removal import remove_learner
from skillbeacon.store.audit import AuditAction, list_audit_events
from skillbeacon.store.candidates import get_candidate
from skillbeacon.store.indices import alias_name
from tests.indexer.profiles import (
    CPR_BADGE,
    NOW,
    PYTHON_BADGE,
    TEAMWORK_BADGE,
    profile,
    signed_badge,
    unverifiable_badge,
    write_json,
)


def index(paths, settings, client):
    return run_index(list(paths), settings, client, show_progress=False)


def skill_levels(document):
    return {skill["skill_id"]: skill["evidence_level"] for skill in document["skills"]}


def test_pipeline_indexes_verified_and_self_reported_skills(tmp_path, settings, client):
    learner = profile(
        "learner-evidence",
        credentials=[
            signed_badge("learner-evidence", PYTHON_BADGE),
            unverifiable_badge("learner-evidence", TEAMWORK_BADGE),
        ],
        self_reported_skills=["CPR", "Basket weaving"],
    )
    report = index([write_json(tmp_path / "p.json", learner)], settings, client)

    assert report.rejected == []
    stored = get_candidate(client, settings, "learner-evidence")
    levels = skill_levels(stored)
    assert levels["skillbeacon:python"] == "verified"
    assert levels["skillbeacon:teamwork"] == "unverified"
    assert levels["skillbeacon:cpr"] == "self_reported"
    assert "Basket weaving" in stored["search_text"]
    statuses = {c["name"]: c["status"] for c in stored["credentials"]}
    assert statuses == {"Python Basics": "verified", "Team Project": "unverified"}


def test_pipeline_never_stores_identifiers(tmp_path, settings, client):
    learner = profile(
        "learner-private",
        identifiers=[{"type": "email", "value": "private.person@example.org"}],
        credentials=[signed_badge("learner-private", PYTHON_BADGE)],
    )
    index([write_json(tmp_path / "p.json", learner)], settings, client)

    raw = client.get(index=alias_name(settings, "candidates"), id="learner-private")
    assert "private.person@example.org" not in str(raw)


def test_pipeline_expired_badge_is_not_evidence(tmp_path, settings, client):
    learner = profile(
        "learner-expired",
        credentials=[signed_badge("learner-expired", CPR_BADGE, expired=True)],
    )
    index([write_json(tmp_path / "p.json", learner)], settings, client)

    stored = get_candidate(client, settings, "learner-expired")
    assert stored["credentials"][0]["status"] == "expired"
    assert stored["skills"] == []


def test_pipeline_wrong_recipient_is_invalid(tmp_path, settings, client):
    learner = profile(
        "learner-claims",
        credentials=[signed_badge("someone-else", PYTHON_BADGE)],
    )
    index([write_json(tmp_path / "p.json", learner)], settings, client)

    stored = get_candidate(client, settings, "learner-claims")
    assert stored["credentials"][0]["status"] == "invalid"
    assert stored["skills"] == []


def test_pipeline_skips_learners_without_consent(tmp_path, settings, client):
    no_scope = profile("learner-no-scope")
    no_scope["consent"]["scopes"] = ["contact"]
    future = profile("learner-future")
    future["consent"]["granted_at"] = (NOW + timedelta(days=3)).isoformat()
    report = index(
        [
            write_json(tmp_path / "a.json", no_scope),
            write_json(tmp_path / "b.json", future),
        ],
        settings,
        client,
    )

    assert report.not_consenting == 2
    assert get_candidate(client, settings, "learner-no-scope") is None
    assert get_candidate(client, settings, "learner-future") is None


def test_pipeline_withdrawal_deletes_on_next_run(tmp_path, settings, client):
    learner = profile(
        "learner-withdraws", credentials=[signed_badge("learner-withdraws", CPR_BADGE)]
    )
    path = write_json(tmp_path / "p.json", learner)
    index([path], settings, client)
    assert get_candidate(client, settings, "learner-withdraws") is not None

    learner["consent"]["withdrawn_at"] = NOW.isoformat()
    write_json(path, learner)
    report = index([path], settings, client)

    assert report.deleted == 1
    assert get_candidate(client, settings, "learner-withdraws") is None


def test_pipeline_withdrawal_writes_audit_record(tmp_path, settings, client):
    learner = profile("learner-audited")
    path = write_json(tmp_path / "p.json", learner)
    index([path], settings, client)
    learner["consent"]["withdrawn_at"] = NOW.isoformat()
    write_json(path, learner)

    index([path], settings, client)
    index([path], settings, client)

    records = list_audit_events(client, settings, "learner-audited")
    assert len(records) == 1
    assert set(records[0]) == {"learner_id", "action", "occurred_at", "actor_key_id"}
    assert records[0]["action"] == "removed_by_indexer"
    assert records[0]["actor_key_id"] == "indexer"


def test_pipeline_skips_learner_removed_by_admin(tmp_path, settings, client):
    learner = profile("learner-erased")
    path = write_json(tmp_path / "p.json", learner)
    index([path], settings, client)
    assert remove_learner(
        client, settings, "learner-erased", AuditAction.learner_deleted, "admin-key"
    )

    report = index([path], settings, client)

    assert report.indexed == 0
    assert report.rejected == []
    assert get_candidate(client, settings, "learner-erased") is None

    learner["consent"]["granted_at"] = datetime.now(UTC).isoformat()
    write_json(path, learner)
    report = index([path], settings, client)

    assert report.indexed == 1
    assert get_candidate(client, settings, "learner-erased") is not None


def test_pipeline_rerun_changes_nothing(tmp_path, settings, client):
    learner = profile(
        "learner-rerun",
        credentials=[signed_badge("learner-rerun", PYTHON_BADGE)],
        pathways=[],
    )
    path = write_json(tmp_path / "p.json", learner)
    first = index([path], settings, client)
    before = client.get(index=alias_name(settings, "candidates"), id="learner-rerun")

    second = index([path], settings, client)
    after = client.get(index=alias_name(settings, "candidates"), id="learner-rerun")

    assert first.indexed == 1
    assert second.indexed == 0
    assert second.unchanged == 1
    assert after["_version"] == before["_version"]
    assert after["_source"] == before["_source"]


def test_pipeline_pathway_progress(tmp_path, settings, client):
    pathway = {
        "type": "PathwayDefinition",
        "pathway_id": "test-it-support",
        "name": "IT support starter",
        "target_role": "IT Support Specialist",
        "steps": [
            {
                "step_id": "python",
                "name": "Programming",
                "achievements": ["Python Basics"],
            },
            {"step_id": "team", "name": "Teamwork", "skills": ["Teamwork"]},
            {"step_id": "net", "name": "Networking", "skills": ["Computer networking"]},
        ],
    }
    learner = profile(
        "learner-pathway",
        pathways=["test-it-support", "no-such-pathway"],
        credentials=[
            signed_badge("learner-pathway", PYTHON_BADGE),
            signed_badge("learner-pathway", TEAMWORK_BADGE),
        ],
        self_reported_skills=["Computer networking"],
    )
    report = index(
        [
            write_json(tmp_path / "pathway.json", pathway),
            write_json(tmp_path / "learner.json", learner),
        ],
        settings,
        client,
    )

    stored = get_candidate(client, settings, "learner-pathway")
    progress = stored["pathways"][0]
    assert progress["steps_completed"] == 2
    assert progress["completed_step_ids"] == ["python", "team"]
    assert stored["pathway_progress_max"] == pytest.approx(2 / 3, abs=1e-3)
    assert any("no-such-pathway" in w.reason for w in report.warnings)


def test_pipeline_bad_inputs_are_reported_and_others_indexed(
    tmp_path, settings, client
):
    (tmp_path / "broken.json").write_text('{"learner_id": "x", ', encoding="utf-8")
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    (tmp_path / "truncated.png").write_bytes(
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00"
    )
    (tmp_path / "stray.jwt").write_text(signed_badge("nobody", CPR_BADGE))
    good = profile(
        "learner-survivor",
        credentials=[
            {"path": "truncated.png"},
            signed_badge("learner-survivor", CPR_BADGE),
        ],
    )
    write_json(tmp_path / "good.json", good)
    (tmp_path / "many.jsonl").write_text(
        '{"learner_id": "ok-1"\n' + '{"type": "LearnerProfile", "learner_id": "b"}\n',
        encoding="utf-8",
    )

    report = index([tmp_path, tmp_path / "missing.json"], settings, client)

    reasons = {r.path: r.reason for r in report.rejected}
    assert "malformed JSON" in reasons[str(tmp_path / "broken.json")]
    assert "unsupported file type .txt" in reasons[str(tmp_path / "notes.txt")]
    assert "not listed in any learner profile" in reasons[str(tmp_path / "stray.jwt")]
    assert "no such file" in reasons[str(tmp_path / "missing.json")]
    png_reason = next(r for p, r in reasons.items() if "credentials[0]" in p)
    assert "PNG" in png_reason
    assert "line 1: malformed JSON" in reasons[str(tmp_path / "many.jsonl")]
    assert "invalid LearnerProfile" in reasons[f"{tmp_path / 'many.jsonl'}:2"]
    stored = get_candidate(client, settings, "learner-survivor")
    assert [c["status"] for c in stored["credentials"]] == ["verified"]


def test_index_command_exit_code_and_listing(tmp_path, settings, monkeypatch):
    write_json(tmp_path / "good.json", profile("learner-cli"))
    (tmp_path / "bad.json").write_text("[1, 2", encoding="utf-8")
    for name, value in {
        "SKILLBEACON_OPENSEARCH_URL": settings.engine_url,
        "SKILLBEACON_INDEX_PREFIX": settings.index_prefix,
    }.items():
        monkeypatch.setenv(name, value)
    from skillbeacon.settings import get_settings

    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["index", "--no-progress", str(tmp_path)])
    finally:
        get_settings.cache_clear()

    assert result.exit_code == 1
    assert "bad.json" in result.output
    assert "malformed JSON" in result.output


def test_index_command_succeeds_without_rejections(tmp_path, settings, monkeypatch):
    write_json(tmp_path / "good.json", profile("learner-cli-ok"))
    monkeypatch.setenv("SKILLBEACON_OPENSEARCH_URL", settings.engine_url)
    monkeypatch.setenv("SKILLBEACON_INDEX_PREFIX", settings.index_prefix)
    from skillbeacon.settings import get_settings

    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["index", "--no-progress", str(tmp_path)])
    finally:
        get_settings.cache_clear()

    assert result.exit_code == 0, result.output
    assert "indexed 1 learners" in result.output


def test_discover_skips_hidden_files(tmp_path):
    from indexer.discover import discover

    write_json(tmp_path / ".hidden" / "a.json", {})
    write_json(tmp_path / "b.json", {})
    assert [p.name for p in discover([tmp_path]).files] == ["b.json"]


def test_inputs_profile_error_omits_values(tmp_path):
    from indexer.errors import InputRejected
    from indexer.inputs import parse_profile

    bad = profile("learner-bad", display_name="", age_band="teen")
    bad["identifiers"] = [{"type": "email", "value": "x"}]
    with pytest.raises(InputRejected) as raised:
        parse_profile(bad)
    assert "age_band" in raised.value.reason
    assert "teen" not in raised.value.reason
    assert Path  # keeps the import used by type checkers


def test_pipeline_rejects_credential_paths_outside_the_folder(
    tmp_path, settings, client
):
    profiles = tmp_path / "profiles"
    learner = profile(
        "learner-escape",
        credentials=[{"path": "/etc/hostname"}, {"path": "../outside.jwt"}],
    )
    (tmp_path / "outside.jwt").write_text(signed_badge("learner-escape", CPR_BADGE))
    path = write_json(profiles / "p.json", learner)

    report = index([path], settings, client)

    reasons = [r.reason for r in report.rejected]
    assert len(reasons) == 2
    assert all("outside the profile's folder" in reason for reason in reasons)

    allowed = settings.model_copy(update={"credential_roots": [tmp_path]})
    report = run_index([path], allowed, client, show_progress=False)
    outside = [r for r in report.rejected if "outside.jwt" in r.path]
    assert outside == []
    stored = get_candidate(client, settings, "learner-escape")
    assert [c["status"] for c in stored["credentials"]] == ["verified"]


def test_pipeline_scheduled_withdrawal_hides_at_its_time(tmp_path, settings, client):
    from skillbeacon.store.candidates import is_employer_visible

    learner = profile("learner-scheduled")
    soon = datetime.now(UTC) + timedelta(seconds=3)
    learner["consent"]["withdrawn_at"] = soon.isoformat()
    index([write_json(tmp_path / "p.json", learner)], settings, client)
    assert is_employer_visible(client, settings, "learner-scheduled")

    import time

    time.sleep(max(0.0, (soon - datetime.now(UTC)).total_seconds()) + 0.5)
    assert not is_employer_visible(client, settings, "learner-scheduled")


def test_pipeline_self_reported_skill_too_long_is_rejected(tmp_path, settings, client):
    learner = profile("learner-long", self_reported_skills=["x" * 5000])
    report = index([write_json(tmp_path / "p.json", learner)], settings, client)

    assert "self_reported_skills.0" in report.rejected[0].reason
    assert get_candidate(client, settings, "learner-long") is None


def test_pipeline_hidden_pathways_do_not_raise_rank(tmp_path, settings, client):
    pathway = {
        "type": "PathwayDefinition",
        "pathway_id": "test-hidden-pathway",
        "name": "Hidden pathway",
        "target_role": "Role",
        "steps": [{"step_id": "a", "name": "A", "achievements": ["Python Basics"]}],
    }
    learner = profile(
        "learner-hidden-pathway",
        pathways=["test-hidden-pathway"],
        visibility={"pathways": False, "availability": False},
        credentials=[signed_badge("learner-hidden-pathway", PYTHON_BADGE)],
    )
    index(
        [
            write_json(tmp_path / "pathway.json", pathway),
            write_json(tmp_path / "learner.json", learner),
        ],
        settings,
        client,
    )

    stored = get_candidate(client, settings, "learner-hidden-pathway")
    assert stored["pathways"][0]["progress"] == 1.0
    assert stored["pathway_progress_max"] == 0.0
    assert stored["visible_availability"] is None


def test_pipeline_withholds_credential_names_with_the_learner_name(
    tmp_path, settings, client
):
    from tests.indexer.profiles import ISSUER, NOW, achievement

    spec = achievement("Ellis Monday")
    credential = ISSUER.build_credential(
        spec, "did:example:learner-named", "urn:uuid:named-1", NOW
    )
    credential["name"] = "Ellis Monday"
    learner = profile(
        "learner-named",
        display_name="Ellis Monday",
        credentials=[
            ISSUER.sign_jwt(credential),
            signed_badge("learner-named", CPR_BADGE),
        ],
    )
    index([write_json(tmp_path / "p.json", learner)], settings, client)

    stored = get_candidate(client, settings, "learner-named")
    names = [c["name"] for c in stored["credentials"]]
    assert names == ["Credential", "CPR Certification"]
    assert "Ellis" not in stored["search_text"]
    assert "Monday" not in str(stored["credentials"])


def test_pipeline_rejects_a_credential_without_achievement(tmp_path, settings, client):
    plain = unverifiable_badge("learner-plain", PYTHON_BADGE)
    plain["type"] = ["VerifiableCredential"]
    plain["credentialSubject"] = {"id": "did:example:learner-plain"}
    learner = profile(
        "learner-plain",
        credentials=[plain, signed_badge("learner-plain", TEAMWORK_BADGE)],
    )

    report = index([write_json(tmp_path / "p.json", learner)], settings, client)

    [rejection] = report.rejected
    assert rejection.reason.endswith(
        "awards no achievement, so it gives no skill evidence and is not indexed"
    )
    stored = get_candidate(client, settings, "learner-plain")
    assert [c["name"] for c in stored["credentials"]] == ["Team Project"]
    assert "skillbeacon:python" not in skill_levels(stored)


def test_pipeline_survives_a_crash_in_verification(
    tmp_path, settings, client, monkeypatch
):
    from indexer import pipeline

    real_verify = pipeline.verify_credential_tree

    def crash_on_teamwork(parsed, *args, **kwargs):
        if parsed.name == "Team Project":
            raise OverflowError("a value from the credential")
        return real_verify(parsed, *args, **kwargs)

    monkeypatch.setattr(pipeline, "verify_credential_tree", crash_on_teamwork)
    learner = profile(
        "learner-crash",
        credentials=[
            signed_badge("learner-crash", TEAMWORK_BADGE),
            signed_badge("learner-crash", PYTHON_BADGE),
        ],
    )

    report = index([write_json(tmp_path / "p.json", learner)], settings, client)

    [rejection] = report.rejected
    assert rejection.reason == (
        "verification failed unexpectedly (OverflowError); the credential is left out"
    )
    stored = get_candidate(client, settings, "learner-crash")
    assert [c["name"] for c in stored["credentials"]] == ["Python Basics"]


def test_pipeline_reports_a_revoked_stub_as_a_warning(tmp_path, settings, client):
    stub = {
        "@context": "https://w3id.org/openbadges/v2",
        "id": "https://school.example/assertions/9",
        "revoked": True,
    }
    learner = profile(
        "learner-stub",
        credentials=[stub, signed_badge("learner-stub", PYTHON_BADGE)],
    )

    report = index([write_json(tmp_path / "p.json", learner)], settings, client)

    assert report.rejected == []
    assert [w.reason for w in report.warnings] == [
        "assertion https://school.example/assertions/9 was revoked by its issuer"
    ]


def test_pipeline_survives_a_crash_while_reading(
    tmp_path, settings, client, monkeypatch
):
    from indexer import pipeline

    real_load = pipeline.load_credential_entry

    def crash_on_first(entry, *args, **kwargs):
        if isinstance(entry, dict) and entry.get("name") == "boom":
            raise ValueError("a value from the credential")
        return real_load(entry, *args, **kwargs)

    monkeypatch.setattr(pipeline, "load_credential_entry", crash_on_first)
    learner = profile(
        "learner-read-crash",
        credentials=[
            {"name": "boom"},
            signed_badge("learner-read-crash", PYTHON_BADGE),
        ],
    )

    report = index([write_json(tmp_path / "p.json", learner)], settings, client)

    assert [r.reason for r in report.rejected] == [
        "reading failed unexpectedly (ValueError); the credential is left out"
    ]
    assert get_candidate(client, settings, "learner-read-crash")["credentials"]
