"""The demo's student records: every student filed and admitted, a few expelled, idempotent."""

import pytest

from academic.records.models import Order, OrderKind, Status, Student, StudentState
from academic.records.selectors import states_on
from hub.accounts.models import Cabinet, User
from hub.demo.seed import seed_demo

pytestmark = pytest.mark.django_db


def test_every_demo_student_has_a_file_and_studies_in_a_group():
    seed_demo(students=400, seed=2026)

    assert Student.objects.count() == User.objects.filter(cabinet=Cabinet.STUDENT).count() == 400
    today = states_on()
    assert today.count() == 400
    assert (
        today.filter(status=Status.STUDYING).count() + today.filter(status=Status.EXPELLED).count()
        == 400
    )
    assert today.filter(status=Status.EXPELLED).exists()
    # Each admission came by a signed order; the expelled left by one.
    assert StudentState.objects.filter(order_line__isnull=True).count() == 0
    assert Order.objects.filter(kind=OrderKind.EXPULSION, status="signed").count() == 1


def test_a_second_run_with_more_students_files_only_the_new_ones():
    seed_demo(students=100, seed=2026)
    first = set(Student.objects.values_list("pk", "record_number"))

    seed_demo(students=150, seed=2026)

    assert first <= set(Student.objects.values_list("pk", "record_number"))
    assert Student.objects.count() == 150
    assert StudentState.objects.filter(valid_to__isnull=True).count() == 150
