"""The file lease and the advisory lease off PostgreSQL (no services needed)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from models.db import make_engine
from models.locks import AdvisoryLease, FileLease, LeaseBusy, LeaseHolder, held


def test_file_lease_excludes_a_second_holder_until_released(tmp_path: Path) -> None:
    first, second = FileLease(tmp_path / "a.lock"), FileLease(tmp_path / "a.lock")
    token = first.acquire()
    assert token is not None and first.extend(token)
    assert second.acquire(wait=0.3) is None
    first.release(token)
    assert not first.extend(token)
    again = second.acquire()
    assert again is not None
    second.release(again)


def test_file_lease_token_is_released_through_another_object(tmp_path: Path) -> None:
    """The chunked rebuild passes the token between tasks, each with a lease object of its own."""
    token = FileLease(tmp_path / "a.lock").acquire()
    assert token is not None
    FileLease(tmp_path / "a.lock").release(token)
    assert FileLease(tmp_path / "a.lock").acquire() is not None


def test_file_lease_excludes_another_process(tmp_path: Path) -> None:
    lock = tmp_path / "a.lock"
    token = FileLease(lock).acquire()
    assert token is not None
    script = textwrap.dedent(
        f"""
        from models.locks import FileLease
        print(FileLease({str(lock)!r}).acquire())
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert out.stdout.strip() == "None", out.stderr
    FileLease(lock).release(token)


def test_held_raises_the_callers_error_when_busy(tmp_path: Path) -> None:
    lease = FileLease(tmp_path / "a.lock")
    with held(lease) as token:
        assert lease.extend(token)
        with pytest.raises(LeaseBusy), held(FileLease(tmp_path / "a.lock")):
            pass
        with pytest.raises(KeyError), held(lease, busy=lambda: KeyError("busy")):
            pass
    assert not lease.extend(token)
    with held(lease):
        pass


def test_advisory_lease_is_granted_off_postgresql(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    first, second = AdvisoryLease(engine, "x"), AdvisoryLease(engine, "x")
    a, b = first.acquire(), second.acquire()
    assert a is not None and b is not None and a != b
    first.release(a)
    second.release(b)
    engine.dispose()


def test_file_lease_describes_its_holder_to_another_process(tmp_path: Path) -> None:
    lock = tmp_path / "a.lock"
    assert FileLease(lock).describe() is None  # never taken
    token = FileLease(lock).acquire(what="rebuild test-prints")
    assert token is not None
    script = textwrap.dedent(
        f"""
        import json
        from models.locks import FileLease
        print(json.dumps(FileLease({str(lock)!r}).describe().as_dict()))
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    found = json.loads(out.stdout)
    assert found["what"] == "rebuild test-prints" and found["pid"] == os.getpid()
    assert found["host"] == socket.gethostname() and found["acquired_at"]
    assert found["expires_in_s"] is None  # held until the process lets go
    FileLease(lock).release(token)
    assert FileLease(lock).describe() is None
    assert FileLease(lock).acquire() is not None  # describing did not keep it


def test_a_holder_gets_its_own_token_back(tmp_path: Path) -> None:
    """A redelivered task takes back the lease of its own run instead of waiting for it."""
    lease = FileLease(tmp_path / "a.lock")
    token = lease.acquire(token="run-1")
    assert token == "run-1"
    assert FileLease(tmp_path / "a.lock").acquire(token="run-1") == "run-1"
    assert FileLease(tmp_path / "a.lock").acquire(token="run-2") is None
    lease.release(token)
    assert lease.acquire(token="run-2") == "run-2"
    lease.release("run-2")


def test_holder_sentence_names_who_and_when() -> None:
    holder = LeaseHolder(
        what="rebuild x-prints", host="h", pid=7, acquired_at="2025-01-01T00:00:00+00:00"
    )
    assert holder.sentence() == (
        "rebuild x-prints (pid 7 on h, since 2025-01-01T00:00:00+00:00, "
        "held until its holder lets go)"
    )
    assert "expires in 42 s" in LeaseHolder(what="x", expires_in_s=41.8).sentence()
