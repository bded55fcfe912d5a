import pytest

from academic.staff.demo import seed_staff_records
from academic.staff.models import (
    Employee,
    Establishment,
    OrderKind,
    OrderStatus,
    Position,
    StaffOrder,
    StaffOrderLine,
)
from academic.staff.selectors import positions_on
from hub.accounts.models import Cabinet, User
from hub.demo.seed import STEPS, SeedContext, SeedPlan, seed_demo

pytestmark = pytest.mark.django_db


def run_step(seed: int = 2026) -> SeedContext:
    plan = SeedPlan(students=10, seed=seed)
    ctx = SeedContext(plan, total=sum(step.size(plan) for step in STEPS), progress=None)
    seed_staff_records(ctx)
    return ctx


def snapshot() -> list[tuple]:
    return list(
        Employee.objects.order_by("personnel_number").values_list(
            "user__username", "personnel_number", "birth_date", "degree", "title", "sex"
        )
    )


def test_every_teacher_curator_and_office_user_gets_a_card_and_a_post():
    seed_demo(students=10, seed=2026)

    run_step()

    staff = User.objects.filter(cabinet__in=[Cabinet.TEACHER, Cabinet.CURATOR, Cabinet.STAFF])
    assert Employee.objects.count() == staff.count()
    assert Position.objects.filter(valid_to__isnull=True).count() == staff.count()
    teacher = Employee.objects.get(user__username="teacher0001")
    [post] = positions_on(teacher, post_start(teacher))
    assert post.department is not None
    assert Position.objects.filter(department__isnull=True, office__gt="").exists()
    assert Employee.objects.exclude(degree="none").exists()
    assert Establishment.objects.exists()


def post_start(employee):
    return employee.positions.get().valid_from


def test_the_demo_orders_are_signed_and_every_post_has_its_order():
    seed_demo(students=10, seed=2026)

    run_step()

    assert set(StaffOrder.objects.values_list("status", flat=True)) == {OrderStatus.SIGNED}
    assert set(StaffOrder.objects.values_list("kind", flat=True)) == {
        OrderKind.HIRING,
        OrderKind.AWARD,
        OrderKind.LEAVE,
    }
    assert not Position.objects.filter(opened_by__isnull=True).exists()
    assert StaffOrderLine.objects.filter(order__kind=OrderKind.AWARD).count() == 3


def test_seeding_twice_creates_nothing_new_and_is_deterministic():
    seed_demo(students=10, seed=2026)
    run_step()
    first = snapshot()
    counts = (Position.objects.count(), StaffOrder.objects.count(), Establishment.objects.count())
    before = Employee.objects.count()

    run_step()

    assert Employee.objects.count() == before
    assert snapshot() == first
    assert counts == (
        Position.objects.count(),
        StaffOrder.objects.count(),
        Establishment.objects.count(),
    )


def test_more_teachers_later_get_cards_through_a_second_hiring_order():
    seed_demo(students=10, seed=2026)  # seed_demo runs this step among its own
    before = Employee.objects.count()

    seed_demo(students=300, seed=2026)

    assert Employee.objects.count() > before
    assert StaffOrder.objects.filter(kind=OrderKind.HIRING).count() == 2
    assert not User.objects.filter(cabinet=Cabinet.TEACHER, employee__isnull=True).exists()
