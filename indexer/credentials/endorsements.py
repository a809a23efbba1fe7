"""Endorsements attached to a credential: finding, parsing and verifying them.

OB 3.0 and CLR 2.0 embed EndorsementCredentials in ``endorsement`` and
compact VC-JWTs in ``endorsementJwt``. They may sit on the credential, on its
issuer profile and, in an achievement credential, on the achievement and on
the achievement's creator profile. OB 2.0 lists Endorsements, by URL or
embedded, in ``endorsement`` on the assertion, its badge class and the badge
class's issuer. Each endorsement is verified on its own, and its result never
changes the status of the credential it is attached to.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import structlog

from indexer.credentials.fetch import DocumentGone
from indexer.credentials.jws import is_compact_jws
from indexer.credentials.parse import (
    parse_endorsement_credential,
    parse_endorsement_jws,
    parse_ob2_endorsement,
)
from indexer.credentials.url_map import DocumentUnavailable, fetch_json
from indexer.credentials.verify import verify_endorsement
from indexer.errors import InputRejected
from skillbeacon.models.credential import (
    Check,
    CheckOutcome,
    CredentialFormat,
    EndorsedObject,
    EndorsementResult,
    ParsedCredential,
    VerificationResult,
    VerificationStatus,
)
from skillbeacon.settings import Settings

logger = structlog.get_logger(__name__)

# Each endorsement with a proof costs an RDF canonicalization, so a credential
# cannot make the verifier do unbounded work. The limit is an estimate of what
# real credentials carry, not a measured bound.
MAX_ENDORSEMENTS = 32
LOAD_CHECK = "load"
CLR_FORMATS = (CredentialFormat.clr2_json, CredentialFormat.clr2_jwt)
OB2_FORMATS = (CredentialFormat.ob2_assertion, CredentialFormat.ob2_signed)


@dataclass(frozen=True)
class EndorsementEntry:
    """One endorsement as found in a credential, before it is parsed."""

    endorses: EndorsedObject
    value: Any
    ob2: bool


def verify_endorsements(
    parsed: ParsedCredential, settings: Settings, now: datetime | None = None
) -> list[EndorsementResult]:
    """Find, parse and verify each endorsement attached to ``parsed``.

    Endorsements of credentials nested in a CLR belong to those credentials;
    call this for each of them.
    """
    now = now or datetime.now(UTC)
    results = []
    for position, entry in enumerate(find_endorsements(parsed, settings)):
        if position < MAX_ENDORSEMENTS:
            results.append(_verify_entry(entry, settings, now))
            continue
        results.append(
            _not_parsed(
                entry,
                f"not checked, because the credential has more than "
                f"{MAX_ENDORSEMENTS} endorsements",
                VerificationStatus.unverified,
            )
        )
    return results


def find_endorsements(
    parsed: ParsedCredential, settings: Settings
) -> list[EndorsementEntry]:
    """List the endorsements attached to a credential, in document order."""
    if parsed.endorsement_subject is not None:
        return []
    if parsed.format in OB2_FORMATS:
        return _ob2_entries(parsed, settings)
    return _ob3_entries(parsed)


def parse_endorsement_entry(
    entry: EndorsementEntry, settings: Settings
) -> ParsedCredential:
    """Parse one endorsement, fetching an OB 2.0 endorsement given by URL.

    Raises DocumentUnavailable when the URL cannot be fetched, and
    InputRejected when the endorsement cannot be read.
    """
    value = entry.value
    if entry.ob2:
        if isinstance(value, str):
            return parse_ob2_endorsement(fetch_json(value, settings), settings)
        if isinstance(value, dict):
            return parse_ob2_endorsement(value, settings)
        raise InputRejected("OB 2.0 endorsement is neither a URL nor a JSON object")

    if isinstance(value, dict):
        return parse_endorsement_credential(value)
    if isinstance(value, str) and is_compact_jws(value.strip()):
        return parse_endorsement_jws(value.strip(), settings)
    raise InputRejected(
        "endorsement is neither an EndorsementCredential object nor a compact JWT"
    )


def _verify_entry(
    entry: EndorsementEntry, settings: Settings, now: datetime
) -> EndorsementResult:
    try:
        endorsement = parse_endorsement_entry(entry, settings)
    except DocumentGone as error:
        # An OB 2.0 hosted document that responds with 410 Gone was revoked.
        _log_unread(entry, error)
        return _not_parsed(entry, error.reason, VerificationStatus.revoked)
    except DocumentUnavailable as error:
        _log_unread(entry, error)
        return _not_parsed(entry, error.reason, VerificationStatus.unverified)
    except InputRejected as error:
        _log_unread(entry, error)
        return _not_parsed(entry, error.reason, VerificationStatus.invalid)

    result = verify_endorsement(endorsement, settings, now, endorses=entry.endorses)
    return EndorsementResult(
        endorses=entry.endorses,
        endorsement_id=endorsement.credential_id,
        endorsement=endorsement,
        result=result,
    )


def _log_unread(entry: EndorsementEntry, error: InputRejected) -> None:
    logger.info(
        "endorsement.unread",
        endorses=entry.endorses.id,
        path=entry.endorses.path,
        error=error.reason,
    )


def _not_parsed(
    entry: EndorsementEntry, reason: str, status: VerificationStatus
) -> EndorsementResult:
    outcome = (
        CheckOutcome.warning
        if status is VerificationStatus.unverified
        else CheckOutcome.failed
    )
    return EndorsementResult(
        endorses=entry.endorses,
        endorsement_id=_entry_id(entry.value),
        result=VerificationResult(
            status=status,
            checks=[Check(name=LOAD_CHECK, outcome=outcome, message=reason)],
        ),
    )


def _entry_id(value: Any) -> str | None:
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return str(value["id"])
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        return value
    return None


def _ob3_entries(parsed: ParsedCredential) -> list[EndorsementEntry]:
    document = parsed.raw
    credential_type = (
        "ClrCredential" if parsed.format in CLR_FORMATS else "AchievementCredential"
    )
    entries = _entries_on(document, credential_type, parsed.credential_id, "")

    issuer = document.get("issuer")
    if isinstance(issuer, dict):
        entries += _entries_on(issuer, "Profile", parsed.issuer_id, "issuer.")
    if parsed.format in CLR_FORMATS:
        return entries

    subject_path, subject = _subject_with_achievement(document)
    achievement = subject.get("achievement") if subject is not None else None
    if not isinstance(achievement, dict):
        return entries
    achievement_path = f"{subject_path}.achievement."
    entries += _entries_on(
        achievement, "Achievement", _id_of(achievement), achievement_path
    )
    creator = achievement.get("creator")
    if isinstance(creator, dict):
        entries += _entries_on(
            creator, "Profile", _id_of(creator), f"{achievement_path}creator."
        )
    return entries


def _subject_with_achievement(
    document: dict[str, Any],
) -> tuple[str, dict[str, Any] | None]:
    # The same subject that parse.py reads the achievement from.
    subject = document.get("credentialSubject")
    if isinstance(subject, dict):
        return "credentialSubject", subject
    if not isinstance(subject, list):
        return "credentialSubject", None
    objects = [
        (position, item)
        for position, item in enumerate(subject)
        if isinstance(item, dict)
    ]
    with_achievement = [pair for pair in objects if "achievement" in pair[1]]
    candidates = with_achievement or objects
    if not candidates:
        return "credentialSubject", None
    position, item = candidates[0]
    return f"credentialSubject[{position}]", item


def _ob2_entries(
    parsed: ParsedCredential, settings: Settings
) -> list[EndorsementEntry]:
    document = parsed.raw
    entries = _entries_on(document, "Assertion", parsed.credential_id, "", ob2=True)

    badge_reference = document.get("badge")
    badge = _ob2_document(badge_reference, settings)
    if badge is None:
        return entries
    badge_id = _id_of(badge) or _url_or_none(badge_reference)
    entries += _entries_on(badge, "BadgeClass", badge_id, "badge.", ob2=True)

    issuer_reference = badge.get("issuer")
    issuer = _ob2_document(issuer_reference, settings)
    if issuer is None:
        return entries
    issuer_id = _id_of(issuer) or _url_or_none(issuer_reference)
    entries += _entries_on(issuer, "Issuer", issuer_id, "badge.issuer.", ob2=True)
    return entries


def _ob2_document(value: Any, settings: Settings) -> dict[str, Any] | None:
    if isinstance(value, dict):
        return value
    if not isinstance(value, str):
        return None
    try:
        return fetch_json(value, settings)
    except InputRejected as error:
        # Parsing read this badge class or issuer already, so this is rare.
        logger.info("endorsement.holder_unread", url=value, error=error.reason)
        return None


def _entries_on(
    holder: dict[str, Any],
    endorsed_type: str,
    endorsed_id: str | None,
    path_prefix: str,
    *,
    ob2: bool = False,
) -> list[EndorsementEntry]:
    properties = ("endorsement",) if ob2 else ("endorsement", "endorsementJwt")
    entries = []
    for property_name in properties:
        values = holder.get(property_name)
        if values is None:
            continue
        if not isinstance(values, list):
            values = [values]
        for position, value in enumerate(values):
            endorses = EndorsedObject(
                type=endorsed_type,
                id=endorsed_id,
                path=f"{path_prefix}{property_name}[{position}]",
            )
            entries.append(EndorsementEntry(endorses=endorses, value=value, ob2=ob2))
    return entries


def _id_of(document: dict[str, Any]) -> str | None:
    value = document.get("id")
    return value if isinstance(value, str) and value else None


def _url_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
