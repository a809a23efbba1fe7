"""Notes for the preview page on why a learner is hidden, or who can find them."""

from datetime import UTC, datetime
from typing import Any

from skillbeacon.privacy import is_minor


def hidden_reasons(document: dict[str, Any], now: datetime | None = None) -> list[str]:
    """List, in the learner's terms, the consent or age rules that hide them.

    The store's visibility filters decide visibility, and this function only
    names the likely rule. Show its output only when the store reports the
    learner as hidden from every employer.
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
        if not document.get("guardian_consent"):
            reasons.append(
                "You are under 18 and a parent or guardian has not consented, "
                "so employers cannot find you."
            )
        elif "youth_programs" not in document.get("consent_scopes", []):
            reasons.append(
                "You are under 18, so only employers enrolled in youth programs "
                "can find you, and only when your consent includes youth "
                "programs. Add youth programs to your consent with your school "
                "or wallet."
            )
    if not reasons:
        reasons.append("The consent rules currently hide you from employers.")
    return reasons


def visibility_limits(document: dict[str, Any]) -> list[str]:
    """List, in the learner's terms, which employers can find a visible learner.

    Show its output only when the store reports the learner as visible to
    some employer.
    """
    limits = []
    groups = document.get("employer_groups") or []
    if groups:
        limits.append(
            "You limited your consent to these employer groups, so only "
            f"employers in them can find you: {', '.join(groups)}."
        )
    if is_minor(document):
        limits.append(
            "You are under 18, so only employers enrolled in youth programs, "
            "such as internships and dual enrollment, can find you. They see "
            "your name only as initials and your location at most to your "
            "region. Your contact details are "
            "shared only with an employer whose request both you and your "
            "parent or guardian accept."
        )
    return limits
