"""The lean path of an answer save (issue 8): POST /testing/attempts/<id>/answer/ with
the JSON `{question, response, version}`, answered in front of Django's middleware
(hub.lean).

At the start of an exam every student saves an answer every few seconds: 500 students,
over 150 saves a second, each of which cost about 7 ms of CPU through the full stack for
a view that needs only who is asking and their attempt. Here: the session, the user with
their attempt in one query (permissions.access_own_attempt_of_session), and the view's
own answer (views.answer_reply: 200, 400, 409 in the user's language), saved by the same
action under the attempt's lock.
"""

from __future__ import annotations

from hub.lean import LeanPath
from hub.testing import views
from hub.testing.permissions import ANSWER_FIELDS, access_own_attempt_of_session

# An answer is a few hundred bytes; a longer body goes to Django, which answers it.
MAX_ANSWER_BYTES = 64 * 1024


def _own_attempt(session, attempt_id: int):
    return access_own_attempt_of_session(session, attempt_id, ANSWER_FIELDS)


def _reply(request, user, attempt, body: bytes) -> tuple[int, dict]:
    return views.answer_reply(user=user, attempt=attempt, body=body)


ANSWER_SAVE = LeanPath(
    url_name="testing:answer",
    view=views.answer,
    max_body=MAX_ANSWER_BYTES,
    own_of_session=_own_attempt,
    reply=_reply,
)
