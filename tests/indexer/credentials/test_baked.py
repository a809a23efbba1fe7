import json
import struct
import zlib

import pytest

from indexer.credentials.baked import extract_png_credential, extract_svg_credential
from indexer.credentials.load import parse_credential_bytes
from indexer.errors import InputRejected
from skillbeacon.models.credential import CredentialFormat

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ASSERTION = {
    "@context": "https://w3id.org/openbadges/v2",
    "type": "Assertion",
    "id": "https://school.example/assertions/1",
    "recipient": {"type": "email", "hashed": False, "identity": "kim@example.org"},
    "issuedOn": "2024-05-01T00:00:00Z",
    "verification": {"type": "hosted"},
    "badge": {
        "type": "BadgeClass",
        "id": "https://school.example/badges/soldering",
        "name": "Soldering",
        "issuer": {"id": "https://school.example/issuer", "name": "Example School"},
    },
}


def chunk(chunk_type: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(chunk_type + body)
    return struct.pack(">I", len(body)) + chunk_type + body + struct.pack(">I", crc)


def png(*text_chunks: bytes) -> bytes:
    header = chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    image = chunk(b"IDAT", zlib.compress(b"\x00\x00"))
    return PNG_SIGNATURE + header + b"".join(text_chunks) + image + chunk(b"IEND", b"")


def itxt(
    keyword: str, text: bytes, compressed: bool = False, language: bytes = b""
) -> bytes:
    payload = zlib.compress(text) if compressed else text
    body = (
        keyword.encode("latin-1")
        + b"\x00"
        + bytes([1 if compressed else 0, 0])
        + language
        + b"\x00"
        + b"\x00"
        + payload
    )
    return chunk(b"iTXt", body)


def test_png_itxt_plain(offline_settings):
    data = png(itxt("openbadges", json.dumps(ASSERTION).encode()))

    parsed = parse_credential_bytes(data, offline_settings)

    assert parsed.format is CredentialFormat.ob2_assertion
    assert parsed.achievement.name == "Soldering"


def test_png_itxt_compressed_with_language(offline_settings):
    data = png(
        itxt(
            "openbadges",
            json.dumps(ASSERTION).encode(),
            compressed=True,
            language=b"en-US",
        )
    )

    parsed = parse_credential_bytes(data, offline_settings)

    assert parsed.credential_id == ASSERTION["id"]


def test_png_text_chunk(offline_settings):
    body = b"openbadges\x00" + json.dumps(ASSERTION).encode("latin-1")

    parsed = parse_credential_bytes(png(chunk(b"tEXt", body)), offline_settings)

    assert parsed.achievement.name == "Soldering"


def test_png_ztxt_chunk(offline_settings):
    body = b"openbadges\x00\x00" + zlib.compress(json.dumps(ASSERTION).encode())

    parsed = parse_credential_bytes(png(chunk(b"zTXt", body)), offline_settings)

    assert parsed.achievement.name == "Soldering"


def test_png_other_keywords_ignored():
    data = png(chunk(b"tEXt", b"Comment\x00hello"))

    with pytest.raises(InputRejected, match="PNG has no baked badge"):
        extract_png_credential(data, 1024)


def test_png_truncated_rejected():
    data = png(itxt("openbadges", json.dumps(ASSERTION).encode()))

    with pytest.raises(InputRejected, match="truncated or corrupt"):
        extract_png_credential(data[: len(data) // 2], 1024 * 1024)


def test_png_without_iend_rejected():
    data = png(itxt("openbadges", b"{}"))

    with pytest.raises(InputRejected, match="no IEND"):
        extract_png_credential(data[:-12], 1024 * 1024)


def test_png_bad_crc_rejected():
    data = bytearray(png(itxt("openbadges", b'{"a": 1}')))
    data[-20] ^= 0xFF

    with pytest.raises(InputRejected, match="truncated or corrupt"):
        extract_png_credential(bytes(data), 1024 * 1024)


def test_png_ztxt_bomb_rejected():
    bomb = zlib.compress(b"\x00" * (64 * 1024 * 1024), 9)
    data = png(chunk(b"zTXt", b"openbadges\x00\x00" + bomb))

    with pytest.raises(InputRejected, match="decompression bomb"):
        extract_png_credential(data, 1024 * 1024)


def test_png_itxt_bomb_rejected():
    bomb = zlib.compress(b" " * (64 * 1024 * 1024), 9)
    body = b"openbadgecredential\x00\x01\x00\x00\x00" + bomb

    with pytest.raises(InputRejected, match="decompression bomb"):
        extract_png_credential(png(chunk(b"iTXt", body)), 1024 * 1024)


def test_png_two_badges_rejected():
    data = png(itxt("openbadges", b"{}"), itxt("openbadgecredential", b"{}"))

    with pytest.raises(InputRejected, match="exactly one"):
        extract_png_credential(data, 1024)


def test_png_baked_unmapped_url_rejected(offline_settings):
    data = png(chunk(b"tEXt", b"openbadges\x00https://school.example/a/1"))

    with pytest.raises(
        InputRejected,
        match="hosted assertion https://school.example/a/1 cannot be fetched offline",
    ):
        parse_credential_bytes(data, offline_settings)


def test_png_baked_mapped_url_resolves(offline_settings, map_document):
    map_document("https://school.example/a/1", ASSERTION)
    data = png(chunk(b"tEXt", b"openbadges\x00https://school.example/a/1"))

    parsed = parse_credential_bytes(data, offline_settings)

    assert parsed.credential_id == ASSERTION["id"]


SVG_TEMPLATE = """<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:{prefix}="{namespace}">
  {element}
  <circle cx="5" cy="5" r="4"/>
</svg>"""


def test_svg_cdata_json_any_prefix(offline_settings):
    svg = SVG_TEMPLATE.format(
        prefix="ob",
        namespace="http://openbadges.org",
        element=f"<ob:assertion><![CDATA[{json.dumps(ASSERTION)}]]></ob:assertion>",
    )

    parsed = parse_credential_bytes(svg.encode(), offline_settings)

    assert parsed.achievement.name == "Soldering"


def test_svg_ob3_verify_attribute():
    svg = SVG_TEMPLATE.format(
        prefix="openbadges",
        namespace="https://purl.imsglobal.org/ob/v3p0",
        element='<openbadges:credential verify="aaa.bbb.ccc"/>',
    )

    assert extract_svg_credential(svg) == "aaa.bbb.ccc"


def test_svg_without_badge_rejected():
    svg = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'

    with pytest.raises(InputRejected, match="SVG has no baked badge"):
        extract_svg_credential(svg)


def test_svg_other_namespace_ignored():
    svg = SVG_TEMPLATE.format(
        prefix="x",
        namespace="http://evil.example",
        element="<x:assertion>{}</x:assertion>",
    )

    with pytest.raises(InputRejected, match="SVG has no baked badge"):
        extract_svg_credential(svg)


def test_svg_billion_laughs_rejected(offline_settings):
    entities = ['<!ENTITY lol0 "lol">']
    for level in range(1, 10):
        reference = f"&lol{level - 1};"
        entities.append(f'<!ENTITY lol{level} "{reference * 10}">')
    svg = (
        f"<?xml version='1.0'?><!DOCTYPE svg [{''.join(entities)}]>"
        '<svg xmlns="http://www.w3.org/2000/svg">&lol9;</svg>'
    )

    with pytest.raises(InputRejected, match="entities"):
        parse_credential_bytes(svg.encode(), offline_settings)


def test_svg_external_entity_rejected(offline_settings):
    svg = (
        "<?xml version='1.0'?>"
        '<!DOCTYPE svg [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:ob="http://openbadges.org">'
        "<ob:assertion>&secret;</ob:assertion></svg>"
    )

    with pytest.raises(InputRejected, match="entities or external references"):
        parse_credential_bytes(svg.encode(), offline_settings)


def test_svg_malformed_rejected():
    with pytest.raises(InputRejected, match="malformed SVG"):
        extract_svg_credential('<svg xmlns="http://www.w3.org/2000/svg"><g></svg>')
