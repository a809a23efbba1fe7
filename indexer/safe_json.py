"""JSON parsing with limits on size and nesting depth."""

import json
import math
from typing import Any

from indexer.errors import InputRejected


def nesting_depth_exceeds(text: str, max_depth: int) -> bool:
    """Check bracket depth before parsing, outside of strings."""
    depth = 0
    in_string = False
    escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
            continue
        if char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > max_depth:
                return True
        elif char in "]}":
            depth -= 1
    return False


def loads(data: bytes | str, max_bytes: int, max_depth: int) -> Any:
    """Parse JSON, raising InputRejected for oversized, deep or malformed text."""
    size = len(data)
    if size > max_bytes:
        raise InputRejected(
            f"input is {size} bytes, more than the limit of {max_bytes} bytes "
            "(SKILLBEACON_MAX_INPUT_BYTES)"
        )
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise InputRejected(
                f"input is not valid UTF-8 (byte {error.start})"
            ) from None
    else:
        text = data
    if nesting_depth_exceeds(text, max_depth):
        raise InputRejected(f"JSON is nested deeper than {max_depth} levels")
    try:
        return json.loads(
            text, parse_constant=_reject_constant, parse_float=_finite_float
        )
    except json.JSONDecodeError as error:
        raise InputRejected(
            f"malformed JSON: {error.msg} at line {error.lineno} column {error.colno}"
        ) from None
    except ValueError:
        # Python rejects integers of more than 4,300 digits.
        raise InputRejected("JSON contains a number too long to read") from None


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise InputRejected("JSON contains a number too large for a float")
    return value


def _reject_constant(name: str) -> Any:
    # Python accepts NaN and Infinity, which JSON does not allow.
    raise InputRejected(f"JSON contains {name}, which is not a JSON number")
