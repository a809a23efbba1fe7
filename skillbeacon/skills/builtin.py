"""The product's own demo vocabulary, shipped as data in the package."""

import json
from importlib import resources

from skillbeacon.models.skill import SkillConcept

BUILTIN_FRAMEWORK = "skillbeacon"


def load_builtin() -> list[SkillConcept]:
    """Read the built-in skill concepts from `skillbeacon/data/builtin_skills.json`.

    Their ids look like `skillbeacon:python`. ESCO URIs in `codes` are
    crosswalks to ESCO concepts with the same meaning, so an alignment that
    names the ESCO concept also maps to the built-in one.
    """
    data_file = resources.files("skillbeacon") / "data" / "builtin_skills.json"
    document = json.loads(data_file.read_text(encoding="utf-8"))

    framework = document["framework"]
    return [
        SkillConcept(framework=framework, **entry) for entry in document["concepts"]
    ]
