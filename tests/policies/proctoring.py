"""Proctoring (TS-8): uploads, a test's settings, the live grid, the proctor's acts, review.

cast.teacher's test for group A requires the camera, with cast.other_teacher
chosen as a proctor; cast.student's attempt is in progress with one analysed
frame. The proctors are the owner, the chosen proctor and the test's managers
(the administrator, the vice-rector reading, deanery A keeping group A's
grades). Frames and page events come only from the attempt's student; the
settings are changed by the test's writers; annulment by `may_annul`.
"""

from __future__ import annotations

from hub.testing import actions as testing_actions
from proctoring import actions
from tests.conftest import enrol_cast
from tests.policy import Policy
from tests.proctoring import frame

PROCTORS = frozenset({"teacher", "other_teacher", "admin", "vice_rector", "deanery_a"})
TEST_WRITERS = frozenset({"teacher", "admin"})
ANNULLERS = frozenset({"teacher", "admin", "vice_rector", "deanery_a"})
STUDENT = frozenset({"student"})

POLICY = {
    # An empty upload is not a frame or an event list: 400 with the reason, for the student only.
    "proctoring:frame": Policy(STUDENT, ok=(400,), method="post", kwargs="proctored_attempt"),
    "proctoring:events": Policy(STUDENT, ok=(400,), method="post", kwargs="proctored_attempt"),
    "proctoring:message": Policy(
        PROCTORS, ok=(302,), method="post", kwargs="proctored_attempt", data={"text": "Hello"}
    ),
    "proctoring:extend": Policy(
        PROCTORS, ok=(302,), method="post", kwargs="proctored_attempt", data={"minutes": "5"}
    ),
    # GET asks for the reason (the confirmation); nothing ends before the POST.
    "proctoring:end": Policy(PROCTORS, kwargs="proctored_attempt"),
    "proctoring:review": Policy(PROCTORS, kwargs="proctored_attempt"),
    "proctoring:annul": Policy(ANNULLERS, kwargs="proctored_attempt"),
    "proctoring:thumbnail": Policy(PROCTORS, kwargs="proctored_frame"),
    "proctoring:settings": Policy(TEST_WRITERS, kwargs="proctored_test"),
    "proctoring:live": Policy(PROCTORS, kwargs="proctored_test"),
}


def objects(cast, university) -> dict[str, dict]:
    from tests.hub.testing.conftest import make_bank, make_test

    enrol_cast(cast, university)
    bank = make_bank(cast.teacher, title="Proctored")
    test = make_test(cast.teacher, bank, group=university.group_a, title="Proctored")
    actions.proctoring_settings_save(
        by=cast.teacher, test=test, requires_camera=True, frame_interval=5,
        proctors=[cast.other_teacher],
    )  # fmt: skip
    attempt = testing_actions.attempt_start(by=cast.student, test=test)
    stored = actions.frame_receive(by=cast.student, attempt=attempt, jpeg=frame("one_face"))
    actions.frame_analyse(frame_id=stored.pk)
    return {
        "proctored_test": {"test_id": test.pk},
        "proctored_attempt": {"attempt_id": attempt.pk},
        "proctored_frame": {"frame_id": stored.pk},
    }
