"""Access to the structure's reference pages (colleges, academic years, rooms, the SOATE
classifier) and to subgroups: readers of the structure read them, its keepers write."""

from __future__ import annotations

from datetime import date

from academic.structure.models import AcademicYear, College, Room, Subgroup, Term
from tests.policy import SIGNED_IN, STRUCTURE_READERS, STRUCTURE_WRITERS, Policy

READ = Policy(STRUCTURE_READERS)
WRITE = Policy(STRUCTURE_WRITERS)

POLICY: dict[str, Policy] = {
    "structure:colleges": READ,
    "structure:college-create": WRITE,
    "structure:college-edit": Policy(STRUCTURE_WRITERS, kwargs="college"),
    "structure:years": READ,
    "structure:year-create": WRITE,
    "structure:year-edit": Policy(STRUCTURE_WRITERS, kwargs="academic_year"),
    # GET asks first (confirm page); the POST is tried in the app's tests.
    "structure:year-make-current": Policy(STRUCTURE_WRITERS, kwargs="academic_year"),
    "structure:term-create": Policy(STRUCTURE_WRITERS, kwargs="academic_year"),
    "structure:term-edit": Policy(STRUCTURE_WRITERS, kwargs="term"),
    "structure:rooms": READ,
    "structure:room-create": WRITE,
    "structure:room-edit": Policy(STRUCTURE_WRITERS, kwargs="room"),
    "structure:subgroup-create": Policy(STRUCTURE_WRITERS, kwargs="group_a"),
    "structure:subgroup-rename": Policy(STRUCTURE_WRITERS, kwargs="subgroup"),
    "structure:subgroup-delete": Policy(
        STRUCTURE_WRITERS, ok=(302,), method="post", kwargs="subgroup"
    ),
    "structure:soate": READ,
    # Every address form offers the picker, so every signed-in user reads the classifier.
    "structure:soate-children": SIGNED_IN,
}


def objects(cast, university) -> dict[str, dict]:
    college = College.objects.create(
        institution=university.institution, code="C1", name_ky="Колледж", name_ru="Колледж"
    )
    year = AcademicYear.objects.create(
        name="2026–2027", starts_on=date(2026, 9, 1), ends_on=date(2027, 6, 30)
    )
    term = Term.objects.create(
        academic_year=year, number=1, starts_on=date(2026, 9, 1), ends_on=date(2027, 1, 20)
    )
    room = Room.objects.create(building="Main", number="101", capacity=30)
    subgroup = Subgroup.objects.create(group=university.group_a, name="1")
    return {
        "college": {"college_id": college.pk},
        "academic_year": {"year_id": year.pk},
        "term": {"term_id": term.pk},
        "room": {"room_id": room.pk},
        "subgroup": {"subgroup_id": subgroup.pk},
    }
