"""docs/realtime-protocol.md cannot drift: every event type, every client message type the
consumers handle, every server reply type and every close code is named in it."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

from django.conf import settings

from realtime import consumers
from realtime.chat import consumers as chat_consumers
from realtime.classes import consumers as class_consumers
from realtime.events import CHANNEL_MESSAGE_TYPE, EventType
from realtime.routing import websocket_urlpatterns

DOC = Path(settings.BASE_DIR) / "docs" / "realtime-protocol.md"


def doc() -> str:
    return DOC.read_text(encoding="utf-8")


def named(kind: str) -> bool:
    return f"`{kind}`" in doc() or f'"type": "{kind}"' in doc()


def client_types(consumer_class) -> set[str]:
    """The command `type`s a consumer answers: its `commands()` and the shared `ping`."""
    return set(consumer_class().commands()) | {"ping"}


def reply_types(module) -> set[str]:
    """The `type`s a consumer module sends by itself (not through EventType); the channel
    layer's and ASGI's own message types are not part of the protocol."""
    found = set(re.findall(r'"type": "([\w.]+)"', inspect.getsource(module)))
    # ASGI's own messages (websocket.close, websocket.send) are the server's plumbing.
    return {t for t in found if not t.startswith("websocket.")} - {CHANNEL_MESSAGE_TYPE}


def test_every_event_type_is_documented():
    missing = [t.value for t in EventType if not named(t.value)]
    assert not missing, f"add to docs/realtime-protocol.md: {missing}"


def test_every_client_message_type_is_documented():
    found = (
        client_types(consumers.NotificationConsumer)
        | client_types(chat_consumers.ChatConsumer)
        | client_types(class_consumers.ClassConsumer)
    )
    assert {"ping", "watch", "watch_course", "watch_office", "subscribe", "send"} <= found
    assert {"signal", "chat", "hand", "end", "allow", "mute", "remove"} <= found
    missing = sorted(t for t in found if not named(t))
    assert not missing, f"add to docs/realtime-protocol.md: {missing}"


def test_every_direct_reply_type_is_documented():
    found = reply_types(consumers) | reply_types(chat_consumers) | reply_types(class_consumers)
    assert {"pong", "chat.ack", "chat.error", "chat.subscribed", "class.joined"} <= found
    missing = sorted(t for t in found if not named(t))
    assert not missing, f"add to docs/realtime-protocol.md: {missing}"


def test_every_endpoint_close_code_and_rate_limit_is_documented():
    text = doc()
    for pattern in websocket_urlpatterns:
        assert f"/{pattern.pattern}" in text
    codes = {
        value
        for module in (consumers, class_consumers)
        for name, value in vars(module).items()
        if name.startswith("CLOSE_")
    }
    assert {4401, 4429, 4404, 4410} <= codes
    for code in codes:
        assert f"| {code} |" in text, f"close code {code} is not in the table"
    notifications, chats = consumers.NotificationConsumer, chat_consumers.ChatConsumer
    assert f"{notifications.rate_limit} frames in any {notifications.rate_window:g} seconds" in text
    assert f"{chats.rate_limit} frames in any {chats.rate_window:g} seconds" in text
