"""Keys for tests that sign credentials and status lists themselves."""

import base64

import base58
from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from joserfc.jwk import OKPKey


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def ed25519_did_key() -> tuple[str, OKPKey]:
    """Return a fresh Ed25519 did:key and its private JWK."""
    private = ed25519.Ed25519PrivateKey.generate()
    public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    did = "did:key:z" + base58.b58encode(b"\xed\x01" + public).decode()
    key = OKPKey.import_key(
        {
            "kty": "OKP",
            "crv": "Ed25519",
            "x": b64url(public),
            "d": b64url(private.private_bytes_raw()),
        }
    )
    return did, key
