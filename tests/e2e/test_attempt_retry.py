"""The start answers with the attempt's page, which a reload reads again (GET). An
answer the server could not take — out of reach, then busy (503 with Retry-After)
— stays queued in the student's browser and is sent again by itself, with no "online"
event and no click: it lands in the database once the server takes it.

Chromium against the real server; the answer's requests are intercepted in the browser
(Playwright's routing): the first fails as a dropped connection, the second is answered
503 as hub.cabinets.views.server_error answers an exhausted database pool, the rest go
through to the server.
"""

from __future__ import annotations

import pytest

from hub.testing.models import Answer, Attempt, Layout, Question
from tests.e2e.test_cabinets import sign_in
from tests.hub.testing.conftest import make_bank, make_test

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "Resent geography"
TIMEOUT_MS = 45_000
STATUS_IS = "(text) => document.querySelector('[data-status]')?.textContent === text"


def test_an_answer_refused_by_a_busy_or_unreachable_server_is_sent_again(
    page, live_server_url, cast, university, enrolled
):
    bank = make_bank(cast.teacher, title=TITLE)
    round_earth = Question.objects.get(bank=bank, name="round")  # true
    test = make_test(
        cast.teacher, bank, title=TITLE, group=university.group_a, questions=[round_earth],
        layout=Layout.ALL,
    )  # fmt: skip
    page.set_default_timeout(TIMEOUT_MS)
    sign_in(page, live_server_url, "student")
    page.wait_for_url(f"{live_server_url}/cabinet/**")
    page.goto(f"{live_server_url}/testing/")
    page.locator("section.card", has_text=TITLE).get_by_role("button", name="Start").click()
    page.wait_for_selector("fieldset[data-question]")
    attempt = Attempt.objects.get(test=test, student=enrolled.student)
    # The start answered with the page; its own address replaced the start's in the
    # history, so a reload reads the page again rather than repeating the start.
    page_url = f"{live_server_url}/testing/attempts/{attempt.pk}/"
    page.wait_for_url(page_url)
    with page.expect_request(page_url) as reloaded:
        page.reload()
    assert reloaded.value.method == "GET"
    page.wait_for_selector("fieldset[data-question]")

    calls = []

    def unreliable(route):
        calls.append(route.request.post_data_json)
        if len(calls) == 1:
            route.abort("connectionreset")
        elif len(calls) == 2:
            route.fulfill(status=503, headers={"Retry-After": "1"}, body="busy")
        else:
            route.continue_()

    page.route("**/answer/", unreliable)
    page.locator(f'fieldset[data-question="{round_earth.pk}"] input[value="true"]').check()

    page.wait_for_function(
        STATUS_IS, arg="Offline: the answer will be sent when the connection is back"
    )
    page.wait_for_function(
        STATUS_IS,
        arg="The server is busy: the answer is kept and will be sent again in a few seconds",
    )
    page.wait_for_function(STATUS_IS, arg="Saved")
    assert not Answer.objects.filter(attempt=attempt).exclude(response={"value": True}).exists()
    assert Answer.objects.get(attempt=attempt, question=round_earth).version == 1
    assert len(calls) == 3
    assert {c["version"] for c in calls} == {1}
    queued = page.evaluate(f"localStorage.getItem('test-attempt:{attempt.pk}:queue')")
    assert queued is None
