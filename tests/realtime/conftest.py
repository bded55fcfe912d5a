"""Helpers for driving sockets through the real ASGI router as a signed-in user."""

from __future__ import annotations

import pytest
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from tests.academic.grades.conftest import grades_plan  # noqa: F401 (a fixture, for course tests)

ORIGIN = b"http://localhost"


def session_cookie(user) -> str:
    """A real session for `user` in the test database, as the browser's cookie."""
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def communicator(path: str, *, cookie: str | None = None, origin: bytes = ORIGIN):
    """A socket to `path` through hub.asgi.application (origin check, session auth, router)."""
    from hub.asgi import application

    headers = [(b"origin", origin), (b"host", b"localhost")]
    if cookie is not None:
        headers.append((b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode()))
    return WebsocketCommunicator(application, path, headers=headers)


# --- Courses in a term going on today (course-stream chats, teachers' announcements) ---------


@pytest.fixture
def grades_year(db):
    """An academic year whose first term is going on today (grades_plan derives its plan)."""
    from datetime import date, timedelta

    from academic.structure.models import AcademicYear, Term

    today = date.today()
    year = AcademicYear.objects.create(
        name="2026–2027",
        starts_on=today - timedelta(days=60),
        ends_on=today + timedelta(days=200),
        is_current=True,
    )
    Term.objects.create(
        academic_year=year,
        number=1,
        starts_on=today - timedelta(days=60),
        ends_on=today + timedelta(days=60),
    )
    Term.objects.create(
        academic_year=year,
        number=2,
        starts_on=today + timedelta(days=61),
        ends_on=today + timedelta(days=200),
    )
    return year


@pytest.fixture
def term(grades_year):
    return grades_year.terms.get(number=1)


def make_course(group, term, plan, teacher, code: str = "DB"):
    """A course of the plan's discipline `code` for `group`, taught by `teacher`."""
    from academic.grades.models import Course

    line = plan.lines.get(discipline__code=code)
    return Course.objects.create(
        term=term,
        group=group,
        line=line,
        discipline=line.discipline,
        teacher=teacher,
        credits=line.credits,
    )
