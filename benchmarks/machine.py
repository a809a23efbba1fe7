"""A description of the machine and software that a benchmark ran on."""

import os
import platform
import subprocess
from typing import Any

from opensearchpy import OpenSearch

from skillbeacon import engine
from skillbeacon.settings import Settings


def cpu_model() -> str:
    """Return the first `model name` of /proc/cpuinfo, or the platform's name."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def memory_gib() -> float | None:
    """Return MemTotal of /proc/meminfo in GiB, or None where there is none."""
    try:
        with open("/proc/meminfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("MemTotal:"):
                    kib = int(line.split()[1])
                    return round(kib / 1024 / 1024, 1)
    except (OSError, ValueError, IndexError):
        pass
    return None


def java_version(settings: Settings) -> str:
    """Return the first line of `java -version` for the Java the engine uses."""
    try:
        java = engine.find_java(settings)
        completed = subprocess.run(  # noqa: S603 - fixed argv, no shell
            [str(java), "-version"], capture_output=True, text=True, timeout=30
        )
    except (engine.EngineError, OSError, subprocess.TimeoutExpired) as error:
        return f"unknown ({error})"
    lines = (completed.stderr or completed.stdout).splitlines()
    return lines[0] if lines else "unknown"


def describe_machine(client: OpenSearch, settings: Settings) -> dict[str, Any]:
    """Collect the CPU, memory, OS, software versions, engine and load average."""
    info = client.info()
    return {
        "cpu_model": cpu_model(),
        "logical_cpus": os.cpu_count(),
        "memory_gib": memory_gib(),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "java": java_version(settings) if settings.uses_local_engine else "n/a",
        "opensearch": info["version"]["number"],
        "engine_url": settings.engine_url,
        "engine_heap": settings.engine_heap if settings.uses_local_engine else "n/a",
        "load_average_at_start": [round(value, 2) for value in os.getloadavg()],
    }
