"""Fault points pause only where the settings name them, once per process, with a marker."""

from __future__ import annotations

import os

import pytest

from models import faults
from models.settings import Settings, get_settings, opensearch_hosts


@pytest.fixture
def fault_env(monkeypatch, tmp_path):
    monkeypatch.setenv("SIDEDECKED_FAULT_PAUSE", '["here"]')
    monkeypatch.setenv("SIDEDECKED_FAULT_DIR", str(tmp_path))
    monkeypatch.setattr(faults, "PAUSE_S", 0.0)
    monkeypatch.setattr(faults, "_paused", set())
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_a_named_point_writes_its_marker_once(fault_env) -> None:
    faults.pause_point("elsewhere")
    assert list(fault_env.iterdir()) == []
    faults.pause_point("here")
    marker = faults.marker_path(fault_env, "here", os.getpid())
    assert marker.exists()
    marker.unlink()
    faults.pause_point("here")  # a process pauses at a point once at most
    assert not marker.exists()


def test_a_point_pauses_once_per_fault_folder(fault_env, monkeypatch) -> None:
    (fault_env / "here.12345").write_text("a killed process paused here")
    faults.pause_point("here")
    assert not faults.marker_path(fault_env, "here", os.getpid()).exists()


def test_no_point_pauses_by_default(monkeypatch) -> None:
    monkeypatch.delenv("SIDEDECKED_FAULT_PAUSE", raising=False)
    assert Settings().sidedecked_fault_pause == []


@pytest.mark.parametrize(
    ("url", "hosts"),
    [
        (None, []),
        ("http://127.0.0.1:9200", ["http://127.0.0.1:9200"]),
        (
            "http://127.0.0.1:9201/, http://127.0.0.1:9202,,http://127.0.0.1:9203",
            ["http://127.0.0.1:9201", "http://127.0.0.1:9202", "http://127.0.0.1:9203"],
        ),
    ],
)
def test_opensearch_url_lists_the_nodes(url, hosts) -> None:
    assert opensearch_hosts(url) == hosts
