"""What a load reports: its result, the progress callbacks it makes as it goes, and the errors
that stop it before it writes anything (`etl.pipeline.load` is the load)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from etl import jobs
from etl.jobs import JobCounts
from etl.records import InputUnit


class LoadInputError(ValueError):
    """Bad input (unknown source, missing path, nothing to load); nothing was written."""


class LoadBusyError(RuntimeError):
    """Another load of the same source holds the lock."""


class Progress(Protocol):
    def start(self, units: Sequence[InputUnit]) -> None: ...
    def unit_started(self, unit: InputUnit, *, skipped: bool) -> None: ...
    def records(self, count: int) -> None: ...
    def unit_finished(self, unit: InputUnit) -> None: ...


class NullProgress:
    def start(self, units: Sequence[InputUnit]) -> None:
        pass

    def unit_started(self, unit: InputUnit, *, skipped: bool) -> None:
        pass

    def records(self, count: int) -> None:
        pass

    def unit_finished(self, unit: InputUnit) -> None:
        pass


@dataclass
class LoadResult:
    job_id: int
    source: str
    status: str
    counts: JobCounts
    seconds: float
    error: str | None = None
    failed_units: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == jobs.SUCCEEDED
