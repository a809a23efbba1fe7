"""Verdicts on credential files, as the ``skillbeacon verify`` command reports them.

Each file is loaded and verified with no learner known, so the recipient is
not matched and ``verified`` means the issuer's signature, the dates and the
revocation status checked out. A file that cannot be read as a credential
gets the status ``error``. A file whose loading needs a document that cannot
be reached offline (a badge class or a hosted assertion) gets ``unverified``.

Each verdict lists the endorsements attached to its credential, each verified
on its own. A file that is an endorsement (an OB 3.0 EndorsementCredential or
an OB 2.0 Endorsement) is verified as one, with no object to bind it to.
"""

import os
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import structlog
from pydantic import BaseModel, Field

from indexer.credentials.endorsements import verify_endorsements
from indexer.credentials.load import load_credential_file
from indexer.credentials.parse import (
    EndorsementRejected,
    RevokedAssertion,
    parse_rejected_endorsement,
)
from indexer.credentials.url_map import DocumentUnavailable, fetch_memo
from indexer.credentials.verify import verify_credential, verify_endorsement
from indexer.errors import InputRejected
from skillbeacon.models.credential import (
    Check,
    CheckOutcome,
    EndorsedObject,
    EndorsementResult,
    ParsedCredential,
    VerificationResult,
    VerificationStatus,
)
from skillbeacon.settings import Settings

logger = structlog.get_logger(__name__)

ERROR_STATUS: Literal["error"] = "error"
LOAD_CHECK = "load"
# The warning that verify_credential adds when no learner is known. It is
# left out of the message because it applies to every file.
NO_LEARNER_PREFIX = "no learner to match the recipient against"


class Endorser(BaseModel):
    """The issuer of an endorsement."""

    id: str | None = None
    name: str | None = None


class CredentialVerdict(BaseModel):
    """The verification result of a credential file, nested credential or endorsement.

    An endorsement's verdict has the same fields, plus ``endorser`` and
    ``endorses``.
    """

    path: str
    status: VerificationStatus | Literal["error"]
    message: str = Field(description="What failed, or what passed when verified.")
    credential_id: str | None = None
    name: str | None = None
    format: str | None = None
    checks: list[Check] = Field(default_factory=list)
    nested: list["CredentialVerdict"] = Field(
        default_factory=list,
        description="Results of the credentials nested in a CLR, in order.",
    )
    endorsements: list["CredentialVerdict"] = Field(
        default_factory=list,
        description="Results of the endorsements attached to this credential, "
        "in document order. They do not change this credential's status.",
    )
    endorser: Endorser | None = Field(
        default=None, description="Set only when this verdict is an endorsement's."
    )
    endorses: EndorsedObject | None = Field(
        default=None,
        description="Set only when this verdict is an endorsement's: the object "
        "it is attached to, or for an endorsement file, its subject id.",
    )


def credential_paths(paths: Iterable[Path]) -> list[Path]:
    """Expand folders into the regular files below them.

    Files named on the command line are kept as given, in order. Folders are
    walked in sorted order and their hidden files and folders are skipped.
    Symbolic links to folders are not followed.
    """
    files: list[Path] = []
    for path in paths:
        if not path.is_dir():
            files.append(path)
            continue
        for folder, subfolders, names in os.walk(path):
            subfolders[:] = sorted(
                name for name in subfolders if not name.startswith(".")
            )
            for name in sorted(names):
                if not name.startswith("."):
                    files.append(Path(folder) / name)
    return files


def verify_credential_files(
    paths: Iterable[Path], settings: Settings, now: datetime | None = None
) -> list[CredentialVerdict]:
    """Verify every credential file in ``paths``, folders expanded."""
    now = now or datetime.now(UTC)
    return [_verify_guarded(path, settings, now) for path in credential_paths(paths)]


def _verify_guarded(path: Path, settings: Settings, now: datetime) -> CredentialVerdict:
    # One file that trips an unexpected error must not cost the others their
    # results. The exception's text may quote the file, so only its type is
    # shown.
    try:
        # Each URL is read once per file, nested credentials included.
        with fetch_memo():
            return verify_credential_file(path, settings, now)
    except Exception as error:  # noqa: BLE001
        reason = f"verification failed unexpectedly ({type(error).__name__})"
        logger.error("verify.file_crashed", path=str(path), error=type(error).__name__)
        return CredentialVerdict(
            path=str(path),
            status=ERROR_STATUS,
            message=reason,
            checks=[
                Check(name=LOAD_CHECK, outcome=CheckOutcome.failed, message=reason)
            ],
        )


def verify_credential_file(
    path: Path, settings: Settings, now: datetime | None = None
) -> CredentialVerdict:
    """Load one file and verify the credential in it with no learner known."""
    now = now or datetime.now(UTC)
    try:
        parsed = load_credential_file(path, settings)
    except EndorsementRejected as rejected:
        try:
            endorsement = parse_rejected_endorsement(rejected, settings)
        except DocumentUnavailable as error:
            return _unreachable_verdict(path, error)
        except InputRejected as error:
            return _rejected_verdict(path, error)
        return _endorsement_file_verdict(endorsement, str(path), settings, now)
    except DocumentUnavailable as error:
        return _unreachable_verdict(path, error)
    except RevokedAssertion as error:
        return _revoked_verdict(path, error)
    except InputRejected as error:
        return _rejected_verdict(path, error)
    return _credential_verdict(parsed, str(path), settings, now)


def _revoked_verdict(path: Path, error: RevokedAssertion) -> CredentialVerdict:
    return CredentialVerdict(
        path=str(path),
        status=VerificationStatus.revoked,
        message=error.reason,
        checks=[
            Check(name="revocation", outcome=CheckOutcome.failed, message=error.reason)
        ],
    )


def _unreachable_verdict(path: Path, error: DocumentUnavailable) -> CredentialVerdict:
    logger.debug("verify.file_unreachable", path=str(path), reason=error.reason)
    return CredentialVerdict(
        path=str(path),
        status=VerificationStatus.unverified,
        message=error.reason,
        checks=[
            Check(name=LOAD_CHECK, outcome=CheckOutcome.warning, message=error.reason)
        ],
    )


def _rejected_verdict(path: Path, error: InputRejected) -> CredentialVerdict:
    logger.debug("verify.file_rejected", path=str(path), reason=error.reason)
    return CredentialVerdict(
        path=str(path),
        status=ERROR_STATUS,
        message=error.reason,
        checks=[
            Check(name=LOAD_CHECK, outcome=CheckOutcome.failed, message=error.reason)
        ],
    )


def verdict_message(result: VerificationResult) -> str:
    """Summarize a result: the failed checks, else the warnings that remain.

    The no-learner recipient warning is left out, because the verify command
    has no learner to match.
    """
    failed = [check for check in result.checks if check.outcome is CheckOutcome.failed]
    warnings = [
        check
        for check in result.checks
        if check.outcome is CheckOutcome.warning
        and not (
            check.name == "recipient" and check.message.startswith(NO_LEARNER_PREFIX)
        )
    ]
    reported = failed or warnings
    if reported:
        return "; ".join(f"{check.name}: {check.message}" for check in reported)
    if result.status is not VerificationStatus.verified:
        return "no signature or hosted copy was checked"
    if any(check.name == "recipient" for check in result.checks):
        return "every check passed; the recipient was not matched to a learner"
    return "every check passed"


def _credential_verdict(
    parsed: ParsedCredential, path: str, settings: Settings, now: datetime
) -> CredentialVerdict:
    result = verify_credential(parsed, [], settings, now, match_learner=False)
    nested = [
        _credential_verdict(child, path, settings, now) for child in parsed.nested
    ]
    endorsements = [
        _endorsement_verdict(endorsement, path)
        for endorsement in verify_endorsements(parsed, settings, now)
    ]
    return CredentialVerdict(
        path=path,
        status=result.status,
        message=verdict_message(result),
        credential_id=parsed.credential_id,
        name=parsed.name or parsed.achievement.name,
        format=parsed.format.value,
        checks=result.checks,
        nested=nested,
        endorsements=endorsements,
    )


def _endorsement_verdict(item: EndorsementResult, path: str) -> CredentialVerdict:
    endorsement = item.endorsement
    return CredentialVerdict(
        path=path,
        status=item.result.status,
        message=verdict_message(item.result),
        credential_id=item.endorsement_id,
        name=endorsement.name if endorsement is not None else None,
        format=endorsement.format.value if endorsement is not None else None,
        checks=item.result.checks,
        endorser=_endorser(endorsement) if endorsement is not None else None,
        endorses=item.endorses,
    )


def _endorsement_file_verdict(
    endorsement: ParsedCredential, path: str, settings: Settings, now: datetime
) -> CredentialVerdict:
    result = verify_endorsement(endorsement, settings, now)
    subject = endorsement.endorsement_subject
    return CredentialVerdict(
        path=path,
        status=result.status,
        message=verdict_message(result),
        credential_id=endorsement.credential_id,
        name=endorsement.name,
        format=endorsement.format.value,
        checks=result.checks,
        endorser=_endorser(endorsement),
        endorses=EndorsedObject(id=subject.id if subject is not None else None),
    )


def _endorser(endorsement: ParsedCredential) -> Endorser:
    return Endorser(id=endorsement.issuer_id, name=endorsement.issuer_name)
