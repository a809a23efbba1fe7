"""JSON reading with limits: every input either parses or gives a clear reason."""

import pytest

from indexer import safe_json
from indexer.errors import InputRejected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('{"a": NaN}', "JSON contains NaN, which is not a JSON number"),
        ("[Infinity]", "JSON contains Infinity, which is not a JSON number"),
        ("[-Infinity]", "JSON contains -Infinity, which is not a JSON number"),
        ("[1e400]", "JSON contains a number too large for a float"),
        ("[" + "9" * 5000 + "]", "JSON contains a number too long to read"),
        ("[" * 70 + "]" * 70, "JSON is nested deeper than 64 levels"),
        ('{"a": 1', "malformed JSON: Expecting ',' delimiter at line 1 column 8"),
    ],
)
def test_rejected_json_gives_reason(text: str, reason: str):
    with pytest.raises(InputRejected) as error:
        safe_json.loads(text, 1024 * 1024, 64)

    assert error.value.reason == reason


def test_ordinary_numbers_parse():
    assert safe_json.loads("[1, -2.5, 1e10, 12345678901234567890]", 1024, 8) == [
        1,
        -2.5,
        1e10,
        12345678901234567890,
    ]
