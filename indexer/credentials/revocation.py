"""Revocation checks: status lists, OB 2.0 RevocationLists and 1EdTech lists.

Supported ``credentialStatus`` types: BitstringStatusListEntry (purposes
revocation and suspension), StatusList2021Entry and 1EdTechRevocationList.
A status list credential is used only if it has a status list type, is issued
by the credential's own issuer, carries a proof that verifies (Data Integrity
or VC-JWT) and is within its validity dates. A list that fails any of these,
or cannot be fetched, gives ``revoked=None``: the revocation status is
unknown, never "not revoked".
"""

import base64
import binascii
import warnings
import zlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, OKPKey, RSAKey

from indexer import safe_json
from indexer.credentials.data_integrity import (
    FindingOutcome,
    check_data_integrity_proofs,
)
from indexer.credentials.fetch import fetch_document, fetch_json
from indexer.credentials.jws import decode_compact_jws, is_compact_jws
from indexer.credentials.keys import KeyUnavailable, resolve_assertion_key
from indexer.credentials.parse import parse_date, type_names
from indexer.errors import InputRejected
from skillbeacon.models.credential import ParsedCredential
from skillbeacon.settings import Settings

BITSTRING_ENTRY = "BitstringStatusListEntry"
STATUS_LIST_2021_ENTRY = "StatusList2021Entry"
ONE_EDTECH_REVOCATION_LIST = "1EdTechRevocationList"
STATUS_LIST_TYPES = frozenset(
    {"BitstringStatusListCredential", "StatusList2021Credential"}
)
REVOKING_PURPOSES = frozenset({"revocation", "suspension"})

# Each JWS algorithm a VC-JWT status list may use, with the only key type
# (and curve) it may be used with.
JWT_KEY_TYPES = {
    "EdDSA": ("OKP", "Ed25519"),
    "Ed25519": ("OKP", "Ed25519"),
    "ES256": ("EC", "P-256"),
    "RS256": ("RSA", None),
}
JWK_CLASSES: dict[str, type[OKPKey] | type[ECKey] | type[RSAKey]] = {
    "OKP": OKPKey,
    "EC": ECKey,
    "RSA": RSAKey,
}
PUBLIC_JWK_MEMBERS = {
    "OKP": ("kty", "crv", "x"),
    "EC": ("kty", "crv", "x", "y"),
    "RSA": ("kty", "n", "e"),
}


@dataclass(frozen=True)
class RevocationFinding:
    """Whether the credential is revoked: True, False, or None when unknown."""

    revoked: bool | None
    message: str


class StatusListUnusable(InputRejected):
    """Raised for a status list that cannot be read or trusted; the reason names it."""


def check_ob2_revocation(
    assertion_id: str | None,
    issuer: dict[str, Any] | None,
    settings: Settings,
    uid: str | None = None,
) -> RevocationFinding:
    """Look the assertion id (or its OB 1.x uid) up in its issuer's RevocationList."""
    if issuer is None:
        return RevocationFinding(
            None, "revocation status not checked: issuer profile cannot be read"
        )
    list_url = issuer.get("revocationList")
    if not isinstance(list_url, str):
        return RevocationFinding(False, "issuer publishes no revocation list")
    try:
        revocation_list = fetch_json(list_url, settings)
    except InputRejected as error:
        return RevocationFinding(None, f"revocation status not checked: {error.reason}")

    revoked_ids = _revoked_ids(revocation_list)
    if revoked_ids is None:
        return RevocationFinding(
            None,
            f"revocation status not checked: {list_url} is not a RevocationList",
        )
    if {assertion_id, uid} & revoked_ids:
        return RevocationFinding(True, f"assertion is listed in {list_url}")
    return RevocationFinding(False, f"assertion is not listed in {list_url}")


def _revoked_ids(document: dict[str, Any]) -> set[str] | None:
    """Return the ids an OB 2.0 (or OB 1.0) revocation list names, or None."""
    if "RevocationList" not in type_names(document):
        # OB 1.0 lists were a plain object from revoked uid to reason; a
        # document with JSON-LD keys or a type is something else.
        plain = not {"@context", "type", "@type", "id"} & set(document)
        if plain and document and all(isinstance(v, str) for v in document.values()):
            return set(document)
        return None
    entries = document.get("revokedAssertions", [])
    if not isinstance(entries, list):
        # A single entry need not be wrapped in a list.
        entries = [entries]
    revoked: set[str] = set()
    for entry in entries:
        if isinstance(entry, str):
            revoked.add(entry)
        elif isinstance(entry, dict):
            revoked.update(
                value
                for key in ("id", "uid")
                if isinstance(value := entry.get(key), str)
            )
    return revoked


def check_credential_status(
    credential: ParsedCredential, settings: Settings, now: datetime
) -> list[RevocationFinding]:
    """Check each ``credentialStatus`` entry of a verifiable credential."""
    status = credential.raw.get("credentialStatus")
    if status is None:
        return [RevocationFinding(False, "credential has no credentialStatus")]
    entries = status if isinstance(status, list) else [status]
    return [_check_status_entry(entry, credential, settings, now) for entry in entries]


def _check_status_entry(
    entry: Any, credential: ParsedCredential, settings: Settings, now: datetime
) -> RevocationFinding:
    if not isinstance(entry, dict):
        return RevocationFinding(None, "credentialStatus entry is not an object")

    entry_types = set(type_names(entry))
    if entry_types & {BITSTRING_ENTRY, STATUS_LIST_2021_ENTRY}:
        return _check_status_list_entry(entry, credential, settings, now)
    if ONE_EDTECH_REVOCATION_LIST in entry_types:
        return _check_1edtech_revocation_list(entry, credential, settings)

    shown = ", ".join(sorted(entry_types)) or "without a type"
    return RevocationFinding(
        None, f"revocation status not checked: status type {shown} is not supported"
    )


def _check_1edtech_revocation_list(
    entry: dict[str, Any], credential: ParsedCredential, settings: Settings
) -> RevocationFinding:
    # The OB 3.0 "1EdTech Revocation List Status Method": GET the entry's id,
    # and the credential is revoked if its id is in revokedCredentials with
    # "revoked" true or absent. The list is plain JSON with no proof, so it
    # is trusted as far as the list URL, which the credential's proof covers.
    list_url = entry.get("id")
    if not isinstance(list_url, str):
        return RevocationFinding(None, "1EdTechRevocationList entry has no id URL")
    if credential.credential_id is None:
        return RevocationFinding(
            None,
            f"revocation status not checked: the credential has no id to look "
            f"up in {list_url}",
        )
    try:
        revocation_list = fetch_json(list_url, settings)
    except InputRejected as error:
        return RevocationFinding(None, f"revocation status not checked: {error.reason}")

    revoked = revocation_list.get("revokedCredentials")
    if not isinstance(revoked, list):
        return RevocationFinding(
            None,
            f"revocation status not checked: {list_url} has no revokedCredentials list",
        )
    for item in revoked:
        if not isinstance(item, dict) or item.get("id") != credential.credential_id:
            continue
        if item.get("revoked", True) is not False:
            return RevocationFinding(
                True, f"credential is listed as revoked in {list_url}"
            )
    return RevocationFinding(False, f"credential is not listed in {list_url}")


def _check_status_list_entry(
    entry: dict[str, Any],
    credential: ParsedCredential,
    settings: Settings,
    now: datetime,
) -> RevocationFinding:
    purpose = entry.get("statusPurpose", "revocation")
    list_url = entry.get("statusListCredential")
    try:
        index = int(entry.get("statusListIndex", ""))
    except (TypeError, ValueError, OverflowError):
        return RevocationFinding(None, "statusListIndex is not an integer")
    if not isinstance(list_url, str) or index < 0:
        return RevocationFinding(
            None, "credentialStatus has no statusListCredential or a negative index"
        )
    if not isinstance(purpose, str):
        return RevocationFinding(None, "statusPurpose is not a single word")
    if purpose not in REVOKING_PURPOSES:
        # A "message" or "refresh" entry does not concern revocation.
        return RevocationFinding(
            False, f"status purpose {purpose!r} is not about revocation, not checked"
        )
    if str(entry.get("statusSize", 1)) != "1":
        return RevocationFinding(
            None,
            f"revocation status not checked: {purpose} entries must have "
            f"statusSize 1, not {entry.get('statusSize')!r}",
        )

    try:
        status_list = _trusted_status_list(list_url, credential, settings, now)
        bits = status_list_bits(status_list, list_url, purpose, settings)
    except StatusListUnusable as error:
        return RevocationFinding(None, f"revocation status not checked: {error.reason}")

    if index >= len(bits) * 8:
        return RevocationFinding(
            None, f"statusListIndex {index} is outside the status list {list_url}"
        )
    is_set = bits[index // 8] & (0x80 >> (index % 8)) != 0
    if is_set:
        return RevocationFinding(True, f"{purpose} bit {index} is set in {list_url}")
    return RevocationFinding(False, f"{purpose} bit {index} is not set in {list_url}")


def _trusted_status_list(
    list_url: str, credential: ParsedCredential, settings: Settings, now: datetime
) -> dict[str, Any]:
    """Fetch a status list credential and return it once it passes every check."""
    try:
        fetched = fetch_document(list_url, settings)
    except InputRejected as error:
        raise StatusListUnusable(f"status list {list_url}: {error.reason}") from None

    text = fetched.content.decode("utf-8", errors="replace").strip()
    try:
        if is_compact_jws(text):
            status_list = _verified_jwt_status_list(text, list_url, settings)
        else:
            status_list = _json_status_list(fetched.content, list_url, settings)
    except InputRejected as error:
        raise StatusListUnusable(f"status list {list_url}: {error.reason}") from None

    if not set(type_names(status_list)) & STATUS_LIST_TYPES:
        raise StatusListUnusable(
            f"status list {list_url} is not typed BitstringStatusListCredential "
            "or StatusList2021Credential"
        )

    list_issuer = _issuer_id(status_list)
    if list_issuer is None:
        raise StatusListUnusable(f"status list {list_url} names no issuer")
    if list_issuer != credential.issuer_id:
        # NOTE: issuers that publish through a shared status service sign the
        # list with the service's key, so such credentials stay unverified.
        raise StatusListUnusable(
            f"status list {list_url} is issued by {list_issuer}, not by the "
            f"credential's issuer {credential.issuer_id}"
        )

    if not is_compact_jws(text):
        _check_list_proof(status_list, list_issuer, list_url, settings)
    _check_list_dates(status_list, list_url, now)
    return status_list


def _json_status_list(
    content: bytes, list_url: str, settings: Settings
) -> dict[str, Any]:
    document = safe_json.loads(
        content, settings.max_input_bytes, settings.max_json_depth
    )
    if not isinstance(document, dict):
        raise InputRejected("it is not a JSON object")
    return document


def _check_list_proof(
    status_list: dict[str, Any],
    issuer_id: str | None,
    list_url: str,
    settings: Settings,
) -> None:
    findings = check_data_integrity_proofs(status_list, issuer_id, settings)
    problems = [
        finding.message
        for finding in findings
        if finding.outcome in (FindingOutcome.invalid, FindingOutcome.unchecked)
    ]
    if problems:
        raise StatusListUnusable(
            f"the proof of status list {list_url} cannot be trusted: {problems[0]}"
        )
    if not any(
        finding.check == "signature" and finding.outcome is FindingOutcome.passed
        for finding in findings
    ):
        raise StatusListUnusable(
            f"status list {list_url} has no proof that was verified"
        )


def _check_list_dates(
    status_list: dict[str, Any], list_url: str, now: datetime
) -> None:
    try:
        valid_until = parse_date(
            status_list.get("validUntil", status_list.get("expirationDate")),
            "validUntil",
        )
        valid_from = parse_date(
            status_list.get("validFrom", status_list.get("issuanceDate")), "validFrom"
        )
    except InputRejected as error:
        raise StatusListUnusable(f"status list {list_url}: {error.reason}") from None

    if valid_until is not None and valid_until < now:
        raise StatusListUnusable(
            f"status list {list_url} expired on {valid_until.date().isoformat()}"
        )
    if valid_from is not None and valid_from > now:
        raise StatusListUnusable(
            f"status list {list_url} is not valid before "
            f"{valid_from.date().isoformat()}"
        )


def _verified_jwt_status_list(
    token: str, list_url: str, settings: Settings
) -> dict[str, Any]:
    """Verify a VC-JWT status list and return its credential, with JWT dates."""
    decoded = decode_compact_jws(
        token, settings.max_input_bytes, settings.max_json_depth
    )
    claims = decoded.payload
    # A VCDM 1.1 JWT carries the credential in "vc". In VCDM 2.0 JOSE the
    # payload is the credential itself.
    status_list = dict(claims["vc"]) if isinstance(claims.get("vc"), dict) else claims
    if "issuer" not in status_list and isinstance(claims.get("iss"), str):
        status_list["issuer"] = claims["iss"]
    issuer_id = _issuer_id(status_list)
    if claims.get("iss") is not None and claims.get("iss") != issuer_id:
        raise InputRejected(f"JWT iss {claims.get('iss')} differs from its issuer")

    algorithm = decoded.header.get("alg")
    if algorithm not in JWT_KEY_TYPES:
        raise InputRejected(f"JWT algorithm {algorithm!r} is not allowed")
    if "crit" in decoded.header:
        raise InputRejected("JWT header has critical extensions")

    kid = decoded.header.get("kid")
    key_id = kid if isinstance(kid, str) and kid.startswith("did:") else issuer_id
    if key_id is None or key_id.split("#", 1)[0] != issuer_id:
        raise InputRejected(f"JWT signing key {key_id} is not the issuer's")
    try:
        jwk = resolve_assertion_key(key_id, settings)
    except KeyUnavailable as error:
        raise InputRejected(f"JWT signing key: {error.reason}") from None
    _verify_jws(token, algorithm, jwk, key_id)

    # JWT exp and nbf override the credential's own dates.
    for claim, field_name in (("exp", "validUntil"), ("nbf", "validFrom")):
        if claims.get(claim) is not None:
            status_list[field_name] = claims[claim]
    return status_list


def _verify_jws(token: str, algorithm: str, jwk: dict[str, Any], key_id: str) -> None:
    key_type, curve = JWT_KEY_TYPES[algorithm]
    if jwk.get("kty") != key_type or (curve is not None and jwk.get("crv") != curve):
        raise InputRejected(f"JWT algorithm {algorithm} does not fit key {key_id}")

    # Only the public members are imported, so a private key is never used.
    public_jwk = {
        name: jwk[name] for name in PUBLIC_JWK_MEMBERS[key_type] if name in jwk
    }
    try:
        key = JWK_CLASSES[key_type].import_key(public_jwk)
        registry = jws.JWSRegistry(algorithms=[algorithm])
        registry.max_payload_length = max(len(token), registry.max_payload_length)
        with warnings.catch_warnings():
            # joserfc warns that "EdDSA" is deprecated by RFC 9864; both
            # names mean Ed25519 here.
            warnings.simplefilter("ignore")
            jws.deserialize_compact(token, key, registry=registry)
    except (JoseError, ValueError, TypeError) as error:
        raise InputRejected(
            f"JWT {algorithm} signature does not verify with key {key_id} "
            f"({type(error).__name__})"
        ) from None


def _issuer_id(document: dict[str, Any]) -> str | None:
    issuer = document.get("issuer")
    if isinstance(issuer, dict):
        issuer = issuer.get("id")
    return issuer if isinstance(issuer, str) else None


def status_list_bits(
    status_list: dict[str, Any], list_url: str, purpose: str, settings: Settings
) -> bytes:
    """Decode a status list's encodedList for ``purpose``, checking no proof."""
    subject = status_list.get("credentialSubject")
    if not isinstance(subject, dict):
        raise StatusListUnusable(f"status list {list_url} has no credentialSubject")

    # A Bitstring Status List may serve several purposes; StatusList2021
    # names exactly one.
    list_purposes = subject.get("statusPurpose")
    if isinstance(list_purposes, str):
        list_purposes = [list_purposes]
    if isinstance(list_purposes, list) and purpose not in list_purposes:
        raise StatusListUnusable(
            f"status list {list_url} has statusPurpose {subject.get('statusPurpose')}, "
            f"not {purpose}"
        )

    encoded = subject.get("encodedList")
    if not isinstance(encoded, str):
        raise StatusListUnusable(f"status list {list_url} has no encodedList")
    # Bitstring Status List uses multibase base64url ('u' prefix); the older
    # StatusList2021 uses bare base64url. Both are GZIP-compressed, and GZIP
    # data in base64 starts with "H", so the prefix is never ambiguous.
    if encoded.startswith("u"):
        encoded = encoded[1:]
    try:
        compressed = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
    except (binascii.Error, ValueError):
        raise StatusListUnusable(
            f"status list {list_url} encodedList is not base64url"
        ) from None
    return _gunzip_bounded(compressed, settings.max_input_bytes, list_url)


def _gunzip_bounded(data: bytes, max_bytes: int, list_url: str) -> bytes:
    decompressor = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        output = decompressor.decompress(data, max_bytes + 1)
    except zlib.error:
        raise StatusListUnusable(
            f"status list {list_url} encodedList is not GZIP data"
        ) from None
    if len(output) > max_bytes or decompressor.unconsumed_tail:
        raise StatusListUnusable(
            f"status list {list_url} expands to more than {max_bytes} bytes"
        )
    return output
