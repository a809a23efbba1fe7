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
        # TODO: no API or UI path searches with include_minors yet, because
        # employers cannot sign in. Reword these notes when youth-program
        # employers can sign in and search.
        if not document.get("guardian_consent"):
            reasons.append(
                "You are under 18 and a parent or guardian has not consented, "
                "so employers cannot find you."
            )
        elif "youth_programs" in document.get("consent_scopes", []):
            reasons.append(
                "You are under 18, so employer search does not show you yet. "
                "Your guardian has consented and you agreed to youth programs, "
                "so youth-program employers will see you once they can sign in. "
                "They cannot sign in yet."
            )
        else:
            reasons.append(
                "You are under 18, so employer search does not show you yet. "
                "To be shown to youth-program employers once they can sign in, "
                "your consent must also include youth programs."
            )
    if not reasons:
        reasons.append("The consent rules currently hide you from employers.")
    return reasons
