"""Reasons a learner's card is hidden from employers, for the preview page."""

from datetime import UTC, datetime
from typing import Any

from skillbeacon.privacy import is_minor


def hidden_reasons(document: dict[str, Any], now: datetime | None = None) -> list[str]:
    """List, in the learner's terms, the consent or age rules that hide them.

    The store's visibility filters decide visibility, and this function only
    names the likely rule. Show its output only when the store reports the
    learner as hidden.
    """
    now = now or datetime.now(UTC)
    reasons = []
    if "employer_search" not in document.get("consent_scopes", []):
        reasons.append(
            "Your consent does not include employer search, so no employer "
            "can find you. Update your consent with your school or wallet."
        )
    granted = document.get("consent_granted_at")
    if granted and datetime.fromisoformat(granted) > now:
        reasons.append(f"Your consent takes effect on {granted[:10]}.")
    if is_minor(document):
        if document.get("guardian_consent"):
            reasons.append(
                "You are under 18, so employer search does not show you. Only "
                "youth programs your guardian agreed to can find you."
            )
        else:
            reasons.append(
                "You are under 18 and a parent or guardian has not consented, "
                "so employers cannot find you."
            )
    if not reasons:
        reasons.append("The consent rules currently hide you from employers.")
    return reasons
