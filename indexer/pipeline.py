"""The indexer run: read, verify, map to skills, compute progress, write."""

import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import structlog
from opensearchpy import OpenSearch
from rich.progress import Progress

from indexer.credentials.load import load_credential_entry
from indexer.credentials.parse import RevokedAssertion
from indexer.credentials.verify import verify_credential_tree
from indexer.ctdl import pathway_from_ctdl
from indexer.discover import CREDENTIAL_SUFFIXES, PROFILE_SUFFIXES, discover
from indexer.documents import LearnerEvidence, build_candidate_document
from indexer.errors import InputRejected
from indexer.evidence import EvidenceBuilder
from indexer.inputs import (
    Record,
    parse_pathway,
    parse_profile,
    read_records,
    record_kind,
)
from indexer.pathways import pathway_progress
from indexer.report import IndexReport
from skillbeacon.models.candidate import CredentialRecord
from skillbeacon.models.credential import ParsedCredential, VerificationResult
from skillbeacon.models.pathway import PathwayDefinition
from skillbeacon.models.profile import CredentialFile, LearnerProfile
from skillbeacon.settings import Settings
from skillbeacon.skills.normalize import normalize_label
from skillbeacon.skills.vocabulary import Vocabulary
from skillbeacon.store import audit as audit_store
from skillbeacon.store import candidates as candidate_store
from skillbeacon.store import interests as interest_store
from skillbeacon.store import pathways as pathway_store
from skillbeacon.store import skills as skill_store
from skillbeacon.store import views as view_store

log = structlog.get_logger(__name__)

WRITE_BATCH = 200


@dataclass
class ProfileInput:
    profile: LearnerProfile
    location: str
    base_dir: Path


@dataclass
class Batch:
    profiles: list[ProfileInput] = field(default_factory=list)
    pathways: list[PathwayDefinition] = field(default_factory=list)
    credential_files: list[Path] = field(default_factory=list)


def run_index(
    paths: list[Path],
    settings: Settings,
    client: OpenSearch,
    show_progress: bool = True,
    now: datetime | None = None,
) -> IndexReport:
    """Index every learner profile and pathway definition under `paths`.

    One bad file or entry is reported and skipped; the rest are indexed. A
    profile whose consent no longer covers employer search is deleted.
    """
    now = now or datetime.now(UTC)
    report = IndexReport()
    log.info("index.run.start", inputs=len(paths))

    batch = read_batch(paths, settings, report)
    report.pathways = pathway_store.upsert_pathways(client, settings, batch.pathways)
    reject_unreferenced_credentials(batch, report)

    skill_store.ensure_builtin_skills(client, settings)
    vocabulary = skill_store.load_vocabulary(client, settings)
    pathways = {p.pathway_id: p for p in pathway_store.load_pathways(client, settings)}

    withdrawn: list[str] = []
    documents: list[dict[str, Any]] = []
    with Progress(disable=not (show_progress and sys.stderr.isatty())) as progress:
        task = progress.add_task("indexing learners", total=len(batch.profiles))
        for item in batch.profiles:
            progress.advance(task)
            if not item.profile.consent.covers_employer_search(now):
                withdrawn.append(item.profile.learner_id)
                report.not_consenting += 1
                continue
            evidence = collect_evidence(
                item, settings, vocabulary, pathways, report, now
            )
            documents.append(build_candidate_document(item.profile, evidence))
            report.credentials += len(evidence.credentials)

    deleted_ids = candidate_store.delete_candidate_ids(client, settings, withdrawn)
    report.deleted = len(deleted_ids)
    for learner_id in deleted_ids:
        # Contact details a learner shared must not outlive their consent.
        interest_store.delete_interests(client, settings, learner_id)
        view_store.delete_views(client, settings, learner_id)
    audit_store.record_audit_events(
        client,
        settings,
        deleted_ids,
        audit_store.AuditAction.removed_by_indexer,
        audit_store.INDEXER_ACTOR,
    )
    write_changed(client, settings, documents, report, now)
    skill_store.update_candidate_counts(
        client, settings, candidate_store.count_candidates_by_skill(client, settings)
    )
    for rejection in report.rejected:
        log.warning(
            "index.input.rejected", path=rejection.path, reason=rejection.reason
        )
    log.info(
        "index.run.finish",
        indexed=report.indexed,
        unchanged=report.unchanged,
        deleted=report.deleted,
        rejected=len(report.rejected),
    )
    return report


def read_batch(paths: list[Path], settings: Settings, report: IndexReport) -> Batch:
    """Read all inputs, keeping the first profile of each learner id."""
    batch = Batch()
    found = discover(paths)
    for missing in found.missing:
        report.reject(str(missing), "no such file or folder")

    first_seen: dict[str, str] = {}
    for path in found.files:
        suffix = path.suffix.lower()
        if suffix in CREDENTIAL_SUFFIXES:
            batch.credential_files.append(path)
            continue
        if suffix not in PROFILE_SUFFIXES:
            report.reject(
                str(path),
                f"unsupported file type {suffix or '(none)'}; expected .json, "
                ".jsonl, .jwt, .png or .svg",
            )
            continue
        for record in read_records(path, settings):
            if isinstance(record, InputRejected):
                report.reject(str(path), record.reason)
                continue
            read_record(record, path, batch, report, first_seen)
    return batch


def read_record(
    record: Record,
    path: Path,
    batch: Batch,
    report: IndexReport,
    first_seen: dict[str, str],
) -> None:
    kind = record_kind(record.data)
    try:
        if kind == "profile":
            profile = parse_profile(record.data)
            earlier = first_seen.get(profile.learner_id)
            if earlier is not None:
                raise InputRejected(
                    f"duplicate learner_id {profile.learner_id}; the profile at "
                    f"{earlier} is used"
                )
            first_seen[profile.learner_id] = record.location
            batch.profiles.append(
                ProfileInput(profile, record.location, record.base_dir)
            )
        elif kind == "pathway":
            batch.pathways.append(parse_pathway(record.data))
        elif kind == "ctdl_pathway":
            batch.pathways.append(pathway_from_ctdl(record.data))
        elif kind == "credential":
            batch.credential_files.append(path)
        else:
            raise InputRejected(
                "not a learner profile, pathway definition or credential "
                "(no learner_id, pathway_id or credential type)"
            )
    except InputRejected as error:
        report.reject(record.location, error.reason)


def reject_unreferenced_credentials(batch: Batch, report: IndexReport) -> None:
    """Reject credential files that no learner profile in the run lists.

    A credential is indexed only as part of an opted-in learner's profile.
    """
    referenced = set()
    for item in batch.profiles:
        for entry in item.profile.credentials:
            if isinstance(entry, CredentialFile):
                referenced.add((item.base_dir / entry.path).resolve())
    for path in dict.fromkeys(batch.credential_files):
        if path.resolve() not in referenced:
            report.reject(
                str(path),
                "credential is not listed in any learner profile of this run; "
                "list it under a profile's credentials to index it",
            )


def _reject_unexpected(
    report: IndexReport, where: str, step: str, error: Exception
) -> None:
    # The exception's text may quote credential data, so only its type is
    # recorded.
    log.error(
        "credential.step_crashed", where=where, step=step, error=type(error).__name__
    )
    report.reject(
        where,
        f"{step} failed unexpectedly ({type(error).__name__}); "
        "the credential is left out",
    )


def collect_evidence(
    item: ProfileInput,
    settings: Settings,
    vocabulary: Vocabulary,
    pathways: dict[str, PathwayDefinition],
    report: IndexReport,
    now: datetime,
) -> LearnerEvidence:
    """Verify a learner's credentials and derive skills and pathway progress."""
    profile = item.profile
    builder = EvidenceBuilder(vocabulary)
    evidence = LearnerEvidence()
    achievement_keys: dict[str, set[str]] = {}

    for position, entry in enumerate(profile.credentials):
        where = f"{item.location} credentials[{position}]"
        try:
            if isinstance(entry, CredentialFile):
                check_credential_path(entry, item.base_dir, settings)
            parsed = load_credential_entry(entry, item.base_dir, settings)
        except RevokedAssertion as error:
            # Its issuer withdrew it: no evidence, but nothing wrong with the input.
            report.warn(where, error.reason)
            continue
        except InputRejected as error:
            report.reject(where, error.reason)
            continue
        except Exception as error:  # noqa: BLE001 - one credential must not stop the run
            _reject_unexpected(report, where, "reading", error)
            continue
        try:
            verified = verify_credential_tree(
                parsed, profile.identifiers, settings, now
            )
        except Exception as error:  # noqa: BLE001 - one credential must not stop the run
            _reject_unexpected(report, where, "verification", error)
            continue
        source = entry_source(entry)
        for number, (credential, result) in enumerate(verified):
            credential_id = (
                credential.credential_id
                or f"urn:skillbeacon:{profile.learner_id}:{position}.{number}"
            )
            if credential_id in achievement_keys:
                report.warn(where, f"credential {credential_id} is listed twice")
                continue
            if not credential.awards_achievement:
                report.reject(
                    where,
                    f"credential {credential_id} awards no achievement, so it "
                    "gives no skill evidence and is not indexed",
                )
                continue
            skill_ids = builder.add_credential(credential_id, credential, result)
            evidence.credentials.append(
                credential_record(
                    credential_id,
                    credential,
                    result,
                    skill_ids,
                    source,
                    profile.display_name,
                )
            )
            achievement_keys[credential_id] = achievement_keys_of(credential)

    evidence.unmatched_self_reported = builder.add_self_reported(
        profile.self_reported_skills
    )
    evidence.skills = builder.evidence()

    for pathway_id in profile.pathways:
        pathway = pathways.get(pathway_id)
        if pathway is None:
            report.warn(item.location, f"unknown pathway {pathway_id}; it is ignored")
            continue
        evidence.pathways.append(
            pathway_progress(
                pathway,
                evidence.credentials,
                achievement_keys,
                evidence.skills,
                vocabulary,
            )
        )
    return evidence


def check_credential_path(
    entry: CredentialFile, base_dir: Path, settings: Settings
) -> None:
    """Reject a credential path outside the profile's folder and the roots.

    Profiles can come from learners, so a path must not reach other files
    on the indexing machine.
    """
    resolved = (base_dir / entry.path).resolve()
    allowed = [
        base_dir.resolve(),
        *(root.resolve() for root in settings.credential_roots),
    ]
    if not any(resolved.is_relative_to(root) for root in allowed):
        raise InputRejected(
            f"credential path {entry.path} is outside the profile's folder; move "
            "the file next to the profile or add its folder to "
            "SKILLBEACON_CREDENTIAL_ROOTS"
        )


def entry_source(entry: object) -> str:
    if isinstance(entry, CredentialFile):
        return Path(entry.path).name
    if isinstance(entry, str):
        return "jwt"
    return "embedded"


def achievement_keys_of(credential: ParsedCredential) -> set[str]:
    keys = {normalize_label(credential.achievement.name)}
    if credential.achievement.achievement_id:
        keys.add(normalize_label(credential.achievement.achievement_id))
    return keys


FORMAT_TITLES = {
    "clr2_json": "Comprehensive Learner Record",
    "clr2_jwt": "Comprehensive Learner Record",
}


def credential_record(
    credential_id: str,
    credential: ParsedCredential,
    result: VerificationResult,
    skill_ids: list[str],
    source: str,
    display_name: str,
) -> CredentialRecord:
    return CredentialRecord(
        credential_id=credential_id,
        format=credential.format.value,
        name=shown_credential_name(credential, display_name),
        achievement_type=credential.achievement.achievement_type,
        issuer_id=credential.issuer_id,
        issuer_name=credential.issuer_name,
        issued_at=credential.issued_at,
        expires_at=credential.expires_at,
        status=result.status,
        reasons=result.reasons,
        skill_ids=skill_ids,
        source=source,
    )


def shown_credential_name(credential: ParsedCredential, display_name: str) -> str:
    """Return the credential's name unless it contains part of the learner's name.

    Issuers often name a CLR after its learner ("Ellis Monday"), which would
    show employers the name the learner hid and let free text find it. Such
    a name is replaced by the achievement's name, or by the format's title.
    """
    for candidate in (credential.name, credential.achievement.name):
        if candidate and not names_person(candidate, display_name):
            return candidate
    return FORMAT_TITLES.get(credential.format.value, "Credential")


def names_person(text: str, display_name: str) -> bool:
    """Return whether text contains a word of the name of 3 or more letters."""
    words = {normalize_label(part) for part in display_name.split()}
    words = {word for word in words if len(word) >= 3}
    text_words = {normalize_label(part) for part in text.replace(",", " ").split()}
    return bool(words & text_words)


def write_changed(
    client: OpenSearch,
    settings: Settings,
    documents: list[dict[str, Any]],
    report: IndexReport,
    now: datetime,
) -> None:
    """Write only documents whose content changed, so a rerun changes nothing."""
    for start in range(0, len(documents), WRITE_BATCH):
        chunk = documents[start : start + WRITE_BATCH]
        stored = candidate_store.get_content_hashes(
            client, settings, [doc["candidate_id"] for doc in chunk]
        )
        changed = []
        for doc in chunk:
            if stored.get(doc["candidate_id"]) == doc["content_hash"]:
                report.unchanged += 1
                continue
            changed.append({**doc, "indexed_at": now.isoformat()})
        written, failed = candidate_store.upsert_candidates(client, settings, changed)
        report.indexed += written
        for candidate_id in failed:
            report.reject(candidate_id, "OpenSearch rejected the candidate document")
