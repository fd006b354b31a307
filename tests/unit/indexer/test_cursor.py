import pytest

from indexer.cursor import InvalidCursorError, decode_cursor, encode_cursor, page_offset
from indexer.query import SearchRequest


def test_cursor_round_trip_after_and_offset():
    request = SearchRequest(sort="price", unique="prints")
    after = encode_cursor(request, after=[1.5, 42])
    assert decode_cursor(SearchRequest(sort="price", unique="prints", cursor=after)).after == [
        1.5,
        42,
    ]
    offset = encode_cursor(request, offset=120)
    parsed = decode_cursor(SearchRequest(sort="price", unique="prints", cursor=offset))
    assert parsed.offset == 120
    assert page_offset(SearchRequest(sort="price", unique="prints", cursor=offset), parsed) == 120


def test_cursor_of_another_sort_or_grain_is_rejected():
    cursor = encode_cursor(SearchRequest(sort="price"), offset=60)
    with pytest.raises(InvalidCursorError):
        decode_cursor(SearchRequest(sort="name", cursor=cursor))
    with pytest.raises(InvalidCursorError):
        decode_cursor(SearchRequest(sort="price", unique="prints", cursor=cursor))


@pytest.mark.parametrize("junk", ["!!!", "e30", "bm90IGpzb24"])
def test_malformed_cursor_is_rejected(junk):
    with pytest.raises(InvalidCursorError):
        decode_cursor(SearchRequest(cursor=junk))


def test_page_offset_without_cursor():
    assert page_offset(SearchRequest(page=3, page_size=20), None) == 40
