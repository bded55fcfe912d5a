"""The live grid, the review page and the thumbnails: what they show, who sees them, and a
query count that does not grow with the attempts or the frames."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hub.testing import actions as testing_actions
from proctoring import actions
from tests.conftest import admit, make_user, personal_file
from tests.proctoring import frame
from tests.proctoring.conftest import count_queries

pytestmark = pytest.mark.usefixtures("in_english")


def analysed(student_user, attempt, name: str):
    stored = actions.frame_receive(by=student_user, attempt=attempt, jpeg=frame(name))
    return actions.frame_analyse(frame_id=stored.pk)


def more_students(university, count: int):
    users = [make_user(f"extra{i}") for i in range(count)]
    admit(
        [personal_file(u, f"24-77{i:02}") for i, u in enumerate(users)],
        university.group_a,
        number="9-A",
    )
    return users


def test_the_live_grid_shows_each_attempt_with_its_latest_frame(client, cast, proctored):
    latest = analysed(cast.student, proctored.attempt, "two_faces")
    client.force_login(cast.other_teacher)

    response = client.get(reverse("proctoring:live", args=[proctored.test.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("proctoring:thumbnail", args=[latest.pk]) in html
    assert "more than one face" in html
    assert f'data-socket="/ws/proctor/{proctored.test.pk}/"' in html


def test_the_live_grid_makes_as_many_queries_for_one_attempt_as_for_several(
    client, cast, university, proctored
):
    analysed(cast.student, proctored.attempt, "one_face")
    client.force_login(cast.teacher)
    url = reverse("proctoring:live", args=[proctored.test.pk])
    client.get(url)
    one = count_queries(lambda: client.get(url))

    for user in [cast.other_student, *more_students(university, 2)]:
        attempt = testing_actions.attempt_start(by=user, test=proctored.test)
        analysed(user, attempt, "two_faces")
        actions.page_events_record(by=user, attempt=attempt, events=[{"kind": "copy"}])

    response = client.get(url)
    assert response.content.decode().count("data-attempt=") == 4
    assert count_queries(lambda: client.get(url)) == one


def test_the_review_shows_flags_and_page_events_in_time_order(client, cast, proctored):
    flagged = analysed(cast.student, proctored.attempt, "two_faces")
    later = (timezone.now() + timedelta(seconds=5)).isoformat()
    actions.page_events_record(
        by=cast.student, attempt=proctored.attempt, events=[{"kind": "paste", "at": later}]
    )
    client.force_login(cast.deanery_a)

    response = client.get(reverse("proctoring:review", args=[proctored.attempt.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("more than one face") < html.index("paste")
    assert reverse("proctoring:thumbnail", args=[flagged.pk]) in html
    assert reverse("testing:result", args=[proctored.attempt.pk]) in html
    assert reverse("proctoring:annul", args=[proctored.attempt.pk]) in html


def test_a_chosen_proctor_who_may_not_annul_sees_no_annul_link(client, cast, proctored):
    client.force_login(cast.other_teacher)

    response = client.get(reverse("proctoring:review", args=[proctored.attempt.pk]))

    assert response.status_code == 200
    assert reverse("proctoring:annul", args=[proctored.attempt.pk]) not in response.content.decode()
    assert client.get(reverse("proctoring:annul", args=[proctored.attempt.pk])).status_code == 404


def test_the_review_makes_as_many_queries_for_one_frame_as_for_several(client, cast, proctored):
    analysed(cast.student, proctored.attempt, "two_faces")
    client.force_login(cast.teacher)
    url = reverse("proctoring:review", args=[proctored.attempt.pk])
    client.get(url)
    one = count_queries(lambda: client.get(url))

    for name in ("dark", "no_face_coffee", "one_face", "off_centre"):
        analysed(cast.student, proctored.attempt, name)
    actions.page_events_record(
        by=cast.student, attempt=proctored.attempt, events=[{"kind": "copy"}, {"kind": "paste"}]
    )

    assert count_queries(lambda: client.get(url)) == one


def test_a_thumbnail_is_served_to_the_proctors_only(client, cast, proctored):
    shot = analysed(cast.student, proctored.attempt, "one_face")
    url = reverse("proctoring:thumbnail", args=[shot.pk])

    for member in ("teacher", "other_teacher", "deanery_a", "admin"):
        client.force_login(getattr(cast, member))
        response = client.get(url)
        assert response.status_code == 200, member
        assert b"".join(response.streaming_content).startswith(b"\xff\xd8")
    for member in ("student", "other_student", "deanery_b", "curator"):
        client.force_login(getattr(cast, member))
        assert client.get(url).status_code == 404, member
