"""API-level fuzz: random query strings and parameters through `/api/catalog/search` and
`/autocomplete` on the embedded engine never produce a 5xx (the parser alone is fuzzed with
10,000+ strings in tests/unit/search_api/test_query_fuzz.py)."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.pipeline import load
from models import migrate
from models.db import make_engine
from tests.integration.search_api.ranking.support import SampleIndex, client_for, rebuild_index

SYNTAX = [*"()\"'!-:<>=/ ", "OR", "AND", "t:", "s:", "c>=", "mv<", "-is:", "r:", "game:"]
queries = st.one_of(
    st.text(max_size=60),
    st.lists(st.one_of(st.sampled_from(SYNTAX), st.text(min_size=1, max_size=6)), max_size=20).map(
        "".join
    ),
)


@pytest.fixture(scope="module")
def fuzz_sample(tmp_path_factory) -> SampleIndex:
    from models.settings import REPO_ROOT

    base = tmp_path_factory.mktemp("fuzz")
    url = f"sqlite:///{base / 'catalog.db'}"
    migrate.upgrade(url=url)
    db = make_engine(url)
    for source in ("scryfall", "pokemontcg", "ygoprodeck", "optcg"):
        assert load(source, [REPO_ROOT / "tests" / "fixtures" / source], engine=db).ok
    db.dispose()
    sample = SampleIndex("tantivy", url, base / "index")
    rebuild_index(sample)
    return sample


@pytest.fixture
def fuzz_client(fuzz_sample, monkeypatch) -> Iterator[TestClient]:
    with client_for(fuzz_sample, monkeypatch) as client:
        yield client


FUZZ = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(q=queries)
def test_search_never_answers_5xx(fuzz_client, q):
    response = fuzz_client.get("/api/catalog/search", params={"q": q, "page_size": 5})
    assert response.status_code < 500, (q, response.text)
    assert "code" in response.json() or "data" in response.json()


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    q=queries,
    order=st.sampled_from(["name", "price", "set", "mv", "x", ""]),
    set_=st.lists(st.text(max_size=8), max_size=3),
    cursor=st.one_of(st.none(), st.text(max_size=30)),
    page=st.integers(min_value=-2, max_value=200),
    price=st.one_of(st.none(), st.floats(allow_nan=True), st.text(max_size=4)),
    unique=st.sampled_from(["cards", "prints", "x"]),
)
def test_search_parameters_never_answer_5xx(
    fuzz_client, q, order, set_, cursor, page, price, unique
):
    params = {"q": q, "order": order, "set": set_, "page": page, "unique": unique, "page_size": 3}
    if cursor is not None:
        params["cursor"] = cursor
    if price is not None:
        params["price_min"] = price
    response = fuzz_client.get("/api/catalog/search", params=params)
    assert response.status_code < 500, (params, response.text)


@FUZZ
@given(q=queries)
def test_autocomplete_never_answers_5xx(fuzz_client, q):
    response = fuzz_client.get("/api/catalog/autocomplete", params={"q": q})
    assert response.status_code < 500, (q, response.text)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(sku=st.text(max_size=40), name=st.text(max_size=30))
def test_lookups_never_answer_5xx(fuzz_client, sku, name):
    sku_, name_ = quote(sku, safe=""), quote(name, safe="")
    for path in (f"/api/catalog/by-sku/{sku_}", f"/api/catalog/sets/{name_}/{sku_}/1"):
        response = fuzz_client.get(path)
        assert response.status_code < 500, (path, response.text)
    response = fuzz_client.get("/api/catalog/cards/named", params={"fuzzy": name or "x"})
    assert response.status_code < 500, (name, response.text)
    response = fuzz_client.post(
        "/api/catalog/collection", json={"identifiers": [{"sku": sku}, {"name": name or "x"}]}
    )
    assert response.status_code < 500, (sku, response.text)
