"""Compact JWS (JWT) text: recognising it and reading it before verification."""

import base64
import binascii
import re
from dataclasses import dataclass
from typing import Any

from indexer import safe_json
from indexer.errors import InputRejected

# A JWS header names an algorithm and a key; it needs neither size nor depth.
MAX_HEADER_BYTES = 16 * 1024
MAX_HEADER_DEPTH = 8
COMPACT_JWS_PATTERN = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")


@dataclass(frozen=True)
class CompactJws:
    """The decoded header and payload of a compact JWS, not yet verified."""

    token: str
    header: dict[str, Any]
    payload: dict[str, Any]


def is_compact_jws(text: str) -> bool:
    return COMPACT_JWS_PATTERN.fullmatch(text) is not None


def base64url_decode(value: str) -> bytes:
    """Decode unpadded base64url, raising InputRejected for invalid text."""
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        raise InputRejected("JWT segment is not valid base64url") from None


def decode_compact_jws(token: str, max_bytes: int, max_depth: int) -> CompactJws:
    """Decode a compact JWS's header and payload without checking the signature."""
    token = token.strip()
    if len(token) > max_bytes:
        raise InputRejected(f"JWT is longer than the limit of {max_bytes} bytes")
    if not is_compact_jws(token):
        raise InputRejected("JWT is not in compact form (three base64url segments)")

    encoded_header, encoded_payload, _signature = token.split(".")
    try:
        header = safe_json.loads(
            base64url_decode(encoded_header), MAX_HEADER_BYTES, MAX_HEADER_DEPTH
        )
    except InputRejected as error:
        raise InputRejected(f"JWT header is not valid JSON ({error.reason})") from None
    if not isinstance(header, dict):
        raise InputRejected("JWT header is not a JSON object")

    try:
        payload = safe_json.loads(
            base64url_decode(encoded_payload), max_bytes, max_depth
        )
    except InputRejected as error:
        raise InputRejected(f"JWT payload: {error.reason}") from None
    if not isinstance(payload, dict):
        raise InputRejected("JWT payload is not a JSON object")
    return CompactJws(token=token, header=header, payload=payload)
