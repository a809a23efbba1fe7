import pytest

pytest.importorskip("indexer.pipeline")
pytest.importorskip("skillbeacon.store.skills")

from skillbeacon.api_keys import Role, parse_key_id  # noqa: E402
from skillbeacon.demo import run_demo  # noqa: E402
from skillbeacon.demo.population import DEMO_EMPLOYER_GROUP  # noqa: E402
from skillbeacon.store.api_keys import get_api_key  # noqa: E402


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
    api = f"http://{demo_settings.api_host}:{demo_settings.api_port}/"
    assert api in output


def test_run_demo_prints_youth_program_key(settings, client, tmp_path, capsys):
    demo_settings = settings.model_copy(update={"state_dir": tmp_path})

    run_demo(demo_settings, client, learners=20, seed=3)

    lines = capsys.readouterr().out.splitlines()
    youth_lines = [line for line in lines if "(youth programs" in line]
    assert len(youth_lines) == 1
    key = youth_lines[0].split()[1]
    record = get_api_key(client, settings, parse_key_id(key) or "")
    assert record is not None
    assert record.role == Role.recruiter
    assert record.youth_program is True
    assert record.employer_groups == [DEMO_EMPLOYER_GROUP]
