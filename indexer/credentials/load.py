"""Loading of a credential from a profile entry or a file, by its content.

A credential may be JSON, a compact JWS (JWT), or a badge image (PNG or SVG)
with the credential baked in. The format is detected from the bytes, not from
the file extension.
"""

import re
from pathlib import Path
from typing import Any

from indexer import safe_json
from indexer.credentials.baked import (
    PNG_SIGNATURE,
    extract_png_credential,
    extract_svg_credential,
)
from indexer.credentials.jws import is_compact_jws
from indexer.credentials.parse import (
    fetch_hosted_assertion,
    parse_compact_jws,
    parse_credential_json,
)
from indexer.errors import InputRejected
from skillbeacon.models.credential import ParsedCredential
from skillbeacon.models.profile import CredentialEntry, CredentialFile
from skillbeacon.settings import Settings

URL_PATTERN = re.compile(r"^https?://\S+$")
UNKNOWN_FORMAT = "not a JSON, JWT, PNG or SVG credential"


def load_credential_entry(
    entry: CredentialEntry, base_dir: Path, settings: Settings
) -> ParsedCredential:
    """Parse one entry of a profile's ``credentials`` list.

    An entry is an embedded JSON object, a compact JWT string, or a
    CredentialFile whose path is relative to ``base_dir`` (absolute paths
    are used as given).
    """
    if isinstance(entry, CredentialFile):
        return load_credential_file(base_dir / entry.path, settings)

    if isinstance(entry, dict):
        # The profile was already parsed with limits, so the object is only
        # re-checked for its own depth.
        return _parse_json_object(entry, settings)

    if isinstance(entry, str):
        text = entry.strip()
        if not is_compact_jws(text):
            raise InputRejected(
                "credential string is not a compact JWT (three base64url "
                "segments separated by dots)"
            )
        return parse_compact_jws(text, settings)

    raise InputRejected(
        f"credential entry of type {type(entry).__name__} is {UNKNOWN_FORMAT}"
    )


def load_credential_file(path: Path, settings: Settings) -> ParsedCredential:
    """Read a credential file (JSON, JWT, baked PNG or baked SVG) and parse it."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputRejected(f"credential file {path.name} does not exist") from None
    except OSError as error:
        raise InputRejected(
            f"credential file {path.name} cannot be read ({error.strerror})"
        ) from None
    if not path.is_file():
        raise InputRejected(f"credential path {path.name} is not a regular file")
    if size > settings.max_input_bytes:
        raise InputRejected(
            f"credential file is {size} bytes, more than the limit of "
            f"{settings.max_input_bytes} bytes (SKILLBEACON_MAX_INPUT_BYTES)"
        )

    with path.open("rb") as handle:
        data = handle.read(settings.max_input_bytes + 1)
    return parse_credential_bytes(data, settings)


def parse_credential_bytes(data: bytes, settings: Settings) -> ParsedCredential:
    """Detect the format of raw credential bytes and parse them."""
    if len(data) > settings.max_input_bytes:
        raise InputRejected(
            f"credential is more than the limit of {settings.max_input_bytes} "
            "bytes (SKILLBEACON_MAX_INPUT_BYTES)"
        )

    if data.startswith(PNG_SIGNATURE):
        baked = extract_png_credential(data, settings.max_input_bytes)
        return _parse_baked_value(baked, settings)

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputRejected(UNKNOWN_FORMAT) from None
    stripped = text.strip()

    if stripped.startswith(("{", "[")):
        return _parse_json_text(stripped, settings)
    if is_compact_jws(stripped):
        return parse_compact_jws(stripped, settings)
    if stripped.startswith("<") and _looks_like_svg(stripped):
        baked = extract_svg_credential(stripped)
        return _parse_baked_value(baked, settings)
    raise InputRejected(UNKNOWN_FORMAT)


def _looks_like_svg(text: str) -> bool:
    # The root element name appears within the prologue, comments and DTD.
    return "<svg" in text[:65536]


def _parse_baked_value(value: str, settings: Settings) -> ParsedCredential:
    if value.startswith("{"):
        return _parse_json_text(value, settings)
    if is_compact_jws(value):
        return parse_compact_jws(value, settings)
    if URL_PATTERN.fullmatch(value):
        return _parse_json_object(fetch_hosted_assertion(value, settings), settings)
    raise InputRejected(
        "baked badge value is not JSON, a compact JWT or an http(s) URL"
    )


def _parse_json_text(text: str, settings: Settings) -> ParsedCredential:
    document = safe_json.loads(text, settings.max_input_bytes, settings.max_json_depth)
    return _parse_json_object(document, settings)


def _parse_json_object(document: Any, settings: Settings) -> ParsedCredential:
    if not isinstance(document, dict):
        raise InputRejected(
            f"credential JSON must be an object, not a {type(document).__name__}"
        )
    if _depth_exceeds(document, settings.max_json_depth):
        raise InputRejected(
            f"JSON is nested deeper than {settings.max_json_depth} levels"
        )
    return parse_credential_json(document, settings)


def _depth_exceeds(value: Any, max_depth: int) -> bool:
    # Iterative, so a deep embedded object cannot exhaust the Python stack.
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        current, depth = stack.pop()
        if depth > max_depth:
            return True
        if isinstance(current, dict):
            stack.extend((item, depth + 1) for item in current.values())
        elif isinstance(current, list):
            stack.extend((item, depth + 1) for item in current)
    return False
