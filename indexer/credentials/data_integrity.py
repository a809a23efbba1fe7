"""Verification of embedded Data Integrity proofs with Ed25519 keys.

Supported: DataIntegrityProof with cryptosuite ``eddsa-rdfc-2022`` (and its
earlier name ``eddsa-2022``, with a warning), and ``Ed25519Signature2020``.
Both hash the RDFC-1.0 (URDNA2015) canonical N-Quads of the proof options and
of the document without its proof, and sign SHA-256(options) followed by
SHA-256(document) with Ed25519. JSON-LD contexts come only from the local
context store. Other proof types and cryptosuites are reported as unsupported,
never as invalid.
"""

import base64
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import base58
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pyld import jsonld  # type: ignore[import-untyped]
from pyld.canon import URDNA2015  # type: ignore[import-untyped]

from indexer.credentials.contexts import (
    ContextStore,
    ContextUnavailable,
    load_context_store,
)
from indexer.credentials.keys import (
    KeyUnavailable,
    multibase_to_jwk,
    resolve_assertion_key,
)
from indexer.credentials.parse import describe_issuer, parse_date
from indexer.errors import InputRejected
from skillbeacon.settings import Settings

EDDSA_RDFC_2022 = "eddsa-rdfc-2022"
# Earlier draft name of eddsa-rdfc-2022, with the same algorithm.
EDDSA_2022 = "eddsa-2022"
ED25519_SIGNATURE_2020 = "Ed25519Signature2020"
SIGNATURE_BYTES = 64

# RDFC-1.0 hashes blank nodes "to the Nth degree" only when their first-degree
# hashes collide, and a crafted graph makes that exponential. Credentials
# need a handful of such calls at most. This cap is an estimate, not a
# measured bound.
MAX_N_DEGREE_HASHES = 2000


# JSON-LD keywords a credential may use as keys. The others (@id and @type,
# which credential contexts alias to id and type, and @nest, @graph,
# @included and @reverse) can move a signed property to where the reader of
# the JSON does not look.
ALLOWED_KEYWORD_KEYS = frozenset(
    {"@context", "@value", "@language", "@direction", "@list", "@set"}
)


class FindingOutcome(StrEnum):
    passed = "passed"
    invalid = "invalid"
    # The proof may be sound, but it cannot be checked offline.
    unchecked = "unchecked"
    # Worth showing, but it does not change the status.
    warning = "warning"


@dataclass(frozen=True)
class ProofFinding:
    """One finding about the embedded proofs, named like a verification check."""

    check: str
    outcome: FindingOutcome
    message: str


class _ProofInvalid(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class CanonicalizationTooComplex(InputRejected):
    """Raised when RDF canonicalization exceeds its work limit."""


class _BoundedURDNA2015(URDNA2015):  # type: ignore[misc]
    def __init__(self) -> None:
        super().__init__()
        self.n_degree_hashes = 0

    def hash_n_degree_quads(self, id_: str, issuer: Any) -> Any:
        self.n_degree_hashes += 1
        if self.n_degree_hashes > MAX_N_DEGREE_HASHES:
            raise CanonicalizationTooComplex(
                "RDF canonicalization needs more than "
                f"{MAX_N_DEGREE_HASHES} blank node hashes; the credential's "
                "blank node structure is too complex to verify"
            )
        return super().hash_n_degree_quads(id_, issuer)


def check_data_integrity_proofs(
    document: dict[str, Any], issuer_id: str | None, settings: Settings
) -> list[ProofFinding]:
    """Check every embedded proof of a JSON-LD credential.

    The credential passes only if every supported proof verifies. Unsupported
    proofs give a warning and are otherwise ignored.
    """
    proofs = document.get("proof")
    if isinstance(proofs, dict):
        proofs = [proofs]
    if not isinstance(proofs, list) or not proofs:
        return [
            ProofFinding(
                "proof",
                FindingOutcome.invalid,
                "the issuer did not sign this credential (it has no proof and "
                "is not a signed JWT), so who issued it cannot be confirmed",
            )
        ]

    store = load_context_store(settings)
    try:
        _check_no_dropped_terms(document, store)
        unsigned = {key: value for key, value in document.items() if key != "proof"}
        _check_plain_keys(unsigned, store)
        inline = _inline_context_paths(unsigned)
        if inline:
            # An inline context can give a signed property a new name, which
            # the reader of the JSON would not know.
            return [
                ProofFinding(
                    "jsonld",
                    FindingOutcome.unchecked,
                    f"the credential defines its own JSON-LD terms at {inline[0]}, "
                    "so what it shows cannot be tied to what is signed",
                )
            ]
        document_hash = _canonical_hash(unsigned, store)
    except _ProofInvalid as error:
        return [ProofFinding("jsonld", FindingOutcome.invalid, error.message)]
    except ContextUnavailable as error:
        return [_context_unchecked(error)]
    except CanonicalizationTooComplex as error:
        return [_too_complex(error)]
    except InputRejected as error:
        return [ProofFinding("jsonld", FindingOutcome.invalid, error.reason)]

    findings: list[ProofFinding] = []
    for proof in proofs:
        findings.extend(
            _check_proof(proof, document, document_hash, issuer_id, store, settings)
        )
    return findings


def _too_complex(error: CanonicalizationTooComplex) -> ProofFinding:
    return ProofFinding(
        "signature",
        FindingOutcome.unchecked,
        f"proof cannot be checked: {error.reason}",
    )


def _context_unchecked(error: ContextUnavailable) -> ProofFinding:
    return ProofFinding(
        "signature",
        FindingOutcome.unchecked,
        f"proof cannot be checked offline: {error.reason}",
    )


def _proof_expiry_problem(proof: dict[str, Any]) -> str | None:
    # A proof may carry its own end date, after which it proves nothing.
    try:
        expires = parse_date(proof.get("expires"), "proof expires")
    except InputRejected as error:
        return error.reason
    if expires is not None and expires < datetime.now(UTC):
        return f"proof expired on {expires.date().isoformat()}"
    return None


def _check_proof(
    proof: Any,
    document: dict[str, Any],
    document_hash: bytes,
    issuer_id: str | None,
    store: ContextStore,
    settings: Settings,
) -> list[ProofFinding]:
    if not isinstance(proof, dict):
        return [ProofFinding("proof", FindingOutcome.invalid, "proof is not an object")]

    suite = _suite_name(proof)
    if suite not in (EDDSA_RDFC_2022, EDDSA_2022, ED25519_SIGNATURE_2020):
        return [
            ProofFinding(
                "proof",
                FindingOutcome.warning,
                f"proof {suite} is unsupported, so it was not checked",
            )
        ]

    expired = _proof_expiry_problem(proof)
    if expired is not None:
        return [ProofFinding("proof", FindingOutcome.invalid, expired)]

    findings: list[ProofFinding] = []
    if suite == EDDSA_2022:
        findings.append(
            ProofFinding(
                "proof",
                FindingOutcome.warning,
                "cryptosuite eddsa-2022 is the draft name of eddsa-rdfc-2022; "
                "issuers should sign with eddsa-rdfc-2022",
            )
        )

    try:
        signature = _proof_signature(proof, suite)
        public_key, key_finding = _verification_key(proof, issuer_id, settings)
        options_hash = _canonical_hash(_proof_options(proof, document), store)
    except _ProofInvalid as error:
        return [
            *findings,
            ProofFinding("signature", FindingOutcome.invalid, error.message),
        ]
    except ContextUnavailable as error:
        return [*findings, _context_unchecked(error)]
    except CanonicalizationTooComplex as error:
        return [*findings, _too_complex(error)]
    except KeyUnavailable as error:
        return [
            *findings,
            ProofFinding(
                "signature",
                FindingOutcome.unchecked,
                f"{suite} proof cannot be checked offline: {error.reason}",
            ),
        ]
    except InputRejected as error:
        return [
            *findings,
            ProofFinding("signature", FindingOutcome.invalid, error.reason),
        ]

    if key_finding is not None:
        findings.append(key_finding)
    try:
        public_key.verify(signature, options_hash + document_hash)
    except InvalidSignature:
        findings.append(
            ProofFinding(
                "signature",
                FindingOutcome.invalid,
                f"{suite} signature does not verify with key "
                f"{proof.get('verificationMethod')}",
            )
        )
        return findings
    findings.append(
        ProofFinding(
            "signature",
            FindingOutcome.passed,
            f"{suite} signature verified with key {proof.get('verificationMethod')}",
        )
    )
    return findings


def _suite_name(proof: dict[str, Any]) -> str:
    proof_type = proof.get("type")
    cryptosuite = proof.get("cryptosuite")
    if proof_type == "DataIntegrityProof" and isinstance(cryptosuite, str):
        return cryptosuite
    if isinstance(proof_type, str):
        return proof_type
    return "of unknown type"


def _proof_signature(proof: dict[str, Any], suite: str) -> bytes:
    if proof.get("proofPurpose") != "assertionMethod":
        raise _ProofInvalid(
            f"{suite} proof purpose is {proof.get('proofPurpose')!r}, but a "
            "credential must be signed for assertionMethod"
        )
    proof_value = proof.get("proofValue")
    if not isinstance(proof_value, str) or not proof_value.startswith("z"):
        raise _ProofInvalid(f"{suite} proofValue is missing or not base58btc multibase")
    try:
        signature = base58.b58decode(proof_value[1:])
    except ValueError:
        raise _ProofInvalid(f"{suite} proofValue is not valid base58btc") from None
    if len(signature) != SIGNATURE_BYTES:
        raise _ProofInvalid(
            f"{suite} proofValue is {len(signature)} bytes, not an Ed25519 "
            f"signature of {SIGNATURE_BYTES} bytes"
        )
    return signature


def _verification_key(
    proof: dict[str, Any], issuer_id: str | None, settings: Settings
) -> tuple[Ed25519PublicKey, ProofFinding | None]:
    method = proof.get("verificationMethod")
    if isinstance(method, dict):
        method = method.get("id")
    if not isinstance(method, str) or not method:
        raise _ProofInvalid("proof names no verificationMethod")

    controller, _, fragment = method.partition("#")
    if ":" not in controller:
        raise _ProofInvalid(
            f"verificationMethod {method} is not a URL or DID (it has no scheme)"
        )
    if controller != issuer_id:
        raise _ProofInvalid(
            f"verificationMethod {method} is controlled by {controller}, not by "
            f"{describe_issuer(issuer_id)}"
        )

    key_finding = None
    if method.startswith("did:"):
        jwk = resolve_assertion_key(method, settings)
    elif fragment.startswith("z"):
        # The 1EdTech convention: the fragment of the issuer's URL is the
        # multibase public key itself, so nothing is fetched. Nothing else
        # ties that key to the issuer either.
        jwk = multibase_to_jwk(fragment)
        key_finding = ProofFinding(
            "issuer_key",
            FindingOutcome.unchecked,
            "the signing key is taken from the verificationMethod URL itself, "
            f"so it is not bound to {describe_issuer(issuer_id)}",
        )
    else:
        raise KeyUnavailable(
            f"verificationMethod {method} is neither a DID nor an issuer URL "
            "whose fragment is a multibase key"
        )

    if jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519":
        raise _ProofInvalid(
            f"verificationMethod {method} is a {jwk.get('crv')} key, not Ed25519"
        )
    raw_key = _base64url_decode(jwk["x"])
    return Ed25519PublicKey.from_public_bytes(raw_key), key_finding


def _base64url_decode(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def _proof_options(proof: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    options = {
        key: value
        for key, value in proof.items()
        if key not in ("proofValue", "@context")
    }
    # Both suites canonicalize the proof options under the document's context.
    options["@context"] = document.get("@context")
    return options


def _check_no_dropped_terms(document: dict[str, Any], store: ContextStore) -> None:
    """Raise if expansion would drop a property or leave a relative IRI.

    Canonicalization leaves such data out of what is signed, so a verified
    signature would not cover everything the credential shows.
    """
    if "@context" not in document:
        raise _ProofInvalid("credential has no @context, so it is not JSON-LD")

    dropped: list[str] = []

    def record_dropped(term: str | None) -> None:
        dropped.append(str(term))

    expanded = _expand(document, store, record_dropped)
    relative = _relative_references(expanded)
    problems = []
    if dropped:
        names = ", ".join(sorted(set(dropped)))
        problems.append(
            f"term(s) {names} are not defined by the credential's JSON-LD context"
        )
    if relative:
        names = ", ".join(sorted(set(relative)))
        problems.append(f"relative reference(s) {names} are not absolute IRIs")
    if problems:
        raise _ProofInvalid(
            "; ".join(problems) + ", so the signature would not cover them"
        )


def _check_plain_keys(unsigned: dict[str, Any], store: ContextStore) -> None:
    """Raise if a property is written as an IRI or under a JSON-LD keyword.

    The proof covers the RDF graph, but the product reads JSON keys. A signed
    property renamed to its full IRI (or moved under @id) stays covered by
    the signature while the parser no longer reads it, so a revoked or
    expired credential could pass as current. Credentials write their
    properties under the terms of their contexts, so such keys are rejected.
    """
    aliases = _keyword_aliases(unsigned, store)
    unexpected = sorted(_iri_keys(unsigned, aliases))
    if unexpected:
        paths = ", ".join(unexpected[:3])
        raise _ProofInvalid(
            f"propert(ies) at {paths} are written as IRIs or JSON-LD keywords "
            "(or aliases of them) instead of the terms of the credential's "
            "context, so what is shown could differ from what is signed"
        )


def _inline_context_paths(document: dict[str, Any]) -> list[str]:
    """Return the paths where the document has a context object, not a URL."""
    return [
        path
        for path, key, value in _keys(document)
        if key == "@context"
        and any(not isinstance(context, str) for context in _as_list(value))
    ]


def _keyword_aliases(document: dict[str, Any], store: ContextStore) -> set[str]:
    """Return the terms that the credential's stored contexts map to keywords.

    The id and type aliases are left out. An example is the ODRL context,
    whose uid means @id.
    """
    urls = {
        context
        for _path, key, value in _keys(document)
        if key == "@context"
        for context in _as_list(value)
        if isinstance(context, str)
    }
    aliases: set[str] = set()
    for url in urls:
        stored = store.contexts.get(url)
        if stored is not None:
            _collect_aliases(stored.document, aliases)
    return aliases - {"id", "type"}


def _collect_aliases(value: Any, aliases: set[str]) -> None:
    if isinstance(value, dict):
        for key, definition in value.items():
            target = (
                definition.get("@id") if isinstance(definition, dict) else definition
            )
            if (
                not key.startswith("@")
                and isinstance(target, str)
                and target.startswith("@")
            ):
                aliases.add(key)
            _collect_aliases(definition, aliases)
    elif isinstance(value, list):
        for child in value:
            _collect_aliases(child, aliases)


def _iri_keys(document: dict[str, Any], aliases: set[str]) -> set[str]:
    """Return the paths of keys that are IRIs, keywords or keyword aliases."""
    found: set[str] = set()
    for path, key, _value in _keys(document):
        if key == "@context":
            continue
        keyword = key.startswith("@") and key not in ALLOWED_KEYWORD_KEYS
        if ":" in key or keyword or key in aliases:
            found.add(path)
    return found


def _keys(value: Any, prefix: str = "$") -> Iterator[tuple[str, str, Any]]:
    """Yield the path, key and value of every object member, depth first.

    Array positions are left out of the paths. The values of @context are
    not entered.
    """
    if isinstance(value, dict):
        for key, child in value.items():
            path = f"{prefix}.{key}"
            yield path, key, child
            if key != "@context":
                yield from _keys(child, path)
    elif isinstance(value, list):
        for child in value:
            yield from _keys(child, prefix)


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _expand(document: dict[str, Any], store: ContextStore, on_dropped: Any) -> Any:
    try:
        return jsonld.expand(
            document, store.jsonld_options(), on_property_dropped=on_dropped
        )
    except jsonld.JsonLdError as error:
        raise _jsonld_failure(error) from None


def _relative_references(expanded: Any) -> list[str]:
    # Iterative, so a deep document cannot exhaust the Python stack.
    found: list[str] = []
    stack = [expanded]
    while stack:
        current = stack.pop()
        if isinstance(current, list):
            stack.extend(current)
            continue
        if not isinstance(current, dict):
            continue
        node_id = current.get("@id")
        if isinstance(node_id, str) and not _is_absolute(node_id):
            found.append(f"@id {node_id!r}")
        node_types = current.get("@type", [])
        if "@value" not in current:
            for node_type in node_types if isinstance(node_types, list) else []:
                if isinstance(node_type, str) and not _is_absolute(node_type):
                    found.append(f"@type {node_type!r}")
        stack.extend(
            value for key, value in current.items() if key not in ("@id", "@type")
        )
    return found


def _is_absolute(iri: str) -> bool:
    # pyld resolves a relative reference against its own placeholder base
    # (jsonld.DEFAULT_BASE_IRI, "http://example.org/base/" in pyld 3.3), so
    # such an IRI came from a relative reference too. NOTE: a document that
    # really uses IRIs under that placeholder is flagged as well.
    if iri.startswith(jsonld.DEFAULT_BASE_IRI):
        return False
    return iri.startswith("_:") or ":" in iri


def _canonical_hash(document: dict[str, Any], store: ContextStore) -> bytes:
    """Return SHA-256 of the RDFC-1.0 canonical N-Quads of a JSON-LD document."""
    try:
        dataset = jsonld.to_rdf(document, store.jsonld_options())
    except jsonld.JsonLdError as error:
        raise _jsonld_failure(error) from None
    canonical = _BoundedURDNA2015().main(dataset, {"format": "application/n-quads"})
    return hashlib.sha256(canonical.encode("utf-8")).digest()


def _jsonld_failure(error: Exception) -> InputRejected:
    # pyld wraps the loader's exception, so the unknown context is found by
    # walking the chain of causes.
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, ContextUnavailable):
            return cause
        cause = cause.__cause__ or cause.__context__
    return InputRejected(f"credential is not valid JSON-LD: {_first_line(error)}")


def _first_line(error: Exception) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__
