"""The pages: import with its problems preview, making and giving a test, the attempt page
and its JSON answer endpoint (saved, versioned, refused after the deadline), the reload
case, results, annulment, and constant queries on the attempt page."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from academic.grades.models import Score
from hub.testing import actions
from hub.testing.models import Answer, Attempt, AttemptStatus, Question, Test
from tests.conftest import session_queries
from tests.hub.testing.conftest import GIFT, make_test

pytestmark = pytest.mark.usefixtures("in_english")


def post_answer(client, attempt, question, response, version):
    return client.post(
        reverse("testing:answer", args=[attempt.pk]),
        data=json.dumps({"question": question.pk, "response": response, "version": version}),
        content_type="application/json",
    )


def started(client, cast, setup) -> Attempt:
    client.force_login(cast.student)
    response = client.post(reverse("testing:start", args=[setup.test.pk]))
    assert response.status_code == 200  # the attempt's page at once
    return Attempt.objects.get(test=setup.test, student=setup.student)


def test_a_broken_file_shows_its_problems_and_imports_nothing(client, cast, setup):
    client.force_login(cast.teacher)
    broken = GIFT + "\n::bad::Сан? {#12:2}\n"
    upload = SimpleUploadedFile("bank.gift", broken.encode())

    response = client.post(
        reverse("testing:bank-import", args=[setup.bank.pk]), {"file": upload, "language": "ky"}
    )

    assert response.status_code == 200
    assert response.context["problems"] and len(response.context["preview"]) == 6
    assert "nothing was imported" in response.content.decode()
    assert setup.bank.questions.count() == 6


def test_a_good_file_is_imported_from_the_form(client, cast, setup):
    client.force_login(cast.teacher)
    upload = SimpleUploadedFile("bank.gift", GIFT.encode())

    response = client.post(
        reverse("testing:bank-import", args=[setup.bank.pk]), {"file": upload, "language": "ky"}
    )

    assert response.status_code == 302
    assert setup.bank.questions.count() == 12


def test_a_test_is_made_with_draws_and_given_to_a_group(client, cast, setup, university):
    client.force_login(cast.teacher)
    geography = setup.bank.topics.get(name="Geography")
    now = timezone.localtime()
    data = {
        "title": "Drawn", "opens_at": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M"), "time_limit": 20,
        "attempts_allowed": 2, "layout": "all", "checkpoint": setup.checkpoint.pk,
        f"draw_{geography.pk}": 2,
    }  # fmt: skip

    response = client.post(reverse("testing:test-create", args=[setup.bank.pk]), data)

    test = Test.objects.get(title="Drawn")
    assert response.status_code == 302
    assert test.max_score == Decimal(30) and list(test.draws.values_list("count", flat=True)) == [2]
    response = client.post(
        reverse("testing:test", args=[test.pk]), {"groups": [university.group_a.pk]}
    )
    assert response.status_code == 302
    assert test.assignments.get().group == university.group_a


def test_my_tests_lists_the_given_test(client, cast, setup):
    client.force_login(cast.student)

    response = client.get(reverse("testing:my-tests"))

    assert [row.test for row in response.context["rows"]] == [setup.test]


def test_an_answer_is_saved_and_acknowledged_with_its_version(client, cast, setup):
    attempt = started(client, cast, setup)
    question = setup.question("round")

    first = post_answer(client, attempt, question, {"value": True}, 1)
    resent = post_answer(client, attempt, question, {"value": True}, 1)

    assert first.status_code == resent.status_code == 200
    assert first.json()["version"] == 1 and 0 < first.json()["remaining"] <= 30 * 60
    assert Answer.objects.get(attempt=attempt).response == {"value": True}


def test_a_bad_answer_is_refused_with_a_reason(client, cast, setup):
    attempt = started(client, cast, setup)

    response = post_answer(client, attempt, setup.question("round"), {"value": "maybe"}, 1)

    assert response.status_code == 400 and "not understood" in response.json()["detail"]


def test_an_answer_after_the_deadline_is_refused_and_the_attempt_submitted(client, cast, setup):
    attempt = started(client, cast, setup)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(seconds=1))

    response = post_answer(client, attempt, setup.question("round"), {"value": True}, 1)

    assert response.status_code == 409
    assert response.json()["submitted"] is True and "time is up" in response.json()["detail"]
    assert Attempt.objects.get(pk=attempt.pk).status == AttemptStatus.SUBMITTED


def test_a_reload_shows_the_saved_answers_and_the_same_remaining_time(client, cast, setup):
    attempt = started(client, cast, setup)
    capital = setup.question("capital")
    right = capital.options.get(fraction=1)
    post_answer(client, attempt, capital, {"option": right.pk}, 4)

    # A new page load (after a dropped connection or a server restart) reads the database.
    page = client.get(reverse("testing:attempt", args=[attempt.pk]))

    html = page.content.decode()
    assert f'value="{right.pk}" checked' in html
    assert json.loads(page.context["versions"])[str(capital.pk)] == 4
    expected = (attempt.deadline - timezone.now()).total_seconds()
    assert abs(page.context["remaining"] - expected) <= 2


def test_an_overdue_attempt_page_submits_it_and_shows_the_result(client, cast, setup):
    attempt = started(client, cast, setup)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(seconds=1))

    response = client.get(reverse("testing:attempt", args=[attempt.pk]))

    assert response.status_code == 302
    assert response.url == reverse("testing:result", args=[attempt.pk])
    assert Attempt.objects.get(pk=attempt.pk).status == AttemptStatus.SUBMITTED


def test_the_result_shows_which_answers_were_wrong(client, cast, setup):
    attempt = started(client, cast, setup)
    post_answer(client, attempt, setup.question("round"), {"value": True}, 1)
    client.post(reverse("testing:submit", args=[attempt.pk]))

    response = client.get(reverse("testing:result", args=[attempt.pk]))

    rights = {item.question.name: item.right for item in response.context["shown"]}
    assert rights["round"] is True and rights["capital"] is False


def test_the_result_hides_details_when_the_test_does_not_show_them(client, cast, setup):
    Test.objects.filter(pk=setup.test.pk).update(show_results=False)
    attempt = started(client, cast, setup)
    client.post(reverse("testing:submit", args=[attempt.pk]))

    response = client.get(reverse("testing:result", args=[attempt.pk]))

    assert response.context["shown"] == []


def test_deanery_annuls_from_the_result_page(client, cast, setup):
    attempt = started(client, cast, setup)
    client.post(reverse("testing:submit", args=[attempt.pk]))
    assert Score.objects.filter(ref=f"testing.attempt:{attempt.pk}").exists()
    client.force_login(cast.deanery_a)

    asked = client.get(reverse("testing:annul", args=[attempt.pk]))
    refused = client.post(reverse("testing:annul", args=[attempt.pk]), {"reason": " "})
    assert asked.status_code == refused.status_code == 200  # the question, then the error
    assert Attempt.objects.get(pk=attempt.pk).status == AttemptStatus.SUBMITTED

    response = client.post(reverse("testing:annul", args=[attempt.pk]), {"reason": "Two faces"})

    assert response.status_code == 302
    assert Attempt.objects.get(pk=attempt.pk).status == AttemptStatus.ANNULLED
    assert not Score.objects.filter(ref=f"testing.attempt:{attempt.pk}").exists()


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_attempt_page_costs_the_same_whatever_its_size(client, cast, setup, university):
    small = make_test(
        cast.teacher, setup.bank, questions=list(setup.bank.questions.all()[:2]),
        group=university.group_a,
    )  # fmt: skip
    client.force_login(cast.student)
    first = actions.attempt_start(by=cast.student, test=small)
    few = _queries(client, reverse("testing:attempt", args=[first.pk]))
    big = make_test(
        cast.teacher, setup.bank, questions=list(Question.objects.filter(bank=setup.bank)),
        group=university.group_a,
    )  # fmt: skip
    second = actions.attempt_start(by=cast.student, test=big)
    for question in Question.objects.filter(pk__in=second.questions, kind="truefalse"):
        actions.answer_save(
            by=cast.student, attempt=second, question_id=question.pk,
            response={"value": True}, version=1,
        )  # fmt: skip

    many = _queries(client, reverse("testing:attempt", args=[second.pk]))

    assert many == few


def test_a_start_answers_with_the_attempts_page_in_a_fixed_number_of_statements(
    client, cast, setup, django_assert_num_queries
):
    client.force_login(cast.student)
    start = reverse("testing:start", args=[setup.test.pk])

    # (The session,) the user, the user's roles with their rights (may take tests), the
    # student's state, the test with its assignment check and camera setting; then in one
    # transaction (a savepoint inside the test's) the student's row locked, their attempts
    # at the test, the fixed questions, the draws with their topics' questions, the chosen
    # questions and their options and matching pairs (one union: read once, for the option
    # orders and the page), the attempt and its audit entry; the page then reads nothing
    # (a new attempt has no answers). (Before issue 8, with the page a redirect away: 18 + 8.)
    with django_assert_num_queries(14 + session_queries()):
        response = client.post(start)
    attempt = Attempt.objects.get(test=setup.test, student=setup.student)
    page_url = reverse("testing:attempt", args=[attempt.pk])
    assert response.status_code == 200
    assert f'data-page-url="{page_url}"' in response.content.decode()
    # A reload: (the session,) the user, the attempt with its test and camera setting;
    # the questions, their options and pairs, the saved answers.
    with django_assert_num_queries(5 + session_queries()):
        reloaded = client.get(page_url)
    assert reloaded.status_code == 200
    assert _questions_of(reloaded) == _questions_of(response)
    # The questions as the start drew and showed them, read again: the same markup.
    assert _fieldsets(reloaded) == _fieldsets(response) != []
    # Resumed: the same up to the transaction, which finds the running attempt under the
    # lock and ends; then its page.
    with django_assert_num_queries(11 + session_queries()):
        resumed = client.post(start)
    assert _questions_of(resumed) == _questions_of(response)
    assert Attempt.objects.filter(test=setup.test).count() == 1


def _questions_of(response) -> list[str]:
    return re.findall(r'data-question="(\d+)"', response.content.decode())


def _fieldsets(response) -> list[str]:
    return re.findall(r"<fieldset.*?</fieldset>", response.content.decode(), re.S)


def test_an_answer_to_someone_elses_attempt_is_not_found(client, cast, setup):
    attempt = started(client, cast, setup)
    client.force_login(cast.other_student)

    response = post_answer(client, attempt, setup.question("round"), {"value": True}, 1)

    assert response.status_code == 404
    assert not Answer.objects.filter(attempt=attempt).exists()


def test_an_answer_takes_the_same_statements_first_and_again(
    client, cast, setup, django_assert_num_queries
):
    attempt = started(client, cast, setup)
    question = setup.question("round")

    # (The session,) the user, the attempt with its student's user; then in one transaction (a
    # savepoint inside the test's) the attempt locked and read with the question's kind
    # and the stored answer, the answer written.
    with django_assert_num_queries(6 + session_queries()):
        assert post_answer(client, attempt, question, {"value": True}, 1).status_code == 200
    with django_assert_num_queries(6 + session_queries()):
        assert post_answer(client, attempt, question, {"value": False}, 2).status_code == 200
