"""Parsed credentials and their verification results."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field


class VerificationStatus(StrEnum):
    verified = "verified"
    unverified = "unverified"
    invalid = "invalid"
    expired = "expired"
    not_yet_valid = "not_yet_valid"
    revoked = "revoked"


class CheckOutcome(StrEnum):
    passed = "pass"
    failed = "fail"
    warning = "warning"


class Check(BaseModel):
    """One verification step and what it found."""

    name: str
    outcome: CheckOutcome
    message: str = ""


class CredentialFormat(StrEnum):
    ob2_assertion = "ob2_assertion"
    ob2_signed = "ob2_signed"
    ob3_json = "ob3_json"
    ob3_jwt = "ob3_jwt"
    clr2_json = "clr2_json"
    clr2_jwt = "clr2_jwt"
    ob2_endorsement = "ob2_endorsement"


class Alignment(BaseModel):
    target_name: str | None = None
    target_url: str | None = None
    target_code: str | None = None
    target_framework: str | None = None
    target_description: str | None = None


class Achievement(BaseModel):
    achievement_id: str | None = None
    name: str
    description: str | None = None
    criteria: str | None = None
    achievement_type: str | None = None
    alignments: list[Alignment] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)


class Recipient(BaseModel):
    """The subject or recipient that the credential names."""

    identity: str | None = Field(
        default=None, description="Plain identity or an OB 2.0 hashed identity."
    )
    type: str | None = None
    hashed: bool = False
    salt: str | None = None


class EndorsementSubject(BaseModel):
    """The claim of an endorsement: the endorsed object's id and a comment.

    OB 3.0 puts it in an EndorsementCredential's credentialSubject, OB 2.0 in
    an Endorsement's claim.
    """

    id: str | None = None
    endorsement_comment: str | None = None


class ParsedCredential(BaseModel):
    """The fields of any supported credential format that the product uses."""

    format: CredentialFormat
    credential_id: str | None = None
    name: str | None = None
    issuer_id: str | None = None
    issuer_name: str | None = None
    recipient: Recipient = Field(default_factory=Recipient)
    identity_objects: list[Recipient] = Field(
        default_factory=list,
        description="OB 3.0 IdentityObjects of the credential subject "
        "(credentialSubject.identifier), each plain or hashed.",
    )
    issued_at: datetime | None = None
    expires_at: datetime | None = None
    achievement: Achievement
    nested: list["ParsedCredential"] = Field(
        default_factory=list,
        description="Credentials inside a CLR, parsed and verified one by one.",
    )
    awards_achievement: bool = Field(
        default=True,
        description="False for a plain Verifiable Credential whose subject "
        "names no achievement: it can be verified, but it is no skill evidence.",
    )
    endorsement_subject: EndorsementSubject | None = Field(
        default=None,
        description="Set only for an endorsement (an OB 3.0 EndorsementCredential "
        "or an OB 2.0 Endorsement), which awards no achievement.",
    )
    raw: dict[str, Any] = Field(default_factory=dict, exclude=True, repr=False)
    compact_jws: str | None = Field(default=None, exclude=True, repr=False)


class VerificationResult(BaseModel):
    status: VerificationStatus
    checks: list[Check] = Field(default_factory=list)

    @property
    def reasons(self) -> list[str]:
        """Messages of the failed checks, then of the warnings, each in order."""
        ordered = [
            check for check in self.checks if check.outcome is CheckOutcome.failed
        ] + [check for check in self.checks if check.outcome is CheckOutcome.warning]
        return [f"{check.name}: {check.message}" for check in ordered]


class EndorsedObject(BaseModel):
    """The object an endorsement is attached to, which it must endorse."""

    type: str | None = Field(
        default=None,
        description="Class of the object: AchievementCredential, ClrCredential, "
        "Achievement or Profile (OB 3.0), Assertion, BadgeClass or Issuer "
        "(OB 2.0). None for an endorsement verified on its own.",
    )
    id: str | None = None
    path: str | None = Field(
        default=None,
        description="Where the endorsement sits in the credential, as in "
        "'credentialSubject.achievement.endorsement[0]'.",
    )


class EndorsementResult(BaseModel):
    """The verification result of one endorsement attached to a credential."""

    endorses: EndorsedObject
    endorsement_id: str | None = Field(
        default=None,
        description="The endorsement's id, or the URL of an OB 2.0 endorsement "
        "that could not be read.",
    )
    endorsement: ParsedCredential | None = Field(
        default=None, description="None when the endorsement could not be parsed."
    )
    result: VerificationResult
