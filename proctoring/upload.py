"""The lean path of the camera frame upload (issue 8): POST /proctoring/attempts/<id>/frame/
with the JPEG as the body, answered in front of Django's middleware (hub.lean).

300 students send a frame every 3 seconds: a hundred uploads a second, each of which
cost about 9 ms of CPU through the full stack for a view that needs only who is asking
and their attempt. Here: the session, the user with their attempt in one query
(hub.testing.permissions.access_own_attempt_of_session), and the view's own answers
(views.frame_answer: 201, 400, 409 in the user's language); the frame is stored by the
same action (one INSERT) and its analysis queued after commit: three queries in all.

Django answers, as before, a multipart upload (it needs Django's parser; the camera page
sends the bare JPEG) and a body larger than a frame can be (its 413 after the login and
access checks), besides what hub.lean leaves to it.
"""

from __future__ import annotations

from hub.lean import LeanPath, header
from hub.testing.permissions import access_own_attempt_of_session
from proctoring import views
from proctoring.analysis.frames import MAX_FRAME_BYTES
from proctoring.permissions import FRAME_FIELDS


def _bare_jpeg(scope) -> bool:
    return not header(scope, b"content-type").lower().startswith(b"multipart/")


def _own_attempt(session, attempt_id: int):
    return access_own_attempt_of_session(session, attempt_id, FRAME_FIELDS)


def _reply(request, user, attempt, body: bytes) -> tuple[int, dict]:
    taken_at = request.GET.get("taken_at") or None
    return views.frame_answer(user=user, attempt=attempt, jpeg=body, taken_at=taken_at)


FRAME_UPLOAD = LeanPath(
    url_name="proctoring:frame",
    view=views.frame,
    # The view's own bound: a little room for a multipart envelope around the frame.
    max_body=MAX_FRAME_BYTES + 4096,
    own_of_session=_own_attempt,
    reply=_reply,
    takes=_bare_jpeg,
)
