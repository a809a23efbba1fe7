"""Reading SOURCES.md verdicts and counting agreement with verify output."""

from pathlib import Path

import pytest

from tests.indexer.credentials.verdict_table import (
    count_by_folder,
    expected_verdict,
    format_table,
    parse_sources,
)

SOURCES = """\
# Fixtures

| folder | content |
|---|---|
| `ob2/` | assertions |

### `ob2/` (3 files)

| file | source | expected verdict (as the source states it) | local re-check |
|---|---|---|---|
| `ob2/good.json` | A | valid (Tests.testValid) | - |
| `ob2/old.json` | A | invalid: expired (Tests.testExpired) | - |
| `ob2/spec.json` | C | unknown (spec example) | - |

### `clr2/` (1 file)

| file | source | expected verdict (as the source states it) | local re-check |
|---|---|---|---|
| `clr2/record.json` | A | 1 ERROR: probe failed | sig-ok |
"""


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("valid (OB20Tests.testSimpleJsonValid)", "verified"),
        ("valid with WARNING: legacy cryptosuite", "verified"),
        ("invalid: wrong rdf type (OB20Tests.testRdfValidation)", "invalid"),
        ("invalid: expired (OB20Tests.testExpired)", "expired"),
        ("invalid: revoked, BitstringStatusList index 23", "revoked"),
        ("invalid JSON as published: trailing comma", "invalid"),
        ("fatal no_proof (Verify.v1.spec)", "invalid"),
        ("1 ERROR: JsonLDValidationProbe", "invalid"),
        ("did:web unresolvable -> fatal (did_web_unresolved)", "invalid"),
        ("revoked (Verify.v1.spec)", "revoked"),
        ("revoked and expired (did:web)", "revoked"),
        ("expired, status valid (Verify.v1.spec)", "expired"),
        ("revoked and expired (fixture; not asserted) - unknown", None),
        ("unknown (spec example)", None),
        ("-", None),
        ("n/a (RevocationList document)", None),
        ("not baked: plain PNG", None),
        ("legacy 0.5 instance accepted by Badgr import", None),
        ("signature valid, revocation_status error status_list_not_found", None),
        ("credential ok, but its status list is EXPIRED -> status unknown", None),
        ("valid after 1.1->2.0 upgrade (test_legacy_versions)", "verified"),
    ],
)
def test_expected_verdict_words(text, verdict):
    assert expected_verdict(text) == verdict


def test_parse_sources_reads_file_tables():
    verdicts = parse_sources(SOURCES)

    assert verdicts == {
        "ob2/good.json": "verified",
        "ob2/old.json": "expired",
        "clr2/record.json": "invalid",
    }


def test_count_by_folder_matches_statuses(tmp_path: Path):
    expected = parse_sources(SOURCES)
    results = [
        {"path": str(tmp_path / "ob2/good.json"), "status": "unverified"},
        {"path": str(tmp_path / "ob2/old.json"), "status": "expired"},
        {"path": str(tmp_path / "ob2/spec.json"), "status": "verified"},
        {"path": str(tmp_path / "clr2/record.json"), "status": "error"},
    ]

    counts = {
        count.folder: count for count in count_by_folder(expected, results, tmp_path)
    }

    assert (counts["ob2"].matching, counts["ob2"].total) == (1, 2)
    assert counts["ob2"].mismatches == (
        "ob2/good.json: expected verified, got unverified",
    )
    assert (counts["clr2"].matching, counts["clr2"].total) == (1, 1)
    assert (counts["ob3"].matching, counts["ob3"].total) == (0, 0)


def test_count_by_folder_missing_file_mismatches(tmp_path: Path):
    counts = count_by_folder({"ob3/a.json": "revoked"}, [], tmp_path)

    ob3 = [count for count in counts if count.folder == "ob3"][0]
    assert ob3.matching == 0
    assert ob3.mismatches == ("ob3/a.json: expected revoked, got None",)


def test_format_table_adds_total(tmp_path: Path):
    expected = parse_sources(SOURCES)
    results = [{"path": str(tmp_path / "ob2/good.json"), "status": "verified"}]

    table = format_table(count_by_folder(expected, results, tmp_path))

    assert table.splitlines()[2] == "| ob2 | 1 | 2 |"
    assert table.splitlines()[-1] == "| all | 1 | 3 |"
