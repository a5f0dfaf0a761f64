"""Shared pytest helpers: a recording comm so widget messages can be sent and read without a
kernel, through ipywidgets' real message handling; a real PostgreSQL server for store tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from .pg_server import PostgresServer


class CommRecorder:
    """Attach to a widget's comm: records what the widget sends, delivers browser messages."""

    def __init__(self, widget: Any) -> None:
        self.widget = widget
        self.sent: list[dict[str, Any]] = []
        widget.comm.publish_msg = self._publish

    def _publish(self, msg_type: str, data: Any = None, metadata: Any = None,
                 buffers: Any = None, **keys: Any) -> None:
        self.sent.append({"msg_type": msg_type, "data": data, "buffers": buffers or []})

    def from_browser(self, content: dict[str, Any], buffers: list[bytes] | None = None) -> None:
        """Deliver a custom message as the front end would send it."""
        self.widget.comm.handle_msg({"content": {"data": {"method": "custom",
                                                          "content": content}},
                                     "buffers": buffers or []})

    def custom(self) -> list[dict[str, Any]]:
        """Custom messages the widget sent to the browser."""
        return [m["data"]["content"] for m in self.sent
                if m["data"] and m["data"].get("method") == "custom"]

    def state_updates(self) -> list[dict[str, Any]]:
        """State updates the widget sent to the browser (trait syncs)."""
        return [m["data"]["state"] for m in self.sent
                if m["data"] and m["data"].get("method") in ("update", "echo_update")]


@pytest.fixture
def comm_recorder() -> type[CommRecorder]:
    return CommRecorder


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A throwaway PostgreSQL cluster for the whole test session (removed afterwards)."""
    server = PostgresServer()
    try:
        yield server
    finally:
        server.cleanup()


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """The URL of a fresh, empty database on the test server (with its password)."""
    if not postgres_server.running():  # a test that stopped it failed before restarting
        postgres_server.start()
    url = postgres_server.create_database()
    yield url
    postgres_server.drop_database(urlsplit(url).path.lstrip("/"))
