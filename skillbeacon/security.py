"""Signed links that let a learner preview their own employer-facing card."""

import base64
import hashlib
import hmac

from skillbeacon.settings import Settings

# The purpose prefix keeps a preview token from being valid for any other
# HMAC use of the same secret.
_PREVIEW_PURPOSE = b"skillbeacon-preview:"


def preview_token(learner_id: str, settings: Settings) -> str:
    """Sign a learner id for the preview link (HMAC-SHA256, urlsafe base64)."""
    # TODO: preview tokens never expire and cannot be revoked one by one;
    # replace them with learner sign-in when accounts exist.
    key = settings.preview_secret.get_secret_value().encode("utf-8")
    message = _PREVIEW_PURPOSE + learner_id.encode("utf-8")
    digest = hmac.new(key, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def check_preview_token(learner_id: str, token: str, settings: Settings) -> bool:
    """Return whether token is the preview token of learner_id.

    The comparison takes the same time wherever the first differing byte is.
    """
    expected = preview_token(learner_id, settings).encode("ascii")
    return hmac.compare_digest(expected, token.encode("utf-8"))
