"""Verification of parsed credentials: schema, signature, dates, revocation.

Each step adds a named Check. The status is the most severe finding, in the
order invalid > revoked > expired > not_yet_valid > unverified; a credential
is ``verified`` only when a signature (or a hosted copy) was actually checked
and the recipient matched the learner. With ``match_learner=False`` (no
learner is known, as in the ``verify`` command) the recipient is not matched,
and ``verified`` then does not show whose credential it is.

An endorsement goes through the same signature, issuer key, date and
revocation checks. In place of the recipient, its subject must be the object
it is attached to.
"""

import base64
import warnings
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import structlog
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, OKPKey, RSAKey

from indexer.credentials.contexts import load_context_store
from indexer.credentials.credential_schema import (
    SchemaOutcome,
    check_credential_schemas,
)
from indexer.credentials.data_integrity import (
    FindingOutcome,
    check_data_integrity_proofs,
)
from indexer.credentials.fetch import DocumentGone, fetch_document
from indexer.credentials.jws import decode_compact_jws
from indexer.credentials.keys import (
    KeyUnavailable,
    pem_to_jwk,
    resolve_assertion_key,
)
from indexer.credentials.parse import (
    describe_issuer,
    legacy_assertion_version,
    parse_date,
    type_names,
)
from indexer.credentials.recipient import RecipientMatch, match_recipient
from indexer.credentials.revocation import (
    check_credential_status,
    check_ob2_revocation,
)
from indexer.credentials.url_map import DocumentUnavailable, fetch_json, fetch_memo
from indexer.errors import InputRejected
from skillbeacon.models.credential import (
    Check,
    CheckOutcome,
    CredentialFormat,
    EndorsedObject,
    ParsedCredential,
    VerificationResult,
    VerificationStatus,
)
from skillbeacon.models.profile import RecipientIdentifier
from skillbeacon.settings import Settings

logger = structlog.get_logger(__name__)

STATUS_PRECEDENCE = (
    VerificationStatus.invalid,
    VerificationStatus.revoked,
    VerificationStatus.expired,
    VerificationStatus.not_yet_valid,
    VerificationStatus.unverified,
)

# Each accepted JWS algorithm and the only key it may be used with, so a key
# of one type can never be used under another type's algorithm.
KEY_TYPE_FOR_ALGORITHM = {
    "EdDSA": ("OKP", "Ed25519"),
    "Ed25519": ("OKP", "Ed25519"),
    "ES256": ("EC", "P-256"),
    "RS256": ("RSA", None),
}
MAX_JWS_HEADER_BYTES = 16 * 1024
PEM_BEGIN = b"-----BEGIN"
UTF8_BOM = b"\xef\xbb\xbf"
# An assertion without verification.creator is checked against at most this
# many of the keys its issuer lists.
MAX_LISTED_KEYS = 5
MIN_RSA_BITS = 2048
JWK_CLASSES: dict[str, type[OKPKey] | type[ECKey] | type[RSAKey]] = {
    "OKP": OKPKey,
    "EC": ECKey,
    "RSA": RSAKey,
}
# The changes made when an older assertion version is read as OB 2.0.
LEGACY_UPGRADE_NOTES = {
    "0.5": "plain recipient email, embedded badge, issuer identified by origin",
    "1.0": "verify.type and verify.url read as verification, uid kept as "
    "the id when there is no URL",
    "1.1": "OB 1.1 context, verify read as verification when present",
}
OB2_HOSTED_FORMATS = (CredentialFormat.ob2_assertion, CredentialFormat.ob2_endorsement)
OB2_FORMATS = (*OB2_HOSTED_FORMATS, CredentialFormat.ob2_signed)
HOSTED_TYPES = frozenset({"hosted", "hostedbadge"})
# The fields a hosted copy must repeat unchanged.
HOSTED_ASSERTION_FIELDS = ("id", "recipient", "badge", "issuedOn", "expires")
HOSTED_ENDORSEMENT_FIELDS = ("id", "claim", "issuer", "issuedOn", "expires")
PUBLIC_JWK_MEMBERS = {
    "OKP": ("kty", "crv", "x"),
    "EC": ("kty", "crv", "x", "y"),
    "RSA": ("kty", "n", "e"),
}


class _Findings:
    """The checks made so far and the statuses they imply."""

    def __init__(self, recipient_required: bool = True) -> None:
        self.checks: list[Check] = []
        self.statuses: set[VerificationStatus] = set()
        self.signature_checked = False
        self.recipient_matched = False
        self.recipient_required = recipient_required

    def passed(self, name: str, message: str) -> None:
        self.checks.append(
            Check(name=name, outcome=CheckOutcome.passed, message=message)
        )

    def failed(self, name: str, message: str, status: VerificationStatus) -> None:
        self.checks.append(
            Check(name=name, outcome=CheckOutcome.failed, message=message)
        )
        self.statuses.add(status)

    def warning(
        self, name: str, message: str, status: VerificationStatus | None = None
    ) -> None:
        self.checks.append(
            Check(name=name, outcome=CheckOutcome.warning, message=message)
        )
        if status is not None:
            self.statuses.add(status)

    def result(self) -> VerificationResult:
        for status in STATUS_PRECEDENCE:
            if status in self.statuses:
                return VerificationResult(status=status, checks=self.checks)
        recipient_bound = self.recipient_matched or not self.recipient_required
        if self.signature_checked and recipient_bound:
            return VerificationResult(
                status=VerificationStatus.verified, checks=self.checks
            )
        return VerificationResult(
            status=VerificationStatus.unverified, checks=self.checks
        )


def verify_credential(
    parsed: ParsedCredential,
    identifiers: list[RecipientIdentifier],
    settings: Settings,
    now: datetime | None = None,
    *,
    match_learner: bool = True,
) -> VerificationResult:
    """Verify one credential for the learner with ``identifiers``.

    With ``match_learner=False`` no learner is known: ``identifiers`` must be
    empty, the recipient check is only a warning, and it does not keep the
    credential unverified. The indexer always matches the learner.
    Credentials nested in a CLR are not included; use verify_credential_tree.
    """
    if not match_learner and identifiers:
        raise ValueError(
            "identifiers were given, but match_learner is False; pass an empty list"
        )
    if parsed.endorsement_subject is not None:
        raise ValueError("the credential is an endorsement; use verify_endorsement")
    now = now or datetime.now(UTC)
    findings = _Findings(recipient_required=match_learner)

    _check_upgrade(parsed, findings)
    _check_issuer_signature(parsed, settings, now, findings)
    _check_dates(parsed, now, findings)
    if match_learner:
        _check_recipient(parsed, identifiers, findings)
    else:
        _note_recipient_unmatched(parsed, findings)
    _check_revocation(parsed, settings, now, findings)
    # Last, so that a warning about a schema the store lacks never comes
    # before the reason that decides the status.
    _check_schemas(parsed, settings, findings)

    result = findings.result()
    logger.debug(
        "credential.verified",
        credential_id=parsed.credential_id,
        format=parsed.format.value,
        status=result.status.value,
        problems=len(result.reasons),
    )
    return result


def verify_credential_tree(
    parsed: ParsedCredential,
    identifiers: list[RecipientIdentifier],
    settings: Settings,
    now: datetime | None = None,
    *,
    match_learner: bool = True,
) -> list[tuple[ParsedCredential, VerificationResult]]:
    """Verify a credential and, depth first, every credential nested in it."""
    with fetch_memo():
        return _verify_tree(parsed, identifiers, settings, now, match_learner)


def _verify_tree(
    parsed: ParsedCredential,
    identifiers: list[RecipientIdentifier],
    settings: Settings,
    now: datetime | None,
    match_learner: bool,
) -> list[tuple[ParsedCredential, VerificationResult]]:
    result = verify_credential(
        parsed, identifiers, settings, now, match_learner=match_learner
    )
    results = [(parsed, result)]
    for nested in parsed.nested:
        results.extend(_verify_tree(nested, identifiers, settings, now, match_learner))
    return results


def verify_endorsement(
    endorsement: ParsedCredential,
    settings: Settings,
    now: datetime | None = None,
    *,
    endorses: EndorsedObject | None = None,
) -> VerificationResult:
    """Verify one endorsement like a credential, with no recipient to match.

    With ``endorses`` (the object the endorsement is attached to), the
    endorsement is invalid unless its subject id is that object's id. Without
    it, the endorsement was given on its own and its subject is not checked.
    """
    if endorsement.endorsement_subject is None:
        raise ValueError("the credential is not an endorsement; use verify_credential")
    now = now or datetime.now(UTC)
    findings = _Findings(recipient_required=False)

    _check_issuer_signature(endorsement, settings, now, findings)
    _check_dates(endorsement, now, findings)
    if endorses is not None:
        _check_endorsed_subject(endorsement, endorses, findings)
    _check_revocation(endorsement, settings, now, findings)
    _check_schemas(endorsement, settings, findings)

    result = findings.result()
    logger.debug(
        "endorsement.verified",
        endorsement_id=endorsement.credential_id,
        endorses=endorses.id if endorses is not None else None,
        format=endorsement.format.value,
        status=result.status.value,
        problems=len(result.reasons),
    )
    return result


def _check_schemas(
    parsed: ParsedCredential, settings: Settings, findings: _Findings
) -> None:
    store = load_context_store(settings)
    for finding in check_credential_schemas(parsed, store):
        if finding.outcome is SchemaOutcome.passed:
            findings.passed("schema", finding.message)
        elif finding.outcome is SchemaOutcome.failed:
            findings.failed("schema", finding.message, VerificationStatus.invalid)
        elif finding.outcome is SchemaOutcome.unchecked:
            findings.warning("schema", finding.message)
        elif finding.outcome is SchemaOutcome.rejected:
            findings.warning("schema", finding.message, VerificationStatus.unverified)
        else:
            logger.debug("schema.skipped", reason=finding.message)


def _check_issuer_signature(
    parsed: ParsedCredential, settings: Settings, now: datetime, findings: _Findings
) -> None:
    if parsed.compact_jws is not None:
        _check_jws(parsed, settings, now, findings)
    elif parsed.format in OB2_HOSTED_FORMATS:
        _check_ob2_hosted(parsed, settings, findings)
    else:
        _check_embedded_proofs(parsed, settings, findings)


def _check_endorsed_subject(
    endorsement: ParsedCredential, endorses: EndorsedObject, findings: _Findings
) -> None:
    # An endorsement copied onto another object must not lend it credibility,
    # so the subject has to name the object it is attached to.
    subject_id = (
        endorsement.endorsement_subject.id
        if endorsement.endorsement_subject is not None
        else None
    )
    attached = endorses.type or "object"
    if endorses.id is None:
        findings.failed(
            "endorsed_subject",
            f"the endorsed {attached} has no id, so the endorsement cannot be "
            "bound to it",
            VerificationStatus.invalid,
        )
    elif subject_id is None:
        findings.failed(
            "endorsed_subject",
            f"endorsement names no subject id, so it cannot be bound to {endorses.id}",
            VerificationStatus.invalid,
        )
    elif subject_id != endorses.id:
        findings.failed(
            "endorsed_subject",
            f"endorsement is about {subject_id}, but it is attached to "
            f"{attached} {endorses.id}",
            VerificationStatus.invalid,
        )
    else:
        findings.passed(
            "endorsed_subject", f"endorsement is about the {attached} it is attached to"
        )


def _check_upgrade(parsed: ParsedCredential, findings: _Findings) -> None:
    if parsed.format not in (
        CredentialFormat.ob2_assertion,
        CredentialFormat.ob2_signed,
    ):
        return
    version = legacy_assertion_version(parsed.raw)
    if version is None:
        return
    findings.passed(
        "upgrade",
        f"Open Badges {version} assertion read as Open Badges 2.0 "
        f"({LEGACY_UPGRADE_NOTES[version]})",
    )


def _check_jws(
    parsed: ParsedCredential, settings: Settings, now: datetime, findings: _Findings
) -> None:
    token = parsed.compact_jws or ""
    try:
        decoded = decode_compact_jws(
            token, settings.max_input_bytes, settings.max_json_depth
        )
    except InputRejected as error:
        findings.failed("signature", error.reason, VerificationStatus.invalid)
        return

    header = decoded.header
    algorithm = header.get("alg")
    if algorithm not in KEY_TYPE_FOR_ALGORITHM:
        findings.failed(
            "signature",
            f"JWS algorithm {algorithm!r} is not allowed (use EdDSA, ES256 or RS256)",
            VerificationStatus.invalid,
        )
        return
    if "crit" in header:
        findings.failed(
            "signature",
            "JWS header has critical extensions this verifier does not support",
            VerificationStatus.invalid,
        )
        return

    try:
        if parsed.format is CredentialFormat.ob2_signed:
            key, key_source = _ob2_signing_key(parsed, settings, findings)
        else:
            key, key_source = _vc_jwt_signing_key(parsed, header, settings, findings)
    except KeyUnavailable as error:
        findings.warning(
            "signature",
            f"signature not checked: {error.reason}",
            VerificationStatus.unverified,
        )
        return
    if key is None:
        return

    if not _verify_signature(token, algorithm, key, key_source, findings):
        return
    findings.signature_checked = True

    if parsed.format is not CredentialFormat.ob2_signed:
        _check_jwt_claims(parsed, decoded.payload, now, findings)


def _vc_jwt_signing_key(
    parsed: ParsedCredential,
    header: dict[str, Any],
    settings: Settings,
    findings: _Findings,
) -> tuple[dict[str, Any] | None, str]:
    embedded = header.get("jwk")
    if isinstance(embedded, dict):
        # A key carried in the token itself proves only that the token was
        # not altered, not who issued it, so the credential stays unverified.
        findings.warning(
            "issuer_key",
            "the signing key is embedded in the JWT header, so it is not bound "
            f"to {describe_issuer(parsed.issuer_id)}",
            VerificationStatus.unverified,
        )
        return embedded, "the JWT header"

    kid = header.get("kid")
    key_id = kid if isinstance(kid, str) and kid.startswith("did:") else None
    if key_id is None and (parsed.issuer_id or "").startswith("did:key:"):
        key_id = parsed.issuer_id
    if key_id is None:
        raise KeyUnavailable(
            "the JWT header has no jwk and no DID kid, and the issuer is not a did:key"
        )

    key_controller = key_id.split("#", 1)[0]
    if key_controller != parsed.issuer_id:
        findings.failed(
            "issuer_key",
            f"signing key belongs to {key_controller}, not to "
            f"{describe_issuer(parsed.issuer_id)}",
            VerificationStatus.invalid,
        )
        return None, ""
    findings.passed("issuer_key", f"signing key {key_id} belongs to the issuer")
    return resolve_assertion_key(key_id, settings), key_id


def _ob2_signing_key(
    parsed: ParsedCredential, settings: Settings, findings: _Findings
) -> tuple[dict[str, Any] | None, str]:
    legacy_key_url = _ob1_key_url(parsed.raw)
    if legacy_key_url is not None:
        return _ob1_signing_key(parsed, legacy_key_url, settings, findings)

    # OB 2.0: the key must be one that the issuer's own profile lists. The
    # profile is read from the issuer's id, never from the signed payload,
    # which the signer controls.
    listed = _listed_issuer_keys(parsed, settings)
    verification = parsed.raw.get("verification")
    creator = verification.get("creator") if isinstance(verification, dict) else None
    if creator is None:
        if not listed:
            findings.failed(
                "issuer_key",
                f"the issuer profile {parsed.issuer_id} lists no publicKey, and "
                "the assertion names no verification.creator",
                VerificationStatus.invalid,
            )
            return None, ""
        tried = listed[:MAX_LISTED_KEYS]
        key_url, unreadable = _key_that_signed(parsed, tried, settings)
        if key_url is None and unreadable:
            raise KeyUnavailable(
                f"the assertion names no key, and {unreadable} of the keys its "
                "issuer lists cannot be read"
            )
        if key_url is None and len(listed) > len(tried):
            raise KeyUnavailable(
                f"the assertion names no key, and its issuer lists {len(listed)} "
                f"keys; only the first {len(tried)} are tried"
            )
        if key_url is None:
            findings.failed(
                "signature",
                f"signature does not verify with any of the {len(tried)} keys "
                "tried of those the issuer profile lists",
                VerificationStatus.invalid,
            )
            return None, ""
    elif not isinstance(creator, str):
        findings.failed(
            "issuer_key",
            "verification.creator is not a URL",
            VerificationStatus.invalid,
        )
        return None, ""
    elif creator not in listed:
        findings.failed(
            "issuer_key",
            f"key {creator} is not among the keys the issuer profile "
            f"{parsed.issuer_id} lists",
            VerificationStatus.invalid,
        )
        return None, ""
    else:
        key_url = creator
    jwk = _ob2_key(key_url, parsed.issuer_id, settings, findings)
    return jwk, key_url


def _listed_issuer_keys(parsed: ParsedCredential, settings: Settings) -> list[str]:
    try:
        profile = _read_issuer_profile(parsed, settings)
    except InputRejected as error:
        raise KeyUnavailable(
            f"the issuer profile, which lists its keys, cannot be read: {error.reason}"
        ) from None
    entries = profile.get("publicKey")
    if not isinstance(entries, list):
        entries = [entries]
    listed: list[str] = []
    for entry in entries:
        if isinstance(entry, dict):
            entry = entry.get("id")
        if isinstance(entry, str):
            listed.append(entry)
    return listed


def _key_that_signed(
    parsed: ParsedCredential, key_urls: list[str], settings: Settings
) -> tuple[str | None, int]:
    """Return the listed key that verifies the JWS, and how many were unreadable."""
    token = parsed.compact_jws or ""
    unreadable = 0
    for key_url in key_urls:
        probe = _Findings()
        try:
            jwk = _ob2_key(key_url, parsed.issuer_id, settings, probe)
        except KeyUnavailable:
            unreadable += 1
            continue
        if jwk is not None and _verify_signature(token, "RS256", jwk, key_url, probe):
            return key_url, unreadable
    return None, unreadable


def _ob2_key(
    key_url: str, issuer_id: str | None, settings: Settings, findings: _Findings
) -> dict[str, Any] | None:
    try:
        key_document = fetch_json(key_url, settings)
    except InputRejected as error:
        raise KeyUnavailable(f"key {error.reason}") from None
    if key_document.get("id", key_url) != key_url:
        findings.failed(
            "issuer_key",
            f"key document at {key_url} has a different id",
            VerificationStatus.invalid,
        )
        return None
    owner = key_document.get("owner")
    if owner != issuer_id:
        findings.failed(
            "issuer_key",
            f"key {key_url} names another owner than {describe_issuer(issuer_id)}",
            VerificationStatus.invalid,
        )
        return None
    pem = key_document.get("publicKeyPem")
    if not isinstance(pem, str):
        raise KeyUnavailable(f"key {key_url} has no publicKeyPem")
    findings.passed(
        "issuer_key", f"key {key_url} is listed by the issuer and owned by it"
    )
    return pem_to_jwk(pem)


def _ob1_signing_key(
    parsed: ParsedCredential, key_url: str, settings: Settings, findings: _Findings
) -> tuple[dict[str, Any] | None, str]:
    try:
        fetched = fetch_document(key_url, settings)
    except InputRejected as error:
        raise KeyUnavailable(f"key {error.reason}") from None
    content = fetched.content.removeprefix(UTF8_BOM).lstrip()
    if not content.startswith(PEM_BEGIN):
        raise KeyUnavailable(f"key {key_url} is not a PEM public key")
    # An issuer whose profile lists its keys (as OB 2.0 profiles do) names its
    # own keys; an old-style assertion cannot bring another.
    try:
        listed = _listed_issuer_keys(parsed, settings)
    except KeyUnavailable:
        listed = []
    if listed and key_url not in listed:
        findings.failed(
            "issuer_key",
            f"key {key_url} is not among the keys the issuer profile "
            f"{parsed.issuer_id} lists",
            VerificationStatus.invalid,
        )
        return None, ""
    return _ob1_pem_key(parsed, key_url, content, findings), key_url


def _ob1_pem_key(
    parsed: ParsedCredential, key_url: str, content: bytes, findings: _Findings
) -> dict[str, Any]:
    try:
        jwk = pem_to_jwk(content.decode("ascii"))
    except UnicodeDecodeError:
        raise KeyUnavailable(f"key {key_url} is not a PEM public key") from None
    # A bare PEM names no owner, and OB 1.x binds it to the issuer only by
    # origin. Anyone who can put a file on the issuer's site (a student page,
    # an upload folder) could sign with it, so the signature is checked but
    # the assertion stays unverified.
    issuer_origin = _origin(parsed.issuer_id)
    where = (
        "from the issuer's origin"
        if issuer_origin is not None and _origin(key_url) == issuer_origin
        else f"outside the issuer's origin {issuer_origin or '(unknown)'}"
    )
    findings.warning(
        "issuer_key",
        f"key {key_url} is a bare OB 1.x key served {where}; nothing but the "
        "site it sits on ties it to the issuer",
        VerificationStatus.unverified,
    )
    return jwk


def _host(url: str) -> str:
    return url.split("://", 1)[-1].split("/", 1)[0].lower()


def _origin(url: str | None) -> str | None:
    if url is None:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return f"{parts.scheme}://{parts.netloc.lower()}"


def _ob1_key_url(raw: dict[str, Any]) -> str | None:
    # OB 1.0 and 1.1 signed assertions name their bare PEM key in verify.url.
    verify = raw.get("verify")
    if (
        legacy_assertion_version(raw) is not None
        and isinstance(verify, dict)
        and str(verify.get("type", "")).lower() == "signed"
        and isinstance(verify.get("url"), str)
    ):
        return str(verify["url"])
    return None


def _verify_signature(
    token: str,
    algorithm: str,
    jwk: dict[str, Any],
    key_source: str,
    findings: _Findings,
) -> bool:
    key_type, curve = KEY_TYPE_FOR_ALGORITHM[algorithm]
    if jwk.get("kty") != key_type or (curve is not None and jwk.get("crv") != curve):
        findings.failed(
            "signature",
            f"JWS algorithm {algorithm} does not fit the {jwk.get('kty')} "
            f"{jwk.get('crv') or ''} key from {key_source}".replace("  ", " "),
            VerificationStatus.invalid,
        )
        return False

    if key_type == "RSA" and _rsa_bits(jwk) < MIN_RSA_BITS:
        findings.failed(
            "signature",
            f"the RSA key from {key_source} has {_rsa_bits(jwk)} bits; keys "
            f"under {MIN_RSA_BITS} bits can be forged, so the signature counts "
            "for nothing",
            VerificationStatus.invalid,
        )
        return False

    # Only the public members are imported, so a private key in a header is
    # never used.
    public_jwk = {
        name: jwk[name] for name in PUBLIC_JWK_MEMBERS[key_type] if name in jwk
    }
    try:
        key = JWK_CLASSES[key_type].import_key(public_jwk)
        registry = jws.JWSRegistry(algorithms=[algorithm])
        # joserfc's default header limit (512 bytes) is too small for a header
        # carrying an RSA jwk; the token size was already bounded on decoding.
        registry.max_header_length = MAX_JWS_HEADER_BYTES
        registry.max_payload_length = max(len(token), registry.max_payload_length)
        with warnings.catch_warnings():
            # joserfc warns that "EdDSA" is deprecated by RFC 9864 in favour of
            # "Ed25519"; issuers still use it, and both mean Ed25519 here.
            warnings.simplefilter("ignore")
            jws.deserialize_compact(token, key, registry=registry)
    except (JoseError, ValueError, TypeError) as error:
        findings.failed(
            "signature",
            f"{algorithm} signature does not verify with the key from {key_source} "
            f"({type(error).__name__})",
            VerificationStatus.invalid,
        )
        return False
    findings.passed(
        "signature", f"{algorithm} signature verified with the key from {key_source}"
    )
    return True


def _rsa_bits(jwk: dict[str, Any]) -> int:
    modulus = jwk.get("n")
    if not isinstance(modulus, str):
        return 0
    try:
        decoded = base64.urlsafe_b64decode(modulus + "=" * (-len(modulus) % 4))
    except ValueError:
        return 0
    return int.from_bytes(decoded, "big").bit_length()


def _check_jwt_claims(
    parsed: ParsedCredential,
    claims: dict[str, Any],
    now: datetime,
    findings: _Findings,
) -> None:
    # The registered claims bind whether the credential sits in a "vc" claim
    # (VCDM 1.1) or is the payload itself (VCDM 2.0).
    issuer_claim = claims.get("iss")
    if issuer_claim is not None and issuer_claim != parsed.issuer_id:
        findings.failed(
            "jwt_claims",
            f"JWT iss {issuer_claim} differs from the credential issuer "
            f"{parsed.issuer_id}",
            VerificationStatus.invalid,
        )
    jwt_id = claims.get("jti")
    if jwt_id is not None and jwt_id != parsed.credential_id:
        findings.failed(
            "jwt_claims",
            "JWT jti differs from the credential id",
            VerificationStatus.invalid,
        )
    subject_claim = claims.get("sub")
    subject_id = parsed.recipient.identity
    if subject_claim is not None and subject_id and subject_claim != subject_id:
        findings.failed(
            "jwt_claims",
            "JWT sub differs from the credential subject's id",
            VerificationStatus.invalid,
        )

    try:
        expires = parse_date(claims.get("exp"), "exp")
        not_before = parse_date(claims.get("nbf"), "nbf")
    except InputRejected as error:
        findings.failed("jwt_claims", error.reason, VerificationStatus.invalid)
        return
    if expires is not None and expires < now:
        findings.failed(
            "expiry",
            f"JWT expired at {expires.isoformat()}",
            VerificationStatus.expired,
        )
    if not_before is not None and not_before > now:
        findings.failed(
            "valid_from",
            f"JWT is not valid before {not_before.isoformat()}",
            VerificationStatus.not_yet_valid,
        )


def _check_ob2_hosted(
    parsed: ParsedCredential, settings: Settings, findings: _Findings
) -> None:
    raw = parsed.raw
    is_endorsement = parsed.format is CredentialFormat.ob2_endorsement
    noun = "endorsement" if is_endorsement else "assertion"
    verification = raw.get("verification") or raw.get("verify") or {}
    if isinstance(verification, dict):
        verification_types = type_names(verification) or ["hosted"]
    else:
        verification_types = []
    if not {name.lower() for name in verification_types} & HOSTED_TYPES:
        listed = ", ".join(verification_types) or "missing"
        findings.failed(
            "hosted_assertion",
            f"OB 2.0 verification type ({listed}) is not hosted, yet the {noun} is "
            "not a signed JWS",
            VerificationStatus.invalid,
        )
        return

    url = parsed.credential_id
    if not url or not url.startswith(("http://", "https://")):
        # OB 0.5 assertions and some 1.0 ones carry no URL to check against.
        findings.warning(
            "hosted_assertion",
            f"{noun} has no http(s) id, so there is no hosted copy to verify against",
            VerificationStatus.unverified,
        )
        return

    issuer = _hosted_issuer_profile(parsed, settings)
    if issuer is None:
        findings.warning(
            "hosted_assertion",
            f"the profile of {describe_issuer(parsed.issuer_id)} cannot be read, so "
            f"where its {noun}s may be hosted cannot be checked",
            VerificationStatus.unverified,
        )
        return
    if not _within_allowed_origins(url, parsed.issuer_id or "", issuer, noun, findings):
        return

    try:
        hosted = fetch_json(url, settings)
    except DocumentGone:
        findings.failed(
            "revocation",
            f"hosted {noun} {url} is gone (HTTP 410 Gone), so the issuer revoked it",
            VerificationStatus.revoked,
        )
        return
    except DocumentUnavailable as error:
        findings.warning(
            "hosted_assertion",
            f"hosted verification needs the hosted copy: {error.reason}",
            VerificationStatus.unverified,
        )
        return
    except InputRejected as error:
        findings.failed(
            "hosted_assertion",
            f"hosted copy is unusable: {error.reason}",
            VerificationStatus.invalid,
        )
        return

    if hosted.get("revoked") is True:
        reason = hosted.get("revocationReason")
        quoted = f" ({reason[:200]})" if isinstance(reason, str) and reason else ""
        findings.failed(
            "revocation",
            f"hosted {noun} {url} says the issuer revoked it{quoted}",
            VerificationStatus.revoked,
        )
        return
    fields = HOSTED_ENDORSEMENT_FIELDS if is_endorsement else HOSTED_ASSERTION_FIELDS
    for field_name in fields:
        if hosted.get(field_name) != raw.get(field_name):
            findings.failed(
                "hosted_assertion",
                f"hosted copy at {url} differs in {field_name}",
                VerificationStatus.invalid,
            )
            return
    findings.passed("hosted_assertion", f"hosted copy at {url} matches")
    findings.signature_checked = True


def _within_allowed_origins(
    url: str, issuer_url: str, issuer: dict[str, Any], noun: str, findings: _Findings
) -> bool:
    # An issuer may restrict where its hosted assertions live, so a copy on
    # another host cannot pass as the issuer's. Where its profile names no
    # allowedOrigins, OB 2.0 allows only the host of the issuer's own id.
    policy = issuer.get("verification")
    if not isinstance(policy, dict):
        policy = {}
    starts_with = policy.get("startsWith")
    prefixes = [starts_with] if isinstance(starts_with, str) else starts_with
    if isinstance(prefixes, list) and not any(
        isinstance(prefix, str) and url.startswith(prefix) for prefix in prefixes
    ):
        findings.failed(
            "hosted_assertion",
            f"{noun} id {url} is outside the issuer's verification.startsWith",
            VerificationStatus.invalid,
        )
        return False
    origins = policy.get("allowedOrigins")
    hosts = [origins] if isinstance(origins, str) else origins
    host = _host(url)
    if not isinstance(hosts, list):
        issuer_host = _host(issuer_url)
        if host != issuer_host:
            findings.failed(
                "hosted_assertion",
                f"{noun} is hosted on {host}, not on the issuer's host "
                f"{issuer_host}, and the issuer names no other allowed origin",
                VerificationStatus.invalid,
            )
            return False
    elif host not in hosts:
        findings.failed(
            "hosted_assertion",
            f"{noun} host {host} is not in the issuer's allowedOrigins",
            VerificationStatus.invalid,
        )
        return False
    return True


def _hosted_issuer_profile(
    parsed: ParsedCredential, settings: Settings
) -> dict[str, Any] | None:
    """Return the issuer profile as served at the issuer's id, or None."""
    try:
        return _read_issuer_profile(parsed, settings)
    except InputRejected:
        return None


def _read_issuer_profile(
    parsed: ParsedCredential, settings: Settings
) -> dict[str, Any]:
    """Read the issuer profile from the issuer's id, or raise InputRejected.

    Copies of the profile embedded in an assertion or badge class are never
    used for trust decisions, because the assertion's author wrote those too.
    """
    issuer_id = parsed.issuer_id
    if issuer_id is None or not issuer_id.startswith(("https://", "http://")):
        raise InputRejected("the issuer has no URL id")
    return fetch_json(issuer_id, settings)


def _check_embedded_proofs(
    parsed: ParsedCredential, settings: Settings, findings: _Findings
) -> None:
    # A proof whose key or context is not available offline leaves the
    # credential unverified. A bad signature, or a term that the signature
    # does not cover, makes it invalid.
    for finding in check_data_integrity_proofs(parsed.raw, parsed.issuer_id, settings):
        if finding.outcome is FindingOutcome.passed:
            findings.passed(finding.check, finding.message)
            if finding.check == "signature":
                findings.signature_checked = True
        elif finding.outcome is FindingOutcome.invalid:
            findings.failed(finding.check, finding.message, VerificationStatus.invalid)
        elif finding.outcome is FindingOutcome.unchecked:
            findings.warning(
                finding.check, finding.message, VerificationStatus.unverified
            )
        else:
            findings.warning(finding.check, finding.message)


def _check_dates(parsed: ParsedCredential, now: datetime, findings: _Findings) -> None:
    if parsed.expires_at is not None and parsed.expires_at < now:
        findings.failed(
            "expiry",
            f"credential expired on {parsed.expires_at.date().isoformat()}",
            VerificationStatus.expired,
        )
    elif parsed.expires_at is not None:
        findings.passed("expiry", "credential has not expired")
    if parsed.issued_at is not None and parsed.issued_at > now:
        findings.failed(
            "valid_from",
            f"credential is not valid before {parsed.issued_at.date().isoformat()}",
            VerificationStatus.not_yet_valid,
        )


def _check_recipient(
    parsed: ParsedCredential,
    identifiers: list[RecipientIdentifier],
    findings: _Findings,
) -> None:
    if not identifiers:
        findings.warning(
            "recipient",
            "the learner profile lists no identifiers, so the recipient cannot "
            "be checked",
            VerificationStatus.unverified,
        )
        return
    match = match_recipient(parsed, identifiers)
    if match is RecipientMatch.matched:
        findings.passed("recipient", "recipient matches the learner")
        findings.recipient_matched = True
    elif match is RecipientMatch.mismatched:
        findings.failed(
            "recipient",
            "recipient does not match the learner",
            VerificationStatus.invalid,
        )
    else:
        findings.warning(
            "recipient",
            "credential names no recipient identity that can be compared",
            VerificationStatus.unverified,
        )


def _note_recipient_unmatched(parsed: ParsedCredential, findings: _Findings) -> None:
    # Only the kind of recipient is named: the identity itself is personal data.
    recipient = parsed.recipient
    if recipient.identity:
        hashed = ", hashed" if recipient.hashed else ""
        named = (
            f"the credential names a recipient of type {recipient.type or 'id'}{hashed}"
        )
    elif parsed.identity_objects:
        named = "the credential names its recipient by identifier objects"
    else:
        named = "the credential names no recipient identity"
    findings.warning("recipient", f"no learner to match the recipient against; {named}")


def _check_revocation(
    parsed: ParsedCredential, settings: Settings, now: datetime, findings: _Findings
) -> None:
    if parsed.format in OB2_FORMATS and parsed.raw.get("revoked") is True:
        findings.failed(
            "revocation",
            "the assertion itself says its issuer revoked it",
            VerificationStatus.revoked,
        )
        return
    if parsed.format in OB2_FORMATS:
        results = [
            check_ob2_revocation(
                parsed.credential_id,
                _hosted_issuer_profile(parsed, settings),
                settings,
                uid=parsed.raw.get("uid")
                if isinstance(parsed.raw.get("uid"), str)
                else None,
            )
        ]
    else:
        results = check_credential_status(parsed, settings, now)

    for finding in results:
        if finding.revoked is True:
            findings.failed("revocation", finding.message, VerificationStatus.revoked)
        elif finding.revoked is False:
            findings.passed("revocation", finding.message)
        else:
            findings.warning(
                "revocation", finding.message, VerificationStatus.unverified
            )
