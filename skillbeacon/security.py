"""Signed links that let a learner preview their own employer-facing card.

A preview token reads `v1.<expires>.<mac>`: the format version, the expiry
in whole seconds since the Unix epoch (UTC), and an HMAC-SHA256 over the
learner id and that expiry, in urlsafe base64 without padding. Changing
SKILLBEACON_PREVIEW_SECRET invalidates every token signed before, which is
the only way to revoke a link before it expires.
"""

import base64
import hashlib
import hmac
import re
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from skillbeacon.settings import Settings

PREVIEW_TOKEN_VERSION = "v1"  # noqa: S105 - a format tag, not a secret

# The purpose prefix keeps a preview token from being valid for any other
# HMAC use of the same secret.
_PREVIEW_PURPOSE = b"skillbeacon-preview:"

# Twelve digits cover every expiry up to the year 33658, so a longer number
# is malformed rather than a far-future link.
_TOKEN_PATTERN = re.compile(r"v1\.([0-9]{1,12})\.([A-Za-z0-9_-]{43})")


class PreviewTokenCheck(StrEnum):
    """The result of checking a preview token against a learner id."""

    valid = "valid"
    expired = "expired"
    invalid = "invalid"


def preview_token_expiry(settings: Settings, now: datetime | None = None) -> datetime:
    """Return when a token signed now expires, preview_token_days from now.

    The expiry is cut to whole seconds, as the token stores it.
    """
    now = now or datetime.now(UTC)
    expires_at = now + timedelta(days=settings.preview_token_days)
    return expires_at.replace(microsecond=0)


def _preview_mac(learner_id: str, expires: int, settings: Settings) -> str:
    key = settings.preview_secret.get_secret_value().encode("utf-8")
    # The expiry is digits only and ends at the colon, so no two
    # (expiry, learner id) pairs give the same message.
    message = b"%s%s:%d:%s" % (
        _PREVIEW_PURPOSE,
        PREVIEW_TOKEN_VERSION.encode("ascii"),
        expires,
        learner_id.encode("utf-8"),
    )
    digest = hmac.new(key, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def preview_token(
    learner_id: str, settings: Settings, expires_at: datetime | None = None
) -> str:
    """Sign a preview token for learner_id that expires at expires_at.

    Without expires_at, the token expires preview_token_days from now.
    """
    if expires_at is None:
        expires_at = preview_token_expiry(settings)
    expires = int(expires_at.timestamp())
    mac = _preview_mac(learner_id, expires, settings)
    return f"{PREVIEW_TOKEN_VERSION}.{expires}.{mac}"


def verify_preview_token(
    learner_id: str, token: str, settings: Settings, now: datetime | None = None
) -> PreviewTokenCheck:
    """Check that token was signed for learner_id and has not expired.

    A token is reported expired only when its MAC is valid, so a forger
    learns nothing from an expired result. The MAC comparison takes the same
    time wherever the first differing byte is. Whether the token is
    malformed is decided from its shape alone, which is not secret.
    """
    match = _TOKEN_PATTERN.fullmatch(token)
    if match is None:
        return PreviewTokenCheck.invalid

    expires = int(match.group(1))
    expected = _preview_mac(learner_id, expires, settings).encode("ascii")
    if not hmac.compare_digest(expected, match.group(2).encode("ascii")):
        return PreviewTokenCheck.invalid

    now = now or datetime.now(UTC)
    if now.timestamp() >= expires:
        return PreviewTokenCheck.expired
    return PreviewTokenCheck.valid


def check_preview_token(
    learner_id: str, token: str, settings: Settings, now: datetime | None = None
) -> bool:
    """Return whether token is a current preview token of learner_id."""
    result = verify_preview_token(learner_id, token, settings, now)
    return result == PreviewTokenCheck.valid
