"""Label crosswalks between RSD or O*NET concepts and ESCO concepts."""

from skillbeacon.skills.crosswalk import crosswalk_pairs, lookup_terms
from tests.factories import skill_concept

ESCO_MARKET = skill_concept("esco:market", "market research", [], "esco")
ESCO_STRESS = skill_concept(
    "esco:stress", "tolerate stress", ["stress tolerance"], "esco"
)
ESCO_COPE = skill_concept("esco:cope", "Stress-Tolerance", [], "esco")


def pair_ids(others, esco):
    return [(a.skill_id, b.skill_id) for a, b in crosswalk_pairs(others, esco)]


def test_crosswalk_equal_preferred_label():
    rsd = skill_concept("rsd:market", "Market Research", [], "rsd")

    assert pair_ids([rsd], [ESCO_MARKET]) == [("rsd:market", "esco:market")]


def test_crosswalk_preferred_label_beats_alt_label():
    onet = skill_concept("onet:stress", "Stress Tolerance", [], "onet")

    assert pair_ids([onet], [ESCO_STRESS, ESCO_COPE]) == [("onet:stress", "esco:cope")]


def test_crosswalk_alt_label_when_no_preferred():
    onet = skill_concept("onet:stress", "stress tolerance", [], "onet")

    assert pair_ids([onet], [ESCO_STRESS]) == [("onet:stress", "esco:stress")]


def test_crosswalk_skips_builtin_and_unequal_labels():
    builtin = skill_concept("skillbeacon:market", "market research")
    rsd = skill_concept("rsd:other", "Market Research Methods", [], "rsd")

    assert pair_ids([builtin, rsd], [ESCO_MARKET]) == []


def test_lookup_terms_folds_and_normalizes():
    terms = lookup_terms(["Problem-Solving", "Résumé"])

    assert terms == ["problem-solving", "problem solving", "resume"]
