"""Fault points: named places in long work where a test can stop a real worker to kill it.

`pause_point("rebuild.finish.after_swap")` does nothing unless the process was started with that
name in `SIDEDECKED_FAULT_PAUSE` (a JSON list; testing only). Then it writes the marker file
`<SIDEDECKED_FAULT_DIR>/<name>.<pid>` and sleeps until the process is killed, so the fault tests
(tests/fault) can SIGKILL a Celery worker at exactly that step and watch another worker finish
the work. A point pauses once per fault folder (a marker of it already there, from a killed
process, lets the redelivered work through: a respawned pool child must not pause again), and
once per process at most; in every deployment the list is empty.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from models.settings import get_settings

#: How long a paused process sleeps before giving up and going on (the test kills it long before).
PAUSE_S = 600.0
_paused: set[str] = set()


def marker_path(folder: Path, name: str, pid: int) -> Path:
    return folder / f"{name}.{pid}"


def pause_point(name: str) -> None:
    """Stop here (write the marker, sleep) when the settings name this point; else return."""
    settings = get_settings()
    if name not in settings.sidedecked_fault_pause or name in _paused:
        return
    _paused.add(name)
    folder = settings.sidedecked_fault_dir or Path(os.environ.get("TMPDIR", "/tmp"))
    folder.mkdir(parents=True, exist_ok=True)
    if any(folder.glob(f"{name}.*")):
        return  # this folder's pause has happened already
    marker_path(folder, name, os.getpid()).write_text(str(time.time()))
    time.sleep(PAUSE_S)
