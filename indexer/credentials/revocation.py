"""Revocation checks: OB 2.0 RevocationLists and W3C Bitstring Status Lists.

Lists are read through the offline URL map. A list that cannot be read, or
is itself defective, leaves the revocation status unknown.
"""

import base64
import binascii
import zlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from indexer.credentials.parse import parse_date, type_names
from indexer.credentials.url_map import fetch_json
from indexer.errors import InputRejected
from skillbeacon.settings import Settings

STATUS_ENTRY_TYPES = frozenset({"BitstringStatusListEntry", "StatusList2021Entry"})
STATUS_LIST_TYPES = frozenset(
    {"BitstringStatusListCredential", "StatusList2021Credential"}
)
REVOKING_PURPOSES = frozenset({"revocation", "suspension"})


@dataclass(frozen=True)
class RevocationFinding:
    """Whether the credential is revoked: True, False, or None when unknown."""

    revoked: bool | None
    message: str


def check_ob2_revocation(
    assertion_id: str | None, issuer: dict[str, Any] | None, settings: Settings
) -> RevocationFinding:
    """Look the assertion id up in its issuer's RevocationList."""
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

    revoked_ids: set[str] = set()
    entries = revocation_list.get("revokedAssertions", [])
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, str):
            revoked_ids.add(entry)
        elif isinstance(entry, dict):
            revoked_ids.update(
                value
                for key in ("id", "uid")
                if isinstance(value := entry.get(key), str)
            )
    if assertion_id is not None and assertion_id in revoked_ids:
        return RevocationFinding(True, f"assertion is listed in {list_url}")
    return RevocationFinding(False, f"assertion is not listed in {list_url}")


def check_credential_status(
    status: Any, settings: Settings, now: datetime
) -> list[RevocationFinding]:
    """Check each ``credentialStatus`` entry of a verifiable credential."""
    if status is None:
        return [RevocationFinding(False, "credential has no credentialStatus")]
    entries = status if isinstance(status, list) else [status]
    return [_check_status_entry(entry, settings, now) for entry in entries]


def _check_status_entry(
    entry: Any, settings: Settings, now: datetime
) -> RevocationFinding:
    if not isinstance(entry, dict):
        return RevocationFinding(None, "credentialStatus entry is not an object")
    entry_types = set(type_names(entry))
    if not entry_types & STATUS_ENTRY_TYPES:
        shown = ", ".join(sorted(entry_types)) or "without a type"
        return RevocationFinding(
            None, f"revocation status not checked: status type {shown} is not supported"
        )

    purpose = entry.get("statusPurpose", "revocation")
    list_url = entry.get("statusListCredential")
    try:
        index = int(entry.get("statusListIndex", ""))
    except (TypeError, ValueError):
        return RevocationFinding(None, "statusListIndex is not an integer")
    if not isinstance(list_url, str) or index < 0:
        return RevocationFinding(
            None, "credentialStatus has no statusListCredential or a negative index"
        )

    try:
        status_list = fetch_json(list_url, settings)
        bits = _status_list_bits(status_list, list_url, settings, now)
    except InputRejected as error:
        return RevocationFinding(None, f"revocation status not checked: {error.reason}")

    if index >= len(bits) * 8:
        return RevocationFinding(
            None, f"statusListIndex {index} is outside the list {list_url}"
        )
    is_set = bits[index // 8] & (0x80 >> (index % 8)) != 0
    if is_set and purpose in REVOKING_PURPOSES:
        return RevocationFinding(True, f"{purpose} bit {index} is set in {list_url}")
    # TODO: verify the status list credential's own proof once Data Integrity
    # proofs are verified; until then a forged list could hide a revocation.
    return RevocationFinding(
        False,
        f"{purpose} bit {index} is not set in {list_url} (list proof not checked)",
    )


def _status_list_bits(
    status_list: dict[str, Any], list_url: str, settings: Settings, now: datetime
) -> bytes:
    if not set(type_names(status_list)) & STATUS_LIST_TYPES:
        raise InputRejected(f"{list_url} is not a BitstringStatusListCredential")
    valid_until = parse_date(
        status_list.get("validUntil", status_list.get("expirationDate")), "validUntil"
    )
    valid_from = parse_date(
        status_list.get("validFrom", status_list.get("issuanceDate")), "validFrom"
    )
    if valid_until is not None and valid_until < now:
        raise InputRejected(f"status list {list_url} expired on {valid_until.date()}")
    if valid_from is not None and valid_from > now:
        raise InputRejected(
            f"status list {list_url} is not valid until {valid_from.date()}"
        )

    subject = status_list.get("credentialSubject")
    encoded = subject.get("encodedList") if isinstance(subject, dict) else None
    if not isinstance(encoded, str):
        raise InputRejected(f"status list {list_url} has no encodedList")
    # Bitstring Status List uses multibase base64url ('u' prefix); the older
    # StatusList2021 uses bare base64url. Both are GZIP-compressed.
    if encoded.startswith("u"):
        encoded = encoded[1:]
    try:
        compressed = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
    except (binascii.Error, ValueError):
        raise InputRejected(
            f"status list {list_url} encodedList is not base64url"
        ) from None
    return _gunzip_bounded(compressed, settings.max_input_bytes, list_url)


def _gunzip_bounded(data: bytes, max_bytes: int, list_url: str) -> bytes:
    decompressor = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        output = decompressor.decompress(data, max_bytes + 1)
    except zlib.error:
        raise InputRejected(
            f"status list {list_url} encodedList is not GZIP data"
        ) from None
    if len(output) > max_bytes or decompressor.unconsumed_tail:
        raise InputRejected(
            f"status list {list_url} expands to more than {max_bytes} bytes"
        )
    return output
