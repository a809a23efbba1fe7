"""Extraction of credentials baked into PNG and SVG badge images.

PNG badges carry the credential in an ``iTXt`` chunk (Open Badges 2.0 and
3.0), or in ``tEXt``/``zTXt`` for older bakers, under the keyword
``openbadges`` (2.0) or ``openbadgecredential`` (3.0). SVG badges carry it
in an ``assertion`` or ``credential`` element of an Open Badges namespace,
as element text (JSON or a compact JWS) or in a ``verify`` attribute.
"""

import struct
import zlib
from xml.etree.ElementTree import Element, ParseError  # noqa: S405 - types only

import defusedxml.ElementTree
from defusedxml import DefusedXmlException

from indexer.errors import InputRejected

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
BADGE_KEYWORDS = frozenset({"openbadges", "openbadgecredential"})
TEXT_CHUNK_TYPES = frozenset({b"tEXt", b"zTXt", b"iTXt"})
BADGE_NAMESPACES = ("http://openbadges.org", "https://purl.imsglobal.org/ob/v3p0")
BADGE_ELEMENTS = frozenset(
    f"{{{namespace}}}{local}"
    for namespace in BADGE_NAMESPACES
    for local in ("assertion", "credential")
)
SVG_ROOT_TAGS = frozenset({"{http://www.w3.org/2000/svg}svg", "svg"})


def extract_png_credential(data: bytes, max_text_bytes: int) -> str:
    """Return the text of the one baked badge chunk in a PNG.

    Compressed chunks may expand to at most ``max_text_bytes``; a larger
    expansion is rejected as a decompression bomb.
    """
    if not data.startswith(PNG_SIGNATURE):
        raise InputRejected("not a PNG file (bad signature)")

    baked: list[str] = []
    offset = len(PNG_SIGNATURE)
    seen_end = False
    while offset < len(data):
        if offset + 8 > len(data):
            raise InputRejected(
                f"PNG is truncated or corrupt: chunk header at byte {offset}"
            )
        length, chunk_type = struct.unpack(">I4s", data[offset : offset + 8])
        body_start = offset + 8
        body_end = body_start + length
        if body_end + 4 > len(data):
            raise InputRejected(
                f"PNG is truncated or corrupt: chunk {chunk_type!r} at byte "
                f"{offset} runs past the end of the file"
            )
        body = data[body_start:body_end]
        (stored_crc,) = struct.unpack(">I", data[body_end : body_end + 4])
        if zlib.crc32(chunk_type + body) != stored_crc:
            raise InputRejected(
                f"PNG is truncated or corrupt: CRC mismatch in chunk {chunk_type!r} "
                f"at byte {offset}"
            )

        if chunk_type in TEXT_CHUNK_TYPES:
            keyword, text = _decode_text_chunk(chunk_type, body, max_text_bytes)
            if keyword in BADGE_KEYWORDS:
                baked.append(text)
        offset = body_end + 4
        if chunk_type == b"IEND":
            seen_end = True
            break

    if not seen_end:
        raise InputRejected("PNG is truncated or corrupt: no IEND chunk")
    if not baked:
        raise InputRejected(
            "PNG has no baked badge: no 'openbadges' or 'openbadgecredential' "
            "text chunk"
        )
    if len(baked) > 1:
        raise InputRejected(
            f"PNG has {len(baked)} baked badge chunks; exactly one is allowed"
        )
    return baked[0].strip()


def _decode_text_chunk(
    chunk_type: bytes, body: bytes, max_text_bytes: int
) -> tuple[str, str]:
    keyword_bytes, separator, rest = body.partition(b"\x00")
    if not separator:
        raise InputRejected(
            f"PNG {chunk_type.decode()} chunk has no keyword terminator"
        )
    keyword = keyword_bytes.decode("latin-1")

    if chunk_type == b"tEXt":
        return keyword, rest.decode("latin-1")

    if chunk_type == b"zTXt":
        if not rest or rest[0] != 0:
            raise InputRejected("PNG zTXt chunk uses an unknown compression method")
        if keyword not in BADGE_KEYWORDS:
            return keyword, ""
        text = _inflate(rest[1:], max_text_bytes)
        return keyword, text.decode("latin-1")

    # iTXt: compression flag, compression method, language tag, translated
    # keyword, then the UTF-8 text.
    if len(rest) < 2:
        raise InputRejected("PNG iTXt chunk is truncated")
    compressed, method = rest[0], rest[1]
    language_and_text = rest[2:]
    _language, separator, after_language = language_and_text.partition(b"\x00")
    _translated, separator_2, text_bytes = after_language.partition(b"\x00")
    if not separator or not separator_2:
        raise InputRejected("PNG iTXt chunk is missing its language or keyword fields")
    if keyword not in BADGE_KEYWORDS:
        return keyword, ""
    if compressed:
        if method != 0:
            raise InputRejected("PNG iTXt chunk uses an unknown compression method")
        text_bytes = _inflate(text_bytes, max_text_bytes)
    try:
        return keyword, text_bytes.decode("utf-8")
    except UnicodeDecodeError:
        raise InputRejected("PNG iTXt badge text is not valid UTF-8") from None


def _inflate(compressed: bytes, max_bytes: int) -> bytes:
    decompressor = zlib.decompressobj()
    try:
        output = decompressor.decompress(compressed, max_bytes + 1)
    except zlib.error as error:
        raise InputRejected(
            f"PNG text chunk is not valid zlib data ({error})"
        ) from None
    if len(output) > max_bytes or decompressor.unconsumed_tail:
        raise InputRejected(
            f"PNG text chunk expands to more than {max_bytes} bytes "
            "(decompression bomb)"
        )
    if not decompressor.eof:
        raise InputRejected("PNG text chunk contains a truncated zlib stream")
    return output


def extract_svg_credential(text: str) -> str:
    """Return the baked credential of an SVG: element text or ``verify`` value.

    The XML parser rejects DTD entities and external references, so entity
    expansion (billion laughs) and external-entity reads cannot happen.
    """
    try:
        root = defusedxml.ElementTree.fromstring(text)
    except DefusedXmlException as error:
        raise InputRejected(
            f"SVG declares XML entities or external references, which are not "
            f"allowed ({type(error).__name__})"
        ) from None
    except ParseError as error:
        raise InputRejected(f"malformed SVG: {error}") from None

    if root.tag not in SVG_ROOT_TAGS:
        raise InputRejected(f"XML root element is {root.tag}, not an SVG <svg>")

    elements = [element for element in root.iter() if element.tag in BADGE_ELEMENTS]
    if not elements:
        raise InputRejected(
            "SVG has no baked badge: no assertion or credential element in an "
            "Open Badges namespace"
        )
    if len(elements) > 1:
        raise InputRejected(
            f"SVG has {len(elements)} baked badge elements; exactly one is allowed"
        )
    return _badge_element_value(elements[0])


def _badge_element_value(element: Element) -> str:
    content = (element.text or "").strip()
    if content:
        return content

    verify = element.get("verify")
    if verify is None:
        for name, value in element.attrib.items():
            if name.endswith("}verify"):
                verify = value
                break
    if verify and verify.strip():
        return verify.strip()
    raise InputRejected("SVG badge element is empty and has no verify attribute")
