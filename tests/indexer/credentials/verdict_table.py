"""Compare `skillbeacon verify --json` output with the verdicts in SOURCES.md.

SOURCES.md (next to the shared credential fixtures) has one Markdown table
per folder. Each row names a file and gives the verdict that the file's
source states, as free text. Only rows whose verdict starts with a verdict
word are counted; the rest (unknown, "-", descriptions) are left out.

Run it on a saved verify output:

    skillbeacon verify --json --url-map DATA/url-map.json DATA > verify.json
    python -m tests.indexer.credentials.verdict_table DATA/SOURCES.md verify.json
"""

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

FOLDERS = ("ob2", "ob2/legacy", "ob2-baked", "ob3", "ob3/baked", "clr2")

# The source's verdict word and the statuses of ours that agree with it. A
# file that cannot be read as a credential (status "error") agrees with an
# invalid verdict.
MATCHING_STATUSES = {
    "verified": {"verified"},
    "invalid": {"invalid", "error"},
    "revoked": {"revoked"},
    "expired": {"expired"},
}
VERDICT_WORDS = {
    "valid": "verified",
    "invalid": "invalid",
    "fatal": "invalid",
    "error": "invalid",
    "revoked": "revoked",
    "expired": "expired",
}
# A leading count, as in "1 ERROR: ...".
LEADING_COUNT = re.compile(r"^\d+\s+")
FIRST_WORD = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class FolderCount:
    """Matching and counted files of one fixture folder."""

    folder: str
    matching: int
    total: int
    mismatches: tuple[str, ...]


def expected_verdict(text: str) -> str | None:
    """Map a SOURCES.md verdict text to verified, invalid, revoked or expired.

    The first word decides ("valid with WARNING" is verified, "revoked and
    expired" is revoked). When it is no verdict word, the first word after
    " -> " decides ("did:web unresolvable -> fatal"). Returns None when the
    text has the word "unknown" ("revoked and expired (not asserted) -
    unknown"), for "-", and for descriptions without a verdict word.
    """
    if re.search(r"\bunknown\b", text, re.IGNORECASE):
        return None
    verdict = _first_verdict_word(text)
    if verdict is None and " -> " in text:
        verdict = _first_verdict_word(text.split(" -> ", 1)[1])

    # 1EdTech reports only valid or invalid, and names the defect after the
    # colon: "invalid: expired" is counted as expired.
    if verdict == "invalid" and ":" in text:
        defect = _first_verdict_word(text.split(":", 1)[1])
        if defect in ("expired", "revoked"):
            verdict = defect
    return verdict


def _first_verdict_word(text: str) -> str | None:
    stripped = LEADING_COUNT.sub("", text.strip().lower())
    match = FIRST_WORD.match(stripped)
    if match is None:
        return None
    return VERDICT_WORDS.get(match.group())


def parse_sources(text: str) -> dict[str, str]:
    """Return each listed file's counted verdict, by path relative to SOURCES.md.

    Rows come from every table whose header has a "file" column and an
    "expected verdict" column. Files whose verdict is not counted are left
    out.
    """
    verdicts: dict[str, str] = {}
    header: list[str] | None = None
    for line in text.splitlines():
        if not line.startswith("|"):
            header = None
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if header is None:
            header = [cell.lower() for cell in cells]
            continue
        if set("".join(cells)) <= set("-: "):
            continue
        file_column = _column(header, "file")
        verdict_column = _column(header, "expected verdict")
        if file_column is None or verdict_column is None:
            continue
        if len(cells) != len(header):
            raise ValueError(f"SOURCES.md row has {len(cells)} cells: {line[:80]}")
        verdict = expected_verdict(cells[verdict_column])
        if verdict is not None:
            verdicts[cells[file_column].strip("`")] = verdict
    return verdicts


def _column(header: list[str], name: str) -> int | None:
    for position, title in enumerate(header):
        if title == name or title.startswith(name):
            return position
    return None


def count_by_folder(
    expected: dict[str, str], results: list[dict[str, Any]], root: Path
) -> list[FolderCount]:
    """Count, per folder of FOLDERS, the files whose status agrees with SOURCES.md.

    ``results`` is the verify command's JSON output; its paths are made
    relative to ``root``, the folder that contains SOURCES.md. A listed file
    missing from the output counts as a mismatch.
    """
    status_by_file = {}
    for result in results:
        relative = Path(result["path"]).resolve().relative_to(root.resolve())
        status_by_file[relative.as_posix()] = result["status"]

    counts = []
    for folder in FOLDERS:
        files = sorted(
            name
            for name in expected
            if PurePosixPath(name).parent == PurePosixPath(folder)
        )
        mismatches = tuple(
            f"{name}: expected {expected[name]}, got {status_by_file.get(name)}"
            for name in files
            if status_by_file.get(name) not in MATCHING_STATUSES[expected[name]]
        )
        counts.append(
            FolderCount(
                folder=folder,
                matching=len(files) - len(mismatches),
                total=len(files),
                mismatches=mismatches,
            )
        )
    return counts


def format_table(counts: list[FolderCount]) -> str:
    """Render the counts as a Markdown table with a total row."""
    lines = ["| folder | matching | counted |", "| --- | --- | --- |"]
    for count in counts:
        lines.append(f"| {count.folder} | {count.matching} | {count.total} |")
    matching = sum(count.matching for count in counts)
    total = sum(count.total for count in counts)
    lines.append(f"| all | {matching} | {total} |")
    return "\n".join(lines)


def main(arguments: list[str]) -> int:
    if len(arguments) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    sources = Path(arguments[0])
    expected = parse_sources(sources.read_text(encoding="utf-8"))
    results = json.loads(Path(arguments[1]).read_text(encoding="utf-8"))
    counts = count_by_folder(expected, results, sources.parent)
    print(format_table(counts))
    for count in counts:
        for mismatch in count.mismatches:
            print(f"  {mismatch}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
