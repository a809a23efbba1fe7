"""Label normalization: case, accents, whitespace and technology names."""

import pytest

from skillbeacon.skills.normalize import (
    fold,
    is_short_label,
    normalize_label,
    split_words,
    strip_accents,
)


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("Python", "python"),
        ("  Critical   Thinking ", "critical thinking"),
        ("Résumé writing", "resume writing"),
        ("problem-solving", "problem solving"),
        ("C++", "c++"),
        ("C#", "c#"),
        ("F#", "f#"),
        (".NET", ".net"),
        ("Node.js", "node.js"),
        ("R&D", "r&d"),
        ('"Python."', "python"),
        ("(HVAC)", "hvac"),
    ],
)
def test_normalize_label_keys(label, key):
    assert normalize_label(label) == key


@pytest.mark.parametrize(
    "variant", ["NodeJS", "Node JS", "node.js", "Node.JS", "nodejs"]
)
def test_normalize_label_node_variants(variant):
    assert normalize_label(variant) == "node.js"


@pytest.mark.parametrize(
    ("variant", "key"),
    [
        ("dotnet", ".net"),
        ("Dot Net", ".net"),
        ("C sharp", "c#"),
        ("c plus plus", "c++"),
        ("CPP", "c++"),
        ("F sharp", "f#"),
    ],
)
def test_normalize_label_spelling_variants(variant, key):
    assert normalize_label(variant) == key


def test_normalize_label_keeps_distinct_names_apart():
    names = ["C", "C++", "C#", ".NET", "Node.js", "R", "R&D", "Java", "JavaScript"]
    keys = {normalize_label(name) for name in names}
    assert len(keys) == len(names)


def test_normalize_label_variant_needs_whole_word():
    assert normalize_label("ASP.NET") == "asp.net"
    assert normalize_label("cppcheck") == "cppcheck"
    assert normalize_label("nodes") == "nodes"


def test_normalize_label_is_idempotent():
    for label in ["Node JS", "Résumé", "C plus plus", " .NET Core "]:
        assert normalize_label(normalize_label(label)) == normalize_label(label)


def test_fold_keeps_punctuation():
    assert fold("Problem-Solving  Skills") == "problem-solving skills"
    assert strip_accents("Résumé") == "Resume"


def test_split_words_keeps_technology_names():
    words = split_words("Used C++, C#, .NET and Node.js for R&D; JavaScript too.")
    assert words == [
        "Used", "C++", "C#", ".NET", "and", "Node.js", "for", "R&D", "JavaScript", "too"
    ]  # fmt: skip


def test_split_words_drops_sentence_periods():
    assert split_words("I know C. Then Go.") == ["I", "know", "C", "Then", "Go"]


@pytest.mark.parametrize(
    ("label", "short"),
    [
        ("R", True),
        ("Go", True),
        ("AI", True),
        ("C#", False),
        ("C++", False),
        ("SQL", False),
    ],
)
def test_is_short_label(label, short):
    assert is_short_label(label) is short
