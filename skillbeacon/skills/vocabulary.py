"""An in-memory skill vocabulary that maps alignments, labels and text to concepts.

The indexer builds one `Vocabulary` per run from the skill index and calls it
for every credential, so each lookup is a dictionary access.
"""

import re
from collections.abc import Iterable, Iterator

from skillbeacon.models.candidate import SkillMatchKind
from skillbeacon.models.credential import Alignment
from skillbeacon.models.skill import SkillConcept
from skillbeacon.skills.normalize import (
    is_short_label,
    normalize_label,
    split_words,
)

# Maximum label length, in words, that free-text matching looks for. Longer
# labels still match by exact label, just not inside free text.
MAX_LABEL_WORDS = 8

_URL_SCHEME = re.compile(r"^https?://")

# Sentence ends and line breaks. A period inside or before a word, as in
# "Node.js" or ".NET", is no break because whitespace must follow it.
_SENTENCE_BREAK = re.compile(r"(?<=[.!?:;])\s+|\n+")


class Vocabulary:
    """Skill concepts indexed by skill id, URI, code and normalized label.

    When several concepts share an id, code or label, the one given first
    wins, so callers list the vocabulary they prefer first.
    """

    def __init__(self, concepts: Iterable[SkillConcept]) -> None:
        self._concepts: dict[str, SkillConcept] = {}
        self._by_reference: dict[str, SkillConcept] = {}
        self._by_code: dict[str, SkillConcept] = {}
        self._by_preferred: dict[str, SkillConcept] = {}
        self._by_alt: dict[str, SkillConcept] = {}
        # Short labels (R, C, Go) keyed by their exact spelling, for free text.
        self._short_labels: dict[str, SkillConcept] = {}

        for concept in concepts:
            self._add(concept)

    def _add(self, concept: SkillConcept) -> None:
        if concept.skill_id in self._concepts:
            return
        self._concepts[concept.skill_id] = concept

        self._by_reference.setdefault(_fold_reference(concept.skill_id), concept)
        if concept.uri:
            self._by_reference.setdefault(_fold_reference(concept.uri), concept)
        for code in concept.codes:
            self._by_code.setdefault(_fold_reference(code), concept)

        self._add_label(self._by_preferred, concept.preferred_label, concept)
        for label in concept.alt_labels:
            self._add_label(self._by_alt, label, concept)

    def _add_label(
        self, table: dict[str, SkillConcept], label: str, concept: SkillConcept
    ) -> None:
        key = normalize_label(label)
        if not key:
            return
        table.setdefault(key, concept)
        if is_short_label(label):
            self._short_labels.setdefault(label.strip(), concept)

    def __len__(self) -> int:
        return len(self._concepts)

    def __iter__(self) -> Iterator[SkillConcept]:
        return iter(self._concepts.values())

    def __contains__(self, skill_id: object) -> bool:
        return skill_id in self._concepts

    def get(self, skill_id: str) -> SkillConcept | None:
        return self._concepts.get(skill_id)

    def match_reference(self, reference: str) -> SkillConcept | None:
        """Find the concept with `reference` as its skill id, URI or one of its codes.

        Skill ids and URIs win over codes, because a code can be a crosswalk
        that several vocabularies share.
        """
        key = _fold_reference(reference)
        if not key:
            return None
        return self._by_reference.get(key) or self._by_code.get(key)

    def match_alignment(self, alignment: Alignment) -> SkillConcept | None:
        """Map an Open Badges or CLR alignment to a concept by its target.

        The target URL is tried first, then the target code, alone and as
        "<framework>:<code>". The target name is not used here, so callers
        fall back to `match_label` on it themselves.
        """
        if alignment.target_url:
            concept = self.match_reference(alignment.target_url)
            if concept is not None:
                return concept

        code = (alignment.target_code or "").strip()
        if not code:
            return None
        concept = self.match_reference(code)
        if concept is not None:
            return concept

        framework = (alignment.target_framework or "").strip().lower()
        if framework:
            return self.match_reference(f"{framework}:{code}")
        return None

    def match_label(self, text: str) -> tuple[SkillConcept, SkillMatchKind] | None:
        """Find the concept a whole label names: preferred labels first, then alt."""
        key = normalize_label(text)
        if not key:
            return None

        concept = self._by_preferred.get(key)
        if concept is not None:
            return concept, SkillMatchKind.label
        concept = self._by_alt.get(key)
        if concept is not None:
            return concept, SkillMatchKind.alt_label
        return None

    def find_in_text(self, text: str) -> list[SkillConcept]:
        """Find concepts whose labels occur as whole words in free text.

        At each word the longest label wins and its words are consumed, so
        "critical thinking" yields that concept and not also "thinking".
        Words keep C++, C#, .NET, Node.js and R&D whole, so "Java" never
        matches inside "JavaScript", "R" never inside "R&D" and "Go" never
        inside "going".

        One- and two-letter labels (R, C, Go, AI) are also ordinary words or
        initials. So they match only when written exactly as the label, case
        included. A title-case one such as "Go" also never matches as the
        first word of a sentence or line, but "Go" inside a sentence does.
        Concepts are returned once each, in order of first occurrence.
        """
        found: dict[str, SkillConcept] = {}

        # Labels never span sentences. The first word of a sentence or line
        # is capitalized anyway, so its case cannot tell "Go" from "go".
        for sentence in _SENTENCE_BREAK.split(text):
            words = split_words(sentence)
            position = 0
            while position < len(words):
                concept, length = self._longest_label_at(words, position)
                if concept is not None:
                    found.setdefault(concept.skill_id, concept)
                position += length

        return list(found.values())

    def _longest_label_at(
        self, words: list[str], start: int
    ) -> tuple[SkillConcept | None, int]:
        longest = min(MAX_LABEL_WORDS, len(words) - start)
        for length in range(longest, 0, -1):
            window = words[start : start + length]
            if length == 1 and is_short_label(window[0]):
                concept = self._short_label_at(words, start)
            else:
                key = normalize_label(" ".join(window))
                concept = self._by_preferred.get(key) or self._by_alt.get(key)
            if concept is not None:
                return concept, length
        return None, 1

    def _short_label_at(self, words: list[str], index: int) -> SkillConcept | None:
        word = words[index]
        concept = self._short_labels.get(word)
        if concept is None:
            return None

        title_case = len(word) > 1 and word[0].isupper() and word[1:].islower()
        if title_case and index == 0:
            return None
        return concept


def _fold_reference(reference: str) -> str:
    """Fold an id or URL for lookup: no case, scheme, outer space or trailing slash.

    Alignments name ESCO concepts with http and https alike, so the scheme
    does not count.
    """
    folded = reference.strip().rstrip("/").casefold()
    return _URL_SCHEME.sub("", folded)
