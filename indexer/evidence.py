"""Map verified credentials and self-reports to skills with evidence strength."""

from collections.abc import Iterable
from dataclasses import dataclass

from skillbeacon.models.candidate import EvidenceLevel, SkillEvidence, SkillMatchKind
from skillbeacon.models.credential import (
    Achievement,
    ParsedCredential,
    VerificationResult,
    VerificationStatus,
)
from skillbeacon.models.skill import SkillConcept
from skillbeacon.skills.vocabulary import Vocabulary

# Strength of one piece of evidence, before adjustments. A verified credential
# outweighs an unverified one, which outweighs a self-report.
BASE_STRENGTH = {
    EvidenceLevel.verified: 0.8,
    EvidenceLevel.unverified: 0.45,
    EvidenceLevel.self_reported: 0.2,
}
# A skill found only in free text is less certain than an alignment or a name.
FREE_TEXT_FACTOR = 0.6
# Each further credential for the same skill adds a little, up to a cap that
# keeps the best verified evidence below 1.0.
EXTRA_CREDENTIAL_BONUS = 0.05
MAX_STRENGTH = 0.99

STATUS_TO_LEVEL = {
    VerificationStatus.verified: EvidenceLevel.verified,
    VerificationStatus.unverified: EvidenceLevel.unverified,
}
LEVEL_RANK = {
    EvidenceLevel.verified: 3,
    EvidenceLevel.unverified: 2,
    EvidenceLevel.self_reported: 1,
}
MATCH_RANK = {
    SkillMatchKind.alignment: 5,
    SkillMatchKind.label: 4,
    SkillMatchKind.alt_label: 3,
    SkillMatchKind.self_reported: 2,
    SkillMatchKind.free_text: 1,
}


@dataclass(frozen=True)
class SkillHit:
    concept: SkillConcept
    match: SkillMatchKind


def skills_of_achievement(
    achievement: Achievement, vocabulary: Vocabulary
) -> list[SkillHit]:
    """Find the skills an achievement names: alignments, then name, then text."""
    hits: dict[str, SkillHit] = {}
    for alignment in achievement.alignments:
        concept = vocabulary.match_alignment(alignment)
        if concept is not None:
            hits.setdefault(
                concept.skill_id, SkillHit(concept, SkillMatchKind.alignment)
            )
            continue
        if alignment.target_name:
            found = vocabulary.match_label(alignment.target_name)
            if found is not None:
                hits.setdefault(found[0].skill_id, SkillHit(found[0], found[1]))

    found = vocabulary.match_label(achievement.name)
    if found is not None:
        hits.setdefault(found[0].skill_id, SkillHit(found[0], found[1]))
    for tag in achievement.tags:
        found = vocabulary.match_label(tag)
        if found is not None:
            hits.setdefault(found[0].skill_id, SkillHit(found[0], found[1]))

    if not hits:
        text = " ".join(
            part
            for part in (
                achievement.name,
                achievement.description,
                achievement.criteria,
            )
            if part
        )
        for concept in vocabulary.find_in_text(text):
            if not _trusted_in_free_text(concept):
                continue
            hits.setdefault(
                concept.skill_id, SkillHit(concept, SkillMatchKind.free_text)
            )
    return list(hits.values())


def _trusted_in_free_text(concept: SkillConcept) -> bool:
    """Keep free-text hits to labels specific enough to mean the skill.

    Large frameworks such as ESCO have one-word alternative labels ("design",
    "monitor") that occur in any description, so their concepts count in
    free text only when the preferred label has two or more words.
    NOTE: a one-word alternative label of such a concept still matches,
    because find_in_text does not say which label it found.
    """
    if concept.framework == "skillbeacon":
        return True
    return len(concept.preferred_label.split()) >= 2


@dataclass
class _Accumulator:
    concept: SkillConcept
    level: EvidenceLevel
    match: SkillMatchKind
    strength: float
    credential_ids: list[str]


class EvidenceBuilder:
    """Collects evidence per skill for one learner."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self._skills: dict[str, _Accumulator] = {}

    def add_credential(
        self,
        credential_id: str,
        parsed: ParsedCredential,
        result: VerificationResult,
    ) -> list[str]:
        """Record a credential's skills; return their ids.

        Invalid, expired and revoked credentials are shown to employers with
        their status but are not evidence for any skill.
        """
        hits = skills_of_achievement(parsed.achievement, self.vocabulary)
        level = STATUS_TO_LEVEL.get(result.status)
        if level is None:
            return [hit.concept.skill_id for hit in hits]
        for hit in hits:
            strength = BASE_STRENGTH[level]
            if hit.match is SkillMatchKind.free_text:
                strength *= FREE_TEXT_FACTOR
            self._add(hit.concept, level, hit.match, strength, credential_id)
        return [hit.concept.skill_id for hit in hits]

    def add_self_reported(self, names: Iterable[str]) -> list[str]:
        """Record self-reported skills; return the names that matched no skill."""
        unknown = []
        for name in names:
            found = self.vocabulary.match_label(name)
            if found is None:
                unknown.append(name)
                continue
            self._add(
                found[0],
                EvidenceLevel.self_reported,
                SkillMatchKind.self_reported,
                BASE_STRENGTH[EvidenceLevel.self_reported],
                None,
            )
        return unknown

    def _add(
        self,
        concept: SkillConcept,
        level: EvidenceLevel,
        match: SkillMatchKind,
        strength: float,
        credential_id: str | None,
    ) -> None:
        current = self._skills.get(concept.skill_id)
        if current is None:
            self._skills[concept.skill_id] = _Accumulator(
                concept=concept,
                level=level,
                match=match,
                strength=strength,
                credential_ids=[credential_id] if credential_id else [],
            )
            return
        if credential_id and credential_id not in current.credential_ids:
            current.credential_ids.append(credential_id)
            bonus = EXTRA_CREDENTIAL_BONUS
        else:
            bonus = 0.0
        if LEVEL_RANK[level] > LEVEL_RANK[current.level]:
            current.level = level
        if MATCH_RANK[match] > MATCH_RANK[current.match]:
            current.match = match
        current.strength = min(MAX_STRENGTH, max(current.strength, strength) + bonus)

    def evidence(self) -> list[SkillEvidence]:
        items = sorted(
            self._skills.values(),
            key=lambda item: (-item.strength, item.concept.skill_id),
        )
        return [
            SkillEvidence(
                skill_id=item.concept.skill_id,
                label=item.concept.preferred_label,
                framework=item.concept.framework,
                evidence_level=item.level,
                strength=round(item.strength, 4),
                match=item.match,
                credential_ids=item.credential_ids,
            )
            for item in items
        ]
