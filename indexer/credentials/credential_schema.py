"""JSON Schema checks of a credential's structure.

Two kinds of schema apply:

- skillbeacon's own structural schemas (``skillbeacon/data/credential_schemas``),
  written from the Open Badges 2.0, Open Badges 3.0 and CLR 2.0 data models.
  One is picked by the credential's kind and always applies.
- The schemas a credential declares itself: OB 3.0 ``credentialSchema``
  entries and the validation schemas of OB 2.0 extensions. Like JSON-LD
  contexts, they are read only from the local store and never fetched while
  verifying. A declared schema that is not in the store is skipped and
  logged at debug level, not reported. Almost every OB 3.0 credential
  declares the 1EdTech schema, which an operator may not have synced, so a
  warning on each of them would tell recruiters nothing.

A document that fails a schema is invalid. Messages name the failing field by
its JSON path and quote no values, since values may be personal data.
"""

import hashlib
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

from cachetools import LRUCache
from jsonschema import FormatChecker
from jsonschema.exceptions import SchemaError, ValidationError, best_match
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from pyld import jsonld  # type: ignore[import-untyped]
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource, Unresolvable

from indexer.credentials.contexts import ContextStore, ContextUnavailable
from indexer.credentials.parse import legacy_assertion_version, type_names
from skillbeacon.models.credential import CredentialFormat, ParsedCredential

# The credentialSchema types whose id names a JSON Schema to validate with.
JSON_SCHEMA_TYPES = frozenset(
    {"1EdTechJsonSchemaValidator2019", "JsonSchemaValidator2018", "JsonSchema"}
)
OB2_FORMATS = (
    CredentialFormat.ob2_assertion,
    CredentialFormat.ob2_signed,
)
ACHIEVEMENT_CREDENTIAL_TYPES = frozenset(
    {"OpenBadgeCredential", "AchievementCredential"}
)
# Each failing schema reports at most this many errors.
MAX_REPORTED_ERRORS = 3
# OB 2.0 extension contexts name the schema that validates an extension node.
OB2_VALIDATION_KEYS = ("obi:validation", "validation")
OB2_SCHEMA_KEYS = ("obi:validationSchema", "validationSchema")
OB2_TYPE_KEYS = ("obi:validatesType", "validatesType")
RESULT_CACHE_SIZE = 20_000
# Extensions are looked for this many levels deep into a document.
MAX_EXTENSION_DEPTH = 32


# Built-in schema results by (schema file, document hash).
_builtin_results: LRUCache[tuple[str, str], "SchemaFinding"] = LRUCache(
    maxsize=RESULT_CACHE_SIZE
)
_results_lock = threading.Lock()


class SchemaOutcome(StrEnum):
    passed = "pass"
    failed = "fail"
    # The schema exists but could not be applied.
    unchecked = "unchecked"
    # The schema is not in the local store, or of a kind this verifier does
    # not apply. Verification leaves it out of the checks it reports.
    absent = "absent"
    # The store rejected its copy of the schema (changed since installed), so
    # the credential cannot count as checked.
    rejected = "rejected"


@dataclass(frozen=True)
class SchemaFinding:
    outcome: SchemaOutcome
    message: str


@dataclass(frozen=True)
class BuiltinSchema:
    file: str
    label: str


BUILTIN_SCHEMAS = {
    "ob3": BuiltinSchema(
        "ob3-achievement-credential.json", "Open Badges 3.0 AchievementCredential"
    ),
    "ob3-endorsement": BuiltinSchema(
        "ob3-endorsement-credential.json", "Open Badges 3.0 EndorsementCredential"
    ),
    "clr2": BuiltinSchema("clr2-clr-credential.json", "CLR 2.0 ClrCredential"),
    "ob2": BuiltinSchema("ob2-assertion.json", "Open Badges 2.0 Assertion"),
    "ob2-endorsement": BuiltinSchema(
        "ob2-endorsement.json", "Open Badges 2.0 Endorsement"
    ),
}


def check_credential_schemas(
    parsed: ParsedCredential, store: ContextStore
) -> list[SchemaFinding]:
    """Check a parsed credential against its built-in and declared schemas."""
    document = parsed.raw
    if not document:
        return []
    findings: list[SchemaFinding] = []
    kind = builtin_schema_kind(parsed)
    if kind is not None:
        findings.append(_check_builtin(document, BUILTIN_SCHEMAS[kind]))
    findings.extend(_check_declared(document, store))
    if parsed.format in (*OB2_FORMATS, CredentialFormat.ob2_endorsement):
        findings.extend(_check_ob2_extensions(document, store))
    return findings


def builtin_schema_kind(parsed: ParsedCredential) -> str | None:
    """Return the key of the built-in schema for this credential, if any."""
    if parsed.format is CredentialFormat.ob2_endorsement:
        return "ob2-endorsement"
    if parsed.format in OB2_FORMATS:
        # OB 0.5 and 1.x assertions are read through the upgrade path; the
        # OB 2.0 schema does not describe their original shape.
        if legacy_assertion_version(parsed.raw) is not None:
            return None
        return "ob2"
    if parsed.endorsement_subject is not None:
        return "ob3-endorsement"
    types = set(type_names(parsed.raw))
    if "ClrCredential" in types:
        return "clr2"
    # A credential whose subject is an AchievementSubject is held to the
    # OB 3.0 model, whatever its own type.
    if types & ACHIEVEMENT_CREDENTIAL_TYPES or _has_achievement_subject(parsed.raw):
        return "ob3"
    return None


def _has_achievement_subject(document: dict[str, Any]) -> bool:
    subjects = document.get("credentialSubject")
    if not isinstance(subjects, list):
        subjects = [subjects]
    return any(
        isinstance(subject, dict)
        and ("achievement" in subject or "AchievementSubject" in type_names(subject))
        for subject in subjects
    )


@cache
def builtin_schema(file: str) -> dict[str, Any]:
    """Return one of the product's own schemas, read from package data."""
    folder = resources.files("skillbeacon") / "data" / "credential_schemas"
    schema: dict[str, Any] = json.loads((folder / file).read_text("utf-8"))
    return schema


@cache
def builtin_validator(file: str) -> Validator:
    """Return the validator of one of the product's own schemas, built once."""
    return _validator(builtin_schema(file), Registry())


def _check_builtin(document: dict[str, Any], schema: BuiltinSchema) -> SchemaFinding:
    # A rerun verifies the same credentials again; hashing a document costs a
    # small part of validating it, so results are kept by content.
    key = (schema.file, _content_hash(document))
    with _results_lock:
        cached = _builtin_results.get(key)
    if cached is not None:
        return cached
    finding = _builtin_finding(document, schema)
    with _results_lock:
        _builtin_results[key] = finding
    return finding


def _content_hash(document: dict[str, Any]) -> str:
    text = json.dumps(document, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _builtin_finding(document: dict[str, Any], schema: BuiltinSchema) -> SchemaFinding:
    errors = _errors(builtin_validator(schema.file), document)
    if not errors:
        return SchemaFinding(
            SchemaOutcome.passed, f"structure matches the {schema.label} data model"
        )
    return SchemaFinding(
        SchemaOutcome.failed,
        f"{errors} ({schema.label} data model)",
    )


def _check_declared(
    document: dict[str, Any], store: ContextStore
) -> Iterator[SchemaFinding]:
    entries = document.get("credentialSchema")
    if isinstance(entries, dict):
        entries = [entries]
    if not isinstance(entries, list):
        return
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            yield SchemaFinding(
                SchemaOutcome.failed, "a credentialSchema entry has no id"
            )
            continue
        url = entry["id"]
        declared_types = type_names(entry)
        if not JSON_SCHEMA_TYPES.intersection(declared_types):
            listed = ", ".join(declared_types[:3]) or "none"
            yield SchemaFinding(
                SchemaOutcome.absent,
                f"credentialSchema {url} has type {listed}, which this verifier "
                "does not check",
            )
            continue
        yield _check_against_stored(document, url, "credentialSchema", store)


def _check_ob2_extensions(
    document: dict[str, Any], store: ContextStore
) -> Iterator[SchemaFinding]:
    outer = _context_list(document.get("@context"))
    for node in _extension_nodes(document):
        own = _context_list(node.get("@context"))
        missing = [u for u in own if isinstance(u, str) and u not in store.contexts]
        if missing:
            yield SchemaFinding(
                SchemaOutcome.absent,
                f"extension context {missing[0]} is not in the local store, so "
                "the extension was not checked against its schema",
            )
            continue
        contexts = [*outer, *own]
        rules = _extension_rules(contexts, store)
        if not rules:
            continue
        # Extension schemas name properties by the extension context's
        # terms, so the node is compacted with its contexts first: a node
        # that writes full IRIs is checked like one that writes the terms.
        # Types are compared as expanded IRIs for the same reason.
        options = store.jsonld_options()
        try:
            compacted = _compact(node, contexts, options)
            node_types = _expanded_types({**node, "@context": contexts}, options)
            rule_types = [
                _expanded_types({"@context": contexts, "@type": validated}, options)
                if validated is not None
                else None
                for validated, _schema_url in rules
            ]
        except ContextUnavailable as error:
            yield SchemaFinding(
                SchemaOutcome.unchecked,
                f"extension not checked against its schema: {error.reason}",
            )
            continue
        except jsonld.JsonLdError:
            yield SchemaFinding(
                SchemaOutcome.failed,
                "an extension is not valid JSON-LD, so its schema cannot apply",
            )
            continue
        for (_validated, schema_url), wanted in zip(rules, rule_types, strict=True):
            if wanted is None or wanted & node_types:
                yield _check_against_stored(
                    compacted, schema_url, "extension schema", store
                )


def _expanded_types(node: dict[str, Any], options: dict[str, Any]) -> set[str]:
    expanded = jsonld.expand(node, options)
    return {
        node_type
        for item in expanded
        if isinstance(item, dict)
        for node_type in item.get("@type", [])
    }


def _context_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _compact(
    node: dict[str, Any], contexts: list[Any], options: dict[str, Any]
) -> dict[str, Any]:
    standalone = {**node, "@context": contexts}
    compacted: dict[str, Any] = jsonld.compact(
        standalone, {"@context": contexts}, options
    )
    compacted.pop("@context", None)
    return compacted


def _extension_nodes(value: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    # An extension may sit anywhere in the assertion, its badge or its issuer.
    if depth > MAX_EXTENSION_DEPTH:
        return
    if isinstance(value, dict):
        # A nested object with a context of its own is an extension too, even
        # when its type does not say so: the context decides what applies.
        typed = any(_is_extension_type(name) for name in type_names(value))
        if typed or (depth > 0 and "@context" in value):
            yield value
        for child in value.values():
            yield from _extension_nodes(child, depth + 1)
    elif isinstance(value, list):
        for child in value:
            yield from _extension_nodes(child, depth + 1)


def _is_extension_type(name: str) -> bool:
    # "Extension", any prefix for the OB namespace ("obi:Extension"), or the
    # full IRI https://w3id.org/openbadges#Extension.
    return name == "Extension" or name.endswith((":Extension", "#Extension"))


def _extension_rules(
    contexts: list[Any], store: ContextStore
) -> list[tuple[str | None, str]]:
    """Return (validated type, schema URL) pairs that stored contexts declare."""
    rules: list[tuple[str | None, str]] = []
    for context_url in contexts:
        if not isinstance(context_url, str):
            continue
        stored = store.contexts.get(context_url)
        if stored is None:
            continue
        for key in OB2_VALIDATION_KEYS:
            entries = stored.document.get(key)
            if isinstance(entries, dict):
                entries = [entries]
            for entry in entries if isinstance(entries, list) else []:
                schema_url = _first_text(entry, OB2_SCHEMA_KEYS)
                if schema_url is not None:
                    rules.append((_first_text(entry, OB2_TYPE_KEYS), schema_url))
    return rules


def _first_text(rule: Any, keys: tuple[str, ...]) -> str | None:
    if not isinstance(rule, dict):
        return None
    for key in keys:
        value = rule.get(key)
        if isinstance(value, dict):
            value = value.get("@id")
        if isinstance(value, str):
            return value
    return None


def _check_against_stored(
    document: dict[str, Any], url: str, what: str, store: ContextStore
) -> SchemaFinding:
    if url in store.rejected:
        return SchemaFinding(
            SchemaOutcome.rejected,
            f"{what} {url} was not checked: the local store rejected its copy",
        )
    stored = store.contexts.get(url)
    if stored is None:
        # The operator adds it with `skillbeacon contexts sync URL`; the
        # message is for recruiters and learners too, so it names no command.
        return SchemaFinding(
            SchemaOutcome.absent,
            f"{what} {url} was not checked: it is not in the local schema store",
        )
    try:
        validator = store.compiled.get(stored.sha256)
        if validator is None:
            validator = _validator(stored.document, _store_registry(store))
            store.compiled[stored.sha256] = validator
        errors = _errors(validator, document)
    except SchemaError as error:
        return SchemaFinding(
            SchemaOutcome.unchecked,
            f"{what} {url} is not a valid JSON Schema ({error.message[:120]})",
        )
    except Unresolvable as error:
        missing = getattr(error, "ref", None) or "a schema"
        return SchemaFinding(
            SchemaOutcome.unchecked,
            f"{what} {url} refers to {missing}, which is not in the local store",
        )
    except RecursionError:
        return SchemaFinding(
            SchemaOutcome.unchecked,
            f"{what} {url} nests too deeply to apply (it may refer to itself "
            "without end)",
        )
    except (ValueError, OverflowError) as error:
        # For example multipleOf on a number too large for a float.
        return SchemaFinding(
            SchemaOutcome.unchecked,
            f"{what} {url} could not be applied ({type(error).__name__})",
        )
    if errors:
        return SchemaFinding(
            SchemaOutcome.failed, f"does not match {what} {url}: {errors}"
        )
    return SchemaFinding(SchemaOutcome.passed, f"matches {what} {url}")


def _store_registry(store: ContextStore) -> Registry:
    def retrieve(uri: str) -> Resource:
        stored = store.contexts.get(uri)
        if stored is None:
            raise NoSuchResource(uri)  # type: ignore[call-arg]
        return Resource.from_contents(stored.document)

    return Registry(retrieve=retrieve)  # type: ignore[call-arg]


def _validator(schema: dict[str, Any], registry: Registry) -> Validator:
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    validator: Validator = validator_class(
        schema, registry=registry, format_checker=FormatChecker()
    )
    return validator


def _errors(validator: Validator, document: dict[str, Any]) -> str:
    errors = sorted(validator.iter_errors(document), key=lambda error: error.json_path)
    # For anyOf and oneOf, best_match picks the branch error that explains
    # the failure best.
    described = list(dict.fromkeys(_describe(best_match([error])) for error in errors))
    reported = described[:MAX_REPORTED_ERRORS]
    if len(described) > MAX_REPORTED_ERRORS:
        reported.append(f"and {len(described) - MAX_REPORTED_ERRORS} more")
    return "; ".join(reported)


def _describe(error: ValidationError) -> str:
    # The path names the field; the validator's own message may quote the
    # value, so only its keyword and the schema's expectation are used.
    path = error.json_path
    keyword = error.validator
    expected = error.validator_value
    if keyword == "required":
        missing = [
            name
            for name in expected
            if isinstance(error.instance, dict) and name not in error.instance
        ]
        return f"{path} lacks required {', '.join(missing)}"
    if keyword == "type":
        return f"{path} is not of type {expected}"
    if keyword == "format":
        return f"{path} is not a valid {expected}"
    title = _nearest_title(error)
    if title:
        return f'{path} does not meet the rule "{title}"'
    return f"{path} fails the {keyword} rule"


def _nearest_title(error: ValidationError) -> str | None:
    # best_match may descend into an untitled anyOf branch; the rule's name
    # is then on an enclosing schema at the same place in the document.
    current: ValidationError | None = error
    while current is not None and current.json_path == error.json_path:
        schema = current.schema
        if isinstance(schema, dict) and isinstance(schema.get("title"), str):
            return str(schema["title"])
        current = current.parent
    return None
