"""Offline resolution of URLs and did:web ids to local files.

The map is a JSON file with three tables, all paths relative to the map's
folder: ``exact`` maps a URL to a file, ``prefix`` maps a URL prefix to a
folder (the rest of the URL path is appended), and ``did_web`` maps a did:web
id to its DID document. The fetcher (``fetch.py``) reads this map before it
considers the network.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag

from indexer import safe_json
from indexer.errors import InputRejected
from skillbeacon.settings import Settings


class DocumentUnavailable(InputRejected):
    """Raised when a document has no local copy and cannot be fetched."""


@dataclass(frozen=True)
class UrlMap:
    """URL, URL-prefix and did:web tables pointing at files under ``base_dir``."""

    base_dir: Path
    exact: dict[str, str] = field(default_factory=dict)
    prefix: dict[str, str] = field(default_factory=dict)
    did_web: dict[str, str] = field(default_factory=dict)

    def resolve_path(self, url: str) -> Path | None:
        """Return the local file for a URL or did:web id, or None if unmapped."""
        bare_url, _fragment = urldefrag(url)
        bare_url = bare_url.split("?", 1)[0]

        if bare_url in self.did_web:
            return self._inside_base(self.did_web[bare_url])
        if bare_url in self.exact:
            return self._inside_base(self.exact[bare_url])

        # Longest prefix first, so a more specific folder wins.
        for url_prefix in sorted(self.prefix, key=len, reverse=True):
            if bare_url.startswith(url_prefix):
                rest = bare_url[len(url_prefix) :]
                if not rest:
                    return None
                folder = self._inside_base(self.prefix[url_prefix])
                if folder is None:
                    return None
                candidate = (folder / rest).resolve()
                # A URL path with ".." must not reach files outside the folder.
                if not candidate.is_relative_to(folder):
                    return None
                return candidate
        return None

    def _inside_base(self, relative: str) -> Path | None:
        path = (self.base_dir / relative).resolve()
        if not path.is_relative_to(self.base_dir):
            return None
        return path


EMPTY_URL_MAP = UrlMap(base_dir=Path("/nonexistent"))

_cache: dict[tuple[Path, int, int], UrlMap] = {}


def load_url_map(path: Path | None) -> UrlMap:
    """Read a URL map file, or return an empty map when no file is configured."""
    if path is None:
        return EMPTY_URL_MAP

    resolved = path.resolve()
    try:
        status = resolved.stat()
        # The key includes size and mtime, so an edited map is read again.
        cache_key = (resolved, status.st_mtime_ns, status.st_size)
        if cache_key in _cache:
            return _cache[cache_key]
        text = resolved.read_bytes()
    except OSError as error:
        raise InputRejected(
            f"URL map {path} cannot be read ({error.strerror}); check "
            "SKILLBEACON_URL_MAP"
        ) from None
    document = safe_json.loads(text, max_bytes=10 * 1024 * 1024, max_depth=8)
    if not isinstance(document, dict):
        raise InputRejected(f"URL map {path} must be a JSON object")

    tables: dict[str, dict[str, str]] = {}
    for name in ("exact", "prefix", "did_web"):
        table = document.get(name, {})
        if not isinstance(table, dict) or not all(
            isinstance(key, str) and isinstance(value, str)
            for key, value in table.items()
        ):
            raise InputRejected(
                f"URL map {path}: '{name}' must map strings to relative paths"
            )
        tables[name] = table

    url_map = UrlMap(base_dir=resolved.parent, **tables)
    _cache[cache_key] = url_map
    return url_map


# Documents already read within one credential's parse or verification.
_memo: ContextVar[dict[str, dict[str, Any]] | None] = ContextVar(
    "fetched_documents", default=None
)


@contextmanager
def fetch_memo() -> Iterator[None]:
    """Read each URL at most once until the outermost such block ends.

    A CLR may contain hundreds of assertions that name one badge class or
    issuer, and without this each of them would read and parse it again.
    NOTE: the documents are shared, not copied, so a caller that changed
    one would change it for the others; no caller does today.
    """
    if _memo.get() is not None:
        yield
        return
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def fetch_json(url: str, settings: Settings) -> dict[str, Any]:
    """Return the JSON object for a URL or did:web id, read through the fetcher."""
    # Imported here because the fetcher itself reads the map from this module.
    from indexer.credentials.fetch import fetch_json as fetch_json_document

    memo = _memo.get()
    if memo is not None and url in memo:
        return memo[url]
    document = fetch_json_document(url, settings)
    if memo is not None:
        memo[url] = document
    return document
