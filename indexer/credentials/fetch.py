"""The one fetcher for documents that verification reads by URL.

Hosted assertions, BadgeClasses, issuer profiles, keys, did:web documents and
status lists all come through ``fetch_document``. The URL map is read first.
A document without a local copy is fetched with an HTTP GET only when the
``network_fetch`` setting is on, and then only over https from a public
address. The host is resolved once and every address it resolves to is
checked. The connection goes to the checked address, so a second DNS answer
cannot swap in a private one.
"""

import ipaddress
import socket
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urldefrag

import httpx
import structlog

from indexer import safe_json
from indexer.credentials.url_map import DocumentUnavailable, load_url_map
from indexer.errors import InputRejected
from skillbeacon.settings import Settings

logger = structlog.get_logger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_CACHE_ENTRIES = 512


class DocumentGone(DocumentUnavailable):
    """Raised when the server responds with 410 Gone.

    For an OB 2.0 hosted assertion this means the issuer revoked it.
    """


class FetchRejected(DocumentUnavailable):
    """Raised when a URL, or an address its host resolves to, may not be fetched."""


@dataclass(frozen=True)
class FetchedDocument:
    """The body of a document and where it came from."""

    url: str
    content: bytes
    # The URL after redirects, or the local file's path for a URL map hit.
    source: str
    media_type: str | None = None


_cache: dict[str, tuple[float, FetchedDocument]] = {}
_cache_lock = threading.Lock()


def fetch_json(url: str, settings: Settings) -> dict[str, Any]:
    """Return the JSON object at a URL or did:web id, or raise InputRejected."""
    document = fetch_document(url, settings)
    parsed = safe_json.loads(
        document.content, settings.max_input_bytes, settings.max_json_depth
    )
    if not isinstance(parsed, dict):
        raise InputRejected(f"document at {url} is not a JSON object")
    return parsed


def fetch_document(url: str, settings: Settings) -> FetchedDocument:
    """Return the body stored or served for a URL or did:web id.

    Raises DocumentUnavailable (or its subclasses DocumentGone and
    FetchRejected) when there is no local copy and the document cannot or
    may not be fetched.
    """
    bare_url, _fragment = urldefrag(url)
    local = _local_copy(bare_url, settings)
    if local is not None:
        return local

    if not settings.network_fetch:
        raise DocumentUnavailable(f"{bare_url} cannot be fetched offline")

    target = did_web_url(bare_url) if bare_url.startswith("did:web:") else bare_url
    cached = _cached(target)
    if cached is not None:
        return cached

    document = _fetch_over_network(target, settings)
    _store(target, document, settings.fetch_cache_ttl_seconds)
    return document


def did_web_url(did: str) -> str:
    """Return the https URL of a did:web id's DID document.

    ``did:web:example.com`` maps to ``https://example.com/.well-known/did.json``
    and ``did:web:example.com:user:alice`` to
    ``https://example.com/user/alice/did.json``. A port is written ``%3A``.
    """
    did = urldefrag(did)[0].split("?", 1)[0]
    if not did.startswith("did:web:"):
        raise InputRejected(f"{did} is not a did:web id")

    host, *path = did[len("did:web:") :].split(":")
    host = unquote(host)
    if not host or any(character in host for character in "/\\@?#[] \t"):
        raise InputRejected(f"{did} does not name a valid host")
    if any(segment in ("", ".", "..") or "/" in segment for segment in path):
        raise InputRejected(f"{did} has an empty or relative path segment")

    if not path:
        return f"https://{host}/.well-known/did.json"
    return f"https://{host}/{'/'.join(path)}/did.json"


def resolve_public_addresses(
    host: str, port: int, settings: Settings
) -> list[IPAddress]:
    """Resolve a host once and return its addresses if every one may be fetched.

    A literal IP address is checked without any DNS lookup. Raises
    FetchRejected if any address is private, loopback, link-local, multicast,
    reserved or otherwise not global, so a host cannot mix a public address
    with an internal one.
    """
    try:
        addresses: list[IPAddress] = [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        addresses = _resolve(host, port)

    for address in addresses:
        problem = _address_problem(address, settings)
        if problem is not None:
            raise FetchRejected(
                f"{host} resolves to {address}, {problem}. Only public "
                "addresses are fetched"
            )
    return addresses


def clear_fetch_cache() -> None:
    """Forget every fetched document."""
    with _cache_lock:
        _cache.clear()


def _local_copy(url: str, settings: Settings) -> FetchedDocument | None:
    url_map = load_url_map(settings.url_map)
    path = url_map.resolve_path(url)
    if path is None and url.startswith("did:web:"):
        try:
            path = url_map.resolve_path(did_web_url(url))
        except InputRejected:
            path = None
    if path is None or not path.is_file():
        return None

    if path.stat().st_size > settings.max_input_bytes:
        raise InputRejected(
            f"local copy of {url} is larger than {settings.max_input_bytes} bytes"
        )
    return FetchedDocument(url=url, content=path.read_bytes(), source=str(path))


def _cached(url: str) -> FetchedDocument | None:
    with _cache_lock:
        entry = _cache.get(url)
        if entry is None:
            return None
        expires_at, document = entry
        if expires_at <= time.monotonic():
            del _cache[url]
            return None
        return document


def _store(url: str, document: FetchedDocument, ttl_seconds: float) -> None:
    if ttl_seconds <= 0:
        return
    with _cache_lock:
        if len(_cache) >= MAX_CACHE_ENTRIES:
            # Entries are stored in insertion order, so this drops the oldest.
            del _cache[next(iter(_cache))]
        _cache[url] = (time.monotonic() + ttl_seconds, document)


def _fetch_over_network(url: str, settings: Settings) -> FetchedDocument:
    deadline = time.monotonic() + settings.fetch_total_timeout_seconds
    try:
        current = httpx.URL(url)
    except httpx.InvalidURL:
        raise FetchRejected(f"{url} is not a valid URL") from None

    # trust_env=False keeps proxy variables out, because a proxy would
    # connect to the host by name and skip the address check.
    with httpx.Client(trust_env=False, follow_redirects=False) as client:
        for _hop in range(settings.fetch_max_redirects + 1):
            response = _get(client, current, settings, deadline)
            if isinstance(response, FetchedDocument):
                logger.debug(
                    "document_fetch.completed",
                    url=url,
                    final_url=response.source,
                    bytes=len(response.content),
                )
                return FetchedDocument(
                    url=url,
                    content=response.content,
                    source=response.source,
                    media_type=response.media_type,
                )
            current = response

    raise _failed(
        FetchRejected(f"{url} redirects more than {settings.fetch_max_redirects} times")
    )


def _get(
    client: httpx.Client, url: httpx.URL, settings: Settings, deadline: float
) -> FetchedDocument | httpx.URL:
    """Send one GET and return the body, or the URL that a redirect points to."""
    address = _checked_address(url, settings)

    # The request goes to the checked address. The Host header and the TLS
    # server name (used for certificate checks too) stay the URL's host.
    pinned = url.copy_with(host=str(address))
    headers = {
        "Host": url.netloc.decode("ascii"),
        "Accept": "application/json, application/ld+json, application/vc+jwt, "
        "application/jwt;q=0.9, */*;q=0.1",
        "Accept-Encoding": "identity",
    }
    extensions = {"sni_hostname": url.host} if url.scheme == "https" else {}
    remaining = _remaining(deadline, url)
    timeout = httpx.Timeout(min(settings.fetch_timeout_seconds, remaining))

    try:
        with client.stream(
            "GET", pinned, headers=headers, extensions=extensions, timeout=timeout
        ) as response:
            return _read_response(response, url, settings, deadline)
    except httpx.TimeoutException:
        raise _failed(
            DocumentUnavailable(
                f"fetching {url} timed out after "
                f"{settings.fetch_timeout_seconds:g} seconds"
            )
        ) from None
    except httpx.HTTPError as error:
        raise _failed(
            DocumentUnavailable(f"fetching {url} failed ({type(error).__name__})")
        ) from None


def _read_response(
    response: httpx.Response, url: httpx.URL, settings: Settings, deadline: float
) -> FetchedDocument | httpx.URL:
    status = response.status_code
    if status in REDIRECT_STATUSES:
        location = response.headers.get("location")
        if not location:
            raise _failed(
                DocumentUnavailable(f"{url} redirects (HTTP {status}) without Location")
            )
        return url.join(location)
    if status == 410:
        raise _failed(DocumentGone(f"{url} is gone (HTTP 410 Gone)"))
    if status == 404:
        raise _failed(DocumentUnavailable(f"{url} was not found (HTTP 404)"))
    if status != 200:
        raise _failed(DocumentUnavailable(f"fetching {url} failed with HTTP {status}"))

    encoding = response.headers.get("content-encoding", "identity").lower()
    if encoding != "identity":
        raise _failed(
            DocumentUnavailable(
                f"{url} was sent with Content-Encoding {encoding}, but only "
                "identity was requested"
            )
        )

    limit = settings.fetch_max_bytes
    too_large = DocumentUnavailable(f"{url} is larger than {limit} bytes")
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _failed(too_large)

    body = bytearray()
    # Without a chunk size, iter_raw yields each network read as it arrives,
    # so the size and time limits are checked after every read.
    for chunk in response.iter_raw():
        body.extend(chunk)
        if len(body) > limit:
            raise _failed(too_large)
        _remaining(deadline, url)

    media_type = response.headers.get("content-type", "").split(";", 1)[0].strip()
    return FetchedDocument(
        url=str(url), content=bytes(body), source=str(url), media_type=media_type
    )


def _remaining(deadline: float, url: httpx.URL) -> float:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise _failed(
            DocumentUnavailable(f"fetching {url} took longer than its total time limit")
        )
    return remaining


def _checked_address(url: httpx.URL, settings: Settings) -> IPAddress:
    allowed_schemes: tuple[str, ...] = ("https",)
    if settings.fetch_allow_insecure_loopback_for_tests:
        allowed_schemes = ("https", "http")
    if url.scheme not in allowed_schemes:
        raise _failed(FetchRejected(f"{url} does not use https, so it is not fetched"))
    if url.userinfo:
        raise _failed(FetchRejected(f"URL for {url.host} contains user credentials"))
    if not url.host:
        raise _failed(FetchRejected(f"{url} has no host"))

    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        addresses = resolve_public_addresses(url.host, port, settings)
    except DocumentUnavailable as error:
        raise _failed(error) from None
    return addresses[0]


def _resolve(host: str, port: int) -> list[IPAddress]:
    # NOTE: getaddrinfo has no timeout of its own, so a slow resolver can
    # hold a fetch past fetch_total_timeout_seconds.
    try:
        answers = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
        )
    except (socket.gaierror, UnicodeError) as error:
        raise DocumentUnavailable(f"host {host} cannot be resolved ({error})") from None

    addresses: list[IPAddress] = []
    for _family, _type, _proto, _name, socket_address in answers:
        # An IPv6 scope id ("fe80::1%eth0") is dropped before parsing.
        address = ipaddress.ip_address(str(socket_address[0]).split("%", 1)[0])
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise DocumentUnavailable(f"host {host} resolves to no address")
    return addresses


def _address_problem(address: IPAddress, settings: Settings) -> str | None:
    """Return why an address may not be fetched, or None if it may."""
    for embedded in _embedded_ipv4(address):
        problem = _address_problem(embedded, settings)
        if problem is not None:
            return f"which embeds {embedded}, {problem}"

    if address.is_loopback:
        if settings.fetch_allow_insecure_loopback_for_tests:
            return None
        return "a loopback address"
    if address.is_link_local:
        return "a link-local address"
    if address.is_multicast:
        return "a multicast address"
    if address.is_unspecified:
        return "the unspecified address"
    if address.is_reserved:
        return "a reserved address"
    if address.is_private:
        return "a private address"
    if not address.is_global:
        return "an address that is not globally routable"
    return None


def _embedded_ipv4(address: IPAddress) -> list[ipaddress.IPv4Address]:
    # IPv4-mapped, 6to4 and Teredo addresses reach an IPv4 host, so that host
    # is checked as well.
    if not isinstance(address, ipaddress.IPv6Address):
        return []
    embedded = [address.ipv4_mapped, address.sixtofour]
    if address.teredo is not None:
        embedded.extend(address.teredo)
    return [item for item in embedded if item is not None]


def _failed(error: DocumentUnavailable) -> DocumentUnavailable:
    logger.warning(
        "document_fetch.failed", error_type=type(error).__name__, reason=error.reason
    )
    return error
