"""Shared pytest helpers: a recording comm so widget messages can be sent and read without a
kernel, through ipywidgets' real message handling."""

from __future__ import annotations

from typing import Any

import pytest


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
