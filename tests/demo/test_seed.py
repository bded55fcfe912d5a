"""seed_demo: users for every cabinet, idempotent, one shared password."""

from __future__ import annotations

from collections import Counter

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.test import RequestFactory

from academic.curricula.models import Curriculum
from academic.grades.demo import DEMO_GROUPS
from academic.records.models import Student
from academic.staff.models import Employee
from academic.structure.models import Group
from hub.accounts.models import Cabinet, User
from hub.demo.seed import DEMO_PASSWORD, MAX_STUDENTS, OFFICES, seed_demo

pytestmark = pytest.mark.django_db


def cabinet_counts() -> Counter:
    return Counter(User.objects.values_list("cabinet", flat=True))


def test_every_cabinet_gets_at_least_one_user():
    seed_demo(students=60, seed=2026)

    assert set(cabinet_counts()) == set(Cabinet.values)


def test_the_university_has_the_planned_size():
    summary = seed_demo(students=600, seed=2026)

    counts = cabinet_counts()
    assert counts[Cabinet.STUDENT] == 600
    assert counts[Cabinet.TEACHER] + counts[Cabinet.CURATOR] == 600 // 15
    assert counts[Cabinet.CURATOR] == 20
    assert counts[Cabinet.PARENT] == 150
    assert counts[Cabinet.APPLICANT] == 3
    assert counts[Cabinet.STAFF] == len(OFFICES) - 1
    assert counts[Cabinet.ADMIN] == 1
    assert summary.total_created == User.objects.count()


def test_small_universities_still_get_six_teachers():
    seed_demo(students=10, seed=2026)

    counts = cabinet_counts()
    assert counts[Cabinet.TEACHER] + counts[Cabinet.CURATOR] == 6


def test_seeding_twice_creates_nothing_new():
    seed_demo(students=120, seed=2026)
    before = cabinet_counts()
    names = list(User.objects.order_by("username").values_list("username", "last_name"))

    again = seed_demo(students=120, seed=2026)

    assert cabinet_counts() == before
    assert again.total_created == 0
    assert list(User.objects.order_by("username").values_list("username", "last_name")) == names


def test_more_students_later_adds_only_the_new_ones():
    seed_demo(students=100, seed=2026)
    first_student = User.objects.get(username="student00001")

    summary = seed_demo(students=130, seed=2026)

    assert cabinet_counts()[Cabinet.STUDENT] == 130
    assert summary.created[Cabinet.STUDENT] == 30
    assert User.objects.get(username="student00001").last_name == first_student.last_name


def test_all_demo_users_share_one_password_hash_that_logs_in():
    seed_demo(students=30, seed=2026)

    assert User.objects.values("password").distinct().count() == 1
    # django-axes needs the request to count failures; a real sign-in has one.
    request = RequestFactory().post("/login/")
    assert authenticate(request, username="student00001", password=DEMO_PASSWORD) is not None


def test_the_demo_password_passes_the_password_validators():
    user = User.objects.create(username="student00001", last_name="Асанов", first_name="Бакыт")

    validate_password(DEMO_PASSWORD, user)


def test_only_the_administrator_is_a_superuser():
    seed_demo(students=30, seed=2026)

    assert list(User.objects.filter(is_superuser=True).values_list("username", flat=True)) == [
        "administrator"
    ]


def test_names_are_cyrillic_with_latin_spellings():
    seed_demo(students=200, seed=2026)

    students = User.objects.filter(cabinet=Cabinet.STUDENT)
    assert all(s.last_name_latin.isascii() and s.last_name_latin for s in students)
    assert any(set(s.get_full_name()) & {"ң", "ө", "ү"} for s in students)


def test_parents_share_their_childs_family_name():
    seed_demo(students=20, seed=2026)

    parent = User.objects.get(username="parent00001")
    child = User.objects.get(username="student00001")
    assert parent.last_name.rstrip("аяск")[:4] == child.last_name.rstrip("аяск")[:4]


def test_progress_is_reported_up_to_the_total():
    reports = []

    seed_demo(students=2500, seed=2026, progress=lambda *report: reports.append(report))

    done, total, message = reports[-1]
    # Every user and every group of the structure step counts once, every student's file
    # and every staff member's card too, and each group the grades step grades.
    cards, plans = Employee.objects.count(), Curriculum.objects.count()
    rows = User.objects.count() + Group.objects.count() + Student.objects.count()
    graded = min(Group.objects.filter(is_active=True).count(), DEMO_GROUPS)
    assert done == total == rows + cards + plans + graded
    assert [r[0] for r in reports] == sorted(r[0] for r in reports)
    assert message == "E-courses"
    assert len(reports) < 20  # one per batch of 1,000 or per step


def test_the_summary_names_a_login_for_every_role():
    summary = seed_demo(students=30, seed=2026)

    usernames = {username for _role, username in summary.logins}
    cabinets = set(User.objects.filter(username__in=usernames).values_list("cabinet", flat=True))
    assert cabinets == set(Cabinet.values)
    assert summary.as_dict()["password"] == DEMO_PASSWORD


@pytest.mark.parametrize("students", [0, MAX_STUDENTS + 1])
def test_the_number_of_students_is_bounded(students):
    with pytest.raises(ValueError, match="between 1 and 20000"):
        seed_demo(students=students, seed=2026)


def test_every_demo_account_holds_the_role_of_its_office_or_cabinet():
    from hub.accounts.access import Level, Module, Scope, has_right

    seed_demo(students=60, seed=2026)

    assert not User.objects.filter(role_assignments__isnull=True).exists()
    deanery_a = User.objects.get(username="deanery-a")
    assert has_right(deanery_a, Module.GRADES, Level.EDIT, scope=Scope("faculty", 1))
    assert not has_right(deanery_a, Module.GRADES, Level.EDIT, scope=Scope("faculty", 2))
    assert has_right(User.objects.get(username="cashier"), Module.CASHIER, Level.EDIT)
    assert not has_right(User.objects.get(username="student00001"), Module.GRADES, Level.EDIT)
    curator = User.objects.get(username="curator0001")
    group_id = Group.objects.filter(curator=curator).values_list("pk", flat=True).first()
    assert has_right(curator, Module.RECORDS, Level.VIEW, scope=Scope("group", group_id))


def test_parents_are_linked_to_their_child_once_however_often_it_runs():
    from hub.accounts.models import Guardianship, RoleAssignment

    seed_demo(students=60, seed=2026)
    assignments = RoleAssignment.objects.count()
    seed_demo(students=60, seed=2026)

    links = Guardianship.objects.select_related("parent", "child")
    assert links.count() == User.objects.filter(cabinet=Cabinet.PARENT).count() == 15
    assert all(
        link.child.last_name.rstrip("аяск")[:4] == link.parent.last_name.rstrip("аяск")[:4]
        for link in links
    )
    assert RoleAssignment.objects.count() == assignments
