"""Credential loading, baked-badge extraction, parsing and verification."""

from indexer.credentials.load import load_credential_entry, load_credential_file
from indexer.credentials.verify import verify_credential, verify_credential_tree

__all__ = [
    "load_credential_entry",
    "load_credential_file",
    "verify_credential",
    "verify_credential_tree",
]
