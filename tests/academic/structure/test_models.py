import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from academic.structure.models import Department, Faculty, Group, Institution, Room


def test_a_name_is_shown_in_the_active_language_falling_back_to_russian_then_kyrgyz():
    faculty = Faculty(name_ky="Физика факультети", name_ru="Физический факультет", name_en="")

    with translation.override("ky"):
        assert faculty.name == "Физика факультети"
    with translation.override("en"):
        assert faculty.name == "Физический факультет"
    faculty.name_ru = ""
    with translation.override("en"):
        assert faculty.name == "Физика факультети"


def test_a_course_outside_one_to_six_is_refused_with_a_message():
    group = Group(course=7)

    with pytest.raises(ValidationError) as error, translation.override("en"):
        group.clean()

    assert error.value.message_dict["course"] == ["The course must be between 1 and 6."]


def test_a_room_without_seats_is_refused_with_a_message():
    with pytest.raises(ValidationError) as error, translation.override("en"):
        Room(building="A", number="1", capacity=0).clean()

    assert error.value.message_dict["capacity"] == ["A room must seat at least one person."]


def test_a_department_needs_exactly_one_of_faculty_and_college():
    with pytest.raises(ValidationError) as error, translation.override("en"):
        Department(code="X").clean()

    assert error.value.messages == ["A department belongs to a faculty or to a college, not both."]


@pytest.mark.django_db
def test_faculty_codes_are_unique_in_the_database():
    from django.db import IntegrityError

    institution = Institution.objects.create(name_ky="У", name_ru="У")
    Faculty.objects.create(institution=institution, code="F", name_ky="a", name_ru="a")

    with pytest.raises(IntegrityError):
        Faculty.objects.create(institution=institution, code="F", name_ky="b", name_ru="b")
