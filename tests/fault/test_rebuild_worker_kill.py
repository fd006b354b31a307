"""A chunked rebuild (rebuild_index -> rebuild_chunk x4 -> rebuild_finish) on real Celery workers,
the worker SIGKILLed at each step: the start, a chunk, the finish before and after the alias swap
and after the old indices' deletion.

The first worker is started with the step's fault point (it writes its marker and sleeps there);
the test kills it (the whole process group, or only the pool child that paused) and a second
worker without the pause carries the rebuild on. Meanwhile a thread reads the alias all the time:
it must always point at one complete index. At the end the rebuild has finished exactly once (one
alias move, to a complete index, no index left over) and the writer lease is free.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from opensearchpy import NotFoundError, OpenSearch

from indexer.engines.opensearch import OpenSearchEngine
from indexer.rebuild import rebuild
from models.locks import FileLease
from tests.fault.conftest import broker_quiet, celery_client
from tests.fault.harness import Sampler, Workers, wait_for_pause, wait_until

#: Seconds for a killed rebuild to be carried to its end by the other worker.
FINISH_S = 150.0
STEPS = [
    "rebuild.start.after_begin",
    "rebuild.chunk.after_load",
    "rebuild.finish.before_swap",
    "rebuild.finish.after_swap",
    "rebuild.finish.after_delete",
]


@dataclass
class AliasWatch:
    """What searches see through the prints and names aliases, sampled again and again."""

    client: OpenSearch
    alias: str
    names_alias: str
    documents: int
    names: int
    history: list[str] = field(default_factory=list)

    def probe(self) -> str | None:
        try:
            live = sorted(self.client.indices.get_alias(name=self.alias))
        except NotFoundError:
            return f"{self.alias} points at no index"
        if len(live) != 1:
            return f"{self.alias} points at {live}"
        if not self.history or self.history[-1] != live[0]:
            self.history.append(live[0])
        count = int(self.client.count(index=self.alias)["count"])
        if count != self.documents:
            return f"{self.alias} ({live[0]}) holds {count} documents, not {self.documents}"
        try:
            names = int(self.client.count(index=self.names_alias)["count"])
        except NotFoundError:
            return f"{self.names_alias} points at no index"
        if names != self.names:
            return f"{self.names_alias} holds {names} names, not {self.names}"
        return None


def _indices(client: OpenSearch, alias: str) -> list[str]:
    return sorted(client.indices.get(index=f"{alias}-v*", expand_wildcards="all"))


@pytest.mark.parametrize(
    ("step", "kill"),
    [
        *[(step, "whole") for step in STEPS],
        ("rebuild.chunk.after_load", "child"),
        ("rebuild.finish.after_swap", "child"),
    ],
)
def test_a_rebuild_survives_its_worker_killed(
    step: str,
    kill: str,
    fault_catalog,
    opensearch_url: str,
    index_prefix: str,
    broker_url: str,
    redis_client,
    fault_dir: Path,
    workers: Workers,
    tmp_path: Path,
) -> None:
    workers.env.update(
        DATABASE_URL=fault_catalog.url,
        REDIS_URL=broker_url,
        OPENSEARCH_URL=opensearch_url,
        SIDEDECKED_INDEX_PREFIX=index_prefix,
        SIDEDECKED_INDEX_DIR=str(tmp_path / "index"),
        SIDEDECKED_FAULT_DIR=str(fault_dir),
    )
    paused = workers.start("paused", pause=[step], wait_ready=False)  # starts while we build
    engine = OpenSearchEngine(url=opensearch_url, prefix=index_prefix)
    client = engine.client
    first = rebuild(engine=engine, db=fault_catalog.engine, lease=FileLease(tmp_path / "w.lock"))
    engine.refresh()
    watch = AliasWatch(
        client,
        engine.alias,
        engine.names.alias,
        documents=first.documents,
        names=int(client.count(index=engine.names.alias)["count"]),
    )
    assert watch.probe() is None and watch.history == [first.index]
    lease_key = f"sidedecked:indexer:lease:opensearch-{index_prefix}"

    def finished() -> bool:
        live = engine.live_indices()
        return (
            len(watch.history) > 1
            and live == _indices(client, engine.alias)
            and not redis_client.exists(lease_key)
            and broker_quiet(redis_client)
        )

    with Sampler(watch.probe).running() as sampler:
        paused.wait_ready()
        celery_client(broker_url).send_task("indexer.rebuild")
        pid = wait_for_pause(fault_dir, step)
        assert pid in paused.pool()
        if kill == "whole":
            paused.kill()
            workers.start("rescuer")
        else:
            workers.start("rescuer")  # waiting first, so it takes the task handed back
            seen = {pid}
            paused.kill_child(pid)
            # should the paused worker's new child take the task again, it pauses again: kill it
            for _ in range(3):
                try:
                    again = wait_for_pause(fault_dir, step, seen=seen, timeout=5)
                except AssertionError:
                    break
                seen.add(again)
                paused.kill_child(again)
        wait_until(finished, timeout=FINISH_S, what=f"the rebuild killed at {step} to finish")
    assert sampler.samples > 10
    assert sampler.problems == [], sampler.problems[:5]
    assert len(watch.history) == 2, f"the alias moved more than once: {watch.history}"
    live = watch.history[-1]
    assert engine.live_indices() == [live] == _indices(client, engine.alias)
    assert engine.names.live_indices() == _indices(client, engine.names.alias)
    assert engine.count() == first.documents
    status = engine.status()
    assert status.last_rebuild.get("chunked") is True and status.other_indices == []
    engine.close()
