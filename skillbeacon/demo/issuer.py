"""A demo issuer of Open Badges 3.0 credentials, signed as VC-JWTs.

Keys are Ed25519, derived from a seed so that a demo run is reproducible,
and published as `did:key` identifiers, so a verifier needs no network to
find them. The keys exist only for the demo: anyone with the seed can sign.
"""

import hashlib
import warnings
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import base58
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from joserfc import jwt
from joserfc.errors import SecurityWarning
from joserfc.jwk import OKPKey

VC_CONTEXT_V2 = "https://www.w3.org/ns/credentials/v2"
OB3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
SKILL_FRAMEWORK = "skillbeacon"

# Multicodec code of an Ed25519 public key (0xed) as an unsigned varint.
ED25519_PUB_MULTICODEC = b"\xed\x01"
JWT_ALGORITHM = "EdDSA"
JWT_TYPE = "vc+jwt"


def key_from_seed(seed: int, name: str) -> Ed25519PrivateKey:
    """Derive an Ed25519 private key from the demo seed and a key name."""
    material = hashlib.sha256(f"skillbeacon-demo/{seed}/{name}".encode()).digest()
    return Ed25519PrivateKey.from_private_bytes(material)


def multibase_from_public_key(public_key: Ed25519PublicKey) -> str:
    """Encode a public key as multicodec ed25519-pub in base58btc (`z6Mk…`)."""
    raw = public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return "z" + base58.b58encode(ED25519_PUB_MULTICODEC + raw).decode("ascii")


def did_key_from_public_key(public_key: Ed25519PublicKey) -> str:
    return "did:key:" + multibase_from_public_key(public_key)


def public_key_from_did_key(did: str) -> Ed25519PublicKey:
    """Decode the Ed25519 public key inside a `did:key` identifier.

    Raises ValueError when the identifier is not an Ed25519 `did:key`.
    """
    prefix = "did:key:z"
    if not did.startswith(prefix):
        raise ValueError(f"{did!r} is not a base58btc did:key identifier")

    multibase = did[len(prefix) :].split("#", 1)[0]
    try:
        decoded = base58.b58decode(multibase)
    except ValueError as error:
        raise ValueError(f"{did!r} is not valid base58btc: {error}") from None

    if not decoded.startswith(ED25519_PUB_MULTICODEC) or len(decoded) != 34:
        raise ValueError(f"{did!r} does not contain an Ed25519 public key")
    return Ed25519PublicKey.from_public_bytes(decoded[len(ED25519_PUB_MULTICODEC) :])


@dataclass(frozen=True)
class SkillAlignment:
    """A skill of the built-in vocabulary that an achievement aligns to."""

    skill_id: str
    label: str


@dataclass(frozen=True)
class AchievementSpec:
    """The achievement (badge class) that a demo credential awards."""

    achievement_id: str
    name: str
    description: str
    criteria: str
    achievement_type: str
    skills: tuple[SkillAlignment, ...] = field(default_factory=tuple)
    validity_days: int | None = None
    """Days from issue until the credential's validUntil, or None for none."""

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.achievement_id,
            "type": ["Achievement"],
            "name": self.name,
            "description": self.description,
            "criteria": {"narrative": self.criteria},
            "achievementType": self.achievement_type,
            "alignment": [
                {
                    "type": ["Alignment"],
                    "targetName": skill.label,
                    "targetUrl": skill.skill_id,
                    "targetFramework": SKILL_FRAMEWORK,
                }
                for skill in self.skills
            ],
        }


def iso_timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class DemoIssuer:
    """An issuer profile with a seeded Ed25519 key and a `did:key` id."""

    slug: str
    name: str
    url: str
    private_key: Ed25519PrivateKey

    @classmethod
    def from_seed(cls, seed: int, slug: str, name: str, url: str) -> "DemoIssuer":
        return cls(slug, name, url, key_from_seed(seed, f"issuer/{slug}"))

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.private_key.public_key()

    @property
    def did(self) -> str:
        return did_key_from_public_key(self.public_key)

    @property
    def verification_method(self) -> str:
        """The key id: the DID, then the multibase key as the fragment."""
        return f"{self.did}#{multibase_from_public_key(self.public_key)}"

    def profile(self) -> dict[str, Any]:
        return {
            "id": self.did,
            "type": ["Profile"],
            "name": self.name,
            "url": self.url,
        }

    def build_credential(
        self,
        achievement: AchievementSpec,
        subject_id: str,
        credential_id: str,
        valid_from: datetime,
        valid_until: datetime | None = None,
    ) -> dict[str, Any]:
        """Build an unsigned OpenBadgeCredential (VCDM 2.0) without a proof."""
        credential: dict[str, Any] = {
            "@context": [VC_CONTEXT_V2, OB3_CONTEXT],
            "id": credential_id,
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": self.profile(),
            "validFrom": iso_timestamp(valid_from),
            "name": achievement.name,
            "credentialSubject": {
                "id": subject_id,
                "type": ["AchievementSubject"],
                "achievement": achievement.to_json(),
            },
        }
        if valid_until is not None:
            credential["validUntil"] = iso_timestamp(valid_until)
        return credential

    def sign_jwt(self, credential: dict[str, Any]) -> str:
        """Sign a credential as a compact VC-JWT whose payload is the credential.

        The registered claims iss, sub, jti, nbf and exp repeat the issuer,
        subject, id, validFrom and validUntil of the credential.
        """
        claims = dict(credential)
        claims["iss"] = credential["issuer"]["id"]
        claims["sub"] = credential["credentialSubject"]["id"]
        claims["jti"] = credential["id"]
        claims["nbf"] = epoch_seconds(credential["validFrom"])
        if "validUntil" in credential:
            claims["exp"] = epoch_seconds(credential["validUntil"])

        header = {
            "alg": JWT_ALGORITHM,
            "kid": self.verification_method,
            "typ": JWT_TYPE,
        }
        key = OKPKey.import_key(self.private_key)

        # joserfc 1.8 warns that RFC 9864 deprecates "EdDSA" in favour of
        # "Ed25519". The demo keeps "EdDSA" because issuers in the field use it.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SecurityWarning)
            return jwt.encode(header, claims, key, algorithms=[JWT_ALGORITHM])

    def issue_jwt(
        self,
        achievement: AchievementSpec,
        subject_id: str,
        credential_id: str,
        valid_from: datetime,
        valid_until: datetime | None = None,
    ) -> str:
        """Issue a signed credential, expired when valid_until is in the past."""
        credential = self.build_credential(
            achievement, subject_id, credential_id, valid_from, valid_until
        )
        return self.sign_jwt(credential)


def epoch_seconds(timestamp: str) -> int:
    return int(datetime.fromisoformat(timestamp).timestamp())
