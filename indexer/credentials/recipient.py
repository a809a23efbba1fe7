"""Recipient binding: does a credential name the learner who submitted it?"""

import hashlib
from enum import StrEnum

from skillbeacon.models.credential import ParsedCredential, Recipient
from skillbeacon.models.profile import RecipientIdentifier

# OB 2.0 recipient types and OB 3.0 identityType values, as learner
# identifier types. OB 3.0 types without a learner equivalent (studentId,
# sourcedId, ...) cannot be compared and are skipped.
IDENTITY_TYPES = {
    "email": "email",
    "emailAddress": "email",
    "url": "url",
    "telephone": "telephone",
    "phone": "telephone",
    "did": "did",
}
HASH_ALGORITHMS = {"sha256": hashlib.sha256, "md5": hashlib.md5}


class RecipientMatch(StrEnum):
    matched = "matched"
    mismatched = "mismatched"
    absent = "absent"


def match_recipient(
    parsed: ParsedCredential, identifiers: list[RecipientIdentifier]
) -> RecipientMatch:
    """Compare the credential's recipient and subject ids with the learner's.

    ``absent`` means the credential names no identity this product can
    compare, so it can neither pass nor fail the binding.
    """
    comparable = False

    subject_id = parsed.recipient.identity if parsed.recipient.type == "id" else None
    if subject_id:
        comparable = True
        for identifier in identifiers:
            if _subject_id_matches(subject_id, identifier):
                return RecipientMatch.matched

    recipients = list(parsed.identity_objects)
    if parsed.recipient.type != "id" and parsed.recipient.identity:
        recipients.append(parsed.recipient)

    for recipient in recipients:
        learner_type = IDENTITY_TYPES.get(recipient.type or "")
        if learner_type is None:
            continue
        comparable = True
        for identifier in identifiers:
            if identifier.type == learner_type and _identity_matches(
                recipient, identifier
            ):
                return RecipientMatch.matched

    return RecipientMatch.mismatched if comparable else RecipientMatch.absent


def _subject_id_matches(subject_id: str, identifier: RecipientIdentifier) -> bool:
    value = identifier.value.strip()
    if identifier.type == "email":
        return subject_id.lower() == f"mailto:{value.lower()}"
    if identifier.type == "telephone":
        return subject_id == f"tel:{value}"
    return subject_id == value


def _identity_matches(recipient: Recipient, identifier: RecipientIdentifier) -> bool:
    identity = (recipient.identity or "").strip()
    candidates = [identifier.value.strip()]
    if identifier.type == "email":
        # Issuers hash the address as they stored it; most store it lower-case.
        candidates.append(candidates[0].lower())

    if not recipient.hashed:
        if identifier.type == "email":
            return identity.lower() == candidates[0].lower()
        return identity == candidates[0]

    algorithm, separator, expected_hex = identity.partition("$")
    hash_function = HASH_ALGORITHMS.get(algorithm.lower()) if separator else None
    if hash_function is None:
        return False
    salt = recipient.salt or ""
    expected = expected_hex.lower()
    return any(
        hash_function((candidate + salt).encode("utf-8")).hexdigest() == expected
        for candidate in candidates
    )
