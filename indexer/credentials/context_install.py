"""Filling the JSON-LD context store: from npm packages or a URL map.

The store is a folder with one file per context and an index,
`contexts.json`, that maps each context URL to its file, the SHA-256 of
that file and where it came from. Files are written as canonical JSON
(sorted keys, no spaces, UTF-8), so the hash of a file is the hash of its
document. The context store refuses a file whose bytes no longer match the
index.
"""

import hashlib
import json
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import structlog

from indexer import safe_json
from indexer.credentials.fetch import fetch_json
from indexer.credentials.url_map import load_url_map
from indexer.errors import InputRejected
from skillbeacon.settings import Settings

log = structlog.get_logger(__name__)

INDEX_FILE = "contexts.json"
MAX_CONTEXT_BYTES = 1024 * 1024
SCHEMA_KEYWORDS = frozenset(
    {"$schema", "$id", "$ref", "$defs", "definitions", "properties"}
    | {"allOf", "anyOf", "oneOf", "required"}
)
# The default nesting limit of the product's JSON reader, which reads the
# store back.
MAX_CONTEXT_DEPTH = Settings.model_fields["max_json_depth"].default
NPM_TIMEOUT_SECONDS = 300

# Prints {url: document} from the Map exports whose keys are http(s) URLs and
# whose values hold an @context, which is how the context packages of the
# field publish their documents. The first export that has a URL wins.
NODE_DUMP_SCRIPT = """
const pkg = require(process.argv[1]);
const out = {};
for (const value of Object.values(pkg)) {
  if (!(value instanceof Map)) continue;
  for (const [url, doc] of value) {
    const isUrl = typeof url === "string" && /^https?:/.test(url);
    if (isUrl && doc && doc["@context"] && !(url in out)) out[url] = doc;
  }
}
process.stdout.write(JSON.stringify(out));
"""


class ContextInstallError(RuntimeError):
    """Raised when a context source cannot be installed into the store."""


@dataclass(frozen=True)
class PackagePin:
    package: str
    version: str
    contexts: dict[str, str]

    @property
    def spec(self) -> str:
        return f"{self.package}@{self.version}"


def canonical_bytes(document: Any) -> bytes:
    return json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def load_package_pins() -> list[PackagePin]:
    """Return the npm packages and context hashes the product trusts."""
    text = (
        resources.files("skillbeacon")
        .joinpath("data/context_packages.json")
        .read_text(encoding="utf-8")
    )
    return [
        PackagePin(item["package"], item["version"], dict(item["contexts"]))
        for item in json.loads(text)["packages"]
    ]


def read_index(folder: Path) -> dict[str, dict[str, str]]:
    path = folder / INDEX_FILE
    if not path.exists():
        return {}
    try:
        index = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise InputRejected(f"context index {path} cannot be read: {error}") from None
    if not isinstance(index, dict):
        raise InputRejected(f"context index {path} is not a JSON object")
    return index


def _file_name(url: str) -> str:
    return sha256_hex(url.encode("utf-8"))[:24] + ".jsonld"


def is_context_or_schema(document: Any) -> bool:
    """Tell whether a document is a JSON-LD context or a JSON Schema.

    A JSON Schema need not name its draft in $schema, so a document with any
    of the keywords that structure a schema counts as one.
    """
    if not isinstance(document, dict):
        return False
    return "@context" in document or not SCHEMA_KEYWORDS.isdisjoint(document)


def store_context(
    folder: Path,
    index: dict[str, dict[str, str]],
    url: str,
    document: Any,
    source: str,
) -> str:
    """Write one context or JSON Schema into the store and record it in the index."""
    if not is_context_or_schema(document):
        raise ContextInstallError(
            f"{source} gives {url} a document that is neither a JSON-LD context "
            "(no @context) nor a JSON Schema (no $schema, properties or other "
            "schema keyword)"
        )
    data = canonical_bytes(document)
    if len(data) > MAX_CONTEXT_BYTES:
        raise ContextInstallError(f"{source} gives {url} a document over 1 MiB")
    name = _file_name(url)
    (folder / name).write_bytes(data)
    digest = sha256_hex(data)
    index[url] = {"file": name, "sha256": digest, "source": source}
    return digest


def write_index(folder: Path, index: dict[str, dict[str, str]]) -> None:
    (folder / INDEX_FILE).write_text(
        json.dumps(index, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )


def contexts_of_package_dir(package_dir: Path, node: str = "node") -> dict[str, Any]:
    """Load a context package with Node.js and return its {url: document}."""
    try:
        completed = subprocess.run(  # noqa: S603 - fixed argv, no shell
            [node, "-e", NODE_DUMP_SCRIPT, str(package_dir)],
            capture_output=True,
            text=True,
            timeout=NPM_TIMEOUT_SECONDS,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise ContextInstallError(f"running {node} failed: {error}") from None
    if completed.returncode != 0:
        tail = completed.stderr.strip().splitlines()[-3:]
        raise ContextInstallError(
            f"{node} could not load {package_dir.name}: {' '.join(tail)}"
        )
    documents = json.loads(completed.stdout or "{}")
    if not isinstance(documents, dict):
        raise ContextInstallError(f"{package_dir.name} exports no context map")
    return documents


def install_package_dir(
    folder: Path,
    index: dict[str, dict[str, str]],
    package_dir: Path,
    pin: PackagePin,
    node: str = "node",
) -> list[str]:
    """Install the pinned contexts of an unpacked package; return their URLs."""
    documents = contexts_of_package_dir(package_dir, node)
    installed = []
    for url, expected in sorted(pin.contexts.items()):
        if url not in documents:
            raise ContextInstallError(f"{pin.spec} does not export {url}")
        data = canonical_bytes(documents[url])
        actual = sha256_hex(data)
        if actual != expected:
            raise ContextInstallError(
                f"{pin.spec} gives {url} with SHA-256 {actual}, but {expected} "
                "is pinned; the package changed, so it is not installed"
            )
        store_context(folder, index, url, documents[url], f"npm:{pin.spec}")
        installed.append(url)
    return installed


def install_npm_packages(
    folder: Path,
    pins: list[PackagePin] | None = None,
    npm: str = "npm",
    node: str = "node",
) -> list[str]:
    """Download the pinned packages with `npm pack` and install their contexts.

    A URL that two packages provide is installed from the first one listed.
    """
    if shutil.which(npm) is None or shutil.which(node) is None:
        raise ContextInstallError(
            "installing contexts from npm packages needs npm and Node.js on PATH"
        )
    folder.mkdir(parents=True, exist_ok=True)
    index = read_index(folder)
    installed: list[str] = []
    seen: set[str] = set()
    with tempfile.TemporaryDirectory(prefix="skillbeacon-contexts-") as scratch:
        for pin in pins or load_package_pins():
            wanted = {u: h for u, h in pin.contexts.items() if u not in seen}
            if not wanted:
                continue
            package_dir = _npm_pack(pin, Path(scratch), npm)
            urls = install_package_dir(
                folder,
                index,
                package_dir,
                PackagePin(pin.package, pin.version, wanted),
                node,
            )
            seen.update(urls)
            installed.extend(urls)
            log.info("contexts.installed", package=pin.spec, contexts=len(urls))
    write_index(folder, index)
    return installed


def _npm_pack(pin: PackagePin, scratch: Path, npm: str) -> Path:
    target = scratch / pin.package.replace("/", "__")
    target.mkdir(parents=True)
    try:
        completed = subprocess.run(  # noqa: S603 - fixed argv, no shell
            [npm, "pack", "--silent", "--pack-destination", str(target), pin.spec],
            capture_output=True,
            text=True,
            timeout=NPM_TIMEOUT_SECONDS,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise ContextInstallError(f"npm pack {pin.spec} failed: {error}") from None
    tarballs = list(target.glob("*.tgz"))
    if completed.returncode != 0 or len(tarballs) != 1:
        raise ContextInstallError(
            f"npm pack {pin.spec} failed: {completed.stderr.strip()[-300:]}"
        )
    with tarfile.open(tarballs[0]) as archive:
        archive.extractall(target, filter="data")
    return target / "package"


def install_url_map_contexts(folder: Path, url_map_path: Path) -> list[str]:
    """Copy every JSON-LD context and JSON Schema that a URL map's exact table names.

    Other files (status lists, DID documents, keys) are left out. Their hashes
    are recorded on first use.
    """
    url_map = load_url_map(url_map_path)
    folder.mkdir(parents=True, exist_ok=True)
    index = read_index(folder)
    installed = []
    for url, relative in sorted(url_map.exact.items()):
        path = url_map.base_dir / relative
        try:
            document = safe_json.loads(
                path.read_bytes(), MAX_CONTEXT_BYTES, MAX_CONTEXT_DEPTH
            )
        except (OSError, InputRejected) as error:
            # Keys, images and over-large or over-deep files are not contexts.
            reason = error.reason if isinstance(error, InputRejected) else "unreadable"
            log.info("contexts.map_entry_skipped", url=url, reason=reason)
            continue
        if not is_context_or_schema(document):
            continue
        if "@context" in document and ("type" in document or "id" in document):
            # A credential or DID document, not a context.
            continue
        store_context(folder, index, url, document, f"file:{path.name}")
        installed.append(url)
    write_index(folder, index)
    log.info("contexts.installed", source=str(url_map_path), contexts=len(installed))
    return installed


def pinned_hashes() -> dict[str, str]:
    """Return the SHA-256 pinned for each context URL by the package list."""
    pins: dict[str, str] = {}
    for pin in load_package_pins():
        for url, digest in pin.contexts.items():
            pins.setdefault(url, digest)
    return pins


def sync_contexts(
    folder: Path, urls: list[str], settings: Settings, refresh: bool = False
) -> list[str]:
    """Download each context URL once through the fetcher and record its hash.

    A URL already in the store is not downloaded again unless `refresh` is
    set; then the new copy must match the recorded hash. A URL the package
    list pins must match that pin. Returns the URLs downloaded.
    """
    if not settings.network_fetch:
        raise ContextInstallError(
            "syncing contexts downloads them; set SKILLBEACON_NETWORK_FETCH=true "
            "for this command"
        )
    folder.mkdir(parents=True, exist_ok=True)
    index = read_index(folder)
    pins = pinned_hashes()
    downloaded = []
    for url in urls:
        known = index.get(url)
        if known is not None and not refresh:
            continue
        try:
            fetched = fetch_json(url, settings)
        except InputRejected as error:
            raise ContextInstallError(f"{url}: {error.reason}") from None
        digest = sha256_hex(canonical_bytes(fetched))
        expected = pins.get(url) or (known or {}).get("sha256")
        if expected is not None and digest != expected:
            raise ContextInstallError(
                f"{url} has SHA-256 {digest}, but {expected} is pinned or "
                "recorded; the document changed, so it is not installed"
            )
        store_context(folder, index, url, fetched, f"url:{url}")
        downloaded.append(url)
        log.info("contexts.synced", url=url, sha256=digest)
    write_index(folder, index)
    return downloaded
