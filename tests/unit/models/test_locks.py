"""The file lease and the advisory lease off PostgreSQL (no services needed)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from models.db import make_engine
from models.locks import AdvisoryLease, FileLease, LeaseBusy, held


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
