"""Indexer logs carry ids and counts, never the learner's personal data."""

from skillbeacon.logging import configure_logging
from tests.indexer.profiles import (
    PYTHON_BADGE,
    profile,
    signed_badge,
    write_json,
)

NAME = "Zebulon Quartermaine"
EMAIL = "zebulon.quartermaine@example.org"


def test_index_logs_without_personal_data(tmp_path, settings, client, capsys):
    from indexer.pipeline import run_index

    configure_logging(settings.model_copy(update={"log_level": "DEBUG"}))
    learner = profile(
        "learner-logs",
        display_name=NAME,
        identifiers=[{"type": "email", "value": EMAIL}],
        school="Quartermaine Academy",
        credentials=[
            signed_badge("learner-logs", PYTHON_BADGE, subject=f"mailto:{EMAIL}"),
            signed_badge("someone-else", PYTHON_BADGE),
            {"path": "missing.png"},
            "not-a-jwt",
        ],
        self_reported_skills=["Zebulon juggling"],
    )
    bad = profile("learner-bad-logs", display_name=NAME, age_band="teen")
    write_json(tmp_path / "a.json", learner)
    write_json(tmp_path / "b.json", bad)

    report = run_index([tmp_path], settings, client, show_progress=False)

    captured = capsys.readouterr()
    logs = captured.err + captured.out
    assert "index.run.finish" in logs
    assert len(report.rejected) >= 3
    for secret in ("Zebulon", "Quartermaine", EMAIL):
        assert secret not in logs
        assert all(secret not in r.reason for r in report.rejected)
