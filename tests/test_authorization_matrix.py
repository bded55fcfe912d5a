"""The authorization matrix: every route, for every member of the cast.

Routes are read from the URL resolver and the WebSocket router themselves, so
a new page, API endpoint or socket fails here until POLICY says who may use
it. Anonymous visitors are refused everywhere except PUBLIC routes. A refused
signed-in user gets 404 (never 403), so ids and pages cannot be probed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from asgiref.sync import async_to_sync
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from hub.accounts.models import User
from hub.jobs.models import Job
from realtime.models import Notification
from realtime.routing import websocket_urlpatterns
from tests.policy import (
    ACCOUNT_ADMINS,
    ANONYMOUS,
    AUDIT_READERS,
    EVERYONE,
    GROUP_A_READERS,
    PUBLIC,
    REDIRECTS_HOME,
    SIGNED_IN,
    STRUCTURE_READERS,
    STRUCTURE_WRITERS,
    Policy,
    app_policy_modules,
)
from tests.realtime.conftest import communicator, session_cookie

pytestmark = pytest.mark.django_db


POLICY: dict[str, Policy] = {
    # Cabinets: everyone lands in their own (the own-kind check is below).
    "cabinet": REDIRECTS_HOME,
    "cabinet-page": Policy(EVERYONE, kwargs="own_cabinet"),
    # Signed-in users are sent on to their cabinet.
    "login": Policy(EVERYONE, ok=(200, 302), public=True),
    "logout": Policy(EVERYONE, ok=(302,), public=True, method="post"),
    "language": Policy(EVERYONE, ok=(302,), public=True, method="post", kwargs="language"),
    # Background jobs: the list is everyone's own; a job only its owner's (and
    # superusers'); starting the demo seed is for superusers.
    "jobs:list": SIGNED_IN,
    "jobs:start": Policy(frozenset({"admin"}), ok=(302,), method="post", kwargs="seed_kind"),
    "jobs:detail": Policy(frozenset({"teacher", "admin"}), kwargs="teachers_job"),
    "jobs:status": Policy(frozenset({"teacher", "admin"}), kwargs="teachers_job"),
    # Notifications: only the recipient.
    "notification-list": SIGNED_IN,
    "notification-settings": SIGNED_IN,
    "notification-read": Policy(
        frozenset({"student"}), ok=(302,), method="post", kwargs="students_notification"
    ),
    # REST API and its documentation.
    "v1:auth-token": Policy(EVERYONE, ok=(400,), public=True, method="post"),
    "v1:me": SIGNED_IN,
    "api-schema": PUBLIC,
    "api-docs": PUBLIC,
    "api-redoc": PUBLIC,
    "healthz": PUBLIC,
    # Own account.
    "profile": SIGNED_IN,
    "password-change": SIGNED_IN,
    # Accounts administration.
    "accounts-users": Policy(ACCOUNT_ADMINS),
    "accounts-user-create": Policy(ACCOUNT_ADMINS),
    "accounts-import": Policy(ACCOUNT_ADMINS),
    "accounts-locks": Policy(ACCOUNT_ADMINS),
    "accounts-user": Policy(ACCOUNT_ADMINS, kwargs="some_user"),
    "accounts-user-password-reset": Policy(ACCOUNT_ADMINS, kwargs="some_user"),
    "accounts-user-deactivate": Policy(ACCOUNT_ADMINS, kwargs="some_user"),
    "accounts-user-reactivate": Policy(ACCOUNT_ADMINS, kwargs="some_user"),
    "accounts-user-unlock": Policy(ACCOUNT_ADMINS, kwargs="some_user"),
    "accounts-user-child-add": Policy(ACCOUNT_ADMINS, kwargs="some_user"),
    "accounts-user-child-remove": Policy(ACCOUNT_ADMINS, kwargs="parents_link"),
    # Audit log.
    "audit:list": Policy(AUDIT_READERS),
    "audit:export": Policy(AUDIT_READERS),
    "audit:object": Policy(AUDIT_READERS, kwargs="audited_object"),
    # University structure.
    "structure:overview": Policy(STRUCTURE_READERS),
    "structure:groups": Policy(STRUCTURE_READERS),
    "structure:group": Policy(GROUP_A_READERS, kwargs="group_a"),
    "structure:group-create": Policy(STRUCTURE_WRITERS),
    "structure:group-edit": Policy(STRUCTURE_WRITERS, kwargs="group_a"),
    "structure:group-curator": Policy(STRUCTURE_WRITERS, kwargs="group_a"),
    "structure:group-deactivate": Policy(
        STRUCTURE_WRITERS, ok=(302,), method="post", kwargs="group_a"
    ),
    "structure:faculty-create": Policy(STRUCTURE_WRITERS),
    "structure:faculty-edit": Policy(STRUCTURE_WRITERS, kwargs="faculty_a"),
    "structure:department-create": Policy(STRUCTURE_WRITERS),
    "structure:department-edit": Policy(STRUCTURE_WRITERS, kwargs="department_a"),
    "structure:specialty-create": Policy(STRUCTURE_WRITERS),
    "structure:specialty-edit": Policy(STRUCTURE_WRITERS, kwargs="specialty_a"),
}
# Each app's routes: tests/policies/<app>.py (POLICY, and objects() for their ids).
# A route's objects are made by its own module only, and only when a test needs them.
ROUTE_MODULE = {}
for _module in app_policy_modules():
    POLICY |= _module.POLICY
    ROUTE_MODULE |= dict.fromkeys(_module.POLICY, _module)

# Routes answered by other means than a view of ours.
NOT_IN_MATRIX = {
    "admin",  # Django admin: its own staff login, tested in tests/cabinets/test_admin.py
    "api-not-found",  # the JSON 404 for unknown /api/ addresses: a catch-all, no page
}

SOCKETS = {"/ws/notifications/": EVERYONE, "/ws/chat/": EVERYONE}
# Sockets of one object, tried for every cast member beside their objects.
SOCKETS_WITH_IDS = {
    "/ws/class/<int:class_id>/": "tests/realtime/classes/test_consumer.py",
    "/ws/proctor/<int:test_id>/": "tests/proctoring/test_consumer.py",
}


def route_names() -> list[str]:
    """Every named route of the project, with namespaces, as `reverse` takes it."""
    names: list[str] = []

    def walk(patterns, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.app_name == "admin":
                    names.append("admin")
                    continue
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern):
                # An unnamed route cannot be given a policy: it fails the test by name.
                names.append(f"{namespace}{pattern.name or pattern.pattern}")

    walk(get_resolver().url_patterns, "")
    return sorted(set(names))


def test_every_route_has_a_policy():
    missing = set(route_names()) - set(POLICY) - NOT_IN_MATRIX

    assert not missing, f"routes without an access policy: {sorted(missing)}"


def test_the_policy_names_no_route_that_does_not_exist():
    assert set(POLICY) <= set(route_names())


def test_every_socket_has_a_policy():
    assert {f"/{p.pattern}" for p in websocket_urlpatterns} == set(SOCKETS) | set(SOCKETS_WITH_IDS)


@dataclass
class Objects:
    """The objects that routes with ids are tried on, made once per test."""

    cast: object
    university: object
    by_name: dict[str, dict] = field(default_factory=dict)

    def kwargs(self, name: str, member: str, route: str) -> dict:
        if name == "own_cabinet":
            user = getattr(self.cast, member, None)
            return {"kind": user.cabinet if user else "student"}
        if name not in self.by_name and hasattr(ROUTE_MODULE.get(route), "objects"):
            self.by_name |= ROUTE_MODULE[route].objects(self.cast, self.university)
        return self.by_name[name]


@pytest.fixture
def objects(cast, university) -> Objects:
    job = Job.objects.create(owner=cast.teacher, kind="demo.seed", params={"students": 10})
    note = Notification.objects.create(recipient=cast.student, title="Grade posted")
    by_name = {
        "seed_kind": {"kind": "demo.seed"},
        "teachers_job": {"job_id": job.pk},
        "students_notification": {"notification_id": note.pk},
        "some_user": {"user_id": cast.other_student.pk},
        "parents_link": {"user_id": cast.parent.pk, "link_id": cast.parent.wards.get().pk},
        "audited_object": {"object_type": "accounts.user", "object_id": str(cast.student.pk)},
        "language": {},
        "group_a": {"group_id": university.group_a.pk},
        "faculty_a": {"faculty_id": university.faculty_a.pk},
        "department_a": {"department_id": university.department_a.pk},
        "specialty_a": {"specialty_id": university.specialty_a.pk},
    }
    return Objects(cast, university, by_name)


def call(client, route: str, policy: Policy, objects: Objects, member: str):
    kwargs = objects.kwargs(policy.kwargs, member, route) if policy.kwargs else {}
    url = reverse(route, kwargs=kwargs or None)
    if policy.kwargs == "language":
        return client.post(url, {"language": "ru"})
    if route == "jobs:start":
        return client.post(url, {"students": "10"})
    if policy.data is not None:
        return getattr(client, policy.method)(url, policy.data)
    return getattr(client, policy.method)(url)


MEMBERS = sorted(EVERYONE | {ANONYMOUS})


@pytest.mark.parametrize("route", sorted(POLICY))
def test_the_matrix(client, cast, objects, route):
    """Every member of the cast (and the anonymous visitor) tries the route once.

    The cast and the route's objects are made once per route; each member's
    request runs in a savepoint rolled back afterwards, so one member's POST
    never changes what the next one finds.
    """
    policy = POLICY[route]
    if policy.kwargs:
        objects.kwargs(policy.kwargs, "admin", route)  # made outside the savepoints
    wrong = []
    for member in MEMBERS:
        with transaction.atomic():
            if member == ANONYMOUS:
                client.logout()
            else:
                client.force_login(getattr(cast, member))
            response = call(client, route, policy, objects, member)
            problem = verdict(route, policy, member, response)
            transaction.set_rollback(True)
        if problem:
            wrong.append(f"{member}: {problem}")
    assert not wrong, f"{route}: " + "; ".join(wrong)


def verdict(route: str, policy: Policy, member: str, response) -> str | None:
    """What is wrong with `response` for `member` on `route`, or None."""
    status = response.status_code
    if member == ANONYMOUS and not policy.public:
        if route.startswith("v1:"):
            return None if status == 401 else f"got {status}, expected 401"
        if status == 302 and response["Location"].startswith(reverse("login")):
            return None
        return f"got {status}, expected a redirect to the login page"
    if member == ANONYMOUS or member in policy.allowed:
        return None if status in policy.ok else f"got {status}, expected {policy.ok}"
    return None if status in policy.refused else f"got {status}, expected {policy.refused}"


@pytest.mark.parametrize("member", sorted(EVERYONE))
def test_a_cabinet_of_another_kind_is_not_found(client, cast, member):
    user: User = getattr(cast, member)
    client.force_login(user)
    other = "admin" if user.cabinet != "admin" else "student"

    assert client.get(reverse("cabinet-page", kwargs={"kind": other})).status_code == 404


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("member", sorted(EVERYONE | {ANONYMOUS}))
def test_the_socket_matrix(cast, member):
    for path, allowed in SOCKETS.items():
        cookie = session_cookie(getattr(cast, member)) if member != ANONYMOUS else None
        connected, code = async_to_sync(_connect)(path, cookie)
        if member in allowed:
            assert connected, code
        else:
            assert not connected or code == 4401


async def _connect(path: str, cookie: str | None) -> tuple[bool, int | None]:
    socket = communicator(path, cookie=cookie)
    connected, code = await socket.connect()
    if connected and not await socket.receive_nothing(timeout=0.5):
        # The consumer accepts and then closes anonymous visitors with 4401.
        first = await socket.receive_output(timeout=2)
        if first.get("type") == "websocket.close":
            await socket.disconnect()
            return False, first.get("code")
    await socket.disconnect()
    return connected, code
