"""Label normalization: the one place that decides when two skill names are equal.

Matching compares normalized keys, while concepts keep their labels as written
for display. A key is case-folded, free of accents and of repeated whitespace,
and keeps the punctuation that technology names need (C++, C#, F#, .NET,
Node.js, R&D). Common spellings of those names map to one form, so "NodeJS",
"Node JS" and "node.js" share the key "node.js".
"""

import re
import unicodedata

# Splits text into words the way the `skill_text` analyzer of the skill index
# does: letters, digits, +, #, . and & stay inside a word, and a period that
# ends a sentence is a separator. The underscore counts as a separator because
# `\w` would keep it while the index tokenizer (`\p{L}\p{N}`) does not.
_SEPARATOR = re.compile(r"(?:[^\w+#.&]|_)+|\.(?=\s|$)")

# Hyphens and slashes join words ("problem-solving", "first-aid"), so they
# compare equal to a space, in labels and in free text alike.
_JOINERS = re.compile(r"[\-\u2010-\u2015/]+")

# Spelling variants of technology names, applied to the folded, whitespace-
# collapsed key. Each pattern must match whole words only.
_VARIANTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?<![\w.])node\s?\.?\s?js(?![\w+#])"), "node.js"),
    (re.compile(r"(?<![\w.])(?:dot\s?net|\.\s?net)(?![\w+#])"), ".net"),
    (re.compile(r"(?<![\w.])c\s?(?:sharp|#)(?![\w+#])"), "c#"),
    (re.compile(r"(?<![\w.])f\s?(?:sharp|#)(?![\w+#])"), "f#"),
    (re.compile(r"(?<![\w.])(?:c\s?plus\s?plus|c\s?\+\s?\+|cpp)(?![\w+#])"), "c++"),
)

# Characters stripped from both ends of a key: quotes, brackets and sentence
# punctuation. A leading period stays because it belongs to ".NET".
_EDGE_PUNCTUATION = " \t\n\"'`\u2018\u2019\u201c\u201d([{)]},;:!?*"


def strip_accents(text: str) -> str:
    """Remove combining marks, so "résumé" becomes "resume"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def fold(text: str) -> str:
    """Case-fold, strip accents and collapse whitespace, keeping all punctuation.

    It approximates the `folded` normalizer (lowercase, asciifolding) of the
    `.exact` subfields of the skill index, so folded strings can be sent in
    term and prefix queries on them. Unlike the normalizer, it collapses
    whitespace.
    """
    folded = strip_accents(text).casefold()
    return " ".join(folded.split())


def normalize_label(text: str) -> str:
    """Return the matching key of a skill label or of a name someone typed."""
    key = fold(text)
    key = _JOINERS.sub(" ", key)
    key = key.strip(_EDGE_PUNCTUATION)
    key = key.rstrip(".")
    key = " ".join(key.split())

    for pattern, replacement in _VARIANTS:
        key = pattern.sub(replacement, key)
    return key


def split_words(text: str) -> list[str]:
    """Split text into words as written, keeping C++, C#, .NET, Node.js and R&D.

    Hyphens and slashes separate words. Each word keeps its case and accents,
    so callers can check how a short name was written.
    """
    spaced = _JOINERS.sub(" ", text)
    return [word for word in _SEPARATOR.split(spaced) if word]


def is_short_label(label: str) -> bool:
    """Return whether a label is a one- or two-letter name such as R, C or Go.

    Such names are also common words or initials, so free-text matching treats
    them with care. Names with symbols, such as C# or F#, are not short.
    """
    stripped = label.strip()
    return len(stripped) <= 2 and stripped.isalnum()
