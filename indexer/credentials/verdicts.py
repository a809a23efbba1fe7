"""Verdicts on credential files, as the ``skillbeacon verify`` command reports them.

Each file is loaded and verified with no learner known, so the recipient is
not matched and ``verified`` means the issuer's signature, the dates and the
revocation status checked out. A file that cannot be read as a credential
gets the status ``error``. A file whose loading needs a document that cannot
be reached offline (a badge class or a hosted assertion) gets ``unverified``.
"""

import os
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import structlog
from pydantic import BaseModel, Field

from indexer.credentials.load import load_credential_file
from indexer.credentials.url_map import DocumentUnavailable
from indexer.credentials.verify import verify_credential
from indexer.errors import InputRejected
from skillbeacon.models.credential import (
    Check,
    CheckOutcome,
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


class CredentialVerdict(BaseModel):
    """The verification result of one credential file or one nested credential."""

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
    return [
        verify_credential_file(path, settings, now) for path in credential_paths(paths)
    ]


def verify_credential_file(
    path: Path, settings: Settings, now: datetime | None = None
) -> CredentialVerdict:
    """Load one file and verify the credential in it with no learner known."""
    now = now or datetime.now(UTC)
    try:
        parsed = load_credential_file(path, settings)
    except DocumentUnavailable as error:
        logger.debug("verify.file_unreachable", path=str(path), reason=error.reason)
        return CredentialVerdict(
            path=str(path),
            status=VerificationStatus.unverified,
            message=error.reason,
            checks=[
                Check(
                    name=LOAD_CHECK, outcome=CheckOutcome.warning, message=error.reason
                )
            ],
        )
    except InputRejected as error:
        logger.debug("verify.file_rejected", path=str(path), reason=error.reason)
        return CredentialVerdict(
            path=str(path),
            status=ERROR_STATUS,
            message=error.reason,
            checks=[
                Check(
                    name=LOAD_CHECK, outcome=CheckOutcome.failed, message=error.reason
                )
            ],
        )
    return _credential_verdict(parsed, str(path), settings, now)


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
    if result.status is VerificationStatus.verified:
        return "every check passed; the recipient was not matched to a learner"
    return "no signature or hosted copy was checked"


def _credential_verdict(
    parsed: ParsedCredential, path: str, settings: Settings, now: datetime
) -> CredentialVerdict:
    result = verify_credential(parsed, [], settings, now, match_learner=False)
    nested = [
        _credential_verdict(child, path, settings, now) for child in parsed.nested
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
    )
