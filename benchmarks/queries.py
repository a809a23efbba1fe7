"""Seeded request mixes for the search and suggest benchmarks.

Skill names, cities, pathways and words come from the demo catalog, so most
requests match candidates of the generated population.
"""

import random
from collections import Counter
from typing import Any

from skillbeacon.demo.catalog import (
    ACHIEVEMENTS,
    CITIES,
    PATHWAYS,
    SELF_REPORTED_SKILLS,
    SKILLS,
)
from skillbeacon.skills.builtin import load_builtin

FILTER_SHARE = 0.4
VERIFIED_ONLY_SHARE = 0.25
REQUIRED_SHARE = 0.3
TEXT_WITH_SKILLS_SHARE = 0.15
TEXT_ONLY_SHARE = 0.1
SELF_REPORTED_SHARE = 0.1

AVAILABILITIES = ("immediately", "within_3_months", "part_time")


def text_words() -> list[str]:
    """List the distinct words of 4 or more letters in the achievement names."""
    words = set()
    for name in ACHIEVEMENTS:
        for word in name.split():
            if len(word) >= 4 and word.isalpha():
                words.add(word.lower())
    return sorted(words)


def random_filters(rng: random.Random) -> dict[str, Any]:
    """Pick one to three of the location, availability and pathway filters."""
    city, region = rng.choice(CITIES)
    choices: dict[str, Any] = {
        "region": region,
        "city": city,
        "availability": rng.sample(AVAILABILITIES, rng.randint(1, 2)),
        "pathway": rng.choice(PATHWAYS).pathway_id,
    }
    picked = rng.sample(sorted(choices), rng.randint(1, 3))
    filters = {"country": "US"}
    for key in picked:
        filters[key] = choices[key]
    return filters


def search_requests(count: int, seed: int) -> tuple[list[dict[str, Any]], Counter[str]]:
    """Build `count` POST /v1/search bodies and count how many have each feature.

    A body has 1 to 3 skill names, except the text-only share, which has free
    text and no skills.
    """
    rng = random.Random(seed)  # noqa: S311 - reproducible load, no secrets
    skill_names = list(SKILLS)
    words = text_words()
    features: Counter[str] = Counter()
    bodies = []

    for _ in range(count):
        body: dict[str, Any] = {"size": 10}

        if rng.random() < TEXT_ONLY_SHARE:
            body["text"] = " ".join(rng.sample(words, rng.randint(1, 2)))
            features["text only"] += 1
        else:
            names = rng.sample(skill_names, rng.randint(1, 3))
            if rng.random() < SELF_REPORTED_SHARE:
                names[-1] = rng.choice(SELF_REPORTED_SKILLS)
                features["a self-reported skill name"] += 1
            features["1 skill" if len(names) == 1 else f"{len(names)} skills"] += 1
            if rng.random() < REQUIRED_SHARE:
                body["required_skills"] = names[:1]
                names = names[1:]
                features["a required skill"] += 1
            if names:
                body["skills"] = names
            if rng.random() < TEXT_WITH_SKILLS_SHARE:
                body["text"] = rng.choice(words)
                features["skills and text"] += 1

        filters: dict[str, Any] = {}
        if rng.random() < FILTER_SHARE:
            filters = random_filters(rng)
            features["location, availability or pathway filters"] += 1
        if rng.random() < VERIFIED_ONLY_SHARE:
            filters["verified_only"] = True
            features["verified_only"] += 1
        if filters:
            body["filters"] = filters

        bodies.append(body)
    return bodies, features


def suggest_prefixes(count: int, seed: int) -> list[str]:
    """Build `count` typed prefixes of built-in skill labels, 1 to 8 characters."""
    rng = random.Random(seed)  # noqa: S311 - reproducible load, no secrets
    labels = sorted(concept.preferred_label for concept in load_builtin())
    prefixes = []
    for _ in range(count):
        label = rng.choice(labels)
        prefixes.append(label[: rng.randint(1, min(8, len(label)))])
    return prefixes
