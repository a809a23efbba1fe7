"""`skillbeacon contexts`: fill and list the local store of JSON-LD contexts
and JSON Schemas."""

from pathlib import Path
from typing import Annotated

import typer

from skillbeacon.settings import get_settings

contexts_app = typer.Typer(
    help="Fill the store of JSON-LD contexts and JSON Schemas that "
    "verification reads from. Verification never fetches either."
)

FolderOption = Annotated[
    Path | None,
    typer.Option(
        "--dir",
        help="Context store folder; defaults to SKILLBEACON_CONTEXT_DIR, "
        "then <state dir>/contexts.",
    ),
]


def store_folder(folder: Path | None) -> Path:
    settings = get_settings()
    if folder is not None:
        return folder
    if settings.context_dir is not None:
        return settings.context_dir
    return settings.state_dir / "contexts"


@contexts_app.command("install-npm")
def install_npm(folder: FolderOption = None) -> None:
    """Install the standard contexts from pinned npm packages (needs npm, node).

    Each context must match the SHA-256 pinned in the product; a package
    whose context changed is refused.
    """
    from indexer.credentials.context_install import (
        ContextInstallError,
        install_npm_packages,
    )

    target = store_folder(folder)
    try:
        urls = install_npm_packages(target)
    except ContextInstallError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"installed {len(urls)} contexts into {target}")
    typer.echo(f"set SKILLBEACON_CONTEXT_DIR={target} to verify with them")


@contexts_app.command("add-map")
def add_map(
    url_map: Annotated[Path, typer.Argument(help="A url-map.json file.")],
    folder: FolderOption = None,
) -> None:
    """Install the contexts and JSON Schemas a URL map's exact table names."""
    from indexer.credentials.context_install import install_url_map_contexts

    target = store_folder(folder)
    urls = install_url_map_contexts(target, url_map)
    typer.echo(f"installed {len(urls)} contexts into {target}")


@contexts_app.command("list")
def list_contexts(folder: FolderOption = None) -> None:
    """List the installed contexts with their SHA-256 and source."""
    from indexer.credentials.context_install import read_index

    target = store_folder(folder)
    index = read_index(target)
    if not index:
        typer.echo(f"no contexts installed in {target}")
        raise typer.Exit(1)
    for url, entry in sorted(index.items()):
        typer.echo(f"{entry['sha256'][:16]}  {url}  ({entry['source']})")


@contexts_app.command("sync")
def sync(
    urls: Annotated[
        list[str], typer.Argument(help="Context or JSON Schema URLs to download.")
    ],
    folder: FolderOption = None,
    refresh: Annotated[
        bool,
        typer.Option(help="Download again and require the recorded hash."),
    ] = False,
) -> None:
    """Download each context or JSON Schema URL once over HTTPS and pin its SHA-256.

    Needs SKILLBEACON_NETWORK_FETCH=true. A URL already in the store is
    skipped; one that the product pins must match its pin.
    """
    from indexer.credentials.context_install import ContextInstallError, sync_contexts

    target = store_folder(folder)
    try:
        downloaded = sync_contexts(target, urls, get_settings(), refresh=refresh)
    except ContextInstallError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"downloaded {len(downloaded)} contexts into {target}")
