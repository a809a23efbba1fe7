"""Reasons and weights of resolved skill names, and how they are ordered.

The store finds the concepts a typed name reaches. This module decides how
much each one counts: the ranking query multiplies a skill's points by the
weight, so a weaker link raises a candidate less.
"""

from skillbeacon.models.search import ConceptMatch

# Direct matches of the typed name. A typed id, URI or code and an exact
# preferred label are certain, an alternative label nearly so. A stem match
# ("nurse" for "nursing") has the same words up to inflection. A text match
# is a guess, scaled by its relevance score up to TEXT_MATCH_MAX_WEIGHT when
# the label has every word of the name, or LOOSE_TEXT_MAX_WEIGHT when it has
# only some of them.
ID_WEIGHT = 1.0
EXACT_LABEL_WEIGHT = 1.0
ALT_LABEL_WEIGHT = 0.9
STEM_WEIGHT = 0.8
TEXT_MATCH_MAX_WEIGHT = 0.6
LOOSE_TEXT_MAX_WEIGHT = 0.3
MIN_WEIGHT = 0.01

# Concepts reached from a direct match count with the weight of that match
# times a factor. A crosswalk links two frameworks' names for one skill.
# Broader and narrower concepts are related skills, not the same one.
CROSSWALK_FACTOR = 0.9
BROADER_FACTOR = 0.5
NARROWER_FACTOR = 0.5

# Reasons whose concepts are followed to crosswalks, broader and narrower
# concepts. Text matches are guesses, so nothing is reached from them.
EXPANDED_REASONS = frozenset({"id", "exact_label", "alt_label", "stem"})

# Among equal weights, a direct reason comes before a reached one.
REASON_ORDER = {
    "id": 0,
    "exact_label": 1,
    "alt_label": 2,
    "crosswalk": 3,
    "stem": 4,
    "text": 5,
    "broader": 6,
    "narrower": 7,
}


def reached_weight(source_weight: float, factor: float) -> float:
    """Return the weight of a concept reached from a match of `source_weight`."""
    return round(max(source_weight * factor, MIN_WEIGHT), 3)


def text_weight(score: float, best_score: float, max_weight: float) -> float:
    """Scale a text match's relevance score relative to the best one to max_weight."""
    best = best_score or 1.0
    return round(max(max_weight * score / best, MIN_WEIGHT), 3)


def merge_matches(
    matches: list[ConceptMatch], framework_order: dict[str, int]
) -> list[ConceptMatch]:
    """Keep each concept once, with its highest weight, and order best first.

    Ties go to the more direct reason, then the preferred framework, then
    the skill id, so the order is stable.
    """
    best: dict[str, ConceptMatch] = {}
    for match in matches:
        known = best.get(match.skill_id)
        if known is None or _sort_key(match, framework_order) < _sort_key(
            known, framework_order
        ):
            best[match.skill_id] = match
    return sorted(best.values(), key=lambda match: _sort_key(match, framework_order))


def _sort_key(
    match: ConceptMatch, framework_order: dict[str, int]
) -> tuple[float, int, int, str]:
    return (
        -match.weight,
        REASON_ORDER.get(match.reason, 9),
        framework_order.get(match.framework, 9),
        match.skill_id,
    )
