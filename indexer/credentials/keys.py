"""Public keys for signature checks: did:key, did:web, JWKs and PEM keys.

Keys are returned as public JWK dicts, so the signature code handles every
source the same way.
"""

import base64
from typing import Any

import base58
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from indexer.credentials.fetch import fetch_json
from indexer.errors import InputRejected
from skillbeacon.settings import Settings

# Multicodec prefixes (unsigned varints) of the public key types did:key uses.
ED25519_PUB_PREFIX = b"\xed\x01"
P256_PUB_PREFIX = b"\x80\x24"


class KeyUnavailable(InputRejected):
    """Raised when no usable public key can be found for a signature."""


def _base64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def did_key_to_jwk(did_url: str) -> dict[str, Any]:
    """Decode the Ed25519 or P-256 public key inside a did:key id or DID URL."""
    did = did_url.split("#", 1)[0]
    if not did.startswith("did:key:z"):
        raise KeyUnavailable(f"{did} is not a base58btc did:key")
    try:
        decoded = base58.b58decode(did[len("did:key:z") :])
    except ValueError:
        raise KeyUnavailable(f"{did} is not valid base58btc") from None
    return multikey_to_jwk(decoded, did)


def multibase_to_jwk(multibase: str) -> dict[str, Any]:
    """Decode a base58btc multibase public key (``z6Mk…`` or ``zDn…``)."""
    if not multibase.startswith("z"):
        raise KeyUnavailable(f"key {multibase[:16]}… is not base58btc multibase")
    try:
        decoded = base58.b58decode(multibase[1:])
    except ValueError:
        raise KeyUnavailable(f"key {multibase[:16]}… is not valid base58btc") from None
    return multikey_to_jwk(decoded, multibase)


def multikey_to_jwk(decoded: bytes, label: str) -> dict[str, Any]:
    if decoded.startswith(ED25519_PUB_PREFIX) and len(decoded) == 34:
        return {"kty": "OKP", "crv": "Ed25519", "x": _base64url(decoded[2:])}

    if decoded.startswith(P256_PUB_PREFIX) and len(decoded) == 35:
        try:
            point = ec.EllipticCurvePublicKey.from_encoded_point(
                ec.SECP256R1(), decoded[2:]
            )
        except ValueError:
            raise KeyUnavailable(f"{label} is not a valid P-256 point") from None
        numbers = point.public_numbers()
        return {
            "kty": "EC",
            "crv": "P-256",
            "x": _base64url(numbers.x.to_bytes(32, "big")),
            "y": _base64url(numbers.y.to_bytes(32, "big")),
        }

    raise KeyUnavailable(f"{label} is not an Ed25519 or P-256 public key")


def pem_to_jwk(pem: str) -> dict[str, Any]:
    """Convert an RSA public key in PEM form to a JWK."""
    try:
        key = load_pem_public_key(pem.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        raise KeyUnavailable("the PEM public key is not valid") from None
    if not isinstance(key, rsa.RSAPublicKey):
        raise KeyUnavailable("the PEM public key is not an RSA key")
    numbers = key.public_numbers()
    return {
        "kty": "RSA",
        "n": _base64url(numbers.n.to_bytes((numbers.n.bit_length() + 7) // 8, "big")),
        "e": _base64url(numbers.e.to_bytes((numbers.e.bit_length() + 7) // 8, "big")),
    }


def _controlled_method_jwk(method: dict[str, Any], did: str) -> dict[str, Any] | None:
    """Return a verification method's key if the DID itself controls it."""
    # A method controlled by another DID contains someone else's key.
    if method.get("controller", did) != did:
        return None
    if isinstance(method.get("publicKeyJwk"), dict):
        return dict(method["publicKeyJwk"])
    if isinstance(method.get("publicKeyMultibase"), str):
        return multibase_to_jwk(method["publicKeyMultibase"])
    return None


def resolve_assertion_key(did_url: str, settings: Settings) -> dict[str, Any]:
    """Return the public JWK of a DID URL that may sign credentials.

    A did:web key must be listed under the DID document's assertionMethod,
    either embedded or as a reference to a verificationMethod entry.
    """
    if did_url.startswith("did:key:"):
        did, _, fragment = did_url.partition("#")
        # A did:key has exactly one key, whose fragment is the key itself.
        if fragment and fragment != did[len("did:key:") :]:
            raise KeyUnavailable(f"{did} has no key #{fragment}")
        return did_key_to_jwk(did_url)
    if not did_url.startswith("did:web:"):
        raise KeyUnavailable(f"DID method of {did_url} is not supported")

    did, _, fragment = did_url.partition("#")
    try:
        document = fetch_json(did, settings)
    except InputRejected as error:
        raise KeyUnavailable(f"DID document for {did}: {error.reason}") from None
    if document.get("id") != did:
        raise KeyUnavailable(f"DID document for {did} has id {document.get('id')}")

    accepted_ids = {did_url, f"#{fragment}"} if fragment else {did}
    listed = document.get("verificationMethod", [])
    methods = (
        [item for item in listed if isinstance(item, dict)]
        if isinstance(listed, list)
        else []
    )
    assertion = document.get("assertionMethod", [])
    for entry in assertion if isinstance(assertion, list) else []:
        if isinstance(entry, str):
            if entry not in accepted_ids:
                continue
            entry = next(
                (method for method in methods if method.get("id") in accepted_ids), None
            )
        if not isinstance(entry, dict) or entry.get("id") not in accepted_ids:
            continue
        jwk = _controlled_method_jwk(entry, did)
        if jwk is not None:
            return jwk
    raise KeyUnavailable(
        f"DID document for {did} lists no assertionMethod key {did_url}"
    )
