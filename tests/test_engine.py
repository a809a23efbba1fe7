"""The local engine launcher: Java and Maven discovery, ports, failure output."""

import socket
from pathlib import Path

import pytest

from skillbeacon import engine
from skillbeacon.settings import Settings


def test_find_java_reports_every_place_checked(tmp_path, monkeypatch):
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setattr(engine, "FALLBACK_JAVA_HOME", tmp_path / "no-jdk")
    settings = Settings(java_home=tmp_path / "old-jdk")

    with pytest.raises(engine.EngineError) as raised:
        engine.find_java(settings)

    message = str(raised.value)
    assert "no Java 21+ found" in message
    assert str(tmp_path / "old-jdk") in message
    assert str(tmp_path / "no-jdk") in message


def test_find_java_rejects_java_17(tmp_path, monkeypatch):
    java17 = Path("/usr/lib/jvm/java-17-openjdk-amd64")
    if not (java17 / "bin" / "java").exists():
        pytest.skip("no Java 17 at /usr/lib/jvm/java-17-openjdk-amd64")
    monkeypatch.setenv("JAVA_HOME", str(java17))
    monkeypatch.setattr(engine, "FALLBACK_JAVA_HOME", tmp_path / "no-jdk")

    with pytest.raises(engine.EngineError, match="Java 17"):
        engine.find_java(Settings())


def test_resolve_jars_without_maven(tmp_path, monkeypatch):
    monkeypatch.setattr(engine.shutil, "which", lambda _name: None)
    settings = Settings(state_dir=tmp_path)

    with pytest.raises(engine.EngineError, match="Maven"):
        engine.resolve_jars(settings, Path("/usr/bin/java"))


def test_start_rejects_a_busy_port(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        settings = Settings(state_dir=tmp_path, engine_transport_port=port)

        with pytest.raises(engine.EngineError, match=f"port {port}"):
            engine.start(settings)


def test_start_refuses_with_external_cluster(tmp_path):
    settings = Settings(state_dir=tmp_path, opensearch_url="http://127.0.0.1:1")
    with pytest.raises(engine.EngineError, match="SKILLBEACON_OPENSEARCH_URL"):
        engine.start(settings)


def test_failure_message_shows_log_path_and_tail(tmp_path):
    paths = engine.EnginePaths(tmp_path)
    paths.node_log.parent.mkdir(parents=True)
    lines = [f"line {n}" for n in range(100)]
    paths.node_log.write_text("\n".join(lines) + "\n")

    message = engine.failure_message("exited during start-up", paths)

    assert str(paths.node_log) in message
    assert "line 99" in message
    assert "line 10\n" not in message


def test_status_of_the_test_engine(engine_settings):
    current = engine.status(engine_settings)
    assert current.health is not None
    assert current.health["status"] in ("green", "yellow")


def test_read_pid_clears_a_stale_pid_file(tmp_path):
    settings = Settings(state_dir=tmp_path)
    pid_file = engine.engine_paths(settings).pid_file
    pid_file.parent.mkdir(parents=True)
    pid_file.write_text("999999999")

    assert engine.read_pid(settings) is None
    assert not pid_file.exists()


def test_http_port_above_the_runner_ceiling_is_refused(monkeypatch):
    from skillbeacon.settings import SettingsError, get_settings

    monkeypatch.setenv("SKILLBEACON_ENGINE_HTTP_PORT", "9311")
    get_settings.cache_clear()
    try:
        with pytest.raises(
            SettingsError, match="SKILLBEACON_ENGINE_HTTP_PORT: .* 9299"
        ):
            get_settings()
    finally:
        get_settings.cache_clear()
