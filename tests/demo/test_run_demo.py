import pytest

pytest.importorskip("indexer.pipeline")
pytest.importorskip("skillbeacon.store.skills")

from skillbeacon.demo import run_demo  # noqa: E402


def test_run_demo_indexes_population(settings, client, tmp_path, capsys):
    demo_settings = settings.model_copy(update={"state_dir": tmp_path})

    report = run_demo(demo_settings, client, learners=60, seed=11)

    assert (tmp_path / "demo" / "profiles.jsonl").is_file()
    assert report.pathways == 2
    assert report.rejected == []
    assert report.not_consenting >= 6
    assert report.indexed + report.unchanged == 60 - report.not_consenting
    output = capsys.readouterr().out
    assert "skipped for consent:" in output
    assert "http://127.0.0.1:8000/" in output
