"""etl/fetch pure parts: token buckets on a fake clock, per-path rules, backoff, Retry-After,
the cache metadata file, argument checks of fetch_source (no network)."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

import pytest

from etl.fetch.cache_meta import META_FILE, CacheMeta
from etl.fetch.limits import (
    RateLimiter,
    RateRule,
    RetryPolicy,
    TokenBucket,
    is_retryable,
    parse_retry_after,
    path_matches,
)
from etl.fetch.run import LOCK_FILE, FetchBusyError, fetch_source
from etl.registry import source_names
from etl.sources.scryfall import fetch as scryfall_fetcher


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_token_bucket_spaces_requests_at_the_rate():
    clock = FakeClock()
    bucket = TokenBucket(20, clock=clock)
    waits = [bucket.reserve() for _ in range(6)]
    assert waits == pytest.approx([0, 0.05, 0.10, 0.15, 0.20, 0.25])


def test_token_bucket_refills_and_caps_at_burst():
    clock = FakeClock()
    bucket = TokenBucket(2, burst=3, clock=clock)
    assert [bucket.reserve() for _ in range(3)] == [0, 0, 0]
    assert bucket.reserve() == pytest.approx(0.5)
    clock.now += 60  # a long pause saves up at most `burst` tokens
    assert [bucket.reserve() for _ in range(3)] == [0, 0, 0]
    assert bucket.reserve() == pytest.approx(0.5)


def test_limiter_sleeps_and_keeps_hosts_apart():
    clock = FakeClock()
    limiter = RateLimiter(10, clock=clock, sleep=clock.sleep)
    for _ in range(5):
        limiter.acquire("https://api.scryfall.com/sets")
    limiter.acquire("https://data.scryfall.io/default-cards/x.json")  # its own bucket
    assert clock.slept == pytest.approx([0.1] * 4)
    assert limiter.waited == pytest.approx(0.4)


def test_scryfall_search_has_its_own_tighter_bucket():
    clock = FakeClock()
    limiter = RateLimiter(10, rules=scryfall_fetcher.rate_rules(10), clock=clock, sleep=clock.sleep)
    started = clock.now
    for page in range(1, 5):
        limiter.acquire(f"https://api.scryfall.com/cards/search?q=t&page={page}")
    assert clock.now - started == pytest.approx(1.5)  # 4 searches at 2/s
    started = clock.now
    limiter.acquire("https://api.scryfall.com/bulk-data")
    limiter.acquire("https://api.scryfall.com/bulk-data")
    assert clock.now - started == pytest.approx(0.1)


def test_rule_applies_below_a_mirror_prefix():
    clock = FakeClock()
    limiter = RateLimiter(
        None, rules=[RateRule(2, ("/cards/search",))], clock=clock, sleep=clock.sleep
    )
    limiter.acquire("http://mirror/scryfall/cards/search?q=a")
    limiter.acquire("http://mirror/scryfall/cards/search?q=b")
    limiter.acquire("http://mirror/scryfall/cards/named?exact=x")  # no host limit, no rule
    assert clock.slept == pytest.approx([0.5])


@pytest.mark.parametrize(
    ("path", "prefix", "expected"),
    [
        ("/cards/search", "/cards/search", True),
        ("/mirror/cards/search/", "/cards/search", True),
        ("/cards/searchx", "/cards/search", False),
        ("/cards/named", "/cards/search", False),
    ],
)
def test_path_matches(path: str, prefix: str, expected: bool):
    assert path_matches(path, prefix) is expected


def test_backoff_doubles_with_jitter_and_a_cap():
    policy = RetryPolicy(backoff_base=1, backoff_max=10, jitter=0.5)
    rng = random.Random(7)
    for attempt, ceiling in [(1, 1), (2, 2), (3, 4), (4, 8), (5, 10), (9, 10)]:
        delays = [policy.backoff(attempt, rng) for _ in range(50)]
        assert all(ceiling * 0.5 <= d <= ceiling for d in delays)
        assert len(set(delays)) > 1


def test_parse_retry_after():
    now = datetime(2015, 10, 21, 7, 28, 0, tzinfo=UTC)
    assert parse_retry_after("120") == 120
    assert parse_retry_after(" 1.5 ") == 1.5
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now=now) == 30
    assert parse_retry_after("Wed, 21 Oct 2015 07:27:00 GMT", now=now) == 0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


def test_retryable_statuses():
    assert [s for s in (200, 304, 400, 403, 404, 429, 500, 503) if is_retryable(s)] == [
        429,
        500,
        503,
    ]


def test_cache_meta_validators_need_the_intact_file(tmp_path: Path):
    meta = CacheMeta(tmp_path)
    target = tmp_path / "cards" / "page-0001.json"
    target.parent.mkdir()
    target.write_bytes(b"[1, 2]")
    meta.record("http://x/a", target, etag='"e1"', last_modified="L", sha256="h", size=6)
    meta.set_state("bulk:default_cards", {"updated_at": "u"})
    meta.save()
    assert not list(tmp_path.glob("*.part"))

    loaded = CacheMeta(tmp_path)
    assert loaded.urls["http://x/a"]["file"] == "cards/page-0001.json"
    assert loaded.conditional_headers("http://x/a", target) == {
        "If-None-Match": '"e1"',
        "If-Modified-Since": "L",
    }
    assert loaded.conditional_headers("http://x/other", target) == {}
    assert loaded.state("bulk:default_cards") == {"updated_at": "u"}
    target.write_bytes(b"[1, 2, 3]")  # changed by hand: no validators any more
    assert loaded.conditional_headers("http://x/a", target) == {}
    # a new URL for the same file replaces the old entry (e.g. a new bulk file URI)
    loaded.record("http://x/b", target, etag=None, last_modified=None, sha256="h2", size=9)
    assert list(loaded.urls) == ["http://x/b"]


def test_corrupt_meta_file_starts_fresh(tmp_path: Path):
    (tmp_path / META_FILE).write_text("{not json")
    assert CacheMeta(tmp_path).urls == {}


def test_meta_and_lock_files_are_not_source_input(tmp_path: Path):
    from etl.sources.files import discover_files

    (tmp_path / META_FILE).write_text("{}")
    (tmp_path / LOCK_FILE).write_text("")
    (tmp_path / "x.json.part").write_text("[]")
    assert discover_files([tmp_path]) == []


def test_fetch_source_checks_its_arguments(tmp_path: Path):
    assert source_names() == ["scryfall", "pokemontcg", "ygoprodeck", "optcg"]
    with pytest.raises(ValueError, match="unknown source 'mtgjson'"):
        fetch_source("mtgjson", dest_dir=tmp_path)
    with pytest.raises(ValueError, match="cardsets do not apply to scryfall"):
        fetch_source("scryfall", dest_dir=tmp_path, cardsets=["LOB"])
    with pytest.raises(ValueError, match="rate must be positive"):
        fetch_source("optcg", dest_dir=tmp_path, rate=0)
    with pytest.raises(ValueError, match="not both"):
        fetch_source(
            "scryfall",
            dest_dir=tmp_path,
            base_url="http://127.0.0.1:9",
            bulk_type="all_cards",
            query="t:goblin",
        )


def test_a_second_fetch_into_the_same_folder_is_refused(tmp_path: Path):
    import fcntl

    with (tmp_path / LOCK_FILE).open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(FetchBusyError):
            fetch_source("optcg", dest_dir=tmp_path, base_url="http://127.0.0.1:9")
