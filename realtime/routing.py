"""WebSocket routes, mounted by hub.asgi under the auth and origin checks."""

from django.urls import path

from proctoring.consumers import ProctorConsumer
from realtime import consumers
from realtime.chat.consumers import ChatConsumer
from realtime.classes.consumers import ClassConsumer

websocket_urlpatterns: list = [
    path("ws/notifications/", consumers.NotificationConsumer.as_asgi()),
    path("ws/chat/", ChatConsumer.as_asgi()),
    path("ws/class/<int:class_id>/", ClassConsumer.as_asgi()),
    path("ws/proctor/<int:test_id>/", ProctorConsumer.as_asgi()),
]
