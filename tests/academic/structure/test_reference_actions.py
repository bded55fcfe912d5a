"""Actions on the structure's reference data: colleges, academic years and terms, subgroups."""

from datetime import date

import pytest
from django.utils import translation

from academic.structure import actions
from academic.structure.models import AcademicYear, College, Subgroup, Term
from hub.audit.models import AuditEntry
from hub.errors import DomainError

pytestmark = pytest.mark.django_db


def year_2026(**fields) -> AcademicYear:
    values = {"name": "2026–2027", "starts_on": date(2026, 9, 1), "ends_on": date(2027, 6, 30)}
    return AcademicYear.objects.create(**{**values, **fields})


def refused(call, **kwargs) -> str:
    with translation.override("en"), pytest.raises(DomainError) as error:
        call(**kwargs)
    return " ".join(error.value.messages)


# --- Colleges ------------------------------------------------------------------------------


def test_college_create_and_update_are_audited(cast, university):
    college = actions.college_create(
        by=cast.records_office, code="COL", name_ky="Колледж", name_ru="Колледж"
    )
    actions.college_update(by=cast.records_office, college=college, name_en="College")

    created = AuditEntry.objects.get(action="college_create")
    updated = AuditEntry.objects.get(action="college_update")
    assert college.institution == university.institution
    assert created.actor == cast.records_office
    assert created.after["code"] == "COL"
    assert updated.changes == {"name_en": ["", "College"]}


def test_a_taken_college_code_and_a_missing_name_are_refused(university):
    actions.college_create(by=None, code="COL", name_ky="Колледж", name_ru="Колледж")

    assert "already exists" in refused(
        actions.college_create, by=None, code="COL", name_ky="a", name_ru="a"
    )
    assert "blank" in refused(actions.college_create, by=None, code="C2", name_ky="", name_ru="a")
    assert College.objects.count() == 1


def test_a_college_needs_the_institution_described_first(db):
    assert "institution" in refused(
        actions.college_create, by=None, code="C", name_ky="a", name_ru="a"
    )


# --- Academic years -------------------------------------------------------------------------


def test_academic_year_create_is_audited_and_not_current(cast):
    year = actions.academic_year_create(
        by=cast.records_office,
        name="2027–2028",
        starts_on=date(2027, 9, 1),
        ends_on=date(2028, 6, 30),
    )

    entry = AuditEntry.objects.get(action="academic_year_create")
    assert not year.is_current
    assert entry.after["starts_on"] == "2027-09-01"


def test_an_academic_year_must_end_after_it_starts_and_have_a_free_name(db):
    year_2026()

    assert "end after it starts" in refused(
        actions.academic_year_create,
        by=None,
        name="X",
        starts_on=date(2027, 9, 1),
        ends_on=date(2027, 9, 1),
    )
    assert "already exists" in refused(
        actions.academic_year_create,
        by=None,
        name="2026–2027",
        starts_on=date(2027, 9, 1),
        ends_on=date(2028, 6, 1),
    )


def test_academic_year_update_keeps_its_terms_inside(cast):
    year = year_2026()
    Term.objects.create(
        academic_year=year, number=2, starts_on=date(2027, 2, 1), ends_on=date(2027, 6, 20)
    )

    message = refused(actions.academic_year_update, by=None, year=year, ends_on=date(2027, 5, 31))
    actions.academic_year_update(by=cast.admin, year=year, ends_on=date(2027, 7, 15))

    assert "terms must stay inside" in message
    assert AuditEntry.objects.get(action="academic_year_update").changes == {
        "ends_on": ["2027-06-30", "2027-07-15"]
    }


def test_making_a_year_current_unmarks_the_previous_one_and_audits_both(cast):
    previous = year_2026(is_current=True)
    year = year_2026(name="2027–2028", starts_on=date(2027, 9, 1), ends_on=date(2028, 6, 30))

    actions.academic_year_make_current(by=cast.records_office, year=year)

    previous.refresh_from_db()
    assert list(AcademicYear.objects.filter(is_current=True)) == [year]
    assert not previous.is_current
    changes = sorted(
        (entry.object_id, entry.changes["is_current"])
        for entry in AuditEntry.objects.filter(action="academic_year_make_current")
    )
    assert changes == sorted([(str(previous.pk), [True, False]), (str(year.pk), [False, True])])


def test_making_the_current_year_current_again_is_refused(db):
    year = year_2026(is_current=True)

    assert "already the current" in refused(actions.academic_year_make_current, by=None, year=year)


# --- Terms ----------------------------------------------------------------------------------


def test_term_create_and_update_are_audited(cast):
    year = year_2026()

    term = actions.term_create(
        by=cast.records_office,
        academic_year=year,
        number=1,
        starts_on=date(2026, 9, 1),
        ends_on=date(2027, 1, 20),
    )
    actions.term_update(by=cast.records_office, term=term, ends_on=date(2027, 1, 25))

    assert AuditEntry.objects.get(action="term_create").after["number"] == 1
    assert AuditEntry.objects.get(action="term_update").changes == {
        "ends_on": ["2027-01-20", "2027-01-25"]
    }


@pytest.mark.parametrize(
    ("number", "starts_on", "ends_on", "message"),
    [
        (2, date(2026, 8, 1), date(2027, 1, 20), "inside its academic year"),
        (2, date(2027, 2, 1), date(2027, 7, 20), "inside its academic year"),
        (2, date(2027, 1, 10), date(2027, 6, 20), "must not overlap"),
        (1, date(2027, 2, 1), date(2027, 6, 20), "already exists"),
        (2, date(2027, 6, 20), date(2027, 2, 1), "end after it starts"),
        (3, date(2027, 2, 1), date(2027, 6, 20), "not a valid choice"),
    ],
)
def test_bad_terms_are_refused(number, starts_on, ends_on, message):
    year = year_2026()
    actions.term_create(
        by=None, academic_year=year, number=1, starts_on=date(2026, 9, 1), ends_on=date(2027, 1, 20)
    )

    text = refused(
        actions.term_create,
        by=None,
        academic_year=year,
        number=number,
        starts_on=starts_on,
        ends_on=ends_on,
    )

    assert message in text
    assert year.terms.count() == 1


def test_a_term_may_move_within_its_own_dates_but_not_onto_the_other(db):
    year = year_2026()
    first = actions.term_create(
        by=None, academic_year=year, number=1, starts_on=date(2026, 9, 1), ends_on=date(2027, 1, 20)
    )
    second = actions.term_create(
        by=None, academic_year=year, number=2, starts_on=date(2027, 2, 1), ends_on=date(2027, 6, 20)
    )

    actions.term_update(by=None, term=first, starts_on=date(2026, 9, 2))

    assert "must not overlap" in refused(
        actions.term_update, by=None, term=second, starts_on=date(2027, 1, 15)
    )


# --- Subgroups -----------------------------------------------------------------------------


def test_subgroup_create_rename_and_delete_are_audited(cast, university):
    subgroup = actions.subgroup_create(by=cast.records_office, group=university.group_a, name=" 1 ")
    actions.subgroup_rename(by=cast.records_office, subgroup=subgroup, name="A")
    subgroup_id = subgroup.pk
    actions.subgroup_delete(by=cast.records_office, subgroup=subgroup)

    assert AuditEntry.objects.get(action="subgroup_create").after == {
        "group": university.group_a.pk,
        "name": "1",
    }
    assert AuditEntry.objects.get(action="subgroup_rename").changes == {"name": ["1", "A"]}
    deleted = AuditEntry.objects.get(action="subgroup_delete")
    assert deleted.object_id == str(subgroup_id)
    assert deleted.before["name"] == "A"
    assert not Subgroup.objects.exists()


def test_a_subgroup_name_is_unique_in_its_group_and_required(university):
    first = actions.subgroup_create(by=None, group=university.group_a, name="1")
    actions.subgroup_create(by=None, group=university.group_b, name="1")
    second = actions.subgroup_create(by=None, group=university.group_a, name="2")

    assert "already exists" in refused(
        actions.subgroup_create, by=None, group=university.group_a, name="1"
    )
    assert "already exists" in refused(actions.subgroup_rename, by=None, subgroup=second, name="1")
    assert "blank" in refused(actions.subgroup_rename, by=None, subgroup=first, name="  ")


def test_a_closed_group_gets_no_new_subgroup(university):
    actions.group_deactivate(by=None, group=university.group_a)

    assert "closed" in refused(actions.subgroup_create, by=None, group=university.group_a, name="1")


def test_a_subgroup_nothing_refers_to_is_empty(university):
    subgroup = actions.subgroup_create(by=None, group=university.group_a, name="1")

    assert actions.subgroup_is_empty(subgroup)
