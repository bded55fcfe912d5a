"""The LiveKit provider: its access tokens and its RoomService calls, against a local HTTP server."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from realtime.classes.media.livekit import LiveKitError, LiveKitProvider, access_token
from realtime.classes.media.provider import Role

KEY, SECRET = "APIbench", "s3cret-of-at-least-32-characters-long"


def _unb64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def verify(token: str, secret: str = SECRET) -> dict:
    """Check the HS256 signature as LiveKit does; returns the claims."""
    header, payload, signature = token.split(".")
    expected = hmac.new(secret.encode(), f"{header}.{payload}".encode(), hashlib.sha256).digest()
    assert hmac.compare_digest(expected, _unb64(signature)), "bad signature"
    assert json.loads(_unb64(header)) == {"alg": "HS256", "typ": "JWT"}
    return json.loads(_unb64(payload))


class FakeLiveKit(BaseHTTPRequestHandler):
    """Twirp's RoomService: refuses a missing or forged token, records each call."""

    calls: list = []
    answer: dict = {}

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        auth = self.headers.get("Authorization", "")
        try:
            claims = verify(auth.removeprefix("Bearer "))
        except (AssertionError, ValueError):
            self.send_response(401)
            self.end_headers()
            self.wfile.write(b'{"code":"unauthenticated"}')
            return
        self.calls.append((self.path, body, claims))
        data = json.dumps(self.answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def livekit():
    FakeLiveKit.calls = []
    FakeLiveKit.answer = {"name": "lesson-7", "sid": "RM_x"}
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeLiveKit)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _provider(url: str, secret: str = SECRET) -> LiveKitProvider:
    return LiveKitProvider(url=url, api_key=KEY, api_secret=secret, max_participants=300)


def test_an_access_token_is_signed_and_carries_livekits_claims():
    token = access_token(
        api_key=KEY,
        api_secret=SECRET,
        identity="u42",
        name="Aida",
        grant={"room": "r", "roomJoin": True},
        ttl=60,
        now=1_000_000,
    )
    assert verify(token) == {
        "iss": KEY,
        "sub": "u42",
        "name": "Aida",
        "nbf": 1_000_000,
        "exp": 1_000_060,
        "video": {"room": "r", "roomJoin": True},
    }
    with pytest.raises(AssertionError):
        verify(token, "another-secret")


async def test_joining_creates_the_room_once_and_hands_out_join_tokens(livekit):
    provider = _provider(livekit)
    teacher = await provider.join("lesson-7", "t1", Role.TEACHER, name="Teacher")
    student = await provider.join("lesson-7", "s1", Role.STUDENT)

    assert [(path, body) for path, body, _ in FakeLiveKit.calls] == [
        (
            "/twirp/livekit.RoomService/CreateRoom",
            {"name": "lesson-7", "empty_timeout": 300, "max_participants": 300},
        )
    ]
    assert FakeLiveKit.calls[0][2]["video"] == {"roomCreate": True}
    assert (teacher.mode, teacher.url) == ("sfu", livekit.replace("http://", "ws://"))
    t, s = verify(teacher.token), verify(student.token)
    assert (t["iss"], t["sub"], t["name"]) == (KEY, "t1", "Teacher")
    assert t["video"] == {
        "room": "lesson-7",
        "roomJoin": True,
        "canPublish": True,
        "canSubscribe": True,
        "canPublishData": True,
        "roomAdmin": True,
    }
    assert s["video"] == {
        "room": "lesson-7",
        "roomJoin": True,
        "canPublish": False,
        "canSubscribe": True,
        "canPublishData": True,
    }
    assert s["exp"] > s["nbf"]


async def test_allow_remove_and_close_call_the_room_service(livekit):
    provider = _provider(livekit)
    await provider.allow("lesson-7", "s1")
    await provider.remove("lesson-7", "s2")
    await provider.close("lesson-7")
    assert [(path.rsplit("/", 1)[1], body) for path, body, _ in FakeLiveKit.calls] == [
        (
            "UpdateParticipant",
            {
                "room": "lesson-7",
                "identity": "s1",
                "permission": {"canPublish": True, "canSubscribe": True, "canPublishData": True},
            },
        ),
        ("RemoveParticipant", {"room": "lesson-7", "identity": "s2"}),
        ("DeleteRoom", {"room": "lesson-7"}),
    ]
    grants = [claims["video"] for _, _, claims in FakeLiveKit.calls]
    assert grants == [
        {"roomAdmin": True, "room": "lesson-7"},
        {"roomAdmin": True, "room": "lesson-7"},
        {"roomCreate": True},
    ]


async def test_a_refused_or_unreachable_server_raises(livekit):
    with pytest.raises(LiveKitError, match="HTTP 401"):
        await _provider(livekit, secret="wrong").create_room("x")
    with pytest.raises(LiveKitError):
        await _provider("http://127.0.0.1:9").create_room("x")
