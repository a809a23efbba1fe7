"""API keys: roles, key generation and hashing.

A key reads `sb_<key_id>_<secret>`. The key id is public: it names the key
in logs, audit records and view records. Only the SHA-256 hash of the whole
key is stored, and the secret carries 256 random bits, so an unsalted hash
is enough to keep a leaked index from yielding usable keys.
"""

import hashlib
import hmac
import re
import secrets
from datetime import UTC, datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from skillbeacon.models.profile import LEARNER_ID_PATTERN

KEY_PREFIX = "sb_"
KEY_PATTERN = re.compile(r"^sb_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$")


class Role(StrEnum):
    recruiter = "recruiter"
    hr_system = "hr_system"
    learner = "learner"
    admin = "admin"


# Roles that act for an employer and so must name their organization.
EMPLOYER_ROLES = (Role.recruiter, Role.hr_system)

# Same limit as a group name in a learner's consent (ShortId in the profile).
MAX_GROUP_LENGTH = 128


class ApiKeyRecord(BaseModel):
    """A stored API key: its hash and what it may do, never the key itself."""

    key_id: str
    key_hash: str
    role: Role
    learner_id: str | None = None
    organization: str | None = None
    # Employer groups the key's organization belongs to. A learner whose
    # consent names employer groups is shown only to keys sharing one of them.
    employer_groups: list[str] = Field(default_factory=list)
    # Whether the employer is enrolled in youth programs (internships, dual
    # enrollment), whose searches may show minors with guardian consent.
    youth_program: bool = False
    created_at: datetime
    revoked_at: datetime | None = None


def generate_api_key() -> tuple[str, str]:
    """Return a new (key_id, key) pair; the key is shown to its owner once."""
    key_id = secrets.token_hex(8)
    return key_id, f"{KEY_PREFIX}{key_id}_{secrets.token_urlsafe(32)}"


def hash_api_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def parse_key_id(key: str) -> str | None:
    """Return the key id of a well-formed key, or None."""
    match = KEY_PATTERN.fullmatch(key)
    return match.group(1) if match else None


def key_matches(key: str, record: ApiKeyRecord) -> bool:
    """Compare the key's hash with the stored one in constant time."""
    return hmac.compare_digest(hash_api_key(key), record.key_hash)


def clean_employer_groups(groups: list[str]) -> list[str]:
    """Return the group names stripped, deduplicated and sorted.

    Raise ValueError on an empty name or one over MAX_GROUP_LENGTH. Names
    are compared exactly as learners' consent records spell them, so no case
    folding is applied.
    """
    cleaned = set()
    for group in groups:
        name = group.strip()
        if not name or len(name) > MAX_GROUP_LENGTH:
            raise ValueError(
                f"invalid employer group {group[:40]!r}: give a name of 1 to "
                f"{MAX_GROUP_LENGTH} characters, as learners' consent records "
                "spell it"
            )
        cleaned.add(name)
    return sorted(cleaned)


def new_api_key(
    role: Role,
    learner_id: str | None = None,
    organization: str | None = None,
    now: datetime | None = None,
    employer_groups: list[str] | None = None,
    youth_program: bool = False,
) -> tuple[ApiKeyRecord, str]:
    """Build the record of a new key and return it with the key.

    Raise ValueError when a learner key lacks a valid learner id, an employer
    key lacks an organization, or another role is given either of them.
    Employer groups and youth_program are accepted only for recruiter and
    hr_system keys, and a ValueError names any other role given them.
    """
    if role == Role.learner:
        if not learner_id or not re.fullmatch(LEARNER_ID_PATTERN, learner_id):
            raise ValueError(
                "a learner key needs the learner's id (--learner), as in their "
                "profile file"
            )
    elif learner_id:
        raise ValueError(f"only learner keys take a learner id, not {role.value}")

    if role in EMPLOYER_ROLES:
        if not organization or not organization.strip():
            raise ValueError(
                f"a {role.value} key needs the employer's organization name "
                "(--organization); learners see it in their view log"
            )
        organization = organization.strip()
    elif organization:
        raise ValueError(
            f"only recruiter and hr_system keys take an organization, not {role.value}"
        )

    groups = clean_employer_groups(employer_groups or [])
    if role not in EMPLOYER_ROLES and groups:
        raise ValueError(
            f"only recruiter and hr_system keys take employer groups, not {role.value}"
        )
    if role not in EMPLOYER_ROLES and youth_program:
        raise ValueError(
            "only recruiter and hr_system keys can be enrolled in youth programs, "
            f"not {role.value}"
        )

    key_id, key = generate_api_key()
    record = ApiKeyRecord(
        key_id=key_id,
        key_hash=hash_api_key(key),
        role=role,
        learner_id=learner_id,
        organization=organization,
        employer_groups=groups,
        youth_program=youth_program,
        created_at=now or datetime.now(UTC),
    )
    return record, key
