from __future__ import annotations

import pytest

from hub.accounts.access import Module, can_read_person
from hub.accounts.actions import guardianship_link, guardianship_unlink
from hub.accounts.models import Guardianship
from hub.errors import DomainError


def test_a_linked_parent_reads_the_second_child_too(cast):
    guardianship_link(by=cast.admin, parent=cast.parent, child=cast.other_student)

    assert can_read_person(cast.parent, cast.other_student, module=Module.GRADES)


def test_an_unlinked_parent_reads_the_child_no_more(cast):
    link = Guardianship.objects.get(parent=cast.parent, child=cast.student)

    guardianship_unlink(by=cast.admin, link=link)

    assert not can_read_person(cast.parent, cast.student, module=Module.GRADES)


def test_a_second_link_of_the_same_pair_is_refused(cast):
    with pytest.raises(DomainError, match="already linked"):
        guardianship_link(by=cast.admin, parent=cast.parent, child=cast.student)


def test_a_person_cannot_be_their_own_parent(cast):
    with pytest.raises(DomainError):
        guardianship_link(by=cast.admin, parent=cast.student, child=cast.student)


def test_an_unknown_relation_is_refused(cast):
    with pytest.raises(DomainError, match="Unknown relation"):
        guardianship_link(
            by=cast.admin, parent=cast.parent, child=cast.other_student, relation="neighbour"
        )
