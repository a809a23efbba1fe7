"""The local store of JSON-LD contexts, the only source of contexts while verifying.

The store is filled explicitly. Every URL in the URL map's ``exact`` table
whose file lies inside ``Settings.context_dir`` is a context. So is every
entry of the folder's ``contexts.json`` index, which `skillbeacon contexts`
writes from pinned npm packages or a URL map. Each document is parsed once,
with the usual size and depth limits, and pinned by the SHA-256 of its bytes
at load time. A context URL that is not in the store is an error,
never a fetch.
"""

import copy
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import structlog
from cachetools import LRUCache
from pyld import jsonld  # type: ignore[import-untyped]
from pyld.context_resolver import ContextResolver  # type: ignore[import-untyped]

from indexer import safe_json
from indexer.credentials.context_install import INDEX_FILE, read_index
from indexer.credentials.url_map import load_url_map
from indexer.errors import InputRejected
from skillbeacon.settings import Settings

logger = structlog.get_logger(__name__)

# Resolved (processed) contexts kept per store. An estimate: credentials use a
# few dozen distinct context URLs, so 256 entries leave room for all of them.
RESOLVED_CONTEXT_CACHE_SIZE = 256

DocumentLoader = Callable[[str, dict[str, Any]], dict[str, Any]]


class ContextUnavailable(InputRejected):
    """Raised for a JSON-LD context URL that the local store does not contain."""

    def __init__(self, url: str) -> None:
        super().__init__(f"unknown JSON-LD context {url}; add it to the context store")
        self.url = url


def _reject_every_url(url: str, options: dict[str, Any]) -> dict[str, Any]:
    raise ContextUnavailable(url)


# pyld's own default loader fetches over HTTP. Replacing it process-wide means
# a pyld call without a documentLoader option raises instead of fetching.
jsonld.set_document_loader(_reject_every_url)


@dataclass(frozen=True)
class StoredContext:
    """One context document with the file it came from and its pinned hash."""

    url: str
    path: Path
    sha256: str
    document: dict[str, Any]


@dataclass
class ContextStore:
    """Context documents by URL, and the pyld options that read only from them."""

    contexts: dict[str, StoredContext] = field(default_factory=dict)
    # JSON Schema validators built from stored documents, by SHA-256, so a
    # schema is compiled once per store and not once per credential.
    compiled: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    # URLs whose installed copy was rejected (unreadable, or changed since it
    # was installed), so nothing that needs them may count as checked.
    rejected: set[str] = field(default_factory=set, compare=False)
    _resolved: LRUCache[str, Any] = field(
        default_factory=lambda: LRUCache(maxsize=RESOLVED_CONTEXT_CACHE_SIZE)
    )

    def get(self, url: str) -> StoredContext:
        """Return the stored context for a URL, or raise ContextUnavailable."""
        stored = self.contexts.get(url)
        if stored is None:
            raise ContextUnavailable(url)
        return stored

    def sha256(self, url: str) -> str:
        """Return the hex SHA-256 recorded for a context when it was loaded."""
        return self.get(url).sha256

    def load_document(self, url: str, options: dict[str, Any]) -> dict[str, Any]:
        """Return a pyld RemoteDocument for a stored context URL."""
        stored = self.get(url)
        return {
            "contentType": "application/ld+json",
            "contextUrl": None,
            "documentUrl": url,
            # pyld rewrites relative URLs inside the context it receives, so
            # it gets a copy and the stored document stays as pinned.
            "document": copy.deepcopy(stored.document),
            # The "static" tag lets pyld keep the processed context in this
            # store's cache, so each context is processed once per store.
            "tag": "static",
        }

    def jsonld_options(self) -> dict[str, Any]:
        """Return pyld options whose loader and context cache are this store's."""
        return {
            "documentLoader": self.load_document,
            "contextResolver": ContextResolver(self._resolved, self.load_document),
        }


_stores: dict[tuple[Any, ...], ContextStore] = {}


def load_context_store(settings: Settings) -> ContextStore:
    """Build the context store for these settings, reusing one built before.

    Without ``context_dir``, the store folder under the state folder is used
    when it exists. Otherwise the store is empty, so every context is unknown.
    """
    context_dir = settings.context_dir
    if context_dir is None:
        # `skillbeacon contexts install-npm` fills this folder by default.
        default = settings.state_dir / "contexts"
        if not default.is_dir():
            return ContextStore()
        context_dir = default

    url_map = load_url_map(settings.url_map)
    folder = context_dir.resolve()
    if not folder.is_dir():
        raise InputRejected(
            f"context folder {context_dir} does not exist; check "
            "SKILLBEACON_CONTEXT_DIR"
        )

    entries: list[tuple[str, Path]] = []
    index_file = folder / INDEX_FILE
    for url, relative in sorted(url_map.exact.items()):
        path = (url_map.base_dir / relative).resolve()
        if path.is_relative_to(folder):
            entries.append((url, path))

    # The key includes each file's size and mtime, so an edited context is
    # read (and hashed) again.
    key_parts: list[Any] = [folder, settings.max_input_bytes, settings.max_json_depth]
    if index_file.exists():
        index_status = index_file.stat()
        key_parts.append((index_file, index_status.st_mtime_ns, index_status.st_size))
    for url, path in entries:
        try:
            status = path.stat()
        except OSError:
            key_parts.append((url, path, None))
            continue
        key_parts.append((url, path, status.st_mtime_ns, status.st_size))
    cache_key = tuple(key_parts)
    if cache_key in _stores:
        return _stores[cache_key]

    store = ContextStore()
    for url, path in entries:
        # The URL map also serves keys, status lists and DID documents, so a
        # mapped file that is not a usable JSON object is skipped here.
        try:
            store.contexts[url] = _read_context(url, path, settings)
        except InputRejected as error:
            logger.debug("contexts.map_entry_skipped", url=url, reason=error.reason)
    for url, entry in read_index(folder).items():
        # Installed contexts come after the URL map's, so an installed copy
        # wins where both name the same URL. A file that cannot be read or
        # changed since it was installed is left out and logged: credentials
        # that need it stay unverified, and the others are not held up.
        try:
            stored = _read_context(url, folder / entry["file"], settings)
        except InputRejected as error:
            logger.error("contexts.file_rejected", url=url, reason=error.reason)
            store.rejected.add(url)
            continue
        if stored.sha256 != entry["sha256"]:
            store.rejected.add(url)
            logger.error(
                "contexts.file_rejected",
                url=url,
                reason=f"context file {entry['file']} changed since it was "
                f"installed from {entry['source']}; install it again",
            )
            continue
        store.contexts[url] = stored
    logger.info(
        "contexts.loaded", context_dir=str(folder), contexts=len(store.contexts)
    )
    _stores.clear()
    _stores[cache_key] = store
    return store


def _read_context(url: str, path: Path, settings: Settings) -> StoredContext:
    try:
        size = path.stat().st_size
        if size > settings.max_input_bytes:
            raise InputRejected(
                f"context file {path.name} for {url} is {size} bytes, more than "
                f"the limit of {settings.max_input_bytes} bytes"
            )
        data = path.read_bytes()
    except OSError as error:
        raise InputRejected(
            f"context file {path.name} for {url} cannot be read ({error.strerror})"
        ) from None

    try:
        document = safe_json.loads(
            data, settings.max_input_bytes, settings.max_json_depth
        )
    except InputRejected as error:
        raise InputRejected(
            f"context file {path.name} for {url}: {error.reason}"
        ) from None
    if not isinstance(document, dict):
        raise InputRejected(f"context file {path.name} for {url} is not a JSON object")
    return StoredContext(
        url=url,
        path=path,
        sha256=hashlib.sha256(data).hexdigest(),
        document=document,
    )
