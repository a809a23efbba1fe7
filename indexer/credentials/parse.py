"""Parsing of Open Badges 0.5-3.0 and CLR 2.0 documents into ParsedCredential.

Parsing reads and normalises fields but checks no signature: verify.py does
that. Documents referenced by URL (an OB 2.0 BadgeClass or Issuer) are read
through the offline URL map.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime
from typing import Any

from indexer.credentials.jws import decode_compact_jws, is_compact_jws
from indexer.credentials.url_map import DocumentUnavailable, fetch_json, fetch_memo
from indexer.errors import InputRejected
from skillbeacon.models.credential import (
    Achievement,
    Alignment,
    CredentialFormat,
    EndorsementSubject,
    ParsedCredential,
    Recipient,
)
from skillbeacon.settings import Settings

VC_TYPES = frozenset(
    {
        "VerifiableCredential",
        "OpenBadgeCredential",
        "AchievementCredential",
        "ClrCredential",
        "EndorsementCredential",
    }
)

# Documents that belong to a badge graph but are not awarded to anyone.
NOT_A_CREDENTIAL = {
    "BadgeClass": "an Open Badges BadgeClass (a badge definition)",
    "Issuer": "an Open Badges issuer profile",
    "Profile": "an issuer profile",
    "CryptographicKey": "an Open Badges CryptographicKey",
    "RevocationList": "an Open Badges RevocationList",
    "Endorsement": "an Open Badges 2.0 endorsement",
    "EndorsementCredential": "an EndorsementCredential (it endorses an issuer "
    "or achievement, it is not awarded to a learner)",
    "Achievement": "an Open Badges 3.0 Achievement (a badge definition)",
    "AlignmentObject": "an Open Badges AlignmentObject",
    "BitstringStatusListCredential": "a status list credential",
    "StatusList2021Credential": "a status list credential",
}

STATUS_LIST_TYPES = frozenset(
    {"BitstringStatusListCredential", "StatusList2021Credential"}
)

# The Open Badges 1.1 JSON-LD context. OB 2.0 documents name the v2 context.
OB1_CONTEXTS = frozenset({"https://w3id.org/openbadges/v1"})

# Nested CLR credentials may themselves be CLRs; this bounds the recursion,
# hosted stubs followed on the way included.
MAX_NESTING = 4
# How many credentials one CLR may hold at most, counting every level.
MAX_TREE_CREDENTIALS = 1000
# How many hosted assertions one credential may point at, nested ones included.
MAX_HOSTED_STUBS = 20
_hosted_left: ContextVar[list[int]] = ContextVar("hosted_left")

# An endorsement awards no achievement, so the required achievement contains
# only the endorsement's name, or this one when the endorsement has none.
ENDORSEMENT_NAME = "Endorsement"
# A Unix timestamp in seconds has 10 digits until the year 2286.
MAX_TIMESTAMP_DIGITS = 12
# The name of a credential that awards no achievement and has no name.
PLAIN_CREDENTIAL_NAME = "Verifiable Credential"


class RevokedAssertion(InputRejected):
    """Raised for an OB 2.0 assertion that its issuer replaced by a revoked stub."""


def _revocation_reason(document: dict[str, Any]) -> str:
    reason = _text(document.get("revocationReason"))
    return f" ({reason[:200]})" if reason else ""


class EndorsementRejected(InputRejected):
    """Raised when a learner credential is expected but the document is an endorsement.

    The reason is the same as for any other non-credential. The document (and
    the compact JWS it came in, if any) is kept so that a caller that verifies
    endorsements, like the verify command, can parse it as one.
    """

    def __init__(
        self, reason: str, document: dict[str, Any], compact_jws: str | None = None
    ) -> None:
        super().__init__(reason)
        self.document = document
        self.compact_jws = compact_jws


def describe_issuer(issuer_id: str | None) -> str:
    """Name an issuer in a message, also when the credential gives it no id."""
    return f"issuer {issuer_id}" if issuer_id else "the issuer (which has no id)"


def type_names(document: dict[str, Any]) -> list[str]:
    """Return the document's ``type`` (or ``@type``) values as a list."""
    value = document.get("type", document.get("@type"))
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    return []


@contextmanager
def _hosted_budget(nesting: int) -> Iterator[None]:
    # A credential and everything nested in it share one budget of hosted
    # assertions to follow; each one may cost a fetch and a large parse.
    if nesting > 0:
        yield
        return
    token = _hosted_left.set([MAX_HOSTED_STUBS])
    try:
        with fetch_memo():
            yield
    finally:
        _hosted_left.reset(token)


def _spend_hosted_budget() -> None:
    left = _hosted_left.get(None)
    if left is None:
        return
    left[0] -= 1
    if left[0] < 0:
        raise InputRejected(
            f"credential points at more than {MAX_HOSTED_STUBS} hosted assertions"
        )


def parse_credential_json(
    document: dict[str, Any], settings: Settings, nesting: int = 0
) -> ParsedCredential:
    """Parse an OB 2.0 / 1.x / 0.5 assertion, an OB 3.0 or a CLR 2.0 credential."""
    with _hosted_budget(nesting):
        return _parse_credential_json(document, settings, nesting)


def _parse_credential_json(
    document: dict[str, Any], settings: Settings, nesting: int
) -> ParsedCredential:
    types = type_names(document)

    if VC_TYPES & set(types):
        return parse_verifiable_credential(document, settings, nesting)

    if "Assertion" in types or (not types and _looks_like_legacy_assertion(document)):
        return parse_ob2_assertion(document, settings)
    if not types and document.get("revoked") is True and "id" in document:
        return parse_ob2_assertion(document, settings)

    if not types and _is_hosted_stub(document):
        url = document["verify"]["url"]
        _spend_hosted_budget()
        hosted = fetch_hosted_assertion(url, settings)
        if _is_hosted_stub(hosted) and not type_names(hosted):
            raise InputRejected(
                f"hosted assertion {url} is itself only a pointer to a hosted assertion"
            )
        if nesting >= MAX_NESTING:
            raise InputRejected(f"CLR credentials are nested deeper than {MAX_NESTING}")
        return parse_credential_json(hosted, settings, nesting + 1)

    if "Endorsement" in types:
        raise EndorsementRejected(_describe_non_credential(document, types), document)
    raise InputRejected(_describe_non_credential(document, types))


def parse_compact_jws(
    token: str, settings: Settings, nesting: int = 0
) -> ParsedCredential:
    """Parse a VC-JWT (OB 3.0 or CLR 2.0) or an OB 2.0 signed assertion."""
    with _hosted_budget(nesting):
        return _parse_compact_jws(token, settings, nesting)


def _parse_compact_jws(
    token: str, settings: Settings, nesting: int
) -> ParsedCredential:
    jws = decode_compact_jws(token, settings.max_input_bytes, settings.max_json_depth)
    payload = jws.payload

    credential = _credential_in_jwt(payload)
    if credential is not None:
        try:
            parsed = parse_verifiable_credential(credential, settings, nesting)
        except EndorsementRejected as error:
            error.compact_jws = jws.token
            raise
    elif "Assertion" in type_names(payload) or _looks_like_legacy_assertion(payload):
        parsed = parse_ob2_assertion(payload, settings)
        parsed.format = CredentialFormat.ob2_signed
    else:
        raise InputRejected(
            "JWT payload is not a credential: it has no 'vc' claim, no "
            "VerifiableCredential type and is not an Open Badges assertion"
        )

    if parsed.format is CredentialFormat.ob3_json:
        parsed.format = CredentialFormat.ob3_jwt
    elif parsed.format is CredentialFormat.clr2_json:
        parsed.format = CredentialFormat.clr2_jwt
    parsed.compact_jws = jws.token
    return parsed


def fetch_hosted_assertion(url: str, settings: Settings) -> dict[str, Any]:
    """Read a hosted assertion through the URL map.

    Raises DocumentUnavailable (an InputRejected) when the URL is not mapped.
    """
    try:
        return fetch_json(url, settings)
    except DocumentUnavailable as error:
        # The fetcher's reason starts with the URL.
        raise DocumentUnavailable(f"hosted assertion {error.reason}") from None


def parse_endorsement_jws(token: str, settings: Settings) -> ParsedCredential:
    """Parse an OB 3.0 EndorsementCredential signed as a VC-JWT."""
    jws = decode_compact_jws(token, settings.max_input_bytes, settings.max_json_depth)
    credential = _credential_in_jwt(jws.payload)
    if credential is None:
        raise InputRejected(
            "JWT payload is not a credential: it has no 'vc' claim and no "
            "VerifiableCredential type"
        )
    parsed = parse_endorsement_credential(credential)
    parsed.format = CredentialFormat.ob3_jwt
    parsed.compact_jws = jws.token
    return parsed


def _credential_in_jwt(claims: dict[str, Any]) -> dict[str, Any] | None:
    vc_claim = claims.get("vc")
    if isinstance(vc_claim, dict):
        return _credential_from_jwt_claims(vc_claim, claims)
    if VC_TYPES & set(type_names(claims)):
        return claims
    return None


def _credential_from_jwt_claims(
    vc_claim: dict[str, Any], claims: dict[str, Any]
) -> dict[str, Any]:
    # VC-JWT (VCDM 1.1) may move properties to registered claims; copy them
    # back where the vc claim leaves them out.
    credential = dict(vc_claim)
    if "id" not in credential and isinstance(claims.get("jti"), str):
        credential["id"] = claims["jti"]
    if "issuer" not in credential and isinstance(claims.get("iss"), str):
        credential["issuer"] = claims["iss"]
    # The dates go back as the ISO 8601 strings the credential would hold.
    if "issuanceDate" not in credential and "validFrom" not in credential:
        if "nbf" in claims:
            credential["issuanceDate"] = _claim_date(claims["nbf"], "nbf")
        elif "iat" in claims:
            credential["issuanceDate"] = _claim_date(claims["iat"], "iat")
    if (
        "expirationDate" not in credential
        and "validUntil" not in credential
        and "exp" in claims
    ):
        credential["expirationDate"] = _claim_date(claims["exp"], "exp")
    subject = credential.get("credentialSubject")
    if isinstance(subject, dict) and "id" not in subject and "sub" in claims:
        credential["credentialSubject"] = {**subject, "id": claims["sub"]}
    return credential


def _claim_date(value: Any, claim: str) -> Any:
    parsed = parse_date(value, f"JWT claim {claim}")
    if parsed is None:
        return value
    return parsed.isoformat().replace("+00:00", "Z")


def parse_verifiable_credential(
    document: dict[str, Any], settings: Settings, nesting: int = 0
) -> ParsedCredential:
    """Parse an OB 3.0 OpenBadgeCredential/AchievementCredential or a CLR 2.0."""
    types = type_names(document)
    if "EndorsementCredential" in types:
        raise EndorsementRejected(
            f"JSON is {NOT_A_CREDENTIAL['EndorsementCredential']}", document
        )

    status_lists = STATUS_LIST_TYPES.intersection(types)
    if status_lists:
        raise InputRejected(f"JSON is {NOT_A_CREDENTIAL[min(status_lists)]}")

    subject = _credential_subject(document)
    issuer_id, issuer_name = _issuer_of(document.get("issuer"))
    issued_at, expires_at = _vc_dates(document)
    # The fields every OB 3.0 and CLR 2.0 credential has in the same places.
    common: dict[str, Any] = {
        "credential_id": _text(document.get("id")),
        "issuer_id": issuer_id,
        "issuer_name": issuer_name,
        "recipient": Recipient(identity=_text(subject.get("id")), type="id"),
        "identity_objects": _identity_objects(subject.get("identifier")),
        "issued_at": issued_at,
        "expires_at": expires_at,
        "raw": document,
    }

    # A CLR, and a credential with no achievement, are shown under their own
    # name and description.
    name = _text(document.get("name"))
    description = _text(document.get("description"))
    if "ClrCredential" in types:
        name = name or "Comprehensive Learner Record"
        return ParsedCredential(
            format=CredentialFormat.clr2_json,
            name=name,
            achievement=Achievement(name=name, description=description),
            nested=_parse_nested(subject, settings, nesting),
            **common,
        )

    achievement_document = subject.get("achievement")
    if achievement_document is None:
        # A plain Verifiable Credential awards no achievement. It can still be
        # verified, but the indexer takes no skill evidence from it.
        name = name or PLAIN_CREDENTIAL_NAME
        return ParsedCredential(
            format=CredentialFormat.ob3_json,
            name=name,
            achievement=Achievement(name=name, description=description),
            awards_achievement=False,
            **common,
        )
    if not isinstance(achievement_document, dict):
        raise InputRejected("credentialSubject.achievement is not an object")
    achievement = _ob3_achievement(achievement_document)
    return ParsedCredential(
        format=CredentialFormat.ob3_json,
        name=name or achievement.name,
        achievement=achievement,
        **common,
    )


def parse_endorsement_credential(document: dict[str, Any]) -> ParsedCredential:
    """Parse an OB 3.0 EndorsementCredential (JSON, or the payload of a VC-JWT)."""
    types = type_names(document)
    if "EndorsementCredential" not in types:
        shown = ", ".join(types[:3]) or "none"
        raise InputRejected(f"endorsement type is {shown}, not EndorsementCredential")

    subject = _credential_subject(document)
    issuer_id, issuer_name = _issuer_of(document.get("issuer"))
    name = _text(document.get("name"))
    issued_at, expires_at = _vc_dates(document)
    return ParsedCredential(
        format=CredentialFormat.ob3_json,
        credential_id=_text(document.get("id")),
        name=name,
        issuer_id=issuer_id,
        issuer_name=issuer_name,
        issued_at=issued_at,
        expires_at=expires_at,
        achievement=Achievement(name=name or ENDORSEMENT_NAME),
        endorsement_subject=EndorsementSubject(
            id=_text(subject.get("id")),
            endorsement_comment=_text(subject.get("endorsementComment")),
        ),
        raw=document,
    )


def parse_rejected_endorsement(
    rejected: EndorsementRejected, settings: Settings
) -> ParsedCredential:
    """Parse, as an endorsement, a document that the credential parser rejected."""
    if rejected.compact_jws is not None:
        return parse_endorsement_jws(rejected.compact_jws, settings)
    if "EndorsementCredential" in type_names(rejected.document):
        return parse_endorsement_credential(rejected.document)
    return parse_ob2_endorsement(rejected.document, settings)


def parse_ob2_endorsement(
    document: dict[str, Any], settings: Settings
) -> ParsedCredential:
    """Parse an OB 2.0 Endorsement, whose claim names the endorsed object."""
    types = type_names(document)
    if "Endorsement" not in types:
        shown = ", ".join(types[:3]) or "none"
        raise InputRejected(f"endorsement type is {shown}, not Endorsement")
    claim = document.get("claim")
    if not isinstance(claim, dict):
        raise InputRejected("OB 2.0 endorsement has no claim object")

    issuer_id, issuer_name = _ob2_issuer(document.get("issuer"), settings)
    name = _text(document.get("name"))
    return ParsedCredential(
        format=CredentialFormat.ob2_endorsement,
        credential_id=_text(document.get("id")),
        name=name,
        issuer_id=issuer_id,
        issuer_name=issuer_name,
        issued_at=parse_date(document.get("issuedOn"), "issuedOn"),
        expires_at=parse_date(document.get("expires"), "expires"),
        achievement=Achievement(name=name or ENDORSEMENT_NAME),
        endorsement_subject=EndorsementSubject(
            id=_text(claim.get("id")),
            endorsement_comment=_text(claim.get("endorsementComment")),
        ),
        raw=document,
    )


def _vc_dates(document: dict[str, Any]) -> tuple[datetime | None, datetime | None]:
    """Return a VC's start and end of validity, in VCDM 2.0 or 1.1 terms."""
    issued_at = parse_date(
        document.get("validFrom", document.get("issuanceDate")), "validFrom"
    )
    expires_at = parse_date(
        document.get("validUntil", document.get("expirationDate")), "validUntil"
    )
    return issued_at, expires_at


def _credential_subject(document: dict[str, Any]) -> dict[str, Any]:
    subject = document.get("credentialSubject")
    if isinstance(subject, list):
        # VCDM allows several subjects; the one with an achievement is ours.
        subjects = [item for item in subject if isinstance(item, dict)]
        with_achievement = [item for item in subjects if "achievement" in item]
        candidates = with_achievement or subjects
        subject = candidates[0] if candidates else None
    if not isinstance(subject, dict):
        raise InputRejected("credential has no credentialSubject object")
    return subject


def _parse_nested(
    subject: dict[str, Any], settings: Settings, nesting: int
) -> list[ParsedCredential]:
    entries = subject.get("verifiableCredential", [])
    if isinstance(entries, dict | str):
        entries = [entries]
    if not isinstance(entries, list):
        raise InputRejected("ClrSubject.verifiableCredential is not a list")
    if entries and nesting >= MAX_NESTING:
        raise InputRejected(f"CLR credentials are nested deeper than {MAX_NESTING}")

    nested: list[ParsedCredential] = []
    # Each nested tree is bounded already, so stopping once this level's
    # total passes the bound keeps the work of the whole tree bounded too.
    total = 0
    for position, entry in enumerate(entries):
        try:
            if isinstance(entry, dict):
                parsed = parse_credential_json(entry, settings, nesting + 1)
            elif isinstance(entry, str) and is_compact_jws(entry.strip()):
                parsed = parse_compact_jws(entry, settings, nesting + 1)
            else:
                raise InputRejected("entry is neither a JSON object nor a JWT")
        except InputRejected as error:
            raise InputRejected(
                f"CLR nested credential [{position}]: {error.reason}"
            ) from None
        total += 1 + _tree_size(parsed)
        if total > MAX_TREE_CREDENTIALS:
            raise InputRejected(
                f"CLR contains more than {MAX_TREE_CREDENTIALS} credentials in all"
            )
        nested.append(parsed)
    return nested


def _tree_size(parsed: ParsedCredential) -> int:
    return sum(1 + _tree_size(child) for child in parsed.nested)


def _ob3_achievement(document: dict[str, Any]) -> Achievement:
    name = _text(document.get("name"))
    if not name:
        raise InputRejected("achievement has no name, or its name is not text")
    criteria = document.get("criteria")
    narrative = _text(criteria.get("narrative")) if isinstance(criteria, dict) else None
    tags = document.get("tag", [])
    return Achievement(
        achievement_id=_text(document.get("id")),
        name=name,
        description=_text(document.get("description")),
        criteria=narrative,
        achievement_type=_text(document.get("achievementType")),
        alignments=_alignments(document.get("alignment")),
        tags=[tag for tag in tags if isinstance(tag, str)]
        if isinstance(tags, list)
        else [],
    )


def _identity_objects(value: Any) -> list[Recipient]:
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        return []
    identities = []
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("identityHash"), str):
            continue
        identities.append(
            Recipient(
                identity=item["identityHash"],
                type=_text(item.get("identityType")),
                hashed=item.get("hashed") is True,
                salt=_text(item.get("salt")),
            )
        )
    return identities


def parse_ob2_assertion(
    document: dict[str, Any], settings: Settings
) -> ParsedCredential:
    """Parse an OB 2.0 assertion, upgrading a 1.x or 0.5 one on the way."""
    if document.get("revoked") is True and "badge" not in document:
        # OB 2.0 lets an issuer replace a revoked assertion by {id, revoked}.
        raise RevokedAssertion(
            f"assertion {_text(document.get('id')) or ''} was revoked by its issuer"
            + _revocation_reason(document)
        )
    badge = _badge_class(document.get("badge"), settings)
    issuer_id, issuer_name = _ob2_issuer(badge.get("issuer"), settings)
    achievement = _ob2_achievement(badge, document.get("badge"))

    return ParsedCredential(
        format=CredentialFormat.ob2_assertion,
        credential_id=_text(document.get("id")) or _legacy_id(document, issuer_id),
        name=achievement.name,
        issuer_id=issuer_id,
        issuer_name=issuer_name,
        recipient=_ob2_recipient(document),
        issued_at=parse_date(
            document.get("issuedOn", document.get("issued_on")), "issuedOn"
        ),
        expires_at=parse_date(document.get("expires"), "expires"),
        achievement=achievement,
        raw=document,
    )


def _legacy_id(document: dict[str, Any], issuer_id: str | None) -> str | None:
    # An OB 1.x hosted assertion is known by its URL; a signed one names its
    # public key in verify.url, so it is known by its uid. A uid is unique
    # only within its issuer, so the issuer is part of the id.
    verify = _mapping(document.get("verify"))
    url = _text(verify.get("url"))
    if url and str(verify.get("type", "")).lower() != "signed":
        return url
    uid = _text(document.get("uid"))
    if uid and issuer_id:
        return f"{issuer_id}#uid:{uid}"
    return uid


def legacy_assertion_version(document: dict[str, Any]) -> str | None:
    """Return "0.5", "1.0" or "1.1" for a pre-2.0 assertion, else None.

    The version is read from the document's shape: OB 0.5 has a plain string
    recipient or a badge with version 0.5.x, OB 1.1 names the v1 context, and
    OB 1.0 has no context but a ``verify`` object or a ``uid``.
    """
    badge = document.get("badge")
    badge_version = badge.get("version") if isinstance(badge, dict) else None
    if isinstance(document.get("recipient"), str) or (
        isinstance(badge_version, str) and badge_version.startswith("0.5")
    ):
        return "0.5"

    context = document.get("@context")
    contexts = context if isinstance(context, list) else [context]
    if any(isinstance(item, str) and item in OB1_CONTEXTS for item in contexts):
        return "1.1"
    if context is None and ("verify" in document or "uid" in document):
        return "1.0"
    return None


def _badge_class(value: Any, settings: Settings) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    if isinstance(value, str):
        try:
            return fetch_json(value, settings)
        except DocumentUnavailable as error:
            raise DocumentUnavailable(f"badge class {error.reason}") from None
    raise InputRejected("assertion has no badge (BadgeClass object or URL)")


def _ob2_issuer(value: Any, settings: Settings) -> tuple[str | None, str | None]:
    if isinstance(value, dict):
        issuer_id = _text(value.get("id")) or _text(value.get("origin"))
        return issuer_id, _text(value.get("name"))
    if isinstance(value, str):
        try:
            issuer = fetch_json(value, settings)
        except DocumentUnavailable:
            # The name is only for display, so an unmapped issuer URL is kept.
            return value, None
        return value, _text(issuer.get("name"))
    return None, None


def _ob2_achievement(badge: dict[str, Any], badge_reference: Any) -> Achievement:
    name = _text(badge.get("name"))
    if not name:
        raise InputRejected("badge class has no name")

    criteria = badge.get("criteria")
    narrative = _text(criteria.get("narrative")) if isinstance(criteria, dict) else None
    tags = badge.get("tags", [])
    badge_id = _text(badge.get("id"))
    if badge_id is None and isinstance(badge_reference, str):
        badge_id = badge_reference
    return Achievement(
        achievement_id=badge_id,
        name=name,
        description=_text(badge.get("description")),
        criteria=narrative,
        alignments=_alignments(badge.get("alignment")),
        tags=[tag for tag in tags if isinstance(tag, str)]
        if isinstance(tags, list)
        else [],
    )


def _ob2_recipient(document: dict[str, Any]) -> Recipient:
    value = document.get("recipient")
    if isinstance(value, dict):
        identity = _text(value.get("identity"))
        return Recipient(
            identity=identity,
            type=_text(value.get("type")) or "email",
            hashed=value.get("hashed") is True
            or (value.get("hashed") is None and "$" in (identity or "")),
            salt=_text(value.get("salt")),
        )
    if isinstance(value, str):
        # OB 0.5: a plain email, or "algorithm$hex" with the salt alongside.
        hashed = "$" in value
        return Recipient(
            identity=value,
            type="email",
            hashed=hashed,
            salt=_text(document.get("salt")) if hashed else None,
        )
    return Recipient()


def _alignments(value: Any) -> list[Alignment]:
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        return []
    alignments = []
    for item in value:
        if not isinstance(item, dict):
            continue
        alignments.append(
            Alignment(
                target_name=_text(item.get("targetName")),
                target_url=_text(item.get("targetUrl")),
                target_code=_text(item.get("targetCode")),
                target_framework=_text(item.get("targetFramework")),
                target_description=_text(item.get("targetDescription")),
            )
        )
    return alignments


def _issuer_of(value: Any) -> tuple[str | None, str | None]:
    if isinstance(value, str):
        return value, None
    if isinstance(value, dict):
        return _text(value.get("id")), _text(value.get("name"))
    raise InputRejected("credential has no issuer")


def _looks_like_legacy_assertion(document: dict[str, Any]) -> bool:
    return "recipient" in document and "badge" in document


def _is_hosted_stub(document: dict[str, Any]) -> bool:
    verify = document.get("verify")
    return isinstance(verify, dict) and isinstance(verify.get("url"), str)


def _describe_non_credential(document: dict[str, Any], types: list[str]) -> str:
    for type_name in types:
        if type_name in NOT_A_CREDENTIAL:
            return f"JSON is {NOT_A_CREDENTIAL[type_name]}, not a credential"
    if not types:
        # OB 1.0 documents have no type, so their fields identify them.
        if "criteria" in document and "issuer" in document:
            return f"JSON is {NOT_A_CREDENTIAL['BadgeClass']}, not a credential"
        if "name" in document and "url" in document:
            return f"JSON is {NOT_A_CREDENTIAL['Issuer']}, not a credential"
        return (
            "JSON is not a credential: expected an Open Badges assertion, an "
            "OpenBadgeCredential or a ClrCredential"
        )
    shown = ", ".join(types[:3])
    return (
        f"JSON type {shown} is not a supported credential type (expected "
        "Assertion, OpenBadgeCredential, AchievementCredential or ClrCredential)"
    )


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str | None:
    """Return a plain string from a string or a JSON-LD value or language map."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        if isinstance(value.get("@value"), str):
            return _text(value["@value"])
        for item in value.values():
            if isinstance(item, str):
                return _text(item)
    if isinstance(value, list):
        for item in value:
            text = _text(item)
            if text:
                return text
    return None


def parse_date(value: Any, field_name: str) -> datetime | None:
    """Parse an ISO 8601 date or date-time, or a Unix timestamp, as UTC-aware."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise InputRejected(f"{field_name} is not a date")
    if isinstance(value, int | float):
        try:
            return datetime.fromtimestamp(value, UTC)
        except (OverflowError, OSError, ValueError):
            raise InputRejected(
                f"{field_name} timestamp {value} is out of range"
            ) from None
    if not isinstance(value, str):
        raise InputRejected(f"{field_name} is not a date")

    text = value.strip()
    if text.isascii() and text.isdigit():
        if len(text) > MAX_TIMESTAMP_DIGITS:
            raise InputRejected(f"{field_name} timestamp is out of range")
        return parse_date(int(text), field_name)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        try:
            parsed_date = date.fromisoformat(text)
        except ValueError:
            raise InputRejected(
                f"{field_name} {text[:40]!r} is not an ISO 8601 date"
            ) from None
        parsed = datetime(parsed_date.year, parsed_date.month, parsed_date.day)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed
