"""Ranking regression tests: the judged queries, through the API, on both engines."""

from __future__ import annotations

import pytest

from tests.integration.search_api.ranking.judged import JUDGED, Judged
from tests.integration.search_api.ranking.support import api, sample_database, sample_index

__all__ = ["api", "sample_database", "sample_index"]


def test_the_list_is_big_enough() -> None:
    assert len(JUDGED) >= 60
    assert len({(j.q, j.game) for j in JUDGED}) == len(JUDGED)


@pytest.mark.parametrize("judged", JUDGED, ids=[f"{j.q}|{j.game or ''}" for j in JUDGED])
def test_judged_query(api, judged: Judged) -> None:
    params = {"q": judged.q, "page_size": max(5, judged.within), "prints_per_card": 0}
    if judged.game:
        params["game"] = judged.game
    response = api.get("/api/catalog/search", params=params)
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    top = [item["name"] for item in data[: judged.within]]
    assert judged.expect in top, f"{judged.q!r} ({judged.why}): got {[i['name'] for i in data]}"
    if judged.number is not None:
        hit = next(item for item in data if item["name"] == judged.expect)
        assert f"{hit['set_code']}:{hit['collector_number']}" == judged.number
