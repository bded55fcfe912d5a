import pytest
from django.utils import translation

from academic.structure import actions
from academic.structure.models import DegreeLevel, Group, Room, RoomType
from hub.audit.models import AuditEntry
from hub.errors import DomainError

pytestmark = pytest.mark.django_db


def entries(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action))


def test_faculty_create_and_update_write_audit_entries(cast, university):
    faculty = actions.faculty_create(
        by=cast.records_office, code="FL", name_ky="Филология", name_ru="Филология"
    )
    actions.faculty_update(by=cast.records_office, faculty=faculty, name_en="Philology")

    created = AuditEntry.objects.get(action="faculty_create", object_id=str(faculty.pk))
    [updated] = entries("faculty_update")
    assert created.actor == cast.records_office
    assert created.after["code"] == "FL"
    assert updated.changes == {"name_en": ["", "Philology"]}


def test_a_faculty_created_after_seeded_ids_gets_a_fresh_id(university):
    faculty = actions.faculty_create(by=None, code="NEW", name_ky="Жаңы", name_ru="Новый")

    assert faculty.pk > university.faculty_b.pk


def test_a_taken_faculty_code_is_refused_with_a_message(university):
    with pytest.raises(DomainError) as error, translation.override("en"):
        actions.faculty_create(by=None, code="F1", name_ky="a", name_ru="a")

    assert "already exists" in error.value.messages[0]


def test_department_and_specialty_changes_are_audited(cast, university):
    department = actions.department_update(
        by=cast.records_office, department=university.department_a, name_en="Chair 1"
    )
    actions.specialty_update(
        by=cast.records_office, specialty=university.specialty_a, degree_level=DegreeLevel.MASTER
    )

    assert entries("department_update")[0].changes == {"name_en": ["", "Chair 1"]}
    assert entries("specialty_update")[0].changes == {"degree_level": ["bachelor", "master"]}
    assert department.unit == university.faculty_a


def test_a_specialty_lasting_seven_years_is_refused(university):
    with pytest.raises(DomainError):
        actions.specialty_update(by=None, specialty=university.specialty_a, duration_years=7)


def test_group_update_refuses_a_course_of_seven_and_saves_nothing(university):
    with pytest.raises(DomainError) as error, translation.override("en"):
        actions.group_update(by=None, group=university.group_a, course=7)

    assert error.value.messages == ["The course must be between 1 and 6."]
    assert Group.objects.get(pk=university.group_a.pk).course == 3


def test_a_starosta_must_be_a_student(cast, university):
    with pytest.raises(DomainError):
        actions.group_update(by=None, group=university.group_a, starosta=cast.teacher)

    group = actions.group_update(by=None, group=university.group_a, starosta=cast.student)
    assert group.starosta == cast.student
    assert entries("group_update")[0].changes == {"starosta": [None, cast.student.pk]}


def test_a_deactivated_group_is_kept_and_cannot_be_closed_twice(university):
    actions.group_deactivate(by=None, group=university.group_a)

    assert Group.objects.get(pk=university.group_a.pk).is_active is False
    with pytest.raises(DomainError):
        actions.group_deactivate(by=None, group=university.group_a)


def test_rooms_are_created_updated_and_audited(university):
    room = actions.room_create(
        by=None, building="Main", number="101", capacity=100, type=RoomType.LECTURE_HALL
    )
    actions.room_update(by=None, room=room, capacity=120)

    assert Room.objects.get().capacity == 120
    assert entries("room_update")[0].changes == {"capacity": [100, 120]}
    with pytest.raises(DomainError):
        actions.room_create(by=None, building="Main", number="102", capacity=0, type="lab")
