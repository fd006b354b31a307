"""Serving the API with uvicorn: one process, or a supervisor and N worker processes that each
listen on their own socket.

`uvicorn --workers N` binds one socket in the parent and hands it to every worker. That socket
is made without naming TCP as its protocol, so asyncio does not set TCP_NODELAY on the
connections the workers accept; a response written in two pieces (headers, then body) then waits
for the client's delayed ACK, about 40 ms on Linux, on every request. Every worker also waits on
the same accept queue, and the kernel hands connections to whichever wakes first, not evenly.

Here each worker binds its own `SO_REUSEPORT` socket on the address (the kernel spreads new
connections over the sockets of the group) with TCP as its protocol, so accepted connections get
TCP_NODELAY. The supervisor refuses a port already in use (a second server sharing the port
through SO_REUSEPORT would silently take half the traffic), restarts a worker that dies, and on
SIGINT/SIGTERM stops the workers gracefully (uvicorn finishes the requests in flight).
"""

from __future__ import annotations

import logging
import logging.config
import multiprocessing
import signal
import socket
import threading
from dataclasses import asdict, dataclass
from typing import Any

import uvicorn
from uvicorn.config import STARTUP_FAILURE

log = logging.getLogger("uvicorn.error")

APP = "search_api.app:create_app"
#: Seconds a stopping worker gets to finish its requests before it is killed.
GRACEFUL_S = 15.0
#: How often the supervisor looks for dead workers (seconds).
WATCH_S = 0.5


@dataclass(frozen=True, slots=True)
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 8000
    access_log: bool = True


def listening_socket(host: str, port: int, *, reuse_port: bool) -> socket.socket:
    """A TCP socket bound to host:port (IPPROTO_TCP, so asyncio sets TCP_NODELAY on what it
    accepts), sharing the port with the other workers' sockets when `reuse_port`."""
    info = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    family, kind, proto, _, address = info[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(address)
    sock.set_inheritable(True)
    return sock


def port_is_free(host: str, port: int) -> bool:
    """True when nothing listens on host:port (a socket without SO_REUSEPORT can bind it)."""
    try:
        listening_socket(host, port, reuse_port=False).close()
    except OSError:
        return False
    return True


def run_worker(options: ServeOptions, *, reuse_port: bool) -> None:
    """One uvicorn server on its own socket (the body of every worker process)."""
    sock = listening_socket(options.host, options.port, reuse_port=reuse_port)
    config = uvicorn.Config(
        APP, factory=True, host=options.host, port=options.port, access_log=options.access_log
    )
    uvicorn.Server(config).run(sockets=[sock])


def _worker_main(options: dict[str, Any]) -> None:  # pragma: no cover - runs in the worker process
    run_worker(ServeOptions(**options), reuse_port=True)


class Supervisor:
    """Starts `workers` processes, restarts those that die, stops them all on SIGINT/SIGTERM."""

    def __init__(self, options: ServeOptions, workers: int) -> None:
        self.options = options
        self.workers = workers
        self.stopping = threading.Event()
        self.context = multiprocessing.get_context("spawn")
        self.processes: list[multiprocessing.process.BaseProcess] = []

    def _start(self) -> multiprocessing.process.BaseProcess:
        process = self.context.Process(
            target=_worker_main, args=(asdict(self.options),), name="sidedecked-api-worker"
        )
        process.start()
        log.info("Started worker process [%d]", process.pid)
        return process

    def _stop(self, signum: int, _frame: object) -> None:
        self.stopping.set()

    def run(self) -> int:
        """Serve until a signal; the exit code (non-zero when the workers cannot start)."""
        logging.config.dictConfig(uvicorn.config.LOGGING_CONFIG)
        if not port_is_free(self.options.host, self.options.port):
            log.error("%s:%d is already in use", self.options.host, self.options.port)
            return STARTUP_FAILURE
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, self._stop)
        self.processes = [self._start() for _ in range(self.workers)]
        address = f"http://{self.options.host}:{self.options.port}"
        log.info("Serving on %s with %d worker processes", address, self.workers)
        code = 0
        while not self.stopping.wait(WATCH_S):
            for index, process in enumerate(self.processes):
                if process.is_alive():
                    continue
                if process.exitcode == STARTUP_FAILURE:
                    log.error("Worker process [%d] failed to start; stopping", process.pid)
                    code = STARTUP_FAILURE
                    self.stopping.set()
                    break
                log.warning("Worker process [%d] died (%s)", process.pid, process.exitcode)
                self.processes[index] = self._start()
        self._shutdown()
        return code

    def _shutdown(self) -> None:
        for process in self.processes:
            if process.is_alive():
                process.terminate()  # SIGTERM: uvicorn's graceful shutdown
        for process in self.processes:
            process.join(GRACEFUL_S)
            if process.is_alive():
                log.warning("Worker process [%d] did not stop; killing it", process.pid)
                process.kill()
                process.join()
        log.info("Stopped %d worker processes", len(self.processes))


def serve(options: ServeOptions, *, workers: int = 1, reload: bool = False) -> int:
    """Serve the API; returns the exit code."""
    if reload:
        uvicorn.run(
            APP,
            factory=True,
            host=options.host,
            port=options.port,
            reload=True,
            access_log=options.access_log,
        )
        return 0
    if workers == 1:
        run_worker(options, reuse_port=False)
        return 0
    return Supervisor(options, workers).run()
