"""Read profile and pathway files into validated models, one record at a time."""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from indexer import safe_json
from indexer.ctdl import is_ctdl_pathway
from indexer.errors import InputRejected
from skillbeacon.models.pathway import PathwayDefinition
from skillbeacon.models.profile import LearnerProfile
from skillbeacon.settings import Settings

ModelT = TypeVar("ModelT", bound=BaseModel)


@dataclass(frozen=True)
class Record:
    """One JSON object read from a file, with where it came from."""

    location: str
    base_dir: Path
    data: Any


def read_records(path: Path, settings: Settings) -> Iterator[Record | InputRejected]:
    """Yield each top-level JSON object of a .json or .jsonl file.

    A JSON array yields its items. A bad line of a JSONL file yields an
    InputRejected for that line and reading goes on.
    """
    size = path.stat().st_size
    if size > settings.max_input_bytes and path.suffix != ".jsonl":
        yield InputRejected(
            f"file is {size} bytes, more than the limit of "
            f"{settings.max_input_bytes} bytes (SKILLBEACON_MAX_INPUT_BYTES)"
        )
        return
    base_dir = path.parent
    if path.suffix == ".jsonl":
        yield from _read_lines(path, base_dir, settings)
        return
    try:
        data = safe_json.loads(
            path.read_bytes(), settings.max_input_bytes, settings.max_json_depth
        )
    except InputRejected as error:
        yield error
        return
    if isinstance(data, list):
        for number, item in enumerate(data):
            yield Record(f"{path}[{number}]", base_dir, item)
    else:
        yield Record(str(path), base_dir, data)


def _read_lines(
    path: Path, base_dir: Path, settings: Settings
) -> Iterator[Record | InputRejected]:
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            location = f"{path}:{number}"
            try:
                data = safe_json.loads(
                    line, settings.max_input_bytes, settings.max_json_depth
                )
            except InputRejected as error:
                yield InputRejected(f"line {number}: {error.reason}")
                continue
            yield Record(location, base_dir, data)


def record_kind(data: Any) -> str:
    """Classify a JSON object.

    The kinds are 'profile', 'pathway', 'ctdl_pathway' (a CTDL pathway graph),
    'credential' and 'unknown'.
    """
    if not isinstance(data, dict):
        return "unknown"
    declared = data.get("type")
    if declared == "LearnerProfile" or "learner_id" in data:
        return "profile"
    if declared == "PathwayDefinition" or "pathway_id" in data:
        return "pathway"
    if is_ctdl_pathway(data):
        return "ctdl_pathway"
    types = declared if isinstance(declared, list) else [declared]
    credential_types = {
        "VerifiableCredential",
        "OpenBadgeCredential",
        "AchievementCredential",
        "ClrCredential",
        "Assertion",
    }
    if credential_types & {t for t in types if isinstance(t, str)}:
        return "credential"
    if "recipient" in data and "badge" in data:
        return "credential"
    return "unknown"


def validation_message(error: ValidationError) -> str:
    """Describe validation errors by field and rule, without the input values.

    Input values can be personal data, so they stay out of messages and logs.
    """
    parts = []
    for item in error.errors()[:5]:
        field = ".".join(str(p) for p in item["loc"]) or "(document)"
        parts.append(f"{field}: {item['msg']}")
    more = len(error.errors()) - 5
    if more > 0:
        parts.append(f"and {more} more")
    return "; ".join(parts)


def parse_model(model: type[ModelT], data: Any) -> ModelT:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise InputRejected(
            f"invalid {model.__name__}: {validation_message(error)}"
        ) from None


def parse_profile(data: Any) -> LearnerProfile:
    return parse_model(LearnerProfile, data)


def parse_pathway(data: Any) -> PathwayDefinition:
    return parse_model(PathwayDefinition, data)
