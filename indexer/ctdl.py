"""Convert CTDL pathway graphs from Credential Engine into pathway definitions.

Two shapes are read: JSON-LD with `ceterms:`, `ceasn:` and `asn:` prefixed
terms, as the Credential Registry publishes it, and a simplified variant with
the same terms unprefixed. Prefixes are dropped from every key on reading, so
both shapes go through one code path.

A graph contains one Pathway node and its components. The destination component
becomes the target role, and every other component becomes one step.
"""

import hashlib
import heapq
import re
from typing import Any

from pydantic import ValidationError

from indexer.errors import InputRejected
from skillbeacon.models.pathway import PathwayDefinition, PathwayStep
from skillbeacon.skills.normalize import normalize_label

# Limits of PathwayDefinition and PathwayStep, checked here so that the
# rejection names the component instead of a list index.
MAX_STEPS = 100
MAX_NAME_LENGTH = 200
MAX_ID_LENGTH = 128
_MODEL_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{1,127}$")
_ID_SEPARATORS = re.compile(r"[^A-Za-z0-9._-]+")

# Graph nodes that describe the pathway but are not steps of it.
_NOT_COMPONENTS = {
    "Pathway",
    "ProgressionModel",
    "ProgressionLevel",
    "ConceptScheme",
    "Concept",
    "Organization",
    "CredentialOrganization",
}

# Component types that describe a career or job rather than something a learner
# earns. As a destination, such a component is the target role and no step.
_CAREER_TYPES = {"Basic", "BasicComponent", "JobComponent"}

# Component types whose names may start with the issuer's brand ("CompTIA A+").
_CREDENTIAL_TYPES = {
    "Badge",
    "Certificate",
    "Certification",
    "CredentialComponent",
    "DigitalBadge",
    "License",
    "MicroCredential",
    "OpenBadge",
}

# Terms whose values name components that come before the node.
_BEFORE_TERMS = ("hasChild", "isParentOf", "prerequisite", "precededBy")
# Terms whose values name components that come after the node.
_AFTER_TERMS = ("isChildOf", "precedes")

# A trailing acronym in brackets, with or without quotes: 'Associate ("MTA")'.
_TRAILING_ACRONYM = re.compile(r"^(?P<base>.+?)\s*\(\s*\"?(?P<short>[^()\"]+)\"?\s*\)$")

# An O*NET-SOC code such as 15-1252.00, also when it is part of a URL.
_ONET_SOC = re.compile(r"\b\d{2}-\d{4}(?:\.\d{2})?\b")


def is_ctdl_pathway(data: Any) -> bool:
    """Return whether `data` is JSON-LD with a CTDL Pathway or pathway component.

    A graph with components but no Pathway node counts, so that
    `pathway_from_ctdl` can reject it with a reason.
    """
    for node in _graph_nodes(data):
        types = _types(node)
        if "Pathway" in types:
            return True
        if any(kind.endswith("Component") for kind in types):
            return True
    return False


def pathway_from_ctdl(data: Any) -> PathwayDefinition:
    """Convert a CTDL pathway graph into a PathwayDefinition.

    Steps come in progression order: a component comes after the components
    it requires (`hasChild`, `hasCondition`, `prerequisite`, `precedes` and
    their inverses), then by progression level, then in document order.
    Raises InputRejected when the graph has no Pathway, more than one, or no
    components, or when a name or id is missing or too long.
    """
    nodes = [_unprefixed(node) for node in _graph_nodes(data)]
    pathways = [node for node in nodes if "Pathway" in _types(node)]
    if not pathways:
        raise InputRejected(
            "CTDL graph has no Pathway node (ceterms:Pathway); add the pathway "
            "that the components belong to"
        )
    if len(pathways) > 1:
        raise InputRejected(
            f"CTDL graph has {len(pathways)} Pathway nodes; put each pathway "
            "in its own file"
        )
    pathway = pathways[0]
    pathway_id = _pathway_id(pathway)
    pathway_name = _required_name(pathway, f"CTDL pathway {pathway_id}")

    components = [node for node in nodes if not _types(node) & _NOT_COMPONENTS]
    if not components:
        raise InputRejected(
            f"CTDL pathway {pathway_id} has no components; expected component "
            "or credential nodes in its @graph"
        )

    destination = _destination(pathway, components)
    target_role = pathway_name
    occupation_codes = _occupation_codes(pathway.get("occupationType"))
    steps_from = components
    if destination is not None:
        target_role = _required_name(destination, f"CTDL component {_id(destination)}")
        occupation_codes = _occupation_codes(
            destination.get("occupationType"), pathway.get("occupationType")
        )
        if _types(destination) & _CAREER_TYPES:
            steps_from = [node for node in components if node is not destination]

    if not steps_from:
        raise InputRejected(
            f"CTDL pathway {pathway_id} has only its destination component; "
            "expected at least one component a learner can complete"
        )
    if len(steps_from) > MAX_STEPS:
        raise InputRejected(
            f"CTDL pathway {pathway_id} has {len(steps_from)} components; at "
            f"most {MAX_STEPS} steps are supported"
        )

    ordered = _progression_order(steps_from, nodes)
    brands = _shared_brands(steps_from)
    # The checks above cover the model's limits. The handler turns any other
    # violation into a rejection, so one bad file cannot stop the run.
    try:
        steps = _steps(ordered, brands)
        return PathwayDefinition(
            pathway_id=pathway_id,
            name=pathway_name,
            target_role=target_role,
            target_occupation_codes=occupation_codes,
            steps=steps,
        )
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"])
        raise InputRejected(
            f"CTDL pathway {pathway_id} converts to an invalid pathway "
            f"definition: {field}: {first['msg']}"
        ) from None


def _graph_nodes(data: Any) -> list[dict[str, Any]]:
    if not isinstance(data, dict):
        return []
    graph = data.get("@graph")
    if isinstance(graph, list):
        return [node for node in graph if isinstance(node, dict)]
    if "@type" in data:
        return [data]
    return []


def _unprefixed(value: Any) -> Any:
    """Copy a JSON-LD value with the prefix dropped from each key."""
    if isinstance(value, dict):
        return {
            key.rsplit(":", 1)[-1]: _unprefixed(item) for key, item in value.items()
        }
    if isinstance(value, list):
        return [_unprefixed(item) for item in value]
    return value


def _types(node: dict[str, Any]) -> set[str]:
    return {kind.rsplit(":", 1)[-1] for kind in _strings(node.get("@type"))}


def _strings(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [item for item in items if isinstance(item, str)]


def _references(value: Any) -> list[str]:
    """Read node ids given as strings or as {"@id": ...} objects."""
    items = value if isinstance(value, list) else [value]
    ids = []
    for item in items:
        if isinstance(item, dict):
            item = item.get("@id")
        if isinstance(item, str) and item.strip():
            ids.append(item.strip())
    return ids


def _id(node: dict[str, Any]) -> str:
    value = node.get("@id")
    return value.strip() if isinstance(value, str) else ""


def _text(value: Any) -> str:
    """Read a string, a JSON-LD language map or value object, or a list of them.

    A language map gives its en-US text, else its en text, else its first.
    """
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list):
        for item in value:
            text = _text(item)
            if text:
                return text
        return ""
    if isinstance(value, dict):
        for key in ("@value", "en-US", "en"):
            if key in value:
                return _text(value[key])
        for item in value.values():
            text = _text(item)
            if text:
                return text
    return ""


def _required_name(node: dict[str, Any], node_label: str) -> str:
    name = _text(node.get("name"))
    if not name:
        raise InputRejected(f"{node_label} has no name; add ceterms:name")
    if len(name) > MAX_NAME_LENGTH:
        raise InputRejected(
            f"{node_label} has a name of {len(name)} characters; at most "
            f"{MAX_NAME_LENGTH} are supported"
        )
    return name


def _pathway_id(pathway: dict[str, Any]) -> str:
    """Derive a stable pathway id from the CTID, else from the @id URI.

    A CTID is globally unique, so it is used as it is. A URI becomes a slug
    of its host and path, and a slug longer than the id limit keeps its start
    and ends with a hash of the whole URI.
    """
    ctid = _text(pathway.get("ctid"))
    if _MODEL_ID.match(ctid):
        return ctid
    uri = _id(pathway)
    if not uri:
        raise InputRejected(
            "CTDL pathway has no ceterms:ctid and no @id, so it has no stable "
            "id that learner profiles can enroll in"
        )
    slug = _ID_SEPARATORS.sub("-", uri.split("://", 1)[-1]).strip("-._")
    if len(slug) > MAX_ID_LENGTH:
        digest = hashlib.sha256(uri.encode()).hexdigest()[:16]
        slug = f"{slug[: MAX_ID_LENGTH - 17]}-{digest}"
    if not _MODEL_ID.match(slug):
        raise InputRejected(
            "CTDL pathway @id gives no usable pathway id; give it a "
            "ceterms:ctid such as ce-<uuid>"
        )
    return slug


def _destination(
    pathway: dict[str, Any], components: list[dict[str, Any]]
) -> dict[str, Any] | None:
    """Find the destination component, else the root component.

    A component that declares itself the destination (`isDestinationComponentFor`)
    wins over the pathway's `hasDestinationComponent`, because published
    graphs do not always point that link at the career component.
    """
    for node in components:
        if node.get("isDestinationComponentFor"):
            return node
    by_id = {_id(node): node for node in components}
    for target in _references(pathway.get("hasDestinationComponent")):
        if target in by_id:
            return by_id[target]
    for node in components:
        if node.get("isRootOf"):
            return node
    for target in _references(pathway.get("hasRoot")):
        if target in by_id:
            return by_id[target]
    return None


def _occupation_codes(*values: Any) -> list[str]:
    """Read occupation codes from `occupationType` values, without repeats.

    An entry is a URI or a CTDL alignment object. An O*NET-SOC code is taken
    out of its URI. Any other URI is kept whole, because it identifies the
    occupation in the publisher's own list.
    """
    codes: list[str] = []
    items: list[Any] = []
    for value in values:
        items.extend(value if isinstance(value, list) else [value])
    for item in items:
        if isinstance(item, dict):
            code = ""
            for term in ("codedNotation", "targetNode", "url", "@id"):
                code = _text(item.get(term))
                if code:
                    break
        else:
            code = _text(item)
        if not code:
            continue
        found = _ONET_SOC.search(code)
        if found:
            code = found.group(0)
        if code not in codes:
            codes.append(code)
    return codes


def _progression_order(
    components: list[dict[str, Any]], nodes: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Sort components so that each comes after the components it requires.

    Ties go to the lower progression level, then to document order.
    """
    keys = [_id(node) or f"#{index}" for index, node in enumerate(components)]
    by_key = dict(zip(keys, components, strict=True))
    after: dict[str, set[str]] = {key: set() for key in keys}
    for key, node in by_key.items():
        for term in _BEFORE_TERMS:
            for earlier in _references(node.get(term)):
                after[key].add(earlier)
        # NOTE: A condition's requiredNumber is not applied. Each target is its
        # own step, so "1 of 3 components" counts all three toward progress.
        for condition in _as_dicts(node.get("hasCondition")):
            for earlier in _references(condition.get("targetComponent")):
                after[key].add(earlier)
        for term in _AFTER_TERMS:
            for later in _references(node.get(term)):
                if later in after:
                    after[later].add(key)

    level_ranks = _level_ranks(nodes)
    ranks = {
        key: (_level_of(node, level_ranks), index)
        for index, (key, node) in enumerate(by_key.items())
    }
    return [by_key[key] for key in _topological_order(keys, after, ranks)]


def _level_ranks(nodes: list[dict[str, Any]]) -> dict[str, int]:
    """Rank the graph's progression levels by their `precedes` links."""
    levels = [node for node in nodes if "ProgressionLevel" in _types(node)]
    keys = [_id(node) for node in levels if _id(node)]
    after: dict[str, set[str]] = {key: set() for key in keys}
    for node in levels:
        key = _id(node)
        for later in _references(node.get("precedes")):
            if later in after:
                after[later].add(key)
        for earlier in _references(node.get("precededBy")):
            after[key].add(earlier)
    ranks: dict[str, tuple[float, int]] = {
        key: (0, index) for index, key in enumerate(keys)
    }
    ordered = _topological_order(keys, after, ranks)
    return {key: rank for rank, key in enumerate(ordered)}


def _level_of(node: dict[str, Any], level_ranks: dict[str, int]) -> float:
    """Return the lowest progression level of a component.

    Levels come from `hasProgressionLevel` links to ProgressionLevel nodes of
    the same graph, or from the `sequence` of a `proficiencyLevel`. A
    component without a known level sorts after the ones with a level.
    """
    # NOTE: A level defined in a separate progression model file, as CompTIA
    # publishes it, is unknown here. Such a pathway is ordered by its links.
    found: list[float] = []
    for level_id in _references(node.get("hasProgressionLevel")):
        if level_id in level_ranks:
            found.append(level_ranks[level_id])
    for level in _as_dicts(node.get("proficiencyLevel")):
        sequence = level.get("sequence")
        if isinstance(sequence, int | float) and not isinstance(sequence, bool):
            found.append(sequence)
    return min(found) if found else float("inf")


def _topological_order(
    keys: list[str], after: dict[str, set[str]], ranks: dict[str, tuple[float, int]]
) -> list[str]:
    """Order keys so that each follows the keys in `after[key]`, lowest rank first.

    Links to keys outside `keys` are ignored. Keys caught in a cycle follow
    the others in rank order, because broken links should not drop a step.
    """
    waiting = {key: {other for other in after[key] if other in ranks} for key in keys}
    waiting = {key: others - {key} for key, others in waiting.items()}
    ready = [(ranks[key], key) for key in keys if not waiting[key]]
    heapq.heapify(ready)
    ordered: list[str] = []
    while ready:
        _, key = heapq.heappop(ready)
        ordered.append(key)
        for other in keys:
            if key in waiting[other]:
                waiting[other].discard(key)
                if not waiting[other]:
                    heapq.heappush(ready, (ranks[other], other))
    placed = set(ordered)
    rest = sorted((key for key in keys if key not in placed), key=ranks.__getitem__)
    return ordered + rest


def _as_dicts(value: Any) -> list[dict[str, Any]]:
    items = value if isinstance(value, list) else [value]
    return [item for item in items if isinstance(item, dict)]


def _shared_brands(components: list[dict[str, Any]]) -> set[str]:
    """Find first words that begin the names of two or more credential components.

    Such a word is taken for the issuer's brand, as in "CompTIA A+" and
    "CompTIA Network+", so the name without it is also accepted.
    """
    counts: dict[str, int] = {}
    for node in components:
        if not _types(node) & _CREDENTIAL_TYPES:
            continue
        words = _text(node.get("name")).split()
        if len(words) > 1:
            counts[words[0]] = counts.get(words[0], 0) + 1
    return {word for word, count in counts.items() if count > 1}


def _steps(components: list[dict[str, Any]], brands: set[str]) -> list[PathwayStep]:
    steps: list[PathwayStep] = []
    used_ids: set[str] = set()
    for index, node in enumerate(components):
        name = _required_name(node, f"CTDL component {_id(node) or '(no @id)'}")
        step_id = _unique(_step_id(node, index), used_ids)
        used_ids.add(step_id)
        achievements = _achievement_names(node, name, brands)
        steps.append(PathwayStep(step_id=step_id, name=name, achievements=achievements))
    return steps


def _step_id(node: dict[str, Any], index: int) -> str:
    """Take the last segment of the component's @id, else its CTID."""
    segment = _id(node).rstrip("/").rsplit("/", 1)[-1]
    for candidate in (segment, _text(node.get("ctid"))):
        slug = _ID_SEPARATORS.sub("-", candidate).strip("-._")[:MAX_ID_LENGTH]
        if slug:
            return slug
    return f"component-{index + 1}"


def _unique(step_id: str, used_ids: set[str]) -> str:
    candidate = step_id
    number = 2
    while candidate in used_ids:
        suffix = f"-{number}"
        candidate = step_id[: MAX_ID_LENGTH - len(suffix)] + suffix
        number += 1
    return candidate


def _achievement_names(node: dict[str, Any], name: str, brands: set[str]) -> list[str]:
    """List the names and ids a learner's achievement may carry for a component.

    The list starts with the name as written. For 'Microsoft Technology
    Associate ("MTA")' it adds the name without the acronym and the acronym
    alone. For "CompTIA A+" it adds "A+" when the brand word is shared. Then
    come the course code, coded notation, alternate names and the @id.
    """
    names = [name]
    base = name
    acronym = _TRAILING_ACRONYM.match(name)
    if acronym:
        base = acronym["base"]
        names += [base, acronym["short"]]
    words = base.split()
    if len(words) > 1 and words[0] in brands:
        names.append(" ".join(words[1:]))
    for term in ("courseCode", "codedNotation", "alternateName"):
        value = node.get(term)
        for item in value if isinstance(value, list) else [value]:
            names.append(_text(item))
    names.append(_id(node))

    unique: list[str] = []
    seen: set[str] = set()
    for candidate in names:
        key = normalize_label(candidate)
        if key and key not in seen:
            seen.add(key)
            unique.append(candidate.strip())
    return unique
