"""Readers for skill framework files: ESCO, O*NET and Rich Skill Descriptors.

`import_file` detects the format from the CSV header or the JSON `type`, so
callers never name it. CSV files are read row by row.
"""

import csv
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import structlog

from skillbeacon.models.skill import SkillCategory, SkillConcept
from skillbeacon.skills.normalize import normalize_label

log = structlog.get_logger(__name__)

ESCO_SKILL_BASE = "http://data.europa.eu/esco/skill/"
ESCO_ISCED_BASE = "http://data.europa.eu/esco/isced-f/"

# ESCO and the OSMT export separate values inside one cell differently.
ESCO_SEPARATOR = " | "
OSMT_SEPARATOR = ";"

ESCO_SKILLS_COLUMNS = frozenset(
    {"esco_id", "preferred_label", "alt_labels", "skill_type", "transversal"}
)
ESCO_TRANSVERSAL_COLUMNS = frozenset(
    {"esco_id", "concept_uri", "preferred_label", "alt_labels", "reuse_level"}
)
ESCO_GROUP_COLUMNS = frozenset(
    {"group_id", "concept_uri", "preferred_label", "alt_labels", "broader_ids"}
)
ONET_COLUMNS = frozenset({"element_id", "element_name", "domain"})
OSMT_COLUMNS = frozenset({"Canonical URL", "RSD Name", "Skill Statement"})

# Codes of the four roots of the ESCO skills pillar. A skill group takes the
# category of the root it descends from.
_ESCO_ROOT_CATEGORIES = {
    "S": SkillCategory.technical,
    "K": SkillCategory.knowledge,
    "T": SkillCategory.transversal,
    "L": SkillCategory.language,
}

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_WGU_SKILL_ID = re.compile(r"^WGUSID:\s*(\S+)$")

# O*NET content-model branches: 2.A basic skills, 2.B cross-functional skills
# (2.B.3 is "Technical Skills"), 2.C knowledge, 1.C work styles.
_ONET_TECHNICAL_BRANCH = "2.B.3"
_ONET_CATEGORIES = {
    "Basic Skills": SkillCategory.transversal,
    "Cross-Functional Skills": SkillCategory.transversal,
    "Knowledge": SkillCategory.knowledge,
    "Work Styles": SkillCategory.transversal,
}


def import_file(path: Path) -> list[SkillConcept]:
    """Read every skill concept from one framework file.

    Supported: the ESCO skills, skill-groups and transversal-skills CSVs, the
    O*NET content model elements CSV (skills, knowledge and work styles), the
    OSMT CSV export of Rich Skill Descriptors, and OSMT JSON (one RSD, a list
    of RSDs, or a collection). Raises ValueError naming the expected columns
    or types when the file is none of these, and OSError when it cannot be
    read.
    """
    if path.suffix.lower() == ".json":
        concepts = _import_json(path)
    else:
        concepts = list(_import_csv(path))
    log.info("skills.import.read", path=path.name, concepts=len(concepts))
    return concepts


def _import_csv(path: Path) -> Iterator[SkillConcept]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        columns = frozenset(reader.fieldnames or ())
        if columns >= ESCO_GROUP_COLUMNS:
            # A group's category comes from its root, so the whole file is read.
            yield from _esco_groups(list(reader))
            return
        read_row = _csv_reader_for(columns, path)
        for row in reader:
            concept = read_row(row)
            if concept is not None:
                yield concept


def _csv_reader_for(
    columns: frozenset[str], path: Path
) -> Callable[[dict[str, str]], SkillConcept | None]:
    # The transversal-skills file also has the ESCO skills columns except the
    # flags, so it is checked first.
    if columns >= ESCO_TRANSVERSAL_COLUMNS and "transversal" not in columns:
        return _esco_transversal_row
    if columns >= ESCO_SKILLS_COLUMNS:
        return _esco_skill_row
    if columns >= ONET_COLUMNS:
        return _onet_element_row
    if columns >= OSMT_COLUMNS:
        return _osmt_csv_row
    raise ValueError(
        f"unknown skill file {path.name}: expected the columns of the ESCO skills "
        f"CSV ({_names(ESCO_SKILLS_COLUMNS)}), the ESCO skill groups CSV "
        f"({_names(ESCO_GROUP_COLUMNS)}), the ESCO transversal skills CSV "
        f"({_names(ESCO_TRANSVERSAL_COLUMNS)}), the O*NET elements CSV "
        f"({_names(ONET_COLUMNS)}) or the OSMT RSD export ({_names(OSMT_COLUMNS)}), "
        f"but found: {_names(columns) or 'no header'}"
    )


def _names(columns: frozenset[str]) -> str:
    return ", ".join(sorted(columns))


def _split(cell: str | None, separator: str) -> list[str]:
    if not cell:
        return []
    return [value.strip() for value in cell.split(separator) if value.strip()]


def _distinct_alt_labels(preferred: str, labels: list[str]) -> list[str]:
    """Drop labels equal to the preferred label or to an earlier one."""
    seen = {normalize_label(preferred)}
    distinct = []
    for label in labels:
        key = normalize_label(label)
        if key and key not in seen:
            seen.add(key)
            distinct.append(label)
    return distinct


def esco_uri(concept_id: str) -> str:
    """Return the ESCO URI of a skill, skill group or ISCED-F field id.

    Skills and most skill groups have UUIDs. Knowledge groups taken from
    ISCED-F have the field code ("0611") as their id and an isced-f URI.
    """
    if concept_id.startswith("http"):
        return concept_id
    if _UUID.match(concept_id):
        return ESCO_SKILL_BASE + concept_id
    return ESCO_ISCED_BASE + concept_id


def _esco_category(row: dict[str, str]) -> SkillCategory:
    if row.get("language") == "1":
        return SkillCategory.language
    if row.get("transversal") == "1":
        return SkillCategory.transversal
    if row.get("skill_type") == "knowledge":
        return SkillCategory.knowledge
    if row.get("skill_type") == "skill/competence":
        return SkillCategory.technical
    return SkillCategory.other


def _esco_concept(row: dict[str, str], category: SkillCategory) -> SkillConcept | None:
    label = (row.get("preferred_label") or "").strip()
    esco_id = (row.get("esco_id") or "").strip()
    if not label or not esco_id:
        log.warning("skills.import.row_skipped", esco_id=esco_id, reason="no label")
        return None

    uri = (row.get("concept_uri") or "").strip() or esco_uri(esco_id)
    return SkillConcept(
        skill_id=uri,
        preferred_label=label,
        alt_labels=_distinct_alt_labels(
            label, _split(row["alt_labels"], ESCO_SEPARATOR)
        ),
        framework="esco",
        uri=uri,
        codes=[esco_id],
        category=category,
        broader_ids=[
            esco_uri(broader_id)
            for broader_id in _split(row.get("broader_ids"), ESCO_SEPARATOR)
        ],
        description=(row.get("description") or "").strip() or None,
    )


def _esco_skill_row(row: dict[str, str]) -> SkillConcept | None:
    return _esco_concept(row, _esco_category(row))


def _esco_transversal_row(row: dict[str, str]) -> SkillConcept | None:
    return _esco_concept(row, SkillCategory.transversal)


def _esco_groups(rows: list[dict[str, str]]) -> Iterator[SkillConcept]:
    """Read ESCO skill groups, each with the category of its root group.

    Skills name their groups in `broader_ids`, so a skill's broader concept
    is found once the groups are imported too.
    """
    parents = {
        row["group_id"].strip(): _split(row.get("broader_ids"), ESCO_SEPARATOR)
        for row in rows
    }
    codes = {row["group_id"].strip(): (row.get("code") or "").strip() for row in rows}

    for row in rows:
        group_id = row["group_id"].strip()
        label = (row.get("preferred_label") or "").strip()
        if not group_id or not label:
            log.warning(
                "skills.import.row_skipped", esco_id=group_id, reason="no label"
            )
            continue

        root = _root_of(group_id, parents)
        category = _ESCO_ROOT_CATEGORIES.get(codes.get(root, ""), SkillCategory.other)
        uri = (row.get("concept_uri") or "").strip() or esco_uri(group_id)
        group_codes = [group_id]
        if codes[group_id]:
            group_codes.append(codes[group_id])
        yield SkillConcept(
            skill_id=uri,
            preferred_label=label,
            alt_labels=_distinct_alt_labels(
                label, _split(row.get("alt_labels"), ESCO_SEPARATOR)
            ),
            framework="esco",
            uri=uri,
            codes=group_codes,
            category=category,
            broader_ids=[esco_uri(parent) for parent in parents[group_id]],
            description=(row.get("description") or "").strip() or None,
        )


def _root_of(group_id: str, parents: dict[str, list[str]]) -> str:
    """Follow the first broader link up to a group without one."""
    current = group_id
    seen = {current}
    while parents.get(current):
        parent = parents[current][0]
        if parent in seen:
            break
        seen.add(parent)
        current = parent
    return current


def _onet_element_row(row: dict[str, str]) -> SkillConcept | None:
    element_id = row["element_id"].strip()
    label = row["element_name"].strip()
    if not element_id or not label:
        return None

    category = _ONET_CATEGORIES.get(row["domain"].strip(), SkillCategory.other)
    if element_id.startswith(_ONET_TECHNICAL_BRANCH):
        category = SkillCategory.technical
    parent = (row.get("parent_element_id") or "").strip()
    return SkillConcept(
        skill_id=f"onet:{element_id}",
        preferred_label=label,
        framework="onet",
        codes=[element_id],
        category=category,
        broader_ids=[f"onet:{parent}"] if parent else [],
        description=(row.get("description") or "").strip() or None,
    )


def _osmt_csv_row(row: dict[str, str]) -> SkillConcept | None:
    url = row["Canonical URL"].strip()
    label = row["RSD Name"].strip()
    if not url or not label:
        log.warning("skills.import.row_skipped", skill_id=url, reason="no label")
        return None

    # Keywords name related topics ("Analysis", "Thinking"), not synonyms, so
    # they never become alternative labels. Only the WGU skill id is kept.
    codes = _wgu_skill_codes(_split(row.get("Keywords"), OSMT_SEPARATOR))
    codes += _split(row.get("Alignment URL"), OSMT_SEPARATOR)
    return SkillConcept(
        skill_id=url,
        preferred_label=label,
        framework="rsd",
        uri=url,
        codes=_unique(codes),
        description=(row.get("Skill Statement") or "").strip() or None,
    )


def _wgu_skill_codes(keywords: list[str]) -> list[str]:
    codes = []
    for keyword in keywords:
        match = _WGU_SKILL_ID.match(keyword)
        if match:
            codes.append(f"WGUSID:{match.group(1)}")
    return codes


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _import_json(path: Path) -> list[SkillConcept]:
    document = json.loads(path.read_text(encoding="utf-8"))

    if isinstance(document, list):
        descriptors = document
    elif isinstance(document, dict) and document.get("type") == "RichSkillCollection":
        descriptors = document.get("skills") or []
    elif isinstance(document, dict) and document.get("type") == "RichSkillDescriptor":
        descriptors = [document]
    else:
        raise ValueError(
            f"unknown skill file {path.name}: expected an OSMT RichSkillDescriptor, "
            "a list of them or a RichSkillCollection (JSON with 'type', 'id' and "
            "'skillName')"
        )

    concepts = []
    for descriptor in descriptors:
        concept = _rsd_concept(descriptor)
        if concept is not None:
            concepts.append(concept)
    return concepts


def _rsd_concept(descriptor: Any) -> SkillConcept | None:
    if not isinstance(descriptor, dict):
        return None
    url = str(descriptor.get("id") or "").strip()
    label = str(descriptor.get("skillName") or "").strip()
    if not url or not label:
        log.warning("skills.import.row_skipped", skill_id=url, reason="no label")
        return None

    codes = []
    if descriptor.get("uuid"):
        codes.append(str(descriptor["uuid"]))
    keywords = [str(keyword) for keyword in descriptor.get("keywords") or []]
    codes += _wgu_skill_codes(keywords)
    for alignment in descriptor.get("alignments") or []:
        if isinstance(alignment, dict) and alignment.get("id"):
            codes.append(str(alignment["id"]))
    return SkillConcept(
        skill_id=url,
        preferred_label=label,
        framework="rsd",
        uri=url,
        codes=_unique(codes),
        description=str(descriptor.get("skillStatement") or "").strip() or None,
    )
