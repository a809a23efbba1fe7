"""Administration commands: `skillbeacon keys create`, `list` and `revoke`."""

from typing import Annotated

import typer

from skillbeacon.api_keys import ApiKeyRecord, Role

keys_app = typer.Typer(help="Create, list and revoke API keys.")

# Columns of `keys list`. The key and its hash are never shown.
KEY_LIST_COLUMNS = (
    "key_id",
    "role",
    "organization",
    "groups",
    "youth",
    "learner_id",
    "created",
    "revoked",
)


@keys_app.command("create")
def keys_create(
    role: Annotated[Role, typer.Option(help="What the key may do.")],
    learner: Annotated[
        str | None,
        typer.Option(help="The learner id a learner key is bound to."),
    ] = None,
    organization: Annotated[
        str | None,
        typer.Option(help="Employer name for recruiter and hr_system keys."),
    ] = None,
    group: Annotated[
        list[str] | None,
        typer.Option(
            help="Employer group of a recruiter or hr_system key. Repeat the "
            "option for several groups. Learners who limit consent to named "
            "groups are shown only to keys sharing one of them.",
        ),
    ] = None,
    youth_program: Annotated[
        bool,
        typer.Option(
            "--youth-program",
            help="Enroll a recruiter or hr_system key in youth programs, so its "
            "searches show minors who have guardian consent and agreed to "
            "youth programs.",
        ),
    ] = False,
) -> None:
    """Create an API key and print it once; only its hash is stored."""
    from skillbeacon.cli import fail, load_settings, ready_client
    from skillbeacon.store.api_keys import create_api_key
    from skillbeacon.store.candidates import get_candidate

    settings = load_settings()
    client = ready_client(settings)
    try:
        record, key = create_api_key(
            client,
            settings,
            role,
            learner_id=learner,
            organization=organization,
            employer_groups=group or [],
            youth_program=youth_program,
        )
    except ValueError as error:
        raise fail(str(error), code=2) from None
    typer.echo(key)
    if learner is not None and get_candidate(client, settings, learner) is None:
        # The key is still created, because the learner may be indexed later.
        typer.echo(
            f"warning: no learner with id {learner!r} is indexed. Check the id; "
            "the key opens the preview only once the learner is indexed.",
            err=True,
        )
    scope = ""
    if record.employer_groups:
        scope += f", employer groups {', '.join(record.employer_groups)}"
    if record.youth_program:
        scope += ", enrolled in youth programs"
    typer.echo(
        f"key id {record.key_id}, role {record.role.value}{scope}. Store the key "
        "now; it cannot be shown again.",
        err=True,
    )


@keys_app.command("revoke")
def keys_revoke(
    key_id: Annotated[str, typer.Argument(help="The key id: the hex after sb_.")],
) -> None:
    """Revoke a key by its id; requests with it fail from then on."""
    from skillbeacon.cli import fail, load_settings, ready_client
    from skillbeacon.store.api_keys import revoke_api_key

    settings = load_settings()
    client = ready_client(settings)
    if not revoke_api_key(client, settings, key_id):
        raise fail(f"no API key has id {key_id[:40]!r}")
    typer.echo(f"revoked key {key_id}")


def _key_row(record: ApiKeyRecord) -> list[str]:
    return [
        record.key_id,
        record.role.value,
        record.organization or "-",
        ",".join(record.employer_groups) or "-",
        "yes" if record.youth_program else "no",
        record.learner_id or "-",
        record.created_at.isoformat(timespec="seconds"),
        record.revoked_at.isoformat(timespec="seconds") if record.revoked_at else "-",
    ]


@keys_app.command("list")
def keys_list() -> None:
    """List every API key, revoked ones included, oldest first.

    Prints one tab-separated line per key under a header line. The key and
    its hash are never printed.
    """
    from skillbeacon.cli import load_settings, ready_client
    from skillbeacon.store.api_keys import list_api_keys

    settings = load_settings()
    client = ready_client(settings)
    records = list_api_keys(client, settings)
    typer.echo("\t".join(KEY_LIST_COLUMNS))
    for record in records:
        typer.echo("\t".join(_key_row(record)))
    typer.echo(f"{len(records)} key(s)", err=True)
