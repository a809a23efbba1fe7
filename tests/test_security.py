"""Preview tokens: signing, expiry and malformed tokens."""

from datetime import UTC, datetime, timedelta

from skillbeacon.security import (
    PreviewTokenCheck,
    check_preview_token,
    preview_token,
    preview_token_expiry,
    verify_preview_token,
)
from skillbeacon.settings import Settings

SETTINGS = Settings(preview_secret="test-preview-secret")
NOW = datetime(2030, 1, 15, 12, 0, tzinfo=UTC)


def test_preview_token_has_version_and_expiry():
    expires_at = NOW + timedelta(days=3)

    token = preview_token("cand-verified", SETTINGS, expires_at=expires_at)

    version, expires, mac = token.split(".")
    assert version == "v1"
    assert int(expires) == int(expires_at.timestamp())
    assert len(mac) == 43
    assert "=" not in token


def test_preview_token_default_lifetime_from_settings():
    settings = SETTINGS.model_copy(update={"preview_token_days": 2})

    expires_at = preview_token_expiry(settings, now=NOW)

    assert expires_at == NOW + timedelta(days=2)
    assert SETTINGS.preview_token_days == 7


def test_preview_token_valid_before_expiry():
    token = preview_token("cand-verified", SETTINGS, expires_at=NOW + timedelta(1))

    result = verify_preview_token("cand-verified", token, SETTINGS, now=NOW)

    assert result == PreviewTokenCheck.valid
    assert check_preview_token("cand-verified", token, SETTINGS, now=NOW)


def test_preview_token_expired_rejected():
    expires_at = NOW + timedelta(days=1)
    token = preview_token("cand-verified", SETTINGS, expires_at=expires_at)

    at_expiry = verify_preview_token("cand-verified", token, SETTINGS, now=expires_at)
    later = NOW + timedelta(days=30)

    assert at_expiry == PreviewTokenCheck.expired
    assert not check_preview_token("cand-verified", token, SETTINGS, now=later)


def test_preview_token_new_default_token_is_current():
    token = preview_token("cand-verified", SETTINGS)

    assert check_preview_token("cand-verified", token, SETTINGS)


def test_preview_token_other_learner_rejected():
    token = preview_token("cand-verified", SETTINGS, expires_at=NOW + timedelta(1))

    result = verify_preview_token("cand-self", token, SETTINGS, now=NOW)

    assert result == PreviewTokenCheck.invalid


def test_preview_token_rotated_secret_rejected():
    token = preview_token("cand-verified", SETTINGS, expires_at=NOW + timedelta(1))
    rotated = Settings(preview_secret="rotated-preview-secret")

    result = verify_preview_token("cand-verified", token, rotated, now=NOW)

    assert result == PreviewTokenCheck.invalid


def test_preview_token_changed_expiry_rejected():
    token = preview_token("cand-verified", SETTINGS, expires_at=NOW - timedelta(1))
    version, expires, mac = token.split(".")
    extended = f"{version}.{int(expires) + 10 * 86400}.{mac}"

    result = verify_preview_token("cand-verified", extended, SETTINGS, now=NOW)

    assert result == PreviewTokenCheck.invalid


def test_preview_token_malformed_rejected():
    token = preview_token("cand-verified", SETTINGS, expires_at=NOW + timedelta(1))
    version, expires, mac = token.split(".")
    malformed = [
        "",
        "nonsense",
        mac,
        token[:-1],
        token + "A",
        "é" + token,
        f"v2.{expires}.{mac}",
        f"{version}..{mac}",
        f"{version}.-{expires}.{mac}",
        f"{version}.{expires}x.{mac}",
        f"{version}.{'9' * 13}.{mac}",
        f"{version}.{expires}.{mac}.extra",
        f"{version}.{expires}.{mac[:-1]}+",
    ]

    for candidate in malformed:
        result = verify_preview_token("cand-verified", candidate, SETTINGS, now=NOW)
        assert result == PreviewTokenCheck.invalid, candidate
