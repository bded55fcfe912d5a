"""ASGI entry point: HTTP through Django, WebSockets through Channels.

Django's ASGI app is built first so the app registry is ready before anything
imports models (the order the Channels docs require). Camera frame uploads and answer
saves (hundreds a second during an exam) are answered before Django's middleware by
hub.lean (proctoring.upload, hub.testing.lean); everything else, and every such request
they do not take, goes to Django, a few requests at a time (hub.admission).
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.conf import settings  # noqa: E402

from hub.admission import admission_gate  # noqa: E402
from hub.lean import lean_paths  # noqa: E402
from hub.testing.lean import ANSWER_SAVE  # noqa: E402
from proctoring.upload import FRAME_UPLOAD  # noqa: E402
from realtime.auth import SessionAuthMiddleware  # noqa: E402
from realtime.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": lean_paths(
            [FRAME_UPLOAD, ANSWER_SAVE],
            admission_gate(django_asgi_app, settings.HTTP_CONCURRENCY),
        ),
        "websocket": AllowedHostsOriginValidator(
            SessionAuthMiddleware(URLRouter(websocket_urlpatterns))
        ),
    }
)

from hub.server_gc import tune_for_server  # noqa: E402

tune_for_server()
