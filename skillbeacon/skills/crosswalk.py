"""Crosswalks between frameworks: which concepts of two vocabularies mean the same.

An RSD or O*NET concept whose preferred label equals the preferred label of
an ESCO concept, after `normalize_label`, is crosswalked to that concept.
When no ESCO preferred label is equal, ESCO alternative labels count too.
The store writes each link into the `codes` of both concepts, so an
alignment or a search that reaches one concept reaches the other.
"""

from collections.abc import Iterable

from skillbeacon.models.skill import SkillConcept
from skillbeacon.skills.normalize import fold, normalize_label

# Frameworks whose concepts are crosswalked to ESCO by label. The built-in
# vocabulary lists its ESCO crosswalks by hand in its `codes`.
LABEL_CROSSWALK_FRAMEWORKS = ("rsd", "onet")
ESCO_FRAMEWORK = "esco"


def lookup_terms(labels: Iterable[str]) -> list[str]:
    """Return the strings to look labels up with in the `.exact` label fields.

    Those fields fold case and accents only, so both the folded label and its
    matching key are sent, and callers compare keys on the hits.
    """
    terms: dict[str, None] = {}
    for label in labels:
        for term in (fold(label), normalize_label(label)):
            if term:
                terms[term] = None
    return list(terms)


def crosswalk_pairs(
    others: Iterable[SkillConcept], esco_concepts: Iterable[SkillConcept]
) -> list[tuple[SkillConcept, SkillConcept]]:
    """Pair each RSD or O*NET concept with the ESCO concepts it shares a label with.

    ESCO concepts with an equal preferred label win. Only when none exists
    do those with an equal alternative label count.
    """
    by_preferred: dict[str, list[SkillConcept]] = {}
    by_alt: dict[str, list[SkillConcept]] = {}
    for esco in esco_concepts:
        if esco.framework != ESCO_FRAMEWORK:
            continue
        by_preferred.setdefault(normalize_label(esco.preferred_label), []).append(esco)
        for label in esco.alt_labels:
            by_alt.setdefault(normalize_label(label), []).append(esco)

    pairs = []
    for concept in others:
        if concept.framework not in LABEL_CROSSWALK_FRAMEWORKS:
            continue
        key = normalize_label(concept.preferred_label)
        if not key:
            continue
        matches = by_preferred.get(key) or by_alt.get(key) or []
        for esco in matches:
            pairs.append((concept, esco))
    return pairs
