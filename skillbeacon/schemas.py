"""JSON Schema files of the input formats, generated from the pydantic models."""

import json
from pathlib import Path

from pydantic import BaseModel

from skillbeacon.models.pathway import PathwayDefinition
from skillbeacon.models.profile import LearnerProfile

INPUT_MODELS: dict[str, type[BaseModel]] = {
    "learner-profile.schema.json": LearnerProfile,
    "pathway-definition.schema.json": PathwayDefinition,
}


def render_schema(model: type[BaseModel]) -> str:
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, model in INPUT_MODELS.items():
        path = folder / name
        path.write_text(render_schema(model), encoding="utf-8")
        written.append(path)
    return written
