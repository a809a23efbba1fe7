"""The `skillbeacon verify` command over the shared credential fixtures."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import structlog
from typer.testing import CliRunner

from skillbeacon import cli
from skillbeacon.settings import get_settings
from tests.indexer.credentials.verdict_table import (
    FOLDERS,
    count_by_folder,
    format_table,
    parse_sources,
)

runner = CliRunner()

CHECK_KEYS = {"name", "outcome", "message"}
VERDICT_KEYS = {
    "path",
    "status",
    "checks",
    "message",
    "nested",
    "endorsements",
    "endorser",
    "endorses",
    "credential_id",
    "name",
    "format",
}
VERIFIED_OB3 = "ob3/dcc-vcore__v2NoStatus.json"
# Signed by a did:key issuer, but its credentialSubject has no id: the indexer
# cannot bind it to a learner, the verify command matches no learner anyway.
VERIFIED_WITHOUT_SUBJECT_ID = (
    "ob3/dcc-vtf__v2-ed25519-didKey-legacy-noStatus-noExpiry-lcwExperience.json"
)
REVOKED_OB3 = "ob3/dcc-vcore__v2Revoked.json"
SIMPLE_CLR = "clr2/1edtech-val__simple.json"
OB05 = "ob2/legacy/validator-core__0_5_assertion.json"
BADGE_CLASS = "ob2/legacy/validator-core__1_0_basic_badgeclass.json"
OB2_WITH_ENDORSEMENTS = "ob2/1edtech-val__assertion-with-endorsements.json"
SIGNED_ENDORSEMENT = (
    "ob3/dcc-vtf__v2-bothSignatureTypes-didkey-legacy-noStatus-notExpired-"
    "endorsement.json"
)

# Files with a counted SOURCES.md verdict, per folder. How many of them
# agree changes as verification grows, so the test prints the table (run
# pytest with -s) and pins only these totals.
COUNTED_FILES = {
    "ob2": 24,
    "ob2/legacy": 5,
    "ob2-baked": 1,
    "ob3": 68,
    "ob3/baked": 4,
    "clr2": 2,
}


@pytest.fixture
def credentials(shared_data: Path, monkeypatch) -> Iterator[Path]:
    """The shared credential folder, with settings from a clean environment."""
    for name in ("URL_MAP", "CONTEXT_DIR"):
        monkeypatch.delenv(f"SKILLBEACON_{name}", raising=False)
    monkeypatch.setenv("SKILLBEACON_LOG_FORMAT", "json")
    get_settings.cache_clear()
    yield shared_data / "credentials"
    get_settings.cache_clear()
    structlog.reset_defaults()


def run_verify(credentials: Path, *arguments: str):
    url_map = str(credentials / "url-map.json")
    return runner.invoke(cli.app, ["verify", "--url-map", url_map, *arguments])


def run_json(credentials: Path, *relative: str) -> tuple[int, list[dict]]:
    paths = [str(credentials / name) for name in relative]
    result = run_verify(credentials, "--json", *paths)
    return result.exit_code, json.loads(result.stdout)


def assert_verdict_shape(verdict: dict) -> None:
    assert set(verdict) == VERDICT_KEYS
    assert isinstance(verdict["message"], str)
    assert verdict["message"]
    for check in verdict["checks"]:
        assert set(check) == CHECK_KEYS
        assert check["outcome"] in ("pass", "fail", "warning")
    for nested in verdict["nested"]:
        assert_verdict_shape(nested)
    for endorsement in verdict["endorsements"]:
        assert_verdict_shape(endorsement)
        assert set(endorsement["endorses"]) == {"type", "id", "path"}


def test_verify_text_verified_exits_0(credentials):
    result = run_verify(credentials, str(credentials / VERIFIED_OB3))

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"{credentials / VERIFIED_OB3}: verified"
    assert "  [pass] signature: Ed25519Signature2020 signature verified" in (
        result.stdout
    )
    assert "  [warning] recipient: no learner to match the recipient against" in (
        result.stdout
    )


def test_verify_json_shape(credentials):
    code, verdicts = run_json(credentials, VERIFIED_OB3, REVOKED_OB3, BADGE_CLASS)

    assert code == 1
    assert len(verdicts) == 3
    for verdict in verdicts:
        assert_verdict_shape(verdict)
    verified, revoked, badge_class = verdicts
    assert verified["path"] == str(credentials / VERIFIED_OB3)
    assert verified["status"] == "verified"
    assert revoked["status"] == "revoked"
    assert revoked["message"].startswith("revocation: ")
    assert badge_class["status"] == "error"
    assert "BadgeClass" in badge_class["message"]
    assert badge_class["checks"] == [
        {"name": "load", "outcome": "fail", "message": badge_class["message"]}
    ]


def test_verify_no_learner_not_unverified(credentials):
    code, verdicts = run_json(credentials, VERIFIED_WITHOUT_SUBJECT_ID)

    assert code == 0
    assert verdicts[0]["status"] == "verified"
    recipient = [c for c in verdicts[0]["checks"] if c["name"] == "recipient"]
    assert recipient[0]["outcome"] == "warning"
    assert "names no recipient identity" in recipient[0]["message"]


def test_verify_clr_lists_nested(credentials):
    code, verdicts = run_json(credentials, SIMPLE_CLR)

    assert code == 1
    clr = verdicts[0]
    assert_verdict_shape(clr)
    assert clr["format"] == "clr2_json"
    assert len(clr["nested"]) == 1
    nested = clr["nested"][0]
    assert nested["path"] == clr["path"]
    assert nested["name"] == "Teamwork Badge"
    assert nested["status"] == "unverified"
    assert "not bound to issuer" in nested["message"]


def test_verify_json_lists_endorsements(credentials):
    exit_code, verdicts = run_json(credentials, OB2_WITH_ENDORSEMENTS)

    assert exit_code == 1
    assertion = verdicts[0]
    assert_verdict_shape(assertion)
    assert assertion["status"] == "unverified"
    assert assertion["endorser"] is None
    statuses = [item["status"] for item in assertion["endorsements"]]
    assert statuses == ["invalid", "invalid", "verified", "verified"]
    badge_endorsement = assertion["endorsements"][2]
    assert badge_endorsement["endorser"] == {
        "id": "http://example.org/issuer1.json",
        "name": "Example Issuer",
    }
    assert badge_endorsement["endorses"] == {
        "type": "BadgeClass",
        "id": "https://example.org/badgeclass-with-endorsements.json",
        "path": "badge.endorsement[0]",
    }


def test_verify_endorsement_file(credentials):
    exit_code, verdicts = run_json(credentials, SIGNED_ENDORSEMENT)

    assert exit_code == 0
    assert_verdict_shape(verdicts[0])
    assert verdicts[0]["status"] == "verified"
    assert verdicts[0]["endorses"]["id"] == "https://1edtech.edu/issuers/565049"


def test_verify_clr_text_indents_nested(credentials):
    result = run_verify(credentials, str(credentials / SIMPLE_CLR))

    assert result.exit_code == 1
    assert "\n  nested [0]\n    Teamwork Badge: unverified\n" in result.stdout


def test_verify_legacy_upgrade_check(credentials):
    code, verdicts = run_json(credentials, OB05)

    assert code == 1
    upgrade = [c for c in verdicts[0]["checks"] if c["name"] == "upgrade"]
    assert upgrade == [
        {
            "name": "upgrade",
            "outcome": "pass",
            "message": "Open Badges 0.5 assertion read as Open Badges 2.0 (plain "
            "recipient email, embedded badge, issuer identified by origin)",
        }
    ]
    assert verdicts[0]["status"] == "unverified"


def test_verify_folder_walks_subfolders(credentials):
    code, verdicts = run_json(credentials, "ob3/baked", "clr2")

    assert code == 1
    names = [Path(verdict["path"]).name for verdict in verdicts]
    assert len(names) == 8
    assert names[0] == "1edtech-val__simple-json.png"
    assert names[-1] == "spec__clr2-eddsa-rdfc-2022-test-vector.json"


def test_verify_context_dir_option(credentials):
    result = run_verify(
        credentials,
        "--context-dir",
        str(credentials / "contexts"),
        str(credentials / VERIFIED_OB3),
    )

    assert result.exit_code == 0, result.output


def test_verify_without_contexts_unverified(credentials, tmp_path):
    url_map = tmp_path / "url-map.json"
    url_map.write_text('{"exact": {}, "prefix": {}, "did_web": {}}')

    result = runner.invoke(
        cli.app,
        [
            "verify",
            "--json",
            "--url-map",
            str(url_map),
            str(credentials / VERIFIED_OB3),
        ],
    )

    assert result.exit_code == 1
    verdict = json.loads(result.stdout)[0]
    assert verdict["status"] == "unverified"
    assert "context" in verdict["message"]


@pytest.mark.parametrize(
    "arguments",
    [
        ["verify"],
        ["verify", "/nonexistent/credential.json"],
        ["verify", "--url-map", "/nonexistent/url-map.json", "."],
        ["verify", "--no-such-option", "."],
    ],
)
def test_verify_usage_errors_exit_2(credentials, arguments):
    result = runner.invoke(cli.app, arguments)

    assert result.exit_code == 2, result.output


def test_verify_malformed_url_map_exit_2(credentials, tmp_path):
    url_map = tmp_path / "url-map.json"
    url_map.write_text('{"exact": ["not", "a", "table"]}')

    result = runner.invoke(
        cli.app, ["verify", "--url-map", str(url_map), str(credentials / OB05)]
    )

    assert result.exit_code == 2
    assert "'exact' must map strings to relative paths" in result.stderr


def test_verify_context_dir_without_map_exit_2(credentials):
    result = runner.invoke(
        cli.app,
        [
            "verify",
            "--context-dir",
            str(credentials / "contexts"),
            str(credentials / VERIFIED_OB3),
        ],
    )

    assert result.exit_code == 2
    assert "--context-dir needs a URL map" in result.stderr


def test_verify_empty_folder_exit_1(credentials, tmp_path):
    result = runner.invoke(cli.app, ["verify", str(tmp_path)])

    assert result.exit_code == 1
    assert "no files found" in result.stderr


def test_verify_escapes_control_characters(credentials, tmp_path):
    path = tmp_path / "evil\x1b[2J.json"
    path.write_text("{}")

    result = runner.invoke(cli.app, ["verify", str(tmp_path)])

    assert result.exit_code == 1
    assert "\x1b" not in result.stdout
    assert "evil\\x1b[2J.json: error" in result.stdout


def test_verify_verdict_table_counts(credentials):
    result = run_verify(credentials, "--json", str(credentials))

    assert result.exit_code == 1
    verdicts = json.loads(result.stdout)
    expected = parse_sources((credentials / "SOURCES.md").read_text())
    counts = count_by_folder(expected, verdicts, credentials)
    print(format_table(counts))
    assert {count.folder: count.total for count in counts} == COUNTED_FILES
    for count in counts:
        assert count.matching + len(count.mismatches) == count.total
    ob3 = counts[FOLDERS.index("ob3")]
    assert not [name for name in ob3.mismatches if name.startswith(VERIFIED_OB3)]
