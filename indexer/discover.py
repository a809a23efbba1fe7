"""Expand command-line paths into the input files of an indexer run."""

from dataclasses import dataclass
from pathlib import Path

PROFILE_SUFFIXES = {".json", ".jsonl", ".jsonld"}
CREDENTIAL_SUFFIXES = {".jwt", ".png", ".svg"}
SUPPORTED_SUFFIXES = PROFILE_SUFFIXES | CREDENTIAL_SUFFIXES


@dataclass(frozen=True)
class Discovery:
    files: list[Path]
    missing: list[Path]


def discover(paths: list[Path]) -> Discovery:
    """List files under the given paths in a stable order.

    Hidden files and folders are skipped. Files of any suffix are listed, so
    that the pipeline can reject unsupported ones by name.
    """
    files: list[Path] = []
    missing: list[Path] = []
    seen: set[Path] = set()
    for path in paths:
        if not path.exists():
            missing.append(path)
            continue
        if path.is_file():
            candidates = [path]
        else:
            candidates = sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and not _is_hidden(p.relative_to(path))
            )
        for candidate in candidates:
            resolved = candidate.resolve()
            if resolved not in seen:
                seen.add(resolved)
                files.append(candidate)
    return Discovery(files=files, missing=missing)


def _is_hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)
