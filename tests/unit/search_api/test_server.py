"""The listening sockets `sidedecked serve` makes (search_api/server.py)."""

from __future__ import annotations

import asyncio
import socket
from concurrent.futures import ThreadPoolExecutor

from search_api.server import listening_socket, port_is_free


def _accepted_nodelay(sock: socket.socket) -> int:
    """TCP_NODELAY of a connection that asyncio's own loop accepts on `sock`."""

    async def run() -> int:
        accepted: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        def on_connect(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            conn = writer.get_extra_info("socket")
            accepted.set_result(conn.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            writer.close()

        server = await asyncio.start_server(on_connect, sock=sock)
        port = sock.getsockname()[1]
        _, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            return await asyncio.wait_for(accepted, 5)
        finally:
            writer.close()
            server.close()
            await server.wait_closed()

    # a thread of its own: a test before this one in the same worker (Playwright's sync API)
    # may have left an event loop running in the main thread, where asyncio.run refuses to run
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(run())).result()


def test_accepted_connections_do_not_wait_for_delayed_acks() -> None:
    """A socket made as `uvicorn --workers` makes it (no protocol named) leaves Nagle on, which
    costs ~40 ms a response on loopback; ours names TCP, so asyncio turns Nagle off."""
    plain = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    plain.bind(("127.0.0.1", 0))
    assert _accepted_nodelay(plain) == 0
    assert _accepted_nodelay(listening_socket("127.0.0.1", 0, reuse_port=False)) != 0


def test_worker_sockets_share_a_port_and_a_taken_port_is_refused() -> None:
    first = listening_socket("127.0.0.1", 0, reuse_port=True)
    port = first.getsockname()[1]
    second = listening_socket("127.0.0.1", port, reuse_port=True)
    try:
        first.listen()
        second.listen()
        assert not port_is_free("127.0.0.1", port)
    finally:
        first.close()
        second.close()
    assert port_is_free("127.0.0.1", port)
