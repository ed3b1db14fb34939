import pytest

from core.ids import MAX_ID, parse_id


@pytest.mark.parametrize(("text", "expected"), [
    ("1", 1), (" 42 ", 42), ("007", 7), (str(MAX_ID), MAX_ID),
    (str(MAX_ID + 1), None), ("99999999999999999999", None), ("0", None), ("-1", None), ("+1", None),
    ("1.0", None), ("1e3", None), ("", None), (None, None), ("abc", None), ("²", None), ("١٢", None), ("１２", None),
])
def test_an_id_is_a_positive_whole_number_a_database_id_can_hold(text, expected):
    assert parse_id(text) == expected
